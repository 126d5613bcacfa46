/**
 * Prometheus rule-file YAML from typed groups. Rendering refuses invalid input: it validates first and throws a
 * ValidationError naming every culprit, so a bad rule never reaches a file.
 */
import { ARTIFACT_PATHS } from "../conventions";
import type { RenderedFile } from "../files";
import { exprText } from "../promql";
import { assertValid } from "../validation";
import { compact, sortedRecord, toYaml } from "../yaml";
import { alertAnnotationsRendered, alertStaticLabels, isAlertRule, type Rule, type RuleGroup, type RulePack } from "./model";
import { validateRuleGroups, validateRulePacks } from "./validate";

export { renderRuleTestFile, renderRuleTestFiles, type RuleTestFileOptions } from "./unit-tests";

const nonEmpty = (rec: Record<string, string>): Record<string, string> | undefined => (Object.keys(rec).length > 0 ? rec : undefined);

function renderRule(r: Rule): Record<string, unknown> {
  if (isAlertRule(r)) {
    return compact({
      alert: r.alert,
      expr: exprText(r.expr),
      for: r.for,
      keep_firing_for: r.keepFiringFor,
      labels: nonEmpty(alertStaticLabels(r)),
      annotations: nonEmpty(alertAnnotationsRendered(r)),
    });
  }
  return compact({ record: r.record, expr: exprText(r.expr), labels: sortedRecord(r.labels) });
}

/** The YAML object of a rule file, before text: for callers that embed it (e.g. a PrometheusRule custom resource). */
export function ruleFileObject(groups: readonly RuleGroup[]): { groups: Record<string, unknown>[] } {
  return {
    groups: groups.map((g) => compact({
        name: g.name,
        interval: g.interval,
        limit: g.limit,
        query_offset: g.queryOffset,
        labels: sortedRecord(g.labels),
        rules: g.rules.map(renderRule),
      })),
  };
}

/** Rule-file YAML (`groups:`) for Prometheus and `promtool check rules`. Throws a ValidationError on bad input. */
export function renderRuleFile(groups: readonly RuleGroup[]): string {
  assertValid("rule groups", validateRuleGroups(groups));
  return toYaml(ruleFileObject(groups));
}

/** `prometheus/rules/<pack>.yml` for every pack. Validates all packs together first (names unique across packs). */
export function renderRulePackFiles(packs: readonly RulePack[]): RenderedFile[] {
  assertValid("rule packs", validateRulePacks(packs));
  return packs.map((p) => ({ path: `${ARTIFACT_PATHS.prometheusRulesDir}/${p.name}.yml`, content: toYaml(ruleFileObject(p.groups)) }));
}
