/**
 * The Logs and Traces dashboards. Logs: volume by level and by service, error lines, the log lines themselves
 * (Loki, the datasource with the fixed UID `loki`; each line's trace_id links to Jaeger through the datasource's
 * derived field). Traces: request rate, errors and latency per service and span from the collector's span metrics
 * (exported to Prometheus's OTLP receiver), plus the pipeline's own health. LogQL targets are checked by the
 * dashboard lint with the LogQL parser, never read as PromQL.
 */
import * as common from "@grafana/grafana-foundation-sdk/common";
import * as dash from "@grafana/grafana-foundation-sdk/dashboard";
import * as logs from "@grafana/grafana-foundation-sdk/logs";
import * as loki from "@grafana/grafana-foundation-sdk/loki";
import * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";
import { DASHBOARD_UIDS } from "../core/conventions";
import { GRAFANA_DATASOURCE_UIDS } from "../core/grafana/provisioning";
import type { ContentConfig } from "../rules/config";
import { Board } from "./board";
import { PROM_DS, q, timeseriesPanel } from "./panels";

/** Loki is provisioned with a fixed UID; the logs panels name it (there is one Loki per stack). */
export const LOKI_DS = { type: "loki", uid: GRAFANA_DATASOURCE_UIDS.loki };
/** The service filter of the Logs dashboard: Loki's `service_name` index label. */
const SERVICE = 'service_name=~"$service"';
/** The collector's span metrics as Prometheus's OTLP receiver names them (`traces.span.metrics.calls` → `…_calls_total`). */
export const SPAN_METRICS = { calls: "traces_span_metrics_calls_total", durationBucket: "traces_span_metrics_duration_milliseconds_bucket" } as const;

function lokiTarget(expr: string, i: number, legend?: string): loki.DataqueryBuilder {
  const t = new loki.DataqueryBuilder().expr(expr).refId(String.fromCharCode(65 + i)).datasource(LOKI_DS);
  if (legend !== undefined) t.legendFormat(legend);
  return t;
}

function lokiTimeseries(o: { title: string; description: string; unit: string; w: number; h: number; queries: readonly (readonly [string, string])[]; stack?: boolean }): timeseries.PanelBuilder {
  const b = new timeseries.PanelBuilder().title(o.title).description(o.description).unit(o.unit).span(o.w).height(o.h).datasource(LOKI_DS).min(0);
  o.queries.forEach(([expr, legend], i) => b.withTarget(lokiTarget(expr, i, legend)));
  b.lineWidth(1).fillOpacity(o.stack ? 30 : 10).showPoints(common.VisibilityMode.Never);
  if (o.stack) b.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal));
  b.legend(new common.VizLegendOptionsBuilder().showLegend(true).placement(common.LegendPlacement.Bottom).displayMode(common.LegendDisplayMode.List).calcs([]));
  return b;
}

/** A panel of log lines for a LogQL selector (the service overview's and the Logs dashboard's). */
export function logLinesPanel(title: string, description: string, expr: string, w = 24, h = 10): logs.PanelBuilder {
  return new logs.PanelBuilder()
    .title(title)
    .description(description)
    .span(w)
    .height(h)
    .datasource(LOKI_DS)
    .withTarget(lokiTarget(expr, 0))
    .showTime(true)
    .wrapLogMessage(true)
    .enableLogDetails(true)
    .sortOrder(common.LogsSortOrder.Descending)
    .dedupStrategy(common.LogsDedupStrategy.None);
}

function serviceVariable(): dash.QueryVariableBuilder {
  return new dash.QueryVariableBuilder("service")
    .label("Service")
    .description("Services (Loki's service_name label) to show.")
    .datasource(LOKI_DS)
    // Loki's variable query editor: label values (type 1) of service_name.
    .query({ refId: "LokiVariableQueryEditor-VariableQuery", type: 1, label: "service_name", stream: "" })
    .refresh(dash.VariableRefresh.OnTimeRangeChanged)
    .sort(dash.VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue(".+");
}

export function logsDashboard(_c: ContentConfig): dash.DashboardBuilder {
  const b = new Board(
    { uid: DASHBOARD_UIDS.logs, title: "Logs", tags: ["logs", "loki"], description: "Log volume by level and service, error lines, and the lines themselves; a trace_id in a line opens the trace in Jaeger." },
    { extra: [serviceVariable()] },
  );
  const s = `{${SERVICE}}`;
  b.row("Volume").add(
    lokiTimeseries({ title: "Log lines by level", description: "Lines per second by Loki's detected level.", unit: "short", w: 12, h: 8, stack: true, queries: [[`sum by (detected_level) (rate(${s} [$__auto]))`, "{{detected_level}}"]] }),
    lokiTimeseries({ title: "Log lines by service", description: "Lines per second by service.", unit: "short", w: 12, h: 8, stack: true, queries: [[`sum by (service_name) (rate(${s} [$__auto]))`, "{{service_name}}"]] }),
    lokiTimeseries({ title: "Error lines by service", description: "Lines per second at level error, fatal or critical; the ServiceErrorLogsHigh alert fires on this.", unit: "short", w: 24, h: 8, queries: [[`sum by (service_name) (rate(${s} | detected_level=~"error|fatal|critical" [$__auto]))`, "{{service_name}}"]] }),
  );
  b.row("Lines").add(
    logLinesPanel("Errors", "The latest error lines of the selected services.", `${s} | detected_level=~"error|fatal|critical"`, 24, 10),
    logLinesPanel("All lines", "The latest lines of the selected services.", s, 24, 12),
  );
  return b.builder;
}

export function tracesDashboard(c: ContentConfig): dash.DashboardBuilder {
  const calls = (extra = "") => `${SPAN_METRICS.calls}{service_name=~"$service"${extra}}`;
  const svc = new dash.QueryVariableBuilder("service")
    .label("Service")
    .description("Services that sent spans (the span metrics' service_name).")
    .datasource(PROM_DS)
    .query(`label_values(${SPAN_METRICS.calls}, service_name)`)
    .definition(`label_values(${SPAN_METRICS.calls}, service_name)`)
    .refresh(dash.VariableRefresh.OnTimeRangeChanged)
    .sort(dash.VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue(".+");
  const b = new Board(
    { uid: DASHBOARD_UIDS.traces, title: "Traces", tags: ["traces", "jaeger"], description: "Span rate, errors and latency per service and operation from the collector's span metrics, and the health of the trace pipeline." },
    { extra: [svc] },
  );
  const col = (m: string) => `${m}{${c.telemetry.collectorSelector}}`;
  b.row("Spans").add(
    timeseriesPanel({ title: "Span rate by service", unit: "reqps", w: 12, h: 8, min: 0, description: "Server and consumer spans per second by service.", queries: [q(`sum by (service_name) (rate(${calls(',span_kind=~"SPAN_KIND_SERVER|SPAN_KIND_CONSUMER"')}[$__rate_interval]))`, "{{service_name}}")] }),
    timeseriesPanel({ title: "Error spans", unit: "percentunit", w: 12, h: 8, min: 0, description: "Share of spans with status error by service.", queries: [q(`sum by (service_name) (rate(${calls(',status_code="STATUS_CODE_ERROR"')}[$__rate_interval]))\n/\nsum by (service_name) (rate(${calls()}[$__rate_interval]))`, "{{service_name}}")] }),
    timeseriesPanel({ title: "p95 span duration by operation", unit: "ms", w: 24, h: 8, min: 0, legendTable: true, description: "95th percentile duration of server spans by service and span name.", queries: [q(`histogram_quantile(0.95, sum by (service_name, span_name, le) (rate(${SPAN_METRICS.durationBucket}{service_name=~"$service",span_kind="SPAN_KIND_SERVER"}[$__rate_interval])))`, "{{service_name}} {{span_name}}")] }),
  );
  b.row("Pipeline").add(
    timeseriesPanel({ title: "Spans and log records received by the collector", unit: "ops", w: 12, h: 8, min: 0, description: "What the collector accepts per second, by receiver.", queries: [q(`sum by (receiver) (rate(${col("otelcol_receiver_accepted_spans")}[$__rate_interval]))`, "spans {{receiver}}"), q(`sum by (receiver) (rate(${col("otelcol_receiver_accepted_log_records")}[$__rate_interval]))`, "logs {{receiver}}")] }),
    timeseriesPanel({ title: "Export failures", unit: "ops", w: 12, h: 8, min: 0, description: "Spans and log records the collector failed to send, by exporter; CollectorExportFailing fires on this.", queries: [q(`sum by (exporter) (rate(${col("otelcol_exporter_send_failed_spans")}[$__rate_interval]))`, "spans {{exporter}}"), q(`sum by (exporter) (rate(${col("otelcol_exporter_send_failed_log_records")}[$__rate_interval]))`, "logs {{exporter}}")] }),
  );
  return b.builder;
}
