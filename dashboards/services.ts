/** Service dashboards: the API (RED), the worker and its queue, the database and cache behind them. */
import type { DashboardBuilder } from "@grafana/grafana-foundation-sdk/dashboard";
import { DASHBOARD_UIDS, RECORDING_RULES } from "../core/conventions";
import { sel, type ContentConfig } from "../rules/config";
import { logLinesPanel } from "./telemetry";
import { Board } from "./board";
import type { DashboardsConfig } from "./config";
import { alertSteps, COLORS, JOB_INSTANCE, q, statPanel, thresholds, timeseriesPanel } from "./panels";
import { labelsFor } from "../core/rules/series";
import { enabledSlos } from "../rules";
import { addSloRow } from "./slo";

const R = RECORDING_RULES;
const RI = "[$__rate_interval]";

/** RED view of the API: rate, errors, duration, saturation (in-flight), availability. */
export function serviceOverviewDashboard(c: ContentConfig, d: DashboardsConfig): DashboardBuilder {
  const h = c.http;
  const m = (metric: string, extra?: string): string => sel(metric, h.selector, extra ? `${JOB_INSTANCE},${extra}` : JOB_INSTANCE);
  const req = (extra?: string): string => `${m(h.requestsMetric, extra)}${RI}`;
  const bucket = m(`${h.durationMetric}_bucket`);
  const quantile = (p: number, by = "le"): string => `histogram_quantile(${p}, sum by (${by}) (rate(${bucket}${RI})))`;
  const latencySteps = alertSteps(h.latencyP95Warning, h.latencyP95Critical);
  const errorSteps = alertSteps(h.errorRateWarning, h.errorRateCritical);
  const b = new Board(
    { uid: DASHBOARD_UIDS.serviceOverview, title: "Service overview", tags: ["service", "red"], description: "Requests, errors and latency of the API (RED). The top row shows what the alerts evaluate; the graphs below follow the job and instance filters." },
    { jobFrom: sel(h.requestsMetric, h.selector) },
  );
  b.row("What the alerts see (all instances of the job)").add(
    statPanel({ title: "Request rate", unit: "reqps", w: 4, h: 4, description: `Requests per second, from recording rule ${R.httpRequestsRate} (5m window).`, query: q(`sum(${R.httpRequestsRate}{job=~"$job"})`) }),
    statPanel({ title: "5xx error ratio", unit: "percentunit", w: 4, h: 4, decimals: 2, thresholds: errorSteps, description: `Share of requests answered 5xx, from ${R.httpErrorsRatio}: the series the threshold error-rate alerts watch (opt-in: the api-errors SLO replaces them). Amber at ${h.errorRateWarning * 100}%, red at ${h.errorRateCritical * 100}%.`, query: q(`max(${R.httpErrorsRatio}{job=~"$job"})`) }),
    statPanel({ title: "p95 latency", unit: "s", w: 4, h: 4, thresholds: latencySteps, description: `95th percentile request time, from ${R.httpLatencyP95}: the series the threshold latency alerts watch (opt-in: the api-latency SLO replaces them). Amber at ${h.latencyP95Warning}s, red at ${h.latencyP95Critical}s.`, query: q(`max(${R.httpLatencyP95}{job=~"$job"})`) }),
    statPanel({ title: "In-flight requests", unit: "short", w: 4, h: 4, description: "Requests being served right now; a climb with flat traffic means requests are stuck.", query: q(`sum(${m(h.inFlightMetric)})`) }),
    statPanel({ title: "Availability", unit: "percentunit", w: 4, h: 4, decimals: 3, sparkline: false, thresholds: thresholds(COLORS.warn, [d.availabilityGoal, COLORS.ok]), description: `Share of successful scrapes of the selected instances over the time range (up). Green at the ${d.availabilityGoal * 100}% goal; a page comes from the target-down alert, not from this number.`, query: q(`avg(avg_over_time(${m("up")}[$__range]))`) }),
    statPanel({ title: "Requests in range", unit: "short", w: 4, h: 4, sparkline: false, description: "Total requests served in the selected time range.", query: q(`sum(increase(${m(h.requestsMetric)}[$__range]))`) }),
  );
  b.row("Traffic").add(
    timeseriesPanel({ title: "Request rate by route", unit: "reqps", w: 12, h: 8, legendTable: true, description: "Requests per second per route, all status codes.", queries: [q(`sum by (route) (rate(${req()}))`, "{{route}}")] }),
    timeseriesPanel({ title: "Request rate by status", unit: "reqps", w: 12, h: 8, stack: true, description: "Requests per second per status code, stacked: the total is the traffic.", queries: [q(`sum by (status) (rate(${req()}))`, "{{status}}")] }),
  );
  const ratio = (status: string, by = ""): string => `sum${by} (rate(${req(`status=~"${status}"`)})) / sum${by} (rate(${req()}))`;
  b.row("Errors").add(
    timeseriesPanel({ title: "Error ratio (4xx, 5xx)", unit: "percentunit", w: 12, h: 8, min: 0, drawThresholds: true, thresholds: errorSteps, description: `Share of requests answered 4xx (client) and 5xx (server). Dashed lines: the 5xx alert thresholds (${h.errorRateWarning * 100}%, ${h.errorRateCritical * 100}%).`, queries: [q(ratio("4.."), "4xx"), q(ratio("5.."), "5xx")] }),
    timeseriesPanel({ title: "5xx ratio by route", unit: "percentunit", w: 12, h: 8, min: 0, legendTable: true, description: "Which routes fail: share of each route's requests answered 5xx.", queries: [q(ratio("5..", " by (route)"), "{{route}}")] }),
  );
  b.row("Latency").add(
    timeseriesPanel({ title: "Latency percentiles", unit: "s", w: 12, h: 8, min: 0, drawThresholds: true, thresholds: latencySteps, description: `p50, p95 and p99 request time over all routes. Dashed lines: the p95 alert thresholds (${h.latencyP95Warning}s, ${h.latencyP95Critical}s).`, queries: [q(quantile(0.5), "p50"), q(quantile(0.95), "p95"), q(quantile(0.99), "p99")] }),
    timeseriesPanel({ title: "p95 latency by route", unit: "s", w: 12, h: 8, min: 0, legendTable: true, description: "95th percentile request time per route: the slow endpoints.", queries: [q(quantile(0.95, "le, route"), "{{route}}")] }),
    timeseriesPanel({ title: "In-flight requests by instance", unit: "short", w: 12, h: 8, min: 0, description: "Concurrent requests per instance; uneven lines mean uneven load balancing.", queries: [q(`sum by (instance) (${m(h.inFlightMetric)})`, "{{instance}}")] }),
    timeseriesPanel({ title: "Events received", unit: "ops", w: 12, h: 8, min: 0, description: `Events accepted per second (${c.freshness.eventsMetric}). A drop to zero is what the data-freshness alert catches after ${c.freshness.staleAfter}.`, queries: [q(`sum(rate(${sel(c.freshness.eventsMetric, c.freshness.selector, JOB_INSTANCE)}${RI}))`, "events/s")] }),
  );
  // Last, so the panels above keep their ids (links with viewPanel= stay valid).
  const service = labelsFor(h.selector).job ?? "api";
  addSloRow(b, (d.slos ?? enabledSlos(c)).filter((s) => s.service === service));
  if (d.logs === true) {
    // The service's lines by Loki's service_name (OTLP service.name, or the container's name); errors first.
    const stream = `{service_name=~"$job"}`;
    b.row("Logs").add(
      logLinesPanel("Error lines", "The service's latest lines at level error, fatal or critical; a trace_id opens the trace in Jaeger.", `${stream} | detected_level=~"error|fatal|critical"`, 24, 8),
      logLinesPanel("Log lines", "The service's latest lines.", stream, 24, 10),
    );
  }
  return b.builder;
}

/** The worker: backlog against its alert lines, throughput, errors by type, batch size and time. */
export function workerQueueDashboard(c: ContentConfig): DashboardBuilder {
  const w = c.queue;
  const m = (metric: string, extra?: string): string => sel(metric, w.selector, extra ? `${JOB_INSTANCE},${extra}` : JOB_INSTANCE);
  const quantile = (metric: string, p: number): string => `histogram_quantile(${p}, sum by (le) (rate(${m(`${metric}_bucket`)}${RI})))`;
  const backlogSteps = alertSteps(w.backlogWarning, w.backlogCritical);
  const b = new Board(
    { uid: DASHBOARD_UIDS.workerQueue, title: "Worker and queue", tags: ["service", "queue"], description: "Queue backlog against its alert thresholds, worker throughput and errors, batch size and duration." },
    { jobFrom: sel(w.depthMetric, w.selector) },
  );
  b.row("Now").add(
    statPanel({ title: "Queue depth", unit: "short", w: 4, h: 4, thresholds: backlogSteps, description: `Items waiting. Amber from ${w.backlogWarning}, red from ${w.backlogCritical} (the backlog alerts).`, query: q(`sum(${m(w.depthMetric)})`) }),
    statPanel({ title: "Capacity used", unit: "percentunit", w: 4, h: 4, thresholds: thresholds(COLORS.ok, [w.capacityRatioCritical, COLORS.bad]), description: `Fullest queue's depth over its capacity; the near-capacity alert pages at ${w.capacityRatioCritical * 100}%.`, query: q(`max(sum by (queue) (${m(w.depthMetric)}) / sum by (queue) (${m(w.capacityMetric)}))`) }),
    statPanel({ title: "Worker error ratio", unit: "percentunit", w: 4, h: 4, decimals: 2, thresholds: alertSteps(w.errorRateWarning), description: `Share of processed events that failed, from ${R.workerErrorsRatio} (what the alert watches). Amber at ${w.errorRateWarning * 100}%.`, query: q(`max(${R.workerErrorsRatio}{job=~"$job"})`) }),
    statPanel({ title: "Processed in range", unit: "short", w: 4, h: 4, sparkline: false, description: "Events processed (success and error) in the selected time range.", query: q(`sum(increase(${m(w.processedMetric)}[$__range]))`) }),
    statPanel({ title: "Average batch size", unit: "short", w: 4, h: 4, description: "Items per batch over the rate window; small batches under a backlog mean the worker is starved of something else.", query: q(`sum(rate(${m(`${w.batchSizeMetric}_sum`)}${RI})) / sum(rate(${m(`${w.batchSizeMetric}_count`)}${RI}))`) }),
    statPanel({ title: "p95 batch duration", unit: "s", w: 4, h: 4, thresholds: alertSteps(w.batchDurationP95Warning), description: `95th percentile batch processing time; amber from ${w.batchDurationP95Warning}s.`, query: q(quantile(w.batchDurationMetric, 0.95)) }),
  );
  b.row("Queue").add(
    timeseriesPanel({ title: "Queue depth", unit: "short", w: 12, h: 8, min: 0, drawThresholds: true, thresholds: backlogSteps, description: `Items waiting per queue. Dashed lines: backlog alerts at ${w.backlogWarning} and ${w.backlogCritical}.`, queries: [q(`sum by (queue) (${m(w.depthMetric)})`, "{{queue}}")] }),
    timeseriesPanel({ title: "Capacity used by queue", unit: "percentunit", w: 12, h: 8, min: 0, max: 1, drawThresholds: true, thresholds: thresholds(COLORS.ok, [w.capacityRatioCritical, COLORS.bad]), description: "Depth over capacity per queue; at 100% producers are rejected or block.", queries: [q(`sum by (queue) (${m(w.depthMetric)}) / sum by (queue) (${m(w.capacityMetric)})`, "{{queue}}")] }),
  );
  b.row("Processing").add(
    timeseriesPanel({ title: "Processed per minute", unit: "opm", w: 12, h: 8, min: 0, stack: true, description: "Events processed per minute, success and error stacked.", queries: [q(`sum by (status) (rate(${m(w.processedMetric)}${RI})) * 60`, "{{status}}")] }),
    timeseriesPanel({ title: "Errors by type", unit: "opm", w: 12, h: 8, min: 0, legendTable: true, description: "Worker errors per minute by type (database insert, aggregation update, batch processing...).", queries: [q(`sum by (type) (rate(${m(w.errorsMetric)}${RI})) * 60`, "{{type}}")] }),
    timeseriesPanel({ title: "Batch duration", unit: "s", w: 12, h: 8, min: 0, drawThresholds: true, thresholds: alertSteps(w.batchDurationP95Warning), description: `p50/p95/p99 time to process one batch; dashed: ${w.batchDurationP95Warning}s p95 warning.`, queries: [q(quantile(w.batchDurationMetric, 0.5), "p50"), q(quantile(w.batchDurationMetric, 0.95), "p95"), q(quantile(w.batchDurationMetric, 0.99), "p99")] }),
    timeseriesPanel({ title: "Batch size", unit: "short", w: 12, h: 8, min: 0, description: "p50/p95 items per batch.", queries: [q(quantile(w.batchSizeMetric, 0.5), "p50"), q(quantile(w.batchSizeMetric, 0.95), "p95")] }),
  );
  return b.builder;
}

/** The app's database client, Postgres and Redis, and the app processes' memory and CPU. */
export function databaseInfraDashboard(c: ContentConfig, d: DashboardsConfig): DashboardBuilder {
  const db = d.database;
  const pg = (metric: string, extra?: string): string => sel(metric, c.postgres.selector, extra ? `${JOB_INSTANCE},${extra}` : JOB_INSTANCE);
  const rd = (metric: string): string => sel(metric, c.redis.selector, JOB_INSTANCE);
  const app = (metric: string): string => sel(metric, db.selector, JOB_INSTANCE);
  const proc = (metric: string): string => sel(metric, d.process.selector, JOB_INSTANCE);
  const hitRatio = (by = ""): string => `sum${by} (rate(${rd("redis_keyspace_hits_total")}${RI})) / (sum${by} (rate(${rd("redis_keyspace_hits_total")}${RI})) + sum${by} (rate(${rd("redis_keyspace_misses_total")}${RI})))`;
  const qd = (p: number, by = "le"): string => `histogram_quantile(${p}, sum by (${by}) (rate(${app(`${db.queryDurationMetric}_bucket`)}${RI})))`;
  const pool = `sum(${app(db.connectionsActiveMetric)}) / (sum(${app(db.connectionsActiveMetric)}) + sum(${app(db.connectionsIdleMetric)}))`;
  const memSteps = thresholds(COLORS.ok, [d.process.memoryWarningBytes, COLORS.warn], [d.process.memoryCriticalBytes, COLORS.bad]);
  const pgConnSteps = alertSteps(c.postgres.connectionsRatioWarning);
  const b = new Board(
    { uid: DASHBOARD_UIDS.databaseInfra, title: "Database and infrastructure", tags: ["database", "cache"], description: "Query time and volume from the app, Postgres connections and transactions, Redis hit rate and memory, app process resources." },
    { jobFrom: "up" },
  );
  b.row("Now").add(
    statPanel({ title: "Postgres connections used", unit: "percentunit", w: 4, h: 4, thresholds: pgConnSteps, description: `Connections over max_connections; the alert warns at ${c.postgres.connectionsRatioWarning * 100}%.`, query: q(`max(sum by (instance) (${pg("pg_stat_activity_count")}) / max by (instance) (${pg("pg_settings_max_connections")}))`) }),
    statPanel({ title: "Longest transaction", unit: "s", w: 4, h: 4, thresholds: alertSteps(c.postgres.slowQuerySeconds), description: `Age of the oldest open transaction; over ${c.postgres.slowQuerySeconds}s counts as stuck (slow-query alert).`, query: q(`max(${pg("pg_stat_activity_max_tx_duration")})`) }),
    statPanel({ title: "Cache hit rate", unit: "percentunit", w: 4, h: 4, decimals: 1, thresholds: thresholds(COLORS.bad, [c.redis.hitRateWarning, COLORS.ok]), description: `Redis keyspace hits over lookups; the low-hit-rate alert warns under ${c.redis.hitRateWarning * 100}%.`, query: q(hitRatio()) }),
    statPanel({ title: "Redis memory used", unit: "percentunit", w: 4, h: 4, thresholds: alertSteps(c.redis.memoryRatioWarning), description: `Used memory over maxmemory; evictions start at 100%, the alert warns at ${c.redis.memoryRatioWarning * 100}%. Empty when maxmemory is unset.`, query: q(`max(${rd("redis_memory_used_bytes")} / (${rd("redis_memory_max_bytes")} > 0))`) }),
    statPanel({ title: "App pool in use", unit: "percentunit", w: 4, h: 4, thresholds: alertSteps(db.poolUseWarning), description: `Application connection pool in use; at 100% queries queue for a connection. Amber from ${db.poolUseWarning * 100}%.`, query: q(pool) }),
    statPanel({ title: "p95 query time", unit: "s", w: 4, h: 4, thresholds: alertSteps(db.queryP95Warning), description: `95th percentile query time seen by the app; amber from ${db.queryP95Warning}s.`, query: q(qd(0.95)) }),
  );
  b.row("Queries").add(
    timeseriesPanel({ title: "Query duration", unit: "s", w: 12, h: 8, min: 0, drawThresholds: true, thresholds: alertSteps(db.queryP95Warning), description: "p50/p95/p99 query time seen by the application.", queries: [q(qd(0.5), "p50"), q(qd(0.95), "p95"), q(qd(0.99), "p99")] }),
    timeseriesPanel({ title: "Queries by operation and table", unit: "ops", w: 12, h: 8, min: 0, legendTable: true, description: "Queries per second by operation and table.", queries: [q(`sum by (operation, table) (rate(${app(`${db.queryDurationMetric}_count`)}${RI}))`, "{{operation}} {{table}}")] }),
    timeseriesPanel({ title: "Postgres connections used", unit: "percentunit", w: 12, h: 8, min: 0, max: 1, drawThresholds: true, thresholds: pgConnSteps, description: "Server connections over max_connections, per instance, and the app's pool use.", queries: [q(`sum by (instance) (${pg("pg_stat_activity_count")}) / max by (instance) (${pg("pg_settings_max_connections")})`, "postgres {{instance}}"), q(pool, "app pool")] }),
    timeseriesPanel({ title: "Cache hit rate", unit: "percentunit", w: 12, h: 8, max: 1, drawThresholds: true, thresholds: thresholds(COLORS.bad, [c.redis.hitRateWarning, COLORS.ok]), description: `Redis hit rate per instance; dashed: ${c.redis.hitRateWarning * 100}% alert line.`, queries: [q(hitRatio(" by (instance)"), "{{instance}}")] }),
  );
  b.row("Resources").add(
    timeseriesPanel({ title: "Process memory", unit: "bytes", w: 12, h: 8, min: 0, drawThresholds: true, thresholds: memSteps, description: "Resident memory of the app processes; dashed: the memory warning lines.", queries: [q(`sum by (job, instance) (${proc("process_resident_memory_bytes")})`, "{{job}} {{instance}}")] }),
    timeseriesPanel({ title: "Process CPU", unit: "percentunit", w: 12, h: 8, min: 0, description: "CPU time per second of the app processes (1 = one core busy).", queries: [q(`sum by (job, instance) (rate(${proc("process_cpu_seconds_total")}${RI}))`, "{{job}} {{instance}}")] }),
  );
  return b.builder;
}
