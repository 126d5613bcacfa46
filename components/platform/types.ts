/**
 * The platform-neutral description of one workload. Components say *what* runs (image, args, files, ports,
 * volumes, health, resources); a platform driver decides *how* (Docker containers today, Kubernetes objects next).
 */
import type * as pulumi from "@pulumi/pulumi";

export interface WorkloadFile {
  /** Absolute path inside the container. */
  readonly path: string;
  readonly content: pulumi.Input<string>;
  /** Secret files keep their content a Pulumi secret and are mounted read-only for the workload's user only. */
  readonly secret?: boolean;
}

export interface WorkloadPort {
  /** Port name, e.g. `http`, `web`. */
  readonly name: string;
  readonly port: number;
  /** Publish on the host (Docker) / expose outside the cluster; bound to the platform's bind address. */
  readonly publish?: boolean;
  /** Host port when published. @default the container port */
  readonly hostPort?: number;
}

export interface WorkloadVolume {
  /** Logical name, unique within the workload, e.g. `data`. */
  readonly name: string;
  readonly mountPath: string;
}

export interface HostMount {
  readonly hostPath: string;
  readonly containerPath: string;
  /** Host mounts are always read-only; this is recorded so reviewers see it. */
  readonly readOnly: true;
  /** Why the exporter needs this host path (shows up in docs and resource labels). */
  readonly reason: string;
}

export interface HealthCheck {
  /** HTTP path probed on `port`; the Docker driver runs it with the image's own `wget`. */
  readonly path: string;
  readonly port: number;
}

export interface WorkloadResources {
  /** Hard memory limit in MiB. */
  readonly memoryMb: number;
  /** CPU limit in cores (fractions allowed). */
  readonly cpus: number;
}

export interface WorkloadSpec {
  /** Logical name, unique in the stack: the network alias / service name (`prometheus`, `node-exporter`). */
  readonly name: string;
  /** `app.kubernetes.io/component` value. */
  readonly component: string;
  readonly image: string;
  /** Replaces the image entrypoint (used only where a wrapper script is needed). */
  readonly entrypoint?: readonly string[];
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly files: readonly WorkloadFile[];
  readonly ports: readonly WorkloadPort[];
  readonly volumes: readonly WorkloadVolume[];
  /** Omitted only for images without a shell or HTTP client (documented per exporter). */
  readonly healthcheck?: HealthCheck;
  readonly resources: WorkloadResources;
  /** Numeric user the image runs as. */
  readonly user: string;
  /** sha256 of the non-secret rendered config; a change replaces/rolls the workload. */
  readonly configHash: string;
  /** Documented exceptions for exporters that read the host (node-exporter, cAdvisor). */
  readonly host?: {
    readonly mounts: readonly HostMount[];
    readonly pid?: boolean;
    readonly privileged?: boolean;
    readonly devices?: readonly string[];
  };
  /** Linux capabilities beyond none (all are dropped), e.g. NET_RAW for ICMP probes. */
  readonly capAdd?: readonly string[];
}

/** What a platform driver returns for a deployed workload. */
export interface DeployedWorkload {
  /** `host:port` of the named port as other workloads on the same platform reach it. */
  address(portName: string): string;
  /** The resource(s) created, for dependsOn. */
  readonly resources: readonly pulumi.Resource[];
}

/** Where a driver attaches what it creates: the component (parent) and its name (prefix of child names). */
export interface DeployContext {
  readonly parent: pulumi.Resource;
  /** The component's name; children are named `${name}-${workload}`. */
  readonly name: string;
}
