/**
 * The Kubernetes platform driver: each workload becomes plain @pulumi/kubernetes objects (built by
 * `workloadManifests`, see kubernetes-objects.ts for the rules every object follows) in one namespace. No Helm
 * chart or YAML group: every object is a first-class Pulumi resource that `pulumi preview` diffs and tests see.
 *
 * Host access (documented exceptions to the hardening): node-exporter runs as a DaemonSet with hostNetwork and
 * hostPID and the node's `/` mounted read-only at /host — the only way to report the node's own network, process
 * and filesystem statistics. Pods on the host network are not subject to NetworkPolicies, and port 9100 must be
 * free on every node. cAdvisor is not deployed: the kubelet has it built in and Prometheus scrapes it (and the
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
import { commonLabels, headlessName, objectName, workloadManifests, type KubernetesNaming, type Manifest } from "./kubernetes-objects";
import type { DeployContext, DeployedWorkload, WorkloadSpec } from "./types";

/**
 * Run the stack in one Kubernetes namespace, with least-privilege RBAC and, by default, one NetworkPolicy per
 * workload.
 */
export interface KubernetesPlatform {
  readonly kind: "kubernetes";
  /** Namespace every object of the stack lives in (a DNS-1123 label). */
  readonly namespace: string;
  /** Create the namespace (labelled like everything else); `false` uses an existing one. @default true */
  readonly createNamespace?: boolean;
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
  };
}

/** `<service>.<namespace>.svc:<port>`: resolvable from any namespace without knowing the cluster domain. */
export function kubernetesAddress(p: KubernetesPlatform, name: string, port: number): string {
  return `${objectName(p, name)}.${p.namespace}.svc:${port}`;
}

/** Every replica of a stateful workload by its stable DNS name (`<name>-<i>.<name>-headless.<ns>.svc:<port>`). */
export function kubernetesPeerAddresses(p: KubernetesPlatform, name: string, replicas: number, port: number): string[] {
  return Array.from({ length: replicas }, (_, i) => `${objectName(p, name)}-${i}.${headlessName(p, name)}.${p.namespace}.svc:${port}`);
}

/** A daemon's pods, one target per node, found by their labels in the stack's namespace; `instance` is the node name. */
export function kubernetesDaemonTargets(p: KubernetesPlatform, name: string, portName: string): Pick<ScrapeJob, "kubernetesSdConfigs" | "relabelConfigs"> {
  const base = kubernetesPodsJob({ by: { label: `app.kubernetes.io/name=${name},app.kubernetes.io/instance=${p.instance}` }, namespaces: [p.namespace] });
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
  ].filter(([, v]) => !(DNS1123_LABEL.test(v ?? "") && (v ?? "").length <= 40));
  if (bad.length > 0) {
    throw new Error(`kubernetes platform: ${bad.map(([k, v]) => `${k} "${v}"`).join(", ")} must be a DNS-1123 label of at most 40 characters (lowercase letters, digits, -)`);
  }
}

/** Creates the namespace unless told not to; every object of the stack then waits for it. */
export function prepareKubernetesPlatform(platform: KubernetesPlatform, ctx: DeployContext): KubernetesPlatform {
  validateKubernetesPlatform(platform);
  if (platform.createNamespace === false || platform.dependsOn !== undefined) return platform;
  const labels = commonLabels(platform, "namespace", "namespace");
  const ns = new (k8s().core.v1.Namespace)(
    `${ctx.name}-namespace`,
    { metadata: { name: platform.namespace, labels: { ...labels, "app.kubernetes.io/name": platform.namespace } } },
    { parent: ctx.parent, ...(platform.provider ? { provider: platform.provider } : {}) },
  );
  return { ...platform, dependsOn: [ns] };
}

type Ctor = new (name: string, args: Record<string, unknown>, opts: pulumi.CustomResourceOptions) => pulumi.CustomResource;

let classes: Readonly<Record<string, Ctor>> | undefined;

/** The resource class of each manifest kind (from the lazily loaded SDK). */
function resourceClasses(): Readonly<Record<string, Ctor>> {
  const k = k8s();
  classes ??= {
    "v1/ServiceAccount": k.core.v1.ServiceAccount as unknown as Ctor,
    "v1/ConfigMap": k.core.v1.ConfigMap as unknown as Ctor,
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
    const deps = isWorkload ? [...(platform.dependsOn ?? []), ...created] : [...(platform.dependsOn ?? [])];
    // A StatefulSet's volumeClaimTemplates cannot change after creation: a new size would make Pulumi replace the
    // StatefulSet (every replica down at once) and still leave the existing claims at their old size. Keep the
    // template; grow disks by resizing the PVCs (README, Kubernetes section).
    const keepClaims = m.kind === "StatefulSet" ? { ignoreChanges: ["spec.volumeClaimTemplates"] } : {};
    created.push(new Cls(resourceName(ctx, m), args, { ...opts, ...keepClaims, ...(deps.length > 0 ? { dependsOn: deps } : {}) }));
  }
  return {
    address: (portName) => {
      const p = spec.ports.find((x) => x.name === portName);
      if (!p) throw new Error(`workload "${spec.name}" has no port named "${portName}"`);
      return kubernetesAddress(platform, spec.name, p.port);
    },
    resources: created,
  };
}
