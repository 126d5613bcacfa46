/** Endpoints via blackbox_exporter: probe failing, slow probe, TLS certificate expiring (< 14 d warns, < 3 d pages). */
import type { RulePack, RuleTest } from "../core/rules/model";
import { sel } from "./config";
import { firingAt, gauge, HOLDS_FROM_START, labelsFor, series, stepsFor, type PackContext } from "./kit";

export const ENDPOINT_ALERTS = ["ProbeFailing", "ProbeSlow", "ProbeCertificateExpiringSoon", "ProbeCertificateExpiryImminent"] as const;

export function endpointsPack({ content, b }: PackContext): RulePack {
  const c = content.probes;
  const m = (metric: string): string => sel(metric, c.selector);
  const dashboard = b.dashboard("endpoints");
  const failing = b.alert({
    alert: "ProbeFailing",
    severity: "critical",
    for: "2m",
    expr: `${m("probe_success")} == 0`,
    annotations: {
      summary: "Probe of {{ $labels.instance }} fails",
      description: "blackbox_exporter's {{ $labels.job }} probe of {{ $labels.instance }} has failed for 2 minutes: users cannot reach it either.",
      dashboard,
    },
  });
  const slow = b.alert({
    alert: "ProbeSlow",
    severity: "warning",
    for: "5m",
    threshold: c.slowSeconds,
    expr: (t) => `${m("probe_duration_seconds")} > ${t}`,
    annotations: (t) => ({
      summary: "Probe of {{ $labels.instance }} takes {{ $value | humanizeDuration }}",
      description: `The {{ $labels.job }} probe of {{ $labels.instance }} takes {{ $value | humanizeDuration }} (warning above ${t}s), including DNS, connect and TLS.`,
      dashboard,
    }),
  });
  const days = `(${m("probe_ssl_earliest_cert_expiry")} - time()) / 86400`;
  const cert = (alert: string, severity: "warning" | "critical", threshold: number) =>
    b.alert({
      alert,
      severity,
      threshold,
      expr: (t) => `${days} < ${t}`,
      annotations: (t) => ({
        summary: "TLS certificate of {{ $labels.instance }} expires in {{ $value | humanize }} days",
        description: `The TLS certificate served by {{ $labels.instance }} expires in {{ $value | humanize }} days (${severity} below ${t} days); renew it, and check why automatic renewal did not.`,
        dashboard,
      }),
    });
  const soon = cert("ProbeCertificateExpiringSoon", "warning", c.certExpiryWarningDays);
  const imminent = cert("ProbeCertificateExpiryImminent", "critical", c.certExpiryCriticalDays);
  const rules = [failing, slow, soon, imminent];

  const target = { job: "blackbox", instance: "https://example.org", ...labelsFor(c.selector) };
  const n = Math.max(...rules.map((r) => stepsFor(r)));
  const evalMin = n - 2;
  const [st, wd, cd] = [slow.threshold ?? 1, soon.threshold ?? 14, imminent.threshold ?? 3];
  /** An expiry timestamp that leaves `d` days at the eval time (test time starts at the epoch). */
  const expiry = (d: number): number => evalMin * 60 + d * 86400;
  const probe = (ok: number, seconds: number, daysLeft: number): RuleTest["series"] => [
    series("probe_success", target, gauge([ok, n])),
    series("probe_duration_seconds", target, gauge([seconds, n])),
    series("probe_ssl_earliest_cert_expiry", target, gauge([expiry(daysLeft), n])),
  ];
  const [mid, low] = [(wd + cd) / 2, cd / 2];
  const tests: RuleTest[] = [
    {
      name: "a healthy endpoint with a fresh certificate raises nothing",
      series: probe(1, st / 2, wd * 2),
      alerts: rules.map((r) => ({ evalTime: `${evalMin}m`, alert: r.alert, expect: [] })),
    },
    {
      name: "a failing, slow endpoint whose certificate expires within the warning window",
      series: probe(0, st * 2, mid),
      alerts: [
        { evalTime: firingAt(failing), activeSince: HOLDS_FROM_START, alert: failing.alert, expect: [{ labels: target }] },
        { evalTime: firingAt(slow), activeSince: HOLDS_FROM_START, alert: slow.alert, expect: [{ labels: target, value: st * 2 }] },
        { evalTime: `${evalMin}m`, alert: soon.alert, expect: [{ labels: target, value: mid }] },
        { evalTime: `${evalMin}m`, alert: imminent.alert, expect: [] },
      ],
    },
    {
      name: "a certificate about to expire pages",
      series: probe(1, st / 2, low),
      alerts: [{ evalTime: `${evalMin}m`, alert: imminent.alert, expect: [{ labels: target, value: low }] }],
    },
  ];
  return { name: "endpoints", groups: [{ name: "endpoints", rules }], tests };
}
