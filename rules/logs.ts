/**
 * The shipped log rules for Loki's ruler (LogQL): error-log rate per service, panic/fatal lines, and a service
 * whose logs stop. `service_name` is Loki's index label from OTLP `service.name` (apps) and from the collector's
 * container name (container logs); `detected_level` is Loki 3's level detection (`discover_log_levels`, on by
 * default). Built with the same rule builder as the metric packs: typed overrides by name, runbook links.
 * There is no promtool for LogQL: these rules are checked by the LogQL parser only (README, "Logs and traces").
 */
import type { LogAlertRule, LogRulePack } from "../core/logql/model";
import type { AlertRule } from "../core/rules/model";
import { type AlertOverridesOf, RuleBuilder } from "../core/rules/overrides";
import { assertValid } from "../core/validation";

/** The names of the shipped log alerts: what `BuildLogRulePacksOptions.overrides` takes. */
export const LOG_ALERTS = ["ServiceErrorLogsHigh", "ServicePanics", "ServiceLogsStopped"] as const;
/** The name of a shipped log alert, one of `LOG_ALERTS`. */
export type LogAlertName = (typeof LOG_ALERTS)[number];

/**
 * The stream selector and thresholds of the shipped log rules, each with the reason for its value; the shipped values
 * are `defaultLogContentConfig`.
 */
export interface LogContentConfig {
  /** The streams the rules watch. Why: every stream Loki indexes with a service name (apps and containers). */
  readonly streamSelector: string;
  /** Error lines per second per service that warn. Why: one a second is a steady failure, not a stray retry. */
  readonly errorLinesPerSecondWarning: number;
  /** Lines an hour ago (15m window) under which a silent service is not worth an alert. Why: cron-like services. */
  readonly stoppedMinLinesBefore: number;
}

/**
 * The shipped selector and thresholds: every stream with a `service_name`, a warning above 1 error line a second, a
 * silent service alerted on only when it wrote more than 100 lines in 15 minutes an hour earlier.
 */
export const defaultLogContentConfig: LogContentConfig = { streamSelector: 'service_name=~".+"', errorLinesPerSecondWarning: 1, stoppedMinLinesBefore: 100 };

/**
 * Options of `buildLogRulePacks`: selector and thresholds laid over `defaultLogContentConfig`, overrides of the log
 * alerts by name, and the base URLs of runbook and dashboard links (as for `buildRulePacks`).
 */
export interface BuildLogRulePacksOptions {
  readonly content?: Partial<LogContentConfig>;
  readonly overrides?: AlertOverridesOf<LogAlertName>;
  readonly runbookBaseUrl?: string;
  readonly grafanaBaseUrl?: string;
}

const asLog = (r: AlertRule): LogAlertRule => ({ ...r, expr: String(r.expr) });

/**
 * Builds the shipped log pack `service-logs` (ServiceErrorLogsHigh, ServicePanics, ServiceLogsStopped) with the
 * overrides applied. Throws a ValidationError when an override names an alert the pack does not define or overrides
 * what the alert does not have. The LogQL is checked when the packs are rendered (`renderLogRulePackFiles`), not here.
 */
export function buildLogRulePacks(opts: BuildLogRulePacksOptions = {}): LogRulePack[] {
  const c = { ...defaultLogContentConfig, ...(opts.content ?? {}) };
  const s = `{${c.streamSelector}}`;
  const b = new RuleBuilder({ overrides: opts.overrides, runbookBaseUrl: opts.runbookBaseUrl, grafanaBaseUrl: opts.grafanaBaseUrl });
  const dashboard = b.dashboard("logs");
  const errors = b.alert({
    alert: "ServiceErrorLogsHigh",
    severity: "warning",
    for: "10m",
    threshold: c.errorLinesPerSecondWarning,
    expr: (t) => `sum by (service_name) (rate(${s} | detected_level=~"error|fatal|critical" [5m])) > ${t}`,
    annotations: (t) => ({
      summary: "{{ $labels.service_name }} logs {{ $value | humanize }} errors per second",
      description: `{{ $labels.service_name }} has logged more than ${t} error line(s) per second for 10 minutes. Open its logs (the Logs dashboard) and follow a trace_id into Jaeger.`,
      dashboard,
    }),
  });
  const panics = b.alert({
    alert: "ServicePanics",
    severity: "critical",
    expr: `sum by (service_name) (count_over_time(${s} |~ "(?i)(panic:|fatal error|segmentation fault|unhandled exception|traceback \\\\(most recent call last\\\\))" [5m])) > 0`,
    annotations: {
      summary: "{{ $labels.service_name }} crashed: panic or fatal error in its logs",
      description: "{{ $labels.service_name }} logged {{ $value }} panic/fatal line(s) in the last 5 minutes: a process crashed or is about to. Read the stack trace in its logs.",
      dashboard,
    },
  });
  const stopped = b.alert({
    alert: "ServiceLogsStopped",
    severity: "warning",
    for: "15m",
    threshold: c.stoppedMinLinesBefore,
    expr: (t) => `sum by (service_name) (count_over_time(${s} [15m] offset 1h)) > ${t}\nunless\nsum by (service_name) (count_over_time(${s} [15m])) > 0`,
    annotations: (t) => ({
      summary: "{{ $labels.service_name }} stopped logging",
      description: `{{ $labels.service_name }} wrote more than ${t} lines in 15 minutes an hour ago and none in the last 15 minutes: it stopped, hangs, or its logs no longer reach Loki (check the collector).`,
      dashboard,
    }),
  });
  assertValid("log alert overrides", b.checkOverrides());
  const pack = b.finish({ name: "service-logs", groups: [{ name: "service-logs", rules: [errors, panics, stopped] }], tests: [] });
  return [{ name: pack.name, groups: pack.groups.map((g) => ({ name: g.name, rules: g.rules.map((r) => asLog(r as AlertRule)) })) }];
}
