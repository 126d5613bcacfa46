/**
 * The platform layer: the one exhaustive switch on the platform kind. Components describe workloads; this module
 * hands them to the driver of the platform the stack chose.
 */
import type { ScrapeJob } from "../../core/prometheus/model";
import { deployDockerWorkload, dockerAddress, dockerDaemonAddress, prepareDockerPlatform, type DockerPlatform } from "./docker";
import {
  deployKubernetesWorkload,
  hostNamespaceOf,
  kubernetesAddress,
  kubernetesContainerMetricsJobs,
  kubernetesDaemonTargets,
  kubernetesPeerAddresses,
  prepareKubernetesPlatform,
  type KubernetesPlatform,
} from "./kubernetes";
import { needsHostAccess } from "./kubernetes-objects";
import type { DeployContext, DeployedWorkload, WorkloadSpec } from "./types";

export type { DockerPlatform } from "./docker";
export type { KubernetesPlatform } from "./kubernetes";
export * from "./types";

/** Where a stack runs: Docker containers on one host, or a Kubernetes namespace. */
export type Platform = DockerPlatform | KubernetesPlatform;
export type PlatformKind = Platform["kind"];

function unreachable(p: never): never {
  throw new Error(`unknown platform ${JSON.stringify(p)}`);
}

export interface PlatformDriver {
  readonly kind: PlatformKind;
  /** How other workloads of the stack reach `name:port`. */
  address(name: string, port: number): string;
  /** Every replica of a workload, addressed one by one (Alertmanager peers; Prometheus alerts each of them). */
  peerAddresses(name: string, replicas: number, port: number): string[];
  /**
   * Scrape targets of a daemon (one per node) by its port's name and number, given its host access (`host` of its
   * spec): Docker, the gateway address for a host-network daemon, else the container; Kubernetes, its pods (in the
   * host namespace when it has host access).
   */
  daemonTargets(name: string, portName: string, port: number, host?: WorkloadSpec["host"]): Pick<ScrapeJob, "staticConfigs" | "kubernetesSdConfigs" | "relabelConfigs">;
  /** Host-access workloads (node-exporter) have somewhere to run (Kubernetes: a host namespace). */
  readonly admitsHostAccess: boolean;
  /**
   * The listen address of a daemon in the host's network namespace: Docker, the stack network's gateway address
   * only (the host's other interfaces stay closed); Kubernetes, every address of the node (`:port`, as the
   * DaemonSet's NetworkPolicy and the node's firewall decide who reaches it).
   */
  daemonListenAddress(port: number): string;
  /**
   * Scrape jobs for container metrics when the platform has them built in (Kubernetes: the kubelet's cAdvisor);
   * `undefined` when a cAdvisor workload must be deployed (Docker).
   */
  builtinContainerMetrics(scrapeInterval?: string): ScrapeJob[] | undefined;
  /** The platform has a cluster API whose objects can be discovered and exported (kube-state-metrics). */
  readonly clusterApi: boolean;
  deploy(spec: WorkloadSpec, ctx: DeployContext): DeployedWorkload;
  /**
   * Creates what a whole stack shares on this platform (Docker: its network; Kubernetes: its namespaces, the host
   * namespace only when one of `workloads` needs host access) and returns the completed platform.
   */
  prepare(ctx: DeployContext, workloads?: readonly WorkloadSpec[]): Platform;
}

/**
 * The driver of a platform: how its workloads are addressed, scraped and declared. Components use it; you rarely need
 * it.
 */
export function platformDriver(platform: Platform): PlatformDriver {
  switch (platform.kind) {
    case "docker":
      return {
        kind: "docker",
        address: dockerAddress,
        // One container per workload on Docker.
        peerAddresses: (name, _replicas, port) => [dockerAddress(name, port)],
        // A host-network daemon is reached at the gateway address, not by container name.
        daemonTargets: (name, _portName, port, host) => ({ staticConfigs: [{ targets: [host?.network === true ? dockerDaemonAddress(platform, port) : dockerAddress(name, port)] }] }),
        daemonListenAddress: (port) => dockerDaemonAddress(platform, port),
        builtinContainerMetrics: () => undefined,
        clusterApi: false,
        admitsHostAccess: true,
        deploy: (spec, ctx) => deployDockerWorkload(platform, spec, ctx),
        prepare: (ctx) => prepareDockerPlatform(platform, ctx),
      };
    case "kubernetes":
      return {
        kind: "kubernetes",
        address: (name, port) => kubernetesAddress(platform, name, port),
        peerAddresses: (name, replicas, port) => kubernetesPeerAddresses(platform, name, replicas, port),
        daemonTargets: (name, portName, _port, host) => kubernetesDaemonTargets(platform, name, portName, needsHostAccess({ host })),
        daemonListenAddress: (port) => `:${port}`,
        builtinContainerMetrics: kubernetesContainerMetricsJobs,
        clusterApi: true,
        admitsHostAccess: hostNamespaceOf(platform) !== undefined,
        deploy: (spec, ctx) => deployKubernetesWorkload(platform, spec, ctx),
        prepare: (ctx, workloads = []) => prepareKubernetesPlatform(platform, ctx, workloads.some(needsHostAccess)),
      };
    default:
      return unreachable(platform);
  }
}

/** Shared stack resources for a platform (see PlatformDriver.prepare). */
export function preparePlatform(platform: Platform, ctx: DeployContext, workloads: readonly WorkloadSpec[] = []): Platform {
  return platformDriver(platform).prepare(ctx, workloads);
}
