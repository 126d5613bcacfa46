/**
 * Log alerting and recording rules for Loki's ruler. Loki reads Prometheus' rule-file format (rulefmt) with LogQL
 * expressions, so the model is the Prometheus rule model (core/rules) with a LogQL `expr`: the same severity,
 * `for`, labels, annotations and runbook, and the same house conventions.
 */
import type { AlertRule, RecordingRule } from "../rules/model";

/** A LogQL query as text, e.g. `sum by (service_name) (rate({service_name="api"} |= "error" [5m])) > 1`. */
export type LogqlExpr = string;

/**
 * One log alerting rule: a Prometheus `AlertRule` (severity, `for`, labels, annotations, runbook) whose `expr` is a
 * LogQL metric query.
 */
export interface LogAlertRule extends Omit<AlertRule, "expr"> {
  /** A LogQL **metric** query (Loki refuses a log query as an alert: it has no samples to compare). */
  readonly expr: LogqlExpr;
}

/**
 * One log recording rule: a Prometheus `RecordingRule` whose `expr` is a LogQL metric query, its result the series
 * named `record`.
 */
export interface LogRecordingRule extends Omit<RecordingRule, "expr"> {
  /** A LogQL metric query; the ruler remote-writes its samples to Prometheus. */
  readonly expr: LogqlExpr;
}

/** A log alerting or recording rule; tell them apart with `isLogAlertRule`. */
export type LogRule = LogAlertRule | LogRecordingRule;

/** Whether the log rule is an alerting rule (it has an `alert` name). */
export function isLogAlertRule(r: LogRule): r is LogAlertRule {
  return (r as LogAlertRule).alert !== undefined;
}

/** A group of log rules the ruler evaluates together, in order, at one interval. */
export interface LogRuleGroup {
  /** kebab-case, unique across the log packs. */
  readonly name: string;
  /** Evaluation interval; the ruler's `evaluation_interval` (1m) when absent. */
  readonly interval?: string;
  readonly limit?: number;
  readonly rules: readonly LogRule[];
}

/**
 * A pack of log rules: one ruler rule file (`<rules dir>/<tenant>/<name>.yml`). There is no promtool for LogQL:
 * log rules get no unit tests, only the parser's checks (README, "Logs and traces", says what stays unproven).
 */
export interface LogRulePack {
  /** kebab-case; names the rule file. */
  readonly name: string;
  readonly groups: readonly LogRuleGroup[];
}
