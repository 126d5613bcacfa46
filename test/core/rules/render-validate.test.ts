import { describe, expect, it } from "vitest";
import { parse } from "yaml";


import { sum, rate, vector } from "@grafana/promql-builder";
import type { AlertCheck, AlertRule, RuleGroup, RulePack, RuleTest } from "../../../core/rules/model";
import { renderRuleFile, renderRulePackFiles, renderRuleTestFiles } from "../../../core/rules/render";
import { validateRuleGroups, validateRulePacks } from "../../../core/rules/validate";
import { errorsOf, formatIssue, ValidationError } from "../../../core/validation";
import { allRulesAt, levelOf, type LintRuleId } from "../../../core/lint";

const strict = { levels: allRulesAt("error") };

const ok: AlertRule = {
  alert: "ApiHighErrorRate",
  expr: 'rate(http_requests_total{status="500"}[5m]) > 1',
  for: "5m",
  severity: "warning",
  annotations: { summary: "{{ $labels.job }} errors", description: "{{ $value | humanize }} errors/s on {{ $labels.instance }}" },
};
const group = (rules: RuleGroup["rules"], extra: Partial<RuleGroup> = {}): RuleGroup => ({ name: "http", rules, ...extra });

describe("renderRuleFile", () => {
  const cases: { name: string; groups: RuleGroup[]; check: (doc: any, text: string) => void }[] = [
    {
      name: "severity becomes a label next to the rule's own labels, sorted",
      groups: [group([{ ...ok, labels: { team: "api" } }])],
      check: (d) => expect(d.groups[0].rules[0].labels).toEqual({ severity: "warning", team: "api" }),
    },
    {
      name: "runbookUrl renders as runbook_url, dashboard as dashboard, after summary and description",
      groups: [group([{ ...ok, annotations: { ...ok.annotations, runbookUrl: "https://r.example/x", dashboard: "/d/abc" } }])],
      check: (d) => expect(Object.keys(d.groups[0].rules[0].annotations)).toEqual(["summary", "description", "runbook_url", "dashboard"]),
    },
    {
      name: "an alert renders alert, expr, for, labels and annotations, in that order",
      groups: [group([ok])],
      check: (d, text) => {
        expect(d.groups[0].rules[0]).toEqual({
          alert: "ApiHighErrorRate",
          expr: 'rate(http_requests_total{status="500"}[5m]) > 1',
          for: "5m",
          labels: { severity: "warning" },
          annotations: { summary: "{{ $labels.job }} errors", description: "{{ $value | humanize }} errors/s on {{ $labels.instance }}" },
        });
        expect(Object.keys(d.groups[0].rules[0])).toEqual(["alert", "expr", "for", "labels", "annotations"]);
        expect(text).toContain("\n        for: 5m\n");
      },
    },
    {
      name: "keepFiringFor renders as keep_firing_for and absent optional fields vanish",
      groups: [group([{ ...ok, keepFiringFor: "10m", for: undefined }])],
      check: (d) => {
        expect(d.groups[0].rules[0].keep_firing_for).toBe("10m");
        expect("for" in d.groups[0].rules[0]).toBe(false);
      },
    },
    {
      name: "a recording rule renders record, expr and labels",
      groups: [group([{ record: "job:http_requests:rate5m", expr: "sum by (job) (rate(http_requests_total[5m]))", labels: { tier: "1" } }])],
      check: (d) => expect(d.groups[0].rules[0]).toEqual({ record: "job:http_requests:rate5m", expr: "sum by (job) (rate(http_requests_total[5m]))", labels: { tier: "1" } }),
    },
    {
      name: "a promql-builder expression renders as its PromQL text",
      groups: [group([{ record: "job:http_requests:rate5m", expr: sum(rate(vector("http_requests_total").range("5m"))).by(["job"]) }])],
      check: (d) => expect(d.groups[0].rules[0].expr).toBe("sum by(job) (rate(http_requests_total[5m]))"),
    },
    {
      name: "group interval and limit render; a YAML-1.1 boolean-looking summary is quoted",
      groups: [group([{ ...ok, annotations: { summary: "No", description: "yes" } }], { interval: "30s", limit: 10 })],
      check: (d, text) => {
        expect(d.groups[0]).toMatchObject({ name: "http", interval: "30s", limit: 10 });
        expect(text).toContain('summary: "No"');
        expect(text).toContain('description: "yes"');
      },
    },
  ];
  it.each(cases)("$name", ({ groups, check }) => {
    const text = renderRuleFile(groups);
    check(parse(text), text);
  });
});

type Bad = { name: string; groups: RuleGroup[]; item: string; field: string; message: RegExp; rule: LintRuleId; /** Every issue at the default levels, formatted. */ all: string[] };
const alertItem = 'rule group "http" > alert "ApiHighErrorRate"';
const bad: Bad[] = [
  { name: "a PromQL syntax error", groups: [group([{ ...ok, expr: "rate(http_requests_total[5m] > 1" }])], item: alertItem, field: "expr", message: /syntax error/, rule: "promql/invalid", all: ['rule group "http" > alert "ApiHighErrorRate": expr syntax error at position 32 near "al[5m] > 1" [promql/invalid]'] },
  { name: "rate() of an instant vector", groups: [group([{ ...ok, expr: "rate(http_requests_total) > 1" }])], item: alertItem, field: "expr", message: /expected type matrix/, rule: "promql/invalid", all: ['rule group "http" > alert "ApiHighErrorRate": expr expected type matrix in call to function "rate", got vector [promql/invalid]'] },
  { name: "a wrong argument count", groups: [group([{ ...ok, expr: "histogram_quantile(0.95) > 1" }])], item: alertItem, field: "expr", message: /argument/, rule: "promql/invalid", all: ['rule group "http" > alert "ApiHighErrorRate": expr expected 2 argument(s) in call to "histogram_quantile", got 1 [promql/invalid]'] },
  { name: "a range vector as the whole alert expression (promtool accepts, Prometheus fails)", groups: [group([{ ...ok, expr: "up[5m]" }])], item: alertItem, field: "expr", message: /range vector/, rule: "rules/expr-not-instant", all: ['rule group "http" > alert "ApiHighErrorRate": expr evaluates to a range vector; an instant vector is needed (drop the [range] or wrap it in a function) [rules/expr-not-instant]'] },
  { name: "a comparison of two scalars without bool", groups: [group([{ ...ok, expr: "1 > 0" }])], item: alertItem, field: "expr", message: /BOOL modifier/, rule: "promql/invalid", all: ['rule group "http" > alert "ApiHighErrorRate": expr comparisons between scalars must use BOOL modifier [promql/invalid]'] },
  { name: "a comment-led expression is still type-checked", groups: [group([{ ...ok, expr: "# why\nrate(http_requests_total) > 1" }])], item: alertItem, field: "expr", message: /expected type matrix/, rule: "promql/invalid", all: ['rule group "http" > alert "ApiHighErrorRate": expr expected type matrix in call to function "rate", got vector [promql/invalid]'] },
  { name: "a selector regex RE2 does not compile", groups: [group([{ ...ok, expr: 'up{job=~"(api"} == 0' }])], item: alertItem, field: "expr", message: /not a valid RE2 regular expression/, rule: "promql/regex-invalid", all: ['rule group "http" > alert "ApiHighErrorRate": expr job=~"(api" is not a valid RE2 regular expression: Unterminated group [promql/regex-invalid]'] },
  { name: "an escape Prometheus does not know in a selector string", groups: [group([{ ...ok, expr: 'up{job=~"a\\.b"} == 0' }])], item: alertItem, field: "expr", message: /unknown escape sequence/, rule: "promql/invalid", all: ['rule group "http" > alert "ApiHighErrorRate": expr job=~"a\\.b": unknown escape sequence "\\." (write "\\\\." for a literal backslash) [promql/invalid]'] },
  { name: "the legacy message annotation", groups: [group([{ ...ok, annotations: { message: "api errors" } }])], item: alertItem, field: "annotations.message", message: /legacy/, rule: "rules/annotation-message-legacy", all: ['warning: rule group "http" > alert "ApiHighErrorRate": annotations.summary is not set [rules/annotations-summary-description]', 'warning: rule group "http" > alert "ApiHighErrorRate": annotations.description is not set [rules/annotations-summary-description]', 'warning: rule group "http" > alert "ApiHighErrorRate": annotations.message is the legacy annotation; say it in summary (one line) and description [rules/annotation-message-legacy]'] },
  { name: "an alert without severity", groups: [group([{ ...ok, severity: undefined }])], item: alertItem, field: "severity", message: /not set/, rule: "rules/severity-missing", all: ['warning: rule group "http" > alert "ApiHighErrorRate": severity is not set: routing by severity cannot place this alert [rules/severity-missing]'] },
  { name: "holt_winters, which Prometheus 3 removed", groups: [group([{ ...ok, expr: "holt_winters(up[1h], 0.5, 0.5) > 1" }])], item: alertItem, field: "expr", message: /Prometheus 3 removed/, rule: "promql/function-unavailable", all: ['rule group "http" > alert "ApiHighErrorRate": expr syntax error at position 12 near "lt_winters(up[1h], 0." [promql/invalid]', 'rule group "http" > alert "ApiHighErrorRate": expr syntax error at position 13 near "t_winters(up[1h], 0.5," [promql/invalid]', 'rule group "http" > alert "ApiHighErrorRate": expr syntax error at position 19 near "ers(up[1h], 0.5, 0.5)" [promql/invalid]', 'rule group "http" > alert "ApiHighErrorRate": expr uses "holt_winters", which Prometheus 3 removed; use predict_linear or deriv [promql/function-unavailable]'] },
  { name: "an experimental function the stack does not enable", groups: [group([{ ...ok, expr: 'sort_by_label(up, "job") > 0' }])], item: alertItem, field: "expr", message: /promql-experimental-functions/, rule: "promql/function-unavailable", all: ["rule group \"http\" > alert \"ApiHighErrorRate\": expr uses \"sort_by_label\", an experimental PromQL function: the stack's Prometheus does not enable promql-experimental-functions, so the rule would not load [promql/function-unavailable]"] },
  { name: "an alert name that is not PascalCase", groups: [group([{ ...ok, alert: "api_high_error_rate" }])], item: 'rule group "http" > alert "api_high_error_rate"', field: "alert", message: /PascalCase/, rule: "rules/alert-name-pascal-case", all: ['warning: rule group "http" > alert "api_high_error_rate": alert "api_high_error_rate" should be PascalCase, subject first (e.g. HttpErrorRateHigh) [rules/alert-name-pascal-case]'] },
  { name: "a recording rule name not shaped level:metric:operations", groups: [group([{ record: "http_requests_rate", expr: "up" }])], item: 'rule group "http" > recording rule "http_requests_rate"', field: "record", message: /level:metric:operations/, rule: "rules/record-name-shape", all: ['warning: rule group "http" > recording rule "http_requests_rate": record "http_requests_rate" should be shaped level:metric:operations (e.g. job:http_requests:rate5m) [rules/record-name-shape]'] },
  { name: "a label name with dots and slashes", groups: [group([{ ...ok, labels: { "app.kubernetes.io/x": "a" } }])], item: alertItem, field: "labels.app.kubernetes.io/x", message: /label name/, rule: "rules/invalid", all: ['rule group "http" > alert "ApiHighErrorRate": labels.app.kubernetes.io/x is not a valid Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*, no leading __) [rules/invalid]'] },
  { name: "severity set as a label", groups: [group([{ ...ok, labels: { severity: "page" } }])], item: alertItem, field: "labels.severity", message: /severity field/, rule: "rules/label-reserved", all: ['rule group "http" > alert "ApiHighErrorRate": labels.severity is reserved; set the severity field [rules/label-reserved]'] },
  { name: "a for that is not a duration", groups: [group([{ ...ok, for: "5 minutes" }])], item: alertItem, field: "for", message: /not a Prometheus duration/, rule: "rules/invalid", all: ['rule group "http" > alert "ApiHighErrorRate": for "5 minutes" is not a Prometheus duration (e.g. 30s, 5m, 1h30m) [rules/invalid]'] },
  { name: "a fractional keepFiringFor", groups: [group([{ ...ok, keepFiringFor: "1.5m" }])], item: alertItem, field: "keepFiringFor", message: /not a Prometheus duration/, rule: "rules/invalid", all: ['rule group "http" > alert "ApiHighErrorRate": keepFiringFor "1.5m" is not a Prometheus duration (e.g. 30s, 5m, 1h30m) [rules/invalid]'] },
  { name: "a severity outside the allowed set", groups: [group([{ ...ok, severity: "page" as never }])], item: alertItem, field: "severity", message: /critical, warning, info/, rule: "rules/severity-unknown", all: ['warning: rule group "http" > alert "ApiHighErrorRate": severity "page" is not one of critical, warning, info [rules/severity-unknown]'] },
  { name: "an unbalanced template", groups: [group([{ ...ok, annotations: { ...ok.annotations, summary: "{{ $labels.job errors" } }])], item: alertItem, field: "annotations.summary", message: /without a matching "}}"/, rule: "rules/invalid", all: ['rule group "http" > alert "ApiHighErrorRate": annotations.summary template has "{{" without a matching "}}" at position 0 [rules/invalid]'] },
  { name: "an unknown template function", groups: [group([{ ...ok, annotations: { ...ok.annotations, description: "{{ $value | humanise }}" } }])], item: alertItem, field: "annotations.description", message: /unknown function "humanise"/, rule: "rules/invalid", all: ['rule group "http" > alert "ApiHighErrorRate": annotations.description template calls unknown function "humanise" [rules/invalid]'] },
  { name: "an undefined template variable", groups: [group([{ ...ok, annotations: { ...ok.annotations, description: "{{ $lables.job }}" } }])], item: alertItem, field: "annotations.description", message: /undefined variable "\$lables"/, rule: "rules/invalid", all: ['rule group "http" > alert "ApiHighErrorRate": annotations.description template uses undefined variable "$lables" [rules/invalid]'] },
  { name: "an if without end", groups: [group([{ ...ok, annotations: { ...ok.annotations, description: "{{ if gt $value 1.0 }}big" } }])], item: alertItem, field: "annotations.description", message: /without a matching "\{\{ end \}\}"/, rule: "rules/invalid", all: ['rule group "http" > alert "ApiHighErrorRate": annotations.description template has "{{ if }}" without a matching "{{ end }}" [rules/invalid]'] },
  { name: "a missing summary", groups: [group([{ ...ok, annotations: { summary: "", description: "d" } }])], item: alertItem, field: "annotations.summary", message: /not set/, rule: "rules/annotations-summary-description", all: ['warning: rule group "http" > alert "ApiHighErrorRate": annotations.summary is not set [rules/annotations-summary-description]'] },
  { name: "a runbook URL that is not a URL", groups: [group([{ ...ok, annotations: { ...ok.annotations, runbookUrl: "see wiki" } }])], item: alertItem, field: "annotations.runbookUrl", message: /URL/, rule: "rules/annotation-url", all: ['warning: rule group "http" > alert "ApiHighErrorRate": annotations.runbookUrl "see wiki" is not an http(s) URL or absolute path [rules/annotation-url]'] },
  { name: "duplicate group names", groups: [group([ok]), group([{ ...ok, alert: "Other" }])], item: 'rule group "http"', field: "name", message: /more than one group/, rule: "rules/invalid", all: ['rule group "http": name is used by more than one group of the file [rules/invalid]'] },
  { name: "a group name that is not kebab-case", groups: [{ name: "Http_Rules", rules: [ok] }], item: 'rule group "Http_Rules"', field: "name", message: /kebab-case/, rule: "rules/group-name-kebab-case", all: ['warning: rule group "Http_Rules": name "Http_Rules" should be kebab-case (e.g. http-recording) [rules/group-name-kebab-case]'] },
  { name: "a zero group interval", groups: [group([ok], { interval: "0s" })], item: 'rule group "http"', field: "interval", message: /longer than 0s/, rule: "rules/invalid", all: ['rule group "http": interval must be longer than 0s [rules/invalid]'] },
  { name: "a negative group limit", groups: [group([ok], { limit: -1 })], item: 'rule group "http"', field: "limit", message: /non-negative integer/, rule: "rules/invalid", all: ['rule group "http": limit must be a non-negative integer, got -1 [rules/invalid]'] },
  {
    name: "the same recording rule twice",
    groups: [group([{ record: "job:up:sum", expr: "sum by (job) (up)" }, { record: "job:up:sum", expr: "sum by (job) (up)" }])],
    item: 'rule group "http" > recording rule "job:up:sum"',
    field: "record",
    message: /can write the same series as rule group "http" > recording rule "job:up:sum"/,
    rule: "rules/recording-collision",
    all: ['rule group "http" > recording rule "job:up:sum": record can write the same series as rule group "http" > recording rule "job:up:sum" (same name and labels, and no label the results keep is matched to disjoint values); Prometheus then drops samples of one of them [rules/recording-collision]'],
  },
];

describe("rule validation refuses bad input and names the culprit", () => {
  it.each(bad)("$name: every issue at the default levels", ({ groups, all }) => {
    expect(validateRuleGroups(groups).map(formatIssue)).toEqual(all);
  });

  it.each(bad)("$name", ({ groups, item, field, message, rule }) => {
    // Default level: an error for what Prometheus refuses or what breaks, a warning for house conventions.
    const expected = levelOf(rule) === "error" ? "error" : "warning";
    expect(validateRuleGroups(groups)).toContainEqual(expect.objectContaining({ severity: expected, rule, item, field, message: expect.stringMatching(message) }));
    // Raised to error, every finding refuses the file.
    expect(validateRuleGroups(groups, strict)).toContainEqual(expect.objectContaining({ severity: "error", rule, item, field }));
    let rendered: string | undefined;
    const render = () => {
      rendered = renderRuleFile(groups);
    };
    if (expected === "error") {
      expect(render).toThrow(ValidationError);
      expect(rendered).toBeUndefined();
    } else expect(render).not.toThrow();
  });

  it("accepts what Prometheus accepts: a scalar alert result, __name__ matched twice without a name, an alert pair at two severities", () => {
    const groups = [
      group([
        { ...ok, expr: "scalar(sum(up)) * 0 + 1" },
        { ...ok, expr: '{__name__=~"pg_settings_.*", __name__!="pg_settings_x"} != 1' },
        { ...ok, severity: "critical", expr: 'rate(http_requests_total{status="500"}[5m]) > 5' },
      ]),
    ];
    expect(errorsOf(validateRuleGroups(groups))).toEqual([]);
  });

  it("accepts recording rules of one name whose kept labels are matched apart, and flags the ones that are not", () => {
    const rec = (code: string, by = "code, verb") => ({ record: "code_verb:requests:increase1h", expr: `sum by (${by}) (increase(requests_total{code=~"${code}"}[1h]))` });
    expect(validateRuleGroups([group([rec("2.."), rec("5.."), rec("4..")])])).toEqual([]);
    expect(validateRuleGroups([group([{ record: "verb:x:sum", expr: 'sum by (verb) (x{verb="read"})' }, { record: "verb:x:sum", expr: 'sum by (verb) (x{verb=~"write|patch"})' }])])).toEqual([]);
    // The label is dropped by the aggregation, so both rules write the same series.
    expect(validateRuleGroups([group([rec("2..", "verb"), rec("5..", "verb")])])).toContainEqual(expect.objectContaining({ rule: "rules/recording-collision", severity: "error" }));
    // Prefixes that overlap prove nothing.
    expect(validateRuleGroups([group([rec("5.."), rec("50.")])])).toContainEqual(expect.objectContaining({ rule: "rules/recording-collision" }));
  });

  it("accepts the good alert with no issue at all", () => {
    expect(validateRuleGroups([group([ok])])).toEqual([]);
  });
});

describe("rule pack validation", () => {
  const pack = (over: Partial<RulePack> = {}): RulePack => ({
    name: "api",
    groups: [group([ok])],
    tests: [
      {
        name: "errors fire",
        series: [{ series: 'http_requests_total{status="500", job="api"}', values: "0+120x10" }],
        alerts: [
          { evalTime: "10m", alert: "ApiHighErrorRate", expect: [{ labels: { job: "api", status: "500" }, value: 2 }] },
          { evalTime: "1m", alert: "ApiHighErrorRate", expect: [] },
        ],
      },
    ],
    ...over,
  });
  /** A pack whose one test has a single alert check (a firing one at 10m unless overridden). */
  const pending = (check: Partial<AlertCheck>, rule: Partial<AlertRule> = {}, test: Partial<RuleTest> = {}): RulePack => pack({
    groups: [group([{ ...ok, ...rule }])],
    tests: [{
      name: "pending",
      series: [{ series: 'http_requests_total{status="500", job="api"}', values: "0+120x10" }],
      alerts: [{ evalTime: "10m", alert: "ApiHighErrorRate", expect: [{ labels: { job: "api", status: "500" }, value: 2 }], ...check }],
      ...test,
    }],
  });
  const packCases: { name: string; packs: RulePack[]; item: string; field: string; message: RegExp; severity?: "warning"; all: string[] }[] = [
    { name: "a pack name that is not kebab-case", packs: [pack({ name: "My Pack" })], item: 'rule pack "My Pack"', field: "name", message: /kebab-case/, severity: "warning", all: ['warning: rule pack "My Pack": name "My Pack" should be kebab-case; it names the file rules/My Pack.yml [rules/pack-name-kebab-case]', 'warning: rule pack "My Pack" > alert "ApiHighErrorRate": tests has for: 5m but no pending-window test case (set activeSince on a firing check) [rules/tests-missing]'] },
    { name: "one alert name at one severity in two packs", packs: [pack(), pack({ name: "api2", groups: [group([ok], { name: "http2" })], tests: [] })], item: 'rule group "http2" > alert "ApiHighErrorRate"', field: "alert", message: /more than once with severity "warning" \(also in rule group "http" of rule pack "api"\)/, severity: "warning", all: ['warning: rule pack "api" > alert "ApiHighErrorRate": tests has for: 5m but no pending-window test case (set activeSince on a firing check) [rules/tests-missing]', 'warning: rule group "http2" > alert "ApiHighErrorRate": alert is defined more than once with severity "warning" (also in rule group "http" of rule pack "api"); overrides address alerts by name and severity [rules/alert-duplicate]', 'warning: rule pack "api2" > alert "ApiHighErrorRate": tests has no firing test case [rules/tests-missing]', 'warning: rule pack "api2" > alert "ApiHighErrorRate": tests has no not-firing test case [rules/tests-missing]', 'warning: rule pack "api2" > alert "ApiHighErrorRate": tests has for: 5m but no pending-window test case (set activeSince on a firing check) [rules/tests-missing]'] },
    { name: "a group name in two packs", packs: [pack(), pack({ name: "api2", groups: [group([{ ...ok, alert: "Other" }])], tests: [] })], item: 'rule group "http"', field: "name", message: /also defined by rule pack "api"/, severity: "warning", all: ['warning: rule pack "api" > alert "ApiHighErrorRate": tests has for: 5m but no pending-window test case (set activeSince on a firing check) [rules/tests-missing]', 'warning: rule group "http": name is also defined by rule pack "api" [rules/group-name-unique]', 'warning: rule pack "api2" > alert "Other": tests has no firing test case [rules/tests-missing]', 'warning: rule pack "api2" > alert "Other": tests has no not-firing test case [rules/tests-missing]', 'warning: rule pack "api2" > alert "Other": tests has for: 5m but no pending-window test case (set activeSince on a firing check) [rules/tests-missing]'] },
    { name: "a test naming an alert the pack lacks", packs: [pack({ tests: [{ name: "t", series: [{ series: "up", values: "1" }], alerts: [{ evalTime: "1m", alert: "Nope", expect: [] }] }] })], item: 'rule pack "api" > test "t"', field: "alerts[0].alert", message: /"Nope"/, all: ['rule pack "api" > test "t": alerts[0].alert names alert "Nope", which the pack does not define [rules/test-invalid]', 'warning: rule pack "api" > alert "ApiHighErrorRate": tests has no firing test case [rules/tests-missing]', 'warning: rule pack "api" > alert "ApiHighErrorRate": tests has no not-firing test case [rules/tests-missing]', 'warning: rule pack "api" > alert "ApiHighErrorRate": tests has for: 5m but no pending-window test case (set activeSince on a firing check) [rules/tests-missing]'] },
    { name: "test values not in expanding notation", packs: [pack({ tests: [{ name: "t", series: [{ series: "up", values: "1, 2, 3" }] }] })], item: 'rule pack "api" > test "t"', field: "series[0].values", message: /expanding notation/, all: ["rule pack \"api\" > test \"t\": series[0].values \"1, 2, 3\" is not promtool's expanding notation (e.g. 0+10x30 1x5 _ stale) [rules/test-invalid]", 'warning: rule pack "api" > alert "ApiHighErrorRate": tests has no firing test case [rules/tests-missing]', 'warning: rule pack "api" > alert "ApiHighErrorRate": tests has no not-firing test case [rules/tests-missing]', 'warning: rule pack "api" > alert "ApiHighErrorRate": tests has for: 5m but no pending-window test case (set activeSince on a firing check) [rules/tests-missing]'] },
    { name: "an annotation a test cannot predict", packs: [pack({ tests: [{ name: "t", series: [{ series: "up", values: "1" }], alerts: [{ evalTime: "1m", alert: "ApiHighErrorRate", expect: [{ labels: { job: "a" } }] }] }] })], item: 'rule pack "api" > test "t"', field: "alerts[0].expect[0].annotations.description", message: /cannot be predicted/, all: ['rule pack "api" > test "t": alerts[0].expect[0].annotations.description of alert "ApiHighErrorRate" cannot be predicted from its template (give value or the expected text) [rules/test-invalid]', 'warning: rule pack "api" > alert "ApiHighErrorRate": tests has no not-firing test case [rules/tests-missing]', 'warning: rule pack "api" > alert "ApiHighErrorRate": tests has for: 5m but no pending-window test case (set activeSince on a firing check) [rules/tests-missing]'] },
    { name: "an alert without a not-firing case (a warning)", packs: [pack({ tests: [] })], item: 'rule pack "api" > alert "ApiHighErrorRate"', field: "tests", message: /no not-firing/, severity: "warning", all: ['warning: rule pack "api" > alert "ApiHighErrorRate": tests has no firing test case [rules/tests-missing]', 'warning: rule pack "api" > alert "ApiHighErrorRate": tests has no not-firing test case [rules/tests-missing]', 'warning: rule pack "api" > alert "ApiHighErrorRate": tests has for: 5m but no pending-window test case (set activeSince on a firing check) [rules/tests-missing]'] },
    { name: "an alert with for but no pending-window case (a warning)", packs: [pack()], item: 'rule pack "api" > alert "ApiHighErrorRate"', field: "tests", message: /has for: 5m but no pending-window test case \(set activeSince/, severity: "warning", all: ['warning: rule pack "api" > alert "ApiHighErrorRate": tests has for: 5m but no pending-window test case (set activeSince on a firing check) [rules/tests-missing]'] },
    { name: "activeSince on a not-firing check", packs: [pending({ evalTime: "1m", activeSince: "0s", expect: [] })], item: 'rule pack "api" > test "pending"', field: "alerts[0].activeSince", message: /not-firing check of alert "ApiHighErrorRate"/, all: ['rule pack "api" > test "pending": alerts[0].activeSince is set on a not-firing check of alert "ApiHighErrorRate": give it to a check that expects the alert firing [rules/test-invalid]', 'warning: rule pack "api" > alert "ApiHighErrorRate": tests has no firing test case [rules/tests-missing]', 'warning: rule pack "api" > alert "ApiHighErrorRate": tests has for: 5m but no pending-window test case (set activeSince on a firing check) [rules/tests-missing]'] },
    { name: "activeSince on an alert without for", packs: [pending({ activeSince: "1m" }, { for: undefined })], item: 'rule pack "api" > test "pending"', field: "alerts[0].activeSince", message: /has no for: there is no pending window/, all: ['rule pack "api" > test "pending": alerts[0].activeSince alert "ApiHighErrorRate" has no for: there is no pending window to check [rules/test-invalid]', 'warning: rule pack "api" > alert "ApiHighErrorRate": tests has no not-firing test case [rules/tests-missing]'] },
    { name: "activeSince between two evaluations", packs: [pending({ activeSince: "90s" })], item: 'rule pack "api" > test "pending"', field: "alerts[0].activeSince", message: /multiple of the evaluation interval \(1m\)/, all: ['rule pack "api" > test "pending": alerts[0].activeSince must be a multiple of the evaluation interval (1m): alerts change state only at evaluations [rules/test-invalid]', 'warning: rule pack "api" > alert "ApiHighErrorRate": tests has no not-firing test case [rules/tests-missing]'] },
    { name: "activeSince that is not a duration", packs: [pending({ activeSince: "1 min" })], item: 'rule pack "api" > test "pending"', field: "alerts[0].activeSince", message: /"1 min" is not a Prometheus duration/, all: ['rule pack "api" > test "pending": alerts[0].activeSince "1 min" is not a Prometheus duration (e.g. 0s, 1m) [rules/test-invalid]', 'warning: rule pack "api" > alert "ApiHighErrorRate": tests has no not-firing test case [rules/tests-missing]'] },
    { name: "a firing check before for has elapsed since activeSince", packs: [pending({ evalTime: "5m", activeSince: "1m" })], item: 'rule pack "api" > test "pending"', field: "alerts[0].evalTime", message: /5m is before alert "ApiHighErrorRate" can fire: active since 1m with for 5m, it fires at 6m at the earliest/, all: ['rule pack "api" > test "pending": alerts[0].evalTime 5m is before alert "ApiHighErrorRate" can fire: active since 1m with for 5m, it fires at 6m at the earliest [rules/test-invalid]', 'warning: rule pack "api" > alert "ApiHighErrorRate": tests has no not-firing test case [rules/tests-missing]'] },
  ];
  it("accepts one alert name at two severities across packs", () => {
    const pair = [pack(), pack({ name: "api2", groups: [group([{ ...ok, severity: "critical" }], { name: "http2" })], tests: [] })];
    expect(validateRulePacks(pair).filter((i) => i.rule !== "rules/tests-missing")).toEqual([]);
  });

  it.each(packCases)("$name: every issue at the default levels", ({ packs, all }) => {
    expect(validateRulePacks(packs).map(formatIssue)).toEqual(all);
  });

  it.each(packCases)("reports $name", ({ packs, item, field, message, severity }) => {
    expect(validateRulePacks(packs)).toContainEqual(expect.objectContaining({ severity: severity ?? "error", item, field, message: expect.stringMatching(message) }));
    if (severity === undefined) expect(() => renderRulePackFiles(packs)).toThrow(ValidationError);
  });

  it("compiles a firing check with activeSince into a pending-window check on the last evaluation before for elapses", () => {
    const doc = parse(renderRuleTestFiles([pending({ activeSince: "1m" })])[0]!.content);
    const [t] = doc.tests;
    // Rate needs two samples: the condition holds from 1m; for 5m: pending through 5m, firing from 6m.
    expect(t.alert_rule_test.map((c: any) => [c.eval_time, c.alertname, (c.exp_alerts ?? []).length])).toEqual([["10m", "ApiHighErrorRate", 1], ["5m", "ApiHighErrorRate", 0]]);
    expect(t.promql_expr_test).toEqual([
      { expr: 'ALERTS{alertname="ApiHighErrorRate", alertstate="pending"}', eval_time: "5m", exp_samples: [{ labels: 'ALERTS{alertname="ApiHighErrorRate", alertstate="pending", job="api", severity="warning", status="500"}', value: 1 }] },
      { expr: 'ALERTS_FOR_STATE{alertname="ApiHighErrorRate"}', eval_time: "5m", exp_samples: [{ labels: 'ALERTS_FOR_STATE{alertname="ApiHighErrorRate", job="api", severity="warning", status="500"}', value: 60 }] },
    ]);
    // Only the not-firing case is missing from this one-check test: the pending window is covered.
    expect(validateRulePacks([pending({ activeSince: "1m" })]).map((i) => `${i.severity} ${i.message}`)).toEqual(["warning has no not-firing test case"]);
  });

  it("places the pending check on the alert's own evaluation when for is shorter than the evaluation interval", () => {
    const p = pending({ evalTime: "3h", activeSince: "2h" }, {}, { evaluationInterval: "1h" });
    expect(validateRulePacks([p]).map((i) => `${i.severity} ${i.message}`)).toEqual(["warning has no not-firing test case"]);
    const [file] = renderRuleTestFiles([p]);
    expect(file!.path).toBe("prometheus/tests/api-1h.test.yml");
    const [t] = parse(file!.content).tests;
    expect(t.alert_rule_test.map((c: any) => c.eval_time)).toEqual(["3h", "2h"]);
    expect(t.promql_expr_test.map((x: any) => [x.eval_time, x.exp_samples[0].value])).toEqual([["2h", 1], ["2h", 7200]]);
  });

  it("compiles tests to prometheus/tests/<pack>.test.yml pointing at ../rules/<pack>.yml, with rule labels and predicted annotations", () => {
    const [file] = renderRuleTestFiles([pack()]);
    expect(file?.path).toBe("prometheus/tests/api.test.yml");
    const doc = parse(file!.content);
    expect(doc.rule_files).toEqual(["../rules/api.yml"]);
    expect(doc.tests[0].alert_rule_test[0].exp_alerts[0]).toEqual({
      exp_labels: { job: "api", severity: "warning", status: "500" },
      exp_annotations: { summary: "api errors", description: "2 errors/s on " },
    });
    expect(parse(renderRuleTestFiles([pack()], { rulesDirFromTests: "../../rules" })[0]!.content).rule_files).toEqual(["../../rules/api.yml"]);
  });
});

/** More rule files, each with every issue it gets at the default levels (none for the ones Prometheus accepts as they are). */
const more: [name: string, groups: RuleGroup[], all: string[]][] = [
  ["no groups", [], ['warning: rule file: groups has no rule groups [rules/group-empty]']],
  ["a group without rules", [group([])], ['warning: rule group "http": rules has no rules [rules/group-empty]']],
  ["a group without a name", [{ name: "", rules: [ok] }], ['rule group "": name is required [rules/invalid]']],
  ["a group query offset that is not a duration", [group([ok], { queryOffset: "1 m" })], ['rule group "http": queryOffset "1 m" is not a Prometheus duration (e.g. 30s, 5m, 1h30m) [rules/invalid]']],
  ["a group query offset of 0s", [group([ok], { queryOffset: "0s" })], []],
  ["a fractional group limit", [group([ok], { limit: 1.5 })], ['rule group "http": limit must be a non-negative integer, got 1.5 [rules/invalid]']],
  ["a group limit of 0", [group([ok], { limit: 0 })], []],
  ["group labels: a bad name, a multi-line value, a template error", [group([ok], { labels: { "a-b": "x", env: "a\nb", t: "{{ $labels.job" } })], ['rule group "http": labels.a-b is not a valid Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*, no leading __) [rules/invalid]', 'warning: rule group "http": labels.env contains a line break ("a\\nb"): label values are one line [labels/value-multiline]', 'rule group "http": labels.t template has "{{" without a matching "}}" at position 0 [rules/invalid]']],
  ["group labels may be named severity", [group([ok], { labels: { severity: "x" } })], []],
  ["a rule that is neither alert nor record", [group([{ expr: "up" } as never])], ['rule group "http": rules has a rule that is neither an alert (alert) nor a recording rule (record) [rules/invalid]']],
  ["a rule that is both", [group([{ ...ok, record: "a:b:c" } as never])], ['rule group "http": rules has a rule with both alert and record: a rule is one or the other [rules/invalid]']],
  ["an alert pair of one name is named with each severity", [group([{ ...ok, severity: "critical", for: "x" }, { ...ok, for: "y" }])], ['rule group "http" > alert "ApiHighErrorRate" (severity "critical"): for "x" is not a Prometheus duration (e.g. 30s, 5m, 1h30m) [rules/invalid]', 'rule group "http" > alert "ApiHighErrorRate" (severity "warning"): for "y" is not a Prometheus duration (e.g. 30s, 5m, 1h30m) [rules/invalid]']],
  ["an empty alert name", [group([{ ...ok, alert: " " }])], ['rule group "http" > alert " ": alert must be a non-empty name [rules/invalid]']],
  ["an empty expr", [group([{ ...ok, expr: " " }])], ['rule group "http" > alert "ApiHighErrorRate": expr is empty [rules/invalid]']],
  ["a string expression", [group([{ ...ok, expr: '"x"' }])], ['rule group "http" > alert "ApiHighErrorRate": expr evaluates to a string; an instant vector is needed [rules/expr-not-instant]']],
  ["a scalar alert expression (Prometheus accepts)", [group([{ ...ok, expr: "vector(1) > bool 0" }])], []],
  ["an alert for of 0s", [group([{ ...ok, for: "0s" }])], []],
  ["an empty severity", [group([{ ...ok, severity: "" as never }])], ['rule group "http" > alert "ApiHighErrorRate": severity must be a non-empty string, got "" [rules/invalid]']],
  ["alertname set as a label", [group([{ ...ok, labels: { alertname: "X" } }])], ['rule group "http" > alert "ApiHighErrorRate": labels.alertname is reserved; Prometheus sets it [rules/label-reserved]']],
  ["a label value that is not a string", [group([{ ...ok, labels: { team: 5 as never } }])], ['rule group "http" > alert "ApiHighErrorRate": labels.team must be a string, got number [rules/invalid]']],
  ["a label value with a template error", [group([{ ...ok, labels: { team: "{{ .Foo" } }])], ['rule group "http" > alert "ApiHighErrorRate": labels.team template has "{{" without a matching "}}" at position 0 [rules/invalid]']],
  ["a multi-line label value", [group([{ ...ok, labels: { team: "a\nb" } }])], ['warning: rule group "http" > alert "ApiHighErrorRate": labels.team contains a line break ("a\\nb"): label values are one line [labels/value-multiline]']],
  ["a blank description", [group([{ ...ok, annotations: { summary: "s", description: "  " } }])], ['warning: rule group "http" > alert "ApiHighErrorRate": annotations.description is not set [rules/annotations-summary-description]']],
  ["an annotation that is not a string", [group([{ ...ok, annotations: { ...ok.annotations, extra: 5 as never } }])], ['rule group "http" > alert "ApiHighErrorRate": annotations.extra must be a string, got number [rules/invalid]']],
  ["an annotation set to undefined is skipped", [group([{ ...ok, annotations: { ...ok.annotations, extra: undefined as never } }])], []],
  ["an annotation name that is not a label name", [group([{ ...ok, annotations: { ...ok.annotations, "my-note": "x" } }])], ['rule group "http" > alert "ApiHighErrorRate": annotations.my-note is not a valid annotation name [rules/invalid]']],
  ["runbook_url and dashboard checked like runbookUrl", [group([{ ...ok, annotations: { ...ok.annotations, runbook_url: "wiki", dashboard: "d/x" } }])], ['warning: rule group "http" > alert "ApiHighErrorRate": annotations.runbook_url "wiki" is not an http(s) URL or absolute path [rules/annotation-url]', 'warning: rule group "http" > alert "ApiHighErrorRate": annotations.dashboard "d/x" is not an http(s) URL or absolute path [rules/annotation-url]']],
  ["a templated runbook URL is not checked", [group([{ ...ok, annotations: { ...ok.annotations, runbookUrl: "{{ $externalURL }}/r" } }])], []],
  ["runbook URLs: http, https and absolute paths", [group([{ ...ok, annotations: { ...ok.annotations, runbookUrl: "http://r/x", runbook_url: "https://r/x", dashboard: "/d/x" } }])], []],
  ["a runbook URL with a space", [group([{ ...ok, annotations: { ...ok.annotations, runbookUrl: "https://r/x y" } }])], ['warning: rule group "http" > alert "ApiHighErrorRate": annotations.runbookUrl "https://r/x y" is not an http(s) URL or absolute path [rules/annotation-url]']],
  ["a recording name that is no metric name", [group([{ record: "1:a:b", expr: "up" }])], ['rule group "http" > recording rule "1:a:b": record "1:a:b" is not a valid metric name [rules/invalid]']],
  ["a recording name of two parts", [group([{ record: "job:up", expr: "up" }])], ['warning: rule group "http" > recording rule "job:up": record "job:up" should be shaped level:metric:operations (e.g. job:http_requests:rate5m) [rules/record-name-shape]']],
  ["a recording name whose later part starts with a digit", [group([{ record: "job:latency:99quantile", expr: "up" }])], []],
  ["a recording rule may set severity as a label", [group([{ record: "job:up:sum", expr: "sum by (job) (up)", labels: { severity: "x" } }])], []],
  ["a recording rule with a range result", [group([{ record: "job:up:range", expr: "up[5m]" }])], ['rule group "http" > recording rule "job:up:range": expr evaluates to a range vector; an instant vector is needed (drop the [range] or wrap it in a function) [rules/expr-not-instant]']],
  ["an experimental function inside a string is not a call", [group([{ ...ok, expr: 'up{job="info(x)"} == 0' }])], []],
  ["an experimental function in a comment is not a call", [group([{ ...ok, expr: "up == 0 # mad_over_time(x)" }])], []],
  ["two experimental functions", [group([{ ...ok, expr: "mad_over_time(up[5m]) > 0 and ts_of_max_over_time(up[5m]) > 0" }])], ["rule group \"http\" > alert \"ApiHighErrorRate\": expr uses \"mad_over_time\", an experimental PromQL function: the stack's Prometheus does not enable promql-experimental-functions, so the rule would not load [promql/function-unavailable]", "rule group \"http\" > alert \"ApiHighErrorRate\": expr uses \"ts_of_max_over_time\", an experimental PromQL function: the stack's Prometheus does not enable promql-experimental-functions, so the rule would not load [promql/function-unavailable]"]],
];

describe("rule validation case by case", () => {
  it.each(more)("%s", (_name, groups, all) => {
    expect(validateRuleGroups(groups).map(formatIssue)).toEqual(all);
  });
});
