/**
 * Timing mistakes Prometheus accepts silently: an alert whose `for` is shorter than its group's evaluation
 * interval fires on the first evaluation that sees the condition, so its `for` has no effect.
 */
import { parseDuration } from "../duration";
import { issue, type ValidationIssue } from "../validation";
import { packAlerts, type RulePack } from "./model";
import { ruleItem } from "./validate";

export function forShorterThanInterval(packs: readonly RulePack[], defaultInterval: string): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const p of packs) {
    for (const g of p.groups) {
      const interval = g.interval ?? defaultInterval;
      const every = parseDuration(interval);
      if (every === undefined) continue;
      for (const a of packAlerts({ ...p, groups: [g] })) {
        const hold = a.for === undefined ? undefined : parseDuration(a.for);
        if (hold !== undefined && hold > 0 && hold < every) {
          out.push(issue(ruleItem(g.name, a), "for", `${a.for} is shorter than the group's evaluation interval ${interval}: the alert fires on the first evaluation that sees the condition, so \`for\` has no effect`, "warning"));
        }
      }
    }
  }
  return out;
}
