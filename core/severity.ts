/** Alert severities, most urgent first. Routing, rules and dashboards all speak these three. */
export const SEVERITIES = ["critical", "warning", "info"] as const;
/** One of the house alert severities, `critical`, `warning` or `info`. */
export type Severity = (typeof SEVERITIES)[number];

/**
 * The severity of an alert: one of the house three, or any other value real content uses (`none` for
 * kube-prometheus's Watchdog, `page`, `P1`…). The union keeps the three as completions; routing coverage is checked
 * over the severities the rules actually use.
 */
export type AlertSeverity = Severity | (string & {});

export function isSeverity(s: string): s is Severity {
  return (SEVERITIES as readonly string[]).includes(s);
}

/** The distinct severities of a list, the house three first (most urgent first), others in sorted order. */
export function orderSeverities(used: Iterable<string | undefined>): AlertSeverity[] {
  const set = new Set<string>();
  for (const s of used) if (s !== undefined) set.add(s);
  return [...SEVERITIES.filter((s) => set.has(s)), ...[...set].filter((s) => !isSeverity(s)).sort()];
}
