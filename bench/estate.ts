/**
 * A generated estate of N monitored HTTP services, the way a platform team would describe its fleet: per service a
 * scrape job, a rule pack (two recording rules, ten alerts with the service's job selector, one promtool test) and a
 * dashboard of seven panels built with the same Board/panel helpers as the shipped dashboards. Pure: no @pulumi.
 */
import { RuleBuilder } from "../core/rules/overrides";
import type { RulePack, RuleTest } from "../core/rules/model";
import type { ScrapeJob } from "../core/prometheus/model";
import type { DashboardDef } from "../core/grafana/render";
import { Board } from "../dashboards/board";
import { alertSteps, JOB_INSTANCE, q, statPanel, timeseriesPanel } from "../dashboards/panels";

/** Thresholds shared by each service's alerts and the panels that draw them (one value feeds both). */
export interface ServiceThresholds {
  readonly errorRatioWarning: number;
  readonly errorRatioCritical: number;
  readonly latencyP95Warning: number;
  readonly latencyP99Critical: number;
  readonly memoryBytesWarning: number;
  readonly cpuCoresWarning: number;
}

export interface Estate {
  readonly services: readonly string[];
  readonly scrapeJobs: readonly ScrapeJob[];
  readonly rulePacks: readonly RulePack[];
  readonly dashboards: readonly DashboardDef[];
  /** Recording rules the estate's packs define (the dashboard lint checks panels against them). */
  readonly recordingRules: readonly string[];
  /** Metric names the estate's services expose (the lint warns about any other). */
  readonly metrics: readonly string[];
}

export const ESTATE_METRICS = [
  "http_requests_total", "http_request_duration_seconds", "process_resident_memory_bytes", "process_cpu_seconds_total",
  "process_start_time_seconds", "up",
] as const;

const REC_RATE = "job:estate_http_requests:rate5m";
const REC_ERRORS = "job:estate_http_errors:ratio_rate5m";

export function serviceName(i: number): string {
  return `svc-${String(i).padStart(4, "0")}`;
}

/** `svc-0042` → `Svc0042`: the subject of the service's alert names (alert names are unique across packs). */
function alertPrefix(name: string): string {
  return name.replace(/(^|-)([a-z0-9])/g, (_m, _d: string, c: string) => c.toUpperCase());
}

function thresholdsFor(i: number): ServiceThresholds {
  // A little variety, as real teams tune their own services.
  const tier = i % 3;
  return {
    errorRatioWarning: [0.01, 0.02, 0.05][tier]!,
    errorRatioCritical: [0.05, 0.1, 0.2][tier]!,
    latencyP95Warning: [0.3, 0.5, 1][tier]!,
    latencyP99Critical: [1, 2, 4][tier]!,
    memoryBytesWarning: [512, 1024, 2048][tier]! * 1024 * 1024,
    cpuCoresWarning: [0.8, 1.5, 3][tier]!,
  };
}

export function serviceScrapeJob(i: number): ScrapeJob {
  const name = serviceName(i);
  return {
    name,
    ...(i % 4 === 0 ? { scrapeInterval: "30s", scrapeTimeout: "10s" } : {}),
    staticConfigs: [{ targets: [`${name}-a:8080`, `${name}-b:8080`], labels: { service: name, team: `team-${String(i % 20).padStart(2, "0")}` } }],
  };
}

export function servicePack(i: number): RulePack {
  const name = serviceName(i);
  const s = `job="${name}"`;
  const t = thresholdsFor(i);
  const P = alertPrefix(name);
  const b = new RuleBuilder({ runbookBaseUrl: `https://runbooks.example.com/${name}` });
  const labels = { service: name };
  const dashboard = `/d/estate-${name}`;
  const reqRate = (extra = ""): string => `sum(rate(http_requests_total{${s}${extra}}[5m]))`;
  const errorRatio = `${reqRate(',status=~"5.."')} / ${reqRate()}`;
  const quantile = (p: number): string => `histogram_quantile(${p}, sum by (le) (rate(http_request_duration_seconds_bucket{${s}}[5m])))`;
  const down = b.alert({
    alert: `${P}Down`, severity: "critical", for: "2m", labels,
    expr: `up{${s}} == 0`,
    annotations: { summary: `${name} target {{ $labels.instance }} is down`, description: `Prometheus cannot scrape {{ $labels.instance }} of ${name}.`, dashboard },
  });
  const alerts = [
    down,
    b.alert({
      alert: `${P}InstancesDown`, severity: "warning", for: "5m", labels, threshold: 0.25,
      expr: (x) => `count(up{${s}} == 0) / count(up{${s}}) > ${x}`,
      annotations: { summary: `{{ $value | humanizePercentage }} of ${name} instances are down`, description: `More than a quarter of the ${name} targets fail their scrape.`, dashboard },
    }),
    ...(["warning", "critical"] as const).map((severity) =>
      b.alert({
        alert: `${P}ErrorRate${severity === "warning" ? "High" : "Critical"}`, severity, for: severity === "warning" ? "5m" : "2m", labels,
        threshold: severity === "warning" ? t.errorRatioWarning : t.errorRatioCritical,
        expr: (x) => `${errorRatio} > ${x}`,
        annotations: (x) => ({ summary: `${name} fails {{ $value | humanizePercentage }} of requests`, description: `5xx share of ${name} above ${x * 100}% for the last 5 minutes.`, dashboard }),
      }),
    ),
    b.alert({
      alert: `${P}LatencyHigh`, severity: "warning", for: "10m", labels, threshold: t.latencyP95Warning,
      expr: (x) => `${quantile(0.95)} > ${x}`,
      annotations: (x) => ({ summary: `${name} p95 latency is {{ $value | humanizeDuration }}`, description: `95% of ${name} requests take up to {{ $value | humanizeDuration }} (warning above ${x}s).`, dashboard }),
    }),
    b.alert({
      alert: `${P}LatencyCritical`, severity: "critical", for: "5m", labels, threshold: t.latencyP99Critical,
      expr: (x) => `${quantile(0.99)} > ${x}`,
      annotations: (x) => ({ summary: `${name} p99 latency is {{ $value | humanizeDuration }}`, description: `1% of ${name} requests take longer than ${x}s.`, dashboard }),
    }),
    b.alert({
      alert: `${P}TrafficDropped`, severity: "warning", for: "15m", labels, threshold: 0.5,
      expr: (x) => `${reqRate()} < ${x} * sum(rate(http_requests_total{${s}}[5m] offset 1w))\nand\nsum(rate(http_requests_total{${s}}[5m] offset 1w)) > 1`,
      annotations: { summary: `${name} traffic halved against last week`, description: `${name} serves {{ $value | humanize }} requests/s, under half of the same time last week.`, dashboard },
    }),
    b.alert({
      alert: `${P}MemoryHigh`, severity: "warning", for: "15m", labels, threshold: t.memoryBytesWarning,
      expr: (x) => `max by (instance) (process_resident_memory_bytes{${s}}) > ${x}`,
      annotations: { summary: `${name} {{ $labels.instance }} uses {{ $value | humanize1024 }}B`, description: `Resident memory of {{ $labels.instance }} is high; a leak ends in an OOM kill.`, dashboard },
    }),
    b.alert({
      alert: `${P}CpuHigh`, severity: "warning", for: "15m", labels, threshold: t.cpuCoresWarning,
      expr: (x) => `sum by (instance) (rate(process_cpu_seconds_total{${s}}[5m])) > ${x}`,
      annotations: { summary: `${name} {{ $labels.instance }} uses {{ $value | humanize }} cores`, description: `CPU use of {{ $labels.instance }} is above its budget.`, dashboard },
    }),
    b.alert({
      alert: `${P}Restarting`, severity: "info", labels, threshold: 2,
      expr: (x) => `changes(process_start_time_seconds{${s}}[15m]) > ${x}`,
      annotations: { summary: `${name} {{ $labels.instance }} restarted {{ $value }} times in 15m`, description: `The process keeps restarting (crash loop or OOM kills).`, dashboard },
    }),
  ];
  const tests: RuleTest[] = [
    {
      name: `${name} down pages after 2m`,
      series: [{ series: `up{instance="${name}-a:8080", job="${name}"}`, values: "0x10" }],
      alerts: [{ evalTime: "5m", alert: down.alert, expect: [{ labels: { job: name, instance: `${name}-a:8080` }, value: 0 }] }],
    },
    {
      name: `${name} up does not page`,
      series: [{ series: `up{instance="${name}-a:8080", job="${name}"}`, values: "1x10" }],
      alerts: [{ evalTime: "5m", alert: down.alert, expect: [] }],
    },
  ];
  return {
    name,
    groups: [
      {
        name: `${name}-recording`,
        rules: [
          { record: REC_RATE, expr: `sum by (job) (rate(http_requests_total{${s}}[5m]))` },
          { record: REC_ERRORS, expr: `sum by (job) (rate(http_requests_total{${s},status=~"5.."}[5m])) / sum by (job) (rate(http_requests_total{${s}}[5m]))` },
        ],
      },
      { name, rules: alerts },
    ],
    tests,
  };
}

export function serviceDashboard(i: number): DashboardDef {
  const name = serviceName(i);
  const t = thresholdsFor(i);
  const m = (metric: string, extra?: string): string => `${metric}{job="${name}",${JOB_INSTANCE}${extra ? `,${extra}` : ""}}`;
  const RI = "[$__rate_interval]";
  const quantile = (p: number): string => `histogram_quantile(${p}, sum by (le) (rate(${m("http_request_duration_seconds_bucket")}${RI})))`;
  const errorSteps = alertSteps(t.errorRatioWarning, t.errorRatioCritical);
  const b = new Board(
    { uid: `estate-${name}`, title: `Service ${name}`, tags: ["estate", "service"], description: `RED and process resources of ${name}.` },
    { jobFrom: `up{job="${name}"}` },
  );
  b.row("Now").add(
    statPanel({ title: "Request rate", unit: "reqps", w: 8, h: 4, description: `Requests per second, from ${REC_RATE}.`, query: q(`sum(${REC_RATE}{job=~"$job"})`) }),
    statPanel({ title: "5xx ratio", unit: "percentunit", w: 8, h: 4, decimals: 2, thresholds: errorSteps, description: `Share of requests answered 5xx: the series the error alerts watch.`, query: q(`max(${REC_ERRORS}{job=~"$job"})`) }),
    statPanel({ title: "p95 latency", unit: "s", w: 8, h: 4, thresholds: alertSteps(t.latencyP95Warning), description: "95th percentile request time.", query: q(quantile(0.95)) }),
  );
  b.row("Detail").add(
    timeseriesPanel({ title: "Requests by status", unit: "reqps", w: 12, h: 8, stack: true, description: "Requests per second per status code.", queries: [q(`sum by (status) (rate(${m("http_requests_total")}${RI}))`, "{{status}}")] }),
    timeseriesPanel({ title: "Latency", unit: "s", w: 12, h: 8, min: 0, drawThresholds: true, thresholds: alertSteps(t.latencyP95Warning, t.latencyP99Critical), description: "p50, p95, p99 request time; dashed: the alert thresholds.", queries: [q(quantile(0.5), "p50"), q(quantile(0.95), "p95"), q(quantile(0.99), "p99")] }),
    timeseriesPanel({ title: "Memory by instance", unit: "bytes", w: 12, h: 8, min: 0, drawThresholds: true, thresholds: alertSteps(t.memoryBytesWarning), description: "Resident memory per instance.", queries: [q(`max by (instance) (${m("process_resident_memory_bytes")})`, "{{instance}}")] }),
    timeseriesPanel({ title: "CPU by instance", unit: "short", w: 12, h: 8, min: 0, drawThresholds: true, thresholds: alertSteps(t.cpuCoresWarning), description: "Cores used per instance.", queries: [q(`sum by (instance) (rate(${m("process_cpu_seconds_total")}${RI}))`, "{{instance}}")] }),
  );
  // As dashboards/index.ts does: a plain object that shares nothing with the builder.
  const dashboard = JSON.parse(JSON.stringify(b.builder.build())) as { uid: string; title: string };
  return { uid: dashboard.uid, title: dashboard.title, folder: "estate", dashboard };
}

export function generateEstate(n: number): Estate {
  const services = Array.from({ length: n }, (_, i) => serviceName(i));
  return {
    services,
    scrapeJobs: services.map((_, i) => serviceScrapeJob(i)),
    rulePacks: services.map((_, i) => servicePack(i)),
    dashboards: services.map((_, i) => serviceDashboard(i)),
    recordingRules: n > 0 ? [REC_RATE, REC_ERRORS] : [],
    metrics: [...ESTATE_METRICS],
  };
}
