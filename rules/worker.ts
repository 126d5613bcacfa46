/**
 * Worker and queue: backlog (seeds: warn at 1,000 for 5m, page at 5,000 for 2m), near capacity (seeds: 9,000 of
 * 10,000 = 90%), processing stalled, worker error rate, batch duration; plus the recording rules the worker
 * dashboard reads.
 */
import { RECORDING_RULES as R } from "../core/conventions";
import type { RulePack, RuleTest } from "../core/rules/model";
import { sel } from "./config";
import { counter, firingAt, gauge, HOLDS_FROM_SECOND_SAMPLE, HOLDS_FROM_START, labelsFor, pct, series, stepsFor, type PackContext } from "./kit";

export const WORKER_ALERTS = [
  "QueueBacklogHigh", "QueueBacklogCritical", "QueueNearCapacity", "WorkerProcessingStalled", "WorkerErrorRateHigh", "WorkerBatchDurationHigh",
] as const;

export function workerPack({ content, b }: PackContext): RulePack {
  const c = content.queue;
  const depth = `max by (job, queue) (${sel(c.depthMetric, c.selector)})`;
  const dashboard = b.dashboard("workerQueue");
  const backlog = (alert: string, severity: "warning" | "critical", threshold: number, forD: string) =>
    b.alert({
      alert,
      severity,
      for: forD,
      threshold,
      expr: (t) => `${depth} > ${t}`,
      annotations: (t) => ({
        summary: "Queue {{ $labels.queue }} holds {{ $value | humanize }} items",
        description: `Queue {{ $labels.queue }} of {{ $labels.job }} holds {{ $value | humanize }} waiting items (${severity} above ${t}): workers do not keep up with producers.`,
        dashboard,
      }),
    });
  const backWarn = backlog("QueueBacklogHigh", "warning", c.backlogWarning, "5m");
  const backCrit = backlog("QueueBacklogCritical", "critical", c.backlogCritical, "2m");
  const capacity = b.alert({
    alert: "QueueNearCapacity",
    severity: "critical",
    for: "1m",
    threshold: c.capacityRatioCritical,
    expr: (t) => `${depth}\n/\n(max by (job, queue) (${sel(c.capacityMetric, c.selector)}) > 0)\n> ${t}`,
    annotations: (t) => ({
      summary: "Queue {{ $labels.queue }} is {{ $value | humanizePercentage }} full",
      description: `Queue {{ $labels.queue }} of {{ $labels.job }} is {{ $value | humanizePercentage }} full (critical above ${pct(t)}); when full, producers block or drop events.`,
      dashboard,
    }),
  });
  const stalled = b.alert({
    alert: "WorkerProcessingStalled",
    severity: "critical",
    for: "5m",
    expr: `sum by (job) (rate(${sel(c.processedMetric, c.selector)}[10m])) == 0\nand on (job)\nmax by (job) (${sel(c.depthMetric, c.selector)}) > 0`,
    annotations: {
      summary: "{{ $labels.job }} processes nothing while items wait",
      description: "{{ $labels.job }} has processed no item for 10 minutes although its queue is not empty: workers are stuck or gone.",
      dashboard,
    },
  });
  const errors = b.alert({
    alert: "WorkerErrorRateHigh",
    severity: "warning",
    for: "5m",
    threshold: c.errorRateWarning,
    expr: (t) => `${R.workerErrorsRatio} > ${t}`,
    annotations: (t) => ({
      summary: "{{ $labels.job }} fails {{ $value | humanizePercentage }} of items",
      description: `{{ $value | humanizePercentage }} of the items {{ $labels.job }} processed over 5 minutes failed (warning above ${pct(t)}); see ${c.errorsMetric} by type.`,
      dashboard,
    }),
  });
  const batch = b.alert({
    alert: "WorkerBatchDurationHigh",
    severity: "warning",
    for: "10m",
    threshold: c.batchDurationP95Warning,
    expr: (t) => `histogram_quantile(0.95, sum by (job, le) (rate(${sel(`${c.batchDurationMetric}_bucket`, c.selector)}[5m]))) > ${t}`,
    annotations: (t) => ({
      summary: "{{ $labels.job }} p95 batch time is {{ $value | humanizeDuration }}",
      description: `95% of {{ $labels.job }}'s batches took up to {{ $value | humanizeDuration }} over 5 minutes (warning above ${t}s).`,
      dashboard,
    }),
  });
  const groups = [
    {
      name: "worker-recording",
      rules: [
        { record: R.workerProcessedRate, expr: `sum by (job, status) (rate(${sel(c.processedMetric, c.selector)}[5m]))` },
        {
          record: R.workerErrorsRatio,
          expr: `(\n  sum by (job) (${R.workerProcessedRate}{status="error"})\n  or\n  sum by (job) (${R.workerProcessedRate}) * 0\n)\n/\nsum by (job) (${R.workerProcessedRate})`,
        },
      ],
    },
    { name: "worker", rules: [backWarn, backCrit, capacity, stalled, errors, batch] },
  ];

  const base = { job: "worker", ...labelsFor(c.selector) };
  const q = { job: base.job, queue: "events" };
  const n = Math.max(...[backWarn, backCrit, capacity, stalled, errors, batch].map((r) => stepsFor(r, 12)));
  const [bw, bc] = [backWarn.threshold ?? 0, backCrit.threshold ?? 0];
  const cap = Math.max(bc * 2, 10_000);
  const capT = capacity.threshold ?? 0.9;
  const queue = (d: number): RuleTest["series"] => [
    series(c.depthMetric, { ...base, queue: "events" }, gauge([d, n])),
    series(c.capacityMetric, { ...base, queue: "events" }, gauge([cap, n])),
  ];
  const processed = (perSec: number, errorRatio: number): RuleTest["series"] => [
    series(c.processedMetric, { ...base, status: "success" }, counter([perSec * (1 - errorRatio), n])),
    series(c.processedMetric, { ...base, status: "error" }, counter([perSec * errorRatio, n])),
  ];
  const bt = batch.threshold ?? 30;
  const batches = (hi: number): RuleTest["series"] => [
    ...[bt / 2, bt, bt * 2].map((le) => series(`${c.batchDurationMetric}_bucket`, { ...base, le: String(le) }, counter([le >= hi ? 1 : 0, n]))),
    series(`${c.batchDurationMetric}_bucket`, { ...base, le: "+Inf" }, counter([1, n])),
  ];
  const ew = errors.threshold ?? 0.05;
  const midDepth = Math.round((bw + Math.min(bc, cap * capT)) / 2);
  const overDepth = Math.round((Math.max(bc, cap * capT) + cap) / 2);
  const tests: RuleTest[] = [
    {
      name: "a backlog between warning and critical warns and does not page",
      series: [...queue(midDepth), ...processed(10, ew / 2), ...batches(bt / 2)],
      alerts: [
        { evalTime: firingAt(backWarn), activeSince: HOLDS_FROM_START, alert: backWarn.alert, expect: [{ labels: q, value: midDepth }] },
        { evalTime: firingAt(backCrit), alert: backCrit.alert, expect: [] },
        { evalTime: firingAt(capacity), alert: capacity.alert, expect: [] },
        { evalTime: firingAt(stalled, 12), alert: stalled.alert, expect: [] },
        { evalTime: firingAt(errors), alert: errors.alert, expect: [] },
        { evalTime: firingAt(batch), alert: batch.alert, expect: [] },
      ],
      exprs: [
        { evalTime: "10m", expr: `round(${R.workerProcessedRate}{status="error"}, 0.0001)`, expect: [{ labels: `{job="${base.job}", status="error"}`, value: Math.round(10 * (ew / 2) * 1e4) / 1e4 }] },
        { evalTime: "10m", expr: `round(${R.workerErrorsRatio}, 0.0001)`, expect: [{ labels: `{job="${base.job}"}`, value: Math.round((ew / 2) * 1e4) / 1e4 }] },
      ],
    },
    {
      name: "a backlog near capacity pages twice",
      series: [...queue(overDepth), ...processed(10, 0)],
      alerts: [
        { evalTime: firingAt(backCrit), activeSince: HOLDS_FROM_START, alert: backCrit.alert, expect: [{ labels: q, value: overDepth }] },
        { evalTime: firingAt(capacity), activeSince: HOLDS_FROM_START, alert: capacity.alert, expect: [{ labels: q, value: overDepth / cap }] },
      ],
    },
    {
      name: "a worker that stopped processing while items wait pages",
      series: [...queue(10), ...processed(0, 0)],
      alerts: [{ evalTime: firingAt(stalled, 12), activeSince: HOLDS_FROM_SECOND_SAMPLE, alert: stalled.alert, expect: [{ labels: { job: base.job } }] }],
    },
    {
      name: "a high worker error rate and slow batches warn",
      series: [...queue(0), ...processed(10, (ew + 1) / 2), ...batches(bt * 2)],
      alerts: [
        { evalTime: firingAt(errors), activeSince: HOLDS_FROM_SECOND_SAMPLE, alert: errors.alert, expect: [{ labels: { job: base.job }, value: (ew + 1) / 2 }] },
        { evalTime: firingAt(batch), activeSince: HOLDS_FROM_SECOND_SAMPLE, alert: batch.alert, expect: [{ labels: { job: base.job }, value: bt + 0.95 * bt }] },
        { evalTime: firingAt(backWarn), alert: backWarn.alert, expect: [] },
      ],
    },
  ];
  return { name: "worker", groups, tests };
}
