/**
 * The checks of one alerting or recording rule. Each finding carries its lint rule (core/lint.ts): what Prometheus
 * refuses (`rules/invalid`, `promql/*`) is an error whatever the options say; the house style (PascalCase names,
 * summary + description, the three severities) is a warning unless a project raises it.
 */
import { parseDuration } from "../duration";
import { isLabelName, isMetricName, labelValueProblem } from "../labels";
import { checkInstantExpr, exprText } from "../promql";
import { checkSelectorStrings } from "../promql-selectors";
import { isSeverity } from "../severity";
import { finding, type ValidationIssue } from "../validation";
import type { AlertRule, RecordingRule } from "./model";
import { checkTemplate } from "./template";

/**
 * The house shape of alert names, PascalCase (`HttpErrorRateHigh`); other names are a `rules/alert-name-pascal-case`
 * finding.
 */
export const ALERT_NAME_RE = /^[A-Z][a-zA-Z0-9]*$/;
/** `level:metric:operations`: at least three colon-separated parts; parts after the first may start with a digit (`…:99quantile`). */
export const RECORDING_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]*(:[a-zA-Z0-9_]+){2,}$/;
/** The kebab-case shape (`http-recording`) of rule group and pack names. */
export const KEBAB_RE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const URL_RE = /^https?:\/\/\S+$|^\/\S*$/;
/** Labels of a typed rule that have their own field (`severity`) or that Prometheus sets (`alertname`). */
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
  const code = expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""').replace(/#[^\n]*/g, "");
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

export function checkDuration(out: ValidationIssue[], item: string, field: string, value: unknown, positive = false): void {
  if (value === undefined) return;
  const ms = typeof value === "string" ? parseDuration(value) : undefined;
  if (ms === undefined) out.push(finding("rules/invalid", item, field, `${JSON.stringify(value)} is not a Prometheus duration (e.g. 30s, 5m, 1h30m)`));
  else if (positive && ms === 0) out.push(finding("rules/invalid", item, field, `must be longer than 0s`));
}

export function checkLabels(out: ValidationIssue[], item: string, labels: Readonly<Record<string, string>> | undefined, field = "labels", typed = true): void {
  for (const [k, v] of Object.entries(labels ?? {})) {
    if (typed && RESERVED_LABELS.has(k)) {
      out.push(finding("rules/label-reserved", item, `${field}.${k}`, `is reserved; ${k === "severity" ? "set the severity field" : "Prometheus sets it"}`));
    } else if (!isLabelName(k)) out.push(finding("rules/invalid", item, `${field}.${k}`, `is not a valid Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*, no leading __)`));
    if (typeof v !== "string") out.push(finding("rules/invalid", item, `${field}.${k}`, `must be a string, got ${typeof v}`));
    else {
      for (const e of checkTemplate(v)) out.push(finding("rules/invalid", item, `${field}.${k}`, `template ${e}`));
      const problem = labelValueProblem(v);
      if (problem) out.push(finding("labels/value-multiline", item, `${field}.${k}`, problem));
    }
  }
}

/** Syntax, types (an instant vector or scalar), selector strings and regexes, functions the deployed Prometheus lacks. */
/** A rule's expression as text; "" for a value that is none (a malformed pack's `expr: null`). */
export const ruleExprText = (expr: unknown): string => (typeof expr === "string" || (typeof expr === "object" && expr !== null) ? exprText(expr as string) : "");

export function checkRuleExpr(out: ValidationIssue[], item: string, expr: unknown): void {
  const text = ruleExprText(expr);
  if (text.trim() === "") {
    out.push(finding("rules/invalid", item, "expr", "is empty"));
    return;
  }
  // Prometheus turns a scalar result into one series (rules/manager.go, EngineQueryFunc); ranges and strings fail.
  const errs = checkInstantExpr(text, { allowScalar: true });
  for (const e of errs) out.push(finding(/^evaluates to/.test(e) ? "rules/expr-not-instant" : "promql/invalid", item, "expr", e));
  if (errs.length === 0) {
    const s = checkSelectorStrings(text);
    for (const e of s.invalid) out.push(finding("promql/invalid", item, "expr", e));
    for (const e of s.regex) out.push(finding("promql/regex-invalid", item, "expr", e));
  }
  for (const e of checkPortable(text)) out.push(finding("promql/function-unavailable", item, "expr", e));
}

export function validateAlert(out: ValidationIssue[], item: string, r: AlertRule): void {
  if (typeof r.alert !== "string" || r.alert.trim() === "") out.push(finding("rules/invalid", item, "alert", "must be a non-empty name"));
  else if (!ALERT_NAME_RE.test(r.alert)) out.push(finding("rules/alert-name-pascal-case", item, "alert", `"${r.alert}" should be PascalCase, subject first (e.g. HttpErrorRateHigh)`));
  checkRuleExpr(out, item, r.expr);
  checkDuration(out, item, "for", r.for);
  checkDuration(out, item, "keepFiringFor", r.keepFiringFor);
  if (r.severity === undefined) out.push(finding("rules/severity-missing", item, "severity", "is not set: routing by severity cannot place this alert"));
  else if (typeof r.severity !== "string" || r.severity === "") out.push(finding("rules/invalid", item, "severity", `must be a non-empty string, got ${JSON.stringify(r.severity)}`));
  else if (!isSeverity(r.severity)) out.push(finding("rules/severity-unknown", item, "severity", `"${r.severity}" is not one of critical, warning, info`));
  checkLabels(out, item, r.labels);
  const ann = (r.annotations ?? {}) as Record<string, unknown>;
  for (const required of ["summary", "description"]) {
    const v = ann[required];
    if (typeof v !== "string" || v.trim() === "") out.push(finding("rules/annotations-summary-description", item, `annotations.${required}`, "is not set"));
  }
  if (typeof ann.message === "string") {
    out.push(finding("rules/annotation-message-legacy", item, "annotations.message", "is the legacy annotation; say it in summary (one line) and description"));
  }
  for (const [k, v] of Object.entries(ann)) {
    if (v === undefined) continue;
    if (typeof v !== "string") {
      out.push(finding("rules/invalid", item, `annotations.${k}`, `must be a string, got ${typeof v}`));
      continue;
    }
    if (k !== "runbookUrl" && !isLabelName(k)) out.push(finding("rules/invalid", item, `annotations.${k}`, "is not a valid annotation name"));
    for (const e of checkTemplate(v)) out.push(finding("rules/invalid", item, `annotations.${k}`, `template ${e}`));
    if ((k === "runbookUrl" || k === "runbook_url" || k === "dashboard") && !v.includes("{{") && !URL_RE.test(v)) {
      out.push(finding("rules/annotation-url", item, `annotations.${k}`, `"${v}" is not an http(s) URL or absolute path`));
    }
  }
}

export function validateRecording(out: ValidationIssue[], item: string, r: RecordingRule): void {
  if (typeof r.record !== "string" || !isMetricName(r.record)) {
    out.push(finding("rules/invalid", item, "record", `${JSON.stringify(r.record)} is not a valid metric name`));
  } else if (!RECORDING_NAME_RE.test(r.record)) {
    out.push(finding("rules/record-name-shape", item, "record", `"${r.record}" should be shaped level:metric:operations (e.g. job:http_requests:rate5m)`));
  }
  checkRuleExpr(out, item, r.expr);
  checkLabels(out, item, r.labels, "labels", false);
}
