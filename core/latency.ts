/**
 * Detection latency from the configuration alone: the longest time between a fault starting and the first
 * notification about it reaching a receiver, per alert and receiver. It is the sum of what each stage may wait:
 *
 *  1. scrape: the fault starts right after a scrape, so the next one is a whole `scrape_interval` away; a target that
 *     hangs is only marked down when `scrape_timeout` runs out, and any sample is appended when the scrape ends;
 *     an expression over a range window (`max_over_time(x[5m]) == 0`, `rate(x[5m]) > t`) sees the fault fully only
 *     once the window holds no sample from before it: up to the window's length after the fault (the last good
 *     sample ages out), so this stage is the longer of the two — plus any `offset`, and a subquery's step;
 *  2. evaluation: the sample lands right after a rule evaluation, so the next one is `evaluation_interval` away;
 *  3. `for`: the alert fires at the first evaluation at least `for` after it became pending, i.e. after
 *     ceil(for / evaluation_interval) evaluations;
 *  4. Alertmanager: an alert that opens a new aggregation group is sent after `group_wait`; one that joins a group
 *     already notified waits for the group's next flush, up to `group_interval`;
 *  5. delivery: Prometheus → Alertmanager → the receiver's endpoint (a budget the caller gives; webhooks take
 *     milliseconds, email relays seconds).
 *
 * Prometheus sends an alert to Alertmanager at the evaluation that makes it fire, so there is no resend delay in
 * the bound. Mute/active time intervals and inhibitions are not waits but silences: they are not part of it.
 */
import type { AlertmanagerConfig, Labels } from "./alertmanager/model";
import { matchRoutes } from "./alertmanager/matcher";
import { parseDuration } from "./duration";
import type { PrometheusConfig, ScrapeJob } from "./prometheus/model";
import { alertStaticLabels, isAlertRule, type RulePack } from "./rules/model";

/** Prometheus's own defaults when the config leaves a value out. */
const DEFAULT_SCRAPE_TIMEOUT = "10s";
/** Delivery budget when the caller gives none: a webhook on the same network. */
export const DEFAULT_DELIVERY_MS = 1_000;

function ms(d: string | undefined, what: string): number {
  const v = parseDuration(d ?? "");
  if (v === undefined) throw new Error(`${what}: "${d}" is not a duration`);
  return v;
}

/** The stages of one alert's path, in milliseconds. */
export interface LatencyInputs {
  readonly scrapeIntervalMs: number;
  readonly scrapeTimeoutMs: number;
  readonly evaluationIntervalMs: number;
  /** The alert's `for` (0 when it has none). */
  readonly forMs: number;
  /**
   * The longest range window of the alert's expression, plus its longest `offset` and a subquery's step
   * (`rangeWindowMs`): how long after the fault samples from before it still count. @default 0 (instant selectors)
   */
  readonly windowMs?: number;
  readonly groupWaitMs: number;
  readonly groupIntervalMs: number;
  readonly deliveryMs: number;
}

export interface LatencyBreakdown extends LatencyInputs {
  readonly windowMs: number;
  /** `for` rounded up to whole evaluation intervals: when the alert actually fires after becoming pending. */
  readonly forRoundedMs: number;
  /** Fault → first notification when the alert opens its own aggregation group (the usual case for a new fault). */
  readonly boundMs: number;
  /** Same, when the alert joins a group that has already notified (it waits for the next `group_interval` flush). */
  readonly boundInExistingGroupMs: number;
}

/** The arithmetic of the bound, pure. */
export function latencyBound(i: LatencyInputs): LatencyBreakdown {
  for (const [k, v] of Object.entries(i)) {
    if (!Number.isFinite(v) || v < 0) throw new RangeError(`${k} must be a non-negative number of milliseconds, got ${v}`);
  }
  if (i.evaluationIntervalMs === 0) throw new RangeError("evaluationIntervalMs must be positive");
  const forRoundedMs = Math.ceil(i.forMs / i.evaluationIntervalMs) * i.evaluationIntervalMs;
  const windowMs = i.windowMs ?? 0;
  // The first sample of the fault is in after a scrape (+ timeout); the window holds only fault samples once the
  // last one from before the fault is older than the window (that sample is at most the fault's start).
  const detect = Math.max(i.scrapeIntervalMs + i.scrapeTimeoutMs, windowMs) + i.evaluationIntervalMs + forRoundedMs;
  return {
    ...i,
    windowMs,
    forRoundedMs,
    boundMs: detect + i.groupWaitMs + i.deliveryMs,
    boundInExistingGroupMs: detect + Math.max(i.groupWaitMs, i.groupIntervalMs) + i.deliveryMs,
  };
}

const DURATION = "(?:\\d+(?:ms|[smhdwy]))+";
const RANGE_RE = new RegExp(`\\[\\s*(${DURATION})\\s*(?::\\s*(${DURATION})?\\s*)?\\]`, "g");
const OFFSET_RE = new RegExp(`\\boffset\\s+(-?${DURATION})`, "g");

/**
 * How long samples from before a fault can still decide an expression: its longest range window (a subquery's
 * range plus its step), plus its longest positive `offset`. 0 for an expression of instant selectors only. Strings
 * and comments are not read (a label value may look like `[5m]`).
 */
export function rangeWindowMs(expr: string, evaluationIntervalMs = 0): number {
  const code = expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""').replace(/#[^\n]*/g, "");
  let window = 0;
  for (const m of code.matchAll(RANGE_RE)) {
    const range = ms(m[1], `range [${m[1]}]`);
    // A subquery without a step is evaluated at the rule's evaluation interval.
    const step = m[0].includes(":") ? (m[2] !== undefined ? ms(m[2], `subquery step ${m[2]}`) : evaluationIntervalMs) : 0;
    window = Math.max(window, range + step);
  }
  let offset = 0;
  for (const m of code.matchAll(OFFSET_RE)) if (!m[1]!.startsWith("-")) offset = Math.max(offset, ms(m[1], `offset ${m[1]}`));
  return window + offset;
}

/** A job's effective scrape interval and timeout, with Prometheus's rule: an unset job timeout is the global one capped at the job's interval. */
export function effectiveScrape(global: PrometheusConfig["global"], job: ScrapeJob): { intervalMs: number; timeoutMs: number } {
  const intervalMs = ms(job.scrapeInterval ?? global.scrapeInterval, `scrape job "${job.name}" scrape_interval`);
  if (job.scrapeTimeout !== undefined) return { intervalMs, timeoutMs: ms(job.scrapeTimeout, `scrape job "${job.name}" scrape_timeout`) };
  const globalTimeout = ms(global.scrapeTimeout ?? DEFAULT_SCRAPE_TIMEOUT, "global scrape_timeout");
  return { intervalMs, timeoutMs: Math.min(globalTimeout, intervalMs) };
}

export interface AlertLatency {
  readonly alert: string;
  /** The labels the route was looked up with (rule labels + severity + external labels + the caller's). */
  readonly labels: Labels;
  readonly receiver: string;
  /** The scrape job whose interval was used, or "(slowest job)" when the alert names none. */
  readonly job: string;
  readonly breakdown: LatencyBreakdown;
}

export interface DetectionLatencyOptions {
  readonly prometheus: PrometheusConfig;
  readonly rulePacks: readonly RulePack[];
  readonly alertmanager: AlertmanagerConfig;
  /**
   * Labels the alert will carry beyond its static ones, by alert name (e.g. `{ job: "api" }` for ServiceDown):
   * `job` picks the scrape job whose timing applies, and all of them choose the route.
   */
  readonly labels?: Readonly<Record<string, Labels>>;
  /** @default DEFAULT_DELIVERY_MS */
  readonly deliveryMs?: number;
  /** Only these alerts. @default every alert of the packs */
  readonly alerts?: readonly string[];
}

/**
 * The bound for every alert (or the named ones) and every receiver its route reaches. Without a `job` label the
 * slowest scrape job is assumed, which is an upper bound for any of them.
 */
export function detectionLatencies(opts: DetectionLatencyOptions): AlertLatency[] {
  const { prometheus: p, alertmanager: am } = opts;
  const global = p.global;
  const evalDefault = ms(global.evaluationInterval, "global evaluation_interval");
  const jobs = new Map(p.scrapeJobs.map((j) => [j.name, effectiveScrape(global, j)] as const));
  const slowest = [...jobs.values()].reduce(
    (a, b) => ({ intervalMs: Math.max(a.intervalMs, b.intervalMs), timeoutMs: Math.max(a.timeoutMs, b.timeoutMs) }),
    { intervalMs: ms(global.scrapeInterval, "global scrape_interval"), timeoutMs: 0 },
  );
  const wanted = opts.alerts ? new Set(opts.alerts) : undefined;
  const out: AlertLatency[] = [];
  const seen = new Set<string>();
  for (const pack of opts.rulePacks) {
    for (const group of pack.groups) {
      const evaluationIntervalMs = group.interval !== undefined ? ms(group.interval, `rule group "${group.name}" interval`) : evalDefault;
      for (const rule of group.rules) {
        if (!isAlertRule(rule) || (wanted && !wanted.has(rule.alert))) continue;
        seen.add(rule.alert);
        const extra = opts.labels?.[rule.alert] ?? {};
        const labels: Labels = { ...(global.externalLabels ?? {}), ...extra, ...alertStaticLabels(rule), alertname: rule.alert };
        const jobName = extra.job;
        const scrape = jobName !== undefined ? jobs.get(jobName) : slowest;
        if (scrape === undefined) throw new Error(`alert "${rule.alert}": no scrape job "${jobName}" (jobs: ${[...jobs.keys()].join(", ")})`);
        for (const m of matchRoutes(am, labels)) {
          out.push({
            alert: rule.alert,
            labels,
            receiver: m.receiver,
            job: jobName ?? "(slowest job)",
            breakdown: latencyBound({
              scrapeIntervalMs: scrape.intervalMs,
              scrapeTimeoutMs: scrape.timeoutMs,
              evaluationIntervalMs,
              forMs: rule.for !== undefined ? ms(rule.for, `alert "${rule.alert}" for`) : 0,
              windowMs: rangeWindowMs(typeof rule.expr === "string" ? rule.expr : rule.expr.toString(), evaluationIntervalMs),
              groupWaitMs: ms(m.groupWait, `route ${m.path} group_wait`),
              groupIntervalMs: ms(m.groupInterval, `route ${m.path} group_interval`),
              deliveryMs: opts.deliveryMs ?? DEFAULT_DELIVERY_MS,
            }),
          });
        }
      }
    }
  }
  for (const name of wanted ?? []) if (!seen.has(name)) throw new Error(`alert "${name}" is not defined by any rule pack`);
  return out;
}

/** `12.5s` style for printing. */
export function formatMs(v: number): string {
  return `${(v / 1000).toFixed(v % 1000 === 0 ? 0 : 1)}s`;
}
