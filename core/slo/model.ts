/**
 * The typed model of a service level objective (SLO): what is measured (the SLI: an event ratio from counters, a
 * latency threshold on a histogram, or availability from probe/scrape samples), the objective, the window it is
 * judged over, and the multi-window multi-burn-rate alerts of the SRE workbook. Values only: `core/slo/render`
 * turns a spec into a rule pack, `core/slo/validate` checks it first.
 */
import type { Duration } from "../duration";

/** Windows an SLO is judged over. 30d is the workbook's; 28d keeps whole weeks; 7d suits young services. */
export const SLO_WINDOWS = ["7d", "28d", "30d"] as const;
/** A window an SLO may be judged over, as in `SLO_WINDOWS`. */
export type SloWindow = (typeof SLO_WINDOWS)[number];

/** The SLO window used when a spec sets none: 30 days, the SRE workbook's. */
export const DEFAULT_SLO_WINDOW: SloWindow = "30d";

/** Series of one metric: `metric{selector}`; the selector is PromQL label matchers without braces. */
export interface SeriesOf {
  readonly metric: string;
  /** e.g. `job="api"`; empty selects every series of the metric. */
  readonly selector: string;
}

/** Bad events over all events, from two counters (e.g. 5xx responses over all responses). */
export interface EventRatioSli {
  readonly kind: "eventRatio";
  /** Counter of every event. */
  readonly total: SeriesOf;
  /**
   * Counter of the bad events among them. It must select a subset of `total`: the same matchers plus more (e.g.
   * `job="api",status=~"5.."` under `job="api"`), or bad events would be counted that are not events.
   */
  readonly bad: SeriesOf;
}

/** Requests slower than a threshold over all requests, from a classic histogram. */
export interface LatencySli {
  readonly kind: "latency";
  /** The histogram's base name: `<metric>_bucket` and `<metric>_count` are read. */
  readonly metric: string;
  readonly selector: string;
  /** Seconds; an event is good when it took at most this long. Must be one of `buckets`. */
  readonly threshold: number;
  /**
   * The bucket upper bounds the service's histogram declares. The threshold must be one of them: between two
   * boundaries, Prometheus cannot tell fast from slow requests in that bucket. Without them the threshold cannot
   * be checked (a warning).
   */
  readonly buckets?: readonly number[];
}

/** Failed samples over all samples of a 0/1 gauge: blackbox_exporter's `probe_success`, or `up`. */
export interface AvailabilitySli {
  readonly kind: "availability";
  readonly metric: "probe_success" | "up";
  readonly selector: string;
}

/**
 * What an SLO measures: an event ratio of two counters, a latency threshold on a histogram, or availability from probe
 * or scrape samples.
 */
export type Sli = EventRatioSli | LatencySli | AvailabilitySli;

/** Whether an SLO gets its burn-rate alerts (a page and a ticket) and the subject of their names. */
export interface SloAlerting {
  /** @default true */
  readonly enabled?: boolean;
  /** PascalCase subject of the two alert names (`<name>BudgetBurnFast`, `<name>BudgetBurnSlow`). @default the SLO name in PascalCase */
  readonly name?: string;
}

/**
 * One service level objective: the service, what is measured (`sli`), the objective in percent and the window;
 * `sloPack` turns it into recording rules, burn-rate alerts and their unit tests.
 */
export interface SloSpec {
  /** kebab-case and unique: the `slo` label, the rule pack `slo-<name>`, the subject of the alert names. */
  readonly name: string;
  /** The `service` label of every series and alert (routing groups and inhibits by it). */
  readonly service: string;
  /** One sentence for people: what a good event is, e.g. "API requests answered without a 5xx". */
  readonly description: string;
  /** Percent of good events, above 0 and below 100, e.g. `99.9`. */
  readonly objective: number;
  /** @default "30d" */
  readonly window?: SloWindow;
  readonly sli: Sli;
  /** Extra labels on every recording rule and alert (e.g. `team`); `slo`, `service`, `severity` are reserved. */
  readonly labels?: Readonly<Record<string, string>>;
  readonly alerting?: SloAlerting;
}

/**
 * One alert condition: the burn rate must exceed the factor over the long window (enough budget is gone) and over
 * the short one (it is still burning, so the alert clears soon after the burn stops).
 */
export interface BurnCondition {
  readonly long: Duration;
  readonly short: Duration;
  /** Share of the whole budget the burn spends within the long window when it fires (the workbook's table). */
  readonly budgetShare: number;
}

/** Page: 2% of the budget in 1h (14.4x over 30d), or 5% in 6h (6x). */
export const PAGE_CONDITIONS: readonly BurnCondition[] = [
  { long: "1h", short: "5m", budgetShare: 0.02 },
  { long: "6h", short: "30m", budgetShare: 0.05 },
];

/** Ticket: 10% of the budget in 1d (3x over 30d), or 10% in 3d (1x). */
export const TICKET_CONDITIONS: readonly BurnCondition[] = [
  { long: "1d", short: "2h", budgetShare: 0.1 },
  { long: "3d", short: "6h", budgetShare: 0.1 },
];

/** The alert windows, shortest first: the SLI is recorded over each of these and over the SLO window. */
export const ALERT_WINDOWS: readonly Duration[] = ["5m", "30m", "1h", "2h", "6h", "1d", "3d"];

/** The longest alert window: an SLO window must not be shorter. */
export const LONGEST_ALERT_WINDOW: Duration = "3d";

const HOURS: Readonly<Record<string, number>> = { "5m": 1 / 12, "30m": 0.5, "1h": 1, "2h": 2, "6h": 6, "1d": 24, "3d": 72, "7d": 168, "28d": 672, "30d": 720 };

/** Hours of an alert or SLO window. */
export function windowHours(w: Duration): number {
  const h = HOURS[w];
  if (h === undefined) throw new Error(`not an SLO or alert window: ${w}`);
  return h;
}

/**
 * The burn-rate factor of a condition for an SLO window: `budgetShare × window / long window`, never below 1.
 *
 * The workbook states its alerts as shares of the budget spent within a window (2% in 1h pages); its factors
 * (14.4, 6, 3, 1) are those shares for 30 days. Keeping the shares is what keeps the meaning for other windows,
 * because `window / factor` is the time left until the budget is gone: a page still means "gone within about two
 * days" (1h / 2%) for a 7d or 28d SLO. So 28d gives 13.44, 5.6, 2.8 (Sloth's 28d catalog does the same) and 7d
 * gives 3.36, 1.4. Below 1x a burn does not exhaust the budget within the window, so a factor is never below 1: the
 * 3d ticket stays 1x for 28d (Sloth: 0.933x) and 7d (the formula: 0.23x, which would ticket healthy services).
 */
export function burnFactor(c: BurnCondition, window: SloWindow): number {
  const key = `${c.budgetShare}/${c.long}/${window}`;
  let f = factors.get(key);
  if (f === undefined) factors.set(key, (f = Math.max(1, Number(((c.budgetShare * windowHours(window)) / windowHours(c.long)).toPrecision(6)))));
  return f;
}
// The generated tests ask for the same few numbers tens of thousands of times; toPrecision is not cheap.
const factors = new Map<string, number>();
const budgets = new Map<number, number>();

/** The error budget as a ratio of events: `1 - objective/100` (0.001 for 99.9), without float noise. */
export function errorBudget(spec: Pick<SloSpec, "objective">): number {
  let b = budgets.get(spec.objective);
  if (b === undefined) budgets.set(spec.objective, (b = Number((1 - spec.objective / 100).toPrecision(12))));
  return b;
}

/** The window an SLO is judged over: its own `window`, else `DEFAULT_SLO_WINDOW`. */
export function sloWindow(spec: Pick<SloSpec, "window">): SloWindow {
  return spec.window ?? DEFAULT_SLO_WINDOW;
}

/** Every window the SLI is recorded over: the alert windows, then the SLO window. */
export function recordedWindows(spec: Pick<SloSpec, "window">): Duration[] {
  return [...ALERT_WINDOWS, sloWindow(spec)];
}

/** `api-availability` → `ApiAvailability`. */
export function pascalCase(kebab: string): string {
  return kebab
    .split(/[-_]/)
    .filter((p) => p !== "")
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join("");
}

/** The page (critical) and ticket (warning) alert names of an SLO. */
export function sloAlertNames(spec: Pick<SloSpec, "name" | "alerting">): { readonly page: string; readonly ticket: string } {
  const subject = spec.alerting?.name ?? pascalCase(spec.name);
  return { page: `${subject}BudgetBurnFast`, ticket: `${subject}BudgetBurnSlow` };
}

/** Whether the SLO's burn-rate alerts are generated (`alerting.enabled`, true unless set to false). */
export function alertingEnabled(spec: Pick<SloSpec, "alerting">): boolean {
  return spec.alerting?.enabled ?? true;
}

/** The rule pack (and its only group) of an SLO. */
export function sloPackName(spec: Pick<SloSpec, "name">): string {
  return `slo-${spec.name}`;
}

/** Recording rules of every SLO (`level:metric:operations`, level `slo`): one series per SLO, labelled `slo`. */
export const SLO_RECORDS = {
  /** Share of bad events over a window, e.g. `slo:bad_events:ratio_rate5m`. */
  badRatio: (w: Duration): string => `slo:bad_events:ratio_rate${w}`,
  /** That share over the error budget: 1 spends exactly the budget in the SLO window. */
  burnRate: (w: Duration): string => `slo:error_budget:burn_rate${w}`,
  /** Share of the window's budget left: 1 - the burn rate over the SLO window (negative when overspent). */
  budgetRemaining: "slo:error_budget:remaining_ratio",
  /** The objective as a ratio (0.999). */
  objective: "slo:objective:ratio",
} as const;

/** Prometheus 3 writes classic-histogram `le` values as floats: `1` is scraped as "1.0", `0.1` stays "0.1". */
export function leValue(seconds: number): string {
  return Number.isInteger(seconds) ? `${seconds}.0` : String(seconds);
}

/** The labels of every series and alert of an SLO. */
export function sloLabels(spec: Pick<SloSpec, "name" | "service" | "labels">): Record<string, string> {
  return { ...(spec.labels ?? {}), service: spec.service, slo: spec.name };
}
