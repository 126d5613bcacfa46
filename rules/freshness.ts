/** Data freshness: no new events for a while (seeds: DataFreshness), and pushgateway jobs that stopped pushing. */
import { parseDuration } from "../core/duration";
import type { RulePack, RuleTest } from "../core/rules/model";
import { sel } from "./config";
import { counter, gauge, labelsFor, type PackContext, series } from "./kit";

export const FRESHNESS_ALERTS = ["EventsIngestionStale", "PushgatewayJobStale"] as const;

export function freshnessPack({ content, b }: PackContext): RulePack {
  const c = content.freshness;
  const stale = b.alert({
    alert: "EventsIngestionStale",
    severity: "warning",
    expr: `sum by (job) (increase(${sel(c.eventsMetric, c.selector)}[${c.staleAfter}])) == 0`,
    annotations: {
      summary: `{{ $labels.job }} received no events for ${c.staleAfter}`,
      description: `{{ $labels.job }} has received no new events in the last ${c.staleAfter}: producers stopped sending or ingestion is broken, and every dashboard downstream shows stale data.`,
      dashboard: b.dashboard("serviceOverview"),
    },
  });
  const push = b.alert({
    alert: "PushgatewayJobStale",
    severity: "warning",
    threshold: c.pushStaleSeconds,
    expr: (t) => `time() - ${sel("push_time_seconds", c.pushSelector)} > ${t}`,
    annotations: (t) => ({
      summary: "Batch job {{ $labels.job }} last pushed {{ $value | humanizeDuration }} ago",
      description: `Batch job {{ $labels.job }} has not pushed to the Pushgateway for {{ $value | humanizeDuration }} (warning after ${t}s): it no longer runs or fails before pushing.`,
      dashboard: b.dashboard("serviceOverview"),
    }),
  });

  const api = { job: "api", ...labelsFor(c.selector) };
  const windowMin = (parseDuration(c.staleAfter) ?? 900_000) / 60_000;
  const n = windowMin * 2 + 10;
  const batch = { job: "nightly-backup", ...labelsFor(c.pushSelector) };
  const pt = push.threshold ?? 3600;
  const pm = Math.ceil(pt / 60) + 10;
  const tests: RuleTest[] = [
    {
      name: "events that keep arriving are fresh, events that stop go stale",
      series: [series(c.eventsMetric, api, counter([5, windowMin + 2], [0, windowMin + 8]))],
      alerts: [
        { evalTime: `${windowMin}m`, alert: stale.alert, expect: [] },
        { evalTime: `${n - 1}m`, alert: stale.alert, expect: [{ labels: { job: api.job } }] },
      ],
    },
    {
      name: "a batch job that pushes every minute is fresh, one that stopped is stale",
      series: [
        series("push_time_seconds", batch, `0+60x${pm}`),
        series("push_time_seconds", { ...batch, job: "stopped-job" }, gauge([0, pm + 1])),
      ],
      alerts: [{ evalTime: `${pm}m`, alert: push.alert, expect: [{ labels: { ...batch, job: "stopped-job" }, value: pm * 60 }] }],
    },
    {
      name: "a batch job that pushed recently is not stale",
      series: [series("push_time_seconds", batch, `0+60x${pm}`)],
      alerts: [{ evalTime: `${pm}m`, alert: push.alert, expect: [] }],
    },
  ];
  return { name: "freshness", groups: [{ name: "freshness", rules: [stale, push] }], tests };
}
