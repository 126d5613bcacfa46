/**
 * Business KPI / SLO-target alerts: `kpi(...)` declares a target (a metric, how to aggregate it, bounds with a
 * severity each) and the pack derives the alert and its firing / not-firing unit tests. `seedKpiTargets` are the
 * seeds' sprint targets: throughput >= 1M events/s, satisfaction >= 90%, >= 5 pilot customers, accuracy >= 99%.
 */
import type { DashboardKey } from "../core/conventions";
import type { Duration } from "../core/duration";
import type { AlertRule, RulePack, RuleTest } from "../core/rules/model";
import type { Severity } from "../core/severity";
import { type Selector, sel } from "./config";
import { counter, firingAt, gauge, HOLDS_FROM_SECOND_SAMPLE, HOLDS_FROM_START, labelsFor, type PackContext, series, stepsFor } from "./kit";

/** One bound of a KPI target: alert at a severity while the KPI is below (or above) a value, optionally for a while. */
export interface KpiBound {
  /** Alert while the KPI is below this value (give exactly one of `below` / `above`). */
  readonly below?: number;
  /** Alert while the KPI is above this value. */
  readonly above?: number;
  readonly severity: Severity;
  readonly for?: Duration;
  /** @default `<name>BelowTarget` / `<name>AboveTarget`, plus the severity when two bounds share a direction */
  readonly alert?: string;
}

/**
 * A business KPI target: the metric, how it is aggregated and printed, and the bounds that raise alerts; the `kpi`
 * pack derives each alert and its unit tests.
 */
export interface KpiTarget {
  /** PascalCase subject of the alert names, e.g. `EventThroughput`. */
  readonly name: string;
  /** Lower-case noun phrase for messages, e.g. `event throughput`. */
  readonly title: string;
  readonly metric: string;
  /** `counter`: the KPI is the per-second rate over 5 minutes; `gauge`: the value itself. */
  readonly kind: "gauge" | "counter";
  /** @default "sum" for counters, "avg" for gauges */
  readonly aggregate?: "sum" | "avg" | "min" | "max";
  /** Labels kept, e.g. `["customer_id"]` for one alert per customer. @default [] */
  readonly by?: readonly string[];
  readonly selector?: Selector;
  /** How values print: `percent` (0–100), `ratio` (0–1), `count`, `perSecond`. */
  readonly unit: "percent" | "ratio" | "count" | "perSecond";
  readonly bounds: readonly KpiBound[];
  /** Why this target: goes into the description. */
  readonly why: string;
  /** @default "businessKpis" */
  readonly dashboard?: DashboardKey;
}

/** Identity helper that types a KPI target literal. */
export function kpi(target: KpiTarget): KpiTarget {
  return target;
}

/**
 * The seeds' sprint targets: throughput of at least 1M events/s, satisfaction of at least 90%, at least 5 pilot
 * customers, accuracy of at least 99%. Pass them (or your own) as `kpis` to `buildRulePacks`.
 */
export const seedKpiTargets: readonly KpiTarget[] = [
  kpi({
    name: "EventThroughput", title: "event throughput", metric: "attribution_events_processed_total", kind: "counter", unit: "perSecond",
    bounds: [{ below: 1_000_000, severity: "critical", for: "5m" }],
    why: "The sprint's technical goal is 1M+ events/s processed.", dashboard: "performance",
  }),
  kpi({
    name: "CustomerSatisfaction", title: "average customer satisfaction", metric: "customer_satisfaction_score", kind: "gauge", unit: "percent",
    bounds: [{ below: 90, severity: "critical", for: "10m" }],
    why: "Pilot customers must stay above 90% satisfaction.", dashboard: "customerSuccess",
  }),
  kpi({
    name: "PilotCustomers", title: "pilot customer count", metric: "total_pilot_customers", kind: "gauge", aggregate: "max", unit: "count",
    bounds: [{ below: 5, severity: "warning", for: "1h" }],
    why: "The week-1 target is 5 pilot customers.", dashboard: "customerSuccess",
  }),
  kpi({
    name: "AttributionAccuracy", title: "attribution accuracy", metric: "attribution_accuracy_percent", kind: "gauge", by: ["customer_id"], unit: "percent",
    bounds: [{ below: 99, severity: "critical", for: "15m" }],
    why: "Customers were promised more than 99% attribution accuracy.", dashboard: "customerSuccess",
  }),
];

const FORMAT: Readonly<Record<KpiTarget["unit"], (v: string) => string>> = {
  percent: (v) => `{{ ${v} | humanize }}%`,
  ratio: (v) => `{{ ${v} | humanizePercentage }}`,
  count: (v) => `{{ ${v} | humanize }}`,
  perSecond: (v) => `{{ ${v} | humanize }}/s`,
};

function plain(unit: KpiTarget["unit"], v: number): string {
  return unit === "percent" ? `${v}%` : unit === "ratio" ? `${v * 100}%` : unit === "perSecond" ? `${v}/s` : String(v);
}

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

export function kpiPack({ b }: PackContext, targets: readonly KpiTarget[]): RulePack {
  const rules: AlertRule[] = [];
  const tests: RuleTest[] = [];
  for (const k of targets) {
    const agg = k.aggregate ?? (k.kind === "counter" ? "sum" : "avg");
    const by = k.by ?? [];
    const source = k.kind === "counter" ? `rate(${sel(k.metric, k.selector ?? "")}[5m])` : sel(k.metric, k.selector ?? "");
    const value = `${agg}${by.length > 0 ? ` by (${by.join(", ")})` : ""} (${source})`;
    const where = by.map((l) => ` for ${l} {{ $labels.${l} }}`).join("");
    const shared = (dir: "below" | "above") => k.bounds.filter((x) => (dir === "below" ? x.below : x.above) !== undefined).length > 1;
    for (const bound of k.bounds) {
      const dir = bound.below !== undefined ? "below" : "above";
      const target = bound.below ?? bound.above ?? Number.NaN;
      const op = dir === "below" ? "<" : ">";
      const rule = b.alert({
        alert: bound.alert ?? `${k.name}${dir === "below" ? "Below" : "Above"}Target${shared(dir) ? cap(bound.severity) : ""}`,
        severity: bound.severity,
        for: bound.for,
        threshold: target,
        expr: (t) => `${value} ${op} ${t}`,
        annotations: (t) => ({
          summary: `${cap(k.title)}${where} is ${FORMAT[k.unit]("$value")}, ${dir} the target of ${plain(k.unit, t)}`,
          description: `${cap(k.title)}${where} has been ${FORMAT[k.unit]("$value")} for ${bound.for ?? "a moment"}; the target is ${dir === "below" ? "at least" : "at most"} ${plain(k.unit, t)}. ${k.why}`,
          dashboard: b.dashboard(k.dashboard ?? "businessKpis"),
        }),
      });
      rules.push(rule);
      // Unit tests: a value well on the wrong side fires, one well on the right side does not.
      const t = rule.threshold ?? target;
      const [low, high] = t > 0 ? [t / 2, t * 1.5] : [t - 1, t + 1];
      const [bad, good] = dir === "below" ? [low, high] : [high, low];
      const labels = { ...Object.fromEntries(by.map((l) => [l, "test"])), ...labelsFor(k.selector ?? "") };
      const n = stepsFor(rule);
      const input = (v: number) => [series(k.metric, labels, k.kind === "counter" ? counter([v, n]) : gauge([v, n]))];
      const expLabels = Object.fromEntries(by.map((l) => [l, labels[l] ?? "test"]));
      tests.push(
        {
          name: `${k.title} ${dir} ${plain(k.unit, t)} raises ${rule.alert}`,
          series: input(bad),
          alerts: [{
            evalTime: firingAt(rule),
            // A bound without `for` fires at once: no pending window to check.
            ...(rule.for ? { activeSince: k.kind === "counter" ? HOLDS_FROM_SECOND_SAMPLE : HOLDS_FROM_START } : {}),
            alert: rule.alert,
            expect: [{ labels: expLabels, value: bad }],
          }],
        },
        {
          name: `${k.title} on target does not raise ${rule.alert}`,
          series: input(good),
          alerts: [{ evalTime: firingAt(rule), alert: rule.alert, expect: [] }],
        },
      );
    }
  }
  return { name: "kpi", groups: [{ name: "kpi", rules }], tests };
}
