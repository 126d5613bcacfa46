import { describe, expect, it } from "vitest";
import { parse } from "yaml";


import { RECORDING_RULES } from "../../core/conventions";
import { exprText } from "../../core/promql";
import { type AlertRule, packAlerts, packRecordings, type RulePack } from "../../core/rules/model";
import { renderRuleTestFiles } from "../../core/rules/render";
import { validateRulePacks } from "../../core/rules/validate";
import { ValidationError } from "../../core/validation";
import { resolveContentConfig } from "../../rules/config";
import { type AlertOverrides, alertNames, alertsByName, buildRulePacks, kpi, RULE_PACKS, seedKpiTargets, severitiesUsed, SHIPPED_ALERTS } from "../../rules";

const shipped = buildRulePacks({ kpis: seedKpiTargets });
const alert = (packs: readonly RulePack[], name: string): AlertRule | undefined => alertsByName(packs).get(name);

describe("the shipped packs", () => {
  it("validate with no error and no warning: every alert has firing and not-firing tests, every recording rule an expression test", () => {
    expect(validateRulePacks(shipped)).toEqual([]);
  });

  it("check the pending window of every alert with for: not firing, pending and active since the condition began, before for elapses", () => {
    const withFor = shipped.flatMap(packAlerts).filter((a) => a.for !== undefined && a.for !== "0s");
    expect(withFor.length).toBeGreaterThan(40);
    const compiled = renderRuleTestFiles(shipped).flatMap((f) => (parse(f.content) as { tests: { alert_rule_test?: { alertname: string; eval_time: string; exp_alerts?: unknown[] }[]; promql_expr_test?: { expr: string; eval_time: string; exp_samples?: unknown[] }[] }[] }).tests);
    for (const a of withFor) {
      const pending = `ALERTS{alertname="${a.alert}", alertstate="pending"}`;
      const test = compiled.find((t) => (t.promql_expr_test ?? []).some((x) => x.expr === pending && (x.exp_samples ?? []).length > 0));
      expect(test, `${a.alert} (for ${a.for}) has no pending-window check`).toBeDefined();
      const at = test!.promql_expr_test!.find((x) => x.expr === pending)!.eval_time;
      // At that evaluation the same test also expects the alert not firing, and fires it later.
      expect(test!.alert_rule_test!.some((c) => c.alertname === a.alert && c.eval_time === at && (c.exp_alerts ?? []).length === 0), a.alert).toBe(true);
      expect(test!.alert_rule_test!.some((c) => c.alertname === a.alert && (c.exp_alerts ?? []).length > 0), a.alert).toBe(true);
    }
  });

  it("define every recording rule the dashboards read, under its conventional name", () => {
    const records = shipped.flatMap(packRecordings).map((r) => r.record);
    for (const name of Object.values(RECORDING_RULES)) expect(records).toContain(name);
  });

  it.each(Object.entries(SHIPPED_ALERTS))("pack %s defines exactly the alerts its type lists", (key, names) => {
    const pack = buildRulePacks({ packs: Object.fromEntries(Object.keys(RULE_PACKS).map((k) => [k, k === key])) });
    expect(alertNames(pack)).toEqual([...names]);
  });

  it("give every alert a summary, a templated description, a runbook URL by lower-case name", () => {
    for (const a of shipped.flatMap(packAlerts)) {
      expect(a.annotations.summary, a.alert).not.toBe("");
      expect(a.annotations.runbookUrl).toBe(`https://github.com/moncode/moncode/blob/main/docs/runbooks.md#${a.alert.toLowerCase()}`);
      if (a.alert !== "Watchdog") expect(a.annotations.description, a.alert).toMatch(/\{\{ \$(labels|value)/);
    }
  });

  it("ship Watchdog as an always-firing info alert", () => {
    const w = alert(shipped, "Watchdog");
    expect(w && exprText(w.expr)).toBe("vector(1)");
    expect(w?.severity).toBe("info");
  });

  it("report the severities used, most urgent first, and unique alert names", () => {
    expect(severitiesUsed(shipped)).toEqual(["critical", "warning", "info"]);
    const names = alertNames(shipped);
    expect(new Set(names).size).toBe(names.length);
  });

  it("use the content config's thresholds and selectors", () => {
    const packs = buildRulePacks({ content: resolveContentConfig({ http: { errorRateWarning: 0.03 }, postgres: { selector: 'job="pg"' } }) });
    expect(exprText(alert(packs, "HttpErrorRateHigh")!.expr)).toMatch(/> 0\.03$/);
    expect(exprText(alert(packs, "PostgresDown")!.expr)).toBe('pg_up{job="pg"} == 0');
    expect(validateRulePacks(packs)).toEqual([]);
  });

  it("build the KPI pack only when targets are given, and can switch packs off", () => {
    expect(buildRulePacks().map((p) => p.name)).not.toContain("kpi");
    expect(shipped.map((p) => p.name)).toContain("kpi");
    expect(buildRulePacks({ packs: { redis: false, host: false } }).map((p) => p.name)).not.toEqual(expect.arrayContaining(["redis"]));
    expect(alertNames(buildRulePacks({ kpis: seedKpiTargets }))).toEqual(expect.arrayContaining(["EventThroughputBelowTarget", "CustomerSatisfactionBelowTarget", "PilotCustomersBelowTarget", "AttributionAccuracyBelowTarget"]));
  });

  it("name KPI alerts by severity when two bounds share a direction", () => {
    const packs = buildRulePacks({
      packs: Object.fromEntries(Object.keys(RULE_PACKS).map((k) => [k, false])),
      kpis: [kpi({ name: "Signups", title: "signups", metric: "signups_total", kind: "counter", unit: "perSecond", why: "Growth.", bounds: [{ below: 1, severity: "warning" }, { below: 0.1, severity: "critical" }] })],
    });
    expect(alertNames(packs)).toEqual(["SignupsBelowTargetWarning", "SignupsBelowTargetCritical"]);
    expect(validateRulePacks(packs)).toEqual([]);
  });
});

describe("alert overrides", () => {
  const cases: { name: string; overrides: AlertOverrides; check: (packs: RulePack[]) => void }[] = [
    {
      name: "a threshold override changes the expression, the description and the test inputs",
      overrides: { HttpErrorRateHigh: { threshold: 0.02 } },
      check: (p) => {
        const a = alert(p, "HttpErrorRateHigh")!;
        expect(exprText(a.expr)).toMatch(/> 0\.02$/);
        expect(a.annotations.description).toContain("above 2%");
        expect(a.threshold).toBe(0.02);
      },
    },
    { name: "a for override replaces for", overrides: { PostgresDown: { for: "5m" } }, check: (p) => expect(alert(p, "PostgresDown")?.for).toBe("5m") },
    { name: "a severity override replaces severity", overrides: { ProbeSlow: { severity: "critical" } }, check: (p) => expect(alert(p, "ProbeSlow")?.severity).toBe("critical") },
    { name: "labels merge over the rule's labels", overrides: { RedisDown: { labels: { team: "cache" } } }, check: (p) => expect(alert(p, "RedisDown")?.labels).toEqual({ team: "cache" }) },
    {
      name: "disabled drops the alert and its test cases",
      overrides: { HostCpuUsageHigh: { disabled: true } },
      check: (p) => {
        expect(alertNames(p)).not.toContain("HostCpuUsageHigh");
        expect(p.flatMap((x) => x.tests).flatMap((t) => t.alerts ?? []).map((a) => a.alert)).not.toContain("HostCpuUsageHigh");
      },
    },
  ];
  it.each(cases)("$name, and the packs stay valid", ({ overrides, check }) => {
    const packs = buildRulePacks({ overrides });
    check(packs);
    expect(validateRulePacks(packs)).toEqual([]);
  });

  it.each([
    ["an alert no pack defines", { NoSuchAlert: { for: "5m" } }, /alert override "NoSuchAlert" names alert "NoSuchAlert", which no rule pack defines/],
    ["a threshold on an alert without one", { Watchdog: { threshold: 1 } }, /alert override "Watchdog": threshold alert "Watchdog" has no threshold/],
    ["a for that is not a duration", { PostgresDown: { for: "soon" } }, /alert override "PostgresDown": for "soon" is not a Prometheus duration/],
  ])("refuse %s, naming it", (_n, overrides, message) => {
    expect(() => buildRulePacks({ overrides: overrides as AlertOverrides })).toThrow(ValidationError);
    expect(() => buildRulePacks({ overrides: overrides as AlertOverrides })).toThrow(message);
  });

  it("accept overrides of alerts in switched-off packs", () => {
    expect(() => buildRulePacks({ packs: { redis: false }, overrides: { RedisDown: { disabled: true } } })).not.toThrow();
  });

  it("link runbooks and dashboards to configurable bases", () => {
    const a = alert(buildRulePacks({ runbookBaseUrl: "https://wiki.example/runbooks", grafanaBaseUrl: "https://grafana.example/" }), "RedisDown")!;
    expect(a.annotations.runbookUrl).toBe("https://wiki.example/runbooks#redisdown");
    expect(a.annotations.dashboard).toBe("https://grafana.example/d/moncode-database-infra");
  });
});
