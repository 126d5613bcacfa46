import { describe, expect, it } from "vitest";
import { parse } from "yaml";

import { analyzeLogql, regexMatchesEmpty, selectorProblem } from "../../../core/logql/parse";
import type { LogAlertRule, LogRulePack } from "../../../core/logql/model";
import { renderLogRulePackFiles } from "../../../core/logql/render";
import { validateLogRuleGroups, validateLogRulePacks } from "../../../core/logql/validate";
import { checkLogql } from "../../../core/grafana/lint-queries";
import { allRulesAt } from "../../../core/lint";
import { errorsOf, ValidationError } from "../../../core/validation";

const strict = { levels: allRulesAt("error") };
const ok: LogAlertRule = {
  alert: "ServiceErrorLogsHigh",
  expr: 'sum by (service_name) (rate({service_name=~".+"} | detected_level="error" [5m])) > 1',
  for: "10m",
  severity: "warning",
  annotations: { summary: "{{ $labels.service_name }} logs errors", description: "{{ $value | humanize }} error lines/s", runbookUrl: "https://runbooks.example/errors" },
};

describe("analyzeLogql", () => {
  it("tells a metric query from a log query and reads selectors and grouping labels", () => {
    const m = analyzeLogql('sum by (service_name) (rate({service_name="api", env=~"prod|dev"} |= "error" | json | level="error" [5m])) > 0.5');
    expect(m.errors).toEqual([]);
    expect(m.kind).toBe("metric");
    // The label filter after `| json` (level) is not part of the stream selector.
    expect(m.selectors).toEqual([[{ name: "service_name", op: "=", value: "api" }, { name: "env", op: "=~", value: "prod|dev" }]]);
    expect(m.groupingLabels).toEqual(["service_name"]);
    const l = analyzeLogql('{container="api"} |~ "panic|fatal"');
    expect(l.kind).toBe("log");
    expect(l.selectors).toEqual([[{ name: "container", op: "=", value: "api" }]]);
  });

  it("reports syntax errors with their position", () => {
    expect(analyzeLogql("rate({}[5m])").errors[0]).toMatch(/^syntax error at position 6/);
    expect(analyzeLogql('sum(rate({a="b"}[5m])').errors.length).toBeGreaterThan(0);
    expect(analyzeLogql("").errors).toEqual(["is empty"]);
  });

  it("finds selectors Loki refuses: none narrowing to a non-empty value", () => {
    expect(regexMatchesEmpty(".*")).toBe(true);
    expect(regexMatchesEmpty(".+")).toBe(false);
    expect(regexMatchesEmpty("a|")).toBe(true);
    expect(selectorProblem([{ name: "a", op: "=~", value: ".*" }])).toMatch(/non-empty value/);
    expect(selectorProblem([{ name: "a", op: "!=", value: "x" }])).toMatch(/non-empty value/);
    expect(selectorProblem([{ name: "a", op: "=", value: "" }])).toMatch(/non-empty value/);
    expect(selectorProblem([{ name: "a", op: "!=", value: "x" }, { name: "b", op: "=", value: "y" }])).toBeUndefined();
  });

  it("is the parser the dashboard lint uses (Grafana variables substituted)", () => {
    expect(checkLogql('sum(count_over_time({job=~"$job"} |= "error" [$__auto]))')).toEqual([]);
    expect(checkLogql('sum(count_over_time({job=~"$job"} |= "error" [$__auto])')).not.toEqual([]);
  });
});

describe("log rules", () => {
  const g = (rules: LogAlertRule[]) => [{ name: "service-logs", rules }];
  it("pass with every house rule at error when well formed", () => {
    expect(validateLogRuleGroups(g([ok]), strict)).toEqual([]);
  });

  const bad: { name: string; rule: Partial<LogAlertRule>; message: RegExp }[] = [
    { name: "a query without a stream selector", rule: { expr: "sum(vector(1))" }, message: /does not parse as LogQL|no stream selector/ },
    { name: "a selector that matches every stream", rule: { expr: 'sum(rate({service_name=~".*"}[5m])) > 1' }, message: /stream selector 1 has no = or =~ matcher/ },
    { name: "an alert on a log query", rule: { expr: '{service_name="api"} |= "panic"' }, message: /is a log query .* an alert needs a metric query such as sum\(count_over_time\(\{service_name="api"\} \|= "panic" \[5m\]\)\) > 0/ },
    { name: "a syntax error", rule: { expr: 'sum(rate({service_name="api"}[5m]) > 1' }, message: /does not parse as LogQL: syntax error/ },
    { name: "an empty expression", rule: { expr: " " }, message: /is empty/ },
  ];
  for (const c of bad) {
    it(`refuse ${c.name}, naming the group and the alert`, () => {
      const errs = errorsOf(validateLogRuleGroups(g([{ ...ok, ...c.rule }])));
      expect(errs.length).toBeGreaterThan(0);
      expect(errs[0]!.item).toBe('log rule group "service-logs" > alert "ServiceErrorLogsHigh"');
      expect(errs[0]!.field).toBe("expr");
      expect(errs[0]!.rule).toBe("logql/invalid");
      expect(errs.map((e) => e.message).join("\n")).toMatch(c.message);
    });
  }

  it("apply the Prometheus rule checks to names, labels and annotations", () => {
    const issues = validateLogRuleGroups(g([{ ...ok, alert: "bad name", labels: { "service.name": "x" }, annotations: { summary: "{{ .Bad " } }]));
    const rules = issues.map((i) => `${i.rule} ${i.field}`);
    expect(rules).toContain("rules/alert-name-pascal-case alert");
    expect(rules).toContain("rules/invalid labels.service.name");
    expect(rules).toContain("rules/invalid annotations.summary");
    expect(rules).toContain("rules/annotations-summary-description annotations.description");
  });

  it("a recording rule on a log query is refused too", () => {
    const errs = errorsOf(validateLogRuleGroups([{ name: "rec", rules: [{ record: "service:log_lines:rate5m", expr: '{service_name="api"}' }] }]));
    expect(errs.map((e) => e.message).join()).toMatch(/a recording rule needs a metric query/);
  });

  it("render one ruler file per pack in rulefmt with severity as a label", () => {
    const packs: LogRulePack[] = [{ name: "service-logs", groups: g([ok]) }];
    const [file] = renderLogRulePackFiles(packs, "loki/rules/fake");
    expect(file!.path).toBe("loki/rules/fake/service-logs.yml");
    const doc = parse(file!.content);
    expect(doc.groups[0].rules[0]).toEqual({
      alert: "ServiceErrorLogsHigh",
      expr: ok.expr,
      for: "10m",
      labels: { severity: "warning" },
      annotations: { summary: ok.annotations.summary, description: ok.annotations.description, runbook_url: "https://runbooks.example/errors" },
    });
  });

  it("render nothing when a pack is invalid, naming the culprit", () => {
    const packs: LogRulePack[] = [{ name: "p", groups: g([ok]) }, { name: "p", groups: [{ name: "other", rules: [{ ...ok, alert: "Second", expr: "{}" }] }] }];
    expect(() => renderLogRulePackFiles(packs, "loki/rules/fake")).toThrow(ValidationError);
    const errs = errorsOf(validateLogRulePacks(packs)).map((e) => `${e.item} ${e.message}`);
    expect(errs.some((e) => e.startsWith('log rule pack "p"'))).toBe(true);
    expect(errs.some((e) => e.startsWith('log rule group "other" > alert "Second"'))).toBe(true);
  });
});
