/**
 * The platform-neutral description of one workload. Components say *what* runs (image, args, files, ports,
 * volumes, health, resources); a platform driver decides *how* (Docker containers today, Kubernetes objects next).
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ApiAccessRule } from "../../core/prometheus/model";

export type { ApiAccessRule } from "../../core/prometheus/model";

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
  /**
   * Workloads of the stack (logical names) that connect to this port, or `"any"` for clients outside the stack
   * (users, ingress controllers, batch jobs). Docker ignores it (one private network); Kubernetes turns it into the
   * workload's NetworkPolicy. @default ["prometheus"] — every port is a metrics port unless said otherwise
   */
  readonly clients?: readonly string[] | "any";
  /** The port also speaks UDP (Alertmanager's gossip). @default false */
  readonly udp?: boolean;
  /** Only for replicas of this workload talking to each other (gossip); not part of the client-facing service. @default false */
  readonly peerOnly?: boolean;
  /**
   * Users reach this port at this URL. Kubernetes: an Ingress for its host and path (TLS when https and the
   * platform names a certificate Secret). Docker ignores it (ports are published instead). @default none
   */
  readonly publicUrl?: string;
}

export interface WorkloadVolume {
  /** Logical name, unique within the workload, e.g. `data`. */
  readonly name: string;
  readonly mountPath: string;
  /** Expected size in GiB; platforms with sized volumes (Kubernetes PVCs of stateful workloads) use it. @default 1 */
  readonly sizeGb?: number;
  /**
   * The data must outlive the pod (pushgateway's persistence file). Kubernetes: a stateless workload gets a
   * PersistentVolumeClaim of its own (one replica, Recreate rollouts) instead of an emptyDir. Docker volumes are
   * always kept. @default false
   */
  readonly persistent?: boolean;
}

export interface HostMount {
  /** Path on the node. */
  readonly hostPath: string;
  readonly containerPath: string;
  /** Host mounts are always read-only; this is recorded so reviewers see it. */
  readonly readOnly: true;
  /** Why the exporter needs this host path (shows up in docs and resource labels). */
  readonly reason: string;
}

export interface HealthCheck {
  /** HTTP path probed on `port` for liveness; the Docker driver runs it with the image's own `wget`. */
  readonly path: string;
  readonly port: number;
  /** Path that answers 200 only when the workload can serve (Kubernetes readiness). @default path */
  readonly readyPath?: string;
  /**
   * How long the workload may take to become ready after a start (Prometheus replaying its WAL). Kubernetes gives
   * it a startup probe of that length so liveness does not kill a slow start. @default no startup allowance
   */
  readonly startupSeconds?: number;
  /**
   * The image has no shell or HTTP client (built FROM scratch). Platforms that probe from inside the container
   * (Docker) skip the check; platforms that probe from outside (Kubernetes' kubelet) still use it. @default true
   */
  readonly imageHasHttpClient?: boolean;
  /**
   * A probe command of the image's own for platforms that probe from inside the container (Docker), for images
   * with no shell or HTTP client but a health flag (`loki -health`). Kubernetes still probes `path` over HTTP.
   * @default wget on `path`
   */
  readonly command?: readonly string[];
}

/** CPU and memory limits of one workload (container or pod). */
export interface WorkloadResources {
  /** Hard memory limit in MiB. */
  readonly memoryMb: number;
  /** CPU limit in cores (fractions allowed). */
  readonly cpus: number;
}

/**
 * How a workload runs: `stateless` (interchangeable replicas, scratch volumes), `stateful` (each replica keeps its
 * own volumes and a stable identity: Prometheus, Alertmanager), `daemon` (one per node: node-exporter).
 */
export type WorkloadKind = "stateless" | "stateful" | "daemon";

/**
 * One workload as components hand it to the platform: image, arguments, files, secrets, ports, volumes and health
 * checks, independent of Docker or Kubernetes.
 */
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
  /**
   * Documented exceptions for workloads that read the host (node-exporter, cAdvisor, the collector's container logs).
   * Kubernetes: they run in the host namespace (Pod Security `privileged`).
   */
  readonly host?: {
    readonly mounts: readonly HostMount[];
    readonly pid?: boolean;
    /** Use the node's network namespace (node-exporter's network statistics). Docker: network mode host, listening on the stack network's gateway address only. */
    readonly network?: boolean;
    readonly privileged?: boolean;
    readonly devices?: readonly string[];
    /**
     * The host files are root's: the engine's container logs (files 0640, directories 0710) and the kubelet's pod
     * logs (files 0640 root:root). Docker runs the container as root, with every capability still dropped (the
     * owner reads its own files without DAC_OVERRIDE); Kubernetes keeps the image's non-root user and adds group 0,
     * which may read the 0640 pod logs. @default false
     */
    readonly rootRead?: boolean;
  };
  /** Linux capabilities beyond none (all are dropped), e.g. NET_RAW for ICMP probes. */
  readonly capAdd?: readonly string[];
  /** @default "stateless" */
  readonly kind?: WorkloadKind;
  /**
   * Seconds the program may take to shut down cleanly after SIGTERM before it is killed (Docker: the container's
   * `destroyGraceSeconds` and `stopTimeout`; see STOP_GRACE_SECONDS in docker-provider.ts for each figure).
   * @default STOP_GRACE_SECONDS.exporter
   */
  readonly stopGraceSeconds?: number;
  /** Identical copies (HA). Docker runs exactly one. @default 1 */
  readonly replicas?: number;
  /**
   * Environment variable the platform sets to a stable identity unique per replica (Kubernetes: the pod name;
   * Docker: the container name), e.g. for Prometheus's `replica` external label. @default none
   */
  readonly replicaIdentityEnv?: string;
  /**
   * Environment variable that carries the instance's own IP address (Kubernetes: the pod IP), e.g. for
   * Alertmanager's gossip advertise address. Only replicated workloads use it. @default none
   */
  readonly instanceIpEnv?: string;
  /**
   * Read rights on the platform's API the workload needs (service discovery, kube-state-metrics). Kubernetes grants
   * exactly these to the workload's own service account; Docker has no such API. @default none
   */
  readonly apiAccess?: readonly ApiAccessRule[];
  /**
   * Replicas are independent copies that do not share data (Prometheus HA): Kubernetes pins each client of the
   * Service to one replica (`sessionAffinity: ClientIP`). @default false
   */
  readonly independentReplicas?: boolean;
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
  /**
   * Resources the workload's container (Docker) or controller (Kubernetes) waits for on create and is deleted
   * before, e.g. the collector after Loki and Jaeger, so on destroy it stops while they still take its last
   * batches. @default none
   */
  readonly after?: readonly pulumi.Resource[];
}
