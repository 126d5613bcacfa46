/**
 * Rule pack validation case by case, each case's whole issue list at the default levels: the unit tests' own
 * checks (names, intervals, input series as promtool reads them, expanding notation, expected labels, expression
 * tests), pack and test names, groups inside a pack, alert variants, test coverage (recording rules, heartbeats) and
 * collisions across packs. Pure, so the mutation suite runs it.
 */
import { rate, sum, vector } from "@grafana/promql-builder";
import { describe, expect, it } from "vitest";
import type { AlertRule, RuleGroup, RulePack, RuleTest } from "../../../core/rules/model";
import { isSeriesText, validateRulePacks } from "../../../core/rules/validate";
import { formatIssue } from "../../../core/validation";

const ok: AlertRule = {
  alert: "ApiHighErrorRate",
  expr: 'rate(http_requests_total{status="500"}[5m]) > 1',
  severity: "warning",
  annotations: { summary: "{{ $labels.job }} errors", description: "errors on {{ $labels.instance }}" },
};
const group = (rules: RuleGroup["rules"], extra: Partial<RuleGroup> = {}): RuleGroup => ({ name: "http", rules, ...extra });
const firing = { evalTime: "10m", alert: "ApiHighErrorRate", expect: [{ labels: { job: "api", status: "500" } }] };
const quiet = { evalTime: "1m", alert: "ApiHighErrorRate", expect: [] };
const test = (over: Partial<RuleTest> = {}): RuleTest => ({ name: "t", series: [{ series: 'http_requests_total{status="500", job="api"}', values: "0+120x10" }], alerts: [firing, quiet], ...over });
const pack = (over: Partial<RulePack> = {}): RulePack => ({ name: "api", groups: [group([ok])], tests: [test()], ...over });
const rec = { record: "job:http_requests:rate5m", expr: "sum by (job) (rate(http_requests_total[5m]))" };
const exprTest = (expr: unknown, labels = 'job:http_requests:rate5m{job="api"}') => test({ alerts: [firing, quiet], exprs: [{ evalTime: "5m", expr: expr as string, expect: [{ labels, value: 2 }] }] });

const cases: [name: string, packs: RulePack[], all: string[]][] = [
  ["the clean pack", [pack()], []],
  ["a test without a name", [pack({ tests: [test(), test({ name: " " })] })], [
    "rule pack \"api\" > test \"\": name is required [rules/test-invalid]",
  ]],
  ["test intervals that are no durations", [pack({ tests: [test({ interval: "1 min", evaluationInterval: "0s" })] })], [
    "rule pack \"api\" > test \"t\": interval \"1 min\" is not a Prometheus duration (e.g. 30s, 5m, 1h30m) [rules/test-invalid]",
    "rule pack \"api\" > test \"t\": evaluationInterval must be longer than 0s [rules/test-invalid]",
  ]],
  ["a test interval of 0s", [pack({ tests: [test({ interval: "0s", evaluationInterval: "30s" })] })], [
    "rule pack \"api\" > test \"t\": interval must be longer than 0s [rules/test-invalid]",
  ]],
  ["a test with no input series", [pack({ tests: [test({ series: [] })] })], [
    "rule pack \"api\" > test \"t\": series has no input series [rules/test-invalid]",
  ]],
  ["an input series that is not a selector", [pack({ tests: [test({ series: [{ series: "rate(x[5m])", values: "1" }, { series: "x[5m]", values: "1" }, { series: "sum(", values: "1" }] })] })], [
    "rule pack \"api\" > test \"t\": series[0].series \"rate(x[5m])\" is not a series as promtool reads one: a metric name with label=\"value\" pairs (e.g. up{job=\"api\"}) [rules/test-invalid]",
    "rule pack \"api\" > test \"t\": series[1].series \"x[5m]\" is not a series as promtool reads one: a metric name with label=\"value\" pairs (e.g. up{job=\"api\"}) [rules/test-invalid]",
    "rule pack \"api\" > test \"t\": series[2].series \"sum(\" is not a series as promtool reads one: a metric name with label=\"value\" pairs (e.g. up{job=\"api\"}) [rules/test-invalid]",
  ]],
  ["input series promtool's parser refuses: matchers but =, offset, parentheses", [pack({ tests: [test({ series: [{ series: 'x{job=~"a"}', values: "1" }, { series: 'x{job!="a"}', values: "1" }, { series: "x offset 5m", values: "1" }, { series: "(x)", values: "1" }, { series: 'x{job="a"} @ 10', values: "1" }] })] })], [
    "rule pack \"api\" > test \"t\": series[0].series \"x{job=~\"a\"}\" is not a series as promtool reads one: a metric name with label=\"value\" pairs (e.g. up{job=\"api\"}) [rules/test-invalid]",
    "rule pack \"api\" > test \"t\": series[1].series \"x{job!=\"a\"}\" is not a series as promtool reads one: a metric name with label=\"value\" pairs (e.g. up{job=\"api\"}) [rules/test-invalid]",
    "rule pack \"api\" > test \"t\": series[2].series \"x offset 5m\" is not a series as promtool reads one: a metric name with label=\"value\" pairs (e.g. up{job=\"api\"}) [rules/test-invalid]",
    "rule pack \"api\" > test \"t\": series[3].series \"(x)\" is not a series as promtool reads one: a metric name with label=\"value\" pairs (e.g. up{job=\"api\"}) [rules/test-invalid]",
    "rule pack \"api\" > test \"t\": series[4].series \"x{job=\"a\"} @ 10\" is not a series as promtool reads one: a metric name with label=\"value\" pairs (e.g. up{job=\"api\"}) [rules/test-invalid]",
  ]],
  ["input series promtool reads: a name, labels, or __name__ as a label", [pack({ tests: [test({ series: [{ series: 'http_requests_total{status="500", job="api"}', values: "0+120x10" }, { series: '{__name__="up", job="a"}', values: "1" }, { series: " up ", values: "1" }, { series: "up{}", values: "1" }] })] })], []],
  ["input values left empty or with commas", [pack({ tests: [test({ series: [{ series: "up", values: "  " }, { series: "up", values: "1 2,3" }, { series: "up", values: "0+10x5 1-1x3 _ stale _x3 1e3 -Inf NaN" }] })] })], [
    "rule pack \"api\" > test \"t\": series[0].values \"  \" is not promtool's expanding notation (e.g. 0+10x30 1x5 _ stale) [rules/test-invalid]",
    "rule pack \"api\" > test \"t\": series[1].values \"1 2,3\" is not promtool's expanding notation (e.g. 0+10x30 1x5 _ stale) [rules/test-invalid]",
  ]],
  ["an alert check at a time that is no duration", [pack({ tests: [test({ alerts: [{ ...firing, evalTime: "ten" }, quiet] })] })], [
    "rule pack \"api\" > test \"t\": alerts[0].evalTime \"ten\" is not a Prometheus duration (e.g. 30s, 5m, 1h30m) [rules/test-invalid]",
  ]],
  ["an expected label that is no label name", [pack({ tests: [test({ alerts: [{ ...firing, expect: [{ labels: { job: "api", "bad-name": "x" } }] }, quiet] })] })], [
    "rule pack \"api\" > test \"t\": alerts[0].expect[0].labels.bad-name is not a valid label name [rules/test-invalid]",
  ]],
  ["expression tests: bad time, bad PromQL, expected labels not a selector", [pack({ groups: [group([ok, rec])], tests: [test({ exprs: [{ evalTime: "5 m", expr: "sum(", expect: [{ labels: "sum(x)", value: 1 }, { labels: "x[5m]", value: 1 }, { labels: "{", value: 1 }] }] })] })], [
    "rule pack \"api\" > test \"t\": exprs[0].evalTime \"5 m\" is not a Prometheus duration (e.g. 30s, 5m, 1h30m) [rules/test-invalid]",
    "rule pack \"api\" > test \"t\": exprs[0].expr syntax error at position 4 near \"sum(\" [rules/test-invalid]",
    "rule pack \"api\" > test \"t\": exprs[0].expect[0].labels \"sum(x)\" is not a series as promtool reads one: a metric name with label=\"value\" pairs (e.g. up{job=\"api\"}) [rules/test-invalid]",
    "rule pack \"api\" > test \"t\": exprs[0].expect[1].labels \"x[5m]\" is not a series as promtool reads one: a metric name with label=\"value\" pairs (e.g. up{job=\"api\"}) [rules/test-invalid]",
    "rule pack \"api\" > test \"t\": exprs[0].expect[2].labels \"{\" is not a series as promtool reads one: a metric name with label=\"value\" pairs (e.g. up{job=\"api\"}) [rules/test-invalid]",
    "warning: rule pack \"api\" > recording rule \"job:http_requests:rate5m\": tests has no expression test [rules/tests-missing]",
  ]],
  ["an expression test naming the recording rule covers it", [pack({ groups: [group([ok, rec])], tests: [exprTest("job:http_requests:rate5m")] })], []],
  ["an expression test of a longer name does not cover it", [pack({ groups: [group([ok, rec])], tests: [exprTest("job:http_requests:rate5m_total + ajob:http_requests:rate5m")] })], [
    "warning: rule pack \"api\" > recording rule \"job:http_requests:rate5m\": tests has no expression test [rules/tests-missing]",
  ]],
  ["an expression test built with the PromQL builder", [pack({ groups: [group([{ ...ok, expr: sum(rate(vector("http_requests_total").range("5m"))).by(["job"]).toString() }, rec])], tests: [exprTest(vector("job:http_requests:rate5m"))] })], []],
  ["the same pack name twice", [pack(), pack({ tests: [] })], [
    "rule pack \"api\": name is used by more than one pack (each pack is one rule file) [rules/invalid]",
    "warning: rule group \"http\" > alert \"ApiHighErrorRate\": alert is defined more than once with severity \"warning\" (also in rule group \"http\" of rule pack \"api\"); overrides address alerts by name and severity [rules/alert-duplicate]",
    "warning: rule pack \"api\" > alert \"ApiHighErrorRate\": tests has no firing test case [rules/tests-missing]",
    "warning: rule pack \"api\" > alert \"ApiHighErrorRate\": tests has no not-firing test case [rules/tests-missing]",
  ]],
  ["the same test name twice", [pack({ tests: [test(), test()] })], [
    "rule pack \"api\" > test \"t\": name is used by more than one test [rules/test-invalid]",
  ]],
  ["an empty pack: its groups are the pack's", [pack({ groups: [], tests: [] })], [
    "warning: rule pack \"api\": groups has no rule groups [rules/group-empty]",
  ]],
  ["group checks inside a pack", [pack({ groups: [group([ok]), group([], { name: "http", limit: -1 }), group([ok], { name: "" as string })], tests: [] })], [
    "rule group \"http\": name is used by more than one group of the file [rules/invalid]",
    "rule group \"http\": limit must be a non-negative integer, got -1 [rules/invalid]",
    "warning: rule group \"http\": rules has no rules [rules/group-empty]",
    "rule group \"\": name is required [rules/invalid]",
    "warning: rule group \"\" > alert \"ApiHighErrorRate\": alert is defined more than once with severity \"warning\" (also in rule group \"http\" of rule pack \"api\"); overrides address alerts by name and severity [rules/alert-duplicate]",
    "warning: rule pack \"api\" > alert \"ApiHighErrorRate\": tests has no firing test case [rules/tests-missing]",
    "warning: rule pack \"api\" > alert \"ApiHighErrorRate\": tests has no not-firing test case [rules/tests-missing]",
  ]],
  ["one alert twice at one severity in one group", [pack({ groups: [group([ok, { ...ok }, { ...ok, severity: "critical" }])] })], [
    "warning: rule group \"http\" > alert \"ApiHighErrorRate\" (severity \"warning\"): alert is defined more than once with severity \"warning\" (also in rule group \"http\" of rule pack \"api\"); overrides address alerts by name and severity [rules/alert-duplicate]",
  ]],
  ["a heartbeat needs no not-firing case", [pack({ groups: [group([{ ...ok, alert: "Watchdog", expr: " vector( 1 ) " }])], tests: [test({ alerts: [{ evalTime: "1m", alert: "Watchdog", expect: [{ labels: {} }] }] })] })], []],
  ["recording rules that may collide across packs", [pack({ groups: [group([ok, rec])], tests: [exprTest("job:http_requests:rate5m")] }), pack({ name: "api2", groups: [group([rec], { name: "http2" })], tests: [exprTest("job:http_requests:rate5m")] })], [
    "rule pack \"api2\" > test \"t\": alerts[0].alert names alert \"ApiHighErrorRate\", which the pack does not define [rules/test-invalid]",
    "rule pack \"api2\" > test \"t\": alerts[1].alert names alert \"ApiHighErrorRate\", which the pack does not define [rules/test-invalid]",
    "rule group \"http2\" > recording rule \"job:http_requests:rate5m\": record can write the same series as rule group \"http\" > recording rule \"job:http_requests:rate5m\" (same name and labels, and no label the results keep is matched to disjoint values); Prometheus then drops samples of one of them [rules/recording-collision]",
  ]],
  ["a malformed pack: an expression that is no text", [pack({ groups: [group([{ ...ok, expr: 5 as never }, { ...ok, alert: "B", expr: null as never }])], tests: [] })], [
    "rule group \"http\" > alert \"ApiHighErrorRate\": expr is empty [rules/invalid]",
    "rule group \"http\" > alert \"B\": expr is empty [rules/invalid]",
    "warning: rule pack \"api\" > alert \"ApiHighErrorRate\": tests has no firing test case [rules/tests-missing]",
    "warning: rule pack \"api\" > alert \"ApiHighErrorRate\": tests has no not-firing test case [rules/tests-missing]",
    "warning: rule pack \"api\" > alert \"B\": tests has no firing test case [rules/tests-missing]",
    "warning: rule pack \"api\" > alert \"B\": tests has no not-firing test case [rules/tests-missing]",
  ]],
];


describe("validateRulePacks case by case", () => {
  it.each(cases)("%s", (_name, packs, all) => {
    expect(validateRulePacks(packs).map(formatIssue)).toEqual(all);
  });
});

describe("isSeriesText: what promtool's series parser reads (checked against promtool test rules)", () => {
  it.each([
    ['up{job="api"}', true], ['{__name__="up", job="a"}', true], [" up ", true], ["up{}", true], ["# note\nup", true],
    ["rate(x[5m])", false], ['x{job=~"a"}', false], ['x{job!="a"}', false], ['x{job!~"a"}', false], ["x offset 5m", false],
    ["(x)", false], ["x @ 10", false], ["x[5m]", false], ["sum(", false], ["1", false], ['"a"', false], ["", false],
  ] as const)("%j: %s", (text, ok) => {
    expect(isSeriesText(text)).toBe(ok);
  });
});
