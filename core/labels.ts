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

/**
 * Why a label value will cause trouble although Prometheus accepts it: a line break (from a YAML block scalar or a
 * pasted value) ends up in notifications, matchers and dashboards as two lines. Undefined when fine.
 */
export function labelValueProblem(value: string): string | undefined {
  return /[\r\n]/.test(value) ? `contains a line break (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}): label values are one line` : undefined;
}

export function isMetricName(name: string): boolean {
  return METRIC_NAME_RE.test(name);
}
