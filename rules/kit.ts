/**
 * What every pack file uses: the build context (content config + rule builder) and helpers to write promtool unit
 * tests whose input series follow the pack's selectors and thresholds, so the shipped tests keep passing when a
 * user changes a selector, a threshold or a `for`.
 */
import { parseDuration } from "../core/duration";
import type { AlertRule, InputSeries } from "../core/rules/model";
import type { RuleBuilder } from "../core/rules/overrides";
import type { ContentConfig, Selector } from "./config";

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

function candidates(re: string): string[] {
  const out = [re.replace(/\.\*/g, "").replace(/\.\+/g, "x"), ...re.split("|"), "x", ""];
  return out.map((c) => c.replace(/[()^$]/g, ""));
}

/**
 * Labels a test series needs to match a selector: `job="api"` → `{ job: "api" }`; for `=~` a value matching the
 * regex is derived (`blackbox.*` → `blackbox`); `!=` / `!~` matchers add nothing.
 */
export function labelsFor(selector: Selector): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of selector.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!=|!~|=)\s*"((?:[^"\\]|\\.)*)"/g)) {
    const [, name, op, raw] = m as unknown as [string, string, string, string];
    const value = raw.replace(/\\(.)/g, "$1");
    if (op === "=") out[name] = value;
    else if (op === "=~") {
      const hit = candidates(value).find((c) => new RegExp(`^(?:${value})$`).test(c));
      if (hit === undefined) throw new Error(`cannot derive a test label value for ${name}=~"${value}"; use a simpler selector`);
      out[name] = hit;
    }
  }
  return out;
}

/** A series selector text with labels in a stable order. */
export function seriesName(metric: string, labels: Readonly<Record<string, string>>): string {
  const parts = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`);
  return `${metric}{${parts.join(", ")}}`;
}

export function series(metric: string, labels: Readonly<Record<string, string>>, values: string): InputSeries {
  return { series: seriesName(metric, labels), values };
}

/** A gauge: each `[value, steps]` segment holds `value` for `steps` 1m steps. */
export function gauge(...segments: readonly (readonly [number, number])[]): string {
  return segments.map(([v, n]) => `${num(v)}x${Math.max(0, n - 1)}`).join(" ");
}

/** A counter: each `[perSecond, minutes]` segment grows at that rate, continuing from where the last ended. */
export function counter(...segments: readonly (readonly [number, number])[]): string {
  let at = 0;
  const out: string[] = [];
  segments.forEach(([rate, minutes], i) => {
    const step = rate * 60;
    const start = i === 0 ? 0 : at + step;
    out.push(`${num(start)}${step < 0 ? "-" : "+"}${num(Math.abs(step))}x${Math.max(0, minutes - 1)}`);
    at = start + step * Math.max(0, minutes - 1);
  });
  return out.join(" ");
}

function num(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(12)));
}

/** `0.05` → `5%`, for descriptions that print a threshold. */
export function pct(ratio: number): string {
  return `${Number((ratio * 100).toPrecision(6))}%`;
}
