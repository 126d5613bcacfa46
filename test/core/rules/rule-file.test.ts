/**
 * The rule file's object whole (every group and rule field under its Prometheus name), the labels and annotations
 * an alert carries, and predicted annotations. Pure, so the mutation suite runs it.
 */
import { describe, expect, it } from "vitest";
import { expectedAnnotations } from "../../../core/rules/expect";
import { alertAnnotationsRendered, alertStaticLabels, isAlertRule, isRecordingRule, packAlerts, packRecordings, type AlertRule, type RulePack } from "../../../core/rules/model";
import { renderRulePackFiles, ruleFileObject } from "../../../core/rules/render";

const alert: AlertRule = {
  alert: "ApiDown", expr: "up == 0", for: "5m", keepFiringFor: "10m", severity: "critical", labels: { team: "api", aa: "1" },
  annotations: { zeta: "z", description: "d {{ $labels.job }}", dashboard: "/d/x", summary: "s", runbookUrl: "https://r", alpha: "a", none: undefined as never },
};

describe("ruleFileObject", () => {
  it("writes every field under Prometheus's name, labels sorted with the severity, annotations in their order", () => {
    expect(ruleFileObject([
      { name: "g", interval: "30s", limit: 5, queryOffset: "1m", labels: { z: "1", a: "2" }, rules: [alert, { record: "job:up:sum", expr: "sum by (job) (up)", labels: { b: "1", a: "2" } }] },
      { name: "h", rules: [{ alert: "Bare", expr: "x > 1", annotations: {} as never }, { record: "a:b:c", expr: "up" }] },
    ])).toEqual({
      groups: [
        {
          name: "g", interval: "30s", limit: 5, query_offset: "1m", labels: { a: "2", z: "1" },
          rules: [
            { alert: "ApiDown", expr: "up == 0", for: "5m", keep_firing_for: "10m", labels: { aa: "1", severity: "critical", team: "api" }, annotations: { summary: "s", description: "d {{ $labels.job }}", runbook_url: "https://r", dashboard: "/d/x", alpha: "a", zeta: "z" } },
            { record: "job:up:sum", expr: "sum by (job) (up)", labels: { a: "2", b: "1" } },
          ],
        },
        { name: "h", rules: [{ alert: "Bare", expr: "x > 1" }, { record: "a:b:c", expr: "up" }] },
      ],
    });
    const [first] = ruleFileObject([{ name: "g", interval: "1m", rules: [alert] }]).groups[0]!.rules as Record<string, unknown>[];
    expect(Object.keys(first!)).toEqual(["alert", "expr", "for", "keep_firing_for", "labels", "annotations"]);
    expect(Object.keys(ruleFileObject([{ name: "g", interval: "1m", limit: 1, queryOffset: "1m", labels: { a: "1" }, rules: [] }]).groups[0]!)).toEqual(["name", "interval", "limit", "query_offset", "labels"]);
  });
  it("writes one file per pack under prometheus/rules", () => {
    const pack: RulePack = { name: "api", groups: [{ name: "g", rules: [{ ...alert, labels: undefined }] }], tests: [] };
    expect(renderRulePackFiles([pack]).map((f) => f.path)).toEqual(["prometheus/rules/api.yml"]);
    expect(renderRulePackFiles([pack])[0]!.content).toContain("  - name: g\n    rules:\n      - alert: ApiDown\n");
  });
});

describe("alert labels and annotations", () => {
  it("static labels: the rule's plus severity, sorted; none without", () => {
    expect(alertStaticLabels(alert)).toEqual({ aa: "1", severity: "critical", team: "api" });
    expect(Object.keys(alertStaticLabels(alert))).toEqual(["aa", "severity", "team"]);
    expect(alertStaticLabels({ alert: "A", expr: "x", annotations: {} as never })).toEqual({});
  });
  it("annotations under their rendered keys, extras sorted, unset ones left out", () => {
    expect(Object.entries(alertAnnotationsRendered(alert))).toEqual([["summary", "s"], ["description", "d {{ $labels.job }}"], ["runbook_url", "https://r"], ["dashboard", "/d/x"], ["alpha", "a"], ["zeta", "z"]]);
  });
  it("predicts annotations from the templates, takes the given ones, and lists what it cannot predict", () => {
    expect(expectedAnnotations(alert, { labels: { job: "api" } })).toEqual({
      annotations: { summary: "s", description: "d api", runbook_url: "https://r", dashboard: "/d/x", alpha: "a", zeta: "z" }, unpredictable: [],
    });
    const q: AlertRule = { ...alert, annotations: { summary: '{{ query "up" }}', description: "{{ $value }}" } };
    expect(expectedAnnotations(q, { labels: {} })).toEqual({ annotations: {}, unpredictable: ["summary", "description"] });
    expect(expectedAnnotations(q, { labels: {}, value: 3, annotations: { summary: "given" } })).toEqual({ annotations: { summary: "given", description: "3" }, unpredictable: [] });
    expect(expectedAnnotations({ ...alert, annotations: { summary: "{{ $externalLabels.env }}", description: "" } }, { labels: {} }, { env: "prod" }).annotations).toEqual({ summary: "prod", description: "" });
  });
  it("tells alerts and recording rules apart, in pack order", () => {
    const pack: RulePack = { name: "p", groups: [{ name: "a", rules: [alert, { record: "x:y:z", expr: "up" }] }, { name: "b", rules: [{ ...alert, alert: "Second" }] }], tests: [] };
    expect(packAlerts(pack).map((a) => a.alert)).toEqual(["ApiDown", "Second"]);
    expect(packRecordings(pack).map((r) => r.record)).toEqual(["x:y:z"]);
    expect([isAlertRule(alert), isRecordingRule(alert), isAlertRule({ record: "a:b:c", expr: "x" }), isRecordingRule({ record: "a:b:c", expr: "x" })]).toEqual([true, false, false, true]);
  });
});
