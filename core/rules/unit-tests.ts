/**
 * Compiles the unit tests written next to each pack into promtool's test-file format. Expected labels get the
 * rule's static labels and severity added, and expected annotations are predicted from the rule's templates, so a
 * test states only what the expression returns and still checks every label and annotation promtool sees.
 */
import { ARTIFACT_PATHS } from "../conventions";
import type { RenderedFile } from "../files";
import { exprText } from "../promql";
import { assertValid } from "../validation";
import { compact, sortedRecord, toYaml } from "../yaml";
import { formatDuration } from "../duration";
import { type AlertCheck, type AlertRule, alertStaticLabels, type ExpectedAlert, packAlerts, type RulePack, type RuleTest } from "./model";
import { pendingWindow } from "./pending";
import { expectedAnnotations } from "./expect";
import { renderTemplate } from "./template";
import { validateRulePacks } from "./validate";

function expectedLabels(rule: AlertRule, e: ExpectedAlert, externalLabels?: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = { ...(e.labels ?? {}) };
  for (const [k, v] of Object.entries(alertStaticLabels(rule))) {
    out[k] = renderTemplate(v, { labels: e.labels ?? {}, externalLabels: externalLabels ?? {}, value: e.value }) ?? v;
  }
  return sortedRecord(out) ?? {};
}

/** `name{a="x", b="y"}` with the labels in order, values quoted for PromQL. */
function seriesText(name: string, labels: Readonly<Record<string, string>>): string {
  return `${name}{${Object.keys(labels).sort().map((k) => `${k}=${JSON.stringify(labels[k])}`).join(", ")}}`;
}

/**
 * The checks of the pending window a firing check with `activeSince` describes: on the last evaluation before
 * `for` has elapsed the alert is not firing, it is pending (ALERTS), and it has been active since exactly
 * `activeSince` (ALERTS_FOR_STATE holds the active-since time in seconds), so the window is the full `for`.
 */
function pendingChecks(rule: AlertRule, a: AlertCheck, t: RuleTest): { alert: Record<string, unknown>; exprs: Record<string, unknown>[] } | undefined {
  if (a.activeSince === undefined || a.expect.length === 0) return undefined;
  const w = pendingWindow(rule, a.activeSince, t.evaluationInterval ?? "1m");
  if (typeof w === "string") throw new Error(`test "${t.name}" > alert "${a.alert}": activeSince ${w}`);
  const at = formatDuration(w.lastPending);
  const labels = a.expect.map((e) => ({ alertname: rule.alert, ...expectedLabels(rule, e, t.externalLabels) }));
  return {
    alert: { eval_time: at, alertname: rule.alert },
    exprs: [
      { expr: seriesText("ALERTS", { alertname: rule.alert, alertstate: "pending" }), eval_time: at, exp_samples: labels.map((l) => ({ labels: seriesText("ALERTS", { ...l, alertstate: "pending" }), value: 1 })) },
      { expr: seriesText("ALERTS_FOR_STATE", { alertname: rule.alert }), eval_time: at, exp_samples: labels.map((l) => ({ labels: seriesText("ALERTS_FOR_STATE", l), value: w.since / 1000 })) },
    ],
  };
}

function compileTest(t: RuleTest, alerts: ReadonlyMap<string, AlertRule>): Record<string, unknown> {
  const checks = (t.alerts ?? []).map((a) => {
    const rule = alerts.get(a.alert);
    if (!rule) throw new Error(`test "${t.name}" names alert "${a.alert}", which the pack does not define`);
    return { rule, a, pending: pendingChecks(rule, a, t) };
  });
  return compact({
    name: t.name,
    interval: t.interval ?? "1m",
    external_labels: sortedRecord(t.externalLabels),
    input_series: t.series.map((s) => ({ series: s.series, values: s.values })),
    alert_rule_test: checks.flatMap(({ rule, a, pending }) => [
      compact({
        eval_time: a.evalTime,
        alertname: a.alert,
        exp_alerts: a.expect.map((e) => ({
          exp_labels: expectedLabels(rule, e, t.externalLabels),
          exp_annotations: expectedAnnotations(rule, e, t.externalLabels).annotations,
        })),
      }),
      ...(pending ? [pending.alert] : []),
    ]),
    promql_expr_test: [
      ...(t.exprs ?? []).map((x) =>
        compact({
          expr: exprText(x.expr),
          eval_time: x.evalTime,
          exp_samples: x.expect.map((s) => ({ labels: s.labels, value: s.value })),
        }),
      ),
      ...checks.flatMap(({ pending }) => pending?.exprs ?? []),
    ],
  });
}

/**
 * promtool test-file text for one pack's tests that share an evaluation interval (default: the `1m` ones);
 * `rule_files` points at `<rulesDirFromTests>/<pack>.yml`.
 */
export function renderRuleTestFile(pack: RulePack, rulesDirFromTests = "../rules", evaluationInterval = "1m"): string {
  const alerts = new Map(packAlerts(pack).map((a) => [a.alert, a] as const));
  return toYaml({
    rule_files: [`${rulesDirFromTests}/${pack.name}.yml`],
    evaluation_interval: evaluationInterval,
    // promtool otherwise evaluates groups in Go map order: a recording group must run before the alerts reading it.
    group_eval_order: pack.groups.map((g) => g.name),
    tests: pack.tests.filter((t) => (t.evaluationInterval ?? "1m") === evaluationInterval).map((t) => compileTest(t, alerts)),
  });
}

/** Options of `renderRuleTestFiles`: where the rule files are, seen from the test files. */
export interface RuleTestFileOptions {
  /** Path of the rules folder seen from the tests folder. @default "../rules" */
  readonly rulesDirFromTests?: string;
}

/**
 * `prometheus/tests/<pack>.test.yml` for every pack that has tests (plus `<pack>-<interval>.test.yml` for tests
 * with their own evaluation interval), so `promtool test rules *.test.yml` works from
 * `out/<stack>/prometheus/tests/`. Validates the packs first and throws a ValidationError on any error.
 */
export function renderRuleTestFiles(packs: readonly RulePack[], opts: RuleTestFileOptions = {}): RenderedFile[] {
  assertValid("rule packs", validateRulePacks(packs));
  return renderValidatedRuleTestFiles(packs, opts);
}

/**
 * `renderRuleTestFiles` of packs the caller has validated already (see ./validated.ts); not part of the package's
 * API.
 */
export function renderValidatedRuleTestFiles(packs: readonly RulePack[], opts: RuleTestFileOptions = {}): RenderedFile[] {
  return packs.flatMap((p) => {
    const intervals = [...new Set(p.tests.map((t) => t.evaluationInterval ?? "1m"))].sort((a, b) => (a === "1m" ? -1 : b === "1m" ? 1 : a < b ? -1 : 1));
    return intervals.map((iv) => ({
      path: `${ARTIFACT_PATHS.prometheusTestsDir}/${p.name}${iv === "1m" ? "" : `-${iv}`}.test.yml`,
      content: renderRuleTestFile(p, opts.rulesDirFromTests, iv),
    }));
  });
}
