/**
 * The Docker provider table (components/platform/docker-provider.ts) and what the driver asks the provider for
 * because of it: graceful stops per workload, and stored-only inputs that matter folded into the config-hash label.
 * Checked on the dev program's recorded inputs (Pulumi.dev.yaml under mocks, as `moncode synth` runs it).
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { RecordedResource } from "../../cli/mock-runtime";
import { loadStackFile } from "../../cli/stack-file";
import { CONFIG_HASH_LABEL, dockerContentHash } from "../../components/platform/docker";
import { DOCKER_CONTAINER_INPUTS, DOCKER_HASHED_STORED_INPUTS, dockerChangeEffect, dockerInputEffect, STOP_GRACE_SECONDS } from "../../components/platform/docker-provider";
import { runUnderMocks } from "../../cli/mock-runtime";
import { runProgram } from "../../stacks/program";
import { CONTAINER, byType, isSecretsSidecar } from "../helpers/pulumi";
import { join } from "node:path";

let containers: RecordedResource[] = [];
beforeAll(async () => {
  const file = loadStackFile(join(__dirname, "..", ".."), "dev");
  const pg = `${file.project}:postgresPassword`;
  const { resources } = await runUnderMocks({ project: file.project, stack: "dev", config: { ...file.config, [pg]: "p4ss-w0rd" }, secretKeys: [...file.secretKeys, pg], program: runProgram });
  containers = byType(resources, CONTAINER);
}, 60_000);

const label = (r: RecordedResource, name: string) => ((r.rawInputs.labels ?? []) as { label: string; value: string }[]).find((l) => l.label === name)?.value;
const byName = (n: string) => {
  const c = containers.find((x) => x.rawInputs.name === n);
  if (!c) throw new Error(`no container ${n}: ${containers.map((x) => x.rawInputs.name).join(", ")}`);
  return c;
};

describe("the Docker provider's container inputs (one table)", () => {
  it("classifies inputs as the provider's schema and update function do", () => {
    expect(["restart", "memory", "memorySwap", "maxRetryCount", "cpuShares", "cpuSet"].map(dockerInputEffect)).toEqual(Array(6).fill("update"));
    expect(["healthcheck", "wait", "waitTimeout", "destroyGraceSeconds", "tmpfs"].map(dockerInputEffect)).toEqual(Array(5).fill("stored"));
    expect(["uploads", "labels", "image", "command", "envs", "ports", "cpus", "devices", "stopSignal", "stopTimeout", "mounts", "networkMode"].map(dockerInputEffect)).toEqual(Array(12).fill("replace"));
    // An input the table does not know is taken as ForceNew (the safe side: a replacement shown, never hidden).
    expect(dockerInputEffect("somethingNew")).toBe("replace");
    expect(DOCKER_HASHED_STORED_INPUTS).toEqual(["cpuPeriod", "cpuQuota", "healthcheck", "init", "tmpfs"]);
  });

  it("applies the strongest effect of a change: replace over update over stored", () => {
    expect(dockerChangeEffect(["memory"])).toBe("update");
    expect(dockerChangeEffect(["memory", "waitTimeout"])).toBe("update");
    expect(dockerChangeEffect(["waitTimeout", "destroyGraceSeconds"])).toBe("stored");
    expect(dockerChangeEffect(["memory", "labels"])).toBe("replace");
    expect(dockerChangeEffect([])).toBe("none");
  });

  it("knows every input the driver sets on any container of the dev stack", () => {
    const used = new Set(containers.flatMap((c) => Object.keys(c.rawInputs).filter((k) => c.rawInputs[k] !== undefined)));
    expect([...used].filter((k) => !(k in DOCKER_CONTAINER_INPUTS))).toEqual([]);
    expect(used.size).toBeGreaterThan(15);
  });
});

describe("graceful stops", () => {
  it("gives each workload its program's clean-shutdown time as destroyGraceSeconds and stopTimeout, with SIGTERM", () => {
    const expected: Record<string, number> = {
      "dev-prometheus": STOP_GRACE_SECONDS.prometheus,
      "dev-alertmanager": STOP_GRACE_SECONDS.alertmanager,
      "dev-pushgateway": STOP_GRACE_SECONDS.pushgateway,
      "dev-grafana": STOP_GRACE_SECONDS.grafana,
      "dev-node-exporter": STOP_GRACE_SECONDS.exporter,
      "dev-grafana-secrets": STOP_GRACE_SECONDS.sidecar,
    };
    for (const [name, grace] of Object.entries(expected)) {
      const c = byName(name);
      expect({ name, grace: c.rawInputs.destroyGraceSeconds, stop: c.rawInputs.stopTimeout, signal: c.rawInputs.stopSignal }).toEqual({ name, grace, stop: grace, signal: "SIGTERM" });
    }
    expect(STOP_GRACE_SECONDS.prometheus).toBeGreaterThan(60); // remote-write flush deadline (1m) + closing the TSDB
    // No container is ever stopped with SIGKILL at once (the provider's default when destroyGraceSeconds is unset).
    expect(containers.filter((c) => !((c.rawInputs.destroyGraceSeconds as number) > 0)).map((c) => c.rawInputs.name)).toEqual([]);
  });
});

describe("stored-only inputs that matter are in the content hash", () => {
  it("labels each container with the config hash folded with its healthcheck", () => {
    for (const c of containers.filter((x) => !isSecretsSidecar(x) && x.rawInputs.healthcheck !== undefined)) {
      const value = label(c, CONFIG_HASH_LABEL);
      expect(value, String(c.rawInputs.name)).toMatch(/^[0-9a-f]{16}$/);
    }
    // The sidecar too: its healthcheck is all its label hashes.
    const s = byName("dev-grafana-secrets");
    expect(label(s, CONFIG_HASH_LABEL)).toBe(dockerContentHash("secrets-sidecar", { healthcheck: s.rawInputs.healthcheck }));
  });

  it("changes the label — a ForceNew input — when only the healthcheck changes, and not for inputs that do not matter", () => {
    const hc = { tests: ["CMD", "wget", "-q", "--spider", "http://127.0.0.1:9090/-/healthy"], interval: "15s", timeout: "5s", retries: 3, startPeriod: "30s" };
    const base = dockerContentHash("0123456789abcdef", { healthcheck: hc });
    expect(base).not.toBe("0123456789abcdef");
    expect(dockerContentHash("0123456789abcdef", { healthcheck: { ...hc, interval: "30s" } })).not.toBe(base);
    expect(dockerContentHash("0123456789abcdef", { healthcheck: { ...hc, tests: [...hc.tests.slice(0, 4), "http://127.0.0.1:9090/-/ready"] } })).not.toBe(base);
    // Key order is not a change; wait/waitTimeout/destroyGraceSeconds are read only at create/delete and do not replace.
    expect(dockerContentHash("0123456789abcdef", { healthcheck: Object.fromEntries(Object.entries(hc).reverse()) })).toBe(base);
    expect(dockerContentHash("0123456789abcdef", { healthcheck: hc, waitTimeout: 5, destroyGraceSeconds: 1 })).toBe(base);
    expect(dockerContentHash("0123456789abcdef", {})).toBe("0123456789abcdef");
    expect(dockerContentHash("fedcba9876543210", { healthcheck: hc })).not.toBe(base);
  });
});
