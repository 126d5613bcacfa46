import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { Exporters, resolveExporters, type ExportersArgs } from "../../components/exporters";
import { DEFAULT_DOCKER_SUBNET, subnetGateway } from "../../components/platform/docker";
import { IMAGES } from "../../components/images";
import { ValidationError } from "../../core/validation";
import { CONTAINER, VOLUME, byType, one, recordResources, workloadContainers, sidecarOf, secretUpload } from "../helpers/pulumi";

const platform = { kind: "docker" as const, namePrefix: "t", network: "t-net", gateway: "10.1.2.1" };
const address = (n: string, p: number) => `${n}:${p}`;

describe("resolveExporters", () => {
  it("gives every exporter its scrape job, blackbox probes relabelled through the exporter", () => {
    const r = resolveExporters(
      {
        platform,
        probes: [{ name: "api", module: "http_2xx", targets: ["http://api:3000/health"] }],
        postgres: [{ name: "app", uri: "db:5432/app?sslmode=disable", user: "mon", password: "pw" }],
        redis: [{ name: "cache", address: "redis://redis:6379" }],
      },
      address,
    );
    expect(r.scrapeJobs.map((j) => j.name)).toEqual(["node", "cadvisor", "pushgateway", "blackbox-exporter", "blackbox-api", "postgres", "redis"]);
    const probe = r.scrapeJobs.find((j) => j.name === "blackbox-api");
    expect(probe?.metricsPath).toBe("/probe");
    expect(probe?.params).toEqual({ module: ["http_2xx"] });
    expect(probe?.relabelConfigs?.at(-1)).toEqual({ targetLabel: "__address__", replacement: "blackbox-exporter:9115" });
    expect(r.scrapeJobs.find((j) => j.name === "pushgateway")?.honorLabels).toBe(true);
    // One job per exporter kind (the packs select job="postgres"), one labelled target group per database.
    expect(r.scrapeJobs.find((j) => j.name === "postgres")?.staticConfigs).toEqual([{ targets: ["postgres-exporter-app:9187"], labels: { database: "app" } }]);
    expect(r.scrapeJobs.find((j) => j.name === "redis")?.staticConfigs).toEqual([{ targets: ["redis-exporter-cache:9121"], labels: { cache: "cache" } }]);
    expect(r.workloads.find((w) => w.name === "pushgateway")?.volumes).toEqual([{ name: "data", mountPath: "/pushgateway", sizeGb: 1, persistent: true }]);
    expect(r.files.map((f) => f.path)).toEqual(["blackbox/blackbox.yml"]);
    expect(r.workloads.map((w) => w.name)).toEqual(["node-exporter", "cadvisor", "pushgateway", "blackbox-exporter", "postgres-exporter-app", "redis-exporter-cache"]);
  });

  it.each<[string, Partial<ExportersArgs>, string]>([
    ["unknown module", { probes: [{ name: "x", module: "http_3xx", targets: ["http://a"] }] }, 'probe "x": module "http_3xx" is not a blackbox module'],
    ["credentials in a DSN", { postgres: [{ name: "app", uri: "postgres://u:p@db:5432/app", user: "u", password: "p" }] }, 'postgres "app": uri must be host:port/database without scheme or credentials'],
    ["redis address without scheme", { redis: [{ name: "c", address: "redis:6379" }] }, 'redis "c": address "redis:6379" must be redis://host:port'],
    ["duplicate probe", { probes: [{ name: "a", module: "icmp", targets: ["h"] }, { name: "a", module: "icmp", targets: ["h"] }] }, 'probe "a": name is defined more than once'],
  ])("rejects %s, naming it", (_n, extra, message) => {
    expect(() => resolveExporters({ platform, ...extra }, address)).toThrow(ValidationError);
    expect(() => resolveExporters({ platform, ...extra }, address)).toThrow(message);
  });
});

describe("node-exporter on the host's network", () => {
  it("listens on the stack network's gateway on its configured port, and Prometheus scrapes exactly that", () => {
    const r = resolveExporters({ platform, nodeExporterPort: 19100 }, address);
    const node = r.workloads.find((w) => w.name === "node-exporter")!;
    expect(node.args).toContain("--web.listen-address=10.1.2.1:19100");
    expect(node.host).toMatchObject({ network: true, pid: true });
    expect(r.scrapeJobs.find((j) => j.name === "node")?.staticConfigs).toEqual([{ targets: ["10.1.2.1:19100"] }]);
    // The stack creates its network: the gateway is its subnet's first address (the default subnet unless set).
    const own = resolveExporters({ platform: { kind: "docker", namePrefix: "t", subnet: "10.99.7.0/24" } }, address);
    expect(own.scrapeJobs.find((j) => j.name === "node")?.staticConfigs).toEqual([{ targets: ["10.99.7.1:9100"] }]);
    expect(subnetGateway(DEFAULT_DOCKER_SUBNET)).toBe("172.28.213.1");
    // Kubernetes: every node address (a DaemonSet on hostNetwork), same port.
    const k = resolveExporters({ platform: { kind: "kubernetes", namespace: "mon", instance: "p" }, nodeExporterPort: 19100, kubeStateMetrics: false }, address);
    expect(k.workloads.find((w) => w.name === "node-exporter")?.args).toContain("--web.listen-address=:19100");
  });

  it("rejects a network of your own without its gateway, and a malformed subnet or gateway, naming the field", () => {
    expect(() => resolveExporters({ platform: { kind: "docker", namePrefix: "t", network: "mine" } }, address)).toThrow(/pass its `gateway`/);
    expect(() => resolveExporters({ platform: { kind: "docker", namePrefix: "t", subnet: "10.99.7.5/24" } }, address)).toThrow(/subnet "10.99.7.5\/24" has host bits set/);
    expect(() => resolveExporters({ platform: { kind: "docker", namePrefix: "t", subnet: "fd00::/64" } }, address)).toThrow(/subnet "fd00::\/64" must be an IPv4 CIDR/);
    expect(() => resolveExporters({ platform: { kind: "docker", namePrefix: "t", network: "mine", gateway: "gw" } }, address)).toThrow(/gateway "gw" is not an IPv4 address/);
    // Without node-exporter nothing needs the gateway.
    expect(() => resolveExporters({ platform: { kind: "docker", namePrefix: "t", network: "mine" }, nodeExporter: false }, address)).not.toThrow();
  });
});

describe("Exporters on Docker (mocks)", () => {
  it("declares one container per exporter with pinned images, limits, healthchecks and no published ports", async () => {
    const { resources } = await recordResources(
      () =>
        new Exporters("mon", {
          platform,
          probes: [{ name: "api", module: "icmp", targets: ["api"] }],
          postgres: [{ name: "app", uri: "db:5432/app?sslmode=disable", user: "mon", password: pulumi.secret("s3cret-pw") }],
          redis: [{ name: "cache", address: "redis://redis:6379", password: pulumi.secret("redis-pw") }],
        }),
    );
    const containers = workloadContainers(resources);
    expect(containers.map((c) => c.name).sort()).toEqual(
      ["mon-blackbox-exporter", "mon-cadvisor", "mon-node-exporter", "mon-postgres-exporter-app", "mon-pushgateway", "mon-redis-exporter-cache"].sort(),
    );
    for (const c of containers) {
      expect(c.parent).toBe("mon");
      expect(Object.values(IMAGES)).toContain(c.inputs.image);
      expect(String(c.inputs.image)).not.toMatch(/:latest$/);
      expect(c.inputs.restart).toBe("unless-stopped");
      expect(c.inputs.memory).toBeGreaterThan(0);
      if (c.name !== "mon-node-exporter") expect(c.inputs.ports, c.name).toEqual([]);
    }
    // node-exporter: the host's network and PID namespaces, the host's root read-only with rslave propagation,
    // listening on the stack network's gateway only (healthcheck included); no stack network, no published port.
    const node = one(resources, CONTAINER, "mon-node-exporter");
    expect(node.inputs.pidMode).toBe("host");
    expect(node.inputs.networkMode).toBe("host");
    expect(node.inputs.networksAdvanced).toBeUndefined();
    expect(node.inputs.ports).toBeUndefined();
    expect(node.inputs.volumes).toEqual([]);
    expect(node.inputs.mounts).toEqual([{ type: "bind", source: "/", target: "/host", readOnly: true, bindOptions: { propagation: "rslave" } }]);
    expect(node.inputs.command).toContain("--web.listen-address=10.1.2.1:9100");
    expect((node.inputs.healthcheck as { tests: string[] }).tests).toEqual(["CMD", "wget", "-q", "--spider", "http://10.1.2.1:9100/metrics"]);
    // ICMP probes need raw sockets; everything else runs with no capabilities.
    expect(one(resources, CONTAINER, "mon-blackbox-exporter").inputs.capabilities).toEqual({ drops: ["ALL"], adds: ["NET_RAW"] });
    expect(one(resources, CONTAINER, "mon-pushgateway").inputs.capabilities).toEqual({ drops: ["ALL"] });
    expect(byType(resources, VOLUME).map((v) => v.name).sort()).toEqual(["mon-postgres-exporter-app-secrets", "mon-pushgateway-data", "mon-redis-exporter-cache-secrets"]);

    const pg = one(resources, CONTAINER, "mon-postgres-exporter-app");
    expect(pg.inputs.envs).toEqual(["DATA_SOURCE_PASS_FILE=/etc/exporter/secrets/password", "DATA_SOURCE_URI=db:5432/app?sslmode=disable", "DATA_SOURCE_USER=mon"]);
    // The secret reaches the exporter through its side-car's volume, mounted read-only; the exporter's own inputs
    // hold no secret (a secret upload would make its whole uploads input secret and hide config changes).
    expect(pg.inputs.uploads).toEqual([]);
    expect(pg.inputs.volumes).toEqual([{ volumeName: "t-postgres-exporter-app-secrets", containerPath: "/etc/exporter/secrets", readOnly: true }]);
    expect(sidecarOf(resources, pg).inputs.uploads).toBe("[secret]");
    expect(secretUpload(resources, pg, "/etc/exporter/secrets/password")).toMatchObject({ content: "s3cret-pw", permissions: "0400", owner: "65534", group: "65534" });
    const redis = one(resources, CONTAINER, "mon-redis-exporter-cache");
    expect(secretUpload(resources, redis, "/etc/exporter/secrets/passwords.json")).toMatchObject({ content: '{"redis://redis:6379":"redis-pw"}', permissions: "0400", owner: "59000" });
    expect(JSON.stringify(resources.map((r) => r.inputs))).not.toMatch(/s3cret-pw|redis-pw/);
  });
});
