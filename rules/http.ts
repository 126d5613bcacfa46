/**
 * HTTP/API service (RED): error rate, p95 latency, request-rate drop; plus the recording rules the service
 * dashboards read (names from core/conventions). Thresholds come from `content.http` (seeds: 5% / 10% errors,
 * p95 1s warning).
 */
import { RECORDING_RULES as R } from "../core/conventions";
import { parseDuration } from "../core/duration";
import type { RulePack, RuleTest } from "../core/rules/model";
import { sel } from "./config";
import { counter, firingAt, forMinutes, HOLDS_FROM_SECOND_SAMPLE, labelsFor, pct, series, stepsFor, type PackContext } from "./kit";

export const HTTP_ALERTS = ["HttpErrorRateHigh", "HttpErrorRateCritical", "HttpLatencyHigh", "HttpLatencyCritical", "HttpRequestRateDropped"] as const;

export function httpPack({ content, b }: PackContext): RulePack {
  const c = content.http;
  const req = (extra?: string): string => sel(c.requestsMetric, c.selector, extra);
  const dashboard = b.dashboard("serviceOverview");
  const errorAlert = (alert: string, severity: "warning" | "critical", threshold: number, forD: string) =>
    b.alert({
      alert,
      severity,
      for: forD,
      threshold,
      expr: (t) => `${R.httpErrorsRatio} > ${t}`,
      annotations: (t) => ({
        summary: "{{ $labels.job }} fails {{ $value | humanizePercentage }} of requests",
        description: `{{ $value | humanizePercentage }} of requests to {{ $labels.job }} returned a 5xx status over the last 5 minutes (${severity} above ${pct(t)}).`,
        dashboard,
      }),
    });
  const latencyAlert = (alert: string, severity: "warning" | "critical", threshold: number) =>
    b.alert({
      alert,
      severity,
      for: "5m",
      threshold,
      expr: (t) => `${R.httpLatencyP95} > ${t}`,
      annotations: (t) => ({
        summary: "{{ $labels.job }} p95 latency is {{ $value | humanizeDuration }}",
        description: `95% of requests to {{ $labels.job }} took up to {{ $value | humanizeDuration }} over the last 5 minutes (${severity} above ${t}s).`,
        dashboard,
      }),
    });
  const errWarn = errorAlert("HttpErrorRateHigh", "warning", c.errorRateWarning, "2m");
  const errCrit = errorAlert("HttpErrorRateCritical", "critical", c.errorRateCritical, "1m");
  const latWarn = latencyAlert("HttpLatencyHigh", "warning", c.latencyP95Warning);
  const latCrit = latencyAlert("HttpLatencyCritical", "critical", c.latencyP95Critical);
  // Raw series on both sides: works from the first day (the recording rule has no week of history yet).
  const now = `sum by (job) (rate(${req()}[5m]))`;
  const lastWeek = `sum by (job) (rate(${req()}[5m] offset ${c.requestRateDropOffset}))`;
  const drop = b.alert({
    alert: "HttpRequestRateDropped",
    severity: "warning",
    for: "15m",
    threshold: c.requestRateDropRatio,
    expr: (t) => `${now} < ${t} * ${lastWeek}\nand\n${lastWeek} > ${c.requestRateDropMinRps}`,
    annotations: (t) => ({
      summary: "{{ $labels.job }} traffic dropped to {{ $value | humanize }} requests/s",
      description: `{{ $labels.job }} serves {{ $value | humanize }} requests/s, less than ${pct(t)} of the rate ${c.requestRateDropOffset} ago. Clients may be failing before they reach it (DNS, load balancer, a broken release).`,
      dashboard,
    }),
  });

  const groups = [
    {
      name: "http-recording",
      rules: [
        { record: R.httpRequestsRateByRouteStatus, expr: `sum by (job, route, status) (rate(${req()}[5m]))` },
        { record: R.httpRequestsRate, expr: `sum by (job) (${R.httpRequestsRateByRouteStatus})` },
        {
          record: R.httpErrorsRatio,
          expr: `(\n  sum by (job) (${R.httpRequestsRateByRouteStatus}{status=~"5.."})\n  or\n  ${R.httpRequestsRate} * 0\n)\n/\n${R.httpRequestsRate}`,
        },
        { record: R.httpLatencyBucketsRate, expr: `sum by (job, le) (rate(${sel(`${c.durationMetric}_bucket`, c.selector)}[5m]))` },
        { record: R.httpLatencyP95, expr: `histogram_quantile(0.95, ${R.httpLatencyBucketsRate})` },
      ],
    },
    { name: "http", rules: [errWarn, errCrit, latWarn, latCrit, drop] },
  ];

  // ---- unit tests: inputs derived from the thresholds, so overridden thresholds keep them meaningful ----
  const base = { job: "api", ...labelsFor(c.selector) };
  const job = { job: base.job };
  const n = Math.max(...[errWarn, errCrit, latWarn, latCrit].map((r) => stepsFor(r)));
  const traffic = (errorRatio: number): RuleTest["series"] => [
    series(c.requestsMetric, { ...base, route: "/events", status: "200" }, counter([10 * (1 - errorRatio), n])),
    series(c.requestsMetric, { ...base, route: "/events", status: "500" }, counter([10 * errorRatio, n])),
  ];
  const [w, cr] = [errWarn.threshold ?? 0, errCrit.threshold ?? 0];
  // Latency buckets around the thresholds; all requests land in one bucket (lo, hi], so p95 = lo + 0.95 (hi - lo).
  const [lw, lc] = [latWarn.threshold ?? 1, latCrit.threshold ?? 2];
  const bounds = [lw / 2, lw, (lw + lc) / 2, lc, lc * 2];
  const latency = (hi: number): RuleTest["series"] => [
    ...bounds.map((le) => series(`${c.durationMetric}_bucket`, { ...base, route: "/events", le: String(le) }, counter([le >= hi ? 10 : 0, n]))),
    series(`${c.durationMetric}_bucket`, { ...base, route: "/events", le: "+Inf" }, counter([10, n])),
  ];
  const p95 = (lo: number, hi: number): number => lo + 0.95 * (hi - lo);
  const mid = (w + cr) / 2;
  const high = (cr + 1) / 2;
  const tests: RuleTest[] = [
    {
      name: "an error rate between warning and critical warns and does not page",
      series: [...traffic(mid), ...latency(lw / 2)],
      alerts: [
        { evalTime: firingAt(errWarn), activeSince: HOLDS_FROM_SECOND_SAMPLE, alert: errWarn.alert, expect: [{ labels: job, value: mid }] },
        { evalTime: firingAt(errCrit), alert: errCrit.alert, expect: [] },
      ],
      exprs: [
        { evalTime: "10m", expr: R.httpRequestsRate, expect: [{ labels: `${R.httpRequestsRate}{job="${job.job}"}`, value: 10 }] },
        { evalTime: "10m", expr: `round(${R.httpErrorsRatio}, 0.0001)`, expect: [{ labels: `{job="${job.job}"}`, value: Math.round(mid * 1e4) / 1e4 }] },
        {
          evalTime: "10m",
          expr: `round(${R.httpRequestsRateByRouteStatus}{status="500"}, 0.0001)`,
          expect: [{ labels: `{job="${job.job}", route="/events", status="500"}`, value: Math.round(10 * mid * 1e4) / 1e4 }],
        },
      ],
    },
    {
      name: "an error rate above critical pages",
      series: [...traffic(high), ...latency(lw / 2)],
      alerts: [{ evalTime: firingAt(errCrit), activeSince: HOLDS_FROM_SECOND_SAMPLE, alert: errCrit.alert, expect: [{ labels: job, value: high }] }],
    },
    {
      name: "healthy traffic raises no HTTP alert",
      series: [...traffic(w / 2), ...latency(lw / 2)],
      alerts: [errWarn, latWarn, latCrit].map((r) => ({ evalTime: firingAt(r), alert: r.alert, expect: [] })),
      exprs: [
        { evalTime: "10m", expr: `${R.httpLatencyBucketsRate}{le="+Inf"}`, expect: [{ labels: `${R.httpLatencyBucketsRate}{job="${job.job}", le="+Inf"}`, value: 10 }] },
        { evalTime: "10m", expr: `round(${R.httpLatencyP95}, 0.0001)`, expect: [{ labels: `{job="${job.job}"}`, value: Math.round(p95(0, lw / 2) * 1e4) / 1e4 }] },
      ],
    },
    {
      name: "p95 latency between warning and critical warns and does not page",
      series: [...traffic(0), ...latency(bounds[2]!)],
      alerts: [
        { evalTime: firingAt(latWarn), activeSince: HOLDS_FROM_SECOND_SAMPLE, alert: latWarn.alert, expect: [{ labels: job, value: p95(lw, bounds[2]!) }] },
        { evalTime: firingAt(latCrit), alert: latCrit.alert, expect: [] },
      ],
    },
    {
      name: "p95 latency above critical pages",
      series: [...traffic(0), ...latency(lc * 2)],
      alerts: [{ evalTime: firingAt(latCrit), activeSince: HOLDS_FROM_SECOND_SAMPLE, alert: latCrit.alert, expect: [{ labels: job, value: p95(lc, lc * 2) }] }],
    },
  ];
  // An offset's worth of steady traffic, then a drop well below the ratio: flagged only once it lasted `for`.
  // Evaluated hourly so that a week of history costs ~170 evaluations instead of ~10,000.
  const week = (parseDuration(c.requestRateDropOffset) ?? 604_800_000) / 60_000;
  const fallen = 10 * Math.min(drop.threshold ?? 0.5, 1) * 0.4;
  const hours = Math.ceil((forMinutes(drop) + 10) / 60) + 1;
  tests.push({
    name: "traffic falling well below last week's flags a drop once it lasted",
    evaluationInterval: "1h",
    series: [series(c.requestsMetric, { ...base, route: "/events", status: "200" }, counter([10, week + 1], [fallen, hours * 60 + 10]))],
    alerts: [
      { evalTime: `${Math.ceil(week / 60)}h`, alert: drop.alert, expect: [] },
      // The first hourly evaluation after the drop sees it; with for below the 1h interval that one is pending.
      { evalTime: `${Math.ceil(week / 60) + hours}h`, activeSince: `${Math.ceil(week / 60) + 1}h`, alert: drop.alert, expect: [{ labels: job, value: fallen }] },
    ],
  });
  return { name: "http", groups, tests };
}
