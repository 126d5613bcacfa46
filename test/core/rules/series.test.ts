/**
 * The unit-test helpers (input series in promtool's expanding notation, labels derived from selectors), the pending
 * window of an alert with `for`, and the `for`-shorter-than-interval warning, with exact values. Pure, so the mutation
 * suite runs it.
 */
import { describe, expect, it } from "vitest";
import type { AlertRule } from "../../../core/rules/model";
import { pendingWindow } from "../../../core/rules/pending";
import { counter, gauge, labelsFor, num, parseMatchers, series, seriesName } from "../../../core/rules/series";
import { forShorterThanInterval } from "../../../core/rules/timing";
import { formatIssue } from "../../../core/validation";

describe("series helpers", () => {
  it.each([
    ['job="api"', { job: "api" }],
    ['job="api", status=~"5.."', { job: "api", status: "5.." }],
    ['job=~"blackbox.*"', { job: "blackbox" }],
    ['job=~"a|b"', { job: "a" }],
    ['job=~"(api|web)"', { job: "api" }],
    ['job=~".+"', { job: "x" }],
    ['job=~".*"', { job: "" }],
    ['job!="a", env!~"dev|test"', {}],
    ['path="a\\"b"', { path: 'a"b' }],
    ["", {}],
  ] as [string, Record<string, string>][])("labelsFor(%s)", (sel, labels) => {
    expect(labelsFor(sel)).toEqual(labels);
  });
  it("refuses a regex no candidate value matches", () => {
    expect(() => labelsFor('code=~"[0-9]{3}"')).toThrow('cannot derive a test label value for code=~"[0-9]{3}"; use a simpler selector');
  });
  it("parses matchers, or says other text is left", () => {
    expect(parseMatchers('a = "1" , b!~"x"')).toEqual([{ name: "a", op: "=", value: "1" }, { name: "b", op: "!~", value: "x" }]);
    expect(parseMatchers('a="1" or')).toBeUndefined();
    expect(parseMatchers("a=1")).toBeUndefined();
  });
  it("names series with sorted, quoted labels", () => {
    expect(seriesName("up", { job: "api", instance: 'h"1' })).toBe('up{instance="h\\"1", job="api"}');
    expect(seriesName("up", {})).toBe("up{}");
    expect(series("up", { job: "a" }, "1x5")).toEqual({ series: 'up{job="a"}', values: "1x5" });
  });
  it("writes gauges and counters in expanding notation", () => {
    expect(gauge([1, 5], [0, 1], [2.5, 0])).toBe("1x4 0x0 2.5x0");
    expect(counter([1, 10])).toBe("0+60x9");
    expect(counter([1, 10], [0.5, 5])).toBe("0+60x9 570+30x4");
    expect(counter([2, 3], [-1, 2])).toBe("0+120x2 180-60x1");
    expect(counter([1, 0])).toBe("0+60x0");
  });
  it("prints numbers without float noise", () => {
    expect([num(1), num(0.1 + 0.2), num(-2.5), num(1 / 3)]).toEqual(["1", "0.3", "-2.5", "0.333333333333"]);
  });
});

describe("pendingWindow", () => {
  const rule = (f?: string): AlertRule => ({ alert: "A", expr: "up == 0", severity: "warning", ...(f ? { for: f } : {}), annotations: { summary: "s", description: "d" } });
  it.each([
    ["5m", "0s", "1m", { since: 0, lastPending: 240_000, firing: 300_000 }],
    ["5m", "2m", "1m", { since: 120_000, lastPending: 360_000, firing: 420_000 }],
    ["90s", "0s", "1m", { since: 0, lastPending: 60_000, firing: 120_000 }],
    ["30s", "0s", "1m", { since: 0, lastPending: 0, firing: 60_000 }],
    ["1m", "1m", "1m", { since: 60_000, lastPending: 60_000, firing: 120_000 }],
  ] as const)("for %s, active since %s, every %s", (f, since, every, window) => {
    expect(pendingWindow(rule(f), since, every)).toEqual(window);
  });
  it.each([
    [rule("5m"), "1 m", "1m", '"1 m" is not a Prometheus duration (e.g. 0s, 1m)'],
    [rule("5 m"), "0s", "1m", "cannot be checked: the alert's for or the test's evaluation interval is not a duration"],
    [rule("5m"), "0s", "x", "cannot be checked: the alert's for or the test's evaluation interval is not a duration"],
    [rule("5m"), "0s", "0s", "cannot be checked: the alert's for or the test's evaluation interval is not a duration"],
    [rule(), "0s", "1m", 'alert "A" has no for: there is no pending window to check'],
    [rule("0s"), "0s", "1m", 'alert "A" has no for: there is no pending window to check'],
    [rule("5m"), "30s", "1m", "must be a multiple of the evaluation interval (1m): alerts change state only at evaluations"],
  ] as const)("refuses %#", (r, since, every, why) => {
    expect(pendingWindow(r, since, every)).toBe(why);
  });
});

describe("forShorterThanInterval", () => {
  const a = (alert: string, f?: string): AlertRule => ({ alert, expr: "up == 0", severity: "warning", ...(f ? { for: f } : {}), annotations: { summary: "s", description: "d" } });
  it("warns about a for shorter than the group's interval, or the default one", () => {
    const packs = [{ name: "p", groups: [{ name: "g", interval: "2m", rules: [a("Short", "1m"), a("Equal", "2m"), a("None"), a("Zero", "0s")] }, { name: "h", rules: [a("Dflt", "30s")] }, { name: "bad", interval: "x", rules: [a("Skip", "1s")] }], tests: [] }];
    expect(forShorterThanInterval(packs, "1m").map(formatIssue)).toEqual([
      'warning: rule group "g" > alert "Short": for 1m is shorter than the group\'s evaluation interval 2m: the alert fires on the first evaluation that sees the condition, so `for` has no effect',
      'warning: rule group "h" > alert "Dflt": for 30s is shorter than the group\'s evaluation interval 1m: the alert fires on the first evaluation that sees the condition, so `for` has no effect',
    ]);
  });
});
