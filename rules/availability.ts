/**
 * Service availability from Prometheus's own `up`: one target down, a whole service down (seeds: ServiceDown for
 * 1m, critical), and targets whose scrapes fail intermittently.
 */
import type { RulePack, RuleTest } from "../core/rules/model";
import { sel } from "./config";
import { firingAt, gauge, HOLDS_FROM_START, labelsFor, pct, series, stepsFor, type PackContext } from "./kit";

export const AVAILABILITY_ALERTS = ["TargetDown", "ServiceDown", "TargetScrapesFailing"] as const;

export function availabilityPack({ content, b }: PackContext): RulePack {
  const c = content.availability;
  const up = sel("up", c.selector);
  const dashboard = b.dashboard("serviceOverview");
  const targetDown = b.alert({
    alert: "TargetDown",
    severity: "warning",
    for: "1m",
    expr: `${up} == 0`,
    annotations: {
      summary: "{{ $labels.instance }} of {{ $labels.job }} is down",
      description: "Prometheus cannot scrape {{ $labels.instance }} of job {{ $labels.job }}: the process is down, unreachable, or its /metrics endpoint fails.",
      dashboard,
    },
  });
  const serviceDown = b.alert({
    alert: "ServiceDown",
    severity: "critical",
    for: "1m",
    expr: `max by (job) (${up}) == 0`,
    annotations: {
      summary: "{{ $labels.job }} is down: no target answers",
      description: "Every target of job {{ $labels.job }} has failed its scrapes for a minute: the service is unavailable.",
      dashboard,
    },
  });
  const flapping = b.alert({
    alert: "TargetScrapesFailing",
    severity: "warning",
    for: "15m",
    threshold: c.scrapeFailureRatioWarning,
    expr: (t) => `1 - avg_over_time(${up}[15m]) > ${t}\nand\navg_over_time(${up}[15m]) > 0`,
    annotations: (t) => ({
      summary: "{{ $labels.instance }} of {{ $labels.job }} fails {{ $value | humanizePercentage }} of scrapes",
      description: `{{ $value | humanizePercentage }} of the scrapes of {{ $labels.instance }} (job {{ $labels.job }}) failed over 15 minutes (warning above ${pct(t)}): timeouts, overload or a flapping network.`,
      dashboard,
    }),
  });

  const base = { job: "api", ...labelsFor(c.selector) };
  const a = { ...base, instance: "api-1:8080" };
  const bInst = { ...base, instance: "api-2:8080" };
  const n = stepsFor(flapping, 20);
  // A 15-scrape pattern with k failures: Prometheus 3 range selectors are left-open, so every 15m window at a 1m
  // step holds exactly 15 samples and the failure ratio is exactly k/15, chosen between the threshold and 1.
  const k = Math.min(14, Math.max(1, Math.ceil((((flapping.threshold ?? 0) + 1) / 2) * 15)));
  const flappy = Array.from({ length: n + 15 }, (_, i) => (i % 15 < k ? "0" : "1")).join(" ");
  const tests: RuleTest[] = [
    {
      name: "one target down warns and the service stays up while another answers",
      series: [series("up", a, gauge([1, 3], [0, n])), series("up", bInst, gauge([1, n + 3]))],
      alerts: [
        // Up for the first 3 scrapes: the target is down from the fourth evaluation.
        { evalTime: firingAt(targetDown), activeSince: "3m", alert: targetDown.alert, expect: [{ labels: a }] },
        { evalTime: firingAt(serviceDown), alert: serviceDown.alert, expect: [] },
      ],
    },
    {
      name: "every target down pages service down",
      series: [series("up", a, gauge([0, n])), series("up", bInst, gauge([0, n]))],
      alerts: [{ evalTime: firingAt(serviceDown), activeSince: HOLDS_FROM_START, alert: serviceDown.alert, expect: [{ labels: { job: base.job } }] }],
    },
    {
      name: "healthy targets raise nothing",
      series: [series("up", a, gauge([1, n])), series("up", bInst, gauge([1, n]))],
      alerts: [targetDown, flapping].map((r) => ({ evalTime: firingAt(r, 20), alert: r.alert, expect: [] })),
    },
  ];
  tests.push({
    name: "a target failing some scrapes but not all is flagged as flapping",
    series: [series("up", a, flappy)],
    // All-failed at first (avg 0 is "down", not flapping): the first success, at step k, starts the window.
    alerts: [{ evalTime: firingAt(flapping, 16), activeSince: `${k}m`, alert: flapping.alert, expect: [{ labels: a, value: k / 15 }] }],
  });
  return { name: "availability", groups: [{ name: "availability", rules: [targetDown, serviceDown, flapping] }], tests };
}
