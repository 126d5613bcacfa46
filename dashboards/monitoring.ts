/** The monitoring stack watching itself: firing alerts, and the health of Prometheus, Alertmanager and Grafana. */
import type { DashboardBuilder } from "@grafana/grafana-foundation-sdk/dashboard";
import { DASHBOARD_UIDS } from "../core/conventions";
import type { ContentConfig } from "../rules/config";
import { Board, queryVariable } from "./board";
import { alertSteps, boolMapping, COLORS, JOB_INSTANCE, q, statPanel, tablePanel, thresholds, timeseriesPanel } from "./panels";

const RI = "[$__rate_interval]";

export function alertsOverviewDashboard(): DashboardBuilder {
  const firing = 'ALERTS{alertstate="firing",severity=~"$severity"}';
  const count = (sev: string): string => `count(ALERTS{alertstate="firing",severity="${sev}"}) or vector(0)`;
  const b = new Board(
    { uid: DASHBOARD_UIDS.alertsOverview, title: "Alerts overview", tags: ["monitoring", "alerts"], description: "Alerts Prometheus is firing now and over time, by severity. Each alert's dashboard annotation links to the dashboard that explains it." },
    { extra: [queryVariable("severity", "Severity", "label_values(ALERTS, severity)", "Alert severities to show.")] },
  );
  b.row("Firing now").add(
    statPanel({ title: "Critical", unit: "short", w: 6, h: 4, thresholds: thresholds(COLORS.ok, [1, COLORS.bad]), description: "Critical alerts firing: someone should be paged.", query: q(count("critical")) }),
    statPanel({ title: "Warning", unit: "short", w: 6, h: 4, thresholds: thresholds(COLORS.ok, [1, COLORS.warn]), description: "Warning alerts firing: look during working hours.", query: q(count("warning")) }),
    statPanel({ title: "Info", unit: "short", w: 6, h: 4, thresholds: thresholds(COLORS.ok, [1, COLORS.info]), description: "Informational alerts firing.", query: q(count("info")) }),
    statPanel({ title: "Pending", unit: "short", w: 6, h: 4, thresholds: thresholds(COLORS.ok, [1, COLORS.warn]), description: "Alerts whose condition holds but whose `for` has not elapsed yet.", query: q('count(ALERTS{alertstate="pending"}) or vector(0)') }),
  );
  b.row("Alerts").add(
    tablePanel({ title: "Firing alerts", unit: "none", w: 24, h: 9, hide: ["Time", "Value", "__name__", "alertstate"], description: "Every firing alert with its labels.", query: q(firing) }),
    timeseriesPanel({ title: "Firing by severity", unit: "short", w: 12, h: 8, min: 0, stack: true, bars: true, description: "Number of firing alerts per severity over time.", queries: [q(`count by (severity) (${firing})`, "{{severity}}")] }),
    timeseriesPanel({ title: "Firing by alert", unit: "short", w: 12, h: 8, min: 0, legendTable: true, description: "Number of firing instances of each alert over time: the noisy ones stand out.", queries: [q(`count by (alertname) (${firing})`, "{{alertname}}")] }),
  );
  return b.builder;
}

export function selfHealthDashboard(c: ContentConfig): DashboardBuilder {
  const m = (metric: string, extra?: string): string => `${metric}{${JOB_INSTANCE}${extra ? `,${extra}` : ""}}`;
  const b = new Board(
    { uid: DASHBOARD_UIDS.selfHealth, title: "Monitoring self-health", tags: ["monitoring", "prometheus", "alertmanager", "grafana"], description: "Is the monitoring itself working: scrapes, rule evaluation, config reloads, notifications, storage, and batch jobs pushing to the Pushgateway." },
    { jobFrom: "up" },
  );
  b.row("Now").add(
    statPanel({ title: "Targets down", unit: "short", w: 4, h: 4, thresholds: thresholds(COLORS.ok, [1, COLORS.bad]), description: "Scrape targets whose last scrape failed.", query: q(`count(${m("up")} == 0) or vector(0)`) }),
    statPanel({ title: "Prometheus config", unit: "none", w: 4, h: 4, sparkline: false, mappings: boolMapping("reload failed", "loaded"), thresholds: thresholds(COLORS.bad, [1, COLORS.ok]), description: "Whether the last Prometheus config reload succeeded; on failure Prometheus keeps running the old config.", query: q(`min(${m("prometheus_config_last_reload_successful")})`) }),
    statPanel({ title: "Alertmanager config", unit: "none", w: 4, h: 4, sparkline: false, mappings: boolMapping("reload failed", "loaded"), thresholds: thresholds(COLORS.bad, [1, COLORS.ok]), description: "Whether the last Alertmanager config reload succeeded.", query: q(`min(${m("alertmanager_config_last_reload_successful")})`) }),
    statPanel({ title: "Rule evaluation failures", unit: "short", w: 4, h: 4, thresholds: thresholds(COLORS.ok, [1, COLORS.bad]), description: "Rule evaluations that failed in the time range: those alerts cannot fire.", query: q(`sum(increase(${m("prometheus_rule_evaluation_failures_total")}[$__range])) or vector(0)`) }),
    statPanel({ title: "Failed notifications", unit: "short", w: 4, h: 4, thresholds: thresholds(COLORS.ok, [1, COLORS.bad]), description: "Notifications Alertmanager failed to deliver in the time range: someone was not told.", query: q(`sum(increase(${m("alertmanager_notifications_failed_total")}[$__range])) or vector(0)`) }),
    statPanel({ title: "Head series", unit: "short", w: 4, h: 4, description: "Active series in Prometheus' head block: memory grows with it.", query: q(`sum(${m("prometheus_tsdb_head_series")})`) }),
  );
  b.row("Prometheus").add(
    timeseriesPanel({ title: "Targets up by job", unit: "percentunit", w: 12, h: 8, min: 0, max: 1, description: "Share of each job's targets whose scrape succeeds.", queries: [q(`avg by (job) (${m("up")})`, "{{job}}")] }),
    timeseriesPanel({ title: "Scrape duration", unit: "s", w: 12, h: 8, min: 0, description: "Slowest scrape per job; near the scrape timeout, scrapes start failing.", queries: [q(`max by (job) (${m("scrape_duration_seconds")})`, "{{job}}")] }),
    timeseriesPanel({ title: "Rule group evaluation time", unit: "s", w: 12, h: 8, min: 0, legendTable: true, description: "Last evaluation time per rule group; above the group interval, evaluations are skipped.", queries: [q(`max by (rule_group) (${m("prometheus_rule_group_last_duration_seconds")})`, "{{rule_group}}")] }),
    timeseriesPanel({ title: "Samples ingested", unit: "ops", w: 12, h: 8, min: 0, description: "Samples appended to the head block per second.", queries: [q(`sum by (instance) (rate(${m("prometheus_tsdb_head_samples_appended_total")}${RI}))`, "{{instance}}")] }),
  );
  b.row("Alertmanager, Grafana, batch jobs").add(
    timeseriesPanel({ title: "Notifications", unit: "ops", w: 12, h: 8, min: 0, description: "Notifications sent and failed per second, by integration.", queries: [q(`sum by (integration) (rate(${m("alertmanager_notifications_total")}${RI}))`, "sent {{integration}}"), q(`sum by (integration) (rate(${m("alertmanager_notifications_failed_total")}${RI}))`, "failed {{integration}}")] }),
    timeseriesPanel({ title: "Grafana requests", unit: "reqps", w: 12, h: 8, min: 0, stack: true, description: "Requests Grafana serves per second by status code; a 5xx band means broken dashboards or datasources.", queries: [q(`sum by (status_code) (rate(${m("grafana_http_request_duration_seconds_count")}${RI}))`, "{{status_code}}")] }),
    timeseriesPanel({ title: "Time since last push", unit: "s", w: 12, h: 8, min: 0, drawThresholds: true, thresholds: alertSteps(c.freshness.pushStaleSeconds), description: `Age of each batch job's last successful push to the Pushgateway; over ${c.freshness.pushStaleSeconds}s it is stale (alert).`, queries: [q(`time() - max by (job) (${m("push_time_seconds")})`, "{{job}}")] }),
    timeseriesPanel({ title: "Memory of monitoring processes", unit: "bytes", w: 12, h: 8, min: 0, description: "Resident memory of Prometheus, Alertmanager, Grafana and the exporters.", queries: [q(`sum by (job) (${m("process_resident_memory_bytes")})`, "{{job}}")] }),
  );
  return b.builder;
}
