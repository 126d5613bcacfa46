/**
 * promtool unit tests generated for every SLO: a fast burn pages within an hour, a slow burn tickets but never
 * pages, a burn below 1x never alerts (and the budget left is what the arithmetic says), and after a burn stops the
 * alerts clear. The input series follow the SLI's own selectors; what each alert must do at each evaluation time is
 * worked out here from the spec (the share of bad events in every window, both as Prometheus 3 counts a range,
 * left-open `(t-w, t]`, and as Prometheus 2 did, closed), and a time is only used when every comparison is at least
 * 10% away from its threshold under both, and stayed so for the alert's `for`: no test rests on a range boundary.
 */
import { parseDuration, type Duration } from "../duration";
import type { AlertCheck, AlertRule, ExprCheck, RuleTest } from "../rules/model";
import { renderTemplate } from "../rules/template";
import { burnFactor, type BurnCondition, errorBudget, PAGE_CONDITIONS, recordedWindows, SLO_RECORDS, type SloSpec, sloLabels, sloWindow, TICKET_CONDITIONS } from "./model";
import { inputs, type Phase, type SliInput } from "./test-inputs";

export type { Phase, SliInput } from "./test-inputs";

/** Every compared value must be at least this factor away from its threshold. */
const MARGIN = 1.1;

const seconds = new Map<Duration, number>();
const sec = (d: Duration): number => {
  let v = seconds.get(d);
  if (v === undefined) seconds.set(d, (v = (parseDuration(d) ?? 0) / 1000));
  return v;
};
const minutesOf = (d: Duration | undefined): number => Math.ceil(sec(d ?? "0s") / 60);

type Tri = boolean | undefined;

/** Whether the page and the ticket alert of an SLO fire at one time of a scenario. */
export interface AlertStates {
  readonly page: boolean;
  readonly ticket: boolean;
}

interface Verdict {
  readonly state: Tri;
  /** `$value` of the alert when it fires (the long window's burn of the first branch that holds). */
  readonly value?: number;
}

/** The alert expression's verdict at `t` seconds: certain only when both range semantics agree with margin. */
function verdict(spec: SloSpec, input: SliInput, conditions: readonly BurnCondition[], t: number): Verdict {
  const budget = errorBudget(spec);
  const burn = (w: Duration, closed: boolean): number | undefined => {
    const r = input.ratio(t, sec(w), closed);
    return r === undefined ? undefined : r / budget;
  };
  const above = (w: Duration, f: number): Tri => {
    const [a, b] = [burn(w, false), burn(w, true)];
    if (a === undefined && b === undefined) return false;
    if (a === undefined || b === undefined) return undefined;
    if (a > f * MARGIN && b > f * MARGIN) return true;
    if (a < f / MARGIN && b < f / MARGIN) return false;
    return undefined;
  };
  for (const c of conditions) {
    const f = burnFactor(c, sloWindow(spec));
    const [l, s] = [above(c.long, f), above(c.short, f)];
    const branch: Tri = l === false || s === false ? false : l === true && s === true ? true : undefined;
    if (branch === undefined) return { state: undefined };
    if (branch) return { state: true, value: burn(c.long, false) };
  }
  return { state: false };
}

interface Check {
  readonly at: number;
  readonly states: AlertStates;
  readonly page?: number;
  readonly ticket?: number;
}

/**
 * The alert states at `at` minutes if they are certain and held, minute by minute, since before the evaluation
 * (every `every` minutes) that started the alert's `for`.
 */
function stableAt(spec: SloSpec, input: SliInput, alerts: SloAlerts, at: number, every: number): Check | undefined {
  const out: Partial<Record<"page" | "ticket", Verdict>> = {};
  for (const [key, rule, conditions] of [["page", alerts.page, PAGE_CONDITIONS], ["ticket", alerts.ticket, TICKET_CONDITIONS]] as const) {
    const hold = Math.ceil(minutesOf(rule.for) / every) * every + every;
    if (at - hold < 0) return undefined;
    const now = verdict(spec, input, conditions, at * 60);
    if (now.state === undefined || (now.state && now.value === undefined)) return undefined;
    for (let m = at - hold; m < at; m++) if (verdict(spec, input, conditions, m * 60).state !== now.state) return undefined;
    out[key] = now;
  }
  const { page, ticket } = out as Record<"page" | "ticket", Verdict>;
  return { at, states: { page: page.state === true, ticket: ticket.state === true }, page: page.value, ticket: ticket.value };
}

/** The page and ticket alerting rules of an SLO, as the generated unit tests check them. */
export interface SloAlerts {
  readonly page: AlertRule;
  readonly ticket: AlertRule;
}

/**
 * A generated test scenario of an SLO: the promtool unit test, the alert states it checks at each time, and the SLI
 * input it was built from.
 */
export interface SloScenario {
  readonly test: RuleTest;
  /** What each alert does at each checked time (minutes), the same for any rule set without `for` (Sloth's). */
  readonly checks: readonly { readonly at: number; readonly states: AlertStates }[];
  readonly input: SliInput;
}

/**
 * How a scenario of SLI behaviour over time is described for `buildScenario`: its phases, the times to check and how
 * often rules are evaluated.
 */
export interface ScenarioSpec {
  readonly name: (realized: readonly number[]) => string;
  readonly phases: readonly Phase[];
  /** Minutes to check at; each moves by up to 10 minutes to a time no range boundary can decide. */
  readonly at: readonly number[];
  /**
   * Minutes between rule evaluations. @default 1. The generated runs evaluate every 5 or 10 minutes: promtool's
   * cost is one evaluation of every rule per step, and a recovery takes hours of them.
   */
  readonly every?: number;
  /**
   * false: a check no time near which is clear of every threshold is left out (sampled SLIs early in a run, while
   * the longest windows hold part of a pattern), as long as the last one and one other are made. @default true
   */
  readonly allChecks?: boolean;
  /** Throws when the checked states do not show what the scenario is about. */
  readonly claim?: (checks: readonly Check[]) => string | undefined;
}

function humanizePercentage(v: number): string {
  return renderTemplate("{{ $value | humanizePercentage }}", { labels: {}, value: v }) ?? String(v);
}

/** One scenario as a promtool test: alert checks from the worked-out states, with their values and annotations. */
export function buildScenario(spec: SloSpec, alerts: SloAlerts, s: ScenarioSpec): SloScenario {
  const window = sec(sloWindow(spec));
  const labels = sloLabels(spec);
  let problem = "no input";
  for (const input of inputs(spec, s.phases)) {
    const every = s.every ?? 1;
    const offsets = [0, 1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6, -6, 7, -7, 8, -8, 9, -9, 10, -10].filter((d) => d % every === 0);
    // No check before both alerts could have fired: the first evaluation with data, plus `for`, plus one.
    const earliest = Math.max(...[alerts.page, alerts.ticket].map((r) => Math.ceil(minutesOf(r.for) / every) * every + 2 * every));
    const checks: Check[] = [];
    const missed: number[] = [];
    for (const want of s.at.map((a) => Math.max(a, earliest))) {
      const found = offsets.map((d) => stableAt(spec, input, alerts, want + d, every)).find((c) => c !== undefined);
      if (found && !checks.some((c) => c.at === found.at)) checks.push(found);
      else if (!found) missed.push(want);
    }
    const lastMissed = missed.includes(Math.max(s.at.at(-1)!, earliest));
    problem = (s.allChecks !== false ? missed.length > 0 : lastMissed || checks.length < 2) ? `no time near ${missed.join(", ")}m is clear of every threshold` : (s.claim?.(checks) ?? "");
    if (problem !== "") continue;
    const consumed = (at: number): string => humanizePercentage((input.ratio(at * 60, window, false) ?? Number.NaN) / errorBudget(spec));
    // The first firing check of each alert also checks its pending window, when the evaluation its condition began
    // at is certain: every evaluation from there to the check holds, and the one before it certainly does not.
    const pendingChecked = new Set<string>();
    const since = (key: "page" | "ticket", at: number): number | undefined => {
      const conditions = key === "page" ? PAGE_CONDITIONS : TICKET_CONDITIONS;
      let m = at;
      while (m - every >= 0 && verdict(spec, input, conditions, (m - every) * 60).state === true) m -= every;
      if (m - every < 0) return m;
      return verdict(spec, input, conditions, (m - every) * 60).state === false ? m : undefined;
    };
    const alertChecks: AlertCheck[] = checks.flatMap((c) =>
      (["page", "ticket"] as const).map((key) => {
        const from = c.states[key] && !pendingChecked.has(key) ? since(key, c.at) : undefined;
        if (from !== undefined) pendingChecked.add(key);
        return {
          evalTime: `${c.at}m`,
          ...(from !== undefined ? { activeSince: `${from}m` } : {}),
          alert: alerts[key].alert,
          expect: c.states[key] ? [{ labels, value: c[key], annotations: { budget_consumed: consumed(c.at) } }] : [],
        };
      }),
    );
    return {
      test: { name: s.name(input.realized), interval: input.interval, ...(every !== 1 ? { evaluationInterval: `${every}m` } : {}), series: input.series, alerts: alertChecks },
      checks: checks.map((c) => ({ at: c.at, states: c.states })),
      input,
    };
  }
  throw new Error(`SLO "${spec.name}": cannot generate the unit test "${s.name(s.phases.map((p) => p.burn))}": ${problem}`);
}

const x = (b: number): string => `${Number(b.toPrecision(3))}x`;

/** Values of every recording rule at the end of a run (as Prometheus 3 counts ranges): the budget arithmetic. */
function arithmetic(spec: SloSpec, input: SliInput, at: number): ExprCheck[] {
  const only = `{slo="${spec.name}"}`;
  const labels = Object.entries(sloLabels(spec)).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(", ");
  const budget = errorBudget(spec);
  const burn = (w: Duration): number => (input.ratio(at * 60, sec(w), false) ?? Number.NaN) / budget;
  const check = (expr: string, value: number): ExprCheck => ({ evalTime: `${at}m`, expr, expect: [{ labels: `{${labels}}`, value }] });
  return [
    ...recordedWindows(spec).flatMap((w) => [
      check(`round(${SLO_RECORDS.badRatio(w)}${only} * 1000000)`, Math.round(burn(w) * budget * 1e6)),
      check(`round(${SLO_RECORDS.burnRate(w)}${only} * 10000)`, Math.round(burn(w) * 1e4)),
    ]),
    check(`round(${SLO_RECORDS.budgetRemaining}${only} * 10000)`, Math.round((1 - burn(sloWindow(spec))) * 1e4)),
    check(`round(${SLO_RECORDS.objective}${only} * 1000000)`, Math.round((spec.objective / 100) * 1e6)),
  ];
}

/** The burns the generated tests use: the issue's 20x / 1.5x / 0.5x where the SLO's factors leave room for them. */
export function scenarioBurns(spec: SloSpec): { readonly fast: number; readonly slow: number; readonly none: number } {
  const w = sloWindow(spec);
  const lowestPage = Math.min(...PAGE_CONDITIONS.map((c) => burnFactor(c, w)));
  const lowestTicket = Math.min(...TICKET_CONDITIONS.map((c) => burnFactor(c, w)));
  const fits = (b: number): boolean => b > lowestTicket * 1.15 && b < lowestPage / 1.15;
  return { fast: Math.min(20, 1 / errorBudget(spec)), slow: fits(1.5) ? 1.5 : Math.sqrt(lowestTicket * lowestPage), none: 0.5 };
}

/** The four scenarios of an SLO with alerting (the budget arithmetic only, without). */
export function sloScenarios(spec: SloSpec, alerts?: SloAlerts): SloScenario[] {
  const b = scenarioBurns(spec);
  const none: ScenarioSpec = {
    name: ([r]) => `a ${x(r!)} burn never alerts and leaves ${Number(((1 - r!) * 100).toPrecision(3))}% of the budget`,
    phases: [{ burn: b.none, minutes: 190 }],
    allChecks: false,
    every: 10,
    at: [30, 90, 180],
    claim: (cs) => (cs.some((c) => c.states.page || c.states.ticket) ? "an alert fires" : undefined),
  };
  if (!alerts) {
    const input = inputs(spec, none.phases).next().value as SliInput;
    return [{ test: { name: none.name(input.realized), interval: input.interval, evaluationInterval: "10m", series: input.series, exprs: arithmetic(spec, input, 180) }, checks: [], input }];
  }
  // Minutes after which an alert whose condition stops `window` minutes after the burn (at 60m) has settled.
  const cleared = (window: number, rule: AlertRule): number => Math.ceil((60 + window + minutesOf(rule.for) + 20) / 10) * 10;
  const fast = buildScenario(spec, alerts, {
    name: ([r]) => `a ${x(r!)} burn pages within an hour`,
    phases: [{ burn: b.fast, minutes: 70 }],
    every: 5,
    at: [30, 60],
    claim: (cs) => (cs.at(-1)!.states.page && cs.at(-1)!.at <= 60 ? undefined : "the page does not fire within the hour"),
  });
  const slow = buildScenario(spec, alerts, {
    name: ([r]) => `a ${x(r!)} burn tickets but never pages`,
    phases: [{ burn: b.slow, minutes: 190 }],
    allChecks: false,
    every: 10,
    at: [30, 90, 180],
    claim: (cs) => (cs.some((c) => c.states.page) ? "it pages" : cs.at(-1)!.states.ticket ? undefined : "the ticket does not fire"),
  });
  const quiet = buildScenario(spec, alerts, none);
  const recoveryOf = (burn: number): SloScenario => buildScenario(spec, alerts, {
    name: ([r]) => `after a ${r! * errorBudget(spec) >= 1 ? `full outage (${x(r!)} burn)` : `${x(r!)} burn`} stops the page clears, then the ticket`,
    // The page clears once the 30m window is past the burn, the ticket once the 6h window is, each after its `for`.
    phases: [{ burn, minutes: 60 }, { burn: 0, minutes: cleared(360, alerts.ticket) + 10 }],
    every: 10,
    at: [50, cleared(30, alerts.page), cleared(360, alerts.ticket)],
    claim: ([during, after, end]) =>
      !during!.states.page ? "the burn does not page" : after!.states.page ? "the page does not clear" : end!.states.page || end!.states.ticket ? "the alerts do not clear" : undefined,
  });
  // Eight hours of a sampled SLI at a 20x burn take more samples than promtool lets a query load: those SLOs
  // recover from a full outage instead (every sample failing), which needs the fewest.
  let recovery: SloScenario;
  try {
    recovery = recoveryOf(b.fast);
  } catch (e) {
    if (spec.sli.kind !== "availability") throw e;
    recovery = recoveryOf(1 / errorBudget(spec));
  }
  const withArithmetic: SloScenario = { ...quiet, test: { ...quiet.test, exprs: arithmetic(spec, quiet.input, 180) } };
  return [fast, slow, withArithmetic, recovery];
}

const cache = new Map<string, readonly RuleTest[]>();

/**
 * The promtool tests of an SLO's pack. Working them out takes tens of milliseconds and every build of the packs
 * asks again for the same specs, so results are kept by spec and alerts (they are plain values, never mutated).
 */
export function sloUnitTests(spec: SloSpec, alerts?: SloAlerts): RuleTest[] {
  const key = JSON.stringify([spec, alerts]);
  let tests = cache.get(key);
  if (tests === undefined) {
    tests = sloScenarios(spec, alerts).map((s) => s.test);
    if (cache.size > 1000) cache.clear();
    cache.set(key, tests);
  }
  return [...tests];
}
