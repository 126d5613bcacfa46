/** An infra repo's own cluster: its k8s.Provider and an existing namespace, as README's Kubernetes section says. */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runUnderMocks } from "../../cli/mock-runtime";
import { composeStackArgs } from "../../stacks/compose";
import { parseStackConfig } from "../../stacks/config";
import { MonitoringStack } from "../../stacks/monitoring-stack";
import { PROD_SECRETS, ROOT } from "./prod-program";

type OwnPlatform = { hostNamespace?: string };

function ownCluster(extra: OwnPlatform) {
  const raw = (parse(readFileSync(join(ROOT, "Pulumi.prod.yaml"), "utf8")) as { config: Record<string, unknown> }).config["moncode:stack"];
  const config = parseStackConfig(raw);
  return runUnderMocks({
      project: "moncode",
      stack: "prod",
      config: {},
      secretKeys: [],
      program: () => {
        const provider = new k8s.Provider("team-cluster", { context: "team", namespace: "observability" });
        const args = composeStackArgs({
          stackName: "prod",
          config,
          secrets: { get: (k) => (k in PROD_SECRETS ? pulumi.secret(PROD_SECRETS[k]!) : undefined) },
          grafanaAdminPassword: pulumi.secret("admin-pw"),
          grafanaSecretKey: pulumi.secret("secret-key"),
        });
        return new MonitoringStack("team", { ...args, platform: { kind: "kubernetes", namespace: "observability", instance: "team", createNamespace: false, provider, ...extra } });
      },
    });
}

describe("Kubernetes platform with the user's provider and namespace", () => {
  it("creates no Namespace and sends every object through the given provider into the given namespaces (node-exporter into hostNamespace)", async () => {
    const { resources } = await ownCluster({ hostNamespace: "observability-nodes" });
    const objects = resources.filter((r) => r.type.startsWith("kubernetes:") && r.type !== "pulumi:providers:kubernetes");
    expect(objects.length).toBeGreaterThan(20);
    expect(objects.filter((r) => r.type === "kubernetes:core/v1:Namespace")).toEqual([]);
    for (const o of objects) {
      expect(o.provider, `${o.type} ${o.name}`).toContain("team-cluster");
      const meta = (o.rawInputs as { metadata?: { namespace?: string } }).metadata;
      const clusterScoped = /ClusterRole/.test(o.type);
      const hostAccess = /node-exporter|otel-collector/.test(o.name);
      if (!clusterScoped) expect(meta?.namespace, `${o.type} ${o.name}`).toBe(hostAccess ? "observability-nodes" : "observability");
    }
    const job = resources.find((r) => r.type === "kubernetes:core/v1:ConfigMap" && r.name === "team-prometheus-prometheus-config");
    expect(JSON.stringify(job?.rawInputs)).toContain("observability-nodes");
  });

  it("without a host namespace, node-exporter (host access) is refused by name before anything is declared", async () => {
    const err = await ownCluster({}).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(String(err)).toMatch(/node-exporter: nodeExporter needs host access .*"privileged" Pod Security level.*kubernetes\.hostNamespace.*nodeExporter: false/);
  });
});
