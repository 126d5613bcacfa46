/**
 * The promtool test file compiled from a pack's tests, asserted as text: expected labels with the rule's static labels
 * (templates rendered) and severity, predicted annotations, the pending-window checks an activeSince adds, expression
 * tests, group order, and one file per evaluation interval. promtool runs such files in test/rules; this pins what is
 * written. Pure, so the mutation suite runs it.
 */
import { describe, expect, it } from "vitest";
import type { RulePack } from "../../../core/rules/model";
import { renderRuleTestFile, renderRuleTestFiles, renderValidatedRuleTestFiles } from "../../../core/rules/unit-tests";

// A rendering fixture: the series are not meant to make the checks hold under promtool.
const pack: RulePack = {
  name: "api",
  groups: [
    { name: "api-recording", rules: [{ record: "job:errors:rate5m", expr: "sum by (job) (rate(errors_total[5m]))" }] },
    { name: "api-alerts", rules: [{ alert: "ApiErrors", expr: "job:errors:rate5m > 1", for: "3m", severity: "critical", labels: { team: "{{ $labels.job }}-team", env: "{{ $externalLabels.env }}" }, annotations: { summary: "{{ $labels.job }} at {{ $value | humanize }}", description: "errors on {{ $labels.job }}" } }] },
  ],
  tests: [
    { name: "fires", externalLabels: { env: "prod" }, series: [{ series: 'errors_total{job="a"}', values: "0+120x10" }], alerts: [{ evalTime: "10m", alert: "ApiErrors", activeSince: "0s", expect: [{ labels: { job: "a" }, value: 2 }] }, { evalTime: "1m", alert: "ApiErrors", expect: [] }], exprs: [{ expr: "job:errors:rate5m", evalTime: "10m", expect: [{ labels: 'job:errors:rate5m{job="a"}', value: 2 }] }] },
    { name: "slow", evaluationInterval: "30s", interval: "30s", series: [{ series: 'errors_total{job="b"}', values: "0x10" }], alerts: [{ evalTime: "5m", alert: "ApiErrors", expect: [] }] },
  ],
};

describe("renderRuleTestFile", () => {
  it("writes the whole test file", () => {
    expect(renderRuleTestFile(pack)).toBe(`rule_files:
  - ../rules/api.yml
evaluation_interval: 1m
group_eval_order:
  - api-recording
  - api-alerts
tests:
  - name: fires
    interval: 1m
    external_labels:
      env: prod
    input_series:
      - series: errors_total{job="a"}
        values: 0+120x10
    alert_rule_test:
      - eval_time: 10m
        alertname: ApiErrors
        exp_alerts:
          - exp_labels:
              env: prod
              job: a
              severity: critical
              team: a-team
            exp_annotations:
              summary: a at 2
              description: errors on a
      - eval_time: 2m
        alertname: ApiErrors
      - eval_time: 1m
        alertname: ApiErrors
    promql_expr_test:
      - expr: job:errors:rate5m
        eval_time: 10m
        exp_samples:
          - labels: job:errors:rate5m{job="a"}
            value: 2
      - expr: ALERTS{alertname="ApiErrors", alertstate="pending"}
        eval_time: 2m
        exp_samples:
          - labels: ALERTS{alertname="ApiErrors", alertstate="pending", env="prod", job="a", severity="critical", team="a-team"}
            value: 1
      - expr: ALERTS_FOR_STATE{alertname="ApiErrors"}
        eval_time: 2m
        exp_samples:
          - labels: ALERTS_FOR_STATE{alertname="ApiErrors", env="prod", job="a", severity="critical", team="a-team"}
            value: 0
`);
  });

  it("writes the tests of another evaluation interval to their own file, after the 1m one", () => {
    expect(renderValidatedRuleTestFiles([pack], { rulesDirFromTests: "../r" }).map((f) => [f.path, f.content.split("\n").slice(0, 3)])).toEqual([
      ["prometheus/tests/api.test.yml", ["rule_files:", "  - ../r/api.yml", "evaluation_interval: 1m"]],
      ["prometheus/tests/api-30s.test.yml", ["rule_files:", "  - ../r/api.yml", "evaluation_interval: 30s"]],
    ]);
    expect(renderRuleTestFile(pack, "../rules", "30s")).toContain("tests:\n  - name: slow\n    interval: 30s\n");
    expect(renderValidatedRuleTestFiles([{ ...pack, tests: [] }])).toEqual([]);
  });

  it("refuses to compile a check of an alert the pack does not define", () => {
    const bad: RulePack = { ...pack, tests: [{ name: "t", series: [], alerts: [{ evalTime: "1m", alert: "Nope", expect: [] }] }] };
    expect(() => renderRuleTestFile(bad)).toThrow('test "t" names alert "Nope", which the pack does not define');
    expect(() => renderRuleTestFiles([bad])).toThrow(/^rule packs/);
  });
});
