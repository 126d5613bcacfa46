/**
 * Inhibition with Alertmanager's semantics (inhibit/inhibit.go): a target is muted when some rule's target matchers
 * match it and a firing alert matches that rule's source matchers with equal values for every `equal` label
 * (missing = ""). When the target also matches the source side, sources that match the target side are skipped,
 * so an alert never inhibits itself or its twins.
 */
import { allMatch } from "./label-matchers";
import type { AlertmanagerConfig, Labels } from "./model";

/** Why an alert is inhibited: which inhibit rule muted it and the firing alert that did. */
export interface Inhibition {
  /** Index into `inhibitRules`. */
  readonly rule: number;
  readonly ruleName?: string;
  /** The firing alert that inhibits. */
  readonly source: Labels;
}

const value = (l: Labels, k: string) => (Object.prototype.hasOwnProperty.call(l, k) ? (l[k] ?? "") : "");

/** The first inhibition that mutes `target` while `firing` alerts fire, or undefined. */
export function inhibitedBy(cfg: AlertmanagerConfig, target: Labels, firing: readonly Labels[]): Inhibition | undefined {
  const rules = cfg.inhibitRules ?? [];
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i]!;
    if (!allMatch(r.targetMatchers, target)) continue;
    const excludeTwoSided = allMatch(r.sourceMatchers, target);
    for (const src of firing) {
      if (!allMatch(r.sourceMatchers, src)) continue;
      if ((r.equal ?? []).some((k) => value(src, k) !== value(target, k))) continue;
      if (excludeTwoSided && allMatch(r.targetMatchers, src)) continue;
      return { rule: i, ...(r.name !== undefined ? { ruleName: r.name } : {}), source: src };
    }
  }
  return undefined;
}

/**
 * Whether `target` is muted by any inhibit rule while the `firing` alerts fire (Alertmanager's semantics; see
 * `inhibitedBy` for which rule).
 */
export function isInhibited(cfg: AlertmanagerConfig, target: Labels, firing: readonly Labels[]): boolean {
  return inhibitedBy(cfg, target, firing) !== undefined;
}
