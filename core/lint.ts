/**
 * Lint rules and their levels, eslint-style: every finding of a validator carries a rule id, and the id decides
 * whether it is an error, a warning or nothing. Three kinds of rules:
 * - `invalid`: the target program refuses the content (Prometheus does not load the rule file, a query fails every
 *   time it runs, Alertmanager refuses its config). Always an error; not configurable — lowering it would only move
 *   the failure to deploy time.
 * - `stack`: the programs accept the content, but a deployed stack provably misbehaves (a dashboard reads a recording
 *   rule nobody defines, a severity reaches no receiver, a credential sits in a file in clear). An error for stacks,
 *   a warning for `moncode lint` / `moncode import` (which must never refuse what the programs accept); per rule
 *   configurable.
 * - `convention`: the house style of the shipped content (names, annotations, dashboard variables). A warning by
 *   default; per rule configurable, so a project can hold its own content to it (`error`) or drop a rule (`off`).
 */
import type { ValidationIssue } from "./validation";

/** What a lint finding becomes: an error (refuses the content), a warning, or nothing. */
export type LintLevel = "error" | "warn" | "off";
/**
 * A lint rule's kind: `invalid` (the program refuses the content), `stack` (the stack would misbehave) or `convention`
 * (house style).
 */
export type LintKind = "invalid" | "stack" | "convention";
/** `stack`: components and synth (default); `lint`: `moncode lint` / `moncode import` on content from elsewhere. */
export type LintProfile = "stack" | "lint";

/** What a lint rule is: its kind and a one-sentence summary. */
export interface LintRuleInfo {
  readonly kind: LintKind;
  /** One sentence for the README table and `moncode lint --rules`. */
  readonly summary: string;
}

const invalid = (summary: string): LintRuleInfo => ({ kind: "invalid", summary });
const stack = (summary: string): LintRuleInfo => ({ kind: "stack", summary });
const convention = (summary: string): LintRuleInfo => ({ kind: "convention", summary });

/** Every lint rule by id, with its kind and summary; the ids findings carry and `levels` configure. */
export const LINT_RULES = {
  "promql/invalid": invalid("an expression does not parse or type-check (Prometheus refuses the rule; a panel query fails every time)"),
  "promql/regex-invalid": invalid("a regular expression in a selector is not valid RE2"),
  "promql/function-unavailable": invalid("an experimental or removed PromQL function the deployed Prometheus does not run"),

  "rules/invalid": invalid("a rule file Prometheus refuses: bad duration, label or annotation name, template, group field, record name"),
  "rules/expr-not-instant": invalid("a rule expression evaluates to a range vector or string: the rule fails at every evaluation"),
  "rules/label-reserved": invalid("a typed rule sets `severity` or `alertname` in labels instead of its own field"),
  "rules/test-invalid": invalid("a pack's promtool unit test is malformed (promtool test rules would fail)"),
  "rules/override-invalid": invalid("an alert override names no alert, or overrides what the alert does not have"),
  "rules/recording-collision": stack("two recording rules of one name can write the same series (evaluation conflicts at run time)"),
  "rules/alert-name-pascal-case": convention("alert names are PascalCase, subject first (`HttpErrorRateHigh`)"),
  "rules/group-name-kebab-case": convention("rule group names are kebab-case (`http-recording`)"),
  "rules/group-empty": convention("a rule file has groups and every group has rules (Prometheus accepts empty ones)"),
  "rules/group-name-unique": convention("a rule group name is used by one pack only"),
  "rules/pack-name-kebab-case": convention("rule pack names are kebab-case (they name the rule file)"),
  "rules/record-name-shape": convention("recording rule names are `level:metric:operations`"),
  "rules/severity-missing": convention("every alert has a severity"),
  "rules/severity-unknown": convention("severities are critical, warning or info"),
  "rules/annotations-summary-description": convention("every alert has a summary and a description annotation"),
  "rules/annotation-message-legacy": convention("the legacy `message` annotation is replaced by summary/description"),
  "rules/annotation-url": convention("runbook_url and dashboard annotations are http(s) URLs or absolute paths"),
  "rules/alert-duplicate": convention("one alert name is defined once per severity (overrides address name + severity)"),
  "rules/tests-missing": convention("every alert has a firing and a not-firing unit test, every recording rule an expression test"),

  "alertmanager/invalid": invalid("a config Alertmanager refuses: unknown receiver or interval, bad matcher, duration, field"),
  "alertmanager/routing-test-failed": stack("a routing test of the stack does not hold"),
  "alertmanager/severity-unroutable": stack("in prod, a severity the rules use reaches only the root route's receiver"),
  "alertmanager/secret-inline": stack("a credential is written in clear into alertmanager.yml instead of a secret file"),
  "alertmanager/smtp-password-without-username": stack("an SMTP password without a username: Alertmanager accepts it and sends without authenticating (the password is never used)"),
  "alertmanager/regex-unsupported": stack("a matcher regex is valid RE2 but cannot be evaluated here, so routing tests cannot cover it"),
  "alertmanager/heartbeat-route": stack("a heartbeat route (`heartbeat: true`, re-sent every few minutes) selects only its heartbeat alert and has no child routes"),
  "alertmanager/group-by-root": convention("the root route groups alerts (group_by)"),
  "alertmanager/interval-short": convention("group_interval ≥ 1m and repeat_interval ≥ 1h (30m for critical-only routes): alert-storm guard"),
  "alertmanager/inhibit-matchers": convention("inhibit rules have source and target matchers"),
  "alertmanager/route-unreachable": convention("no route follows a catch-all sibling"),
  "alertmanager/receiver-unused": convention("every receiver is used by a route"),
  "alertmanager/time-interval-location": convention("time intervals name their time zone"),
  "alertmanager/time-interval-unused": convention("every time interval is used by a route"),
  "alertmanager/dev-pages": convention("a dev stack pages nobody"),
  "alertmanager/heartbeat-unwatched": convention("in prod, the always-firing heartbeat (Watchdog) reaches a dead man's switch, not a receiver without integrations"),

  "labels/value-multiline": convention("label values are one line (a line break splits notifications, matchers and legends)"),

  "prometheus/invalid": invalid("a prometheus.yml Prometheus refuses: bad duration, label name, relabel config, URL, field"),
  "prometheus/secret-inline": stack("a scrape or remote-write credential is written in clear into prometheus.yml instead of a secret file"),
  "prometheus/job-no-targets": convention("every scrape job has targets or service discovery"),
  "prometheus/target-address": convention("static targets are host:port"),

  "logql/invalid": invalid("a log rule Loki's ruler refuses: LogQL that does not parse, a regex RE2 does not compile, a stream selector without a non-empty matcher, an alert or record on a log query, a bad label name"),
  "loki/invalid": invalid("a Loki config Loki 3 refuses: unknown or removed key, wrong type, schema/index/retention rules its validation enforces"),
  "otelcol/invalid": invalid("a collector config the OpenTelemetry Collector refuses: a pipeline naming an undefined receiver, processor, exporter or connector, a component of a type the build lacks"),
  "otelcol/component-deprecated": convention("a collector component is named by a deprecated alias (`otlphttp`, `filelog`, `spanmetrics`) the collector will drop"),
  "jaeger/invalid": invalid("a Jaeger v2 config Jaeger refuses: a storage backend, pipeline or extension naming what is not defined"),

  "dashboard/invalid": invalid("a dashboard Grafana refuses or loses: not an object, bad or duplicate uid"),
  "dashboard/promql-invalid": invalid("a panel's PromQL does not parse, type-check, or evaluates to a range vector"),
  "dashboard/logql-invalid": invalid("a panel's LogQL does not parse, or has a regex RE2 does not compile"),
  "dashboard/template-query-invalid": invalid("a template variable's PromQL does not parse"),
  "dashboard/recording-rule-undefined": stack("a panel reads a recording rule the rule files do not define"),
  "dashboard/datasource-unknown": stack("a panel refers to a datasource the stack does not provision"),
  "dashboard/datasource-variable": convention("panels and variables reach Prometheus through the `${datasource}` variable"),
  "dashboard/template-datasource": convention("a dashboard has a Prometheus datasource variable named `datasource`"),
  "dashboard/template-job": convention("a dashboard has a multi-value `job` query variable with All"),
  "dashboard/template-instance": convention("a dashboard has a multi-value `instance` query variable with All"),
  "dashboard/template-query-shape": convention("variable queries are label_values(...), label_names() or query_result(...)"),
  "dashboard/template-refresh": convention("query variables refresh on time range change"),
  "dashboard/unit-missing": convention("value panels set a unit"),
  "dashboard/unit-unknown": convention("units are Grafana unit ids or custom units (`suffix:`, `si:`…)"),
  "dashboard/panel-title": convention("panels have a title"),
  "dashboard/panel-description": convention("panels have a description"),
  "dashboard/panel-no-targets": convention("query panels have queries"),
  "dashboard/panel-id": convention("panels have unique ids"),
  "dashboard/grid": convention("panels fit the 24-column grid without overlapping"),
  "dashboard/rate-interval": convention("rate()/irate()/increase() use [$__rate_interval]"),
  "dashboard/job-instance-filter": convention("selectors filter by the job and instance variables"),
  "dashboard/counter-raw": convention("counters are read through rate()/increase()"),
  "dashboard/metric-unknown": convention("metrics come from an exporter or job the stack runs"),
  "dashboard/conventions": convention("tags, default time range, refresh ≥ 10s, no fixed id, kebab-case folder, title set"),
} as const satisfies Record<string, LintRuleInfo>;

/** The id of a lint rule, e.g. `rules/alert-name-pascal-case`. */
export type LintRuleId = keyof typeof LINT_RULES;
/** Every lint rule id, in `LINT_RULES` order. */
export const LINT_RULE_IDS = Object.keys(LINT_RULES) as LintRuleId[];
/** The ids a project may set a level for: every rule but the `invalid` ones. */
export const CONFIGURABLE_RULE_IDS = LINT_RULE_IDS.filter((id) => LINT_RULES[id].kind !== "invalid");
/** The id of a lint rule a project may set a level for: any but the `invalid` ones. */
export type ConfigurableRuleId = { [K in LintRuleId]: (typeof LINT_RULES)[K]["kind"] extends "invalid" ? never : K }[LintRuleId];

/** Per-rule levels, e.g. `{ "rules/tests-missing": "error", "dashboard/panel-description": "off" }`. */
export type LintLevels = Readonly<Partial<Record<ConfigurableRuleId, LintLevel>>>;

/**
 * How validators level their findings: per-rule levels and the profile (`stack` for components and synth, `lint` for
 * content from elsewhere).
 */
export interface LintOptions {
  /** Per-rule levels; rules not listed keep their default. */
  readonly levels?: LintLevels;
  /** @default "stack" */
  readonly profile?: LintProfile;
}

/** Whether `id` names a lint rule, e.g. an id read from a project's config. */
export function isLintRuleId(id: string): id is LintRuleId {
  return Object.prototype.hasOwnProperty.call(LINT_RULES, id);
}

/** The level of a rule under the options: `invalid` rules are always errors. */
export function levelOf(rule: LintRuleId, opts: LintOptions = {}): LintLevel {
  const info = LINT_RULES[rule];
  if (info.kind === "invalid") return "error";
  const set = opts.levels?.[rule as ConfigurableRuleId];
  if (set !== undefined) return set;
  if (info.kind === "stack") return (opts.profile ?? "stack") === "stack" ? "error" : "warn";
  return "warn";
}

/**
 * Gives every issue its rule (`fallback` for those a validator raised without one) and the level the options say:
 * `off` drops it, `warn` makes it a warning, `error` an error.
 */
export function applyLevels(issues: readonly ValidationIssue[], fallback: LintRuleId, opts: LintOptions = {}): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const i of issues) {
    const rule = i.rule !== undefined && isLintRuleId(i.rule) ? i.rule : fallback;
    const level = levelOf(rule, opts);
    if (level === "off") continue;
    const severity = level === "error" ? "error" : "warning";
    out.push(i.rule === rule && i.severity === severity ? i : { ...i, rule, severity });
  }
  return out;
}

/** Problems with a levels object given in code (the stack config's schema checks its own): unknown or fixed rules. */
export function checkLintLevels(levels: Readonly<Record<string, string>>): string[] {
  const out: string[] = [];
  for (const [id, level] of Object.entries(levels)) {
    if (!isLintRuleId(id)) out.push(`"${id}" is not a lint rule`);
    else if (LINT_RULES[id].kind === "invalid") out.push(`"${id}" cannot be changed: the program refuses such content`);
    else if (level !== "error" && level !== "warn" && level !== "off") out.push(`"${id}": level must be error, warn or off, got "${level}"`);
  }
  return out;
}

/** Every configurable rule at one level, e.g. to hold content to the whole house style. */
export function allRulesAt(level: LintLevel): LintLevels {
  return Object.fromEntries(CONFIGURABLE_RULE_IDS.map((id) => [id, level])) as LintLevels;
}
