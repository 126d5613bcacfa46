/** What the composition derives from the platform and the alerting section: packs, cAdvisor labels, the Watchdog. */
import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { routeAlert } from "../../core/alertmanager/matcher";
import { exprText } from "../../core/promql";
import { packAlerts } from "../../core/rules/model";
import { composeStackArgs } from "../../stacks/compose";
import { parseStackConfig } from "../../stacks/config";

const ROOT = join(__dirname, "..", "..");
const raw = (name: string) => (parse(readFileSync(join(ROOT, `Pulumi.${name}.yaml`), "utf8")) as { config: Record<string, Record<string, unknown>> }).config["moncode:stack"]!;

function compose(stack: Record<string, unknown>) {
  return composeStackArgs({
    stackName: "t",
    config: parseStackConfig(stack),
    secrets: { get: (k) => pulumi.secret(`value-of-${k}`) },
    grafanaAdminPassword: "admin",
    grafanaSecretKey: "key",
  });
}

const alerts = (args: ReturnType<typeof compose>) => (args.prometheus.rulePacks ?? []).flatMap(packAlerts);
const containersDashboard = (args: ReturnType<typeof compose>) => JSON.stringify(args.grafana.dashboards?.find((d) => d.uid === "moncode-containers"));

describe("composeStackArgs per platform", () => {
  it("Docker (dev): no Kubernetes pack, containers named by Docker's cAdvisor `name`", () => {
    const dev = compose(raw("dev"));
    expect((dev.prometheus.rulePacks ?? []).map((p) => p.name)).not.toContain("kubernetes");
    expect(exprText(alerts(dev).find((a) => a.alert === "ContainerRestarting")!.expr)).toContain('name!="",image!=""');
    expect(containersDashboard(dev)).toContain("sum by (name)");
  });
  it("Kubernetes (prod): the Kubernetes pack on (kube-state-metrics is deployed), containers by the kubelet's labels in alerts and dashboard", () => {
    const prod = compose(raw("prod"));
    expect((prod.prometheus.rulePacks ?? []).map((p) => p.name)).toContain("kubernetes");
    const restart = alerts(prod).find((a) => a.alert === "ContainerRestarting")!;
    expect(exprText(restart.expr)).toContain('container!="",container!="POD",image!=""');
    expect(restart.annotations.summary).toContain("{{ $labels.namespace }}/{{ $labels.pod }}/{{ $labels.container }}");
    expect(containersDashboard(prod)).toContain("sum by (namespace, pod, container)");
    expect(containersDashboard(prod)).not.toContain("sum by (name)");
  });
  it("Kubernetes without kube-state-metrics, or with the pack switched off: no Kubernetes alerts", () => {
    const prod = raw("prod") as { kubernetes: Record<string, unknown>; rules?: Record<string, unknown> };
    for (const variant of [{ ...prod, kubernetes: { ...prod.kubernetes, kubeStateMetrics: false } }, { ...prod, rules: { packs: { kubernetes: false } } }]) {
      expect(alerts(compose(variant)).filter((a) => a.alert.startsWith("Kube"))).toEqual([]);
    }
  });
  it("a threshold override of the label scheme wins over the platform's", () => {
    const dev = compose({ ...raw("dev"), rules: { kpis: "seed", thresholds: { containers: { cadvisorLabels: "kubernetes" } } } });
    expect(containersDashboard(dev)).toContain("sum by (namespace, pod, container)");
  });
});

describe("composeStackArgs: the Watchdog's dead man's switch", () => {
  it("prod: the switch's URL is a secret mounted for Alertmanager, and the Watchdog goes only there", () => {
    const prod = compose(raw("prod"));
    expect(Object.keys(prod.alerting.secrets ?? {})).toContain("dead-mans-switch-url");
    expect(prod.alerting.config.receivers.find((r) => r.name === "dead-mans-switch")?.webhook).toEqual([{ url: { secret: "dead-mans-switch-url" }, sendResolved: false }]);
    expect(routeAlert(prod.alerting.config, { alertname: "Watchdog", severity: "info" })).toEqual(["dead-mans-switch"]);
  });
  it("dev without a switch: the null receiver (the validator warns about it)", () => {
    const dev = compose(raw("dev"));
    expect(routeAlert(dev.alerting.config, { alertname: "Watchdog", severity: "info" })).toEqual(["null"]);
    expect(Object.keys(dev.alerting.secrets ?? {})).toEqual([]);
  });
  it("a configured repeat interval reaches the heartbeat route", () => {
    const dev = raw("dev") as { alerting: Record<string, unknown> };
    const args = compose({ ...dev, alerting: { ...dev.alerting, deadMansSwitch: { urlSecret: "dmsUrl", repeatInterval: "2m" } } });
    expect(args.alerting.config.route.routes?.[0]).toMatchObject({ receiver: "dead-mans-switch", repeatInterval: "2m", heartbeat: true });
    expect(Object.keys(args.alerting.secrets ?? {})).toEqual(["dms-url"]);
  });
});
