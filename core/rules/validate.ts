/**
 * Checks rule groups and packs before anything is rendered or deployed. Each issue names the group, the rule and
 * the field, e.g. `rule group "http" > alert "HttpErrorRateHigh"` / `expr`. Validators never throw: one run reports
 * every problem; `assertValid` turns errors into one exception.
 */
import { formatDuration, parseDuration } from "../duration";
import { isLabelName } from "../labels";
import { applyLevels, type LintOptions } from "../lint";
import { checkPromql, exprText, parsePromql, precheckPromql } from "../promql";
import { selectorsOf } from "../promql-selectors";
import { duplicates, finding, type ValidationIssue } from "../validation";
import { collidingWith, recordingFacts } from "./collisions";
import { type AlertCheck, type AlertRule, isAlertRule, packAlerts, packRecordings, type RecordingRule, type Rule, type RuleGroup, type RulePack, type RuleTest } from "./model";
import { pendingWindow } from "./pending";
import { expectedAnnotations } from "./expect";
import { checkDuration, checkLabels, KEBAB_RE, ruleExprText, validateAlert, validateRecording } from "./validate-rule";

export { ALERT_NAME_RE, checkPortable, EXPERIMENTAL_FUNCTIONS, KEBAB_RE, RECORDING_NAME_RE } from "./validate-rule";

/**
 * How messages name a rule. An alert name defined more than once in its group (the warning/critical pair) is named
 * with its severity too, so each message points at one rule.
 */
export function ruleItem(group: string, r: AlertRule | RecordingRule, variant = false): string {
  if (!isAlertRule(r)) return `rule group "${group}" > recording rule "${r.record}"`;
  return `rule group "${group}" > alert "${r.alert}"${variant ? ` (severity "${r.severity ?? ""}")` : ""}`;
}

/** Alert names that occur more than once in a group. */
export function variantNames(rules: readonly Rule[]): Set<string> {
  return new Set(duplicates(rules.filter(isAlertRule), (r) => r.alert));
}

interface RecordingAt {
  readonly item: string;
  readonly rule: RecordingRule;
}

/** Recording rules that may write the same series (same name and static labels, not provably apart). */
function collisions(recordings: readonly RecordingAt[]): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const byKey = new Map<string, RecordingAt[]>();
  for (const r of recordings) {
    const key = `${r.rule.record}${JSON.stringify(Object.entries(r.rule.labels ?? {}).sort())}`;
    const list = byKey.get(key) ?? [];
    list.push(r);
    byKey.set(key, list);
  }
  for (const list of byKey.values()) {
    if (list.length < 2) continue;
    const hits = collidingWith(list.map((r) => recordingFacts(exprText(r.rule.expr))));
    hits.forEach((i, j) => {
      if (i < 0) return;
      const [a, b] = [list[i]!, list[j]!];
      out.push(finding("rules/recording-collision", b.item, "record", `can write the same series as ${a.item} (same name and labels, and no label the results keep is matched to disjoint values); Prometheus then drops samples of one of them`));
    });
  }
  return out;
}

/** The checks of groups as one rule file holds them, before levels are applied. */
function groupIssues(groups: readonly RuleGroup[], out: ValidationIssue[], recordings: RecordingAt[]): void {
  if (groups.length === 0) out.push(finding("rules/group-empty", "rule file", "groups", "has no rule groups"));
  for (const d of duplicates(groups, (g) => g.name)) out.push(finding("rules/invalid", `rule group "${d}"`, "name", "is used by more than one group of the file"));
  for (const g of groups) {
    const gItem = `rule group "${g.name}"`;
    if (typeof g.name !== "string" || g.name === "") out.push(finding("rules/invalid", gItem, "name", "is required"));
    else if (!KEBAB_RE.test(g.name)) out.push(finding("rules/group-name-kebab-case", gItem, "name", `"${g.name}" should be kebab-case (e.g. http-recording)`));
    checkDuration(out, gItem, "interval", g.interval, true);
    checkDuration(out, gItem, "queryOffset", g.queryOffset);
    if (g.limit !== undefined && !(Number.isInteger(g.limit) && g.limit >= 0)) out.push(finding("rules/invalid", gItem, "limit", `must be a non-negative integer, got ${g.limit}`));
    checkLabels(out, gItem, g.labels, "labels", false);
    if ((g.rules ?? []).length === 0) out.push(finding("rules/group-empty", gItem, "rules", "has no rules"));
    const variants = variantNames(g.rules ?? []);
    for (const r of g.rules ?? []) {
      const isAlert = isAlertRule(r);
      const isRecord = (r as RecordingRule).record !== undefined;
      if (isAlert === isRecord) {
        out.push(finding("rules/invalid", gItem, "rules", isAlert ? "has a rule with both alert and record: a rule is one or the other" : "has a rule that is neither an alert (alert) nor a recording rule (record)"));
        continue;
      }
      const item = ruleItem(g.name, r, isAlert && variants.has(r.alert));
      if (isAlert) validateAlert(out, item, r);
      else {
        validateRecording(out, item, r as RecordingRule);
        recordings.push({ item, rule: r as RecordingRule });
      }
    }
  }
}

/** Checks groups as one rule file would hold them. Every issue carries its lint rule; `opts` sets the levels. */
export function validateRuleGroups(groups: readonly RuleGroup[], opts: LintOptions = {}): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const recordings: RecordingAt[] = [];
  groupIssues(groups, out, recordings);
  out.push(...collisions(recordings));
  return applyLevels(out, "rules/invalid", opts);
}

/**
 * Whether promtool reads the text as one series: a metric name and/or `label="value"` pairs (`up{job="api"}`,
 * `{__name__="up"}`). Its series parser refuses functions, parentheses, `offset`/`@` and any matcher but `=`.
 */
export function isSeriesText(text: string): boolean {
  if (checkPromql(text).errors.length > 0) return false;
  const top = (parsePromql(text) as unknown as { topNode: { firstChild: { name: string } | null } }).topNode.firstChild;
  return top?.name === "VectorSelector" && selectorsOf(text).every((s) => s.matchers.every((m) => m.op === "="));
}

const SERIES_MESSAGE = 'is not a series as promtool reads one: a metric name with label="value" pairs (e.g. up{job="api"})';

const SERIES_VALUES_RE = /^(?:_|stale|[-+]?(?:\d+(?:\.\d+)?(?:e[-+]?\d+)?|Inf|NaN)(?:[-+]\d+(?:\.\d+)?(?:e[-+]?\d+)?)?(?:x\d+)?|_x\d+)$/;

function validateTest(sink: ValidationIssue[], pack: RulePack, t: RuleTest, alerts: ReadonlyMap<string, AlertRule>): void {
  const out: ValidationIssue[] = [];
  const item = `rule pack "${pack.name}" > test "${t.name}"`;
  const bad = (field: string, message: string) => out.push(finding("rules/test-invalid", item, field, message));
  if (t.name.trim() === "") out.push(finding("rules/test-invalid", `rule pack "${pack.name}" > test ""`, "name", "is required"));
  checkDuration(out, item, "interval", t.interval, true);
  checkDuration(out, item, "evaluationInterval", t.evaluationInterval, true);
  if (t.series.length === 0) bad("series", "has no input series");
  t.series.forEach((s, i) => {
    if (!isSeriesText(s.series)) bad(`series[${i}].series`, `"${s.series}" ${SERIES_MESSAGE}`);
    const wrong = s.values.trim().split(/\s+/).filter((v) => !SERIES_VALUES_RE.test(v));
    if (wrong.length > 0 || s.values.trim() === "") bad(`series[${i}].values`, `"${s.values}" is not promtool's expanding notation (e.g. 0+10x30 1x5 _ stale)`);
  });
  (t.alerts ?? []).forEach((a, i) => {
    checkDuration(out, item, `alerts[${i}].evalTime`, a.evalTime);
    const rule = alerts.get(a.alert);
    if (!rule) {
      bad(`alerts[${i}].alert`, `names alert "${a.alert}", which the pack does not define`);
      return;
    }
    if (a.activeSince !== undefined) validatePendingWindow(bad, `alerts[${i}]`, rule, a, t.evaluationInterval ?? "1m");
    a.expect.forEach((e, j) => {
      for (const k of Object.keys(e.labels ?? {})) if (!isLabelName(k)) bad(`alerts[${i}].expect[${j}].labels.${k}`, "is not a valid label name");
      const r = expectedAnnotations(rule, e, t.externalLabels);
      for (const key of r.unpredictable) {
        bad(`alerts[${i}].expect[${j}].annotations.${key}`, `of alert "${a.alert}" cannot be predicted from its template (give value or the expected text)`);
      }
    });
  });
  (t.exprs ?? []).forEach((x, i) => {
    checkDuration(out, item, `exprs[${i}].evalTime`, x.evalTime);
    for (const e of checkPromql(exprText(x.expr)).errors) bad(`exprs[${i}].expr`, e);
    x.expect.forEach((s, j) => {
      if (!isSeriesText(s.labels)) bad(`exprs[${i}].expect[${j}].labels`, `"${s.labels}" ${SERIES_MESSAGE}`);
    });
  });
  for (const i of out) sink.push({ ...i, rule: "rules/test-invalid" });
}

/** A firing check's `activeSince` must describe a pending window the check itself is past. */
function validatePendingWindow(bad: (field: string, message: string) => void, field: string, rule: AlertRule, a: AlertCheck, evaluationInterval: string): void {
  if (a.expect.length === 0) {
    bad(`${field}.activeSince`, `is set on a not-firing check of alert "${a.alert}": give it to a check that expects the alert firing`);
    return;
  }
  const w = pendingWindow(rule, a.activeSince!, evaluationInterval);
  if (typeof w === "string") {
    bad(`${field}.activeSince`, w);
    return;
  }
  const evalAt = parseDuration(a.evalTime);
  if (evalAt !== undefined && evalAt < w.firing) {
    bad(`${field}.evalTime`, `${a.evalTime} is before alert "${a.alert}" can fire: active since ${a.activeSince} with for ${rule.for}, it fires at ${formatDuration(w.firing)} at the earliest`);
  }
}

/**
 * Everything `validateRuleGroups` checks per pack, plus: pack names, group names across packs, alert variants
 * (one name may be defined once per severity: overrides address `name` or `name` + `severity`), recording rules
 * that may collide across packs, the unit tests, and test coverage (every alert needs a firing and a not-firing
 * case, every recording rule an expression test — a convention, so a user's own pack may skip them).
 */
export function validateRulePacks(packs: readonly RulePack[], opts: LintOptions = {}): ValidationIssue[] {
  try {
    precheckPromql(promqlTexts(packs));
  } catch {
    // Malformed packs: the checks below report (or throw) exactly as they would without the precheck.
  }
  const out: ValidationIssue[] = [];
  const recordings: RecordingAt[] = [];
  for (const d of duplicates(packs, (p) => p.name)) out.push(finding("rules/invalid", `rule pack "${d}"`, "name", "is used by more than one pack (each pack is one rule file)"));
  const groupOwner = new Map<string, string>();
  const variantOwner = new Map<string, string>();
  for (const p of packs) {
    const pItem = `rule pack "${p.name}"`;
    if (!KEBAB_RE.test(p.name)) out.push(finding("rules/pack-name-kebab-case", pItem, "name", `"${p.name}" should be kebab-case; it names the file rules/${p.name}.yml`));
    const mine: ValidationIssue[] = [];
    groupIssues(p.groups, mine, recordings);
    out.push(...mine.map((i) => (i.item === "rule file" ? { ...i, item: pItem } : i)));
    for (const g of p.groups) {
      const other = groupOwner.get(g.name);
      if (other !== undefined && other !== p.name) out.push(finding("rules/group-name-unique", `rule group "${g.name}"`, "name", `is also defined by rule pack "${other}"`));
      groupOwner.set(g.name, p.name);
    }
    const alerts = new Map<string, AlertRule>();
    for (const g of p.groups) {
      const variants = variantNames(g.rules ?? []);
      for (const r of (g.rules ?? []).filter(isAlertRule)) {
        const variant = `${r.alert}\u0000${r.severity ?? ""}`;
        const other = variantOwner.get(variant);
        if (other !== undefined) {
          out.push(finding("rules/alert-duplicate", ruleItem(g.name, r, variants.has(r.alert)), "alert", `is defined more than once with severity "${r.severity ?? ""}" (also in ${other}); overrides address alerts by name and severity`));
        }
        variantOwner.set(variant, `rule group "${g.name}" of rule pack "${p.name}"`);
        if (!alerts.has(r.alert)) alerts.set(r.alert, r);
      }
    }
    for (const d of duplicates(p.tests, (t) => t.name)) out.push(finding("rules/test-invalid", `${pItem} > test "${d}"`, "name", "is used by more than one test"));
    for (const t of p.tests) validateTest(out, p, t, alerts);
    out.push(...coverage(p));
  }
  out.push(...collisions(recordings));
  return applyLevels(out, "rules/invalid", opts);
}

/**
 * Every PromQL text the checks below will ask about, so a large set is checked up front (on two threads); the
 * checks then read the results in their own order. Anything odd is left to the checks, which report it.
 */
function* promqlTexts(packs: readonly RulePack[]): Generator<string> {
  const text = (e: unknown): string | undefined => {
    if (typeof e === "string") return e;
    if (typeof e !== "object" || e === null) return undefined;
    try {
      return exprText(e as { toString(): string });
    } catch {
      return undefined;
    }
  };
  for (const p of packs) {
    for (const g of p.groups ?? []) {
      for (const r of g.rules ?? []) {
        const t = text((r as { expr?: unknown }).expr);
        if (t !== undefined && t.trim() !== "") yield t;
      }
    }
    for (const t of p.tests ?? []) {
      for (const s of t.series ?? []) if (typeof s.series === "string") yield s.series;
      for (const x of t.exprs ?? []) {
        const e = text(x.expr);
        if (e !== undefined) yield e;
        for (const s of x.expect ?? []) if (typeof s.labels === "string") yield s.labels;
      }
    }
  }
}

function coverage(p: RulePack): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const checks = p.tests.flatMap((t) => t.alerts ?? []);
  const seen = new Set<string>();
  for (const a of packAlerts(p)) {
    // An alert defined twice (a warning/critical pair) shares its test cases: one finding per name.
    if (seen.has(a.alert)) continue;
    seen.add(a.alert);
    const mine = checks.filter((c) => c.alert === a.alert);
    if (!mine.some((c) => c.expect.length > 0)) out.push(finding("rules/tests-missing", `rule pack "${p.name}" > alert "${a.alert}"`, "tests", "has no firing test case"));
    // An always-firing heartbeat (Watchdog: `vector(1)`) has no not-firing case by design.
    const alwaysFiring = ruleExprText(a.expr).replace(/\s+/g, "") === "vector(1)";
    if (!alwaysFiring && !mine.some((c) => c.expect.length === 0)) out.push(finding("rules/tests-missing", `rule pack "${p.name}" > alert "${a.alert}"`, "tests", "has no not-firing test case"));
    if ((parseDuration(a.for ?? "0s") ?? 0) > 0 && !mine.some((c) => c.expect.length > 0 && c.activeSince !== undefined)) {
      out.push(finding("rules/tests-missing", `rule pack "${p.name}" > alert "${a.alert}"`, "tests", `has for: ${a.for} but no pending-window test case (set activeSince on a firing check)`));
    }
  }
  const exprs = p.tests.flatMap((t) => t.exprs ?? []).map((x) => ruleExprText(x.expr));
  for (const r of packRecordings(p)) {
    if (!exprs.some((x) => new RegExp(`(^|[^a-zA-Z0-9_:])${r.record.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[^a-zA-Z0-9_:])`).test(x))) {
      out.push(finding("rules/tests-missing", `rule pack "${p.name}" > recording rule "${r.record}"`, "tests", "has no expression test"));
    }
  }
  return out;
}
