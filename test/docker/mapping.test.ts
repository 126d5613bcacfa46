/**
 * The harness's mapping of recorded Docker-provider inputs to Engine API calls, without an engine: it maps what the
 * driver sets the way the provider does, and refuses anything it does not know.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RecordedResource } from "../../cli/mock-runtime";
import { CONTAINER, dockerResources, goDurationNs, NETWORK, planContainer, planNetwork, tarOneFile, UnmappedInputError } from "./apply";

const container = (rawInputs: Record<string, unknown>): RecordedResource => ({ type: CONTAINER, name: "c", parent: undefined, custom: true, inputs: {}, rawInputs });

describe("mapping recorded inputs to the Engine API", () => {
  it("fails on an input it has no mapping for, naming it", () => {
    expect(() => planContainer(container({ name: "x", image: "i", shmSize: 64 }))).toThrow(UnmappedInputError);
    expect(() => planContainer(container({ name: "x", image: "i", shmSize: 64 }))).toThrow(/"shmSize"/);
    expect(() => planContainer(container({ name: "x", image: "i", ports: [{ internal: 1, external: 2, ipv6: true }] }))).toThrow(/ports\[0\].*"ipv6"/);
    expect(() => planNetwork({ type: NETWORK, name: "n", parent: undefined, custom: true, inputs: {}, rawInputs: { name: "n", internal: true } })).toThrow(/"internal"/);
  });

  it("fails on a Docker resource type it cannot create", () => {
    const image: RecordedResource = { type: "docker:index/remoteImage:RemoteImage", name: "img", parent: undefined, custom: true, inputs: {}, rawInputs: {} };
    expect(() => dockerResources([image])).toThrow(/RemoteImage/);
  });

  it("maps ports, volumes, hosts, limits and healthchecks as the provider does", () => {
    const p = planContainer(
      container({
        name: "dev-prometheus",
        image: "prom/prometheus:v3.5.0",
        command: ["--a"],
        ports: [{ internal: 9090, external: 19090, ip: "127.0.0.1", protocol: "tcp" }],
        volumes: [
          { volumeName: "dev-prometheus-data", containerPath: "/prometheus" },
          { hostPath: "/", containerPath: "/host", readOnly: true },
        ],
        hosts: [{ host: "host.docker.internal", ip: "host-gateway" }],
        memory: 1024,
        cpus: "0.2",
        healthcheck: { tests: ["CMD", "wget"], interval: "15s", timeout: "5s", retries: 3, startPeriod: "30s" },
        capabilities: { drops: ["ALL"] },
        restart: "unless-stopped",
        wait: true,
        waitTimeout: 120,
      }),
    );
    expect(p.create.ExposedPorts).toEqual({ "9090/tcp": {} });
    expect(p.create.HostConfig?.PortBindings).toEqual({ "9090/tcp": [{ HostIp: "127.0.0.1", HostPort: "19090" }] });
    expect(p.create.HostConfig?.Binds).toEqual(["dev-prometheus-data:/prometheus:rw", "/:/host:ro"]);
    expect(p.create.HostConfig?.ExtraHosts).toEqual(["host.docker.internal:host-gateway"]);
    expect(p.create.HostConfig?.Memory).toBe(1024 * 1024 * 1024);
    expect(p.create.HostConfig?.NanoCpus).toBe(200_000_000);
    expect(p.create.HostConfig?.CapDrop).toEqual(["ALL"]);
    expect(p.create.Healthcheck).toEqual({ Test: ["CMD", "wget"], Interval: 15e9, Timeout: 5e9, StartPeriod: 30e9, Retries: 3 });
    expect(p.wait).toBe(true);
    expect(p.waitTimeoutSeconds).toBe(120);
  });

  it("maps graceful stops and bind mounts with propagation as the provider does", () => {
    const p = planContainer(
      container({
        name: "dev-node-exporter",
        image: "prom/node-exporter:v1.12.1",
        stopSignal: "SIGTERM",
        stopTimeout: 10,
        destroyGraceSeconds: 10,
        mounts: [{ target: "/host", source: "/", type: "bind", readOnly: true, bindOptions: { propagation: "rslave" } }],
        networkMode: "host",
      }),
    );
    expect(p.create.StopSignal).toBe("SIGTERM");
    expect(p.create.StopTimeout).toBe(10);
    expect(p.destroyGraceSeconds).toBe(10);
    expect(p.removeVolumes).toBe(true);
    expect(p.create.HostConfig?.Mounts).toEqual([{ Target: "/host", Source: "/", Type: "bind", ReadOnly: true, BindOptions: { Propagation: "rslave" } }]);
    expect(p.create.HostConfig?.NetworkMode).toBe("host");
    // No grace: the provider stops with timeout 0 (SIGKILL right after the signal).
    expect(planContainer(container({ name: "x", image: "i" })).destroyGraceSeconds).toBe(0);
    expect(() => planContainer(container({ name: "x", image: "i", mounts: [{ target: "/t", type: "tmpfs" }] }))).toThrow(/mount type "tmpfs"/);
    expect(() => planContainer(container({ name: "x", image: "i", mounts: [{ target: "/t", source: "/", type: "bind", bindOptions: { propagation: "rslave", x: 1 } }] }))).toThrow(/bindOptions.*"x"/);
  });

  it("maps a network's IPAM config (the stack network's known subnet and gateway)", () => {
    const n = planNetwork({ type: NETWORK, name: "n", parent: undefined, custom: true, inputs: {}, rawInputs: { name: "dev-monitoring", driver: "bridge", ipamConfigs: [{ subnet: "10.213.7.0/24", gateway: "10.213.7.1" }] } });
    expect(n.IPAM).toEqual({ Driver: "default", Config: [{ Subnet: "10.213.7.0/24", Gateway: "10.213.7.1" }] });
  });

  it("refuses what the provider refuses: empty command values, non-numeric owners, waiting without a healthcheck", () => {
    expect(() => planContainer(container({ name: "x", image: "i", command: ["--a", ""] }))).toThrow(/may not be empty/);
    expect(() => planContainer(container({ name: "x", image: "i", uploads: [{ file: "/f", content: "x", owner: "nobody" }] }))).toThrow(/not numeric/);
    expect(() => planContainer(container({ name: "x", image: "i", wait: true }))).toThrow(/healthcheck/);
  });

  it("parses Go durations", () => {
    expect(goDurationNs("1m30s")).toBe(90e9);
    expect(goDurationNs("500ms")).toBe(5e8);
    expect(() => goDurationNs("15")).toThrow();
  });

  it("builds upload archives that tar reads back with the file's mode, owner and content", () => {
    const dir = mkdtempSync(join(tmpdir(), "moncode-tar-"));
    const long = `/etc/grafana/dashboards/${"folder-".repeat(12)}/dashboard.json`;
    for (const [path, mode, uid] of [
      ["/etc/exporter/secrets/password", 0o400, 65534],
      [long, 0o444, 472],
    ] as const) {
      const file = join(dir, "a.tar");
      writeFileSync(file, tarOneFile(path, Buffer.from("s3cret"), mode, uid, 0));
      const listing = execFileSync("tar", ["--numeric-owner", "-P", "-tvf", file], { encoding: "utf8" });
      expect(listing).toContain(mode === 0o400 ? "-r--------" : "-r--r--r--");
      expect(listing).toContain(`${uid}/0`);
      expect(listing).toContain(path.slice(1));
      expect(execFileSync("tar", ["-P", "-xOf", file], { encoding: "utf8" })).toBe("s3cret");
    }
  });
});
