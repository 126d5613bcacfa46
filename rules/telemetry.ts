/**
 * Self-monitoring of the logs and traces pipeline, on the programs' own Prometheus metrics: Loki failing requests,
 * discarding log lines or failing to evaluate log rules; the collector failing to export, refusing data (its
 * memory limiter) or filling its exporter queue; Jaeger failing to store spans. Metric names are the ones the
 * pinned programs serve (collector 0.165 and Jaeger 2.13 without type or unit suffixes: the live tests read them).
 */
import type { AlertRule, RulePack, RuleTest } from "../core/rules/model";
import { sel } from "./config";
import { counter, firingAt, gauge, HOLDS_FROM_SECOND_SAMPLE, HOLDS_FROM_START, type PackContext, pct, series, stepsFor } from "./kit";

export const TELEMETRY_ALERTS = [
  "LokiRequestErrors", "LokiDiscardingLogs", "LokiRuleEvaluationFailures",
  "CollectorExportFailing", "CollectorRefusingData", "CollectorExporterQueueNearlyFull", "JaegerStoringSpansFails",
] as const;

export function telemetryPack({ content, b }: PackContext): RulePack {
  const c = content.telemetry;
  const loki = (m: string, extra?: string) => sel(m, c.lokiSelector, extra);
  const col = (m: string) => sel(m, c.collectorSelector);
  const jae = (m: string) => sel(m, c.jaegerSelector);
  const dashboard = b.dashboard("selfHealth");
  const simple = (alert: string, severity: AlertRule["severity"], forD: string, expr: string, summary: string, description: string): AlertRule =>
    b.alert({ alert, severity, for: forD, expr, annotations: { summary, description, dashboard } });
  const lokiErrors = b.alert({
    alert: "LokiRequestErrors",
    severity: "warning",
    for: "15m",
    threshold: c.lokiErrorRatioWarning,
    expr: (t) => `sum by (job, instance, route) (rate(${loki("loki_request_duration_seconds_count", 'status_code=~"5.."')}[5m]))\n/\nsum by (job, instance, route) (rate(${loki("loki_request_duration_seconds_count")}[5m]))\n> ${t}`,
    annotations: (t) => ({
      summary: "Loki {{ $labels.instance }} fails {{ $value | humanizePercentage }} of {{ $labels.route }} requests",
      description: `Loki answers {{ $value | humanizePercentage }} of {{ $labels.route }} requests with 5xx (above ${pct(t)}): pushes are retried and may be dropped, queries and log alerts fail.`,
      dashboard,
    }),
  });
  const discarding = simple("LokiDiscardingLogs", "warning", "15m", `sum by (job, instance, reason) (rate(${loki("loki_discarded_samples_total")}[5m])) > 0`,
    "Loki {{ $labels.instance }} discards log lines ({{ $labels.reason }})",
    "Loki refuses log lines for {{ $labels.reason }} (rate limits, line too long, too old, stream limit): those lines are lost. Raise the limit in code or fix the sender.");
  const ruler = simple("LokiRuleEvaluationFailures", "warning", "15m", `sum by (job, instance, rule_group) (increase(${loki("loki_prometheus_rule_evaluation_failures_total")}[5m])) > 0`,
    "Loki {{ $labels.instance }} fails to evaluate log rules in {{ $labels.rule_group }}",
    "The ruler cannot evaluate the log rules of {{ $labels.rule_group }}: their alerts cannot fire. Check the query in Grafana's Explore against Loki.");
  const exportFailing = simple("CollectorExportFailing", "critical", "10m",
    `sum by (job, instance, exporter) (rate(${col("otelcol_exporter_send_failed_log_records")}[5m])) > 0\nor\nsum by (job, instance, exporter) (rate(${col("otelcol_exporter_send_failed_spans")}[5m])) > 0`,
    "The collector on {{ $labels.instance }} cannot export through {{ $labels.exporter }}",
    "The collector fails to send logs or spans through {{ $labels.exporter }} (Loki or Jaeger down or refusing): after its queue and retries, data is dropped.");
  const refusing = simple("CollectorRefusingData", "warning", "10m",
    `sum by (job, instance, receiver) (rate(${col("otelcol_receiver_refused_log_records")}[5m])) > 0\nor\nsum by (job, instance, receiver) (rate(${col("otelcol_receiver_refused_spans")}[5m])) > 0`,
    "The collector on {{ $labels.instance }} refuses data on {{ $labels.receiver }}",
    "The collector refuses logs or spans on {{ $labels.receiver }}, usually its memory limiter under pressure: senders retry or lose data. Raise its memory or find the burst.");
  const queue = b.alert({
    alert: "CollectorExporterQueueNearlyFull",
    severity: "warning",
    for: "10m",
    threshold: c.queueFullRatioWarning,
    expr: (t) => `max by (job, instance, exporter) (${col("otelcol_exporter_queue_size")} / ${col("otelcol_exporter_queue_capacity")}) > ${t}`,
    annotations: (t) => ({
      summary: "The collector's {{ $labels.exporter }} queue is {{ $value | humanizePercentage }} full",
      description: `The sending queue of {{ $labels.exporter }} on {{ $labels.instance }} is above ${pct(t)}: its destination is slow or down, and once full new data is dropped.`,
      dashboard,
    }),
  });
  const jaeger = simple("JaegerStoringSpansFails", "warning", "10m",
    `sum by (job, instance) (rate(${jae("otelcol_exporter_send_failed_spans")}[5m])) > 0\nor\nsum by (job, instance) (rate(${jae("otelcol_receiver_refused_spans")}[5m])) > 0`,
    "Jaeger {{ $labels.instance }} fails to store or accept spans",
    "Jaeger {{ $labels.instance }} refuses spans or cannot write them to its storage (badger volume full or unwritable): traces are missing. Check the volume and Jaeger's log.");
  const lokiRules = [lokiErrors, discarding, ruler];
  const colRules = [exportFailing, refusing, queue];
  const groups = [
    { name: "loki", rules: lokiRules },
    { name: "otel-collector", rules: colRules },
    { name: "jaeger", rules: [jaeger] },
  ];

  const L = { job: "loki", instance: "loki:3100" };
  const C = { job: "otel-collector", instance: "otel-collector:8888" };
  const J = { job: "jaeger", instance: "jaeger:8888" };
  const all = [...lokiRules, ...colRules, jaeger];
  const n = Math.max(...all.map((r) => stepsFor(r)));
  const t = lokiErrors.threshold ?? 0.05;
  const bad = Math.min(1, (t + 1) / 2);
  const q = queue.threshold ?? 0.8;
  const lokiExp = { ...C, exporter: "otlp_http/loki" };
  const jaegerExp = { ...C, exporter: "otlp_grpc/jaeger" };
  const state = (broken: boolean): RuleTest["series"] => {
    const grows = counter([broken ? 1 / 60 : 0, n]);
    return [
      series("loki_request_duration_seconds_count", { ...L, route: "otlp_v1_logs", status_code: "204", method: "POST" }, counter([10, n])),
      series("loki_request_duration_seconds_count", { ...L, route: "otlp_v1_logs", status_code: "500", method: "POST" }, counter([broken ? 10 * bad / (1 - bad) : 0, n])),
      series("loki_discarded_samples_total", { ...L, reason: "line_too_long", tenant: "fake" }, grows),
      series("loki_prometheus_rule_evaluation_failures_total", { ...L, rule_group: "/etc/loki/rules/fake/service-logs.yml;service-logs", user: "fake" }, grows),
      series("otelcol_exporter_send_failed_log_records", lokiExp, grows),
      series("otelcol_exporter_send_failed_spans", jaegerExp, counter([0, n])),
      series("otelcol_receiver_refused_log_records", { ...C, receiver: "otlp", transport: "http" }, grows),
      series("otelcol_receiver_refused_spans", { ...C, receiver: "otlp", transport: "grpc" }, counter([0, n])),
      series("otelcol_exporter_queue_size", lokiExp, gauge([broken ? Math.ceil(1000 * (q + 1) / 2) : 10, n])),
      series("otelcol_exporter_queue_capacity", lokiExp, gauge([1000, n])),
      series("otelcol_exporter_send_failed_spans", { ...J, exporter: "jaeger_storage_exporter" }, grows),
      series("otelcol_receiver_refused_spans", { ...J, receiver: "otlp", transport: "grpc" }, counter([0, n])),
    ];
  };
  const labelsOf: Record<string, Record<string, string>> = {
    LokiRequestErrors: { ...L, route: "otlp_v1_logs" },
    LokiDiscardingLogs: { ...L, reason: "line_too_long" },
    LokiRuleEvaluationFailures: { ...L, rule_group: "/etc/loki/rules/fake/service-logs.yml;service-logs" },
    CollectorExportFailing: lokiExp,
    CollectorRefusingData: { ...C, receiver: "otlp" },
    CollectorExporterQueueNearlyFull: lokiExp,
    JaegerStoringSpansFails: J,
  };
  // The queue alert reads two gauges (true from the first sample); every other one a rate (true from the second).
  const holdsFrom = (alert: string) => (alert === "CollectorExporterQueueNearlyFull" ? HOLDS_FROM_START : HOLDS_FROM_SECOND_SAMPLE);
  // Only the alerts whose annotations print $value need it predicted.
  const valueOf: Record<string, number> = { LokiRequestErrors: bad, CollectorExporterQueueNearlyFull: Math.ceil(1000 * (q + 1) / 2) / 1000 };
  const tests: RuleTest[] = [
    {
      name: "a healthy logs and traces pipeline raises nothing",
      series: state(false),
      alerts: all.map((r) => ({ evalTime: firingAt(r), alert: r.alert, expect: [] })),
    },
    {
      name: "a failing Loki, collector and Jaeger raise every telemetry alert",
      series: state(true),
      alerts: all.map((r) => ({ evalTime: firingAt(r), activeSince: holdsFrom(r.alert), alert: r.alert, expect: [{ labels: labelsOf[r.alert]!, value: valueOf[r.alert] }] })),
    },
  ];
  return { name: "telemetry", groups, tests };
}
