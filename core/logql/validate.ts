/**
 * Checks of log rules, each finding under a lint rule: LogQL that Loki's ruler refuses (`logql/invalid`: syntax,
 * a stream selector Loki rejects, an alert on a log query, label names), plus the house checks every Prometheus
 * alert gets (names, severity, annotations, runbook), which come from core/rules unchanged.
 */
import { isLabelName } from "../labels";
import { applyLevels, type LintOptions } from "../lint";
import { KEBAB_RE, validateAlert, validateRecording } from "../rules/validate-rule";
import { duplicates, finding, type ValidationIssue } from "../validation";
import { isLogAlertRule, type LogRule, type LogRuleGroup, type LogRulePack } from "./model";
import { analyzeLogql, regexProblems, selectorProblem } from "./parse";

/** The LogQL checks of one expression; `alert`: the query must be a metric query. */
export function checkLogqlRuleExpr(out: ValidationIssue[], item: string, expr: unknown, alert: boolean): void {
  if (typeof expr !== "string" || expr.trim() === "") {
    out.push(finding("logql/invalid", item, "expr", "is empty"));
    return;
  }
  const a = analyzeLogql(expr);
  if (a.errors.length > 0) {
    out.push(finding("logql/invalid", item, "expr", `does not parse as LogQL: ${a.errors.join("; ")} in "${expr}"`));
    return;
  }
  for (const p of regexProblems(a)) out.push(finding("logql/invalid", item, "expr", `${p} (Loki refuses the query): "${expr}"`));
  if (a.selectors.length === 0) out.push(finding("logql/invalid", item, "expr", `has no stream selector ({label="value"}): "${expr}"`));
  a.selectors.forEach((s, i) => {
    const problem = selectorProblem(s);
    if (problem) out.push(finding("logql/invalid", item, "expr", `stream selector ${i + 1} ${problem}: "${expr}"`));
    for (const m of s) if (!isLabelName(m.name)) out.push(finding("logql/invalid", item, "expr", `label "${m.name}" is not a valid Loki label name`));
  });
  for (const l of a.groupingLabels) if (!isLabelName(l)) out.push(finding("logql/invalid", item, "expr", `groups by "${l}", which is not a valid label name`));
  if (a.kind !== "metric") {
    out.push(finding("logql/invalid", item, "expr", `is a log query (it returns lines, not samples): ${alert ? "an alert" : "a recording rule"} needs a metric query such as sum(count_over_time(${expr} [5m])) > 0`));
  }
}

function ruleIssues(out: ValidationIssue[], item: string, r: LogRule): void {
  // The Prometheus checks on everything but the expression (a placeholder that passes them), then LogQL's own.
  const house: ValidationIssue[] = [];
  if (isLogAlertRule(r)) validateAlert(house, item, { ...r, expr: "vector(1)" });
  else validateRecording(house, item, { ...r, expr: "vector(1)" });
  out.push(...house.filter((i) => i.field !== "expr"));
  checkLogqlRuleExpr(out, item, r.expr, isLogAlertRule(r));
}

/**
 * Checks log rule groups as one rule file would hold them: group names unique, non-empty and kebab-case, no empty
 * group, the house checks of every alert and recording rule, and each expression's LogQL (it parses, has a stream
 * selector Loki accepts, valid label names, and is a metric query). Every issue carries its lint rule; `opts` sets
 * the levels.
 */
export function validateLogRuleGroups(groups: readonly LogRuleGroup[], opts: LintOptions = {}): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const d of duplicates(groups, (g) => g.name)) out.push(finding("rules/invalid", `log rule group "${d}"`, "name", "is used by more than one group (Loki refuses a repeated group name)"));
  for (const g of groups) {
    const gi = `log rule group "${g.name}"`;
    if (typeof g.name !== "string" || g.name.trim() === "") out.push(finding("rules/invalid", gi, "name", "must not be empty"));
    else if (!KEBAB_RE.test(g.name)) out.push(finding("rules/group-name-kebab-case", gi, "name", `"${g.name}" should be kebab-case`));
    if (g.rules.length === 0) out.push(finding("rules/group-empty", gi, "rules", "is empty"));
    for (const r of g.rules) {
      const name = isLogAlertRule(r) ? `alert "${r.alert}"` : `record "${(r as { record: string }).record}"`;
      ruleIssues(out, `${gi} > ${name}`, r);
    }
  }
  return applyLevels(out, "logql/invalid", opts);
}

/**
 * Checks log rule packs: pack names unique (each names a rule file) and kebab-case, group names unique across the
 * packs, and every group as `validateLogRuleGroups` does. Returns every issue, with levels set by `opts`, instead of
 * throwing.
 */
export function validateLogRulePacks(packs: readonly LogRulePack[], opts: LintOptions = {}): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const d of duplicates(packs, (p) => p.name)) out.push(finding("rules/invalid", `log rule pack "${d}"`, "name", "is used by more than one pack (they would write one file)"));
  for (const p of packs) if (!KEBAB_RE.test(p.name)) out.push(finding("rules/pack-name-kebab-case", `log rule pack "${p.name}"`, "name", "should be kebab-case"));
  out.push(...validateLogRuleGroups(packs.flatMap((p) => p.groups), { ...opts, levels: {} }));
  return applyLevels(out, "logql/invalid", opts);
}
