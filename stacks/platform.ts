/**
 * The platform part of a stack's composition: which platform the stack config selects, and what only that
 * platform adds (Kubernetes: HA replica counts, discovery of annotated pods and services).
 */
import type { Platform } from "../components/platform";
import { kubernetesPodsJob, kubernetesServicesJob } from "../core/prometheus/kubernetes";
import type { ScrapeJob } from "../core/prometheus/model";
import { kubernetesConfigSchema, type StackConfig } from "./config";

export type KubernetesSettings = NonNullable<StackConfig["kubernetes"]>;

/** The Kubernetes section with its defaults, or undefined for other platforms. */
export function kubernetesSettings(cfg: StackConfig): KubernetesSettings | undefined {
  if (cfg.platform !== "kubernetes") return undefined;
  return cfg.kubernetes ?? kubernetesConfigSchema.parse({});
}

export function platformFromConfig(cfg: StackConfig, stackName: string): Platform {
  const k = kubernetesSettings(cfg);
  if (!k) {
    return {
      kind: "docker",
      namePrefix: stackName,
      bindAddress: cfg.docker.bindAddress,
      ...(cfg.docker.subnet !== undefined ? { subnet: cfg.docker.subnet } : {}),
      ...(cfg.docker.dataRoot !== undefined ? { dataRoot: cfg.docker.dataRoot } : {}),
    };
  }
  return {
    kind: "kubernetes",
    namespace: k.namespace,
    createNamespace: k.createNamespace,
    instance: stackName,
    ...(k.namePrefix !== undefined ? { namePrefix: k.namePrefix } : {}),
    ...(k.storageClass !== undefined ? { storageClass: k.storageClass } : {}),
    ...(k.ingress !== undefined ? { ingress: k.ingress } : {}),
    ...(k.hostNamespace !== undefined ? { hostNamespace: k.hostNamespace } : {}),
    ...(k.annotations !== undefined ? { annotations: k.annotations } : {}),
    networkPolicies: k.networkPolicies,
  };
}

/** Jobs for pods and services that opt in by annotation (Kubernetes only). */
export function discoveryJobs(cfg: StackConfig): ScrapeJob[] {
  const k = kubernetesSettings(cfg);
  if (!k) return [];
  const namespaces = k.discovery.namespaces.length > 0 ? { namespaces: k.discovery.namespaces } : {};
  return [...(k.discovery.pods ? [kubernetesPodsJob(namespaces)] : []), ...(k.discovery.services ? [kubernetesServicesJob(namespaces)] : [])];
}
