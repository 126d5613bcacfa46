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
    // Without the SLOs, which also switch the threshold alerts they replace off.
    const pack = buildRulePacks({ packs: Object.fromEntries(Object.keys(RULE_PACKS).map((k) => [k, k === key])), slos: { shipped: false } });
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
    const packs = buildRulePacks({ content: resolveContentConfig({ http: { errorRateWarning: 0.03 }, postgres: { selector: 'job="pg"' } }), overrides: { HttpErrorRateHigh: { disabled: false } } });
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
      slos: { shipped: false },
      kpis: [kpi({ name: "Signups", title: "signups", metric: "signups_total", kind: "counter", unit: "perSecond", why: "Growth.", bounds: [{ below: 1, severity: "warning" }, { below: 0.1, severity: "critical" }] })],
    });
    expect(alertNames(packs)).toEqual(["SignupsBelowTargetWarning", "SignupsBelowTargetCritical"]);
    expect(validateRulePacks(packs)).toEqual([]);
  });
});

describe("the cAdvisor labels per platform (containers.cadvisorLabels)", () => {
  const k8s = buildRulePacks({ content: resolveContentConfig({ containers: { cadvisorLabels: "kubernetes" } }) });
  it("Docker: containers are named by `name`", () => {
    const a = alert(shipped, "ContainerMemoryNearLimit")!;
    expect(exprText(a.expr)).toContain('container_memory_working_set_bytes{job="cadvisor",name!="",image!=""}');
    expect(a.annotations.summary).toMatch(/^Container \{\{ \$labels\.name \}\} /);
  });
  it("Kubernetes: the kubelet's namespace/pod/container, without pod cgroups and pause containers", () => {
    const a = alert(k8s, "ContainerRestarting")!;
    expect(exprText(a.expr)).toBe('changes(container_start_time_seconds{job="cadvisor",container!="",container!="POD",image!=""}[15m]) >= 2');
    expect(a.annotations.description).toContain("Container {{ $labels.namespace }}/{{ $labels.pod }}/{{ $labels.container }} (");
    expect(JSON.stringify(k8s.find((p) => p.name === "containers"))).not.toMatch(/\$labels\.name \}\}/);
    expect(validateRulePacks(k8s)).toEqual([]);
  });
  it("refuses an unknown label scheme, naming the field", () => {
    const content = resolveContentConfig({ containers: { cadvisorLabels: "podman" as never } });
    expect(() => buildRulePacks({ content })).toThrow(/content config containers: cadvisorLabels must be "docker" or "kubernetes", got "podman"/);
  });
});

describe("the Kubernetes pack", () => {
  const k = buildRulePacks({ packs: Object.fromEntries(Object.keys(RULE_PACKS).map((p) => [p, p === "kubernetes"])) });
  it("reads kube-state-metrics and the kubelet through the configured selectors", () => {
    const packs = buildRulePacks({ content: resolveContentConfig({ kubernetes: { stateSelector: 'job="ksm"', kubeletSelector: 'job="nodes"' } }) });
    expect(exprText(alert(packs, "KubeNodeNotReady")!.expr)).toBe('max without (condition, status) (kube_node_status_condition{job="ksm",condition="Ready",status="true"}) == 0');
    expect(exprText(alert(packs, "KubePersistentVolumeAlmostFull")!.expr)).toContain('kubelet_volume_stats_available_bytes{job="nodes"}');
  });
  it("uses only metrics kube-state-metrics v2.16 and the kubelet export (names checked against its docs/metrics)", () => {
    const names = new Set(k.flatMap(packAlerts).flatMap((a) => [...exprText(a.expr).matchAll(/\b(kube_[a-z_]+|kubelet_[a-z_]+)\{/g)].map((m) => m[1])));
    expect([...names].sort()).toEqual([
      "kube_daemonset_status_desired_number_scheduled", "kube_daemonset_status_number_available", "kube_daemonset_status_updated_number_scheduled",
      "kube_deployment_spec_replicas", "kube_deployment_status_replicas_available", "kube_deployment_status_replicas_updated",
      "kube_node_status_condition", "kube_pod_container_status_last_terminated_reason", "kube_pod_container_status_restarts_total",
      "kube_pod_container_status_waiting_reason", "kube_pod_owner", "kube_pod_status_phase", "kube_pod_status_ready",
      "kube_statefulset_replicas", "kube_statefulset_status_replicas_ready", "kube_statefulset_status_replicas_updated",
      "kubelet_volume_stats_available_bytes", "kubelet_volume_stats_capacity_bytes",
    ]);
  });
  it("drops kube-state-metrics' pod uid from every pod alert, so notifications name namespace/pod/container", () => {
    for (const name of ["KubePodCrashLooping", "KubePodNotReady", "KubeContainerOomKilled"]) expect(exprText(alert(k, name)!.expr)).toMatch(/^max without \(uid, /);
  });
  it("feeds the volume thresholds into the expression and the description", () => {
    const packs = buildRulePacks({ overrides: { KubePersistentVolumeFillingUp: { threshold: 0.3 } } });
    const a = alert(packs, "KubePersistentVolumeFillingUp")!;
    expect(exprText(a.expr)).toContain("< 0.3\nand\npredict_linear(");
    expect(a.annotations.description).toContain("less than 30% free");
    expect(validateRulePacks(packs)).toEqual([]);
  });
});

describe("alert overrides", () => {
  const cases: { name: string; overrides: AlertOverrides; check: (packs: RulePack[]) => void }[] = [
    {
      name: "a threshold override changes the expression, the description and the test inputs",
      overrides: { HttpErrorRateHigh: { disabled: false, threshold: 0.02 } },
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
