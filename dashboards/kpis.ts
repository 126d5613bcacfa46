/**
 * The seeds' sprint boards (performance, load-test validation, customer success, onboarding) and the business KPI
 * board, built from `target(...)`: every headline number is coloured by its goal.
 */
import type { DashboardBuilder } from "@grafana/grafana-foundation-sdk/dashboard";
import { DASHBOARD_UIDS } from "../core/conventions";
import { sel, type ContentConfig } from "../rules/config";
import { Board } from "./board";
import type { DashboardsConfig } from "./config";
import { barGaugePanel, JOB_INSTANCE, q, thresholds, COLORS, timeseriesPanel } from "./panels";
import { kpiThresholds, target, type KpiTarget } from "./target";

const RI = "[$__rate_interval]";

function sprintQueries(d: DashboardsConfig) {
  const s = d.sprint;
  const m = (metric: string, extra?: string): string => sel(metric, s.selector, extra ? `${JOB_INSTANCE},${extra}` : JOB_INSTANCE);
  const quantile = (p: number): string => `histogram_quantile(${p}, sum by (le) (rate(${m(`${s.eventDurationMetric}_bucket`)}${RI})))`;
  return {
    m,
    quantile,
    throughput: `sum(rate(${m(s.eventsMetric)}${RI}))`,
    errorRatio: `sum(rate(${m(s.eventsMetric, 'status="error"')}${RI})) / sum(rate(${m(s.eventsMetric)}${RI}))`,
    uptime: `avg(avg_over_time(${m("up")}[$__range]))`,
    memory: `sum(${m(s.memoryMetric)})`,
  };
}

function sprintKpis(d: DashboardsConfig) {
  const s = d.sprint;
  const x = sprintQueries(d);
  return {
    throughput: { title: "Throughput", description: "Events processed per second.", expr: x.throughput, unit: "ops", goal: s.throughputGoal, better: "higher" } satisfies KpiTarget,
    p95: { title: "p95 processing latency", description: "95th percentile event processing time.", expr: x.quantile(0.95), unit: "s", goal: s.latencyP95Goal, better: "lower" } satisfies KpiTarget,
    errors: { title: "Error rate", description: "Share of events that failed.", expr: x.errorRatio, unit: "percentunit", goal: s.errorRateGoal, better: "lower", decimals: 3 } satisfies KpiTarget,
    uptime: { title: "Uptime", description: "Share of successful scrapes over the time range.", expr: x.uptime, unit: "percentunit", goal: s.uptimeGoal, better: "higher", decimals: 3 } satisfies KpiTarget,
  };
}

export function performanceDashboard(d: DashboardsConfig): DashboardBuilder {
  const s = d.sprint;
  const x = sprintQueries(d);
  const k = sprintKpis(d);
  const b = new Board(
    { uid: DASHBOARD_UIDS.performance, title: "Performance", tags: ["kpi", "sprint"], description: "The ingestion service against its goals: 1M events/s, p95 under 100ms, 99.9% uptime, under 0.1% errors, 99% attribution accuracy." },
    { jobFrom: sel(s.eventsMetric, s.selector) },
  );
  b.row("Goals").add(
    target({ ...k.throughput, w: 4 }),
    target({ ...k.p95, w: 4 }),
    target({ ...k.errors, w: 4 }),
    target({ ...k.uptime, w: 4 }),
    target({ title: "Attribution accuracy", description: "Average attribution accuracy over customers.", expr: `avg(${sel(s.accuracyMetric, s.customerSelector)})`, unit: "percent", goal: s.accuracyGoal, better: "higher", decimals: 2, w: 4 }),
    target({ title: "Memory", description: "Memory the ingestion service reports using.", expr: x.memory, unit: "bytes", goal: s.memoryLimitBytes, better: "lower", w: 4 }),
  );
  b.row("Trends").add(
    timeseriesPanel({ title: "Throughput against goal", unit: "ops", w: 12, h: 8, min: 0, drawThresholds: true, thresholds: kpiThresholds(k.throughput), description: "Events processed per second by status; dashed: the goal.", queries: [q(`sum by (status) (rate(${x.m(s.eventsMetric)}${RI}))`, "{{status}}")] }),
    timeseriesPanel({ title: "Processing latency", unit: "s", w: 12, h: 8, min: 0, drawThresholds: true, thresholds: kpiThresholds(k.p95), description: "p50/p95/p99 event processing time; dashed: the p95 goal.", queries: [q(x.quantile(0.5), "p50"), q(x.quantile(0.95), "p95"), q(x.quantile(0.99), "p99")] }),
    timeseriesPanel({ title: "Error rate", unit: "percentunit", w: 12, h: 8, min: 0, drawThresholds: true, thresholds: kpiThresholds(k.errors), description: "Share of events that failed; dashed: the goal.", queries: [q(x.errorRatio, "errors")] }),
    timeseriesPanel({ title: "Active connections", unit: "short", w: 12, h: 8, min: 0, description: "Open client connections per instance.", queries: [q(`sum by (instance) (${x.m(s.connectionsMetric)})`, "{{instance}}")] }),
  );
  return b.builder;
}

export function loadTestingDashboard(c: ContentConfig, d: DashboardsConfig): DashboardBuilder {
  const s = d.sprint;
  const x = sprintQueries(d);
  const k = sprintKpis(d);
  const node = (metric: string, extra?: string): string => sel(metric, c.host.selector, extra);
  const cpu = `1 - avg(rate(${node("node_cpu_seconds_total", 'mode="idle"')}${RI}))`;
  const b = new Board(
    { uid: DASHBOARD_UIDS.loadTesting, title: "Load test validation", tags: ["kpi", "sprint", "load-test"], description: "Pass/fail criteria of a load test: throughput over 1M events/s, p95 under 100ms, success over 99.9%, CPU under 85%." },
    { jobFrom: sel(s.eventsMetric, s.selector) },
  );
  b.row("Pass criteria").add(
    target({ ...k.throughput, display: "gauge", min: 0, max: s.throughputGoal * 1.5, h: 6 }),
    target({ ...k.p95, display: "gauge", min: 0, max: s.latencyP95Goal * 3, h: 6 }),
    target({ title: "Success rate", description: "Share of events processed successfully.", expr: `1 - (${x.errorRatio})`, unit: "percentunit", goal: 1 - s.errorRateGoal, better: "higher", decimals: 3, h: 6 }),
    target({ title: "Host CPU", description: "Average CPU busy share of the load-test hosts (node-exporter).", expr: cpu, unit: "percentunit", goal: s.cpuLimit, better: "lower", display: "gauge", min: 0, max: 1, h: 6 }),
  );
  b.row("Under load").add(
    timeseriesPanel({ title: "Throughput", unit: "ops", w: 12, h: 8, min: 0, drawThresholds: true, thresholds: kpiThresholds(k.throughput), description: "Events processed per second; dashed: the 1M/s pass line.", queries: [q(x.throughput, "events/s")] }),
    timeseriesPanel({ title: "Latency distribution", unit: "s", w: 12, h: 8, min: 0, drawThresholds: true, thresholds: kpiThresholds(k.p95), description: "p50, p75, p90, p95 and p99 processing time; dashed: the p95 pass line.", queries: [0.5, 0.75, 0.9, 0.95, 0.99].map((p) => q(x.quantile(p), `p${Math.round(p * 100)}`)) }),
    timeseriesPanel({ title: "Errors during the test", unit: "percentunit", w: 12, h: 8, min: 0, drawThresholds: true, thresholds: kpiThresholds(k.errors), description: "Share of events failing while under load.", queries: [q(x.errorRatio, "errors")] }),
    timeseriesPanel({ title: "Host resources", unit: "percentunit", w: 12, h: 8, min: 0, max: 1, drawThresholds: true, thresholds: thresholds(COLORS.ok, [s.cpuLimit, COLORS.bad]), description: "CPU busy and memory used on the load-test hosts; dashed: the 85% CPU line.", queries: [q(cpu, "cpu"), q(`1 - sum(${node("node_memory_MemAvailable_bytes")}) / sum(${node("node_memory_MemTotal_bytes")})`, "memory")] }),
  );
  return b.builder;
}

export function customerSuccessDashboard(d: DashboardsConfig): DashboardBuilder {
  const s = d.sprint;
  const m = (metric: string): string => sel(metric, s.customerSelector, JOB_INSTANCE);
  const sat: KpiTarget = { title: "Average satisfaction", description: "Mean customer satisfaction score (0-100).", expr: `avg(${m(s.satisfactionMetric)})`, unit: "percent", goal: s.satisfactionGoal, better: "higher", w: 5 };
  const acc: KpiTarget = { title: "Lowest accuracy", description: "Attribution accuracy of the worst-served customer.", expr: `min(${m(s.accuracyMetric)})`, unit: "percent", goal: s.accuracyGoal, better: "higher", decimals: 2, w: 5 };
  const savings: KpiTarget = { title: "Average cost savings", description: "Mean cost saving customers report.", expr: `avg(${m(s.costSavingsMetric)})`, unit: "percent", goal: s.costSavingsGoal, better: "higher", miss: "warning", w: 5 };
  const b = new Board(
    { uid: DASHBOARD_UIDS.customerSuccess, title: "Customer success", tags: ["kpi", "sprint", "customers"], description: "Pilot customers against the sprint goals: count, satisfaction, success, accuracy and cost savings." },
    { jobFrom: sel(s.pilotCustomersMetric, s.customerSelector) },
  );
  b.row("Goals").add(
    target({ title: "Pilot customers", description: "Customers in the pilot.", expr: `max(${m(s.pilotCustomersMetric)})`, unit: "short", goal: s.pilotCustomersGoal, better: "higher", miss: "warning", w: 4 }),
    target(sat),
    target({ title: "Successful pilots", description: "Share of pilot customers meeting their success criteria.", expr: `max(${m(s.successfulCustomersMetric)}) / max(${m(s.pilotCustomersMetric)})`, unit: "percentunit", goal: s.successRateGoal, better: "higher", miss: "warning", w: 5 }),
    target(acc),
    target(savings),
  );
  b.row("By customer").add(
    target({ ...sat, title: "Satisfaction by customer", display: "bargauge", expr: `avg by (company_name) (${m(s.satisfactionMetric)})`, legend: "{{company_name}}", min: 0, max: 100, w: 12 }),
    target({ ...acc, title: "Accuracy by customer", display: "bargauge", expr: `avg by (customer_id) (${m(s.accuracyMetric)})`, legend: "{{customer_id}}", min: 90, max: 100, w: 12 }),
    target({ ...savings, title: "Cost savings by customer", display: "bargauge", expr: `avg by (customer_id) (${m(s.costSavingsMetric)})`, legend: "{{customer_id}}", min: 0, max: 100, w: 12 }),
    timeseriesPanel({ title: "Satisfaction over time", unit: "percent", w: 12, h: 8, min: 0, max: 100, drawThresholds: true, thresholds: kpiThresholds(sat), description: "Satisfaction per customer; dashed: the goal.", queries: [q(`avg by (company_name) (${m(s.satisfactionMetric)})`, "{{company_name}}")] }),
  );
  return b.builder;
}

export function onboardingDashboard(d: DashboardsConfig): DashboardBuilder {
  const s = d.sprint;
  const m = (metric: string): string => sel(metric, s.customerSelector, JOB_INSTANCE);
  const ttl: KpiTarget = { title: "Median time to launch", description: "Median days from kick-off to launch.", expr: `quantile(0.5, ${m(s.timeToLaunchMetric)})`, unit: "d", goal: s.timeToLaunchGoalDays, limit: s.timeToLaunchLimitDays, better: "lower" };
  const tickets: KpiTarget = { title: "Open tickets per customer", description: "Average open support tickets per customer.", expr: `avg(${m(s.supportTicketsMetric)})`, unit: "short", goal: s.supportTicketsGoal, better: "lower", miss: "warning", decimals: 1 };
  const health: KpiTarget = { title: "Average health score", description: "Mean customer health score (0-100).", expr: `avg(${m(s.healthScoreMetric)})`, unit: "short", goal: s.healthScoreGoal, better: "higher" };
  const b = new Board(
    { uid: DASHBOARD_UIDS.onboarding, title: "Customer onboarding", tags: ["kpi", "sprint", "customers"], description: "Pilot onboarding: the pipeline by phase, time to launch, support load and customer health." },
    { jobFrom: sel(s.onboardingCustomersMetric, s.customerSelector) },
  );
  b.row("Goals").add(
    target(ttl),
    target({ ...ttl, title: "Slowest time to launch", description: "Days to launch of the slowest customer.", expr: `max(${m(s.timeToLaunchMetric)})` }),
    target(tickets),
    target(health),
  );
  b.row("Pipeline and customers").add(
    barGaugePanel({ title: "Onboarding pipeline", unit: "short", w: 12, h: 8, thresholds: thresholds(COLORS.info), description: "Customers in each onboarding phase (discovery, setup, launch...).", query: q(`sum by (phase) (${m(s.onboardingCustomersMetric)})`, "{{phase}}") }),
    target({ ...ttl, title: "Time to launch by customer", display: "bargauge", expr: `max by (customer_id) (${m(s.timeToLaunchMetric)})`, legend: "{{customer_id}}", min: 0, max: s.timeToLaunchLimitDays * 1.5 }),
    target({ ...tickets, title: "Open tickets by customer", display: "bargauge", expr: `max by (customer_id) (${m(s.supportTicketsMetric)})`, legend: "{{customer_id}}", min: 0 }),
    timeseriesPanel({ title: "Health score by customer", unit: "short", w: 12, h: 8, min: 0, max: 100, drawThresholds: true, thresholds: kpiThresholds(health), description: "Health score per customer; a falling line needs a call before it crosses the goal line.", queries: [q(`avg by (customer_id) (${m(s.healthScoreMetric)})`, "{{customer_id}}")] }),
  );
  return b.builder;
}

/** Seed (aclue) business metrics as targets; the API's selector applies. */
export function defaultBusinessKpis(c: ContentConfig): KpiTarget[] {
  const perHour = (metric: string): string => `sum(rate(${sel(metric, c.http.selector, JOB_INSTANCE)}${RI})) * 3600`;
  return [
    { title: "Registrations per hour", description: "New user registrations per hour. The seeds alert when none arrive for two hours.", expr: perHour("user_registrations_total"), unit: "short", goal: 0.5, better: "higher", decimals: 1, w: 8 },
    { title: "Newsletter sign-ups per hour", description: "Newsletter subscriptions per hour; the seeds warn below one per hour.", expr: perHour("newsletter_subscriptions_total"), unit: "short", goal: 1, better: "higher", miss: "warning", decimals: 1, w: 8 },
    { title: "Recommendation views per hour", description: "Product recommendations viewed per hour: the engagement the recommender earns.", expr: perHour("product_recommendations_viewed_total"), unit: "short", goal: 10, better: "higher", miss: "warning", decimals: 0, w: 8 },
  ];
}

export function businessKpisDashboard(c: ContentConfig, d: DashboardsConfig): DashboardBuilder {
  const kpis = d.businessKpis ?? defaultBusinessKpis(c);
  const b = new Board(
    { uid: DASHBOARD_UIDS.businessKpis, title: "Business KPIs", tags: ["kpi", "business"], description: "Business metrics, each coloured by its target. Pass your own list as `businessKpis`." },
    { jobFrom: sel(c.http.requestsMetric, c.http.selector) },
  );
  b.row("Targets").add(...kpis.map((k) => target(k)));
  b.row("Trends").add(
    timeseriesPanel({ title: "KPI trends", unit: "short", w: 24, h: 9, min: 0, description: "Each KPI's value over time.", queries: kpis.map((k) => q(k.expr, k.title)) }),
  );
  return b.builder;
}
