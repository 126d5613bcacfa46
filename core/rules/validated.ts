/**
 * Rendering of rule packs that have been validated already. A PrometheusStack validates all its packs together (and
 * throws on any error) before it renders their files, and `moncode synth` then renders the promtool test files of
 * that stack's packs: validating a thousand packs once more at each step costs as much as rendering them. These
 * renderers skip the repeat and give the same text. Deliberately not exported from core/rules (nor the package):
 * everyone else uses the validating renderers, which refuse bad input.
 */
import { toYaml } from "../yaml";
import type { RuleGroup } from "./model";
import { ruleFileObject } from "./render";

export { renderValidatedRuleTestFiles } from "./unit-tests";

/** `renderRuleFile` of groups that passed `validateRulePacks` or `validateRuleGroups` without errors. */
export function renderValidatedRuleFile(groups: readonly RuleGroup[]): string {
  return toYaml(ruleFileObject(groups));
}
