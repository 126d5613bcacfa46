/**
 * The typed model of Prometheus alerting and recording rules, their groups, and the packs ("mixins") that ship them
 * with promtool unit tests. Values only: building a pack has no side effects, rendering turns it into text.
 */
import type { Duration } from "../duration";
import type { PromqlExpr } from "../promql";
import type { AlertSeverity } from "../severity";

/**
 * Alert annotations. `runbookUrl` renders as `runbook_url`; extra keys render as given. Summary and description are
 * the house convention (`rules/annotations-summary-description`), optional for content from elsewhere.
 */
export interface AlertAnnotations {
  /** One line, shown as the notification title. Go templates allowed (`{{ $labels.job }}`). */
  readonly summary?: string;
  /** What is wrong, how bad, and where, e.g. `{{ $value | humanizePercentage }} of requests fail`. */
  readonly description?: string;
  /** Where the on-call reads what to do. Packs fill it from the runbook base URL when absent. */
  readonly runbookUrl?: string;
  /** Link to the Grafana dashboard that shows the alert's signal. */
  readonly dashboard?: string;
  readonly [extra: string]: string | undefined;
}

/** One alerting rule: the PromQL condition, how long it must hold, its severity, labels and annotations. */
export interface AlertRule {
  /** PascalCase, subject first: `HttpErrorRateHigh`, `PostgresConnectionsNearLimit`. */
  readonly alert: string;
  /** An instant vector (every returned series is one alert) or a scalar (Prometheus makes it one series). */
  readonly expr: PromqlExpr;
  /** How long the expression must hold before the alert fires (`pending` until then). */
  readonly for?: Duration;
  /** How long the alert keeps firing after the expression stops returning it (flap damping). */
  readonly keepFiringFor?: Duration;
  /**
   * Rendered as the `severity` label; Alertmanager routes on it. Any value Prometheus accepts; the house three are
   * the convention. One alert name may be defined once per severity (the warning/critical pair of one signal).
   */
  readonly severity?: AlertSeverity;
  /** Extra static labels; `severity` and `alertname` are reserved. */
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations: AlertAnnotations;
  /** The number the expression compares against, when it has one. Informational: overrides change it by name. */
  readonly threshold?: number;
}

/** One recording rule: the expression whose result Prometheus stores as the series named `record`. */
export interface RecordingRule {
  /** `level:metric:operations`, e.g. `job:http_requests:rate5m`. */
  readonly record: string;
  readonly expr: PromqlExpr;
  readonly labels?: Readonly<Record<string, string>>;
}

/** An alerting or a recording rule; tell them apart with `isAlertRule` / `isRecordingRule`. */
export type Rule = AlertRule | RecordingRule;

/** Whether the rule is an alerting rule (it has an `alert` name). */
export function isAlertRule(r: Rule): r is AlertRule {
  return (r as AlertRule).alert !== undefined;
}

/** Whether the rule is a recording rule (it has a `record` name). */
export function isRecordingRule(r: Rule): r is RecordingRule {
  return (r as RecordingRule).record !== undefined;
}

/** A rule group: rules Prometheus evaluates together, in order, at one interval. */
export interface RuleGroup {
  /** kebab-case, unique across all packs. */
  readonly name: string;
  /** Evaluation interval; the global one when absent. */
  readonly interval?: Duration;
  /** Maximum alerts / series a rule may produce (0 = no limit); protects Alertmanager from a label explosion. */
  readonly limit?: number;
  /** How far back in time the group's rules evaluate (`query_offset`, for late-arriving remote-write data). */
  readonly queryOffset?: Duration;
  /** Labels added to every rule of the group (Prometheus 3); a rule's own labels win. */
  readonly labels?: Readonly<Record<string, string>>;
  readonly rules: readonly Rule[];
}

/** One input series of a unit test, in promtool's notation. */
export interface InputSeries {
  /** A series selector with all labels, e.g. `up{job="api", instance="a:80"}`. */
  readonly series: string;
  /** Expanding notation: `0+10x30` (0, 10, … 30 steps), `1x10`, `_` (missing), `stale`, space separated. */
  readonly values: string;
}

/** One alert expected at an evaluation time. */
export interface ExpectedAlert {
  /**
   * The labels the expression returns (e.g. `job`, `instance`). The rule's static labels and `severity` are added
   * when the test is compiled, so overriding severity or labels does not break the shipped tests.
   */
  readonly labels?: Readonly<Record<string, string>>;
  /** The alert's `$value`, used to predict annotations that print it. */
  readonly value?: number;
  /**
   * Expected annotation text by rendered key (`summary`, `description`, `runbook_url`…). Annotations not given here
   * are predicted from the rule's templates with `labels` and `value`.
   */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** A unit-test check on an alert: at `evalTime` exactly the `expect`ed alerts fire (none: the alert must not fire). */
export interface AlertCheck {
  readonly evalTime: Duration;
  /** The alert name; it must exist in the pack. */
  readonly alert: string;
  /** Empty: the alert must not be firing at `evalTime` (a not-firing case). */
  readonly expect: readonly ExpectedAlert[];
  /**
   * On a firing check of an alert with `for`: the evaluation at which the alert's condition starts to hold in this
   * test's series (a multiple of the evaluation interval). The compiled test then also checks the pending window:
   * on the last evaluation before `for` has elapsed the alert is pending (`ALERTS{alertstate="pending"}`, active
   * since exactly `activeSince`) and not firing. Without it nothing shows that `for` is honoured.
   */
  readonly activeSince?: Duration;
}

/** One sample a unit test expects an expression to return. */
export interface ExpectedSample {
  /** Series selector of the expected sample, e.g. `job:http_requests:rate5m{job="api"}`. */
  readonly labels: string;
  readonly value: number;
}

/**
 * A unit-test check on an expression (typically a recording rule's series): at `evalTime` it returns exactly the
 * `expect`ed samples.
 */
export interface ExprCheck {
  readonly evalTime: Duration;
  readonly expr: PromqlExpr;
  /** Empty: the expression must return nothing. */
  readonly expect: readonly ExpectedSample[];
}

/** One promtool test group: a set of input series and the checks made against it. */
export interface RuleTest {
  /** A sentence: `the API error rate above 10% pages`. */
  readonly name: string;
  /** Step of the input series; default `1m`. */
  readonly interval?: Duration;
  /**
   * How often promtool evaluates the rules; default `1m`. A test that needs a long history (e.g. `offset 1w`) can
   * evaluate hourly to stay fast; it is compiled into its own file `<pack>-<interval>.test.yml`.
   */
  readonly evaluationInterval?: Duration;
  readonly series: readonly InputSeries[];
  readonly externalLabels?: Readonly<Record<string, string>>;
  readonly alerts?: readonly AlertCheck[];
  readonly exprs?: readonly ExprCheck[];
}

/** A rule pack ("mixin"): rule groups shipped together with their promtool unit tests, rendered as one rule file. */
export interface RulePack {
  /** kebab-case; the rule file is `rules/<name>.yml`, its tests `tests/<name>.test.yml`. */
  readonly name: string;
  readonly groups: readonly RuleGroup[];
  readonly tests: readonly RuleTest[];
}

/** Every alerting rule of the pack, in group order. */
export function packAlerts(pack: RulePack): AlertRule[] {
  return pack.groups.flatMap((g) => g.rules.filter(isAlertRule));
}

/** Every recording rule of the pack, in group order. */
export function packRecordings(pack: RulePack): RecordingRule[] {
  return pack.groups.flatMap((g) => g.rules.filter(isRecordingRule));
}

/** The labels Prometheus attaches to an alert from the rule: the static labels plus `severity`, sorted. */
export function alertStaticLabels(r: AlertRule): Record<string, string> {
  const out: Record<string, string> = { ...(r.labels ?? {}) };
  if (r.severity !== undefined) out.severity = r.severity;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Annotations under their rendered keys: summary, description, runbook_url, dashboard, then extras sorted. */
export function alertAnnotationsRendered(r: AlertRule): Record<string, string> {
  const { summary, description, runbookUrl, dashboard, ...extra } = r.annotations;
  const out: Record<string, string> = {};
  if (summary !== undefined) out.summary = summary;
  if (description !== undefined) out.description = description;
  if (runbookUrl !== undefined) out.runbook_url = runbookUrl;
  if (dashboard !== undefined) out.dashboard = dashboard;
  for (const k of Object.keys(extra).sort()) {
    const v = extra[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}
