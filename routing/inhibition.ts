/**
 * The seeds' inhibition policy, typed: a higher-severity alert silences the lower one for the same alert and service,
 * and a down service silences the rest of its job's alerts (they are symptoms of the outage).
 */
import type { InhibitRule } from "../core/alertmanager/model";

export interface InhibitionOptions {
  /** Alert that means "the whole job is down". @default "ServiceDown" */
  readonly serviceDownAlert?: string;
  /** Labels that identify "the same alert" across severities. @default ["alertname", "service"] */
  readonly sameAlertLabels?: readonly string[];
  /** Label that identifies the job whose other alerts ServiceDown silences. @default "job" */
  readonly jobLabel?: string;
}

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
      // Info alerts are context: once the same problem is a warning or critical, the info adds only noise.
      name: "info-inhibited-by-higher-severity",
      sourceMatchers: [{ label: "severity", op: "=~", value: "critical|warning" }],
      targetMatchers: [{ label: "severity", op: "=", value: "info" }],
      equal: same,
    },
  ];
}
