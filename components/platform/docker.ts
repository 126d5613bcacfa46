/**
 * The Docker platform driver: one container per workload on the stack's user-defined bridge network, named volumes
 * for state, config files uploaded into the container (owned by the image's user), secrets uploaded the same way
 * with their content kept a Pulumi secret, ports published on the bind address only (127.0.0.1 by default).
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { DeployContext, DeployedWorkload, WorkloadSpec } from "./types";

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
  readonly provider?: docker.Provider;
}

export const HEALTHCHECK = { interval: "15s", timeout: "5s", retries: 3, startPeriod: "30s" } as const;
export const CONFIG_HASH_LABEL = "moncode.dev/config-hash";

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
  const network = new docker.Network(
    `${ctx.name}-network`,
    {
      name: `${platform.namePrefix}-monitoring`,
      driver: "bridge",
      labels: [
        { label: "app.kubernetes.io/part-of", value: "moncode" },
        { label: "app.kubernetes.io/instance", value: platform.namePrefix },
      ],
    },
    { parent: ctx.parent, ...(platform.provider ? { provider: platform.provider } : {}) },
  );
  return { ...platform, network: network.name };
}

export function deployDockerWorkload(platform: DockerPlatform, spec: WorkloadSpec, ctx: DeployContext): DeployedWorkload {
  if ((spec.replicas ?? 1) !== 1) throw new Error(`workload "${spec.name}": Docker runs one container per workload (replicas ${spec.replicas})`);
  if (spec.instanceIpEnv) throw new Error(`workload "${spec.name}": the Docker driver cannot provide the instance IP (${spec.instanceIpEnv})`);
  const opts: pulumi.CustomResourceOptions = { parent: ctx.parent, ...(platform.provider ? { provider: platform.provider } : {}) };
  // Docker object names are what operators see in `docker ps`; Pulumi names follow the component's name.
  const base = `${platform.namePrefix}-${spec.name}`;
  const urnBase = `${ctx.name}-${spec.name}`;
  const labels = [
    { label: "app.kubernetes.io/name", value: spec.name },
    { label: "app.kubernetes.io/component", value: spec.component },
    { label: "app.kubernetes.io/part-of", value: "moncode" },
    { label: "app.kubernetes.io/managed-by", value: "pulumi" },
    { label: "app.kubernetes.io/instance", value: platform.namePrefix },
    { label: CONFIG_HASH_LABEL, value: spec.configHash },
  ];
  const volumes = spec.volumes.map(
    (v) =>
      new docker.Volume(
        `${urnBase}-${v.name}`,
        { name: `${base}-${v.name}`, labels: labels.filter((l) => l.label !== CONFIG_HASH_LABEL) },
        opts,
      ),
  );
  const bind = platform.bindAddress ?? "127.0.0.1";
  const env = Object.keys(spec.env ?? {})
    .sort()
    .map((k) => `${k}=${spec.env?.[k] ?? ""}`);
  // The replica identity is the container's name (spec.kind, apiAccess, clients, publicUrl and host.network have no
  // Docker meaning: one container per workload on one private network).
  if (spec.replicaIdentityEnv) env.push(`${spec.replicaIdentityEnv}=${base}`);
  const container = new docker.Container(
    urnBase,
    {
      name: base,
      image: spec.image,
      entrypoints: spec.entrypoint ? [...spec.entrypoint] : undefined,
      command: [...spec.args],
      envs: env,
      user: spec.user,
      restart: "unless-stopped",
      memory: spec.resources.memoryMb,
      cpus: String(spec.resources.cpus),
      labels,
      networksAdvanced: [{ name: requireNetwork(platform), aliases: [spec.name] }],
      // Lets targets on the Docker host be scraped as host.docker.internal on Linux too.
      hosts: [{ host: "host.docker.internal", ip: "host-gateway" }],
      ports: spec.ports
        .filter((p) => p.publish)
        .map((p) => ({ internal: p.port, external: p.hostPort ?? p.port, ip: bind, protocol: "tcp" })),
      volumes: [
        ...spec.volumes.map((v, i) => ({ volumeName: volumes[i]!.name, containerPath: v.mountPath })),
        ...(spec.host?.mounts ?? []).map((m) => ({ hostPath: m.hostPath, containerPath: m.containerPath, readOnly: true })),
      ],
      uploads: spec.files.map((f) => ({
        file: f.path,
        content: f.secret ? pulumi.secret(f.content) : f.content,
        owner: spec.user,
        permissions: f.secret ? "0400" : "0444",
      })),
      healthcheck: spec.healthcheck && spec.healthcheck.imageHasHttpClient !== false
        ? {
            tests: ["CMD", "wget", "-q", "--spider", `http://127.0.0.1:${spec.healthcheck.port}${spec.healthcheck.path}`],
            ...HEALTHCHECK,
          }
        : undefined,
      pidMode: spec.host?.pid ? "host" : undefined,
      privileged: spec.host?.privileged ?? undefined,
      devices: spec.host?.devices?.map((d) => ({ hostPath: d, containerPath: d })),
      capabilities: spec.host?.privileged ? undefined : { drops: ["ALL"], adds: spec.capAdd ? [...spec.capAdd] : undefined },
      securityOpts: ["no-new-privileges:true"],
      logDriver: "json-file",
      logOpts: { "max-size": "10m", "max-file": "3" },
      // Wait for the healthcheck so `pulumi up` fails on a container that never becomes healthy.
      wait: spec.healthcheck !== undefined && spec.healthcheck.imageHasHttpClient !== false,
      waitTimeout: 120,
    },
    { ...opts, deleteBeforeReplace: true },
  );
  return {
    address: (portName) => {
      const p = spec.ports.find((x) => x.name === portName);
      if (!p) throw new Error(`workload "${spec.name}" has no port named "${portName}"`);
      return dockerAddress(spec.name, p.port);
    },
    resources: [container, ...volumes],
  };
}
