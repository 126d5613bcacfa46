/**
 * The dev stack on a real Docker engine: what the Pulumi program asks the Docker provider for (recorded under mocks)
 * is applied to a private dockerd through the Engine API, and the running stack is checked the way a user of
 * `pulumi up --stack dev` would find it. See test/docker/README.md for what is proven and what is not.
 */
import { createHash, randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { RecordedResource } from "../../cli/mock-runtime";
import { IMAGES, imageTag, TELEMETRY_IMAGES } from "../../components/images";
import { CONFIG_HASH_LABEL } from "../../components/platform/docker";
import { apply, CONTAINER, destroy, dockerResources, NETWORK, planContainer, VOLUME, type AppliedResource, type ApplyResult, type ContainerPlan } from "./apply";
import { missingCapabilities, startEngine, type Engine } from "./engine";
import { ensureImages, LOKI_STAND_IN_CAPTURE, type ImageResult } from "./images";
import { eventually, execIn, getJson, globMatch, inContainer, mayAccess, processCreds, referencedPaths } from "./inspect";
import { freePorts, startStandIns, type StandIns } from "./standins";
import { CANARY_ALERT, E2E_ALERT, E2E_CHANNEL, E2E_JOB, synthVariant, type Variant, type VariantOptions } from "./variant";

const t0 = Date.now();
let engine: Engine | undefined;
let standIns: StandIns | undefined;
let images: ImageResult[] = [];
let first: Variant;
let opts: VariantOptions;
let applied: ApplyResult;
let state: readonly AppliedResource[] = [];
/**
 * Privileged containers (cAdvisor) cannot start where the engine lacks capabilities to grant (see
 * missingCapabilities); they are then left out of the apply, named in the report and checked to be the only gap.
 */
const missingCaps = missingCapabilities();
let excluded: RecordedResource[] = [];
const applicable = (resources: readonly RecordedResource[]) => resources.filter((r) => !excluded.some((x) => x.type === r.type && x.name === r.name));
const excludedAliases = () => excluded.map((r) => String(r.rawInputs.name).replace(/^dev-/, ""));
const report: string[] = [];
const seconds = (since: number) => ((Date.now() - since) / 1000).toFixed(1);

const isSidecar = (a: AppliedResource) => ((a.inputs.labels ?? []) as { label: string; value: string }[]).some((l) => l.label === "moncode.dev/role" && l.value === "secrets");
/** The workloads' containers; the secrets side-cars are `sidecars()`. */
const containers = () => state.filter((s) => s.type === CONTAINER && !isSidecar(s));
const sidecars = () => state.filter((s) => s.type === CONTAINER && isSidecar(s));
/** The secret files a workload sees through its side-car's volume: path in the workload → the side-car's upload. */
function secretFilesOf(c: AppliedResource): { path: string; upload: ContainerPlan["uploads"][number] }[] {
  const sidecar = sidecars().find((s) => s.urnName === `${c.urnName}-secrets`);
  if (!sidecar) return [];
  // The side-car's volume has the side-car's name (`<prefix>-<workload>-secrets`).
  const mount = (planOf(c).create.HostConfig?.Binds ?? []).map((b) => b.split(":")).find(([src]) => src === sidecar.name);
  if (!mount) throw new Error(`${c.name} does not mount its side-car's volume`);
  return planOf(sidecar).uploads.map((u) => ({ path: `${mount[1]}/${u.file.slice("/secrets/".length)}`, upload: u }));
}
const planOf = (a: AppliedResource): ContainerPlan => planContainer({ type: a.type, name: a.urnName, parent: undefined, custom: true, inputs: {}, rawInputs: a.inputs });
const prom = () => `http://127.0.0.1:${opts.ports.prometheus}`;
const jaegerApi = () => `http://127.0.0.1:${opts.ports.jaeger}`;
const byName = (name: string) => {
  const c = containers().find((x) => x.name === name);
  if (!c) throw new Error(`no container ${name}`);
  return c;
};
/** A container's address on the stack network, as the host reaches it (the network's bridge is on this host). */
async function stackAddress(c: AppliedResource): Promise<string> {
  const ip = (await engine!.docker.getContainer(c.id).inspect()).NetworkSettings.Networks?.["dev-monitoring"]?.IPAddress;
  if (!ip) throw new Error(`${c.name} has no address on dev-monitoring`);
  return ip;
}
/** Scrape jobs whose target is a STAND-IN that serves no /metrics (Loki's: an OTLP receiver on Loki's port). */
const NO_METRICS_STAND_INS = ["loki"];

type OtlpAttr = { key: string; value: { stringValue?: string } };
interface CapturedLog {
  readonly resource: Record<string, string | undefined>;
  readonly attributes: Record<string, string | undefined>;
  readonly body: string;
  readonly timeUnixNano: bigint;
}
const attrMap = (attrs: OtlpAttr[] | undefined) => Object.fromEntries((attrs ?? []).map((a) => [a.key, a.value.stringValue]));
/** The log records the Loki STAND-IN wrote (one OTLP export request per line, as its collector's file exporter writes). */
async function capturedLogs(): Promise<CapturedLog[]> {
  const r = await execIn(engine!.docker, byName("dev-loki").id, ["cat", LOKI_STAND_IN_CAPTURE]);
  if (r.code !== 0) return [];
  return r.stdout.split("\n").filter(Boolean).flatMap((line) => {
    const doc = JSON.parse(line) as { resourceLogs?: { resource?: { attributes?: OtlpAttr[] }; scopeLogs?: { logRecords?: { attributes?: OtlpAttr[]; body?: { stringValue?: string }; timeUnixNano?: string }[] }[] }[] };
    return (doc.resourceLogs ?? []).flatMap((rl) =>
      (rl.scopeLogs ?? []).flatMap((sl) =>
        (sl.logRecords ?? []).map((rec) => ({ resource: attrMap(rl.resource?.attributes), attributes: attrMap(rec.attributes), body: rec.body?.stringValue ?? "", timeUnixNano: BigInt(rec.timeUnixNano ?? "0") })),
      ),
    );
  });
}
/** The span the traces test sends through the collector (its span metrics are looked for later in Prometheus). */
let sentSpan: { traceId: string; service: string; sentAt: number } | undefined;
const am = () => `http://127.0.0.1:${opts.ports.alertmanager}`;

interface Target {
  labels: Record<string, string>;
  scrapeUrl: string;
  health: string;
  lastError: string;
}
interface RuleGroup {
  name: string;
  file: string;
  rules: { name: string; health: string; lastError?: string }[];
}

const targets = async () => (await getJson<{ data: { activeTargets: Target[] } }>(`${prom()}/api/v1/targets`)).data.activeTargets;
const ruleGroups = async () => (await getJson<{ data: { groups: RuleGroup[] } }>(`${prom()}/api/v1/rules`)).data.groups;
/** Rule groups the uploaded rule files define, by file basename. */
function uploadedGroups(): string[] {
  const p = containers().find((c) => c.name.endsWith("-prometheus"));
  if (!p) throw new Error("no prometheus container");
  return planOf(p)
    .uploads.filter((u) => /\/rules\/[^/]+\.ya?ml$/.test(u.file))
    .flatMap((u) => ((parse(u.content.toString("utf8")) as { groups?: { name: string }[] }).groups ?? []).map((g) => `${u.file.split("/").pop()}:${g.name}`))
    .sort();
}

beforeAll(async () => {
  try {
    engine = await startEngine();
    report.push(`dockerd ${engine.subnet} up in ${engine.startSeconds.toFixed(1)}s`);
    const tImages = Date.now();
    images = await ensureImages(engine.docker);
    report.push(`images (${seconds(tImages)}s):`);
    for (const i of images) {
      const what = i.standIn ? `STAND-IN (not the real program; unproven: ${i.standIn})` : `built from ${i.builtFrom ?? "?"}`;
      report.push(`  ${i.source.padEnd(5)} ${i.seconds.toFixed(1).padStart(5)}s ${i.name}  ${what}`);
    }

    const [p, a, g, hook, node, j] = await freePorts(6);
    opts = {
      ports: { prometheus: p!, alertmanager: a!, grafana: g!, jaeger: j! },
      subnet: engine.subnet,
      dataRoot: engine.dataRoot,
      nodeExporterPort: node!,
      slackUrl: `http://host.docker.internal:${hook}/slack`,
      postgresPassword: randomBytes(12).toString("hex"),
      canaryRule: false,
    };
    first = await synthVariant(opts);
    if (missingCaps.length > 0) {
      excluded = dockerResources(first.resources).filter((r) => r.type === CONTAINER && r.rawInputs.privileged === true);
      report.push(`NOT APPLIED (privileged; this engine cannot grant capabilities ${missingCaps.join(", ")}): ${excluded.map((r) => r.rawInputs.name).join(", ")}`);
    }
    // The services of Pulumi.dev.yaml live on the Docker host; stand-ins answer on the ports the stack scrapes.
    const services = (first.stackConfig.services ?? []) as { targets: string[] }[];
    const servicePorts = services.flatMap((s) => s.targets.map((t) => Number(t.split(":").pop())));
    const tApply = Date.now();
    // The gateway address exists once the stack network does: create it first (the full apply keeps it), start
    // the stand-ins on it, then apply everything.
    const network = await apply(engine.docker, [], first.resources.filter((r) => r.type === NETWORK));
    standIns = await startStandIns(engine.gatewayIp, servicePorts, hook!);
    applied = await apply(engine.docker, network.state, applicable(first.resources));
    expect(applied.steps.filter((s) => s.type === NETWORK).map((s) => s.op)).toEqual(["same"]);
    state = applied.state;
    report.push(`apply: ${applicable(dockerResources(first.resources)).length} resources, all containers up in ${seconds(tApply)}s`);
  } catch (e) {
    if (engine) console.error(`dockerd log (tail):\n${engine.log().slice(-3000)}`);
    throw e;
  }
});

afterAll(async () => {
  await standIns?.close();
  await engine?.stop();
  report.push(`total ${seconds(t0)}s`);
  console.log(`\n── Docker dev stack report ──\n${report.join("\n")}\n`);
});

describe("the dev stack on a real Docker engine", () => {
  it("creates every Docker resource the program asks for: one network, the volumes, one container per workload", async () => {
    const wanted = applicable(dockerResources(first.resources));
    expect(wanted.filter((r) => r.type === NETWORK)).toHaveLength(1);
    expect(state.map((s) => `${s.type}::${s.urnName}`).sort()).toEqual(wanted.map((r) => `${r.type}::${r.name}`).sort());
    const net = await engine!.docker.getNetwork(state.find((s) => s.type === NETWORK)!.id).inspect();
    // host-gateway (host.docker.internal) is this network's gateway: an address of this host, nothing beyond it.
    expect(net.IPAM?.Config?.[0]?.Gateway).toBe(engine!.gatewayIp);
    for (const v of state.filter((s) => s.type === VOLUME)) expect((await engine!.docker.getVolume(v.name).inspect()).Name).toBe(v.name);
    report.push(`containers: ${containers().length} (${containers().map((c) => c.name).sort().join(", ")})`);
  });

  it.runIf(missingCaps.length > 0)("leaves out only privileged containers, which this engine cannot start for lack of capabilities", async () => {
    expect(excluded.map((r) => r.rawInputs.name)).toEqual(["dev-cadvisor"]);
    for (const r of excluded) {
      await expect(apply(engine!.docker, state, [...applicable(first.resources), r])).rejects.toThrow(/unable to apply caps/);
      await engine!.docker.getContainer(String(r.rawInputs.name)).remove({ force: true, v: true });
    }
  });

  it("runs every container, healthy where it has a healthcheck (Grafana's is a STAND-IN's)", async () => {
    const lines: string[] = [];
    for (const c of containers()) {
      const info = await engine!.docker.getContainer(c.id).inspect();
      expect(info.State.Running, c.name).toBe(true);
      expect(info.RestartCount, `${c.name} restarted`).toBe(0);
      if (info.Config.Healthcheck?.Test) {
        expect(info.State.Health?.Status, c.name).toBe("healthy");
        lines.push(`  ${c.name}: healthy after ${c.healthySeconds?.toFixed(1)}s`);
      } else if (c.name !== "dev-otel-collector") {
        lines.push(`  ${c.name}: running (no healthcheck: image has no shell/wget)`);
      }
    }
    // The collector's image is FROM scratch (no Docker healthcheck): its health_check extension, from the host, at
    // its address on the stack network.
    const col = byName("dev-otel-collector");
    const health = await fetch(`http://${await stackAddress(col)}:13133/`);
    expect(health.status, "the collector's health_check").toBe(200);
    lines.push(`  ${col.name}: running (no Docker healthcheck: FROM scratch); its health_check answers 200 "${((await health.json()) as { status?: string }).status ?? "?"}" from the host`);
    report.push("time to healthy:", ...lines.sort());
  });

  it("runs each container as its image's user with the limits and hardening the driver sets", async () => {
    for (const c of containers()) {
      const plan = planOf(c);
      const info = await engine!.docker.getContainer(c.id).inspect();
      expect(info.Config.User, c.name).toBe(plan.create.User);
      expect(info.HostConfig.Memory, c.name).toBe(plan.create.HostConfig?.Memory);
      expect(info.HostConfig.NanoCpus, c.name).toBe(plan.create.HostConfig?.NanoCpus);
      expect(info.HostConfig.RestartPolicy?.Name, c.name).toBe("unless-stopped");
      expect(info.HostConfig.SecurityOpt, c.name).toContain("no-new-privileges:true");
      expect(info.Config.Labels?.[CONFIG_HASH_LABEL], c.name).toMatch(/^[0-9a-f]{16}$/);
      // The workload's own process, read from the host's /proc (also for images without a shell: redis_exporter,
      // the collector): the planned user, and the capabilities the driver dropped gone from its bounding set.
      const proc = processCreds(info.State.Pid);
      expect(String(proc.uid), `${c.name} process uid`).toBe(String(plan.create.User).split(":")[0]);
      if (!info.HostConfig.Privileged) {
        expect(plan.create.HostConfig?.CapAdd ?? [], c.name).toEqual([]);
        expect(proc.capBnd, `${c.name} CapBnd`).toBe(0n);
        expect(proc.capEff, `${c.name} CapEff`).toBe(0n);
      }
    }
    // The side-cars: root with CAP_CHOWN (bit 0) alone, no network, and they stay up holding the files.
    for (const s of sidecars()) {
      const info = await engine!.docker.getContainer(s.id).inspect();
      expect(info.HostConfig.NetworkMode, s.name).toBe("none");
      expect(info.HostConfig.CapAdd, s.name).toEqual(["CHOWN"]);
      const status = (await execIn(engine!.docker, s.id, ["cat", "/proc/self/status"])).stdout;
      expect(BigInt(`0x${/CapBnd:\s*([0-9a-f]+)/.exec(status)?.[1] ?? ""}`), `${s.name} CapBnd`).toBe(1n);
      expect(info.State.Health?.Status, s.name).toBe("healthy");
    }
    expect(sidecars().length).toBeGreaterThanOrEqual(2);
  });

  it("uploads every file, readable by the container's user with the content the program rendered", async () => {
    let checked = 0;
    for (const c of containers()) {
      const plan = planOf(c);
      const hasShell = (await execIn(engine!.docker, c.id, ["cat", "/proc/self/status"])).code === 0;
      if (!hasShell) {
        // FROM scratch (the collector): through its process's root from the host, the access its user has by the
        // modes and owners of the file and every directory above it.
        const proc = processCreds((await engine!.docker.getContainer(c.id).inspect()).State.Pid);
        for (const u of plan.uploads) {
          const access = mayAccess(proc, u.file, "r");
          expect(access.ok, `${c.name}: ${access.why}`).toBe(true);
          expect(createHash("sha256").update(readFileSync(inContainer(proc.pid, u.file))).digest("hex"), `${c.name}: ${u.file} content`).toBe(createHash("sha256").update(u.content).digest("hex"));
          checked++;
        }
        continue;
      }
      for (const u of plan.uploads) {
        const r = await execIn(engine!.docker, c.id, ["cat", u.file]);
        expect(r.code, `${c.name}: ${u.file} readable by user ${plan.create.User}: ${r.stderr}`).toBe(0);
        expect(createHash("sha256").update(r.stdout).digest("hex"), `${c.name}: ${u.file} content`).toBe(createHash("sha256").update(u.content).digest("hex"));
        const mode = (await execIn(engine!.docker, c.id, ["stat", "-c", "%a %u", u.file])).stdout.trim();
        expect(mode, `${c.name}: ${u.file} mode/owner`).toBe(`${u.mode.toString(8)} ${u.uid}`);
        checked++;
      }
    }
    report.push(`uploads: ${checked} files readable by their container's user`);
    expect(checked).toBeGreaterThan(10);
  });

  it("hands each workload its secrets only through its side-car: 0400 files of exactly the image user, none in what docker inspect shows", async () => {
    const secretValues = [opts.postgresPassword, opts.slackUrl];
    let checked = 0;
    for (const c of containers()) {
      const plan = planOf(c);
      const files = secretFilesOf(c);
      if (files.length === 0) continue;
      // The workload's own inputs hold no secret: its uploads are config only.
      for (const u of plan.uploads) expect(secretValues.some((v) => u.content.toString("utf8").includes(v)), `${c.name}: ${u.file} holds a secret`).toBe(false);
      const canLook = (await execIn(engine!.docker, c.id, ["cat", "/proc/self/status"])).code === 0;
      for (const f of files) {
        if (!canLook) continue; // redis_exporter's image has no shell or cat
        const r = await execIn(engine!.docker, c.id, ["cat", f.path]);
        expect(r.code, `${c.name}: ${f.path} readable by user ${plan.create.User}: ${r.stderr}`).toBe(0);
        expect(createHash("sha256").update(r.stdout).digest("hex"), `${c.name}: ${f.path} content`).toBe(createHash("sha256").update(f.upload.content).digest("hex"));
        expect((await execIn(engine!.docker, c.id, ["stat", "-c", "%a %u %g", f.path])).stdout.trim(), `${c.name}: ${f.path} mode/owner`).toBe(`400 ${plan.create.User} ${plan.create.User}`);
        expect((await execIn(engine!.docker, c.id, ["stat", "-c", "%a %u", f.path.slice(0, f.path.lastIndexOf("/"))])).stdout.trim(), `${c.name}: secrets dir`).toBe(`500 ${plan.create.User}`);
        checked++;
      }
    }
    // No secret in any container's environment, labels, command or entrypoint.
    for (const c of [...containers(), ...sidecars()]) {
      const info = await engine!.docker.getContainer(c.id).inspect();
      const visible = JSON.stringify({ env: info.Config.Env, labels: info.Config.Labels, cmd: info.Config.Cmd, entrypoint: info.Config.Entrypoint, args: info.Args });
      for (const v of secretValues) expect(visible.includes(v), `${c.name}: docker inspect shows a secret`).toBe(false);
    }
    report.push(`secrets: ${checked} files via ${sidecars().length} side-cars, 0400 and owned by the image user`);
    expect(checked).toBeGreaterThanOrEqual(3);
  });

  it("makes secret files readable by exactly the image user whatever owner the upload's tar header carries", async () => {
    // The provider may write the tar header's owner as asked, as root, or as anything else: re-create Grafana's
    // side-car with uploads owned by root and then by an unrelated uid; each time the workload sees 0400 files of
    // its own user that another uid cannot read.
    const workload = containers().find((c) => c.name === "dev-grafana")!;
    const user = planOf(workload).create.User!;
    const sidecar = sidecars().find((s) => s.urnName === `${workload.urnName}-secrets`)!;
    const lines: string[] = [];
    for (const owner of ["0", "4242"]) {
      const uploads = (sidecar.inputs.uploads as Record<string, unknown>[]).map((u) => ({ ...u, owner, group: owner }));
      const wanted = applicable(state.map((a) => ({ type: a.type, name: a.urnName, parent: undefined, custom: true, inputs: {}, rawInputs: a.type === CONTAINER && a.urnName === sidecar.urnName ? { ...a.inputs, uploads } : a.inputs })));
      const res = await apply(engine!.docker, state, wanted);
      state = res.state;
      expect(res.steps.filter((x) => x.op !== "same").map((x) => `${x.op} ${x.urnName}`)).toEqual([`replace ${sidecar.urnName}`]);
      const now = sidecars().find((s) => s.urnName === sidecar.urnName)!;
      // The side-car itself saw the owner the tar header carried before fixing it (its log-free proof: the upload plan).
      expect(planOf(now).uploads.every((u) => u.uid === Number(owner))).toBe(true);
      for (const f of secretFilesOf(workload)) {
        const st = (await execIn(engine!.docker, workload.id, ["stat", "-c", "%a %u %g", f.path])).stdout.trim();
        expect(st, `${f.path} after a tar owner ${owner}`).toBe(`400 ${user} ${user}`);
        expect((await execIn(engine!.docker, workload.id, ["cat", f.path])).code, `${f.path} readable by ${user}`).toBe(0);
        const other = await execIn(engine!.docker, workload.id, ["cat", f.path], "4242");
        expect(other.code, `${f.path} not readable by uid 4242`).not.toBe(0);
        lines.push(`${f.path.split("/").pop()} (tar owner ${owner}) → 400 ${user}:${user}, uid 4242 denied`);
      }
    }
    // Back to what the program asks for (the side-car is re-created once more; the later drills expect the program's state).
    const restored = await apply(engine!.docker, state, applicable(state.map((a) => ({ type: a.type, name: a.urnName, parent: undefined, custom: true, inputs: {}, rawInputs: a.type === CONTAINER && a.urnName === sidecar.urnName ? sidecar.inputs : a.inputs }))));
    state = restored.state;
    report.push(`secrets whatever the tar owner: ${lines.join("; ")}`);
  });

  it("finds every file a config, flag or environment variable references among the uploads", () => {
    const missing: string[] = [];
    let refs = 0;
    for (const c of containers()) {
      const plan = planOf(c);
      const files = [...plan.uploads.map((u) => u.file), ...secretFilesOf(c).map((f) => f.path)];
      for (const r of referencedPaths(plan)) {
        refs++;
        const ok = r.glob ? files.some((f) => globMatch(r.path, f)) : files.includes(r.path);
        if (!ok) missing.push(`${c.name}: ${r.from} → ${r.path}`);
      }
    }
    expect(missing).toEqual([]);
    expect(refs).toBeGreaterThan(5);
  });

  it("lets each container's user write its volumes (TSDB, Alertmanager, Pushgateway, Jaeger's badger, the collector's offsets, the Grafana and Loki STAND-INS' data)", async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const c of containers()) {
      const plan = planOf(c);
      const volumeMounts = (plan.create.HostConfig?.Binds ?? []).map((b) => b.split(":")).filter(([src, , mode]) => !src!.startsWith("/") && mode !== "ro");
      const hasShell = (await execIn(engine!.docker, c.id, ["sh", "-c", "true"])).code === 0;
      const proc = processCreds((await engine!.docker.getContainer(c.id).inspect()).State.Pid);
      for (const [, path] of volumeMounts) {
        checked++;
        if (!hasShell) {
          // FROM scratch (the collector): its user's access by mode and owner, seen from the host.
          const access = mayAccess(proc, path!, "w");
          if (!access.ok) failures.push(`${c.name}: ${access.why}`);
          continue;
        }
        const probe = `${path}/.moncode-write-probe`;
        const r = await execIn(engine!.docker, c.id, ["sh", "-c", `echo ok > ${probe} && rm ${probe}`]);
        if (r.code !== 0) failures.push(`${c.name}: ${path} not writable by user ${plan.create.User}: ${r.stderr.trim()}`);
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(6);
    // The programs keep their state there: Prometheus's WAL, Jaeger's badger files, the collector's file_log offsets.
    const byName = (n: string) => containers().find((c) => c.name === n)!;
    const stateOf = async (n: string, dir: string) => readdirSync(inContainer((await engine!.docker.getContainer(byName(n).id).inspect()).State.Pid, dir));
    expect(await stateOf("dev-prometheus", "/prometheus"), "Prometheus keeps its WAL on the volume").toContain("wal");
    const jaegerVolume = planOf(byName("dev-jaeger")).create.HostConfig?.Binds?.map((b) => b.split(":")).find(([src]) => src === "dev-jaeger-data")?.[1];
    expect(jaegerVolume, "Jaeger's badger volume").toBeDefined();
    const badger = await stateOf("dev-jaeger", jaegerVolume!);
    expect(badger.length, `badger files under ${jaegerVolume}: ${badger.join(", ")}`).toBeGreaterThan(0);
    const offsets = await stateOf("dev-otel-collector", "/var/lib/otelcol");
    expect(offsets.some((f) => /file_?log/.test(f)), `the collector's file_log offsets on its volume: ${offsets.join(", ") || "(empty)"}`).toBe(true);
  });

  it("publishes ports on 127.0.0.1 only", async () => {
    const published: string[] = [];
    const listeners = (readFileSync("/proc/net/tcp", "utf8") + readFileSync("/proc/net/tcp6", "utf8"))
      .split("\n")
      .map((l) => l.trim().split(/\s+/))
      .filter((f) => f[3] === "0A")
      .map((f) => f[1] ?? "");
    for (const c of containers()) {
      const info = await engine!.docker.getContainer(c.id).inspect();
      for (const [port, bindings] of Object.entries(info.NetworkSettings.Ports ?? {})) {
        for (const b of bindings ?? []) {
          expect(b.HostIp, `${c.name} ${port}`).toBe("127.0.0.1");
          const hex = Number(b.HostPort).toString(16).toUpperCase().padStart(4, "0");
          const on = listeners.filter((l) => l.endsWith(`:${hex}`)).map((l) => l.split(":")[0]);
          expect(on, `${c.name} host port ${b.HostPort} listens on loopback only`).toEqual(["0100007F"]);
          // Not reachable on the host's other addresses (the stack network's gateway here).
          const refused = await new Promise<boolean>((resolve) => {
            const s = connect(Number(b.HostPort), engine!.gatewayIp);
            s.once("connect", () => (s.destroy(), resolve(false)));
            s.once("error", () => resolve(true));
          });
          expect(refused, `${c.name} port ${b.HostPort} on ${engine!.gatewayIp}`).toBe(true);
          published.push(`${c.name} 127.0.0.1:${b.HostPort}→${port}`);
        }
      }
    }
    expect(published.length).toBeGreaterThanOrEqual(3);
    report.push(`published: ${published.join(", ")}`);
  });

  it("keeps containers off any network but their own: no forwarding, no NAT, one bridge network (node-exporter: the host's)", async () => {
    expect(readFileSync("/proc/sys/net/ipv4/ip_forward", "utf8").trim()).toBe("0");
    for (const c of containers()) {
      const info = await engine!.docker.getContainer(c.id).inspect();
      if (c.name === "dev-node-exporter") {
        expect(info.HostConfig.NetworkMode).toBe("host");
        expect(Object.keys(info.NetworkSettings.Networks ?? {})).toEqual(["host"]);
        continue;
      }
      expect(Object.keys(info.NetworkSettings.Networks ?? {}), c.name).toEqual(["dev-monitoring"]);
      const aliases = info.NetworkSettings.Networks?.["dev-monitoring"]?.Aliases ?? [];
      expect(aliases, c.name).toContain(c.name.replace(/^dev-/, ""));
      expect(info.HostConfig.ExtraHosts, c.name).toContain("host.docker.internal:host-gateway");
    }
  });

  it("has Prometheus scrape every target by container name, all up (Grafana and the demo services: STAND-INS; Loki's STAND-IN serves no /metrics)", async () => {
    const notApplied = (t: Target) => excludedAliases().includes(new URL(t.scrapeUrl).hostname);
    // The Loki STAND-IN answers Loki's port with an OTLP receiver only: its job's scrape gets a 404, nothing else.
    const noMetrics = (t: Target) => NO_METRICS_STAND_INS.includes(t.labels.job ?? "");
    const all = await eventually("every Prometheus target up", 90_000, async () => {
      const t = await targets();
      return t.length > 0 && t.every((x) => (notApplied(x) ? x.health === "down" : noMetrics(x) ? x.health === "down" && /404/.test(x.lastError) : x.health === "up")) ? t : undefined;
    }).catch(async (e: unknown) => {
      const t = await targets().catch(() => []);
      throw new Error(`${String(e)}\n${t.filter((x) => x.health !== "up").map((x) => `  ${x.labels.job} ${x.scrapeUrl}: ${x.health} ${x.lastError}`).join("\n")}`);
    });
    expect(all.filter(noMetrics).map((t) => t.labels.job), "the Loki STAND-IN's job is scraped").toEqual(NO_METRICS_STAND_INS);
    const up = all.filter((t) => !notApplied(t) && !noMetrics(t));
    const hosts = new Set(all.map((t) => new URL(t.scrapeUrl).hostname));
    // Every exporter is reached through its network alias, i.e. by container name on the stack network.
    for (const c of containers()) {
      const alias = c.name.replace(/^dev-/, "");
      if (alias === "prometheus") continue;
      // node-exporter is on the host's network: scraped at the stack network's gateway, the host's address on it.
      expect(hosts, `a target on ${alias}`).toContain(alias === "node-exporter" ? engine!.gatewayIp : alias);
    }
    expect(up.every((t) => t.health === "up")).toBe(true);
    const standIn = (t: Target) => ["api", "worker", "grafana", "cadvisor"].includes(t.labels.job ?? "");
    report.push(
      `targets up: ${up.length}/${all.length} (${up.filter((t) => !standIn(t)).length} real exporters/servers, ${up.filter(standIn).length} stand-ins: ${[...new Set(up.filter(standIn).map((t) => t.labels.job))].join(", ")}` +
        `${all.some(notApplied) ? `; down because not applied: ${all.filter(notApplied).map((t) => t.labels.job).join(", ")}` : ""}` +
        `; down because a STAND-IN serves no /metrics: ${all.filter(noMetrics).map((t) => `${t.labels.job} (${t.lastError})`).join(", ")})`,
    );
  });

  it("runs node-exporter in the host's network and PID namespaces, on the gateway address only, the host root rslave", async () => {
    const c = containers().find((x) => x.name === "dev-node-exporter")!;
    const info = await engine!.docker.getContainer(c.id).inspect();
    expect(info.HostConfig.PidMode).toBe("host");
    const port = opts.nodeExporterPort;
    // Listening on exactly one address: the gateway, not 0.0.0.0 or loopback.
    const hex = port.toString(16).toUpperCase().padStart(4, "0");
    const gwHex = engine!.gatewayIp.split(".").map((o) => Number(o).toString(16).toUpperCase().padStart(2, "0")).reverse().join("");
    const listeners = (readFileSync("/proc/net/tcp", "utf8") + readFileSync("/proc/net/tcp6", "utf8"))
      .split("\n")
      .map((l) => l.trim().split(/\s+/))
      .filter((f) => f[3] === "0A" && f[1]?.endsWith(`:${hex}`))
      .map((f) => f[1]!.split(":")[0]);
    expect(listeners).toEqual([gwHex]);
    const refused = await new Promise<boolean>((resolve) => {
      const s = connect(port, "127.0.0.1");
      s.once("connect", () => (s.destroy(), resolve(false)));
      s.once("error", () => resolve(true));
    });
    expect(refused, `127.0.0.1:${port} is closed`).toBe(true);
    // node_network_* describe the host's interfaces: the stack network's bridge exists only in the host's namespace.
    const q = await getJson<{ data: { result: { metric: Record<string, string> }[] } }>(`${prom()}/api/v1/query?query=${encodeURIComponent('node_network_up{job="node"}')}`);
    const devices = q.data.result.map((r) => r.metric.device ?? "");
    const netId = state.find((s) => s.type === NETWORK)!.id;
    const bridge = readdirSync("/sys/class/net").find((d) => d === `br-${netId.slice(0, 12)}`);
    expect(bridge, "the stack network's bridge on this host").toBeDefined();
    expect(devices).toContain(bridge);
    // The host's root at /host, read-only, as a slave mount of the host's (propagation rslave: a `master:` tag).
    const mountinfo = (await execIn(engine!.docker, c.id, ["cat", "/proc/self/mountinfo"])).stdout.split("\n").find((l) => l.split(" ")[4] === "/host");
    expect(mountinfo, "/host in node-exporter's mountinfo").toBeDefined();
    expect(mountinfo).toMatch(/ master:\d+/);
    expect(mountinfo!.split(" ")[5]).toMatch(/^ro\b/);
    // Its process table is the host's: this test's own PID is visible.
    expect((await execIn(engine!.docker, c.id, ["test", "-d", `/proc/${process.pid}`])).code).toBe(0);
    report.push(`node-exporter: host network+PID, listening on ${engine!.gatewayIp}:${port} only, sees ${devices.length} host interfaces (incl. ${bridge}), /host ro rslave`);
  });

  it("runs the pinned releases: each program reports the version its image tag names", async () => {
    const release = (image: string) => imageTag(image).replace(/^v/, "");
    const build = await getJson<{ data: { version: string } }>(`${prom()}/api/v1/status/buildinfo`);
    expect(build.data.version).toBe(release(IMAGES.prometheus));
    const status = await getJson<{ versionInfo: { version: string } }>(`${am()}/api/v2/status`);
    expect(status.versionInfo.version).toBe(release(IMAGES.alertmanager));
    const q = encodeURIComponent('group by (__name__, version) ({__name__=~"(node_exporter|blackbox_exporter|pushgateway|postgres_exporter|redis_exporter)_build_info"})');
    const res = await getJson<{ data: { result: { metric: Record<string, string> }[] } }>(`${prom()}/api/v1/query?query=${q}`);
    const seen = Object.fromEntries(res.data.result.map((r) => [r.metric.__name__, r.metric.version?.replace(/^v/, "")]));
    expect(seen).toEqual({
      node_exporter_build_info: release(IMAGES.nodeExporter),
      blackbox_exporter_build_info: release(IMAGES.blackboxExporter),
      pushgateway_build_info: release(IMAGES.pushgateway),
      postgres_exporter_build_info: release(IMAGES.postgresExporter),
      redis_exporter_build_info: release(IMAGES.redisExporter),
    });
    // Jaeger v2 and the collector report their release on their own metrics' target_info.
    const info = await getJson<{ data: { result: { metric: Record<string, string> }[] } }>(`${prom()}/api/v1/query?query=${encodeURIComponent('target_info{job=~"jaeger|otel-collector"}')}`);
    // Prometheus 3 scrapes with UTF-8 names allowed, so the OTel exporter keeps the dotted `service.version`.
    const telemetry = Object.fromEntries(info.data.result.map((r) => [r.metric.job, (r.metric["service.version"] ?? r.metric.service_version)?.replace(/^v/, "")]));
    expect(telemetry, JSON.stringify(info.data.result.map((r) => r.metric))).toEqual({ jaeger: release(TELEMETRY_IMAGES.jaeger), "otel-collector": release(TELEMETRY_IMAGES.otelCollector) });
    report.push(
      `versions: prometheus ${build.data.version}, alertmanager ${status.versionInfo.version}, ${Object.entries(seen).map(([k, v]) => `${k.replace(/_build_info$/, "")} ${v}`).join(", ")}, ` +
        `jaeger ${telemetry.jaeger}, otel-collector ${telemetry["otel-collector"]}`,
    );
  });

  it("has the collector read container logs by name: Prometheus's own log line reaches the Loki STAND-IN with container.name and service.name", async () => {
    const tLogs = Date.now();
    const p = byName("dev-prometheus");
    const since = BigInt(tLogs - 1000) * 1_000_000n;
    // Prometheus writes these lines itself on a reload (`--web.enable-lifecycle`), to stdout → the engine's json-file.
    const reload = await fetch(`${prom()}/-/reload`, { method: "POST" });
    expect(reload.status).toBe(200);
    const line = await eventually("Prometheus's reload log line at the Loki stand-in", 60_000, async () =>
      (await capturedLogs()).find((r) => r.resource["container.id"] === p.id && r.timeUnixNano >= since && r.body.includes("Completed loading of configuration file")),
    ).catch(async (e: unknown) => {
      const col = await engine!.docker.getContainer(byName("dev-otel-collector").id).logs({ stdout: true, stderr: true, tail: 30 });
      throw new Error(`${String(e)}\ncollector log (tail):\n${col.toString("utf8")}`);
    });
    const arrived = seconds(tLogs);
    // Named by the engine's own tag (`--log-opt tag={{.Name}}`, json-file attrs.tag), the id from the file's path.
    expect(line.resource["container.name"]).toBe("dev-prometheus");
    expect(line.resource["service.name"]).toBe("dev-prometheus");
    expect(line.resource["deployment.environment.name"]).toBe("dev");
    expect(line.attributes["log.file.path"]).toBe(`/var/lib/docker/containers/${p.id}/${p.id}-json.log`);
    expect(line.attributes).not.toHaveProperty("attrs");
    // Every record read from a workload's file carries that container's own name (the side-cars set no tag).
    const all = await capturedLogs();
    const fromFiles = all.filter((r) => r.resource["container.id"] !== undefined);
    const names = new Map((await engine!.docker.listContainers({ all: true })).map((c) => [c.Id, (c.Names[0] ?? "").replace(/^\//, "")]));
    const misnamed = fromFiles.filter((r) => containers().some((c) => c.id === r.resource["container.id"]) && r.resource["container.name"] !== names.get(r.resource["container.id"]!));
    expect(misnamed.map((r) => `${r.resource["container.id"]?.slice(0, 12)} as ${r.resource["container.name"]}`)).toEqual([]);
    const seen = [...new Set(fromFiles.map((r) => r.resource["container.name"]).filter((n): n is string => n !== undefined))].sort();
    expect(seen.length, `containers seen by name: ${seen.join(", ")}`).toBeGreaterThanOrEqual(2);
    report.push(
      `logs by name: Prometheus's reload line in the Loki STAND-IN's capture ${arrived}s after the reload (container.name = service.name = dev-prometheus, id from the path); ` +
        `${fromFiles.length} container log records so far, from ${seen.length} containers by name (${seen.map((n) => n.replace(/^dev-/, "")).join(", ")})`,
    );
  });

  it("takes an OTLP/HTTP span at the collector's address on the stack network and serves it by trace id from Jaeger's query API", async () => {
    const tTrace = Date.now();
    const traceId = randomBytes(16).toString("hex");
    const service = "moncode-docker-proof";
    const end = BigInt(Date.now()) * 1_000_000n;
    const body = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: "service.name", value: { stringValue: service } }] },
          scopeSpans: [
            {
              scope: { name: "moncode-docker-test" },
              spans: [{ traceId, spanId: randomBytes(8).toString("hex"), name: "GET /proof", kind: 2, startTimeUnixNano: String(end - 12_000_000n), endTimeUnixNano: String(end), attributes: [{ key: "http.route", value: { stringValue: "/proof" } }] }],
            },
          ],
        },
      ],
    };
    const sent = await fetch(`http://${await stackAddress(byName("dev-otel-collector"))}:4318/v1/traces`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    expect(sent.status).toBe(200);
    sentSpan = { traceId, service, sentAt: Date.now() };
    type JaegerTrace = { traceID: string; spans: { operationName: string; processID: string; tags: { key: string; value: unknown }[] }[]; processes: Record<string, { serviceName: string; tags: { key: string; type: string; value: unknown }[] }> };
    const trace = await eventually(`trace ${traceId} in Jaeger`, 60_000, async () => {
      const r = await fetch(`${jaegerApi()}/api/traces/${traceId}`);
      return r.status === 200 ? ((await r.json()) as { data: JaegerTrace[] }).data[0] : undefined;
    });
    expect(trace.traceID).toBe(traceId);
    const span = trace.spans[0]!;
    expect(span.operationName).toBe("GET /proof");
    expect(span.tags).toContainEqual(expect.objectContaining({ key: "http.route", value: "/proof" }));
    expect(trace.processes[span.processID]?.serviceName).toBe(service);
    // The agent's resource processor ran on the way.
    expect(trace.processes[span.processID]?.tags).toContainEqual({ key: "deployment.environment.name", type: "string", value: "dev" });
    report.push(`trace: OTLP/HTTP span → collector (${await stackAddress(byName("dev-otel-collector"))}:4318) → Jaeger, served by id on the published 127.0.0.1:${opts.ports.jaeger} in ${seconds(tTrace)}s (service ${service}, badger on its volume)`);
  });

  it("has Prometheus load every rule group of every uploaded rule file", async () => {
    const expected = uploadedGroups();
    expect(expected.length).toBeGreaterThan(5);
    const loaded = await eventually("rule groups loaded", 30_000, async () => {
      const g = await ruleGroups();
      return g.length >= expected.length ? g : undefined;
    });
    expect(loaded.map((g) => `${g.file.split("/").pop()}:${g.name}`).sort()).toEqual(expected);
    report.push(`rule groups loaded: ${loaded.length}, rules: ${loaded.reduce((n, g) => n + g.rules.length, 0)}`);
  });

  it("has the dev stack's own PostgresDown and RedisDown select its exporters' series (no database runs here, so both must hold)", async () => {
    const rules = (await ruleGroups()).flatMap((g) => g.rules) as { name: string; query?: string }[];
    const silent: string[] = [];
    for (const name of ["PostgresDown", "RedisDown"]) {
      const rule = rules.find((r) => r.name === name);
      expect(rule?.query, `${name} is loaded`).toBeDefined();
      const res = await getJson<{ data: { result: unknown[] } }>(`${prom()}/api/v1/query?query=${encodeURIComponent(rule!.query!)}`);
      if (res.data.result.length === 0) silent.push(`${name}: \`${rule!.query}\` selects nothing`);
    }
    const jobs = [...new Set((await targets()).map((t) => t.labels.job))].filter((j) => /^(postgres|redis)/.test(j ?? ""));
    expect(silent, `exporter jobs on the running stack: ${jobs.join(", ")}`).toEqual([]);
  });

  it(`routes ${E2E_ALERT} for a stopped service from Prometheus through Alertmanager's container to the webhook`, async () => {
    const tAlert = Date.now();
    const port = Number(((first.stackConfig.services ?? []) as { name: string; targets: string[] }[]).find((s) => s.name === E2E_JOB)?.targets[0]?.split(":").pop());
    await standIns!.stop(port);
    const isIt = (l: Record<string, string>) => l.alertname === E2E_ALERT && l.job === E2E_JOB;
    const inAm = await eventually(`${E2E_ALERT}{job="${E2E_JOB}"} in Alertmanager`, 90_000, async () => {
      const alerts = await getJson<{ labels: Record<string, string>; receivers: { name: string }[]; status: { state: string } }[]>(`${am()}/api/v2/alerts`);
      return alerts.find((a) => isIt(a.labels) && a.status.state === "active");
    }).catch(async (e: unknown) => {
      const inProm = await getJson<{ data: unknown }>(`${prom()}/api/v1/alerts`).catch((x: unknown) => String(x));
      const ams = await getJson<{ data: unknown }>(`${prom()}/api/v1/alertmanagers`).catch((x: unknown) => String(x));
      throw new Error(`${String(e)}\nPrometheus alerts: ${JSON.stringify(inProm).slice(0, 1500)}\nalertmanagers: ${JSON.stringify(ams)}`);
    });
    expect(inAm.receivers.map((r) => r.name)).toEqual(["dev"]);
    const call = await eventually(`${E2E_ALERT} at the webhook`, 90_000, async () =>
      standIns!.webhook.calls.find((c) => JSON.stringify(c.body).includes(E2E_ALERT) && JSON.stringify(c.body).includes(E2E_JOB)),
    ).catch(async (e: unknown) => {
      const amContainer = containers().find((c) => c.name.endsWith("-alertmanager"));
      const logs = amContainer ? (await engine!.docker.getContainer(amContainer.id).logs({ stdout: true, stderr: true, tail: 40 })).toString("utf8") : "";
      throw new Error(`${String(e)}\nwebhook calls: ${standIns!.webhook.calls.length}\nalertmanager log (tail):\n${logs}`);
    });
    expect(call.path).toBe("/slack");
    expect(call.body.channel).toBe(E2E_CHANNEL);
    report.push(`alert ${E2E_ALERT}{job="${E2E_JOB}"}: stand-in stopped → in Alertmanager → Slack webhook in ${seconds(tAlert)}s`);
  });

  it("has the collector's span metrics for that span in Prometheus under the names the shipped rules and Traces dashboard read", async () => {
    expect(sentSpan, "the traces test sent a span").toBeDefined();
    const { service, sentAt } = sentSpan!;
    const q = encodeURIComponent(`{__name__=~"traces_span_metrics_.+", service_name="${service}"}`);
    const series = await eventually(`span metrics of ${service} in Prometheus`, 90_000, async () => {
      const r = await getJson<{ data: { result: { metric: Record<string, string> }[] } }>(`${prom()}/api/v1/query?query=${q}`);
      const names = new Set(r.data.result.map((x) => x.metric.__name__));
      return names.has("traces_span_metrics_calls_total") && names.has("traces_span_metrics_duration_milliseconds_bucket") ? r.data.result : undefined;
    });
    const calls = series.find((x) => x.metric.__name__ === "traces_span_metrics_calls_total")!;
    expect(calls.metric).toMatchObject({ span_name: "GET /proof", http_route: "/proof" });
    report.push(`span metrics: traces_span_metrics_calls_total and …_duration_milliseconds_bucket{service_name="${service}"} in Prometheus (OTLP receiver) ${((Date.now() - sentAt) / 1000).toFixed(1)}s after the span was sent`);
  });

  it("drill 1: a silence survives a config-change replacement of Alertmanager, and a firing alert is not re-notified", async () => {
    const t0 = Date.now();
    type AmAlert = { labels: Record<string, string>; status: { state: string } };
    const amAlerts = () => getJson<AmAlert[]>(`${am()}/api/v2/alerts`);
    // The firing, not inhibited alerts already notified (TargetDown of the worker may be inhibited by its ServiceDown by now).
    const notifiedAlert = (a: AmAlert) => (c: { body: unknown }) => JSON.stringify(c.body).includes(a.labels.alertname!) && JSON.stringify(c.body).includes(a.labels.job ?? "");
    const firingNotified = (await amAlerts()).filter((a) => a.status.state === "active" && a.labels.alertname !== "PostgresDown" && standIns!.webhook.calls.some(notifiedAlert(a)));
    expect(firingNotified.length, "firing alerts already notified before the drill").toBeGreaterThan(0);
    const key = (a: AmAlert) => `${a.labels.alertname}{job="${a.labels.job ?? ""}"}`;
    const callsBefore = standIns!.webhook.calls.length;
    // A silence through Alertmanager's API, as an operator sets one.
    const endsAt = new Date(Date.now() + 3_600_000).toISOString();
    const created = await fetch(`${am()}/api/v2/silences`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ matchers: [{ name: "alertname", value: "PostgresDown", isRegex: false, isEqual: true }], startsAt: new Date().toISOString(), endsAt, createdBy: "drill-1", comment: "maintenance" }),
    });
    expect(created.status).toBe(200);
    const { silenceID } = (await created.json()) as { silenceID: string };
    const oldAm = containers().find((c) => c.name.endsWith("-alertmanager"))!;
    // Only Alertmanager's config changes (the SMTP sender): the provider replaces its container, nothing else.
    opts = { ...opts, smtpFrom: "alertmanager-drill@dev.example.com" };
    const changed = await synthVariant(opts);
    const tApply = Date.now();
    const res = await apply(engine!.docker, state, applicable(changed.resources));
    state = res.state;
    const replaced = res.steps.filter((x) => x.op !== "same");
    expect(replaced.map((x) => `${x.op} ${x.urnName}`)).toEqual([`replace ${oldAm.urnName}`]);
    const stop = res.stops.find((x) => x.name === oldAm.name)!;
    expect({ exit: stop.exitCode, inGrace: stop.stopSeconds < stop.graceSeconds }).toEqual({ exit: 0, inGrace: true });
    const applySeconds = (Date.now() - tApply) / 1000;
    const newAm = containers().find((c) => c.name.endsWith("-alertmanager"))!;
    expect(newAm.id).not.toBe(oldAm.id);
    const silences = await getJson<{ id: string; status: { state: string }; createdBy: string }[]>(`${am()}/api/v2/silences`);
    expect(silences.find((s) => s.id === silenceID), "the silence after the replacement").toMatchObject({ status: { state: "active" }, createdBy: "drill-1" });
    // Prometheus re-sends its firing alerts (every minute); the new Alertmanager, restored from the notification
    // log, must not notify the group again. Watched for longer than group_wait (30s) plus Prometheus's resend (1m).
    await eventually(`${firingNotified.map(key).join(", ")} back in the new Alertmanager`, 120_000, async () => {
      const now = await amAlerts();
      return firingNotified.every((f) => now.some((a) => key(a) === key(f))) ? true : undefined;
    });
    const tBack = Date.now();
    await new Promise((r) => setTimeout(r, 45_000));
    const after = standIns!.webhook.calls.slice(callsBefore);
    // Alertmanager notifies a group again by design when an alert joins it (its firing set is no longer a subset
    // of the one in the notification log): e.g. the stopped worker's ServiceDown, which fires during the drill and
    // shares its group with the STAND-INS' (cadvisor, loki). Such a call carries an alert that was not firing and
    // notified before the drill; one per group is expected, any other call about the notified alerts is a
    // re-notification.
    const newcomers = (await amAlerts()).filter((a) => a.status.state === "active" && !firingNotified.some((f) => key(f) === key(a)));
    const title = (c: { body: Record<string, unknown> }) => String((c.body.attachments as { title?: string }[] | undefined)?.[0]?.title ?? "");
    const updates = after.filter((c) => newcomers.some((n) => notifiedAlert(n)(c)));
    const updatesPerGroup = updates.reduce<Record<string, number>>((m, c) => ({ ...m, [title(c)]: (m[title(c)] ?? 0) + 1 }), {});
    const renotified = Object.fromEntries(firingNotified.map((a) => [key(a), after.filter((c) => notifiedAlert(a)(c) && !updates.includes(c)).length]));
    const callLog = () =>
      standIns!.webhook.calls
        .map((c) => `  ${((c.at - t0) / 1000).toFixed(1)}s ${JSON.stringify((c.body.attachments as { title?: string; text?: string }[] | undefined)?.map((x) => `${x.title} | ${x.text}`) ?? c.body).slice(0, 400)}`)
        .join("\n");
    expect(renotified, `notifications of the firing alerts after the replacement (apply began ${((tApply - t0) / 1000).toFixed(1)}s after the drill started; webhook calls, seconds from the drill's start):\n${callLog()}`).toEqual(Object.fromEntries(firingNotified.map((a) => [key(a), 0])));
    expect(Object.values(updatesPerGroup).every((n) => n === 1), `group updates for new alerts, per group: ${JSON.stringify(updatesPerGroup)}\n${callLog()}`).toBe(true);
    report.push(
      `drill 1 (Alertmanager replaced for a config change): stop ${stop.stopSeconds.toFixed(1)}s (exit 0, grace ${stop.graceSeconds}s), apply ${applySeconds.toFixed(1)}s; ` +
        `silence ${silenceID.slice(0, 8)} active after it; ${firingNotified.map(key).join(", ")} back in Alertmanager ${((tBack - tApply) / 1000).toFixed(1)}s after the apply began, 0 re-notifications in the ${((Date.now() - tBack) / 1000).toFixed(0)}s after (group_wait 30s)` +
        `${updates.length > 0 ? `, ${updates.length} group update(s) for alerts new since the drill began (${newcomers.map(key).join(", ")})` : ""}; drill ${seconds(t0)}s`,
    );
  });

  it("replaces Prometheus when a new rule changes its config hash, keeps its TSDB, and the new rule is live", async () => {
    const before = Date.now() / 1000;
    const oldProm = containers().find((c) => c.name.endsWith("-prometheus"))!;
    const oldHash = (await engine!.docker.getContainer(oldProm.id).inspect()).Config.Labels?.[CONFIG_HASH_LABEL];
    const second = await synthVariant({ ...opts, canaryRule: true });
    const previous = state;
    const tReplace = Date.now();
    const res = await apply(engine!.docker, state, applicable(second.resources));
    state = res.state;
    const changed = res.steps.filter((s) => s.op !== "same");
    // Only containers whose rendered config changed are replaced (the KPI also feeds a Grafana dashboard); the
    // network and the volumes stay.
    expect(changed.every((s) => s.op === "replace" && s.type === CONTAINER), JSON.stringify(changed)).toBe(true);
    expect(changed.map((s) => s.urnName)).toContain(oldProm.urnName);
    for (const s of changed) {
      expect(s.changed, s.urnName).toEqual(expect.arrayContaining(["labels", "uploads"]));
      const before = previous.find((p) => p.urnName === s.urnName)!;
      const after = containers().find((c) => c.urnName === s.urnName)!;
      const label = (a: AppliedResource) => (a.inputs.labels as { label: string; value: string }[]).find((l) => l.label === CONFIG_HASH_LABEL)?.value;
      expect(label(after), `${s.urnName} config hash`).not.toBe(label(before));
    }
    const newProm = containers().find((c) => c.name.endsWith("-prometheus"))!;
    expect(newProm.id).not.toBe(oldProm.id);
    const newHash = (await engine!.docker.getContainer(newProm.id).inspect()).Config.Labels?.[CONFIG_HASH_LABEL];
    expect(newHash).not.toBe(oldHash);
    const groups = await eventually("the new rule loaded", 60_000, async () => {
      const g = await ruleGroups();
      return g.some((x) => x.rules.some((r) => r.name === CANARY_ALERT)) ? g : undefined;
    });
    expect(groups.map((g) => `${g.file.split("/").pop()}:${g.name}`).sort()).toEqual(uploadedGroups());
    // The replaced container reopened the same volume: samples from before the replacement are still there.
    const q = await getJson<{ data: { result: unknown[] } }>(`${prom()}/api/v1/query?query=${encodeURIComponent('up{job="prometheus"}')}&time=${before - 5}`);
    expect(q.data.result.length, "TSDB samples from before the replacement").toBeGreaterThan(0);
    // The old Prometheus was stopped as the provider stops it: SIGTERM with its grace, and it shut down cleanly
    // (exit 0, well within the grace) instead of being killed.
    const stop = res.stops.find((x) => x.name === oldProm.name);
    expect(stop, "the old Prometheus was stopped").toBeDefined();
    expect(stop!.graceSeconds).toBe(oldProm.inputs.destroyGraceSeconds);
    expect(stop!.exitCode, "Prometheus exit code after SIGTERM").toBe(0);
    expect(stop!.stopSeconds).toBeLessThan(stop!.graceSeconds);
    // The new one found a cleanly closed TSDB: no WAL corruption repaired on start.
    const walRepairs = await getJson<{ data: { result: { value: [number, string] }[] } }>(`${prom()}/api/v1/query?query=${encodeURIComponent("prometheus_tsdb_wal_corruptions_total")}`);
    expect(walRepairs.data.result.map((r) => r.value[1])).toEqual(["0"]);
    report.push(
      `config change (+1 rule): replaced ${changed.map((s) => s.urnName).join(", ")}; Prometheus hash ${oldHash} → ${newHash}, serving ${CANARY_ALERT} ${seconds(tReplace)}s after apply started; TSDB kept`,
      `graceful stops: ${res.stops.map((x) => `${x.name} exit ${x.exitCode} in ${x.stopSeconds.toFixed(1)}s (grace ${x.graceSeconds}s)`).join(", ")}`,
    );
  });

  it("updates memory in place (same container, new limit) and only stores a stored-only change, as the provider does", async () => {
    const prom0 = containers().find((c) => c.name.endsWith("-prometheus"))!;
    const mb = (prom0.inputs.memory as number) + 64;
    const wanted = applicable(state.map((a) => ({ type: a.type, name: a.urnName, parent: undefined, custom: true, inputs: {}, rawInputs: a.urnName === prom0.urnName ? { ...a.inputs, memory: mb, waitTimeout: 30 } : a.inputs })));
    const res = await apply(engine!.docker, state, wanted);
    state = res.state;
    expect(res.steps.filter((x) => x.op !== "same")).toEqual([{ op: "update", type: CONTAINER, urnName: prom0.urnName, changed: ["memory", "waitTimeout"], applied: "ContainerUpdate" }]);
    const info = await engine!.docker.getContainer(prom0.id).inspect();
    expect(info.HostConfig.Memory).toBe(mb * 1024 * 1024);
    expect(info.State.Running).toBe(true);
    expect(res.stops).toEqual([]);
    // Stored only: a new waitTimeout alone calls nothing on the engine.
    const again = await apply(engine!.docker, state, wanted.map((r) => (r.name === prom0.urnName ? { ...r, rawInputs: { ...r.rawInputs, waitTimeout: 45 } } : r)));
    state = again.state;
    expect(again.steps.filter((x) => x.op !== "same")).toEqual([{ op: "update", type: CONTAINER, urnName: prom0.urnName, changed: ["waitTimeout"], applied: "stored only" }]);
    expect((await engine!.docker.getContainer(prom0.id).inspect()).State.StartedAt).toBe(info.State.StartedAt);
    report.push(`in place: Prometheus memory ${mb - 64} → ${mb} MiB by ContainerUpdate (same container), waitTimeout stored only`);
  });

  it("leaves no container, network or volume after destroy, each container stopped with its grace", async () => {
    const tDestroy = Date.now();
    const stops = await destroy(engine!.docker, state);
    state = [];
    // The real programs shut down on SIGTERM within their grace; none had to be killed.
    for (const name of ["dev-prometheus", "dev-alertmanager", "dev-pushgateway", "dev-jaeger"]) {
      const s = stops.find((x) => x.name === name);
      expect(s, name).toBeDefined();
      expect({ name, exit: s!.exitCode, inGrace: s!.stopSeconds < s!.graceSeconds }).toEqual({ name, exit: 0, inGrace: true });
    }
    report.push(`destroy in ${seconds(tDestroy)}s: ${stops.filter((x) => x.graceSeconds > 0).map((x) => `${x.name.replace(/^dev-/, "")} ${x.stopSeconds.toFixed(1)}s/exit ${x.exitCode}`).join(", ")}`);
    const d = engine!.docker;
    expect(await d.listContainers({ all: true })).toEqual([]);
    expect((await d.listNetworks()).map((n) => n.Name).filter((n) => !["none", "host", "bridge"].includes(n))).toEqual([]);
    expect((await d.listVolumes()).Volumes ?? []).toEqual([]);
  });
});
