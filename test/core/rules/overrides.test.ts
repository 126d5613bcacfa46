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
