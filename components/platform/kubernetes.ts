/**
 * The Kubernetes platform driver: each workload becomes plain @pulumi/kubernetes objects (built by
 * `workloadManifests`, see kubernetes-objects.ts for the rules every object follows) in one namespace. No Helm
 * chart or YAML group: every object is a first-class Pulumi resource that `pulumi preview` diffs and tests see.
 *
 * Host access (documented exceptions to the hardening): node-exporter runs as a DaemonSet with hostNetwork and
 * hostPID and the node's `/` mounted read-only at /host — the only way to report the node's own network, process
 * and filesystem statistics. Pods on the host network are not subject to NetworkPolicies, and port 9100 must be
 * free on every node. Only Pod Security's `privileged` level admits such a pod, so it lives in a namespace of its
 * own (`hostNamespace`, default `<namespace>-host`) while the stack's namespace enforces `restricted`. cAdvisor is not deployed: the kubelet has it built in and Prometheus scrapes it (and the
 * kubelet) through the API server's node proxy.
 */
import type * as k8sTypes from "@pulumi/kubernetes";

/**
 * The Kubernetes provider SDK, loaded when a Kubernetes object is declared: importing moncode stays cheap for a
 * Docker stack (the SDK takes a noticeable share of start-up), and @pulumi/kubernetes is an optional peer dependency.
 */
function k8s(): typeof k8sTypes {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("@pulumi/kubernetes") as typeof k8sTypes;
}
import * as pulumi from "@pulumi/pulumi";
import { kubeletJob, kubernetesPodsJob } from "../../core/prometheus/kubernetes";
import type { ScrapeJob } from "../../core/prometheus/model";
import {
  commonLabels,
  headlessName,
  needsHostAccess,
  objectName,
  podSecurityLabels,
  workloadManifests,
  workloadNamespace,
  workloadTimeouts,
  type KubernetesNaming,
  type Manifest,
  type PodSecurityLevel,
} from "./kubernetes-objects";
import type { DeployContext, DeployedWorkload, WorkloadSpec } from "./types";

/**
 * Run the stack in one Kubernetes namespace, with least-privilege RBAC and, by default, one NetworkPolicy per
 * workload.
 */
export interface KubernetesPlatform {
  readonly kind: "kubernetes";
  /** Namespace every object of the stack lives in (a DNS-1123 label). */
  readonly namespace: string;
  /**
   * Create the namespaces (labelled like everything else, with Pod Security labels: `restricted` for the stack's,
   * `privileged` for the host namespace); `false` uses existing ones. @default true
   */
  readonly createNamespace?: boolean;
  /**
   * Namespace of host-access workloads (node-exporter), which need the `privileged` Pod Security level. Created
   * with the stack's namespace unless createNamespace is false; then name one that admits them (or turn
   * node-exporter off). @default `<namespace>-host` when the stack creates its namespaces
   */
  readonly hostNamespace?: string;
  /**
   * Annotations on every object the stack declares (not on pod templates), e.g. `pulumi.com/skipAwait` on a
   * cluster that runs no pods. @default none
   */
  readonly annotations?: Readonly<Record<string, string>>;
  /** `app.kubernetes.io/instance` of every object, e.g. the stack name `prod`. */
  readonly instance: string;
  /** Prefix of object names, for namespaces shared with other applications. @default none */
  readonly namePrefix?: string;
  /** Your provider (kubeconfig, context, default namespace); the ambient one when omitted. */
  readonly provider?: k8sTypes.Provider;
  /** StorageClass of the PersistentVolumeClaims. @default the cluster's default class */
  readonly storageClass?: string;
  /** Ingress for workloads with a public URL (Grafana). No Ingress objects without it. */
  readonly ingress?: KubernetesNaming["ingress"];
  /** One NetworkPolicy per workload admitting only its declared clients. @default true */
  readonly networkPolicies?: boolean;
  /**
   * Client workloads that run in the host namespace (the collector reading pod logs), by name, so the
   * NetworkPolicies of the stack's namespace admit them from there. Set by MonitoringStack. @default none
   */
  readonly workloadNamespaces?: Readonly<Record<string, string>>;
  /** Resources every object waits for (the namespace `preparePlatform` created). Set by preparePlatform. */
  readonly dependsOn?: readonly pulumi.Resource[];
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function naming(p: KubernetesPlatform): KubernetesNaming {
  return {
    namespace: p.namespace,
    instance: p.instance,
    ...(p.namePrefix ? { namePrefix: p.namePrefix } : {}),
    ...(p.storageClass ? { storageClass: p.storageClass } : {}),
    ...(p.ingress ? { ingress: p.ingress } : {}),
    networkPolicies: p.networkPolicies ?? true,
    ...(p.workloadNamespaces ? { workloadNamespaces: p.workloadNamespaces } : {}),
    ...(hostNamespaceOf(p) !== undefined ? { hostNamespace: hostNamespaceOf(p) } : {}),
    ...(p.annotations ? { annotations: p.annotations } : {}),
  };
}

/** The host namespace: given, or `<namespace>-host` when the stack creates its namespaces. */
export function hostNamespaceOf(p: KubernetesPlatform): string | undefined {
  return p.hostNamespace ?? (p.createNamespace === false ? undefined : `${p.namespace}-host`);
}

/** `<service>.<namespace>.svc:<port>`: resolvable from any namespace without knowing the cluster domain. */
export function kubernetesAddress(p: KubernetesPlatform, name: string, port: number): string {
  return `${objectName(p, name)}.${p.namespace}.svc:${port}`;
}

/** Every replica of a stateful workload by its stable DNS name (`<name>-<i>.<name>-headless.<ns>.svc:<port>`). */
export function kubernetesPeerAddresses(p: KubernetesPlatform, name: string, replicas: number, port: number): string[] {
  return Array.from({ length: replicas }, (_, i) => `${objectName(p, name)}-${i}.${headlessName(p, name)}.${p.namespace}.svc:${port}`);
}

/**
 * A daemon's pods, one target per node, found by their labels in its namespace (the host namespace for a daemon
 * with host access); `instance` is the node name.
 */
export function kubernetesDaemonTargets(p: KubernetesPlatform, name: string, portName: string, hostAccess = false): Pick<ScrapeJob, "kubernetesSdConfigs" | "relabelConfigs"> {
  const ns = hostAccess ? (hostNamespaceOf(p) ?? p.namespace) : p.namespace;
  const base = kubernetesPodsJob({ by: { label: `app.kubernetes.io/name=${name},app.kubernetes.io/instance=${p.instance}` }, namespaces: [ns] });
  return {
    kubernetesSdConfigs: base.kubernetesSdConfigs ?? [],
    relabelConfigs: [
      { sourceLabels: ["__meta_kubernetes_pod_container_port_name"], regex: portName, action: "keep" },
      { sourceLabels: ["__meta_kubernetes_pod_node_name"], targetLabel: "instance" },
    ],
  };
}

/** Container metrics are built into the kubelet: scrape its cAdvisor and the kubelet itself through the API server. */
export function kubernetesContainerMetricsJobs(scrapeInterval?: string): ScrapeJob[] {
  const opts = scrapeInterval ? { scrapeInterval } : {};
  return [kubeletJob("cadvisor", opts), kubeletJob("kubelet", opts)];
}

export function validateKubernetesPlatform(p: KubernetesPlatform): void {
  const bad = [
    ["namespace", p.namespace],
    ["instance", p.instance],
    ...(p.namePrefix !== undefined ? [["namePrefix", p.namePrefix]] : []),
    ...(p.hostNamespace !== undefined ? [["hostNamespace", p.hostNamespace]] : []),
  ].filter(([, v]) => !(DNS1123_LABEL.test(v ?? "") && (v ?? "").length <= 40));
  if (bad.length > 0) {
    throw new Error(`kubernetes platform: ${bad.map(([k, v]) => `${k} "${v}"`).join(", ")} must be a DNS-1123 label of at most 40 characters (lowercase letters, digits, -)`);
  }
}

/**
 * The namespaces the stack creates, with their Pod Security labels: the stack's (`restricted`) and the host
 * namespace (`privileged`, only when a host-access workload is deployed). Pure: the objects as declared.
 */
export function namespaceManifests(platform: KubernetesPlatform, hostAccess: boolean): Manifest[] {
  const labels = commonLabels(platform, "namespace", "namespace");
  const annotations = platform.annotations && Object.keys(platform.annotations).length > 0 ? { annotations: { ...platform.annotations } } : {};
  const one = (name: string, level: PodSecurityLevel): Manifest => ({
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name, labels: { ...labels, "app.kubernetes.io/name": name, ...podSecurityLabels(level) }, ...annotations },
  });
  const host = hostNamespaceOf(platform);
  return [one(platform.namespace, "restricted"), ...(hostAccess && host !== undefined && host !== platform.namespace ? [one(host, "privileged")] : [])];
}

/**
 * Creates the namespaces unless told not to; every object of the stack then waits for them. `hostAccess`: a
 * workload of the stack needs the host namespace.
 */
export function prepareKubernetesPlatform(platform: KubernetesPlatform, ctx: DeployContext, hostAccess = false): KubernetesPlatform {
  validateKubernetesPlatform(platform);
  if (platform.dependsOn !== undefined) return platform;
  if (platform.createNamespace === false) return { ...platform, dependsOn: [] };
  const created = namespaceManifests(platform, hostAccess).map((m, i) => {
    const { apiVersion: _v, kind: _k, ...rest } = m;
    return new (k8s().core.v1.Namespace)(i === 0 ? `${ctx.name}-namespace` : `${ctx.name}-host-namespace`, rest, { parent: ctx.parent, ...(platform.provider ? { provider: platform.provider } : {}) });
  });
  return { ...platform, dependsOn: created };
}

type Ctor = new (name: string, args: Record<string, unknown>, opts: pulumi.CustomResourceOptions) => pulumi.CustomResource;

let classes: Readonly<Record<string, Ctor>> | undefined;

/** The resource class of each manifest kind (from the lazily loaded SDK). */
function resourceClasses(): Readonly<Record<string, Ctor>> {
  const k = k8s();
  classes ??= {
    "v1/ServiceAccount": k.core.v1.ServiceAccount as unknown as Ctor,
    "v1/ConfigMap": k.core.v1.ConfigMap as unknown as Ctor,
    "v1/PersistentVolumeClaim": k.core.v1.PersistentVolumeClaim as unknown as Ctor,
    "v1/Secret": k.core.v1.Secret as unknown as Ctor,
    "v1/Service": k.core.v1.Service as unknown as Ctor,
    "rbac.authorization.k8s.io/v1/ClusterRole": k.rbac.v1.ClusterRole as unknown as Ctor,
    "rbac.authorization.k8s.io/v1/ClusterRoleBinding": k.rbac.v1.ClusterRoleBinding as unknown as Ctor,
    "apps/v1/StatefulSet": k.apps.v1.StatefulSet as unknown as Ctor,
    "apps/v1/Deployment": k.apps.v1.Deployment as unknown as Ctor,
    "apps/v1/DaemonSet": k.apps.v1.DaemonSet as unknown as Ctor,
    "policy/v1/PodDisruptionBudget": k.policy.v1.PodDisruptionBudget as unknown as Ctor,
    "networking.k8s.io/v1/NetworkPolicy": k.networking.v1.NetworkPolicy as unknown as Ctor,
    "networking.k8s.io/v1/Ingress": k.networking.v1.Ingress as unknown as Ctor,
  };
  return classes;
}

/** Pulumi resource name of a manifest: the component's name, then the object's name (unique per kind). */
function resourceName(ctx: DeployContext, m: Manifest): string {
  return `${ctx.name}-${m.metadata.name}`;
}

export function deployKubernetesWorkload(platform: KubernetesPlatform, spec: WorkloadSpec, ctx: DeployContext): DeployedWorkload {
  if (needsHostAccess(spec) && hostNamespaceOf(platform) === undefined) {
    throw new Error(
      `workload "${spec.name}": needs host access, which only the "privileged" Pod Security level admits; with createNamespace: false set kubernetes hostNamespace to a namespace at that level (or turn ${spec.name} off)`,
    );
  }
  const { manifests, secretData } = workloadManifests(naming(platform), spec);
  const opts: pulumi.CustomResourceOptions = {
    parent: ctx.parent,
    ...(platform.provider ? { provider: platform.provider } : {}),
    ...(platform.dependsOn ? { dependsOn: [...platform.dependsOn] } : {}),
  };
  const created: pulumi.CustomResource[] = [];
  for (const m of manifests) {
    const Cls = resourceClasses()[`${m.apiVersion}/${m.kind}`];
    if (!Cls) throw new Error(`no resource class for ${m.apiVersion} ${m.kind}`);
    const { apiVersion: _v, kind: _k, ...rest } = m;
    const args: Record<string, unknown> = { ...rest };
    const data = secretData[m.metadata.name];
    if (m.kind === "Secret" && data) args.stringData = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, pulumi.secret(v)]));
    // Workloads wait for their config, secrets and RBAC so the first pods start with everything mounted.
    const isWorkload = m.kind === "StatefulSet" || m.kind === "Deployment" || m.kind === "DaemonSet";
    const deps = isWorkload ? [...(platform.dependsOn ?? []), ...created, ...(ctx.after ?? [])] : [...(platform.dependsOn ?? [])];
    // A StatefulSet's volumeClaimTemplates cannot change after creation: a new size would make Pulumi replace the
    // StatefulSet (every replica down at once) and still leave the existing claims at their old size. Keep the
    // template; grow disks by resizing the PVCs (README, Kubernetes section).
    const keepClaims = m.kind === "StatefulSet" ? { ignoreChanges: ["spec.volumeClaimTemplates"] } : {};
    const timeouts = isWorkload ? { customTimeouts: workloadTimeouts(spec) } : {};
    created.push(new Cls(resourceName(ctx, m), args, { ...opts, ...keepClaims, ...timeouts, ...(deps.length > 0 ? { dependsOn: deps } : {}) }));
  }
  return {
    address: (portName) => {
      const p = spec.ports.find((x) => x.name === portName);
      if (!p) throw new Error(`workload "${spec.name}" has no port named "${portName}"`);
      return `${objectName(platform, spec.name)}.${workloadNamespace(naming(platform), spec)}.svc:${p.port}`;
    },
    resources: created,
  };
}
