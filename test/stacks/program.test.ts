/**
 * The whole dev program as `pulumi up --stack dev` runs it: index.ts imported under the SDK's mock runtime with
 * the config of Pulumi.dev.yaml (plus the one secret it expects to be set with `pulumi config set --secret`).
 */
import * as pulumi from "@pulumi/pulumi";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ResourceRecorder, type RecordedResource } from "../../cli/mock-runtime";
import { loadStackFile } from "../../cli/stack-file";
import { IMAGES, TELEMETRY_IMAGES } from "../../components/images";
import { HELPER_IMAGES } from "../../components/images";
import { CONTAINER, NETWORK, VOLUME, byType, secretUpload, upload, workloadContainers } from "../helpers/pulumi";

const ROOT = join(__dirname, "..", "..");
let resources: RecordedResource[] = [];
let outputs: Record<string, unknown> = {};
let secretOutputs: Record<string, boolean> = {};

beforeAll(async () => {
  const file = loadStackFile(ROOT, "dev");
  const recorder = new ResourceRecorder();
  await pulumi.runtime.setMocks(recorder.mocks, file.project, "dev", false);
  pulumi.runtime.setAllConfig({ ...file.config, "moncode:postgresPassword": "pg-pass-1" }, [...file.secretKeys, "moncode:postgresPassword"]);
  let mod: Record<string, unknown> = {};
  await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation(recorder.transformation);
    mod = (await import("../../index.js")) as Record<string, unknown>;
    return {};
  });
  await pulumi.runtime.disconnect();
  resources = recorder.resources();
  for (const [k, v] of Object.entries(mod)) {
    if (pulumi.Output.isInstance(v)) {
      secretOutputs[k] = await (v as unknown as { isSecret: Promise<boolean> }).isSecret;
      outputs[k] = await new Promise((res) => (v as pulumi.Output<unknown>).apply(res));
    } else outputs[k] = v;
  }
});

describe("dev program (index.ts) under mocks", () => {
  it("declares one network, a volume per state dir and a container per workload, all under the stack component", () => {
    expect(byType(resources, NETWORK).map((n) => n.inputs.name)).toEqual(["dev-monitoring"]);
    expect(byType(resources, VOLUME).map((v) => v.inputs.name).sort()).toEqual([
      "dev-alertmanager-data",
      "dev-grafana-data",
      "dev-grafana-secrets",
      "dev-jaeger-data",
      "dev-loki-data",
      "dev-otel-collector-state",
      "dev-postgres-exporter-app-secrets",
      "dev-prometheus-data",
      "dev-pushgateway-data",
    ]);
    // Nine for metrics, three for logs and traces (Loki, Jaeger, the collector).
    expect(workloadContainers(resources)).toHaveLength(12);
    // One secrets side-car per workload with secrets, created before it.
    const sidecars = byType(resources, CONTAINER).filter((c) => c.inputs.image === HELPER_IMAGES.secrets);
    expect(sidecars.map((c) => c.inputs.name).sort()).toEqual(["dev-grafana-secrets", "dev-postgres-exporter-app-secrets"]);
    for (const s of sidecars) expect(byType(resources, CONTAINER).find((c) => `${c.name}-secrets` === s.name)?.dependsOn).toEqual([s.name]);
    const components = resources.filter((r) => r.type.startsWith("moncode:"));
    expect(components.map((c) => `${c.type} ${c.name} <- ${c.parent ?? "-"}`).sort()).toEqual([
      "moncode:alerting:AlertRouting dev-alerting <- dev",
      "moncode:collector:Collector dev-collector <- dev",
      "moncode:exporters:Exporters dev-exporters <- dev",
      "moncode:grafana:GrafanaWithDashboards dev-grafana <- dev",
      "moncode:logs:Logs dev-logs <- dev",
      "moncode:prometheus:PrometheusStack dev-prometheus <- dev",
      "moncode:stack:MonitoringStack dev <- -",
      "moncode:tracing:Tracing dev-traces <- dev",
    ]);
  });

  it("pins every image, joins every container but node-exporter to the stack network, binds published ports to 127.0.0.1", () => {
    const net = byType(resources, NETWORK)[0]!;
    // A known subnet: its gateway is where node-exporter (on the host's network) listens and is scraped.
    expect(net.inputs.ipamConfigs).toEqual([{ subnet: "172.28.213.0/24", gateway: "172.28.213.1" }]);
    for (const c of workloadContainers(resources)) {
      expect([...Object.values(IMAGES), ...Object.values(TELEMETRY_IMAGES)]).toContain(c.inputs.image);
      // Every container's log lines carry its name (the collector reads them from the engine's files).
      expect(c.inputs.logOpts).toEqual({ "max-size": "10m", "max-file": "3", tag: "{{.Name}}" });
      if (c.inputs.name === "dev-node-exporter") {
        expect(c.inputs.networkMode).toBe("host");
        expect(c.inputs.command).toContain("--web.listen-address=172.28.213.1:9100");
        continue;
      }
      expect(c.inputs.networksAdvanced).toEqual([{ name: "dev-monitoring", aliases: [expect.any(String)] }]);
      for (const p of (c.inputs.ports ?? []) as { ip: string }[]) expect(p.ip).toBe("127.0.0.1");
      expect(c.inputs.restart).toBe("unless-stopped");
      expect(c.inputs.memory).toBeGreaterThan(0);
      expect(Number(c.inputs.cpus)).toBeGreaterThan(0);
    }
  });

  it("runs every container with no-new-privileges (and, unless the exporter needs privileges, no capabilities)", () => {
    const containers = byType(resources, CONTAINER);
    for (const c of containers) expect(c.inputs.securityOpts, String(c.inputs.name)).toEqual(["no-new-privileges:true"]);
    const dropsAll = containers.filter((c) => JSON.stringify((c.inputs.capabilities as { drops?: string[] } | undefined)?.drops) === '["ALL"]');
    expect(dropsAll.map((c) => c.inputs.name).sort()).toEqual(containers.filter((c) => !c.inputs.privileged).map((c) => c.inputs.name).sort());
    const published = byType(resources, CONTAINER).flatMap((c) => (c.inputs.ports ?? []) as { external: number }[]).map((p) => p.external).sort();
    expect(published).toEqual([3000, 9090, 9093]);
  });

  it("uses the dev config: short retention with a size cap, the API's 10s scrape interval, honor_labels on the Pushgateway job", () => {
    const prom = byType(resources, CONTAINER).find((c) => c.inputs.name === "dev-prometheus");
    expect(prom?.inputs.command).toEqual(expect.arrayContaining(["--storage.tsdb.retention.time=2d", "--storage.tsdb.retention.size=2GB", "--web.enable-lifecycle"]));
    const cfg = String(upload(prom!, "/etc/prometheus/prometheus.yml").content);
    expect(cfg).toContain("  - job_name: api\n    scrape_interval: 10s\n");
    // The Pushgateway job keeps the job/instance labels the batch jobs pushed.
    expect(cfg).toContain("  - job_name: pushgateway\n    honor_labels: true\n");
  });

  it("delivers the Postgres password only as a secret file", () => {
    const pg = byType(resources, CONTAINER).find((c) => c.inputs.name === "dev-postgres-exporter-app");
    expect(secretUpload(resources, pg!, "/etc/exporter/secrets/password")).toMatchObject({ content: "pg-pass-1", permissions: "0400", owner: "65534" });
    // The exporter's own uploads stay plain (reviewable); only the side-car's are secret.
    expect(pg!.inputs.uploads).not.toBe("[secret]");
    expect(JSON.stringify(resources.map((r) => r.inputs))).not.toContain("pg-pass-1");
  });

  it("exports URLs on 127.0.0.1 and the generated Grafana password as a secret", () => {
    expect(outputs).toMatchObject({ prometheusUrl: "http://127.0.0.1:9090", alertmanagerUrl: "http://127.0.0.1:9093", grafanaUrl: "http://127.0.0.1:3000", grafanaAdminUser: "admin" });
    expect(secretOutputs.grafanaAdminPassword).toBe(true);
    expect(outputs.grafanaAdminPassword).toBe("[generated dev-grafana-admin-password]");
    // The 14 metric dashboards, plus Logs and Traces.
    expect((outputs.dashboards as string[]).length).toBe(16);
  });
});
