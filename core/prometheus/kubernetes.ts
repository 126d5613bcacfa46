/**
 * Scrape jobs for a Prometheus running inside a Kubernetes cluster, and the read rights they need. Pure: the
 * platform layer turns `kubernetesSdAccess(config)` into a ClusterRole, so the rights follow the rendered config
 * (least privilege by construction, not by a hand-kept list).
 */
import type { ApiAccessRule, KubernetesSdConfig, KubernetesSdRole, PrometheusConfig, RelabelConfig, ScrapeJob } from "./model";

/** Where Kubernetes mounts a pod's service-account credentials. */
export const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";
/** The API server as every pod reaches it. */
export const API_SERVER = "kubernetes.default.svc:443";

/** Options of `kubernetesPodsJob` and `kubernetesServicesJob`: how targets opt in, which namespaces, the job name. */
export interface DiscoveryOptions {
  /** Job name. @default "kubernetes-pods" / "kubernetes-services" */
  readonly name?: string;
  /**
   * `"annotation"`: targets opt in with `prometheus.io/scrape: "true"` (and optional `prometheus.io/port`,
   * `prometheus.io/path`, `prometheus.io/scheme`). `{ label }`: a server-side label selector picks the objects
   * and the port named `metrics` is scraped. @default "annotation"
   */
  readonly by?: "annotation" | { readonly label: string };
  /** Namespaces to look in. @default all */
  readonly namespaces?: readonly string[];
  readonly scrapeInterval?: string;
}

const ANNOTATION = (kind: "pod" | "service", name: string): string => `__meta_kubernetes_${kind}_annotation_prometheus_io_${name}`;

/** Relabelling shared by pod and service discovery: opt-in, then path, scheme and port from annotations. */
function optIn(kind: "pod" | "service", by: DiscoveryOptions["by"], portNameLabel: string): RelabelConfig[] {
  if (by !== undefined && by !== "annotation") {
    return [{ sourceLabels: [portNameLabel], regex: "metrics", action: "keep" }];
  }
  return [
    { sourceLabels: [ANNOTATION(kind, "scrape")], regex: "true", action: "keep" },
    { sourceLabels: [ANNOTATION(kind, "path")], regex: "(.+)", targetLabel: "__metrics_path__" },
    { sourceLabels: [ANNOTATION(kind, "scheme")], regex: "(https?)", targetLabel: "__scheme__" },
    // host[:port];annotated-port → host:annotated-port
    { sourceLabels: ["__address__", ANNOTATION(kind, "port")], regex: "([^:]+)(?::\\d+)?;(\\d+)", replacement: "$1:$2", targetLabel: "__address__" },
  ];
}

function sdConfig(role: KubernetesSdRole, opts: DiscoveryOptions, selectorRole: KubernetesSdRole): KubernetesSdConfig {
  const by = opts.by;
  return {
    role,
    ...(opts.namespaces && opts.namespaces.length > 0 ? { namespaces: { names: opts.namespaces } } : {}),
    ...(by !== undefined && by !== "annotation" ? { selectors: [{ role: selectorRole, label: by.label }] } : {}),
  };
}

/** Pods that opt in by annotation (or match a label selector); labels `namespace`, `pod`, `container`. */
export function kubernetesPodsJob(opts: DiscoveryOptions = {}): ScrapeJob {
  return {
    name: opts.name ?? "kubernetes-pods",
    ...(opts.scrapeInterval ? { scrapeInterval: opts.scrapeInterval } : {}),
    kubernetesSdConfigs: [sdConfig("pod", opts, "pod")],
    relabelConfigs: [
      // Completed jobs and pending pods have nothing to scrape.
      { sourceLabels: ["__meta_kubernetes_pod_phase"], regex: "Pending|Succeeded|Failed|Completed", action: "drop" },
      ...optIn("pod", opts.by, "__meta_kubernetes_pod_container_port_name"),
      { sourceLabels: ["__meta_kubernetes_namespace"], targetLabel: "namespace" },
      { sourceLabels: ["__meta_kubernetes_pod_name"], targetLabel: "pod" },
      { sourceLabels: ["__meta_kubernetes_pod_container_name"], targetLabel: "container" },
    ],
  };
}

/** Endpoints of Services that opt in by annotation (or match a label selector); labels `namespace`, `service`, `pod`. */
export function kubernetesServicesJob(opts: DiscoveryOptions = {}): ScrapeJob {
  return {
    name: opts.name ?? "kubernetes-services",
    ...(opts.scrapeInterval ? { scrapeInterval: opts.scrapeInterval } : {}),
    kubernetesSdConfigs: [sdConfig("endpointslice", opts, "service")],
    relabelConfigs: [
      ...optIn("service", opts.by, "__meta_kubernetes_endpointslice_port_name"),
      { sourceLabels: ["__meta_kubernetes_namespace"], targetLabel: "namespace" },
      { sourceLabels: ["__meta_kubernetes_service_name"], targetLabel: "service" },
      { sourceLabels: ["__meta_kubernetes_pod_name"], targetLabel: "pod" },
    ],
  };
}

/**
 * Every node's kubelet (`/metrics`) or its built-in cAdvisor (`/metrics/cadvisor`), through the API server's node
 * proxy: Prometheus needs no network path to the nodes and no kubelet client certificate, only its service
 * account token and `get` on `nodes/proxy` (which the derived ClusterRole grants). The job is named `cadvisor`
 * for container metrics so the shipped container rules and dashboards select it on Docker and Kubernetes alike.
 */
export function kubeletJob(kind: "kubelet" | "cadvisor", opts: { readonly name?: string; readonly scrapeInterval?: string } = {}): ScrapeJob {
  return {
    name: opts.name ?? kind,
    ...(opts.scrapeInterval ? { scrapeInterval: opts.scrapeInterval } : {}),
    scheme: "https",
    tlsConfig: { caFile: `${SERVICE_ACCOUNT_DIR}/ca.crt` },
    authorization: { credentialsFile: `${SERVICE_ACCOUNT_DIR}/token` },
    kubernetesSdConfigs: [{ role: "node" }],
    relabelConfigs: [
      { sourceLabels: ["__meta_kubernetes_node_name"], targetLabel: "instance" },
      { targetLabel: "__address__", replacement: API_SERVER },
      {
        sourceLabels: ["__meta_kubernetes_node_name"],
        regex: "(.+)",
        targetLabel: "__metrics_path__",
        replacement: kind === "kubelet" ? "/api/v1/nodes/$1/proxy/metrics" : "/api/v1/nodes/$1/proxy/metrics/cadvisor",
      },
    ],
  };
}

/** What Prometheus's discovery watches per role (list + watch; endpoints/endpointslice roles also watch pods and services). */
const ROLE_RESOURCES: Readonly<Record<KubernetesSdRole, readonly [group: string, resource: string][]>> = {
  node: [["", "nodes"]],
  pod: [["", "pods"]],
  service: [["", "services"]],
  endpoints: [["", "endpoints"], ["", "services"], ["", "pods"]],
  endpointslice: [["discovery.k8s.io", "endpointslices"], ["", "services"], ["", "pods"]],
  ingress: [["networking.k8s.io", "ingresses"]],
};

const NODE_PROXY_PATH = /^\/api\/v1\/nodes\/[^/]*\/proxy\//;

/**
 * The least API rights the config needs: list/watch for each discovery role used, `get` on `nodes/proxy` when a
 * job scrapes through the API server's node proxy. Empty for a config without Kubernetes discovery.
 */
export function kubernetesSdAccess(cfg: PrometheusConfig): ApiAccessRule[] {
  const listWatch = new Map<string, Set<string>>();
  let nodeProxy = false;
  for (const job of cfg.scrapeJobs) {
    for (const sd of job.kubernetesSdConfigs ?? []) {
      for (const [group, resource] of ROLE_RESOURCES[sd.role] ?? []) {
        const set = listWatch.get(group) ?? new Set<string>();
        set.add(resource);
        listWatch.set(group, set);
      }
    }
    if ((job.relabelConfigs ?? []).some((r) => r.targetLabel === "__metrics_path__" && NODE_PROXY_PATH.test(r.replacement ?? ""))) nodeProxy = true;
  }
  const rules: ApiAccessRule[] = [...listWatch.keys()].sort().map((group) => ({
    apiGroups: [group],
    resources: [...(listWatch.get(group) ?? [])].sort(),
    verbs: ["list", "watch"],
  }));
  if (nodeProxy) rules.push({ apiGroups: [""], resources: ["nodes/proxy"], verbs: ["get"] });
  return rules;
}
