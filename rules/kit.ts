/**
 * What every pack file uses: the build context (content config + rule builder) and helpers to write promtool unit
 * tests whose input series follow the pack's selectors and thresholds, so the shipped tests keep passing when a
 * user changes a selector, a threshold or a `for`.
 */
import { parseDuration } from "../core/duration";
import type { AlertRule } from "../core/rules/model";
import type { RuleBuilder } from "../core/rules/overrides";
import type { ContentConfig } from "./config";

// Test-series helpers live in core (the SLO packs write tests too); the packs import them from here.
export { counter, gauge, labelsFor, series, seriesName } from "../core/rules/series";

export interface PackContext {
  readonly content: ContentConfig;
  readonly b: RuleBuilder;
}

/** Whole minutes of an alert's `for` (0 when absent), rounded up. */
export function forMinutes(rule: AlertRule): number {
  return Math.ceil((parseDuration(rule.for ?? "0s") ?? 0) / 60_000);
}

/** An eval time after the alert has had `for` plus `settle` minutes to fire. */
export function firingAt(rule: AlertRule, settle = 6): string {
  return `${forMinutes(rule) + settle}m`;
}

/**
 * When a test's condition starts to hold (`activeSince` of a firing check, which also checks the pending window).
 * A condition on a gauge holds from its first sample: the first evaluation.
 */
export const HOLDS_FROM_START = "0s";
/** A condition on `rate()`, `increase()` or `deriv()` needs two samples in its window: it holds from the second step. */
export const HOLDS_FROM_SECOND_SAMPLE = "1m";

/** Enough 1m steps of input to reach `firingAt(rule, settle)` and a little beyond. */
export function stepsFor(rule: AlertRule, settle = 6): number {
  return forMinutes(rule) + settle + 5;
}

/** `0.05` → `5%`, for descriptions that print a threshold. */
export function pct(ratio: number): string {
  return `${Number((ratio * 100).toPrecision(6))}%`;
}
