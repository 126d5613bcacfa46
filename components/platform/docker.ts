/**
 * The Docker platform driver: one container per workload on the stack's user-defined bridge network, named volumes
 * for state, config files uploaded into the container (owned by the image's user), ports published on the bind
 * address only (127.0.0.1 by default).
 *
 * Secrets never travel with the workload's own inputs. The Docker provider makes a container's whole `uploads`
 * list secret when one element is, which would hide every config change from `pulumi preview`; so a workload with
 * secrets gets a side-car (`<name>-secrets`, busybox, no network) whose uploads are the secret files only. It puts
 * them on a volume owned by the workload's user with mode 0400 — whatever ownership the provider writes —, reports
 * healthy once done, and the workload, created after it, mounts that volume read-only at its secrets directory.
 * No secret value appears in the workload's inputs, its environment, labels or command.
 */
import type * as dockerTypes from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { HELPER_IMAGES } from "../images";
import { DOCKER_HASHED_STORED_INPUTS, STOP_GRACE_SECONDS, STOP_SIGNAL } from "./docker-provider";
import type { DeployContext, DeployedWorkload, WorkloadFile, WorkloadSpec } from "./types";

/**
 * The Docker provider SDK, loaded when a Docker workload is declared: importing moncode stays cheap for a
 * `pulumi preview` that never uses Docker, and @pulumi/docker is an optional peer dependency.
 */
function docker(): typeof dockerTypes {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("@pulumi/docker") as typeof dockerTypes;
}

/** Run the stack as Docker containers on one host, on one user-defined bridge network. */
export interface DockerPlatform {
  readonly kind: "docker";
  /**
   * Name of the user-defined bridge network every workload joins. When omitted, `preparePlatform` creates one
   * per stack (`<namePrefix>-monitoring`).
   */
  readonly network?: pulumi.Input<string>;
  /** Prefix of container and volume names, e.g. the stack name `dev`. */
  readonly namePrefix: string;
  /** Address published ports bind to. @default "127.0.0.1" */
  readonly bindAddress?: string;
  /** Docker provider (remote host, TLS); the default provider when omitted. */
  readonly provider?: dockerTypes.Provider;
  /**
   * Tag every container's log lines with its name (`--log-opt tag={{.Name}}`: json-file writes it as `attrs.tag`),
   * so a log collector reading the engine's files names the container. Set by a stack that runs one. @default false
   */
  readonly containerLogNames?: boolean;
  /**
   * The engine's data root on its host (`docker info` → Docker Root Dir; dockerd's `--data-root`). The log
   * collector mounts its `containers/` directory read-only to read the json-file logs. @default DEFAULT_DOCKER_DATA_ROOT
   */
  readonly dataRoot?: string;
  /**
   * IPv4 subnet of the network `preparePlatform` creates (its gateway, the first address, is this host's address on
   * that network). @default DEFAULT_DOCKER_SUBNET
   */
  readonly subnet?: string;
  /**
   * This host's address on the stack network — its gateway. node-exporter runs in the host's network namespace and
   * listens there only, the one address the bridged Prometheus reaches it by. Derived from `subnet` when the stack
   * creates its network; required with a `network` of your own (`docker network inspect <net>` → Gateway).
   */
  readonly gateway?: string;
}

/** dockerd's default `--data-root`. */
export const DEFAULT_DOCKER_DATA_ROOT = "/var/lib/docker";

/** The engine's `containers/` directory on its host, where json-file keeps `<id>/<id>-json.log`. */
export function dockerContainersDir(platform: DockerPlatform): string {
  const root = platform.dataRoot ?? DEFAULT_DOCKER_DATA_ROOT;
  if (!/^\/\S*$/.test(root)) throw new Error(`docker platform: dataRoot "${root}" must be an absolute path (docker info → Docker Root Dir)`);
  return `${root.replace(/\/+$/, "") || ""}/containers`;
}

/** The stack network's subnet when none is configured (a /24 outside Docker's default pools' first picks). */
export const DEFAULT_DOCKER_SUBNET = "172.28.213.0/24";

function ipv4(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  const o = m.slice(1).map(Number);
  return o.every((x) => x <= 255) ? ((o[0]! << 24) >>> 0) + (o[1]! << 16) + (o[2]! << 8) + o[3]! : undefined;
}
const dotted = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");

/** The first host address of an IPv4 CIDR (Docker's default gateway for it); throws naming the bad value. */
export function subnetGateway(subnet: string): string {
  const [addr, bits] = subnet.split("/");
  const n = addr === undefined ? undefined : ipv4(addr);
  const len = Number(bits);
  if (n === undefined || !/^\d+$/.test(bits ?? "") || len < 8 || len > 29) throw new Error(`docker platform: subnet "${subnet}" must be an IPv4 CIDR with a prefix of /8 to /29, e.g. ${DEFAULT_DOCKER_SUBNET}`);
  const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
  if ((n & mask) >>> 0 !== n) throw new Error(`docker platform: subnet "${subnet}" has host bits set (the network is ${dotted((n & mask) >>> 0)}/${len})`);
  return dotted(n + 1);
}

/** The stack network's gateway: this host's address on it (where host-network workloads listen). */
export function dockerGateway(platform: DockerPlatform): string {
  if (platform.gateway !== undefined) {
    if (ipv4(platform.gateway) === undefined) throw new Error(`docker platform: gateway "${platform.gateway}" is not an IPv4 address`);
    return platform.gateway;
  }
  if (platform.network !== undefined && platform.subnet === undefined) {
    throw new Error("docker platform: node-exporter uses the host's network and listens only on the stack network's gateway; with a network of your own, pass its `gateway` (docker network inspect <network> → IPAM.Config[0].Gateway)");
  }
  return subnetGateway(platform.subnet ?? DEFAULT_DOCKER_SUBNET);
}

/** Where a host-network daemon listens and is scraped: the gateway address, on its port. */
export function dockerDaemonAddress(platform: DockerPlatform, port: number): string {
  return `${dockerGateway(platform)}:${port}`;
}

export const HEALTHCHECK = { interval: "15s", timeout: "5s", retries: 3, startPeriod: "30s" } as const;
export const CONFIG_HASH_LABEL = "moncode.dev/config-hash";

/** JSON with sorted keys, so a hash does not depend on the order inputs were written in. */
function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(",")}]`;
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

/**
 * The config-hash label's value: the rendered config's hash plus every input the provider stores but never applies
 * to a running container although it shapes it (healthcheck, tmpfs, …: DOCKER_HASHED_STORED_INPUTS). Labels are
 * ForceNew, so changing such an input replaces the container instead of leaving the old behaviour running.
 */
export function dockerContentHash(configHash: string, inputs: Readonly<Record<string, unknown>>): string {
  const stored = Object.fromEntries(DOCKER_HASHED_STORED_INPUTS.filter((k) => inputs[k] !== undefined).map((k) => [k, inputs[k]]));
  if (Object.keys(stored).length === 0) return configHash;
  return createHash("sha256").update(configHash).update("\0").update(stableJson(stored)).digest("hex").slice(0, 16);
}

function requireNetwork(platform: DockerPlatform): pulumi.Input<string> {
  if (platform.network === undefined) {
    throw new Error("docker platform has no network: pass `network` or build the stack with preparePlatform()");
  }
  return platform.network;
}

export function dockerAddress(name: string, port: number): string {
  return `${name}:${port}`;
}

/** Creates the stack's bridge network when the platform names none; returns the platform with it set. */
export function prepareDockerPlatform(platform: DockerPlatform, ctx: DeployContext): DockerPlatform {
  if (platform.network !== undefined) return platform;
  const subnet = platform.subnet ?? DEFAULT_DOCKER_SUBNET;
  const gateway = platform.gateway ?? subnetGateway(subnet);
  const network = new (docker().Network)(
    `${ctx.name}-network`,
    {
      name: `${platform.namePrefix}-monitoring`,
      driver: "bridge",
      // A known subnet and gateway: host-network workloads (node-exporter) listen on the gateway address.
      ipamConfigs: [{ subnet, gateway }],
      labels: [
        { label: "app.kubernetes.io/part-of", value: "moncode" },
        { label: "app.kubernetes.io/instance", value: platform.namePrefix },
      ],
    },
    { parent: ctx.parent, ...(platform.provider ? { provider: platform.provider } : {}) },
  );
  return { ...platform, network: network.name, subnet, gateway };
}

/** Where the side-car keeps the secret files (its own path; the workload mounts the volume at its secrets dir). */
const SIDECAR_DIR = "/secrets";
const SIDECAR_READY = "/tmp/moncode-secrets-ready";

/**
 * The side-car's script: whatever owner and mode the upload left, the files end up 0400 and the directory 0500,
 * both owned by the workload's user and group. Needs CAP_CHOWN only (root without DAC_OVERRIDE or FOWNER: each
 * chmod runs while root owns the file). Then it marks itself ready and idles, exiting on SIGTERM.
 *
 * The volume outlives the side-car: a re-created side-car (a rotated secret replaces it) finds the directory 0500 of
 * the workload's user, which root without DAC_OVERRIDE cannot enter — so it takes the directory back first (chown
 * needs no search permission on the directory itself). The Docker proof re-creates a side-car to show it.
 */
export function secretsSidecarScript(uid: string): string {
  return [
    "set -e",
    `chown 0:0 ${SIDECAR_DIR}`,
    `chmod 0700 ${SIDECAR_DIR}`,
    `cd ${SIDECAR_DIR}`,
    "chown 0:0 ./*",
    "chmod 0400 ./*",
    `chown ${uid}:${uid} ./*`,
    "chmod 0500 .",
    `chown ${uid}:${uid} .`,
    `touch ${SIDECAR_READY}`,
    "trap 'exit 0' TERM INT",
    "while :; do sleep 3600 & wait $!; done",
  ].join("\n");
}

/** The one directory a workload's secret files live in (the side-car volume is mounted there). */
export function secretsDir(spec: WorkloadSpec, secrets: readonly WorkloadFile[]): string {
  const dirs = [...new Set(secrets.map((f) => f.path.slice(0, f.path.lastIndexOf("/"))))];
  if (dirs.length !== 1 || dirs[0] === "") throw new Error(`workload "${spec.name}": secret files must share one directory, got ${dirs.join(", ") || "/"}`);
  return dirs[0]!;
}

export function deployDockerWorkload(platform: DockerPlatform, spec: WorkloadSpec, ctx: DeployContext): DeployedWorkload {
  if ((spec.replicas ?? 1) !== 1) throw new Error(`workload "${spec.name}": Docker runs one container per workload (replicas ${spec.replicas})`);
  if (spec.instanceIpEnv) throw new Error(`workload "${spec.name}": the Docker driver cannot provide the instance IP (${spec.instanceIpEnv})`);
  const opts: pulumi.CustomResourceOptions = { parent: ctx.parent, ...(platform.provider ? { provider: platform.provider } : {}) };
  // Docker object names are what operators see in `docker ps`; Pulumi names follow the component's name.
  const base = `${platform.namePrefix}-${spec.name}`;
  const urnBase = `${ctx.name}-${spec.name}`;
  const plainLabels = [
    { label: "app.kubernetes.io/name", value: spec.name },
    { label: "app.kubernetes.io/component", value: spec.component },
    { label: "app.kubernetes.io/part-of", value: "moncode" },
    { label: "app.kubernetes.io/managed-by", value: "pulumi" },
    { label: "app.kubernetes.io/instance", value: platform.namePrefix },
  ];
  // Host network (node-exporter): the host's namespace, listening on the stack network's gateway address only.
  const hostNetwork = spec.host?.network === true;
  const healthHost = hostNetwork ? dockerGateway(platform) : "127.0.0.1";
  const healthcheck = spec.healthcheck?.command
    ? { tests: ["CMD", ...spec.healthcheck.command], ...HEALTHCHECK }
    : spec.healthcheck && spec.healthcheck.imageHasHttpClient !== false
    ? {
        tests: ["CMD", "wget", "-q", "--spider", `http://${healthHost}:${spec.healthcheck.port}${spec.healthcheck.path}`],
        ...HEALTHCHECK,
      }
    : undefined;
  const labels = [...plainLabels, { label: CONFIG_HASH_LABEL, value: dockerContentHash(spec.configHash, { healthcheck }) }];
  const grace = spec.stopGraceSeconds ?? STOP_GRACE_SECONDS.exporter;
  const volumes = spec.volumes.map((v) => new (docker().Volume)(`${urnBase}-${v.name}`, { name: `${base}-${v.name}`, labels: plainLabels }, opts));
  const secretFiles = spec.files.filter((f) => f.secret);
  const sidecar = secretFiles.length > 0 ? deploySecretsSidecar(spec, secretFiles, { base, urnBase, labels: plainLabels, opts }) : undefined;
  const bind = platform.bindAddress ?? "127.0.0.1";
  const env = Object.keys(spec.env ?? {})
    .sort()
    .map((k) => `${k}=${spec.env?.[k] ?? ""}`);
  // The replica identity is the container's name (spec.kind, apiAccess, clients, publicUrl and host.network have no
  // Docker meaning: one container per workload on one private network).
  if (spec.replicaIdentityEnv) env.push(`${spec.replicaIdentityEnv}=${base}`);
  const container = new (docker().Container)(
    urnBase,
    {
      name: base,
      image: spec.image,
      entrypoints: spec.entrypoint ? [...spec.entrypoint] : undefined,
      command: [...spec.args],
      envs: env,
      user: spec.host?.rootRead ? "0" : spec.user,
      restart: "unless-stopped",
      memory: spec.resources.memoryMb,
      cpus: String(spec.resources.cpus),
      labels,
      ...(hostNetwork
        ? { networkMode: "host" }
        : {
            networksAdvanced: [{ name: requireNetwork(platform), aliases: [spec.name] }],
            // Lets targets on the Docker host be scraped as host.docker.internal on Linux too.
            hosts: [{ host: "host.docker.internal", ip: "host-gateway" }],
            ports: spec.ports
              .filter((p) => p.publish)
              .map((p) => ({ internal: p.port, external: p.hostPort ?? p.port, ip: bind, protocol: "tcp" })),
          }),
      volumes: [
        ...spec.volumes.map((v, i) => ({ volumeName: volumes[i]!.name, containerPath: v.mountPath })),
        ...(sidecar ? [{ volumeName: sidecar.volume.name, containerPath: sidecar.dir, readOnly: true }] : []),
        ...(spec.host?.mounts ?? []).filter((m) => m.hostPath !== "/").map((m) => ({ hostPath: m.hostPath, containerPath: m.containerPath, readOnly: true })),
      ],
      // The host's root, read-only with rslave propagation, so file systems mounted on the host after the start (new
      // disks, volumes) appear under it too (Kubernetes: HostToContainer). `volumes` cannot say it; other host paths
      // stay `volumes`, which (unlike `mounts`) let Docker create a missing source such as /var/lib/docker.
      mounts: (spec.host?.mounts ?? []).some((m) => m.hostPath === "/")
        ? (spec.host?.mounts ?? []).filter((m) => m.hostPath === "/").map((m) => ({ type: "bind", source: m.hostPath, target: m.containerPath, readOnly: true, bindOptions: { propagation: "rslave" } }))
        : undefined,
      // Config only: plain, so `pulumi preview` shows what changes (the secrets are the side-car's).
      uploads: spec.files.filter((f) => !f.secret).map((f) => ({ file: f.path, content: f.content, owner: spec.user, permissions: "0444" })),
      healthcheck,
      pidMode: spec.host?.pid ? "host" : undefined,
      privileged: spec.host?.privileged ?? undefined,
      devices: spec.host?.devices?.map((d) => ({ hostPath: d, containerPath: d })),
      capabilities: spec.host?.privileged ? undefined : { drops: ["ALL"], adds: spec.capAdd ? [...spec.capAdd] : undefined },
      securityOpts: ["no-new-privileges:true"],
      logDriver: "json-file",
      logOpts: { "max-size": "10m", "max-file": "3", ...(platform.containerLogNames ? { tag: "{{.Name}}" } : {}) },
      // Wait for the healthcheck so `pulumi up` fails on a container that never becomes healthy.
      wait: healthcheck !== undefined,
      waitTimeout: 120,
      // Graceful stop: the provider's delete is ContainerStop with this timeout (0 — an immediate SIGKILL — when
      // unset), then a forced remove; `stopTimeout` gives `docker stop` and a daemon shutdown the same grace.
      stopSignal: STOP_SIGNAL,
      stopTimeout: grace,
      destroyGraceSeconds: grace,
    },
    { ...opts, deleteBeforeReplace: true, ...(sidecar || ctx.after?.length ? { dependsOn: [...(sidecar ? [sidecar.container] : []), ...(ctx.after ?? [])] } : {}) },
  );
  return {
    address: (portName) => {
      const p = spec.ports.find((x) => x.name === portName);
      if (!p) throw new Error(`workload "${spec.name}" has no port named "${portName}"`);
      return dockerAddress(spec.name, p.port);
    },
    resources: [container, ...volumes, ...(sidecar ? [sidecar.container, sidecar.volume] : [])],
  };
}

interface SidecarContext {
  readonly base: string;
  readonly urnBase: string;
  readonly labels: readonly { label: string; value: string }[];
  readonly opts: pulumi.CustomResourceOptions;
}

function deploySecretsSidecar(spec: WorkloadSpec, files: readonly WorkloadFile[], c: SidecarContext): { container: dockerTypes.Container; volume: dockerTypes.Volume; dir: string } {
  const dir = secretsDir(spec, files);
  const volume = new (docker().Volume)(`${c.urnBase}-secrets`, { name: `${c.base}-secrets`, labels: [...c.labels] }, c.opts);
  const healthcheck = { tests: ["CMD", "test", "-f", SIDECAR_READY], interval: "2s", timeout: "2s", retries: 15, startPeriod: "0s" };
  const container = new (docker().Container)(
    `${c.urnBase}-secrets`,
    {
      name: `${c.base}-secrets`,
      image: HELPER_IMAGES.secrets,
      command: ["sh", "-c", secretsSidecarScript(spec.user)],
      user: "0",
      restart: "unless-stopped",
      memory: 16,
      cpus: "0.05",
      labels: [...c.labels, { label: "moncode.dev/role", value: "secrets" }, { label: CONFIG_HASH_LABEL, value: dockerContentHash("secrets-sidecar", { healthcheck }) }],
      networkMode: "none",
      volumes: [{ volumeName: volume.name, containerPath: SIDECAR_DIR }],
      uploads: files.map((f) => ({
        file: `${SIDECAR_DIR}/${f.path.slice(dir.length + 1)}`,
        content: pulumi.secret(f.content),
        owner: spec.user,
        group: spec.user,
        permissions: "0400",
      })),
      capabilities: { drops: ["ALL"], adds: ["CHOWN"] },
      securityOpts: ["no-new-privileges:true"],
      healthcheck,
      wait: true,
      waitTimeout: 60,
      stopSignal: STOP_SIGNAL,
      stopTimeout: STOP_GRACE_SECONDS.sidecar,
      destroyGraceSeconds: STOP_GRACE_SECONDS.sidecar,
      logDriver: "json-file",
      logOpts: { "max-size": "1m", "max-file": "1" },
    },
    { ...c.opts, deleteBeforeReplace: true },
  );
  return { container, volume, dir };
}
