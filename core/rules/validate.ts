/**
 * Checks rule groups and packs before anything is rendered or deployed. Each issue names the group, the rule and
 * the field, e.g. `rule group "http" > alert "HttpErrorRateHigh"` / `expr`. Validators never throw: one run reports
 * every problem; `assertValid` turns errors into one exception.
 */
import { formatDuration, parseDuration } from "../duration";
import { isLabelName, isMetricName } from "../labels";
import { checkInstantExpr, checkPromql, exprText, precheckPromql } from "../promql";
import { isSeverity } from "../severity";
import { duplicates, issue, type ValidationIssue } from "../validation";
import { type AlertCheck, type AlertRule, isAlertRule, packAlerts, packRecordings, type RecordingRule, type RuleGroup, type RulePack, type RuleTest } from "./model";
import { pendingWindow } from "./pending";
import { checkTemplate } from "./template";
import { expectedAnnotations } from "./expect";

export const ALERT_NAME_RE = /^[A-Z][a-zA-Z0-9]*$/;
/** `level:metric:operations`: at least three colon-separated parts, each a valid name part. */
export const RECORDING_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]*(:[a-zA-Z_][a-zA-Z0-9_]*){2,}$/;
export const KEBAB_RE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const URL_RE = /^https?:\/\/\S+$|^\/\S*$/;
/** Labels Prometheus or this library set itself. */
const RESERVED_LABELS = new Set(["alertname", "severity"]);

/**
 * Functions Prometheus 3.16 (the pinned release) parses only with `--enable-feature=promql-experimental-functions`,
 * which the stack does not set: a rule using one fails to load. From Prometheus's own function table
 * (`promql/parser/functions.go`, `Experimental: true`). `holt_winters` was removed in 3.0.
 */
export const EXPERIMENTAL_FUNCTIONS: ReadonlySet<string> = new Set([
  "double_exponential_smoothing", "end", "histogram_quantiles", "info", "integral", "mad_over_time", "max_of", "min_of",
  "range", "sort_by_label", "sort_by_label_desc", "start", "start_timestamp", "step", "ts_of_first_over_time",
  "ts_of_last_over_time", "ts_of_max_over_time", "ts_of_min_over_time",
]);

/** Functions the deployed Prometheus will not run: removed, or experimental and not enabled; named with the fix. */
export function checkPortable(expr: string): string[] {
  const code = expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""');
  const out: string[] = [];
  for (const m of code.matchAll(/\b([a-z_][a-z0-9_]*)\s*\(/g)) {
    const fn = m[1]!;
    if (fn === "holt_winters") out.push(`uses "holt_winters", which Prometheus 3 removed; use predict_linear or deriv`);
    else if (EXPERIMENTAL_FUNCTIONS.has(fn)) {
      out.push(`uses "${fn}", an experimental PromQL function: the stack's Prometheus does not enable promql-experimental-functions, so the rule would not load`);
    }
  }
  return out;
}

function checkDuration(out: ValidationIssue[], item: string, field: string, value: string | undefined, positive = false): void {
  if (value === undefined) return;
  const ms = parseDuration(value);
  if (ms === undefined) out.push(issue(item, field, `"${value}" is not a Prometheus duration (e.g. 30s, 5m, 1h30m)`));
  else if (positive && ms === 0) out.push(issue(item, field, `must be longer than 0s`));
}

function checkLabels(out: ValidationIssue[], item: string, labels: Readonly<Record<string, string>> | undefined): void {
  for (const [k, v] of Object.entries(labels ?? {})) {
    if (RESERVED_LABELS.has(k)) out.push(issue(item, `labels.${k}`, `is reserved; ${k === "severity" ? "set the severity field" : "Prometheus sets it"}`));
    else if (!isLabelName(k)) out.push(issue(item, `labels.${k}`, `is not a valid Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*, no leading __)`));
    if (typeof v !== "string") out.push(issue(item, `labels.${k}`, `must be a string, got ${typeof v}`));
    else for (const e of checkTemplate(v)) out.push(issue(item, `labels.${k}`, `template ${e}`));
  }
}

function checkExpr(out: ValidationIssue[], item: string, expr: unknown, alert: boolean): void {
  const text = typeof expr === "string" || (typeof expr === "object" && expr !== null) ? exprText(expr as string) : "";
  if (text.trim() === "") {
    out.push(issue(item, "expr", "is empty"));
    return;
  }
  for (const e of checkInstantExpr(text, { allowScalar: !alert })) out.push(issue(item, "expr", e));
  for (const e of checkPortable(text)) out.push(issue(item, "expr", e));
}

function validateAlert(out: ValidationIssue[], item: string, r: AlertRule): void {
  if (!ALERT_NAME_RE.test(r.alert)) out.push(issue(item, "alert", `"${r.alert}" must be PascalCase, subject first (e.g. HttpErrorRateHigh)`));
  checkExpr(out, item, r.expr, true);
  checkDuration(out, item, "for", r.for);
  checkDuration(out, item, "keepFiringFor", r.keepFiringFor);
  if (!isSeverity(String(r.severity))) out.push(issue(item, "severity", `"${String(r.severity)}" is not one of critical, warning, info`));
  checkLabels(out, item, r.labels);
  const ann = (r.annotations ?? {}) as Record<string, unknown>;
  for (const required of ["summary", "description"]) {
    const v = ann[required];
    if (typeof v !== "string" || v.trim() === "") out.push(issue(item, `annotations.${required}`, "is required"));
  }
  for (const [k, v] of Object.entries(ann)) {
    if (v === undefined) continue;
    if (typeof v !== "string") {
      out.push(issue(item, `annotations.${k}`, `must be a string, got ${typeof v}`));
      continue;
    }
    if (k !== "runbookUrl" && !isLabelName(k)) out.push(issue(item, `annotations.${k}`, "is not a valid annotation name"));
    for (const e of checkTemplate(v)) out.push(issue(item, `annotations.${k}`, `template ${e}`));
    if ((k === "runbookUrl" || k === "dashboard") && !v.includes("{{") && !URL_RE.test(v)) {
      out.push(issue(item, `annotations.${k}`, `"${v}" is not an http(s) URL or absolute path`));
    }
  }
}

function validateRecording(out: ValidationIssue[], item: string, r: RecordingRule): void {
  if (!isMetricName(r.record) || !RECORDING_NAME_RE.test(r.record)) {
    out.push(issue(item, "record", `"${r.record}" must be a metric name shaped level:metric:operations (e.g. job:http_requests:rate5m)`));
  }
  checkExpr(out, item, r.expr, false);
  checkLabels(out, item, r.labels);
}

export function ruleItem(group: string, r: AlertRule | RecordingRule): string {
  return isAlertRule(r) ? `rule group "${group}" > alert "${r.alert}"` : `rule group "${group}" > recording rule "${r.record}"`;
}

/** Checks groups as one rule file would hold them. */
export function validateRuleGroups(groups: readonly RuleGroup[]): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  if (groups.length === 0) out.push(issue("rule file", "groups", "has no rule groups"));
  for (const d of duplicates(groups, (g) => g.name)) out.push(issue(`rule group "${d}"`, "name", "is used by more than one group"));
  const recordKeys: string[] = [];
  for (const g of groups) {
    const gItem = `rule group "${g.name}"`;
    if (!KEBAB_RE.test(g.name)) out.push(issue(gItem, "name", `"${g.name}" must be kebab-case (e.g. http-recording)`));
    checkDuration(out, gItem, "interval", g.interval, true);
    if (g.limit !== undefined && !(Number.isInteger(g.limit) && g.limit >= 0)) out.push(issue(gItem, "limit", `must be a non-negative integer, got ${g.limit}`));
    if (g.rules.length === 0) out.push(issue(gItem, "rules", "has no rules"));
    for (const r of g.rules) {
      const isAlert = isAlertRule(r);
      const isRecord = (r as RecordingRule).record !== undefined;
      if (isAlert === isRecord) {
        out.push(issue(gItem, "rules", "has a rule that is neither an alert (alert) nor a recording rule (record)"));
        continue;
      }
      if (isAlert) validateAlert(out, ruleItem(g.name, r), r);
      else {
        const rec = r as RecordingRule;
        validateRecording(out, ruleItem(g.name, rec), rec);
        recordKeys.push(`${rec.record}${JSON.stringify(Object.entries(rec.labels ?? {}).sort())}`);
      }
    }
  }
  for (const d of duplicates(recordKeys, (k) => k)) {
    out.push(issue(`recording rule "${d.slice(0, d.indexOf("["))}"`, "record", "is defined more than once with the same labels"));
  }
  return out;
}

const SERIES_VALUES_RE = /^(?:_|stale|[-+]?(?:\d+(?:\.\d+)?(?:e[-+]?\d+)?|Inf|NaN)(?:[-+]\d+(?:\.\d+)?(?:e[-+]?\d+)?)?(?:x\d+)?|_x\d+)$/;

function validateTest(out: ValidationIssue[], pack: RulePack, t: RuleTest, alerts: ReadonlyMap<string, AlertRule>): void {
  const item = `rule pack "${pack.name}" > test "${t.name}"`;
  if (t.name.trim() === "") out.push(issue(`rule pack "${pack.name}" > test ""`, "name", "is required"));
  checkDuration(out, item, "interval", t.interval, true);
  checkDuration(out, item, "evaluationInterval", t.evaluationInterval, true);
  if (t.series.length === 0) out.push(issue(item, "series", "has no input series"));
  t.series.forEach((s, i) => {
    const c = checkPromql(s.series);
    if (c.errors.length > 0 || c.type !== "vector") out.push(issue(item, `series[${i}].series`, `"${s.series}" is not a series selector`));
    const bad = s.values.trim().split(/\s+/).filter((v) => !SERIES_VALUES_RE.test(v));
    if (bad.length > 0 || s.values.trim() === "") out.push(issue(item, `series[${i}].values`, `"${s.values}" is not promtool's expanding notation (e.g. 0+10x30 1x5 _ stale)`));
  });
  (t.alerts ?? []).forEach((a, i) => {
    checkDuration(out, item, `alerts[${i}].evalTime`, a.evalTime);
    const rule = alerts.get(a.alert);
    if (!rule) {
      out.push(issue(item, `alerts[${i}].alert`, `names alert "${a.alert}", which the pack does not define`));
      return;
    }
    if (a.activeSince !== undefined) validatePendingWindow(out, item, `alerts[${i}]`, rule, a, t.evaluationInterval ?? "1m");
    a.expect.forEach((e, j) => {
      for (const k of Object.keys(e.labels ?? {})) if (!isLabelName(k)) out.push(issue(item, `alerts[${i}].expect[${j}].labels.${k}`, "is not a valid label name"));
      const r = expectedAnnotations(rule, e, t.externalLabels);
      for (const key of r.unpredictable) {
        out.push(issue(item, `alerts[${i}].expect[${j}].annotations.${key}`, `of alert "${a.alert}" cannot be predicted from its template (give value or the expected text)`));
      }
    });
  });
  (t.exprs ?? []).forEach((x, i) => {
    checkDuration(out, item, `exprs[${i}].evalTime`, x.evalTime);
    for (const e of checkPromql(exprText(x.expr)).errors) out.push(issue(item, `exprs[${i}].expr`, e));
    x.expect.forEach((s, j) => {
      const c = checkPromql(s.labels);
      if (c.errors.length > 0 || c.type !== "vector") out.push(issue(item, `exprs[${i}].expect[${j}].labels`, `"${s.labels}" is not a series selector`));
    });
  });
}

/** A firing check's `activeSince` must describe a pending window the check itself is past. */
function validatePendingWindow(out: ValidationIssue[], item: string, field: string, rule: AlertRule, a: AlertCheck, evaluationInterval: string): void {
  if (a.expect.length === 0) {
    out.push(issue(item, `${field}.activeSince`, `is set on a not-firing check of alert "${a.alert}": give it to a check that expects the alert firing`));
    return;
  }
  const w = pendingWindow(rule, a.activeSince!, evaluationInterval);
  if (typeof w === "string") {
    out.push(issue(item, `${field}.activeSince`, w));
    return;
  }
  const evalAt = parseDuration(a.evalTime);
  if (evalAt !== undefined && evalAt < w.firing) {
    out.push(issue(item, `${field}.evalTime`, `${a.evalTime} is before alert "${a.alert}" can fire: active since ${a.activeSince} with for ${rule.for}, it fires at ${formatDuration(w.firing)} at the earliest`));
  }
}

/**
 * Everything `validateRuleGroups` checks per pack, plus: pack names, group and alert names unique across packs
 * (overrides address alerts by name), the unit tests, and test coverage (every alert needs a firing and a
 * not-firing case, every recording rule an expression test — warnings, so a user's own pack may skip them).
 */
export function validateRulePacks(packs: readonly RulePack[]): ValidationIssue[] {
  try {
    precheckPromql(promqlTexts(packs));
  } catch {
    // Malformed packs: the checks below report (or throw) exactly as they would without the precheck.
  }
  const out: ValidationIssue[] = [];
  for (const d of duplicates(packs, (p) => p.name)) out.push(issue(`rule pack "${d}"`, "name", "is used by more than one pack"));
  const groupOwner = new Map<string, string>();
  const alertOwner = new Map<string, string>();
  for (const p of packs) {
    const pItem = `rule pack "${p.name}"`;
    if (!KEBAB_RE.test(p.name)) out.push(issue(pItem, "name", `"${p.name}" must be kebab-case; it names the file rules/${p.name}.yml`));
    out.push(...validateRuleGroups(p.groups).map((i) => (i.item === "rule file" ? { ...i, item: pItem } : i)));
    for (const g of p.groups) {
      const other = groupOwner.get(g.name);
      if (other !== undefined && other !== p.name) out.push(issue(`rule group "${g.name}"`, "name", `is also defined by rule pack "${other}"`));
      groupOwner.set(g.name, p.name);
    }
    const alerts = new Map<string, AlertRule>();
    for (const g of p.groups) {
      for (const r of g.rules.filter(isAlertRule)) {
        const other = alertOwner.get(r.alert);
        if (other !== undefined) out.push(issue(ruleItem(g.name, r), "alert", `is defined more than once (also in rule pack "${other}"); overrides address alerts by name`));
        alertOwner.set(r.alert, p.name);
        alerts.set(r.alert, r);
      }
    }
    for (const d of duplicates(p.tests, (t) => t.name)) out.push(issue(`${pItem} > test "${d}"`, "name", "is used by more than one test"));
    for (const t of p.tests) validateTest(out, p, t, alerts);
    out.push(...coverage(p));
  }
  return out;
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
  for (const a of packAlerts(p)) {
    const mine = checks.filter((c) => c.alert === a.alert);
    if (!mine.some((c) => c.expect.length > 0)) out.push(issue(`rule pack "${p.name}" > alert "${a.alert}"`, "tests", "has no firing test case", "warning"));
    // An always-firing heartbeat (Watchdog: `vector(1)`) has no not-firing case by design.
    const alwaysFiring = exprText(a.expr).replace(/\s+/g, "") === "vector(1)";
    if (!alwaysFiring && !mine.some((c) => c.expect.length === 0)) out.push(issue(`rule pack "${p.name}" > alert "${a.alert}"`, "tests", "has no not-firing test case", "warning"));
    if ((parseDuration(a.for ?? "0s") ?? 0) > 0 && !mine.some((c) => c.expect.length > 0 && c.activeSince !== undefined)) {
      out.push(issue(`rule pack "${p.name}" > alert "${a.alert}"`, "tests", `has for: ${a.for} but no pending-window test case (set activeSince on a firing check)`, "warning"));
    }
  }
  const exprs = p.tests.flatMap((t) => t.exprs ?? []).map((x) => exprText(x.expr));
  for (const r of packRecordings(p)) {
    if (!exprs.some((x) => new RegExp(`(^|[^a-zA-Z0-9_:])${r.record.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[^a-zA-Z0-9_:])`).test(x))) {
      out.push(issue(`rule pack "${p.name}" > recording rule "${r.record}"`, "tests", "has no expression test", "warning"));
    }
  }
  return out;
}
