/** The pure pieces of the Kubernetes platform: manifests of one workload, sizing, discovery jobs and their rights. */
import { describe, expect, it } from "vitest";
import { prometheusResources, prometheusVolumeGb } from "../../components/prometheus-stack";
import {
  AWAIT_MARGIN_SECONDS,
  CONFIGMAP_MAX_BYTES,
  chunkFiles,
  podSecurityLabels,
  podSecurityLevel,
  resourceRequirements,
  workloadManifests,
  workloadTimeouts,
  type KubernetesNaming,
} from "../../components/platform/kubernetes-objects";
import { hostNamespaceOf, namespaceManifests, validateKubernetesPlatform } from "../../components/platform/kubernetes";
import type { WorkloadSpec } from "../../components/platform/types";
import { kubeletJob, kubernetesPodsJob, kubernetesSdAccess, kubernetesServicesJob, renderPrometheusConfig, validatePrometheusConfig, type PrometheusConfig } from "../../core/prometheus";
import { parseStackConfig } from "../../stacks/config";
import { kubernetesSettings, platformFromConfig } from "../../stacks/platform";
import { validateKubernetesObject } from "./schema";

const naming: KubernetesNaming = { namespace: "team-a", instance: "test", namePrefix: "mon" };
const spec = (over: Partial<WorkloadSpec> = {}): WorkloadSpec => ({
  name: "pushgateway",
  component: "exporter",
  image: "prom/pushgateway:v1.11.1",
  args: ["--web.listen-address=:9091"],
  files: [{ path: "/etc/x/config.yml", content: "a: 1\n" }],
  ports: [{ name: "http", port: 9091 }],
  volumes: [{ name: "data", mountPath: "/data" }],
  healthcheck: { path: "/-/healthy", port: 9091 },
  resources: { memoryMb: 64, cpus: 0.2 },
  user: "65534",
  configHash: "0123456789abcdef",
  ...over,
});
const kinds = (s: WorkloadSpec) => workloadManifests(naming, s).manifests.map((m) => `${m.kind} ${m.metadata.name}`);
const cfg = (jobs: PrometheusConfig["scrapeJobs"]): PrometheusConfig => ({ global: { scrapeInterval: "15s", evaluationInterval: "15s" }, ruleFiles: [], scrapeJobs: jobs, alertmanagers: [] });

describe("workloadManifests", () => {
  it("builds ConfigMap, Service, Deployment and NetworkPolicy with the name prefix in the given namespace", async () => {
    expect(kinds(spec())).toEqual(["ConfigMap mon-pushgateway-config", "Service mon-pushgateway", "Deployment mon-pushgateway", "NetworkPolicy mon-pushgateway"]);
    const problems = (await Promise.all(workloadManifests(naming, spec()).manifests.map((m) => validateKubernetesObject(m as never)))).flat();
    expect(problems).toEqual([]);
  });

  it("lets ICMP probes use unprivileged ICMP sockets (a non-root pod gets no added NET_RAW), and only them", async () => {
    const pod = (s: WorkloadSpec) => (workloadManifests(naming, s).manifests.find((m) => m.kind === "Deployment") as unknown as { spec: { template: { spec: { securityContext: Record<string, unknown> } } } }).spec.template.spec.securityContext;
    expect(pod(spec({ capAdd: ["NET_RAW"] })).sysctls).toEqual([{ name: "net.ipv4.ping_group_range", value: "0 2147483647" }]);
    expect(pod(spec()).sysctls).toBeUndefined();
    // The capability itself is never added: Pod Security's baseline and restricted levels refuse NET_RAW.
    const container = (s: WorkloadSpec) => (workloadManifests(naming, s).manifests.find((m) => m.kind === "Deployment") as any).spec.template.spec.containers[0].securityContext;
    expect(container(spec({ capAdd: ["NET_RAW"] })).capabilities).toEqual({ drop: ["ALL"] });
    const problems = (await Promise.all(workloadManifests(naming, spec({ capAdd: ["NET_RAW"] })).manifests.map((m) => validateKubernetesObject(m as never)))).flat();
    expect(problems).toEqual([]);
  });

  it("gives a persistent volume of a stateless workload its own claim and Recreate rollouts, and refuses one shared by replicas", () => {
    const m = workloadManifests({ ...naming, storageClass: "fast" }, spec({ volumes: [{ name: "data", mountPath: "/data", sizeGb: 2, persistent: true }] }));
    expect(m.manifests.map((x) => `${x.kind} ${x.metadata.name}`)).toContain("PersistentVolumeClaim mon-pushgateway-data");
    const pvc = m.manifests.find((x) => x.kind === "PersistentVolumeClaim") as any;
    expect(pvc.spec).toEqual({ accessModes: ["ReadWriteOnce"], storageClassName: "fast", resources: { requests: { storage: "2Gi" } } });
    const dep = m.manifests.find((x) => x.kind === "Deployment") as any;
    expect(dep.spec.strategy).toEqual({ type: "Recreate" });
    expect(dep.spec.template.spec.volumes).toContainEqual({ name: "data", persistentVolumeClaim: { claimName: "mon-pushgateway-data" } });
    expect(() => workloadManifests(naming, spec({ replicas: 2, volumes: [{ name: "data", mountPath: "/data", persistent: true }] }))).toThrow('workload "pushgateway": volume "data" is persistent, which a stateless workload of 2 replicas cannot share (one claim, ReadWriteOnce)');
  });

  it("keeps each Service client on one replica of independent replicas (Prometheus HA) and only then", () => {
    const svc = (s: WorkloadSpec) => (workloadManifests(naming, s).manifests.find((m) => m.kind === "Service") as any).spec;
    expect(svc(spec({ kind: "stateful", replicas: 2, independentReplicas: true })).sessionAffinity).toBe("ClientIP");
    expect(svc(spec({ kind: "stateful", replicas: 2 })).sessionAffinity).toBeUndefined();
    expect(svc(spec({ independentReplicas: true })).sessionAffinity).toBeUndefined();
  });

  it("puts host-access workloads in the host namespace, with a policy admitting clients from the stack's namespace", () => {
    const host = spec({ kind: "daemon", host: { mounts: [{ hostPath: "/", containerPath: "/host", readOnly: true, reason: "stats" }], pid: true, network: true } });
    const m = workloadManifests({ ...naming, hostNamespace: "team-a-host" }, host).manifests;
    expect([...new Set(m.map((x) => x.metadata.namespace))]).toEqual(["team-a-host"]);
    const np = m.find((x) => x.kind === "NetworkPolicy") as any;
    expect(np.spec.ingress[0].from).toEqual([{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "team-a" } }, podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus", "app.kubernetes.io/instance": "test" } } }]);
    expect(podSecurityLevel(host)).toBe("privileged");
    expect(podSecurityLevel(spec())).toBe("restricted");
    expect([...new Set(workloadManifests({ ...naming, hostNamespace: "team-a-host" }, spec()).manifests.map((x) => x.metadata.namespace))]).toEqual(["team-a"]);
  });

  it("annotates every object (not the pod template) with the platform's annotations", () => {
    const m = workloadManifests({ ...naming, annotations: { "pulumi.com/skipAwait": "true" } }, spec({ apiAccess: [{ apiGroups: [""], resources: ["pods"], verbs: ["list"] }] })).manifests;
    for (const x of m) expect(x.metadata.annotations, `${x.kind} ${x.metadata.name}`).toEqual({ "pulumi.com/skipAwait": "true" });
    const dep = m.find((x) => x.kind === "Deployment") as any;
    expect(Object.keys(dep.spec.template.metadata.annotations)).toEqual(["moncode.dev/config-hash"]);
  });

  it("derives await timeouts from replicas × (termination grace + startup budget) + the margin", () => {
    // Prometheus prod: 2 replicas, 120 s grace, a 15-minute startup probe: 2 × 1020 + 300.
    expect(workloadTimeouts({ kind: "stateful", replicas: 2, healthcheck: { path: "/-/healthy", port: 9090, startupSeconds: 900 } })).toEqual({ create: "2340s", update: "2340s", delete: "540s" });
    // A one-replica exporter without a startup probe: 30 s grace + 30 s readiness budget + 300.
    expect(workloadTimeouts({ healthcheck: { path: "/", port: 1 } })).toEqual({ create: "360s", update: "360s", delete: "330s" });
    expect(AWAIT_MARGIN_SECONDS).toBe(300);
  });

  it("labels the namespaces with Pod Security levels: restricted for the stack, privileged for the host namespace only when needed", () => {
    const p = { kind: "kubernetes" as const, namespace: "mon", instance: "prod" };
    const ns = namespaceManifests(p, true);
    expect(ns.map((n) => [n.metadata.name, n.metadata.labels["pod-security.kubernetes.io/enforce"], n.metadata.labels["pod-security.kubernetes.io/warn"]])).toEqual([
      ["mon", "restricted", "restricted"],
      ["mon-host", "privileged", "privileged"],
    ]);
    expect(namespaceManifests(p, false).map((n) => n.metadata.name)).toEqual(["mon"]);
    expect(namespaceManifests({ ...p, hostNamespace: "nodes" }, true).map((n) => n.metadata.name)).toEqual(["mon", "nodes"]);
    expect(podSecurityLabels("restricted")["pod-security.kubernetes.io/enforce-version"]).toBe("latest");
    expect(hostNamespaceOf({ ...p, createNamespace: false })).toBeUndefined();
    expect(() => validateKubernetesPlatform({ ...p, hostNamespace: "Nodes" })).toThrow('hostNamespace "Nodes" must be a DNS-1123 label');
  });

  it("turns stateful workloads into a StatefulSet with a headless Service and a PVC per replica, plus a PDB when replicated", () => {
    const m = workloadManifests({ ...naming, storageClass: "fast" }, spec({ kind: "stateful", replicas: 2, volumes: [{ name: "data", mountPath: "/data", sizeGb: 7 }] }));
    expect(m.manifests.map((x) => x.kind)).toEqual(["ConfigMap", "Service", "Service", "StatefulSet", "PodDisruptionBudget", "NetworkPolicy"]);
    const sts = m.manifests.find((x) => x.kind === "StatefulSet") as unknown as { spec: { serviceName: string; volumeClaimTemplates: { spec: unknown }[] } };
    expect(sts.spec.serviceName).toBe("mon-pushgateway-headless");
    expect(sts.spec.volumeClaimTemplates[0]?.spec).toEqual({ accessModes: ["ReadWriteOnce"], storageClassName: "fast", resources: { requests: { storage: "7Gi" } } });
  });

  it("splits files over ConfigMaps under the byte budget and refuses a file that cannot fit", () => {
    const big = (i: number) => ({ path: `/etc/d/${i}.json`, content: "x".repeat(100_000) });
    const chunks = chunkFiles([big(1), big(2), big(3), big(4), big(5)]);
    expect(chunks.map((c) => c.length)).toEqual([2, 2, 1]);
    expect(kinds(spec({ files: [big(1), big(2), big(3)] })).filter((k) => k.startsWith("ConfigMap"))).toEqual(["ConfigMap mon-pushgateway-config-0", "ConfigMap mon-pushgateway-config-1"]);
    expect(() => chunkFiles([{ path: "/etc/huge.json", content: "x".repeat(CONFIGMAP_MAX_BYTES) }], CONFIGMAP_MAX_BYTES, "grafana")).toThrow("grafana: file /etc/huge.json is 240013 bytes, over the 240000-byte ConfigMap budget");
  });

  it("mounts secrets as a read-only directory from one Secret, values kept apart from the manifests", () => {
    const m = workloadManifests(naming, spec({ files: [{ path: "/run/secrets/app/token", content: "s3cr3t", secret: true }] }));
    expect(m.secretData).toEqual({ "mon-pushgateway-secrets": { run_secrets_app_token: "s3cr3t" } });
    expect(JSON.stringify(m.manifests)).not.toContain("s3cr3t");
    const pod = (m.manifests.find((x) => x.kind === "Deployment") as unknown as { spec: { template: { spec: { volumes: unknown[]; containers: { volumeMounts: unknown[] }[] } } } }).spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: "secrets-0", secret: { secretName: "mon-pushgateway-secrets", defaultMode: 0o440, items: [{ key: "run_secrets_app_token", path: "token" }] } });
    expect(pod.containers[0]?.volumeMounts).toContainEqual({ name: "secrets-0", mountPath: "/run/secrets/app", readOnly: true });
  });

  it.each([
    ["a privileged container", spec({ host: { mounts: [], privileged: true } }), "privileged containers are not deployed on Kubernetes"],
    ["no healthcheck", { ...spec(), healthcheck: undefined }, "needs a healthcheck"],
    ["root", spec({ user: "0" }), "numeric non-root user"],
    ["a config file hidden by a secret directory", spec({ files: [{ path: "/etc/a/x.yml", content: "" }, { path: "/etc/a/pw", content: "p", secret: true }] }), "/etc/a/x.yml would be hidden by the secret directory /etc/a"],
    ["a replicated daemon", spec({ kind: "daemon", replicas: 2 }), "replicas must be 1"],
  ])("refuses %s", (_n, s, message) => {
    expect(() => workloadManifests(naming, s as WorkloadSpec)).toThrow(message);
  });

  it("refuses platform names that are not DNS-1123 labels", () => {
    expect(() => validateKubernetesPlatform({ kind: "kubernetes", namespace: "Monitoring", instance: "prod" })).toThrow('namespace "Monitoring" must be a DNS-1123 label');
  });
});

describe("sizing rules", () => {
  it("requests all of the memory limit and a quarter of the CPU limit (at least 10m)", () => {
    expect(resourceRequirements({ memoryMb: 256, cpus: 0.5 })).toEqual({ limits: { cpu: "500m", memory: "256Mi" }, requests: { cpu: "125m", memory: "256Mi" } });
    expect(resourceRequirements({ memoryMb: 32, cpus: 0.02 }).requests.cpu).toBe("10m");
  });

  it.each([
    [0, 0, { memoryMb: 256, cpus: 0.25 }],
    [100_000, 0, { memoryMb: 1088, cpus: 0.75 }],
    [100_000, 400, { memoryMb: 1152, cpus: 0.95 }],
    [1_000_000, 1000, { memoryMb: 8320, cpus: 5.75 }],
  ])("Prometheus with %i series and %i rules gets %o", (series, rules, expected) => {
    expect(prometheusResources({ expectedSeries: series, ruleCount: rules })).toEqual(expected);
  });

  it.each([["10GB", 12], ["500MB", 1], [undefined, 20]])("a TSDB volume for retention size %s is %i GiB", (size, gb) => {
    expect(prometheusVolumeGb(size)).toBe(gb);
  });
});

describe("Kubernetes discovery in the Prometheus model", () => {
  it("renders kubernetes_sd_configs with namespaces and selectors", () => {
    const text = renderPrometheusConfig(cfg([kubernetesPodsJob({ by: { label: "app=shop" }, namespaces: ["shop"] })]));
    expect(text).toContain("    kubernetes_sd_configs:\n      - role: pod\n        namespaces:\n          names:\n            - shop\n        selectors:\n          - role: pod\n            label: app=shop\n");
    expect(validatePrometheusConfig(cfg([kubernetesPodsJob(), kubernetesServicesJob(), kubeletJob("cadvisor")]))).toEqual([]);
  });

  it("names a bad role, selector or namespace", () => {
    const issues = validatePrometheusConfig(
      cfg([{ name: "x", kubernetesSdConfigs: [{ role: "pod", namespaces: { names: ["Shop"] }, selectors: [{ role: "service", label: "a=b" }] }] }]),
    ).map((i) => `${i.item}: ${i.field} ${i.message}`);
    expect(issues).toEqual([
      'scrape job "x": kubernetes_sd_configs[0].namespaces.names "Shop" is not a namespace name (DNS-1123 label)',
      'scrape job "x": kubernetes_sd_configs[0].selectors[0].role "service" cannot select targets of role pod (allowed: pod)',
    ]);
  });

  it.each([
    ["no discovery", [], []],
    ["pods", [kubernetesPodsJob()], [{ apiGroups: [""], resources: ["pods"], verbs: ["list", "watch"] }]],
    [
      "services through endpointslices",
      [kubernetesServicesJob()],
      [
        { apiGroups: [""], resources: ["pods", "services"], verbs: ["list", "watch"] },
        { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: ["list", "watch"] },
      ],
    ],
    [
      "the kubelet through the API server's node proxy",
      [kubeletJob("kubelet")],
      [
        { apiGroups: [""], resources: ["nodes"], verbs: ["list", "watch"] },
        { apiGroups: [""], resources: ["nodes/proxy"], verbs: ["get"] },
      ],
    ],
  ])("derives the least API rights for %s", (_n, jobs, rules) => {
    expect(kubernetesSdAccess(cfg(jobs))).toEqual(rules);
  });
});

describe("the schema check itself", () => {
  it("fails a broken object and names it, the field and the reason", async () => {
    const [deployment] = workloadManifests(naming, spec()).manifests.filter((m) => m.kind === "Deployment") as unknown as Record<string, any>[];
    deployment!.spec.replicas = "two";
    deployment!.spec.template.spec.containers[0].securityContxt = {};
    deployment!.metadata.labels["app.kubernetes.io/version"] = "v1.0 beta";
    deployment!.metadata.name = "Mon_Pushgateway";
    expect(await validateKubernetesObject(deployment!)).toEqual([
      'Deployment team-a/Mon_Pushgateway: /spec/replicas type {"type":"integer"}',
      "Deployment team-a/Mon_Pushgateway: /spec/template/spec/containers/0/securityContxt is not a field of the Deployment schema",
      'Deployment team-a/Mon_Pushgateway: /metadata/name "Mon_Pushgateway" is not a DNS-1123 subdomain',
      'Deployment team-a/Mon_Pushgateway: /metadata/labels "app.kubernetes.io/version": value "v1.0 beta" is not a valid label value',
    ]);
  });
});

describe("stack config for the Kubernetes platform", () => {
  it("applies Kubernetes defaults and refuses a kubernetes section on a Docker stack, naming it", () => {
    const minimal = { environment: "prod", alerting: { smtp: { smarthost: "smtp:25", from: "a@b.c" }, email: { to: "t@b.c" } } };
    const k = parseStackConfig({ ...minimal, platform: "kubernetes" });
    expect(kubernetesSettings(k)).toMatchObject({ namespace: "monitoring", prometheusReplicas: 2, alertmanagerReplicas: 3, networkPolicies: true });
    expect(platformFromConfig(k, "prod")).toMatchObject({ kind: "kubernetes", namespace: "monitoring", instance: "prod" });
    expect(() => parseStackConfig({ ...minimal, platform: "docker", kubernetes: {} })).toThrow("kubernetes is only for platform: kubernetes (this stack is docker)");
    expect(() => parseStackConfig({ ...minimal, platform: "kubernetes", kubernetes: { ingress: {} } })).toThrow("needs grafana.rootUrl");
  });
});
