/**
 * Route matching and inhibition with whole results: every matched route's path and effective options (inherited
 * receiver, grouping and timers; own time intervals), mute reasons, walkRoutes' visit order, and each inhibition rule
 * part (equal labels, missing labels, two-sided rules, names). Pure, so the mutation suite runs it.
 */
import { describe, expect, it } from "vitest";
import { inhibitedBy, isInhibited } from "../../../core/alertmanager/inhibit";
import { childPath, matchRoutes, routeAlert, walkRoutes } from "../../../core/alertmanager/matcher";
import type { AlertmanagerConfig, Route } from "../../../core/alertmanager/model";

const cfg: AlertmanagerConfig = {
  route: {
    receiver: "root", groupBy: ["alertname"], groupWait: "30s",
    routes: [
      { receiver: "audit", continue: true, groupBy: ["..."] },
      {
        matchers: ['team="db"'], receiver: "", groupInterval: "10m", muteTimeIntervals: ["nights"],
        routes: [{ matchers: ['severity="critical"'], receiver: "db-pager", repeatInterval: "30m", activeTimeIntervals: ["days", "weekend"] }],
      },
      { matchers: ['team=~"api|web"', "bad matcher"], receiver: "api" },
    ],
  },
  receivers: ["root", "audit", "db-pager", "api"].map((name) => ({ name })),
  timeIntervals: [
    { name: "nights", periods: [{ times: [{ start: "00:00", end: "06:00" }], location: "UTC" }] },
    { name: "days", periods: [{ times: [{ start: "08:00", end: "18:00" }], location: "UTC" }] },
    { name: "weekend", periods: [{ weekdays: ["saturday", "sunday"], location: "UTC" }] },
  ],
};

describe("matchRoutes", () => {
  it("returns each matched route with its inherited options, in Alertmanager's order", () => {
    expect(matchRoutes(cfg, { team: "db", severity: "critical" })).toEqual([
      { path: "route > routes[0]", receiver: "audit", groupBy: ["..."], groupWait: "30s", groupInterval: "5m", repeatInterval: "4h", muteTimeIntervals: [], activeTimeIntervals: [] },
      { path: 'route > routes[1] (team="db") > routes[0] (severity="critical")', receiver: "db-pager", groupBy: ["alertname"], groupWait: "30s", groupInterval: "10m", repeatInterval: "30m", muteTimeIntervals: [], activeTimeIntervals: ["days", "weekend"] },
    ]);
  });
  it("a node whose children all miss is the match itself, an empty receiver inheriting its parent's", () => {
    expect(matchRoutes(cfg, { team: "db", severity: "warning" }).map((m) => [m.path, m.receiver, m.groupInterval, m.muteTimeIntervals])).toEqual([
      ["route > routes[0]", "audit", "5m", []],
      ['route > routes[1] (team="db")', "root", "10m", ["nights"]],
    ]);
  });
  it("says which interval mutes a route at a time, and why", () => {
    const at = (iso: string) => matchRoutes(cfg, { team: "db", severity: "critical" }, new Date(iso)).map((m) => [m.receiver, m.muted, m.mutedBy]);
    // 2026-03-04 is a Wednesday.
    expect(at("2026-03-04T12:00:00Z")).toEqual([["audit", false, undefined], ["db-pager", false, undefined]]);
    expect(at("2026-03-04T20:00:00Z")).toEqual([["audit", false, undefined], ["db-pager", true, 'outside active intervals "days", "weekend"']]);
    expect(at("2026-03-07T20:00:00Z")).toEqual([["audit", false, undefined], ["db-pager", false, undefined]]);
    expect(matchRoutes(cfg, { team: "db" }, new Date("2026-03-04T03:00:00Z")).map((m) => [m.receiver, m.muted, m.mutedBy])).toEqual([["audit", false, undefined], ["root", true, 'mute interval "nights"']]);
    expect(routeAlert(cfg, { team: "db" }, new Date("2026-03-04T03:00:00Z"))).toEqual(["audit"]);
    expect(routeAlert(cfg, { team: "db" })).toEqual(["audit", "root"]);
  });
  it("refuses an unknown time interval and an unparsable matcher when it gets to them", () => {
    const unknown: AlertmanagerConfig = { ...cfg, timeIntervals: [] };
    expect(() => matchRoutes(unknown, { team: "db" }, new Date())).toThrow('unknown time interval "nights"');
    expect(matchRoutes(unknown, { team: "db" }).map((m) => m.receiver)).toEqual(["audit", "root"]);
    expect(() => matchRoutes(cfg, { team: "api" })).toThrow('cannot parse matcher "bad matcher"');
  });
});

describe("walkRoutes and paths", () => {
  it("visits depth first with the path, effective receiver and ancestors' receivers", () => {
    const seen: string[] = [];
    walkRoutes(cfg.route, (r, path, eff, ancestors) => seen.push(`${path} | ${eff.receiver} | ${eff.groupBy.join(",")} | ${ancestors.map((a) => a.receiver).join(",")}`));
    expect(seen).toEqual([
      "route | root | alertname | ",
      "route > routes[0] | audit | ... | root",
      'route > routes[1] (team="db") | root | alertname | root',
      'route > routes[1] (team="db") > routes[0] (severity="critical") | db-pager | alertname | root,',
      'route > routes[2] (team=~"api|web", bad matcher) | api | alertname | root',
    ]);
  });
  it("names a child by index and its matchers, typed ones formatted", () => {
    const r: Route = { matchers: [{ label: "a", op: "!~", value: 'x"y' }, '{b="1", c="2"}'] };
    expect(childPath("route", 3, r)).toBe('route > routes[3] (a!~"x\\"y", b="1", c="2")');
    expect(childPath("route", 0, {})).toBe("route > routes[0]");
    expect(childPath("route", 0, { matchers: [] })).toBe("route > routes[0]");
  });
});

describe("inhibition", () => {
  const inh: AlertmanagerConfig = {
    route: { receiver: "r" }, receivers: [{ name: "r" }],
    inhibitRules: [
      { name: "crit-over-warn", sourceMatchers: ['severity="critical"'], targetMatchers: ['severity="warning"'], equal: ["service", "zone"] },
      { sourceMatchers: ['alertname="Down"'], targetMatchers: ['alertname=~"Down|Slow"'] },
    ],
  };
  const warn = { severity: "warning", service: "api" };
  it("needs equal values for every equal label, a missing label reading as empty", () => {
    expect(inhibitedBy(inh, warn, [{ severity: "critical", service: "api" }])).toEqual({ rule: 0, ruleName: "crit-over-warn", source: { severity: "critical", service: "api" } });
    expect(inhibitedBy(inh, warn, [{ severity: "critical", service: "api", zone: "" }])).toEqual({ rule: 0, ruleName: "crit-over-warn", source: { severity: "critical", service: "api", zone: "" } });
    expect(inhibitedBy(inh, warn, [{ severity: "critical", service: "api", zone: "a" }])).toBeUndefined();
    expect(inhibitedBy(inh, warn, [{ severity: "critical", service: "db" }])).toBeUndefined();
    expect(inhibitedBy(inh, { severity: "info", service: "api" }, [{ severity: "critical", service: "api" }])).toBeUndefined();
  });
  it("takes the first firing source that qualifies, and reports an unnamed rule without a name", () => {
    expect(inhibitedBy(inh, warn, [{ severity: "critical", service: "db" }, { severity: "critical", service: "api" }])?.source).toEqual({ severity: "critical", service: "api" });
    expect(inhibitedBy(inh, { alertname: "Slow" }, [{ alertname: "Down" }])).toEqual({ rule: 1, source: { alertname: "Down" } });
  });
  it("an alert matching both sides is not inhibited by its twins, only by sources outside the target side", () => {
    expect(inhibitedBy(inh, { alertname: "Down", job: "a" }, [{ alertname: "Down", job: "b" }])).toBeUndefined();
    expect(isInhibited(inh, { alertname: "Slow" }, [{ alertname: "Down" }])).toBe(true);
    expect(isInhibited(inh, warn, [])).toBe(false);
    expect(isInhibited({ ...inh, inhibitRules: undefined }, warn, [{ severity: "critical", service: "api" }])).toBe(false);
  });
});
