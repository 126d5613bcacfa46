/**
 * Overrides of an alert shipped as a warning/critical pair under one name: by name they change both variants, by
 * name + severity (`bySeverity`) one; a variant can be disabled alone; a severity the alert is not defined with is
 * an error naming it.
 */
import { describe, expect, it } from "vitest";
import { type AlertOverride, RuleBuilder } from "../../../core/rules/overrides";
import type { AlertRule } from "../../../core/rules/model";

function pair(overrides: Record<string, AlertOverride>) {
  const b = new RuleBuilder({ overrides });
  const spec = (severity: "warning" | "critical", threshold: number) =>
    b.alert({ alert: "DiskFilling", severity, threshold, for: "10m", expr: (t) => `disk_used_ratio > ${t}`, annotations: (t) => ({ summary: `disk over ${t}`, description: "d" }) });
  const rules = [spec("warning", 0.8), spec("critical", 0.95)];
  const pack = b.finish({ name: "disk", groups: [{ name: "disk", rules }], tests: [{ name: "t", series: [{ series: "disk_used_ratio", values: "1" }], alerts: [{ evalTime: "1m", alert: "DiskFilling", expect: [] }] }] });
  return { rules: pack.groups.flatMap((g) => g.rules) as AlertRule[], issues: b.checkOverrides(), pack };
}

describe("overrides of one alert name at two severities", () => {
  it("by name change every variant", () => {
    const { rules, issues } = pair({ DiskFilling: { for: "30m", labels: { team: "storage" } } });
    expect(issues).toEqual([]);
    expect(rules.map((r) => [r.severity, r.for, r.labels])).toEqual([["warning", "30m", { team: "storage" }], ["critical", "30m", { team: "storage" }]]);
  });

  it("by name and severity change one variant, over the name's own override", () => {
    const { rules } = pair({ DiskFilling: { for: "30m", labels: { team: "storage" }, bySeverity: { critical: { threshold: 0.9, for: "5m", labels: { page: "yes" } } } } });
    expect(rules.map((r) => [r.severity, r.expr, r.for, r.labels])).toEqual([
      ["warning", "disk_used_ratio > 0.8", "30m", { team: "storage" }],
      ["critical", "disk_used_ratio > 0.9", "5m", { team: "storage", page: "yes" }],
    ]);
  });

  it("disable one variant and keep the other with its test cases", () => {
    const { rules, pack } = pair({ DiskFilling: { bySeverity: { warning: { disabled: true } } } });
    expect(rules.map((r) => r.severity)).toEqual(["critical"]);
    expect(pack.tests).toHaveLength(1);
    expect(pair({ DiskFilling: { disabled: true } }).pack.tests).toEqual([]);
  });

  it("refuses a severity the alert is not defined with, naming it and the ones it has", () => {
    const { issues } = pair({ DiskFilling: { bySeverity: { info: { for: "1h" } } } });
    expect(issues).toEqual([
      expect.objectContaining({ rule: "rules/override-invalid", item: 'alert override "DiskFilling" > bySeverity "info"', message: 'alert "DiskFilling" is not defined with severity "info" (it is: warning, critical)' }),
    ]);
  });

  it("takes any severity value, as Prometheus does", () => {
    const { rules, issues } = pair({ DiskFilling: { bySeverity: { critical: { severity: "page" } } } });
    expect(issues).toEqual([]);
    expect(rules.map((r) => r.severity)).toEqual(["warning", "page"]);
  });
});

describe("RuleBuilder, whole rules and every override check", () => {
  const spec = { alert: "DiskFilling", severity: "warning" as const, threshold: 0.8, for: "10m", expr: (t: number) => `disk_used_ratio > ${t}`, annotations: (t: number) => ({ summary: `disk over ${t}`, description: "d" }) };

  it("builds the whole rule: runbook link by lower-cased name, labels only when any, no undefined fields", () => {
    expect(new RuleBuilder().alert(spec)).toEqual({
      alert: "DiskFilling", expr: "disk_used_ratio > 0.8", for: "10m", severity: "warning", threshold: 0.8,
      annotations: { summary: "disk over 0.8", description: "d", runbookUrl: "https://github.com/moncode/moncode/blob/main/docs/runbooks.md#diskfilling" },
    });
    expect(new RuleBuilder({ runbookBaseUrl: "https://wiki/r" }).alert({ ...spec, labels: { team: "s" }, keepFiringFor: "5m" })).toEqual({
      alert: "DiskFilling", expr: "disk_used_ratio > 0.8", for: "10m", keepFiringFor: "5m", severity: "warning", threshold: 0.8, labels: { team: "s" },
      annotations: { summary: "disk over 0.8", description: "d", runbookUrl: "https://wiki/r#diskfilling" },
    });
  });

  it("keeps a runbook the spec gives, and an override's annotations over both", () => {
    const b = new RuleBuilder({ overrides: { DiskFilling: { annotations: { description: "mine" }, keepFiringFor: "1m", severity: "critical" } } });
    expect(b.alert({ ...spec, expr: "x > 1", annotations: { summary: "s", description: "d", runbookUrl: "/r" } })).toEqual({
      alert: "DiskFilling", expr: "x > 1", for: "10m", keepFiringFor: "1m", severity: "critical", threshold: 0.8,
      annotations: { summary: "s", description: "mine", runbookUrl: "/r" },
    });
  });

  it("a threshold override applies only where the expression or annotations take it", () => {
    const b = new RuleBuilder({ overrides: { Fixed: { threshold: 3 }, DiskFilling: { threshold: 0.9 } } });
    expect(b.alert({ ...spec, alert: "Fixed", expr: "x > 1", annotations: { summary: "s", description: "d" } }).threshold).toBe(0.8);
    expect(b.alert(spec).expr).toBe("disk_used_ratio > 0.9");
    expect(b.checkOverrides().map((i) => `${i.item}: ${i.field} ${i.message}`)).toEqual(['alert override "Fixed": threshold alert "Fixed" has no threshold to override']);
  });

  it("refuses each bad override value, by name and by severity, and unknown names", () => {
    const b = new RuleBuilder({
      overrides: {
        DiskFilling: { threshold: Number.POSITIVE_INFINITY, severity: "" as never, for: "ten", keepFiringFor: "1 m", bySeverity: { warning: { for: "x", threshold: Number.NaN } } },
        Nope: { for: "1m" },
        Unset: undefined,
      },
    });
    b.alert(spec);
    // The field is empty for an unknown name (hence two spaces).
    expect(b.checkOverrides().map((i) => `${i.rule} ${i.item}: ${i.field} ${i.message}`)).toEqual([
      'rules/override-invalid alert override "DiskFilling": threshold must be a finite number, got Infinity',
      'rules/override-invalid alert override "DiskFilling": severity must be a non-empty string, got ""',
      'rules/override-invalid alert override "DiskFilling": for "ten" is not a Prometheus duration',
      'rules/override-invalid alert override "DiskFilling": keepFiringFor "1 m" is not a Prometheus duration',
      'rules/override-invalid alert override "DiskFilling" > bySeverity "warning": threshold must be a finite number, got NaN',
      'rules/override-invalid alert override "DiskFilling" > bySeverity "warning": for "x" is not a Prometheus duration',
      'rules/override-invalid alert override "Nope":  names alert "Nope", which no rule pack defines',
    ]);
    expect(b.names()).toEqual(["DiskFilling"]);
  });

  it("links dashboards under Grafana's URL, a trailing slash dropped", () => {
    expect(new RuleBuilder().dashboard("host")).toMatch(/^\/d\/[a-z0-9-]+$/);
    expect(new RuleBuilder({ grafanaBaseUrl: "https://g.example/" }).dashboard("host")).toBe(`https://g.example${new RuleBuilder().dashboard("host")}`);
  });

  it("finish keeps a pack as it is when nothing is disabled, and drops tests left with nothing to check", () => {
    const b = new RuleBuilder({ overrides: { Off: { disabled: true } } });
    const on = b.alert(spec);
    const off = b.alert({ ...spec, alert: "Off" });
    const pack = {
      name: "p",
      groups: [{ name: "g", rules: [on] }, { name: "h", rules: [off] }, { name: "r", rules: [{ record: "a:b:c", expr: "up" }] }],
      tests: [
        { name: "both", series: [], alerts: [{ evalTime: "1m", alert: "DiskFilling", expect: [] }, { evalTime: "1m", alert: "Off", expect: [] }] },
        { name: "off only", series: [], alerts: [{ evalTime: "1m", alert: "Off", expect: [] }] },
        { name: "exprs", series: [], alerts: [{ evalTime: "1m", alert: "Off", expect: [] }], exprs: [{ expr: "a:b:c", evalTime: "1m", expect: [] }] },
      ],
    };
    const done = b.finish(pack);
    expect(done.groups.map((g) => g.name)).toEqual(["g", "r"]);
    expect(done.tests.map((t) => [t.name, (t.alerts ?? []).map((a) => a.alert)])).toEqual([["both", ["DiskFilling"]], ["exprs", []]]);
    expect(new RuleBuilder().finish(pack)).toBe(pack);
  });
});
