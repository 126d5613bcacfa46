/**
 * Which metric names each exporter or job exposes, as name prefixes (`node_`) or base names (`up`,
 * `http_request_duration_seconds`). Used by the dashboard lint to warn about a metric nothing is known to expose:
 * usually a typo or an exporter that is not deployed.
 */

export const METRIC_CATALOG = {
  node: ["node_"],
  cadvisor: ["container_", "machine_", "cadvisor_"],
  blackbox: ["probe_"],
  postgres: ["pg_"],
  redis: ["redis_"],
  pushgateway: ["push_time_seconds", "push_failure_time_seconds", "pushgateway_"],
  // Prometheus also synthesises `up`, `scrape_*` and `ALERTS*` for every target and alert.
  prometheus: ["prometheus_", "up", "scrape_", "ALERTS", "ALERTS_FOR_STATE", "promhttp_", "net_conntrack_"],
  alertmanager: ["alertmanager_"],
  grafana: ["grafana_"],
  loki: ["loki_"],
  // The collector's and Jaeger's own metrics (collector 0.165 / Jaeger 2.13 serve them without suffixes), and the
  // collector's span metrics as Prometheus's OTLP receiver names them.
  otelcol: ["otelcol_", "traces_span_metrics_", "target_info"],
  // Client libraries add process and runtime metrics to every instrumented job.
  app: ["process_", "go_", "nodejs_", "python_"],
} as const satisfies Record<string, readonly string[]>;

/**
 * A source of metrics the catalog knows (an exporter, a monitoring component or an instrumented app), as in
 * `METRIC_CATALOG`.
 */
export type ExporterName = keyof typeof METRIC_CATALOG;

/** Suffixes client libraries add to a base name: histogram/summary parts, counter `_total`, `_created`, `_info`. */
const SUFFIXES = ["", "_bucket", "_sum", "_count", "_total", "_created", "_info"];

/** True when `metric` is exposed according to `known`: an entry ending in `_` is a prefix, any other a base name. */
export function isKnownMetric(metric: string, known: readonly string[]): boolean {
  for (const k of known) {
    if (k.endsWith("_")) {
      if (metric.startsWith(k)) return true;
    } else if (SUFFIXES.some((s) => metric === k + s)) {
      return true;
    }
  }
  return false;
}

/** All catalog entries plus `extra` (e.g. the application metrics named in the content config). */
export function knownMetrics(extra: readonly string[] = [], exporters: readonly ExporterName[] = Object.keys(METRIC_CATALOG) as ExporterName[]): string[] {
  const out = new Set<string>();
  for (const e of exporters) for (const m of METRIC_CATALOG[e]) out.add(m);
  for (const m of extra) out.add(m);
  return [...out].sort();
}
