/**
 * Helpers for writing promtool unit-test input series that follow a pack's selectors: the labels a series needs to
 * match a selector, stable series names, and gauges/counters in promtool's expanding notation.
 */
import type { InputSeries } from "./model";

/** PromQL label matchers without braces, e.g. `job="api"`. */
type Selector = string;

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
  for (const { name, op, value } of parseMatchers(selector) ?? []) {
    if (op === "=") out[name] = value;
    else if (op === "=~") {
      const hit = candidates(value).find((c) => new RegExp(`^(?:${value})$`).test(c));
      if (hit === undefined) throw new Error(`cannot derive a test label value for ${name}=~"${value}"; use a simpler selector`);
      out[name] = hit;
    }
  }
  return out;
}

export interface LabelMatcher {
  readonly name: string;
  readonly op: "=" | "!=" | "=~" | "!~";
  /** Unescaped. */
  readonly value: string;
}

const MATCHER_RE = /([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!=|!~|=)\s*"((?:[^"\\]|\\.)*)"/g;

/** The matchers of a selector without braces (`job="api",status=~"5.."`), or undefined when other text is left. */
export function parseMatchers(selector: Selector): LabelMatcher[] | undefined {
  const out: LabelMatcher[] = [];
  for (const m of selector.matchAll(MATCHER_RE)) {
    const [, name, op, raw] = m as unknown as [string, string, LabelMatcher["op"], string];
    out.push({ name, op, value: raw.replace(/\\(.)/g, "$1") });
  }
  return selector.replace(MATCHER_RE, "").replace(/[\s,]/g, "") === "" ? out : undefined;
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

export function num(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(12)));
}
