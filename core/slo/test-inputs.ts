/**
 * Synthetic SLI input for the generated SLO tests, and the share of bad events Prometheus sees in any window of it:
 * counters for event-ratio and latency SLIs (exact ratios of increases), 0/1 samples for availability SLIs (patterns
 * whose period divides the windows that decide an alert).
 */
import type { Duration } from "../duration";
import type { InputSeries } from "../rules/model";
import { counter, labelsFor, type LabelMatcher, num, parseMatchers, series } from "../rules/series";
import { burnFactor, errorBudget, leValue, PAGE_CONDITIONS, type SloSpec, sloWindow } from "./model";

/** A stretch of constant burn: `burn` times the rate that spends the budget exactly over the SLO window. */
export interface Phase {
  readonly burn: number;
  readonly minutes: number;
}

/** Synthetic input for an SLI and the share of bad events Prometheus sees in a window of it. */
export interface SliInput {
  readonly series: readonly InputSeries[];
  /** Step of the input series. */
  readonly interval: Duration;
  /** The burn each phase really has (sampled SLIs can only approximate the asked-for one). */
  readonly realized: readonly number[];
  /** Share of bad events in the window of `w` seconds ending at `t` seconds; undefined without enough data. */
  ratio(t: number, w: number, closed: boolean): number | undefined;
}

/** Events per second of the synthetic traffic. */
const RATE = 10;

function matches(labels: Readonly<Record<string, string>>, ms: readonly LabelMatcher[]): boolean {
  return ms.every((m) => {
    const v = labels[m.name] ?? "";
    const re = (): boolean => new RegExp(`^(?:${m.value})$`).test(v);
    return m.op === "=" ? v === m.value : m.op === "!=" ? v !== m.value : m.op === "=~" ? re() : !re();
  });
}

/** Labels of a series the total selects and the bad selector does not (a good event of the same metric). */
function goodLabels(total: string, bad: string, item: string): Record<string, string> {
  const tm = parseMatchers(total) ?? [];
  const bm = parseMatchers(bad) ?? [];
  const out = labelsFor(total);
  for (const m of bm.filter((b) => !tm.some((t) => t.name === b.name && t.op === b.op && t.value === b.value))) {
    for (const candidate of ["good", "200", "0", m.value]) {
      const next = { ...out, [m.name]: candidate };
      if (matches(next, tm) && !matches(next, [m])) {
        out[m.name] = candidate;
        break;
      }
    }
  }
  if (!matches(out, tm) || matches(out, bm)) throw new Error(`${item}: cannot derive a good-event test series for selectors {${total}} / {${bad}}`);
  return out;
}

/** Counters at a 1m step: the shares of bad events are exact ratios of increases (rate's extrapolation cancels). */
function counterInput(spec: SloSpec, phases: readonly Phase[]): SliInput {
  const budget = errorBudget(spec);
  const shares = phases.map((p) => Math.min(1, p.burn * budget));
  const perStep = (perSecond: number): number => Number(num(perSecond * 60));
  const segments = (f: (share: number) => number): [number, number][] => phases.map((p, i) => [f(shares[i]!), p.minutes]);
  const good = segments((s) => RATE * (1 - s));
  const bad = segments((s) => RATE * s);
  const sli = spec.sli;
  let list: InputSeries[];
  if (sli.kind === "eventRatio") {
    const item = `SLO "${spec.name}"`;
    list = sli.bad.metric === sli.total.metric
      ? [series(sli.total.metric, goodLabels(sli.total.selector, sli.bad.selector, item), counter(...good)), series(sli.bad.metric, labelsFor(sli.bad.selector), counter(...bad))]
      : [series(sli.total.metric, labelsFor(sli.total.selector), counter(...segments(() => RATE))), series(sli.bad.metric, labelsFor(sli.bad.selector), counter(...bad))];
  } else if (sli.kind === "latency") {
    const base = labelsFor(sli.selector);
    list = [
      series(`${sli.metric}_bucket`, { ...base, le: leValue(sli.threshold) }, counter(...good)),
      series(`${sli.metric}_bucket`, { ...base, le: "+Inf" }, counter(...segments(() => RATE))),
      series(`${sli.metric}_count`, base, counter(...segments(() => RATE))),
    ];
  } else throw new Error(`SLO "${spec.name}": counter input for a sampled SLI`);
  // Cumulative bad and total at each sample, with the increments exactly as the series text states them.
  const cumBad = [0];
  const cumTotal = [0];
  phases.forEach((p, i) => {
    for (let k = 0; k < p.minutes; k++) {
      if (i === 0 && k === 0) continue;
      cumBad.push(cumBad.at(-1)! + perStep(bad[i]![0]));
      cumTotal.push(cumTotal.at(-1)! + perStep(RATE));
    }
  });
  const last = cumTotal.length - 1;
  return {
    series: list,
    interval: "1m",
    realized: shares.map((s) => s / budget),
    ratio(t, w, closed) {
      const hi = Math.floor(t / 60);
      if (hi > last) return undefined;
      const lo = Math.max(0, closed ? Math.ceil((t - w) / 60) : Math.floor((t - w) / 60) + 1);
      if (hi - lo < 1) return undefined;
      const total = cumTotal[hi]! - cumTotal[lo]!;
      return total > 0 ? (cumBad[hi]! - cumBad[lo]!) / total : undefined;
    },
  };
}

/**
 * promtool's query engine refuses a query that loads more than 10,000 samples, and the SLI's two range selectors
 * over the whole run load every sample twice: the input is kept below this many samples in all.
 */
const SAMPLE_CAP = 4500;

/**
 * 0/1 samples every `iv` seconds on `n` series. Each phase repeats a pattern: with a period of 5m for burns the 5m
 * and 30m windows must see (above the lowest page factor), else of `slowPeriod`. Every window that is a whole
 * number of periods then holds exactly the phase's share of failures, wherever its boundary falls.
 */
function sampleInput(spec: SloSpec, phases: readonly Phase[], iv: number, n: number, slowPeriod: number, tolerance: number): SliInput | undefined {
  const budget = errorBudget(spec);
  const lowestPage = Math.min(...PAGE_CONDITIONS.map((c) => burnFactor(c, sloWindow(spec))));
  const count = (phases.reduce((a, p) => a + p.minutes, 0) * 60) / iv;
  if (count * n > SAMPLE_CAP) return undefined;
  const plans = phases.map((p) => {
    const period = p.burn > lowestPage ? 300 : slowPeriod;
    const slots = (n * period) / iv;
    const want = Math.min(1, p.burn * budget);
    const k = want === 0 ? 0 : Math.max(1, Math.round(want * slots));
    const failing = new Set(Array.from({ length: k }, (_, j) => Math.floor(((j + 0.5) * slots) / k)));
    return { period, slots, failing, realized: k / slots / budget, off: want > 0 && Math.abs(k / slots - want) > tolerance * want };
  });
  if (plans.some((p) => p.off)) return undefined;
  const values: number[][] = Array.from({ length: n }, () => []);
  const fails = [0];
  let phase = 0;
  let start = 0;
  for (let i = 0; i < count; i++) {
    const t = i * iv;
    while (t >= start + phases[phase]!.minutes * 60) start += phases[phase++]!.minutes * 60;
    const plan = plans[phase]!;
    const slot = ((t - start) % plan.period) / iv;
    let failed = 0;
    for (let s = 0; s < n; s++) {
      const bad = plan.failing.has(slot * n + s);
      values[s]!.push(bad ? 0 : 1);
      failed += bad ? 1 : 0;
    }
    fails.push(fails.at(-1)! + failed);
  }
  const sli = spec.sli as Extract<SloSpec["sli"], { kind: "availability" }>;
  const base = labelsFor(sli.selector);
  const key = base.instance === undefined ? "instance" : "target";
  return {
    series: values.map((v, s) => series(sli.metric, n === 1 ? base : { ...base, [key]: `target-${s}` }, runs(v))),
    interval: `${iv}s`,
    realized: plans.map((p) => p.realized),
    ratio(t, w, closed) {
      const hi = Math.min(Math.floor(t / iv), count - 1);
      const lo = Math.max(0, closed ? Math.ceil((t - w) / iv) : Math.floor((t - w) / iv) + 1);
      if (lo > hi || t / iv > count - 1) return undefined;
      return (fails[hi + 1]! - fails[lo]!) / ((hi - lo + 1) * n);
    },
  };
}

/** promtool's expanding notation for a 0/1 sequence: `1x49 0 1x48`. */
function runs(values: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < values.length; ) {
    let j = i;
    while (j < values.length && values[j] === values[i]) j++;
    out.push(j - i === 1 ? String(values[i]) : `${values[i]}x${j - i - 1}`);
    i = j;
  }
  return out.join(" ");
}

/** Sample steps to try, cheapest first (fewest samples per minute), for a sampled SLI. */
const SAMPLINGS: readonly (readonly [number, number])[] = [30, 20, 15, 12, 10, 6, 5, 4, 3, 2, 1]
  .flatMap((iv) => [1, 2, 3, 4, 5].map((n) => [iv, n] as const))
  .sort((a, b) => a[1] / a[0] - b[1] / b[0]);

/** Inputs for the phases, the nearest to the asked-for burns first. */
export function inputs(spec: SloSpec, phases: readonly Phase[]): Generator<SliInput> {
  return (function* () {
    if (spec.sli.kind !== "availability") yield counterInput(spec, phases);
    // The nearest to the asked-for burn first (within 2%, then 5%, then 15%), on the shortest pattern.
    else for (const tolerance of [0.02, 0.05, 0.15]) {
      for (const period of [3600, 7200, 10800, 21600]) {
        for (const [iv, n] of SAMPLINGS) {
          const x = sampleInput(spec, phases, iv, n, period, tolerance);
          if (x) yield x;
        }
      }
    }
  })();
}
