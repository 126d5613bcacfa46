/**
 * The queries of a dashboard: which language each target speaks (from its datasource, the panel's, or the
 * datasource variable either names), and the checks of PromQL and LogQL queries and of template variable queries.
 * Grafana substitutes variables before a query runs; so do the checks, with values of every type a variable can
 * stand for (a metric or label word, a number as in `topk($k, …)`), and a query is fine when one substitution is.
 */
import { analyzeLogql, regexProblems } from "../logql/parse";
import { checkPromql } from "../promql";
import { checkSelectorStrings } from "../promql-selectors";
import { isKnownMetric } from "./catalog";
import { arr, type Ctx, isObj, type Obj, panelItem, report, str } from "./lint-context";
import { markMacros, type SelectorFact, selectorFacts, substituteForWalk, variableWord } from "./promql-walk";


export type QueryLanguage = "promql" | "logql" | "mixed" | "none" | "other" | "unknown";

const DS_VAR_REF = /^\$\{?([a-zA-Z_][a-zA-Z0-9_]*)(?::[a-z]+)?\}?$/;
/** Grafana's built-in pseudo datasources, by the uid (or, in old dashboards, the name) a reference carries. */
const SPECIAL: Readonly<Record<string, QueryLanguage>> = { "-- Mixed --": "mixed", "-- Dashboard --": "none", "-- Grafana --": "other", grafana: "other" };

/** Whether a datasource uid (or old-style name) is one of Grafana's built-in pseudo datasources, which always exist. */
export function isBuiltinDatasource(uid: string): boolean {
  return SPECIAL[uid] !== undefined;
}
const BY_PLUGIN: Readonly<Record<string, QueryLanguage>> = { prometheus: "promql", loki: "logql" };

/** The language a datasource reference leads to: object `{ type, uid }` or a string (a variable or a name). */
export function datasourceLanguage(ref: unknown, vars: ReadonlyMap<string, Obj>): QueryLanguage | undefined {
  if (ref === undefined || ref === null) return undefined;
  const uid = isObj(ref) ? str(ref.uid) : str(ref);
  const type = isObj(ref) ? str(ref.type) : undefined;
  if (uid !== undefined && SPECIAL[uid] !== undefined) return SPECIAL[uid];
  if (type !== undefined && type !== "datasource") return BY_PLUGIN[type] ?? "other";
  const v = uid !== undefined ? DS_VAR_REF.exec(uid) : null;
  if (v) {
    const variable = vars.get(v[1]!);
    if (variable && variable.type === "datasource") return BY_PLUGIN[str(variable.query) ?? ""] ?? "other";
  }
  return "unknown";
}

/** A target's language: its own datasource, else the panel's; a Mixed panel's target without one is unknown. */
export function targetLanguage(p: Obj, t: Obj, vars: ReadonlyMap<string, Obj>): QueryLanguage {
  const own = datasourceLanguage(t.datasource, vars);
  if (own !== undefined && own !== "unknown" && own !== "mixed") return own;
  const panel = datasourceLanguage(p.datasource, vars);
  if (panel === undefined || panel === "mixed") return own ?? "unknown";
  return panel;
}

/** Variables outside string literals as the number `1`; inside strings (label values) as words. */
function numericVariables(text: string): string {
  return text.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`|\$\{?[a-zA-Z_][a-zA-Z0-9_]*(?::[a-z]+)?\}?/g, (m) =>
    m.startsWith("$") ? "1" : substituteForWalk(m),
  );
}

/** Grafana's interval macros and range variables as durations (the rate/range markers kept), other variables left. */
function substituteRanges(expr: string): string {
  return markMacros(expr)
    .replace(/\$\{?__(interval|auto)\}?(?![a-zA-Z0-9_])/g, "5m")
    .replace(/\[\$\{?[a-zA-Z_][a-zA-Z0-9_]*\}?(?=[\]:])/g, "[5m");
}

/**
 * The check of a dashboard PromQL query: variables as words first (metric and label names, the common case), then
 * as numbers (`topk($k, …)`, `> $threshold`), then numbers only as a call's first argument. Returns the words-first
 * result when none passes, so messages quote the most natural reading; `text` is the substituted query checked.
 */
export function checkDashboardPromql(expr: string): ReturnType<typeof checkPromql> & { readonly text: string } {
  const words = substituteForWalk(expr);
  const first = checkPromql(words);
  if (first.errors.length === 0 || !expr.includes("$")) return { ...first, text: words };
  const candidates = [
    numericVariables(substituteRanges(expr)),
    substituteForWalk(expr.replace(/\(\s*\$\{?[a-zA-Z_][a-zA-Z0-9_]*(?::[a-z]+)?\}?\s*,/g, "(1,")),
  ];
  for (const text of candidates) {
    const r = checkPromql(text);
    if (r.errors.length === 0) return { ...r, text };
  }
  return { ...first, text: words };
}

/**
 * What Loki refuses when it parses the query, after the same variable substitution: syntax errors (Grafana's own
 * Lezer grammar, core/logql), then a regex RE2 does not compile.
 */
export function checkLogql(expr: string): string[] {
  const a = analyzeLogql(substituteForWalk(expr.replace(/\$\{?__auto\}?/g, "5m")));
  return a.errors.length > 0 ? [...a.errors] : regexProblems(a);
}

/**
 * Dashboards repeat queries (each service dashboard of a fleet has the same ones, filtered by variables): each text
 * is walked once. The facts are only read.
 */
const factsCache = new Map<string, readonly SelectorFact[]>();
export function factsOf(expr: string): readonly SelectorFact[] {
  let facts = factsCache.get(expr);
  if (facts === undefined) {
    facts = selectorFacts(expr);
    if (factsCache.size >= 50_000) factsCache.clear();
    factsCache.set(expr, facts);
  }
  return facts;
}

/** The words the query's variables became (`$threshold` → `threshold_var`). */
function variableWords(expr: string): Set<string> {
  return new Set([...expr.matchAll(/\$\{?([a-zA-Z_][a-zA-Z0-9_]*)/g)].map((m) => variableWord(m[1]!)));
}

/** `text`: the query as checked, variables substituted; `expr`: as written. */
function lintPromqlFacts(c: Ctx, item: string, field: string, text: string, expr: string, title: string): void {
  const vars = variableWords(expr);
  for (const s of factsOf(text)) {
    // A bare variable (`> $threshold`, `topk($k, …)` read as words) stands for a value, not a series to check.
    if (s.metric !== undefined && vars.has(s.metric) && s.matchers.size === 0 && s.rangeFunction === undefined) continue;
    const name = s.metric ?? "(no name)";
    if (s.rangeFunction === "rate" || s.rangeFunction === "irate" || s.rangeFunction === "increase") {
      const ok = s.window === "rate_interval" || (s.rangeFunction === "increase" && s.window === "range");
      if (!ok) {
        report(c, "dashboard/rate-interval", item, field, `${s.rangeFunction}(${name}[${s.window === "range" ? "$__range" : s.window}]) should use [$__rate_interval]${s.rangeFunction === "increase" ? " (or [$__range] for a total over the range)" : ""}`, title);
      }
    }
    const isRecording = s.metric !== undefined && s.metric.includes(":");
    if (isRecording && c.recording !== undefined && !c.recording.has(s.metric!)) {
      report(c, "dashboard/recording-rule-undefined", item, field, `reads recording rule "${s.metric}", which the rule files do not define`, title);
    }
    // A recording rule keeps only the labels of its level (`job_route:...` has job and route): require just those.
    const level = isRecording ? new Set(s.metric!.split(":")[0]!.split("_")) : undefined;
    for (const label of ["job", "instance"]) {
      if (level && !level.has(label)) continue;
      const v = s.matchers.get(label);
      if (v === undefined || !v.includes(variableWord(label))) {
        report(c, "dashboard/job-instance-filter", item, field, `selector ${name} has no ${label}=~"$${label}" matcher, so the ${label} variable does not filter it`, title);
      }
    }
    if (s.metric !== undefined && !isRecording && c.known !== undefined && !isKnownMetric(s.metric, c.known)) {
      report(c, "dashboard/metric-unknown", item, field, `reads metric "${s.metric}", which no configured exporter or job is known to expose`, title);
    }
    if (s.metric !== undefined && !isRecording && /_total$/.test(s.metric) && !s.counterSafe) {
      report(c, "dashboard/counter-raw", item, field, `uses counter "${s.metric}" without rate()/increase(); its raw value only shows uptime`, title);
    }
  }
}

/** Checks a PromQL query; returns whether it parsed and type-checked (the structural checks run only then). */
function lintPromql(c: Ctx, item: string, field: string, expr: string, title: string, quiet = false): boolean {
  const check = checkDashboardPromql(expr);
  if (check.errors.length > 0) {
    if (!quiet) report(c, "dashboard/promql-invalid", item, field, `does not parse or type-check: ${check.errors.join("; ")} in "${expr}"`, title);
    return false;
  }
  if (check.type === "matrix") report(c, "dashboard/promql-invalid", item, field, `evaluates to a range vector, which a panel cannot plot: "${expr}"`, title);
  if (check.type === "string") report(c, "dashboard/promql-invalid", item, field, `evaluates to a string: "${expr}"`, title);
  const strings = checkSelectorStrings(check.text);
  for (const e of [...strings.invalid, ...strings.regex]) report(c, "dashboard/promql-invalid", item, field, e, title);
  lintPromqlFacts(c, item, field, check.text, expr, title);
  return true;
}

export function lintTarget(c: Ctx, p: Obj, t: Obj, i: number): void {
  const title = str(p.title) ?? "";
  const item = panelItem(c, p);
  const lang = targetLanguage(p, t, c.vars);
  if (lang === "none" || lang === "other" || t.hide === true) return;
  const expr = str(t.expr);
  const field = `targets[${i}].expr`;
  if (expr === undefined || expr.trim() === "") {
    // Other query editors (code/builder modes of other plugins) keep their query elsewhere.
    if (lang === "promql" || lang === "logql") report(c, "dashboard/panel-no-targets", item, field, "is empty", title);
    return;
  }
  if (lang === "logql") {
    const errs = checkLogql(expr);
    if (errs.length > 0) report(c, "dashboard/logql-invalid", item, field, `does not parse as LogQL: ${errs.join("; ")} in "${expr}"`, title);
    return;
  }
  if (lang === "promql") {
    lintPromql(c, item, field, expr, title);
    return;
  }
  // Unknown datasource (the default one, a name): fine when it reads as PromQL or as LogQL.
  if (lintPromql(c, item, field, expr, title, true)) return;
  if (checkLogql(expr).length === 0) return;
  lintPromql(c, item, field, expr, title);
}

const SELECTOR_FORMS = [/^label_values\(\s*[a-zA-Z_][a-zA-Z0-9_]*\s*\)$/, /^label_names\(.*\)$/s, /^metrics\(.*\)$/s];

/** A query variable's query: label_values(selector, label), label_names(), metrics(re) or query_result(expr). */
export function lintVariableQuery(c: Ctx, item: string, field: string, v: Obj): void {
  const q = (str(v.query) ?? (isObj(v.query) ? str(v.query.query) : undefined) ?? "").trim();
  const m = /^label_values\((.*),\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\)$/s.exec(q);
  const inner = m ? m[1]! : /^query_result\((.*)\)$/s.exec(q)?.[1];
  if (inner === undefined) {
    if (!SELECTOR_FORMS.some((re) => re.test(q))) {
      report(c, "dashboard/template-query-shape", item, `${field}.query`, `is not label_values(...), label_names(), metrics(...) or query_result(...): "${q}"`);
    }
    return;
  }
  const errs = checkDashboardPromql(inner).errors;
  if (errs.length > 0) report(c, "dashboard/template-query-invalid", item, `${field}.query`, `has invalid PromQL "${inner}": ${errs.join("; ")}`);
}

/** Every target of a panel. */
export function panelTargets(p: Obj): Obj[] {
  return arr(p.targets).filter(isObj);
}
