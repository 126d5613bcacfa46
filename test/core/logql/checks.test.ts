/**
 * LogQL as our code reads it and checks log rules, case by case with the exact messages: the parser's strings,
 * errors and groupings, every check of checkLogqlRuleExpr, the group and pack checks with their lint rules and
 * levels, and the rendered rule file. Pure, so the mutation suite runs it (logql.test.ts has the broader cases).
 */
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

import type { LogAlertRule, LogRecordingRule, LogRuleGroup, LogRulePack } from "../../../core/logql/model";
import { analyzeLogql, logqlSyntaxErrors, regexMatchesEmpty, selectorProblem } from "../../../core/logql/parse";
import { logRuleFileObject, renderLogRulePackFiles } from "../../../core/logql/render";
import { validateLogRuleGroups, validateLogRulePacks } from "../../../core/logql/validate";
import { ValidationError } from "../../../core/validation";

const fmt = (issues: readonly { severity: string; item: string; field: string; message: string; rule?: string }[]) => issues.map((i) => `${i.severity} ${i.item} ${i.field}: ${i.message} [${i.rule}]`);
const alert: LogAlertRule = {
  alert: "ServiceErrorLogsHigh",
  expr: 'sum(count_over_time({a="x"}[5m])) > 1',
  for: "10m",
  severity: "warning",
  annotations: { summary: "s", description: "d", runbookUrl: "https://r.example/x" },
};
const group = (rules: LogAlertRule[] | LogRecordingRule[], name = "service-logs"): LogRuleGroup => ({ name, rules });
const item = 'log rule group "service-logs" > alert "ServiceErrorLogsHigh"';
const exprIssues = (expr: unknown) => fmt(validateLogRuleGroups([group([{ ...alert, expr: expr as string }])]));

describe("analyzeLogql reads", () => {
  it("a backtick string as written, a double-quoted one unescaped, a malformed escape as written", () => {
    expect(analyzeLogql("{a=`x\\y`}").selectors).toEqual([[{ name: "a", op: "=", value: "x\\y" }]]);
    expect(analyzeLogql('{a="q\\"t"}').selectors).toEqual([[{ name: "a", op: "=", value: 'q"t' }]]);
    expect(analyzeLogql('{a="\\xZ"}').selectors).toEqual([[{ name: "a", op: "=", value: "\\xZ" }]]);
  });

  it("every matcher operator, in order, and only the stream selector's matchers", () => {
    expect(analyzeLogql('{a="1", b!="2", c=~"3", d!~"4"} | json | e="5"')).toEqual({
      errors: [],
      kind: "log",
      selectors: [[{ name: "a", op: "=", value: "1" }, { name: "b", op: "!=", value: "2" }, { name: "c", op: "=~", value: "3" }, { name: "d", op: "!~", value: "4" }]],
      groupingLabels: [],
      regexes: ["3", "4"],
    });
  });

  it("each selector of a binary query, and the labels of by, without, on and ignoring, each once", () => {
    expect(analyzeLogql('sum by (a, b) (rate({a="x"}[5m])) / on (c) group_left sum without (d) (rate({a="y"}[5m]))')).toEqual({
      errors: [],
      kind: "metric",
      selectors: [[{ name: "a", op: "=", value: "x" }], [{ name: "a", op: "=", value: "y" }]],
      groupingLabels: ["a", "b", "c", "d"],
      regexes: [],
    });
    expect(analyzeLogql('sum(rate({a="b"}[5m])) / ignoring (c) sum(rate({a="b"}[5m]))').groupingLabels).toEqual(["c"]);
    expect(analyzeLogql('sum by (a) (count_over_time({a="x"}[5m])) and on (a, a) vector(1)').groupingLabels).toEqual(["a"]);
    expect(analyzeLogql('sum(rate({a="b"}[5m])) by (x)').groupingLabels).toEqual(["x"]);
  });

  it("the first node's kind: a metric query, a log query, a number", () => {
    expect(analyzeLogql('count_over_time({a="x"}[5m]) > 1').kind).toBe("metric");
    expect(analyzeLogql('{a="x"} |= "e"').kind).toBe("log");
    expect(analyzeLogql("1 + 1")).toEqual({ errors: [], kind: "metric", selectors: [], groupingLabels: [], regexes: [] });
  });

  it("syntax errors with their position and up to 10 characters either side, at most three", () => {
    expect(analyzeLogql("x")).toEqual({ errors: ['syntax error at position 0 near "x"'], kind: undefined, selectors: [], groupingLabels: [], regexes: [] });
    expect(analyzeLogql('sum(rate({a="b"}[5m])) by (x) ))))))))) and more text here').errors).toEqual([
      'syntax error at position 30 near ")) by (x) )))))))))"',
      'syntax error at position 44 near "))))) and more text"',
      'syntax error at position 49 near "and more text here"',
    ]);
    expect(analyzeLogql('  {a="b"} |= ').errors).toEqual(['syntax error at position 13 near "a="b"} |="']);
    expect(logqlSyntaxErrors("rate({}[5m]")).toEqual(['syntax error at position 6 near "rate({}[5m]"', 'syntax error at position 11 near "ate({}[5m]"']);
  });

  it("every regex, unescaped and in order: =~ and !~ matchers of selectors and label filters, |~ and !~ line filters, each string of an `or`", () => {
    expect(analyzeLogql('sum(rate({a="b", c!~"x|y"} |~ "(" != "n" !~ `\\d` |~ "p" or "q" |= "e" or "f" | json | foo=~"z+" | bar="w" | baz!~"v" [5m]))').regexes).toEqual(["x|y", "(", "\\d", "p", "q", "z+", "v"]);
    expect(analyzeLogql('{a="b"} |= "x" != "y" | label_format x=`{{.y}}` | c="d"').regexes).toEqual([]);
  });

  it("an empty or blank query as empty, without parsing", () => {
    expect(analyzeLogql("")).toEqual({ errors: ["is empty"], kind: undefined, selectors: [], groupingLabels: [], regexes: [] });
    expect(analyzeLogql(" \n ")).toEqual({ errors: ["is empty"], kind: undefined, selectors: [], groupingLabels: [], regexes: [] });
  });
});

describe("regexMatchesEmpty and selectorProblem", () => {
  it("a regex matches empty only as a whole (anchored); one JavaScript cannot compile does not", () => {
    expect(regexMatchesEmpty(".*")).toBe(true);
    expect(regexMatchesEmpty("a|")).toBe(true);
    expect(regexMatchesEmpty("a*")).toBe(true);
    expect(regexMatchesEmpty("a")).toBe(false);
    expect(regexMatchesEmpty("|a")).toBe(true);
    expect(regexMatchesEmpty("(")).toBe(false);
  });

  it("names the problem of a selector with no matcher, and of one with none that narrows", () => {
    expect(selectorProblem([])).toBe("has no matcher");
    expect(selectorProblem([{ name: "a", op: "!~", value: "x" }])).toBe("has no = or =~ matcher that needs a non-empty value, which Loki requires of every stream selector");
    expect(selectorProblem([{ name: "a", op: "=~", value: ".+" }])).toBeUndefined();
    expect(selectorProblem([{ name: "a", op: "=", value: "x" }])).toBeUndefined();
  });
});

describe("checkLogqlRuleExpr, through the log rule checks", () => {
  it("an empty, blank or non-string expression is empty", () => {
    for (const e of ["", "  ", 5]) expect(exprIssues(e)).toEqual([`error ${item} expr: is empty [logql/invalid]`]);
  });

  it("a syntax error quotes the parser and the query, and stops there", () => {
    expect(exprIssues("rate(")).toEqual([`error ${item} expr: does not parse as LogQL: syntax error at position 5 near "rate(" in "rate(" [logql/invalid]`]);
    expect(exprIssues("rate({}[5m]")).toEqual([`error ${item} expr: does not parse as LogQL: syntax error at position 6 near "rate({}[5m]"; syntax error at position 11 near "ate({}[5m]" in "rate({}[5m]" [logql/invalid]`]);
  });

  it("a query without a stream selector", () => {
    expect(exprIssues("1 > 0")).toEqual([`error ${item} expr: has no stream selector ({label="value"}): "1 > 0" [logql/invalid]`]);
  });

  it("a selector Loki refuses, by its number", () => {
    const e = 'sum by (a) (count_over_time({a="x", b=~".*", c!="y"}[5m]) ) > 1 or sum(count_over_time({z!="q"}[5m])) > 0';
    expect(exprIssues(e)).toEqual([`error ${item} expr: stream selector 2 has no = or =~ matcher that needs a non-empty value, which Loki requires of every stream selector: "${e}" [logql/invalid]`]);
  });

  it("a regex RE2 does not compile, in a selector, a line filter or a label filter, each named (Loki refuses the query)", () => {
    const e = 'sum(count_over_time({a=~"(x"} |~ "a{2,1}" | json | b!~"[z-a]" | c=~"ok|fine" [5m])) > 0';
    expect(exprIssues(e)).toEqual([
      `error ${item} expr: regex "(x" is not valid RE2: Unterminated group (Loki refuses the query): "${e}" [logql/invalid]`,
      `error ${item} expr: regex "a{2,1}" is not valid RE2: numbers out of order in {} quantifier (Loki refuses the query): "${e}" [logql/invalid]`,
      `error ${item} expr: regex "[z-a]" is not valid RE2: Range out of order in character class (Loki refuses the query): "${e}" [logql/invalid]`,
    ]);
    // RE2 syntax JavaScript lacks is not an error: (?P<name>…) and a backreference-free pattern.
    expect(exprIssues('sum(count_over_time({a="x"} |~ "(?P<code>5..)" [5m])) > 0')).toEqual([]);
  });

  it("a log query as an alert or a recording rule, with the metric query to write instead", () => {
    expect(exprIssues('{a="x"}')).toEqual([`error ${item} expr: is a log query (it returns lines, not samples): an alert needs a metric query such as sum(count_over_time({a="x"} [5m])) > 0 [logql/invalid]`]);
    expect(fmt(validateLogRuleGroups([group([{ record: "svc:log_lines:rate5m", expr: '{a="x"}' }])]))).toEqual([
      'error log rule group "service-logs" > record "svc:log_lines:rate5m" expr: is a log query (it returns lines, not samples): a recording rule needs a metric query such as sum(count_over_time({a="x"} [5m])) > 0 [logql/invalid]',
    ]);
  });

  it("a metric query passes", () => {
    expect(exprIssues(alert.expr)).toEqual([]);
  });
});

describe("validateLogRuleGroups", () => {
  it("refuses a repeated or empty group name, warns about an empty group and a name not kebab-case", () => {
    const groups = [group([alert]), group([], "service-logs"), group([alert], ""), group([alert], "Bad_Name"), { name: 7, rules: [alert] } as unknown as LogRuleGroup];
    expect(fmt(validateLogRuleGroups(groups))).toEqual([
      'error log rule group "service-logs" name: is used by more than one group (Loki refuses a repeated group name) [rules/invalid]',
      'warning log rule group "service-logs" rules: is empty [rules/group-empty]',
      'error log rule group "" name: must not be empty [rules/invalid]',
      'warning log rule group "Bad_Name" name: "Bad_Name" should be kebab-case [rules/group-name-kebab-case]',
      'error log rule group "7" name: must not be empty [rules/invalid]',
    ]);
    expect(fmt(validateLogRuleGroups([group([alert], "  ")]))).toEqual(['error log rule group "  " name: must not be empty [rules/invalid]']);
  });

  it("gives every alert the house checks of Prometheus alerts, under the group and alert's name", () => {
    expect(fmt(validateLogRuleGroups([group([{ ...alert, alert: "bad name", severity: "urgent" as "warning" }])]))).toEqual([
      'warning log rule group "service-logs" > alert "bad name" alert: "bad name" should be PascalCase, subject first (e.g. HttpErrorRateHigh) [rules/alert-name-pascal-case]',
      'warning log rule group "service-logs" > alert "bad name" severity: "urgent" is not one of critical, warning, info [rules/severity-unknown]',
    ]);
  });

  it("the lint levels raise or turn off the conventions", () => {
    const groups = [group([], "Bad_Name")];
    expect(fmt(validateLogRuleGroups(groups, { levels: { "rules/group-name-kebab-case": "error", "rules/group-empty": "off" } }))).toEqual([
      'error log rule group "Bad_Name" name: "Bad_Name" should be kebab-case [rules/group-name-kebab-case]',
    ]);
  });
});

describe("validateLogRulePacks", () => {
  it("refuses a repeated pack name, warns about one not kebab-case, and checks the groups across packs", () => {
    const packs: LogRulePack[] = [{ name: "p", groups: [group([alert])] }, { name: "p", groups: [group([alert], "other")] }, { name: "Bad", groups: [group([alert])] }];
    expect(fmt(validateLogRulePacks(packs))).toEqual([
      'error log rule pack "p" name: is used by more than one pack (they would write one file) [rules/invalid]',
      'warning log rule pack "Bad" name: should be kebab-case [rules/pack-name-kebab-case]',
      'error log rule group "service-logs" name: is used by more than one group (Loki refuses a repeated group name) [rules/invalid]',
    ]);
  });

  it("a kebab-case pack name passes; the levels apply once, to the packs' and the groups' findings alike", () => {
    expect(validateLogRulePacks([{ name: "service-logs-2", groups: [group([alert])] }])).toEqual([]);
    const packs: LogRulePack[] = [{ name: "Bad", groups: [group([alert], "Bad_G")] }];
    expect(fmt(validateLogRulePacks(packs, { levels: { "rules/group-name-kebab-case": "off" } }))).toEqual(['warning log rule pack "Bad" name: should be kebab-case [rules/pack-name-kebab-case]']);
    expect(fmt(validateLogRulePacks(packs, { levels: { "rules/group-name-kebab-case": "error", "rules/pack-name-kebab-case": "off" } }))).toEqual([
      'error log rule group "Bad_G" name: "Bad_G" should be kebab-case [rules/group-name-kebab-case]',
    ]);
  });
});

describe("the rendered rule file", () => {
  it("groups with interval and limit, alerts with for, static labels and rendered annotations, recordings with sorted labels", () => {
    expect(logRuleFileObject([{ name: "g", interval: "1m", limit: 5, rules: [alert, { record: "r:x", expr: "e", labels: { z: "1", a: "2" } }, { record: "r:y", expr: "e" }] }])).toEqual({
      groups: [
        {
          name: "g",
          interval: "1m",
          limit: 5,
          rules: [
            { alert: "ServiceErrorLogsHigh", expr: alert.expr, for: "10m", labels: { severity: "warning" }, annotations: { summary: "s", description: "d", runbook_url: "https://r.example/x" } },
            { record: "r:x", expr: "e", labels: { a: "2", z: "1" } },
            { record: "r:y", expr: "e" },
          ],
        },
      ],
    });
    const rec = (logRuleFileObject([{ name: "g", rules: [{ record: "r:x", expr: "e", labels: { z: "1", a: "2" } }] }]).groups[0]!.rules as Record<string, unknown>[])[0]!;
    expect(Object.keys(rec.labels as object)).toEqual(["a", "z"]);
  });

  it("keep_firing_for when set; no labels or annotations keys when there are none", () => {
    const r = { alert: "B", expr: "e", severity: "none", keepFiringFor: "5m", annotations: {} } as unknown as LogAlertRule;
    const [out] = logRuleFileObject([{ name: "g", rules: [r] }]).groups[0]!.rules as Record<string, unknown>[];
    expect(out).toMatchObject({ alert: "B", expr: "e", keep_firing_for: "5m" });
    expect(Object.keys(out!)).not.toContain("annotations");
  });

  it("one file per pack under the directory, the YAML of its groups; refuses invalid packs, naming them, writing nothing", () => {
    const files = renderLogRulePackFiles([{ name: "service-logs", groups: [group([alert])] }], "loki/rules/fake");
    expect(files.map((f) => f.path)).toEqual(["loki/rules/fake/service-logs.yml"]);
    expect(parse(files[0]!.content)).toEqual(logRuleFileObject([group([alert])]));
    const bad = () => renderLogRulePackFiles([{ name: "service-logs", groups: [group([{ ...alert, expr: '{a="x"}' }])] }], "d");
    expect(bad).toThrow(ValidationError);
    expect(bad).toThrow(/^log rule packs/);
  });
});
