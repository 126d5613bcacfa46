import { describe, expect, it } from "vitest";
import {
  API_SERVER,
  kubeletJob,
  kubernetesPodsJob,
  kubernetesServicesJob,
  kubernetesSdAccess,
  SERVICE_ACCOUNT_DIR,
} from "../../core/prometheus/kubernetes";
import type { PrometheusConfig, RelabelConfig, ScrapeJob } from "../../core/prometheus/model";

const cfgOf = (...scrapeJobs: ScrapeJob[]): PrometheusConfig => ({
  global: { scrapeInterval: "15s", evaluationInterval: "15s" },
  ruleFiles: [],
  scrapeJobs,
  alertmanagers: [],
});

/** The opt-in relabelling of annotation discovery for `pod` or `service` objects. */
const annotationOptIn = (kind: "pod" | "service"): RelabelConfig[] => [
  { sourceLabels: [`__meta_kubernetes_${kind}_annotation_prometheus_io_scrape`], regex: "true", action: "keep" },
  { sourceLabels: [`__meta_kubernetes_${kind}_annotation_prometheus_io_path`], regex: "(.+)", targetLabel: "__metrics_path__" },
  { sourceLabels: [`__meta_kubernetes_${kind}_annotation_prometheus_io_scheme`], regex: "(https?)", targetLabel: "__scheme__" },
  {
    sourceLabels: ["__address__", `__meta_kubernetes_${kind}_annotation_prometheus_io_port`],
    regex: "([^:]+)(?::\\d+)?;(\\d+)",
    replacement: "$1:$2",
    targetLabel: "__address__",
  },
];

const podPhaseDrop: RelabelConfig = { sourceLabels: ["__meta_kubernetes_pod_phase"], regex: "Pending|Succeeded|Failed|Completed", action: "drop" };
const podLabels: RelabelConfig[] = [
  { sourceLabels: ["__meta_kubernetes_namespace"], targetLabel: "namespace" },
  { sourceLabels: ["__meta_kubernetes_pod_name"], targetLabel: "pod" },
  { sourceLabels: ["__meta_kubernetes_pod_container_name"], targetLabel: "container" },
];
const serviceLabels: RelabelConfig[] = [
  { sourceLabels: ["__meta_kubernetes_namespace"], targetLabel: "namespace" },
  { sourceLabels: ["__meta_kubernetes_service_name"], targetLabel: "service" },
  { sourceLabels: ["__meta_kubernetes_pod_name"], targetLabel: "pod" },
];

describe("constants", () => {
  it("names the mounted service-account directory and the in-cluster API server", () => {
    expect(SERVICE_ACCOUNT_DIR).toBe("/var/run/secrets/kubernetes.io/serviceaccount");
    expect(API_SERVER).toBe("kubernetes.default.svc:443");
  });
});

describe("kubernetesPodsJob", () => {
  it("by default discovers pods in every namespace that opt in by annotation", () => {
    expect(kubernetesPodsJob()).toEqual({
      name: "kubernetes-pods",
      kubernetesSdConfigs: [{ role: "pod" }],
      relabelConfigs: [podPhaseDrop, ...annotationOptIn("pod"), ...podLabels],
    });
  });

  it("treats an explicit annotation opt-in like the default", () => {
    expect(kubernetesPodsJob({ by: "annotation" })).toEqual(kubernetesPodsJob());
  });

  it("sets no scrape_interval and no namespaces key when they are not given", () => {
    const job = kubernetesPodsJob({ namespaces: [] });
    expect(Object.keys(job)).toEqual(["name", "kubernetesSdConfigs", "relabelConfigs"]);
    expect(Object.keys(job.kubernetesSdConfigs![0]!)).toEqual(["role"]);
  });

  it("takes a job name, an interval and namespaces", () => {
    expect(kubernetesPodsJob({ name: "pods", scrapeInterval: "30s", namespaces: ["apps", "web"] })).toEqual({
      name: "pods",
      scrapeInterval: "30s",
      kubernetesSdConfigs: [{ role: "pod", namespaces: { names: ["apps", "web"] } }],
      relabelConfigs: [podPhaseDrop, ...annotationOptIn("pod"), ...podLabels],
    });
  });

  it("with a label selector, selects pods server-side and keeps only the container port named metrics", () => {
    expect(kubernetesPodsJob({ by: { label: "app.kubernetes.io/part-of=shop" } })).toEqual({
      name: "kubernetes-pods",
      kubernetesSdConfigs: [{ role: "pod", selectors: [{ role: "pod", label: "app.kubernetes.io/part-of=shop" }] }],
      relabelConfigs: [
        podPhaseDrop,
        { sourceLabels: ["__meta_kubernetes_pod_container_port_name"], regex: "metrics", action: "keep" },
        ...podLabels,
      ],
    });
  });

  it("combines a label selector with namespaces", () => {
    expect(kubernetesPodsJob({ by: { label: "team=a" }, namespaces: ["a"] }).kubernetesSdConfigs).toEqual([
      { role: "pod", namespaces: { names: ["a"] }, selectors: [{ role: "pod", label: "team=a" }] },
    ]);
  });
});

describe("kubernetesServicesJob", () => {
  it("by default discovers the endpoint slices of every Service that opts in by annotation", () => {
    expect(kubernetesServicesJob()).toEqual({
      name: "kubernetes-services",
      kubernetesSdConfigs: [{ role: "endpointslice" }],
      relabelConfigs: [...annotationOptIn("service"), ...serviceLabels],
    });
  });

  it("treats an explicit annotation opt-in like the default", () => {
    expect(kubernetesServicesJob({ by: "annotation" })).toEqual(kubernetesServicesJob());
  });

  it("sets no scrape_interval and no namespaces key when they are not given", () => {
    const job = kubernetesServicesJob({ namespaces: [] });
    expect(Object.keys(job)).toEqual(["name", "kubernetesSdConfigs", "relabelConfigs"]);
    expect(Object.keys(job.kubernetesSdConfigs![0]!)).toEqual(["role"]);
  });

  it("takes a job name, an interval and namespaces", () => {
    expect(kubernetesServicesJob({ name: "svc", scrapeInterval: "1m", namespaces: ["shop"] })).toEqual({
      name: "svc",
      scrapeInterval: "1m",
      kubernetesSdConfigs: [{ role: "endpointslice", namespaces: { names: ["shop"] } }],
      relabelConfigs: [...annotationOptIn("service"), ...serviceLabels],
    });
  });

  it("with a label selector, selects Services server-side and keeps only the endpoint port named metrics", () => {
    expect(kubernetesServicesJob({ by: { label: "monitoring=true" }, namespaces: ["a", "b"] })).toEqual({
      name: "kubernetes-services",
      kubernetesSdConfigs: [{ role: "endpointslice", namespaces: { names: ["a", "b"] }, selectors: [{ role: "service", label: "monitoring=true" }] }],
      relabelConfigs: [{ sourceLabels: ["__meta_kubernetes_endpointslice_port_name"], regex: "metrics", action: "keep" }, ...serviceLabels],
    });
  });
});

describe("kubeletJob", () => {
  const viaApiServer = (path: string): Partial<ScrapeJob> => ({
    scheme: "https",
    tlsConfig: { caFile: "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt" },
    authorization: { credentialsFile: "/var/run/secrets/kubernetes.io/serviceaccount/token" },
    kubernetesSdConfigs: [{ role: "node" }],
    relabelConfigs: [
      { sourceLabels: ["__meta_kubernetes_node_name"], targetLabel: "instance" },
      { targetLabel: "__address__", replacement: "kubernetes.default.svc:443" },
      { sourceLabels: ["__meta_kubernetes_node_name"], regex: "(.+)", targetLabel: "__metrics_path__", replacement: path },
    ],
  });

  it("scrapes every kubelet's /metrics through the API server's node proxy", () => {
    expect(kubeletJob("kubelet")).toEqual({ name: "kubelet", ...viaApiServer("/api/v1/nodes/$1/proxy/metrics") });
  });

  it("scrapes every kubelet's cAdvisor through the node proxy, as job cadvisor", () => {
    expect(kubeletJob("cadvisor")).toEqual({ name: "cadvisor", ...viaApiServer("/api/v1/nodes/$1/proxy/metrics/cadvisor") });
  });

  it("takes a job name and an interval, and sets no interval key without one", () => {
    expect(kubeletJob("kubelet", { name: "nodes", scrapeInterval: "30s" })).toEqual({
      name: "nodes",
      scrapeInterval: "30s",
      ...viaApiServer("/api/v1/nodes/$1/proxy/metrics"),
    });
    expect(kubeletJob("cadvisor", { scrapeInterval: "" })).not.toHaveProperty("scrapeInterval");
    expect(kubeletJob("cadvisor", { name: "containers" }).name).toBe("containers");
  });
});

describe("kubernetesSdAccess", () => {
  const listWatch = (apiGroup: string, ...resources: string[]) => ({ apiGroups: [apiGroup], resources, verbs: ["list", "watch"] });
  const nodeProxy = { apiGroups: [""], resources: ["nodes/proxy"], verbs: ["get"] };

  it("grants nothing to a config without Kubernetes discovery", () => {
    expect(kubernetesSdAccess(cfgOf())).toEqual([]);
    expect(kubernetesSdAccess(cfgOf({ name: "api", staticConfigs: [{ targets: ["api:3000"] }] }))).toEqual([]);
  });

  it("grants list/watch on pods for pod discovery", () => {
    expect(kubernetesSdAccess(cfgOf(kubernetesPodsJob()))).toEqual([listWatch("", "pods")]);
  });

  it("grants endpoint slices, services and pods for Service discovery, sorted by group then resource", () => {
    expect(kubernetesSdAccess(cfgOf(kubernetesServicesJob()))).toEqual([listWatch("", "pods", "services"), listWatch("discovery.k8s.io", "endpointslices")]);
  });

  it("grants nodes and get on nodes/proxy for the kubelet and cAdvisor jobs", () => {
    expect(kubernetesSdAccess(cfgOf(kubeletJob("kubelet")))).toEqual([listWatch("", "nodes"), nodeProxy]);
    expect(kubernetesSdAccess(cfgOf(kubeletJob("cadvisor")))).toEqual([listWatch("", "nodes"), nodeProxy]);
  });

  it("merges the rights of every job, each resource once, node proxy last", () => {
    const cfg = cfgOf(kubeletJob("kubelet"), kubeletJob("cadvisor"), kubernetesPodsJob(), kubernetesServicesJob());
    expect(kubernetesSdAccess(cfg)).toEqual([listWatch("", "nodes", "pods", "services"), listWatch("discovery.k8s.io", "endpointslices"), nodeProxy]);
  });

  it.each<[string, ScrapeJob["kubernetesSdConfigs"], ReturnType<typeof listWatch>[]]>([
    ["node", [{ role: "node" }], [listWatch("", "nodes")]],
    ["service", [{ role: "service" }], [listWatch("", "services")]],
    ["endpoints", [{ role: "endpoints" }], [listWatch("", "endpoints", "pods", "services")]],
    ["ingress", [{ role: "ingress" }], [listWatch("networking.k8s.io", "ingresses")]],
    ["several roles in one job", [{ role: "ingress" }, { role: "service" }], [listWatch("", "services"), listWatch("networking.k8s.io", "ingresses")]],
  ])("grants the resources the %s role watches", (_name, sd, rules) => {
    expect(kubernetesSdAccess(cfgOf({ name: "k", kubernetesSdConfigs: sd }))).toEqual(rules);
  });

  it("grants node proxy only when a __metrics_path__ rewrite goes through /api/v1/nodes/<node>/proxy/", () => {
    const job = (relabelConfigs: RelabelConfig[]): ScrapeJob => ({ name: "k", kubernetesSdConfigs: [{ role: "node" }], relabelConfigs });
    const access = (relabelConfigs: RelabelConfig[]) => kubernetesSdAccess(cfgOf(job(relabelConfigs)));
    expect(access([{ targetLabel: "__metrics_path__", replacement: "/api/v1/nodes/n1/proxy/metrics" }])).toEqual([listWatch("", "nodes"), nodeProxy]);
    expect(access([{ targetLabel: "__metrics_path__", replacement: "/api/v1/nodes//proxy/x" }])).toEqual([listWatch("", "nodes"), nodeProxy]);
    // Not through the node proxy: another label, no replacement, another path, or the proxy path not at the start.
    expect(access([{ targetLabel: "instance", replacement: "/api/v1/nodes/$1/proxy/metrics" }])).toEqual([listWatch("", "nodes")]);
    expect(access([{ targetLabel: "__metrics_path__" }])).toEqual([listWatch("", "nodes")]);
    expect(access([{ targetLabel: "__metrics_path__", replacement: "/metrics" }])).toEqual([listWatch("", "nodes")]);
    expect(access([{ targetLabel: "__metrics_path__", replacement: "/x/api/v1/nodes/n1/proxy/metrics" }])).toEqual([listWatch("", "nodes")]);
    expect(access([{ targetLabel: "__metrics_path__", replacement: "/api/v1/nodes/a/b/proxy/metrics" }])).toEqual([listWatch("", "nodes")]);
    expect(access([{ targetLabel: "__metrics_path__", replacement: "/api/v1/nodes/n1/proxy" }])).toEqual([listWatch("", "nodes")]);
  });

  it("grants node proxy even to a job without Kubernetes discovery that rewrites through it", () => {
    const job: ScrapeJob = {
      name: "proxy",
      staticConfigs: [{ targets: ["kubernetes.default.svc:443"] }],
      relabelConfigs: [{ targetLabel: "__metrics_path__", replacement: "/api/v1/nodes/n1/proxy/metrics" }],
    };
    expect(kubernetesSdAccess(cfgOf(job))).toEqual([nodeProxy]);
  });

  it("lists resources alphabetically, not in the order the jobs name them", () => {
    const cfg = cfgOf({ name: "a", kubernetesSdConfigs: [{ role: "service" }] }, { name: "b", kubernetesSdConfigs: [{ role: "node" }] });
    expect(kubernetesSdAccess(cfg)).toEqual([listWatch("", "nodes", "services")]);
  });
});
