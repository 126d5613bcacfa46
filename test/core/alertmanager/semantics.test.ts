import { describe, expect, it } from "vitest";
import { compileRe2, formatMatcher, matcherMatches, parseMatcher, tryParseMatcher } from "../../../core/alertmanager/label-matchers";
import { matchRoutes, routeAlert } from "../../../core/alertmanager/matcher";
import { inhibitedBy } from "../../../core/alertmanager/inhibit";
import { intervalContains, zonedInstant } from "../../../core/alertmanager/time-intervals";
import type { AlertmanagerConfig, TimePeriod } from "../../../core/alertmanager/model";

describe("matchers", () => {
  it.each([
    ['severity="critical"', { label: "severity", op: "=", value: "critical" }],
    ["env != dev", { label: "env", op: "!=", value: "dev" }],
    ['team=~"api|db"', { label: "team", op: "=~", value: "api|db" }],
    ['msg!~"a\\"b\\\\c"', { label: "msg", op: "!~", value: 'a"b\\c' }],
  ])("parses %s", (text, want) => {
    expect(parseMatcher(text)).toEqual(want);
    expect(parseMatcher(formatMatcher(parseMatcher(text)))).toEqual(want);
  });
  it.each(["severity", '"x"="y"', 'a="unterminated', 'a="bad\\q"'])("rejects %s", (text) => {
    expect(tryParseMatcher(text).ok).toBe(false);
  });
  it.each([
    // [matcher, labels, matches] — regexes are anchored, missing labels read as "".
    ['team=~"api"', { team: "api-gw" }, false],
    ['team=~"api.*"', { team: "api-gw" }, true],
    ['team=~"a|b"', { team: "b" }, true],
    ['team!~"a|b"', {}, true],
    ['team=""', {}, true],
    ['team!=""', {}, false],
    ['team=~".*"', {}, true],
    ['team=~".+"', {}, false],
    ['team=~"(?i)API"', { team: "api" }, true],
    ['team=~"(?P<x>ap)i"', { team: "api" }, true],
    ['team=~"(?<x>ap)i"', { team: "api" }, true],
  ] as const)("%s on %j is %s", (m, labels, want) => {
    expect(matcherMatches(m, labels)).toBe(want);
  });
  it.each(["a(?=b)", "(a)\\1", "(?<=a)b", "[[:alpha:]]", "\\pL", "a(?i)b", "\\z"])("refuses RE2/JS-ambiguous regex %s", (rx) => {
    expect(compileRe2(rx).ok).toBe(false);
  });
});

const tree: AlertmanagerConfig = {
  route: {
    receiver: "root",
    groupBy: ["alertname"],
    routes: [
      { receiver: "crit", matchers: ['severity="critical"'], continue: true, repeatInterval: "30m" },
      {
        receiver: "team-a",
        matchers: ['team=~"a|a2"'],
        groupBy: ["..."],
        routes: [
          { matchers: ['env="prod"'], receiver: "a-prod", groupWait: "5s" },
          { matchers: ['env!="prod"'] },
        ],
      },
      { receiver: "team-b", matchers: ['team="b"'], continue: true },
      { receiver: "b-too", matchers: ['team="b"'] },
      { receiver: "never", matchers: ['team="b"'] },
    ],
  },
  receivers: ["root", "crit", "team-a", "a-prod", "team-b", "b-too", "never"].map((name) => ({ name })),
};

describe("routeAlert (Alertmanager's order, continue, inheritance)", () => {
  it.each([
    [{}, ["root"]],
    [{ severity: "critical" }, ["crit"]],
    [{ severity: "critical", team: "a", env: "prod" }, ["crit", "a-prod"]],
    [{ team: "a2", env: "dev" }, ["team-a"]],
    [{ team: "a" }, ["team-a"]],
    [{ team: "b" }, ["team-b", "b-too"]],
    [{ team: "c" }, ["root"]],
  ] as const)("%j → %j", (labels, want) => {
    expect(routeAlert(tree, labels)).toEqual(want);
  });
  it("inherits group_by and timers down the tree", () => {
    const [m] = matchRoutes(tree, { team: "a", env: "prod" });
    expect(m).toMatchObject({ receiver: "a-prod", groupBy: ["..."], groupWait: "5s", groupInterval: "5m", repeatInterval: "4h" });
    expect(m?.path).toBe('route > routes[1] (team=~"a|a2") > routes[0] (env="prod")');
    const [c] = matchRoutes(tree, { severity: "critical" });
    expect(c).toMatchObject({ groupBy: ["alertname"], repeatInterval: "30m", groupWait: "30s" });
  });
});

describe("time intervals (location, weekdays, days of month, months, years)", () => {
  const at = (iso: string) => new Date(iso);
  const p = (period: TimePeriod) => ({ name: "t", periods: [period] });
  it.each([
    ["business hours in Berlin, 08:30 UTC Monday = 09:30 local", { weekdays: [["monday", "friday"]], times: [{ start: "09:00", end: "17:00" }], location: "Europe/Berlin" }, "2026-11-23T08:30:00Z", true],
    ["business hours in Berlin, 16:30 UTC = 17:30 local (end exclusive)", { times: [{ start: "09:00", end: "17:30" }], location: "Europe/Berlin" }, "2026-11-23T16:30:00Z", false],
    ["Sunday 23:30 UTC is Monday in Tokyo", { weekdays: ["monday"], location: "Asia/Tokyo" }, "2026-11-22T23:30:00Z", true],
    ["no location means UTC", { weekdays: ["sunday"] }, "2026-11-22T23:30:00Z", true],
    ["last day of a 30-day month by -1", { daysOfMonth: [-1] }, "2026-11-30T12:00:00Z", true],
    ["last day of February (leap year) by -1", { daysOfMonth: [-1] }, "2028-02-29T12:00:00Z", true],
    ["-1 is not the 28th in a leap February", { daysOfMonth: [-1] }, "2028-02-28T12:00:00Z", false],
    ["last three days", { daysOfMonth: [[-3, -1]] }, "2026-11-28T00:00:00Z", true],
    ["31 in a 30-day month never matches", { daysOfMonth: [31] }, "2026-11-30T00:00:00Z", false],
    ["25:31 clamps to the month's end", { daysOfMonth: [[25, 31]] }, "2026-11-30T00:00:00Z", true],
    ["months by name range", { months: [["november", "december"]] }, "2026-11-30T00:00:00Z", true],
    ["months by number", { months: [[1, 3]] }, "2026-11-30T00:00:00Z", false],
    ["years range", { years: [[2025, 2026]] }, "2026-11-30T00:00:00Z", true],
    ["year outside", { years: [2027] }, "2026-11-30T00:00:00Z", false],
    ["New Year in Auckland while UTC is still December", { months: ["january"], daysOfMonth: [1], location: "Pacific/Auckland" }, "2026-12-31T12:00:00Z", true],
  ] as const)("%s", (_name, period, iso, want) => {
    expect(intervalContains(p(period as TimePeriod), at(iso))).toBe(want);
  });
  it("zonedInstant finds the wall-clock instant in a zone (DST aware)", () => {
    expect(zonedInstant("Europe/Berlin", 2026, 7, 1, 9, 0).toISOString()).toBe("2026-07-01T07:00:00.000Z");
    expect(zonedInstant("Europe/Berlin", 2026, 12, 1, 9, 0).toISOString()).toBe("2026-12-01T08:00:00.000Z");
  });
  it("mute intervals mute a route at a time; active intervals mute it outside; neither is inherited", () => {
    const cfg: AlertmanagerConfig = {
      route: {
        receiver: "r",
        groupBy: ["alertname"],
        routes: [
          { receiver: "w", matchers: ['severity="warning"'], muteTimeIntervals: ["weekend"], routes: [{ matchers: ['team="a"'], receiver: "wa" }] },
          { receiver: "i", matchers: ['severity="info"'], activeTimeIntervals: ["weekend"] },
        ],
      },
      receivers: [{ name: "r" }, { name: "w" }, { name: "wa" }, { name: "i" }],
      timeIntervals: [{ name: "weekend", periods: [{ weekdays: ["saturday", "sunday"], location: "UTC" }] }],
    };
    const sat = at("2026-11-28T10:00:00Z");
    const mon = at("2026-11-23T10:00:00Z");
    expect(routeAlert(cfg, { severity: "warning" }, sat)).toEqual([]);
    expect(matchRoutes(cfg, { severity: "warning" }, sat)[0]).toMatchObject({ muted: true, mutedBy: 'mute interval "weekend"' });
    expect(routeAlert(cfg, { severity: "warning" }, mon)).toEqual(["w"]);
    expect(routeAlert(cfg, { severity: "warning", team: "a" }, sat)).toEqual(["wa"]);
    expect(routeAlert(cfg, { severity: "info" }, mon)).toEqual([]);
    expect(routeAlert(cfg, { severity: "info" }, sat)).toEqual(["i"]);
    expect(routeAlert(cfg, { severity: "info" })).toEqual(["i"]);
  });
});

describe("inhibition", () => {
  const cfg: AlertmanagerConfig = {
    route: { receiver: "r", groupBy: ["alertname"] },
    receivers: [{ name: "r" }],
    inhibitRules: [
      { name: "crit>warn", sourceMatchers: ['severity="critical"'], targetMatchers: ['severity="warning"'], equal: ["alertname", "service"] },
      { name: "any-on-call", sourceMatchers: ['team=~".+"'], targetMatchers: ['team=~".+"'], equal: ["cluster"] },
    ],
  };
  it.each([
    ["same alertname+service", { alertname: "A", service: "s", severity: "warning" }, [{ alertname: "A", service: "s", severity: "critical" }], "crit>warn"],
    ["missing label equals missing label", { alertname: "A", severity: "warning" }, [{ alertname: "A", severity: "critical" }], "crit>warn"],
    ["different service", { alertname: "A", service: "s", severity: "warning" }, [{ alertname: "A", service: "t", severity: "critical" }], undefined],
    ["no firing source", { alertname: "A", service: "s", severity: "warning" }, [], undefined],
    ["two-sided match never inhibits its twins", { team: "a", cluster: "x" }, [{ team: "b", cluster: "x" }], undefined],
  ] as const)("%s", (_n, target, firing, rule) => {
    expect(inhibitedBy(cfg, target, firing)?.ruleName).toBe(rule);
  });
});
