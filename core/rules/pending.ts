/**
 * The pending window of an alert with `for`, as a unit test sees it. Alerts change state only at evaluations: an
 * alert whose condition starts to hold at evaluation `since` is pending on every evaluation before `for` has
 * elapsed and fires on the first evaluation at or after `since + for`.
 */
import { parseDuration, type Duration } from "../duration";
import type { AlertRule } from "./model";

export interface PendingWindow {
  /** The evaluation at which the condition starts to hold (ms from the test's start). */
  readonly since: number;
  /** The last evaluation at which the alert is still pending. */
  readonly lastPending: number;
  /** The first evaluation at which it fires. */
  readonly firing: number;
}

/** The window a firing check's `activeSince` describes, or why there is none (for validation to report). */
export function pendingWindow(rule: AlertRule, activeSince: Duration, evaluationInterval: Duration): PendingWindow | string {
  const since = parseDuration(activeSince);
  if (since === undefined) return `"${activeSince}" is not a Prometheus duration (e.g. 0s, 1m)`;
  const forMs = parseDuration(rule.for ?? "0s");
  const step = parseDuration(evaluationInterval);
  // A bad `for` or interval is reported by the checks of those fields.
  if (forMs === undefined || step === undefined || step === 0) return `cannot be checked: the alert's for or the test's evaluation interval is not a duration`;
  if (forMs === 0) return `alert "${rule.alert}" has no for: there is no pending window to check`;
  if (since % step !== 0) return `must be a multiple of the evaluation interval (${evaluationInterval}): alerts change state only at evaluations`;
  const steps = Math.ceil(forMs / step);
  return { since, lastPending: since + (steps - 1) * step, firing: since + steps * step };
}
