import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { IMAGES } from "../../components/images";
import { CONFIG_HASH_LABEL } from "../../components/platform/docker";
import { PrometheusStack, resolvePrometheusStack, type PrometheusStackArgs } from "../../components/prometheus-stack";
import type { RulePack } from "../../core/rules/model";
import { runUnderMocks } from "../../cli/mock-runtime";
import { CONTAINER, VOLUME, byType, one, recordResources, upload, uploads, sidecarOf, secretUpload } from "../helpers/pulumi";

const platform = { kind: "docker" as const, namePrefix: "t", network: "t-net" };
const pack = (threshold: number): RulePack => ({
  name: "api",
  groups: [
    {
      name: "api-availability",
      rules: [
        {
          alert: "ApiDown",
          expr: `up{job="api"} < ${threshold}`,
          for: "1m",
          severity: "critical",
          annotations: { summary: "API down", description: "{{ $labels.instance }} is down", runbookUrl: "https://example.com/runbooks#apidown" },
        },
      ],
    },
  ],
  tests: [],
});
const args = (over: Partial<PrometheusStackArgs> = {}): PrometheusStackArgs => ({
  platform,
  scrapeJobs: [{ name: "api", staticConfigs: [{ targets: ["api:3000"] }] }],
  rulePacks: [pack(1)],
  alertmanagers: ["alertmanager:9093"],
  storage: { retentionTime: "30d", retentionSize: "10GB" },
  ...over,
});

describe("resolvePrometheusStack", () => {
  it("renders the config and one rule file per pack, with retention and lifecycle flags", () => {
    const r = resolvePrometheusStack(args());
    expect(r.files.map((f) => f.path)).toEqual(["prometheus/prometheus.yml", "prometheus/rules/api.yml"]);
    expect(r.spec.args).toEqual([
      "--config.file=/etc/prometheus/prometheus.yml",
      "--storage.tsdb.path=/prometheus",
      "--storage.tsdb.retention.time=30d",
      "--storage.tsdb.retention.size=10GB",
      "--web.listen-address=:9090",
      "--web.enable-lifecycle",
    ]);
    expect(r.config.scrapeJobs.map((j) => j.name)).toEqual(["prometheus", "api"]);
    expect(r.files[0]?.content).toContain("rule_files:\n  - rules/*.yml\n");
  });

  it("caps the default scrape timeout at a short interval", () => {
    const r = resolvePrometheusStack(args({ global: { scrapeInterval: "5s" } }));
    expect(r.config.global).toMatchObject({ scrapeInterval: "5s", scrapeTimeout: "5s" });
    expect(resolvePrometheusStack(args()).config.global.scrapeTimeout).toBe("10s");
  });

  it("mounts remote-write credentials as files and references them by path", () => {
    const r = resolvePrometheusStack(args({ remoteWrite: [{ name: "vm", url: "https://vm.example.com/api/v1/write", username: "prom", password: "pw" }] }));
    expect(r.files[0]?.content).toContain("basic_auth:\n      username: prom\n      password_file: /etc/prometheus/secrets/remote-write-vm\n");
    expect(r.spec.files.find((f) => f.path === "/etc/prometheus/secrets/remote-write-vm")).toMatchObject({ secret: true, content: "pw" });
    expect(r.files.map((f) => f.content).join()).not.toContain("pw\n");
  });

  it.each<[string, Partial<PrometheusStackArgs>, string]>([
    ["a duplicate job", { scrapeJobs: [{ name: "prometheus", staticConfigs: [{ targets: ["x:1"] }] }] }, 'scrape job "prometheus": job_name is defined more than once'],
    ["zero retention", { storage: { retentionTime: "0s" } }, "storage: retention_time must be greater than 0"],
    ["a duplicate rule pack", { rulePacks: [pack(1), pack(1)] }, 'rule pack "api": name is defined more than once'],
    ["remote write user without password", { remoteWrite: [{ name: "vm", url: "http://vm:8428/api/v1/write", username: "u" }] }, 'remote_write "vm": password is required with username'],
    ["an alertmanager URL instead of host:port", { alertmanagers: ["http://am:9093"] }, '"http://am:9093" is not host:port'],
  ])("refuses %s, naming it", (_n, over, message) => {
    expect(() => resolvePrometheusStack(args(over))).toThrow(message);
  });
});

describe("PrometheusStack on Docker (mocks)", () => {
  it("declares the container with pinned image, 127.0.0.1 port, healthcheck, limits, TSDB volume and the rendered files", async () => {
    const { resources, result } = await recordResources(() => new PrometheusStack("mon", args()));
    expect(byType(resources, CONTAINER)).toHaveLength(1);
    const c = one(resources, CONTAINER, "mon-prometheus");
    expect(c.parent).toBe("mon");
    expect(c.inputs).toMatchObject({
      name: "t-prometheus",
      image: IMAGES.prometheus,
      user: "65534",
      restart: "unless-stopped",
      memory: 1024,
      cpus: "1",
      ports: [{ internal: 9090, external: 9090, ip: "127.0.0.1", protocol: "tcp" }],
      networksAdvanced: [{ name: "t-net", aliases: ["prometheus"] }],
      volumes: [{ volumeName: "t-prometheus-data", containerPath: "/prometheus" }],
    });
    expect(c.inputs.healthcheck).toMatchObject({ tests: ["CMD", "wget", "-q", "--spider", "http://127.0.0.1:9090/-/healthy"], interval: "15s", retries: 3 });
    expect(one(resources, VOLUME, "mon-prometheus-data").inputs.name).toBe("t-prometheus-data");
    expect(upload(c, "/etc/prometheus/prometheus.yml").content).toBe(result.files[0]?.content);
    expect(upload(c, "/etc/prometheus/rules/api.yml")).toMatchObject({ content: result.files[1]?.content, owner: "65534", permissions: "0444" });
    expect(uploads(c).every((u) => u.file.startsWith("/etc/prometheus/"))).toBe(true);
  });

  it("changes the config-hash label when a rule changes, and only then", async () => {
    const hash = async (a: PrometheusStackArgs) => {
      const { resources } = await recordResources(() => new PrometheusStack("mon", a));
      const labels = one(resources, CONTAINER, "mon-prometheus").inputs.labels as { label: string; value: string }[];
      return labels.find((l) => l.label === CONFIG_HASH_LABEL)?.value;
    };
    const a = await hash(args());
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(await hash(args())).toBe(a);
    expect(await hash(args({ rulePacks: [pack(0.5)] }))).not.toBe(a);
  });

  it("keeps a remote-write password secret in the recorded inputs, and Prometheus's own uploads plain", async () => {
    const { resources } = await recordResources(
      () => new PrometheusStack("mon", args({ remoteWrite: [{ name: "vm", url: "https://vm/api/v1/write", password: pulumi.secret("tok-123") }] })),
    );
    const c = one(resources, CONTAINER, "mon-prometheus");
    expect(c.inputs.uploads).not.toBe("[secret]");
    expect(String(upload(c, "/etc/prometheus/prometheus.yml").content)).toContain("credentials_file: /etc/prometheus/secrets/remote-write-vm");
    expect(sidecarOf(resources, c).inputs.uploads).toBe("[secret]");
    expect(secretUpload(resources, c, "/etc/prometheus/secrets/remote-write-vm")).toMatchObject({ content: "tok-123", permissions: "0400", owner: "65534" });
    expect(JSON.stringify(c.inputs)).not.toContain("tok-123");
  });

  it("declares nothing when the config is invalid", async () => {
    await expect(
      runUnderMocks({ project: "moncode", stack: "test", config: {}, secretKeys: [], program: () => new PrometheusStack("mon", args({ storage: { retentionTime: "-1d" } })) }),
    ).rejects.toThrow('storage: retention_time "-1d" is not a duration');
  });
});
