/**
 * The in-process routing tests: each kind passing, each kind failing with its exact message (what Alertmanager would
 * do instead, by which route), and the amtool replay forms. Pure, so the mutation suite runs it.
 */
import { describe, expect, it } from "vitest";
import type { AlertmanagerConfig } from "../../../core/alertmanager/model";
import {
  amtoolRouteTestArgs, evaluateRoutingTests, expectInhibited, expectMuted, expectRoute, renderRouteTests, routeTestCases,
} from "../../../core/alertmanager/route-tests";
import { formatIssue } from "../../../core/validation";

const cfg: AlertmanagerConfig = {
  route: {
    receiver: "default", groupBy: ["alertname"],
    routes: [
      { receiver: "audit", continue: true },
      { receiver: "pager", matchers: ['severity="critical"'], muteTimeIntervals: ["nights"] },
      { receiver: "chat", matchers: ['severity="warning"'], activeTimeIntervals: ["days"] },
    ],
  },
  receivers: [{ name: "default" }, { name: "audit" }, { name: "pager" }, { name: "chat" }],
  inhibitRules: [
    { sourceMatchers: ['severity="critical"'], targetMatchers: ['severity="warning"'], equal: ["service"] },
    { name: "down", sourceMatchers: ['alertname="Down"'], targetMatchers: ['alertname="Slow"'] },
  ],
  timeIntervals: [
    { name: "nights", periods: [{ times: [{ start: "00:00", end: "06:00" }], location: "UTC" }] },
    { name: "days", periods: [{ times: [{ start: "08:00", end: "18:00" }], location: "UTC" }] },
  ],
};
const run = (...tests: Parameters<typeof evaluateRoutingTests>[1]) => evaluateRoutingTests(cfg, tests).map(formatIssue);
const crit = { severity: "critical", service: "api" };
const warn = { severity: "warning", service: "api" };

describe("evaluateRoutingTests", () => {
  it("passes tests that hold", () => {
    expect(run(
      expectRoute("critical", crit, ["audit", "pager"]),
      // A continue route that matched counts: the root receiver takes only what no child matched.
      expectRoute("other", { a: "b" }, ["audit"]),
      expectMuted("night page", crit, "2026-11-28T03:00:00Z", false, ["audit"]),
      expectMuted("day page", crit, new Date("2026-11-28T12:00:00Z"), false, ["audit", "pager"]),
      expectInhibited("warn under crit", warn, [crit], true),
      expectInhibited("other service", warn, [{ ...crit, service: "db" }], false),
    )).toEqual([]);
  });

  it("an alert every route mutes", () => {
    const only: AlertmanagerConfig = { ...cfg, route: { ...cfg.route, routes: cfg.route.routes!.slice(1) } };
    expect(evaluateRoutingTests(only, [expectMuted("muted", crit, "2026-11-28T03:00:00Z", true, [])]).map(formatIssue)).toEqual([]);
    expect(evaluateRoutingTests(only, [expectMuted("not muted", crit, "2026-11-28T03:00:00Z", false)]).map(formatIssue)).toEqual([
      'routing test "not muted": muted expected {service="api", severity="critical"} to be notified at 2026-11-28T03:00:00.000Z, but every route is muted (pager via route > routes[0] (severity="critical") muted by mute interval \"nights\")',
    ]);
  });

  it("names what Alertmanager does instead", () => {
    expect(run(expectRoute("wrong", crit, ["pager"]))).toEqual([
      'routing test "wrong": receivers expected [pager] for {service="api", severity="critical"} but Alertmanager routes to [audit, pager] via route > routes[0]; route > routes[1] (severity="critical")',
    ]);
    expect(run(expectMuted("muted?", crit, "2026-11-28T03:00:00Z", true))).toEqual([
      'routing test "muted?": muted expected {service="api", severity="critical"} to be muted at 2026-11-28T03:00:00.000Z, but [audit] would be notified (audit via route > routes[0]; pager via route > routes[1] (severity="critical") muted by mute interval \"nights\")',
    ]);
    expect(run(expectMuted("who", warn, "2026-11-28T20:00:00Z", false, ["audit", "chat"]))).toEqual([
      'routing test "who": notified expected [audit, chat] notified at 2026-11-28T20:00:00.000Z but got [audit] (audit via route > routes[0]; chat via route > routes[2] (severity="warning") muted by outside active intervals "days")',
    ]);
    expect(run(expectMuted("bad date", crit, "tomorrow", true))).toEqual(['routing test "bad date": at "tomorrow" is not a date']);
    expect(run(expectInhibited("not inhibited", warn, [crit], false))).toEqual([
      'routing test "not inhibited": inhibited expected {service="api", severity="warning"} to notify, but inhibitRules[0] inhibits it while {service="api", severity="critical"} fires',
    ]);
    expect(run(expectInhibited("named rule", { alertname: "Slow" }, [{ alertname: "Down" }], false))).toEqual([
      'routing test "named rule": inhibited expected {alertname="Slow"} to notify, but inhibitRules[1] (down) inhibits it while {alertname="Down"} fires',
    ]);
    expect(run(expectInhibited("inhibited?", warn, [], true))).toEqual([
      'routing test "inhibited?": inhibited expected {service="api", severity="warning"} to be inhibited while nothing fires, but no inhibit rule applies',
    ]);
    expect(run(expectInhibited("inhibited by two?", warn, [{ a: "1" }, { b: "2" }], true))).toEqual([
      'routing test "inhibited by two?": inhibited expected {service="api", severity="warning"} to be inhibited while {a="1"}, {b="2"} fires, but no inhibit rule applies',
    ]);
  });

  it("refuses a name used twice, and reports a test that cannot be evaluated", () => {
    expect(run(expectRoute("t", crit, ["audit", "pager"]), expectRoute("t", crit, ["audit", "pager"]))).toEqual(['routing test "t": name is used by more than one test']);
    const broken: AlertmanagerConfig = { ...cfg, route: { ...cfg.route, routes: [{ receiver: "pager", matchers: ["not a matcher"] }] } };
    const [e] = evaluateRoutingTests(broken, [expectRoute("x", crit, ["pager"])]);
    expect(e).toMatchObject({ item: 'routing test "x"', field: "" });
    expect(e!.message).toMatch(/^cannot be evaluated: /);
  });
});

describe("the amtool replay", () => {
  const tests = [expectRoute("a", { service: "api", alertname: "X" }, ["audit", "pager"]), expectMuted("m", crit, "2026-11-28T03:00:00Z", true), expectInhibited("i", warn, [crit], true)];
  it("keeps only route expectations, labels sorted", () => {
    expect(routeTestCases(tests)).toEqual([{ labels: { alertname: "X", service: "api" }, receivers: ["audit", "pager"] }]);
    expect(JSON.parse(renderRouteTests(tests))).toEqual([{ labels: { alertname: "X", service: "api" }, receivers: ["audit", "pager"] }]);
  });
  it("compiles to amtool arguments", () => {
    expect(amtoolRouteTestArgs("/c/am.yml", { labels: { service: "api", alertname: "X" }, receivers: ["audit", "pager"] })).toEqual([
      "config", "routes", "test", "--config.file=/c/am.yml", "--verify.receivers=audit,pager", 'alertname="X"', 'service="api"',
    ]);
    expect(amtoolRouteTestArgs("/c/am.yml", { labels: { a: "b" } })).toEqual(["config", "routes", "test", "--config.file=/c/am.yml", 'a="b"']);
  });
});
