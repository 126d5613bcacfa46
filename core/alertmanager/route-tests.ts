/**
 * Routing tests written in TypeScript, evaluated in-process at synth time (so `pulumi preview` fails fast), written
 * to route-tests.json for replay with amtool, and compiled to `amtool config routes test` invocations.
 */
import { toJson } from "../yaml";
import { issue } from "../validation";
import type { ValidationIssue } from "../validation";
import { formatMatcher } from "./label-matchers";
import { inhibitedBy } from "./inhibit";
import { matchRoutes } from "./matcher";
import type { AlertmanagerConfig, Labels } from "./model";

/** "An alert with these labels goes to these receivers" (in Alertmanager's order, duplicates kept). */
export interface RouteExpectation {
  readonly kind: "route";
  readonly name: string;
  readonly labels: Labels;
  readonly receivers: readonly string[];
}

/** "At this time the alert is (not) muted"; optionally exactly who is notified then. */
export interface MuteExpectation {
  readonly kind: "mute";
  readonly name: string;
  readonly labels: Labels;
  /** An instant, e.g. `2026-11-28T03:00:00Z`. */
  readonly at: Date | string;
  /** true: no receiver is notified at `at`. */
  readonly muted: boolean;
  readonly notified?: readonly string[];
}

/** "This alert is (not) inhibited while those fire". */
export interface InhibitionExpectation {
  readonly kind: "inhibit";
  readonly name: string;
  readonly alert: Labels;
  readonly firing: readonly Labels[];
  readonly inhibited: boolean;
}

/**
 * One routing test: where an alert goes (`expectRoute`), whether it is muted at a time (`expectMuted`) or inhibited by
 * other alerts (`expectInhibited`).
 */
export type RoutingTest = RouteExpectation | MuteExpectation | InhibitionExpectation;

/** A routing test: an alert with these labels is delivered to exactly these receivers, in Alertmanager's order. */
export const expectRoute = (name: string, labels: Labels, receivers: readonly string[]): RouteExpectation => ({ kind: "route", name, labels, receivers });
/**
 * A routing test: at the instant `at` the alert is (not) muted by time intervals; `notified`, when given, lists
 * exactly who is notified then.
 */
export const expectMuted = (name: string, labels: Labels, at: Date | string, muted: boolean, notified?: readonly string[]): MuteExpectation => ({
  kind: "mute", name, labels, at, muted, ...(notified ? { notified } : {}),
});
/** A routing test: the alert is (not) inhibited while the `firing` alerts fire. */
export const expectInhibited = (name: string, alert: Labels, firing: readonly Labels[], inhibited: boolean): InhibitionExpectation => ({
  kind: "inhibit", name, alert, firing, inhibited,
});

const list = (xs: readonly string[]) => `[${xs.join(", ")}]`;
const labelText = (l: Labels) => `{${Object.keys(l).sort().map((k) => formatMatcher({ label: k, op: "=", value: l[k] ?? "" })).join(", ")}}`;

function toDate(at: Date | string): Date | undefined {
  const d = at instanceof Date ? at : new Date(at);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function evaluateOne(cfg: AlertmanagerConfig, t: RoutingTest): ValidationIssue[] {
  const item = `routing test "${t.name}"`;
  switch (t.kind) {
    case "route": {
      const matches = matchRoutes(cfg, t.labels);
      const got = matches.map((m) => m.receiver);
      if (got.join("\u0000") === t.receivers.join("\u0000")) return [];
      return [issue(item, "receivers", `expected ${list(t.receivers)} for ${labelText(t.labels)} but Alertmanager routes to ${list(got)} via ${matches.map((m) => m.path).join("; ")}`)];
    }
    case "mute": {
      const at = toDate(t.at);
      if (!at) return [issue(item, "at", `${JSON.stringify(t.at)} is not a date`)];
      const matches = matchRoutes(cfg, t.labels, at);
      const notified = matches.filter((m) => !m.muted).map((m) => m.receiver);
      const out: ValidationIssue[] = [];
      const why = matches.map((m) => `${m.receiver} via ${m.path}${m.muted ? ` muted by ${m.mutedBy ?? "?"}` : ""}`).join("; ");
      if ((notified.length === 0) !== t.muted) {
        out.push(issue(item, "muted", `expected ${labelText(t.labels)} to be ${t.muted ? "muted" : "notified"} at ${at.toISOString()}, but ${t.muted ? `${list(notified)} would be notified` : "every route is muted"} (${why})`));
      }
      if (t.notified && t.notified.join("\u0000") !== notified.join("\u0000")) {
        out.push(issue(item, "notified", `expected ${list(t.notified)} notified at ${at.toISOString()} but got ${list(notified)} (${why})`));
      }
      return out;
    }
    case "inhibit": {
      const by = inhibitedBy(cfg, t.alert, t.firing);
      if ((by !== undefined) === t.inhibited) return [];
      if (by) {
        const rule = `inhibitRules[${by.rule}]${by.ruleName ? ` (${by.ruleName})` : ""}`;
        return [issue(item, "inhibited", `expected ${labelText(t.alert)} to notify, but ${rule} inhibits it while ${labelText(by.source)} fires`)];
      }
      return [issue(item, "inhibited", `expected ${labelText(t.alert)} to be inhibited while ${t.firing.map(labelText).join(", ") || "nothing"} fires, but no inhibit rule applies`)];
    }
  }
}

/** Runs every test in-process; each failure names the test and shows what Alertmanager would do instead. */
export function evaluateRoutingTests(cfg: AlertmanagerConfig, tests: readonly RoutingTest[]): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const names = new Set<string>();
  for (const t of tests) {
    if (names.has(t.name)) out.push(issue(`routing test "${t.name}"`, "name", "is used by more than one test"));
    names.add(t.name);
    try {
      out.push(...evaluateOne(cfg, t));
    } catch (e) {
      out.push(issue(`routing test "${t.name}"`, "", `cannot be evaluated: ${(e as Error).message}`));
    }
  }
  return out;
}

/**
 * One route expectation in the form replayed with `amtool config routes test`: the labels and the receivers expected.
 */
export interface RouteTestCase {
  readonly labels: Record<string, string>;
  readonly receivers: string[];
}

/**
 * The route expectations as `{ labels, receivers }`, with the receivers each test states (in Alertmanager's order).
 * Replayed with amtool they check the config against what the tests expect, independently of our own evaluator.
 */
export function routeTestCases(tests: readonly RoutingTest[]): RouteTestCase[] {
  return tests
    .filter((t): t is RouteExpectation => t.kind === "route")
    .map((t) => {
      const labels: Record<string, string> = {};
      for (const k of Object.keys(t.labels).sort()) labels[k] = t.labels[k] ?? "";
      return { labels, receivers: [...t.receivers] };
    });
}

/** route-tests.json: a JSON array of `{ labels, receivers }`, replayable with amtool (see `amtoolRouteTestArgs`). */
export function renderRouteTests(tests: readonly RoutingTest[]): string {
  return toJson(routeTestCases(tests));
}

/** Arguments for `amtool config routes test`, which exits 1 when the receivers differ. */
export function amtoolRouteTestArgs(configFile: string, c: { readonly labels: Labels; readonly receivers?: readonly string[] }): string[] {
  return [
    "config",
    "routes",
    "test",
    `--config.file=${configFile}`,
    ...(c.receivers ? [`--verify.receivers=${c.receivers.join(",")}`] : []),
    ...Object.keys(c.labels).sort().map((k) => formatMatcher({ label: k, op: "=", value: c.labels[k] ?? "" })),
  ];
}
