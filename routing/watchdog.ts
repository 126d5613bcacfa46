/**
 * The Watchdog (rules/self-monitoring.ts) always fires. Its value is in stopping: a dead man's switch (healthchecks.io,
 * Dead Man's Snitch, an Opsgenie or PagerDuty heartbeat) expects it every few minutes and pages when it stops
 * arriving, which is the one failure (Prometheus down, rules not evaluated, Alertmanager unreachable) no alert can
 * report. So both presets send it to the switch alone, first in the tree, never muted and with a short repeat
 * interval — not to Slack every 4h. Without a switch it goes to a receiver with no integrations, and the validator
 * warns that nobody would notice alerting stop.
 */
import type { Duration } from "../core/duration";
import type { Receiver, Route, SecretRef } from "../core/alertmanager/model";
import type { RoutingTest } from "../core/alertmanager/route-tests";
import { expectInhibited, expectMuted, expectRoute } from "../core/alertmanager/route-tests";
import { type BusinessHours, businessInstants } from "./tree";

/**
 * An external dead man's switch (healthchecks.io, Dead Man's Snitch, an Opsgenie or PagerDuty heartbeat) that the
 * always-firing Watchdog alert pings; it pages when the pings stop.
 */
export interface DeadMansSwitch {
  /**
   * The switch's ping URL. Most carry a token in their path or query: pass a secret reference
   * (`{ secret: "dead-mans-switch-url" }`), mounted as a file and rendered as `url_file`.
   */
  readonly url: string | SecretRef;
  /** Sent as `Authorization: Bearer <file contents>`, for switches that authenticate by header. */
  readonly bearerToken?: SecretRef;
  /**
   * How often the heartbeat is re-sent while it fires. Why 5m: a switch set to expect a ping every 5m with a grace
   * period of one or two more pages within 10–15 minutes of alerting stopping. At least 1m (the group interval).
   * @default "5m"
   */
  readonly repeatInterval?: Duration;
}

/** Where the routing presets send the always-firing Watchdog heartbeat, and what that alert is called. */
export interface WatchdogOptions {
  /** Where the Watchdog goes. @default none: a receiver with no integrations, and a validation warning */
  readonly deadMansSwitch?: DeadMansSwitch;
  /** Name of the always-firing heartbeat alert. @default "Watchdog" */
  readonly watchdogAlert?: string;
}

/** The name of the receiver the routing presets send the Watchdog heartbeat to. */
export const DEAD_MANS_SWITCH_RECEIVER = "dead-mans-switch";
/** Alertmanager's idiom for "deliver nowhere": a receiver without integrations. */
export const NULL_RECEIVER = "null";
const DEFAULT_DMS_REPEAT: Duration = "5m";

export interface WatchdogRouting {
  /** First child of the root route: it takes the heartbeat before any severity route sees it. */
  readonly route: Route;
  readonly receiver: Receiver;
  readonly tests: RoutingTest[];
}

/** The heartbeat's route, receiver and routing tests; `businessHours` adds "never muted at night". */
export function watchdogRouting(opts: WatchdogOptions, businessHours?: BusinessHours): WatchdogRouting {
  const alertname = opts.watchdogAlert ?? "Watchdog";
  const dms = opts.deadMansSwitch;
  const name = dms ? DEAD_MANS_SWITCH_RECEIVER : NULL_RECEIVER;
  const receiver: Receiver = dms
    ? {
        name,
        // No resolved notifications: most switches count any request as a ping, so a "resolved" sent when
        // Prometheus goes away would check in for exactly the outage the switch exists to catch.
        webhook: [{ url: dms.url, ...(dms.bearerToken ? { bearerToken: dms.bearerToken } : {}), sendResolved: false }],
      }
    : { name };
  const route: Route = {
    receiver: name,
    matchers: [{ label: "alertname", op: "=", value: alertname }],
    groupWait: "0s",
    groupInterval: "1m",
    repeatInterval: dms?.repeatInterval ?? DEFAULT_DMS_REPEAT,
    heartbeat: true,
  };
  const labels = { alertname, severity: "info" };
  const tests: RoutingTest[] = [
    expectRoute(`${alertname} goes only to the ${dms ? "dead man's switch" : "null receiver"}`, labels, [name]),
    expectRoute(`${alertname} with a component label still goes only to ${name}`, { ...labels, component: "api" }, [name]),
    expectInhibited(`${alertname} is never inhibited by a down service`, labels, [{ alertname: "ServiceDown", job: "api", severity: "critical" }], false),
  ];
  if (businessHours) tests.push(expectMuted(`${alertname} is not muted at night`, labels, businessInstants(businessHours).night, false, [name]));
  return { route, receiver, tests };
}
