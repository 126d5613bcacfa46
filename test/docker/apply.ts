/**
 * Applies the resources the Pulumi program asks the Docker provider for (recorded under mocks) to a real engine
 * through the Engine API, mapping each input the way the provider does (@pulumi/docker 5 bridges
 * kreuzwerker/terraform-provider-docker: `resourceDockerContainerCreate`, `volumeSetToDockerVolumes`,
 * `portSetToDockerPorts`, ...). Every input of every resource must be consumed by a mapping: an input this harness
 * does not know fails the apply, so nothing the program asks for is silently dropped.
 *
 * Re-applying with new resources behaves like `pulumi up` with the provider's diff (the one table in
 * components/platform/docker-provider.ts): a container whose changed inputs include a ForceNew one is replaced
 * (deleted before the new one is created: the driver sets deleteBeforeReplace), one whose changes are all
 * update-in-place inputs gets `ContainerUpdate` with exactly what the provider sends, one whose changes are all
 * stored-only keeps running untouched with the new inputs recorded; removed resources are deleted. A container is
 * deleted as the provider deletes it: `ContainerStop` with its `destroyGraceSeconds` (0 when unset), then a forced
 * remove of the stopped container.
 */
import { Readable } from "node:stream";
import type Docker from "dockerode";
import type { RecordedResource } from "../../cli/mock-runtime";
import { dockerChangeEffect } from "../../components/platform/docker-provider";

export const NETWORK = "docker:index/network:Network";
export const VOLUME = "docker:index/volume:Volume";
export const CONTAINER = "docker:index/container:Container";
/** Custom resources that never reach the Docker provider (their values flow into the inputs above). */
const NOT_DOCKER = new Set(["random:index/randomPassword:RandomPassword"]);

export class UnmappedInputError extends Error {}

type Json = Record<string, unknown>;

/** Reads inputs and remembers which were read, so leftovers can be reported. */
class Inputs {
  private readonly used = new Set<string>();
  constructor(
    private readonly where: string,
    private readonly raw: Json,
  ) {}
  get<T = unknown>(key: string): T | undefined {
    this.used.add(key);
    const v = this.raw[key];
    return v === null ? undefined : (v as T | undefined);
  }
  req<T>(key: string): T {
    const v = this.get<T>(key);
    if (v === undefined) throw new UnmappedInputError(`${this.where}: required input "${key}" is missing`);
    return v;
  }
  /** Nested object (one block) with its own leftover check. */
  obj(key: string): Inputs | undefined {
    const v = this.get<Json>(key);
    return v === undefined ? undefined : new Inputs(`${this.where}.${key}`, v);
  }
  list(key: string): Inputs[] {
    const v = this.get<Json[]>(key) ?? [];
    if (!Array.isArray(v)) throw new UnmappedInputError(`${this.where}.${key}: expected a list`);
    return v.map((x, i) => new Inputs(`${this.where}.${key}[${i}]`, x));
  }
  done(): void {
    const left = Object.keys(this.raw).filter((k) => !this.used.has(k) && this.raw[k] !== undefined && this.raw[k] !== null);
    if (left.length > 0) throw new UnmappedInputError(`${this.where}: the harness cannot map input(s) ${left.map((k) => `"${k}"`).join(", ")}`);
  }
}

/** Go's time.ParseDuration for the units the provider accepts in healthchecks. */
export function goDurationNs(s: string): number {
  const units: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let pos = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    total += Number(m[1]) * (units[m[2]!] ?? NaN);
    pos = re.lastIndex;
  }
  if (pos !== s.length || s.length === 0 || Number.isNaN(total)) throw new UnmappedInputError(`"${s}" is not a Go duration`);
  return Math.round(total);
}

function labelMap(items: Inputs[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of items) {
    out[l.req<string>("label")] = l.req<string>("value");
    l.done();
  }
  return out;
}

function numericId(where: string, v: string | undefined): number {
  if (v === undefined) return 0;
  // The provider resolves names in the user database of the machine running Pulumi; numeric ids pass through.
  if (!/^\d+$/.test(v)) throw new UnmappedInputError(`${where}: owner/group "${v}" is not numeric; only the provider host could resolve it`);
  return Number(v);
}

/** One-file ustar archive, as the provider builds per upload (archive/tar header: name, mode, uid, gid, size). */
export function tarOneFile(path: string, content: Buffer, mode: number, uid: number, gid: number): Buffer {
  const h = Buffer.alloc(512, 0);
  let name = path;
  let prefix = "";
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf("/", 155);
    prefix = name.slice(0, cut);
    name = name.slice(cut + 1);
    if (Buffer.byteLength(name) > 100 || Buffer.byteLength(prefix) > 155) throw new UnmappedInputError(`upload path too long for ustar: ${path}`);
  }
  const oct = (n: number, len: number) => n.toString(8).padStart(len - 1, "0") + "\0";
  h.write(name, 0, 100, "utf8");
  h.write(oct(mode, 8), 100, 8, "ascii");
  h.write(oct(uid, 8), 108, 8, "ascii");
  h.write(oct(gid, 8), 116, 8, "ascii");
  h.write(oct(content.length, 12), 124, 12, "ascii");
  h.write(oct(Math.floor(Date.now() / 1000), 12), 136, 12, "ascii");
  h.write("        ", 148, 8, "ascii");
  h.write("0", 156, 1, "ascii");
  h.write("ustar\0", 257, 6, "ascii");
  h.write("00", 263, 2, "ascii");
  h.write(prefix, 345, 155, "utf8");
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, "0") + "\0 ", 148, 8, "ascii");
  const pad = Buffer.alloc((512 - (content.length % 512)) % 512, 0);
  return Buffer.concat([h, content, pad, Buffer.alloc(1024, 0)]);
}

export interface Upload {
  readonly file: string;
  readonly content: Buffer;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
}

/** What one docker.Container asks for, as Engine API calls. */
export interface ContainerPlan {
  readonly name: string;
  readonly create: Docker.ContainerCreateOptions;
  readonly networks: readonly { readonly name: string; readonly aliases: readonly string[] }[];
  readonly uploads: readonly Upload[];
  readonly wait: boolean;
  readonly waitTimeoutSeconds: number;
  /** The provider's delete: ContainerStop with this timeout (0: the stop signal, then SIGKILL at once). */
  readonly destroyGraceSeconds: number;
  /** ContainerRemove's RemoveVolumes (anonymous volumes). @default true */
  readonly removeVolumes: boolean;
}

export function planNetwork(r: RecordedResource): Docker.NetworkCreateOptions {
  const i = new Inputs(`${r.type} ${r.name}`, r.rawInputs);
  const opts: Docker.NetworkCreateOptions = { Name: i.req<string>("name"), CheckDuplicate: true };
  const driver = i.get<string>("driver");
  if (driver !== undefined) opts.Driver = driver;
  const labels = i.list("labels");
  if (labels.length > 0) opts.Labels = labelMap(labels);
  // ipam_config (ipamConfigs): subnet, gateway, ip_range, aux_address; the IPAM driver "default".
  const ipam = i.list("ipamConfigs").map((c) => {
    const v: { Subnet?: string; Gateway?: string; IPRange?: string } = {};
    const subnet = c.get<string>("subnet");
    const gateway = c.get<string>("gateway");
    const ipRange = c.get<string>("ipRange");
    if (subnet !== undefined) v.Subnet = subnet;
    if (gateway !== undefined) v.Gateway = gateway;
    if (ipRange !== undefined) v.IPRange = ipRange;
    c.done();
    return v;
  });
  if (ipam.length > 0) opts.IPAM = { Driver: i.get<string>("ipamDriver") ?? "default", Config: ipam };
  i.done();
  return opts;
}

export function planVolume(r: RecordedResource): Docker.VolumeCreateOptions {
  const i = new Inputs(`${r.type} ${r.name}`, r.rawInputs);
  const opts: Docker.VolumeCreateOptions = { Name: i.req<string>("name") };
  const driver = i.get<string>("driver");
  if (driver !== undefined) opts.Driver = driver;
  const labels = i.list("labels");
  if (labels.length > 0) opts.Labels = labelMap(labels);
  i.done();
  return opts;
}

export function planContainer(r: RecordedResource): ContainerPlan {
  const i = new Inputs(`${r.type} ${r.name}`, r.rawInputs);
  const name = i.req<string>("name");
  const create: Docker.ContainerCreateOptions = { name, Image: i.req<string>("image") };
  const host: Docker.HostConfig = {};

  const envs = i.get<string[]>("envs");
  if (envs && envs.length > 0) create.Env = [...envs];
  const command = i.get<string[]>("command");
  if (command && command.length > 0) {
    if (command.some((c) => c === "")) throw new UnmappedInputError(`${name}: values for command may not be empty (provider rule)`);
    create.Cmd = [...command];
  }
  const entrypoints = i.get<string[]>("entrypoints");
  if (entrypoints && entrypoints.length > 0) create.Entrypoint = [...entrypoints];
  const user = i.get<string>("user");
  if (user !== undefined) create.User = user;
  const stopSignal = i.get<string>("stopSignal");
  if (stopSignal !== undefined) create.StopSignal = stopSignal;
  const stopTimeout = i.get<number>("stopTimeout");
  if (stopTimeout !== undefined) create.StopTimeout = stopTimeout;

  const ports = i.list("ports");
  if (ports.length > 0) {
    create.ExposedPorts = {};
    host.PortBindings = {};
    for (const p of ports) {
      const key = `${p.req<number>("internal")}/${p.get<string>("protocol") ?? "tcp"}`;
      create.ExposedPorts[key] = {};
      const external = p.get<number>("external");
      const binding = { HostIp: p.get<string>("ip") ?? "0.0.0.0", HostPort: external === undefined ? "" : String(external) };
      (host.PortBindings[key] ??= []).push(binding);
      p.done();
    }
  }
  const hosts = i.list("hosts");
  if (hosts.length > 0) {
    host.ExtraHosts = hosts.map((h) => {
      const v = `${h.req<string>("host")}:${h.req<string>("ip")}`;
      h.done();
      return v;
    });
  }
  const volumes = i.list("volumes");
  const binds: string[] = [];
  const anonymous: Record<string, object> = {};
  for (const v of volumes) {
    const containerPath = v.req<string>("containerPath");
    const source = v.get<string>("volumeName") ?? v.get<string>("hostPath");
    const ro = v.get<boolean>("readOnly") ?? false;
    v.done();
    if (source !== undefined && source !== "") binds.push(`${source}:${containerPath}:${ro ? "ro" : "rw"}`);
    else anonymous[containerPath] = {};
  }
  if (binds.length > 0) host.Binds = binds;
  // `mounts` (mountsToDockerMounts): target, source, type, read_only, bind_options.propagation.
  const mounts = i.list("mounts").map((m) => {
    const type = m.req<string>("type");
    if (type !== "bind") throw new UnmappedInputError(`${name}: mount type "${type}" is not mapped (only bind)`);
    const bind = m.obj("bindOptions");
    const propagation = bind?.get<string>("propagation");
    bind?.done();
    const v: Docker.MountSettings = { Target: m.req<string>("target"), Source: m.get<string>("source") ?? "", Type: "bind", ReadOnly: m.get<boolean>("readOnly") ?? false };
    if (propagation !== undefined) v.BindOptions = { Propagation: propagation as NonNullable<Docker.MountSettings["BindOptions"]>["Propagation"] };
    m.done();
    return v;
  });
  if (mounts.length > 0) host.Mounts = mounts;
  if (Object.keys(anonymous).length > 0) create.Volumes = anonymous;

  const labels = i.list("labels");
  if (labels.length > 0) create.Labels = labelMap(labels);

  const hc = i.obj("healthcheck");
  if (hc) {
    create.Healthcheck = {
      Test: [...hc.req<string[]>("tests")],
      Interval: goDurationNs(hc.get<string>("interval") ?? "0s"),
      Timeout: goDurationNs(hc.get<string>("timeout") ?? "0s"),
      StartPeriod: goDurationNs(hc.get<string>("startPeriod") ?? "0s"),
      Retries: hc.get<number>("retries") ?? 0,
    };
    hc.done();
  }

  host.RestartPolicy = { Name: i.get<string>("restart") ?? "no", MaximumRetryCount: i.get<number>("maxRetryCount") ?? 0 };
  const memory = i.get<number>("memory");
  if (memory !== undefined) host.Memory = memory * 1024 * 1024;
  const cpus = i.get<string>("cpus");
  if (cpus !== undefined) {
    const n = Number(cpus);
    if (!Number.isFinite(n) || n <= 0) throw new UnmappedInputError(`${name}: cpus "${cpus}" is not a positive number`);
    host.NanoCpus = Math.round(n * 1e9);
  }
  const caps = i.obj("capabilities");
  if (caps) {
    const adds = caps.get<string[]>("adds");
    const drops = caps.get<string[]>("drops");
    if (adds && adds.length > 0) host.CapAdd = [...adds];
    if (drops && drops.length > 0) host.CapDrop = [...drops];
    caps.done();
  }
  const devices = i.list("devices");
  if (devices.length > 0) {
    host.Devices = devices.map((d) => {
      const hostPath = d.req<string>("hostPath");
      const v = { PathOnHost: hostPath, PathInContainer: d.get<string>("containerPath") ?? hostPath, CgroupPermissions: d.get<string>("permissions") ?? "rwm" };
      d.done();
      return v;
    });
  }
  const securityOpts = i.get<string[]>("securityOpts");
  if (securityOpts && securityOpts.length > 0) host.SecurityOpt = [...securityOpts];
  const logOpts = i.get<Record<string, string>>("logOpts");
  host.LogConfig = { Type: i.get<string>("logDriver") ?? "json-file", Config: logOpts ? { ...logOpts } : {} };
  const pidMode = i.get<string>("pidMode");
  if (pidMode !== undefined) host.PidMode = pidMode;
  const networkMode = i.get<string>("networkMode");
  if (networkMode !== undefined) host.NetworkMode = networkMode;
  host.Privileged = i.get<boolean>("privileged") ?? false;
  // The provider always sends Init (default false).
  host.Init = false;

  const networks = i.list("networksAdvanced").map((n) => {
    const v = { name: n.req<string>("name"), aliases: [...(n.get<string[]>("aliases") ?? [])] };
    n.done();
    return v;
  });

  const uploads = i.list("uploads").map((u): Upload => {
    const file = u.req<string>("file");
    const content = u.get<string>("content");
    const b64 = u.get<string>("contentBase64");
    if ((content === undefined) === (b64 === undefined)) throw new UnmappedInputError(`${name} upload ${file}: exactly one of content/contentBase64 is supported`);
    const perms = u.get<string>("permissions");
    const executable = u.get<boolean>("executable") ?? false;
    const mode = perms !== undefined ? parseInt(perms, 8) : executable ? 0o744 : 0o644;
    if (Number.isNaN(mode)) throw new UnmappedInputError(`${name} upload ${file}: permissions "${perms}" is not octal`);
    const v = {
      file,
      content: content !== undefined ? Buffer.from(content, "utf8") : Buffer.from(b64 ?? "", "base64"),
      mode,
      uid: numericId(`${name} upload ${file}`, u.get<string>("owner")),
      gid: numericId(`${name} upload ${file}`, u.get<string>("group")),
    };
    u.done();
    return v;
  });
  const wait = i.get<boolean>("wait") ?? false;
  const waitTimeoutSeconds = i.get<number>("waitTimeout") ?? 60;
  const destroyGraceSeconds = i.get<number>("destroyGraceSeconds") ?? 0;
  const removeVolumes = i.get<boolean>("removeVolumes") ?? true;
  if (wait && !create.Healthcheck) throw new UnmappedInputError(`${name}: wait=true without a healthcheck can never become healthy`);
  i.done();
  create.HostConfig = host;
  return { name, create, networks, uploads, wait, waitTimeoutSeconds, destroyGraceSeconds, removeVolumes };
}

export interface AppliedResource {
  readonly type: string;
  /** Pulumi resource name (URN name). */
  readonly urnName: string;
  /** Docker object name. */
  readonly name: string;
  readonly id: string;
  readonly inputs: Record<string, unknown>;
  /** Seconds from start to healthy (containers with wait). */
  readonly healthySeconds?: number;
}

export interface ApplyStep {
  /** `update`: every changed input is updated in place or stored only (the container keeps running). */
  readonly op: "create" | "same" | "replace" | "update" | "delete";
  readonly type: string;
  readonly urnName: string;
  /** Inputs that differ (replace, update). */
  readonly changed?: readonly string[];
  /** update: whether the engine was called (ContainerUpdate) or the new inputs were only stored. */
  readonly applied?: "ContainerUpdate" | "stored only";
}

/** How a container was deleted: the stop (with its grace) and how the program ended. */
export interface StopRecord {
  readonly name: string;
  readonly graceSeconds: number;
  /** ContainerStop's duration: the program's shutdown, or the grace when it was killed. */
  readonly stopSeconds: number;
  /** 137 = SIGKILL (the grace ran out, or none was given); 0 or the program's own code after a clean shutdown. */
  readonly exitCode: number;
}

export interface ApplyResult {
  readonly state: readonly AppliedResource[];
  readonly steps: readonly ApplyStep[];
  readonly stops: readonly StopRecord[];
}

function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(",")}]`;
  if (v && typeof v === "object") {
    return `{${Object.keys(v)
      .filter((k) => (v as Json)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable((v as Json)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v);
}

function changedKeys(a: Json, b: Json): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => stable(a[k]) !== stable(b[k])).sort();
}

/** The provider resources of a recording, checked: only Docker resources (plus known non-Docker ones) may appear. */
export function dockerResources(resources: readonly RecordedResource[]): RecordedResource[] {
  const out: RecordedResource[] = [];
  for (const r of resources) {
    if (!r.custom || NOT_DOCKER.has(r.type)) continue;
    if (r.type !== NETWORK && r.type !== VOLUME && r.type !== CONTAINER) throw new UnmappedInputError(`resource type ${r.type} (${r.name}) has no mapping in the harness`);
    out.push(r);
  }
  return out;
}

async function waitUntil(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s: ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function createContainer(docker: Docker, r: RecordedResource): Promise<AppliedResource> {
  const plan = planContainer(r);
  try {
    return await createPlanned(docker, r, plan);
  } catch (e) {
    throw new Error(`${plan.name}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

async function createPlanned(docker: Docker, r: RecordedResource, plan: ContainerPlan): Promise<AppliedResource> {
  try {
    await docker.getImage(plan.create.Image ?? "").inspect();
  } catch {
    throw new Error(`${plan.name}: image ${plan.create.Image} is not in the engine (no registry to pull from)`);
  }
  const c = await docker.createContainer(plan.create);
  if (plan.networks.length > 0) {
    try {
      await docker.getNetwork("bridge").disconnect({ Container: c.id, Force: false });
    } catch {
      // "is not connected to the network bridge" (the engine runs without a default bridge): ignorable, as in the provider.
    }
    for (const n of plan.networks) await docker.getNetwork(n.name).connect({ Container: c.id, EndpointConfig: { Aliases: [...n.aliases], IPAMConfig: {} } });
  }
  for (const u of plan.uploads) await c.putArchive(Readable.from([tarOneFile(u.file, u.content, u.mode, u.uid, u.gid)]), { path: "/" });
  const started = Date.now();
  await c.start();
  // must_run (default true): the container has to reach and stay in "running".
  await waitUntil(`${plan.name} running`, 15_000, async () => {
    const s = (await c.inspect()).State;
    if (s.Status === "exited" || s.Status === "dead") throw new Error(`${plan.name} exited immediately (code ${s.ExitCode}): ${await logs(c)}`);
    return s.Running;
  });
  let healthySeconds: number | undefined;
  if (plan.wait) {
    await waitUntil(`${plan.name} healthy`, plan.waitTimeoutSeconds * 1000, async () => {
      const s = (await c.inspect()).State;
      if (!s.Running) throw new Error(`${plan.name} stopped (code ${s.ExitCode}): ${await logs(c)}`);
      return s.Health?.Status === "healthy";
    }).catch(async (e: unknown) => {
      const h = (await c.inspect()).State.Health;
      const last = h?.Log?.[h.Log.length - 1];
      throw new Error(`${String(e)}; last probe: ${last?.Output ?? "none"}; logs: ${await logs(c)}`);
    });
    healthySeconds = (Date.now() - started) / 1000;
  }
  return { type: r.type, urnName: r.name, name: plan.name, id: c.id, inputs: r.rawInputs, ...(healthySeconds !== undefined ? { healthySeconds } : {}) };
}

export async function logs(c: Docker.Container): Promise<string> {
  try {
    const b = (await c.logs({ stdout: true, stderr: true, tail: 20 })) as unknown as Buffer;
    // Strip the 8-byte multiplexing headers.
    return b.toString("utf8").replace(/[\x00-\x08]/g, "").slice(-1500);
  } catch {
    return "(no logs)";
  }
}

const asRecorded = (a: AppliedResource): RecordedResource => ({ type: a.type, name: a.urnName, parent: undefined, custom: true, inputs: {}, rawInputs: a.inputs });

/** The provider's delete: stop with the grace (the engine sends the stop signal, SIGKILL after the timeout), then remove. */
async function remove(docker: Docker, a: AppliedResource, stops: StopRecord[]): Promise<void> {
  if (a.type === CONTAINER) {
    const plan = planContainer(asRecorded(a));
    const c = docker.getContainer(a.id);
    const t0 = Date.now();
    try {
      await c.stop({ t: plan.destroyGraceSeconds });
    } catch (e) {
      // 304: already stopped (a drill stopped it).
      if ((e as { statusCode?: number }).statusCode !== 304) throw e;
    }
    const stopSeconds = (Date.now() - t0) / 1000;
    const exitCode = (await c.inspect()).State.ExitCode;
    stops.push({ name: a.name, graceSeconds: plan.destroyGraceSeconds, stopSeconds, exitCode });
    await c.remove({ force: true, v: plan.removeVolumes });
  } else if (a.type === VOLUME) await docker.getVolume(a.name).remove();
  else if (a.type === NETWORK) await docker.getNetwork(a.id).remove();
}

/** ContainerUpdate as resourceDockerContainerUpdate sends it: restart policy, CPU shares, memory, cpuset, swap. */
async function updateInPlace(docker: Docker, a: AppliedResource, inputs: Record<string, unknown>): Promise<void> {
  const n = (k: string) => (typeof inputs[k] === "number" ? (inputs[k] as number) : 0);
  const swap = n("memorySwap");
  await docker.getContainer(a.id).update({
    RestartPolicy: { Name: typeof inputs.restart === "string" ? inputs.restart : "no", MaximumRetryCount: n("maxRetryCount") },
    CpuShares: n("cpuShares"),
    Memory: n("memory") * 1024 * 1024,
    CpusetCpus: typeof inputs.cpuSet === "string" ? inputs.cpuSet : "",
    ...(inputs.memorySwap !== undefined ? { MemorySwap: swap > 0 ? swap * 1024 * 1024 : swap } : {}),
  });
}

const ORDER = [NETWORK, VOLUME, CONTAINER];

/** `pulumi up` of `resources` over `previous`: creates, keeps, replaces (delete before create) and deletes. */
export async function apply(docker: Docker, previous: readonly AppliedResource[], resources: readonly RecordedResource[]): Promise<ApplyResult> {
  const wanted = dockerResources(resources);
  // Plan everything first: an unmappable input fails before anything changes on the engine.
  for (const r of wanted) (r.type === NETWORK ? planNetwork : r.type === VOLUME ? planVolume : planContainer)(r);
  const key = (t: string, n: string) => `${t}::${n}`;
  const prev = new Map(previous.map((p) => [key(p.type, p.urnName), p]));
  const steps: ApplyStep[] = [];
  const keep: AppliedResource[] = [];
  const toCreate: RecordedResource[] = [];
  const toDelete: AppliedResource[] = [];
  const toUpdate: { prev: AppliedResource; r: RecordedResource; effect: "update" | "stored" }[] = [];
  const stops: StopRecord[] = [];
  for (const r of wanted) {
    const p = prev.get(key(r.type, r.name));
    prev.delete(key(r.type, r.name));
    if (!p) {
      steps.push({ op: "create", type: r.type, urnName: r.name });
      toCreate.push(r);
    } else if (stable(p.inputs) === stable(r.rawInputs)) {
      steps.push({ op: "same", type: r.type, urnName: r.name });
      keep.push(p);
    } else {
      const changed = changedKeys(p.inputs as Json, r.rawInputs as Json);
      // Volumes and networks: every input is ForceNew. Containers: the provider's table.
      const effect = r.type === CONTAINER ? dockerChangeEffect(changed) : "replace";
      if (effect === "update" || effect === "stored") {
        steps.push({ op: "update", type: r.type, urnName: r.name, changed, applied: effect === "update" ? "ContainerUpdate" : "stored only" });
        toUpdate.push({ prev: p, r, effect });
      } else {
        steps.push({ op: "replace", type: r.type, urnName: r.name, changed });
        toDelete.push(p);
        toCreate.push(r);
      }
    }
  }
  for (const p of prev.values()) {
    steps.push({ op: "delete", type: p.type, urnName: p.urnName });
    toDelete.push(p);
  }
  for (const t of [...ORDER].reverse()) for (const p of toDelete.filter((x) => x.type === t)) await remove(docker, p, stops);
  for (const u of toUpdate) {
    if (u.effect === "update") await updateInPlace(docker, u.prev, u.r.rawInputs);
    keep.push({ ...u.prev, inputs: u.r.rawInputs });
  }
  const created: AppliedResource[] = [];
  for (const r of toCreate.filter((x) => x.type === NETWORK)) {
    const n = await docker.createNetwork(planNetwork(r));
    created.push({ type: r.type, urnName: r.name, name: r.rawInputs.name as string, id: n.id, inputs: r.rawInputs });
  }
  for (const r of toCreate.filter((x) => x.type === VOLUME)) {
    const opts = planVolume(r);
    await docker.createVolume(opts);
    created.push({ type: r.type, urnName: r.name, name: opts.Name ?? "", id: opts.Name ?? "", inputs: r.rawInputs });
  }
  // Pulumi creates independent resources in parallel (containers wait for their healthchecks side by side) and a
  // resource after everything in its dependsOn (a workload after its secrets side-car, which waits to be healthy).
  const creating = new Map<string, Promise<AppliedResource>>();
  const containersToCreate = toCreate.filter((x) => x.type === CONTAINER);
  const createInOrder = (r: RecordedResource): Promise<AppliedResource> => {
    const known = creating.get(r.name);
    if (known) return known;
    const deps = (r.dependsOn ?? []).map((d) => containersToCreate.find((x) => x.name === d)).filter((x): x is RecordedResource => x !== undefined);
    const p = Promise.all(deps.map(createInOrder)).then(() => createContainer(docker, r));
    creating.set(r.name, p);
    return p;
  };
  const results = await Promise.allSettled(containersToCreate.map(createInOrder));
  for (const res of results) if (res.status === "fulfilled") created.push(res.value);
  const failed = results.filter((x): x is PromiseRejectedResult => x.status === "rejected");
  if (failed.length > 0) throw new Error(`apply failed:\n${failed.map((f) => `  - ${String(f.reason instanceof Error ? f.reason.message : f.reason)}`).join("\n")}`);
  return { state: [...keep, ...created], steps, stops };
}

/** `pulumi destroy`: containers first (each stopped with its grace), then volumes and networks. */
export async function destroy(docker: Docker, state: readonly AppliedResource[]): Promise<StopRecord[]> {
  const stops: StopRecord[] = [];
  // Pulumi deletes independent resources in parallel: the containers' graces overlap.
  await Promise.all(state.filter((x) => x.type === CONTAINER).map((a) => remove(docker, a, stops)));
  for (const t of [VOLUME, NETWORK]) for (const a of state.filter((x) => x.type === t)) await remove(docker, a, stops);
  return stops;
}
