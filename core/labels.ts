/** Prometheus naming rules (legacy validation scheme, which both Prometheus 2.x and 3.x accept). */

export const LABEL_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
export const METRIC_NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

export function isLabelName(name: string): boolean {
  return LABEL_NAME_RE.test(name) && !name.startsWith("__");
}

/** Label names Prometheus reserves for itself (`__name__`, `__address__`…) are valid in relabelling only. */
export function isLabelNameOrReserved(name: string): boolean {
  return LABEL_NAME_RE.test(name);
}

export function isMetricName(name: string): boolean {
  return METRIC_NAME_RE.test(name);
}
