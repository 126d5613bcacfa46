/**
 * The seeds' inhibition policy, typed: a higher-severity alert silences the lower one for the same alert and service,
 * and a down service silences the rest of its job's alerts (they are symptoms of the outage).
 */
import type { InhibitRule } from "../core/alertmanager/model";

/** Which alerts and labels the shipped inhibit rules key on (`severityInhibitRules`). */
export interface InhibitionOptions {
  /** Alert that means "the whole job is down". @default "ServiceDown" */
  readonly serviceDownAlert?: string;
  /** Labels that identify "the same alert" across severities. @default ["alertname", "service"] */
  readonly sameAlertLabels?: readonly string[];
  /** Label that identifies the job whose other alerts ServiceDown silences. @default "job" */
  readonly jobLabel?: string;
  /** Label naming an SLO: its page silences its ticket (both fire during a fast burn). @default "slo" */
  readonly sloLabel?: string;
}

/**
 * The shipped inhibit rules: a critical mutes the warning of the same alert, ServiceDown mutes the other alerts of its
 * job, an SLO's page mutes its ticket, and a warning or critical mutes the info of the same alert.
 */
export function severityInhibitRules(opts: InhibitionOptions = {}): InhibitRule[] {
  const same = [...(opts.sameAlertLabels ?? ["alertname", "service"])];
  const down = opts.serviceDownAlert ?? "ServiceDown";
  return [
    {
      name: "critical-inhibits-warning",
      sourceMatchers: [{ label: "severity", op: "=", value: "critical" }],
      targetMatchers: [{ label: "severity", op: "=", value: "warning" }],
      equal: same,
    },
    {
      name: "service-down-inhibits-job",
      sourceMatchers: [{ label: "alertname", op: "=", value: down }],
      targetMatchers: [{ label: "alertname", op: "!=", value: down }],
      equal: [opts.jobLabel ?? "job"],
    },
    {
      // An SLO's page and ticket have different names, so critical-inhibits-warning does not pair them; a fast
      // burn is also a slow one, and one notification is enough. Both sides must carry the label: `equal` treats
      // two missing labels as equal.
      name: "slo-page-inhibits-ticket",
      sourceMatchers: [{ label: "severity", op: "=", value: "critical" }, { label: opts.sloLabel ?? "slo", op: "=~", value: ".+" }],
      targetMatchers: [{ label: "severity", op: "=", value: "warning" }, { label: opts.sloLabel ?? "slo", op: "=~", value: ".+" }],
      equal: [opts.sloLabel ?? "slo"],
    },
    {
      // Info alerts are context: once the same problem is a warning or critical, the info adds only noise.
      name: "info-inhibited-by-higher-severity",
      sourceMatchers: [{ label: "severity", op: "=~", value: "critical|warning" }],
      targetMatchers: [{ label: "severity", op: "=", value: "info" }],
      equal: same,
    },
  ];
}
