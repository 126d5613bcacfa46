/**
 * The prod program (index.ts with Pulumi.prod.yaml, a Kubernetes stack) under the mock runtime: what every object
 * is, where it lives, who owns it, and that each one is a valid Kubernetes object.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { RecordedResource } from "../../cli/mock-runtime";
import { CLUSTER_IMAGES, IMAGES, TELEMETRY_IMAGES } from "../../components/images";
import { CONFIG_HASH_ANNOTATION } from "../../components/platform/kubernetes-objects";
import { PROD_SECRETS, asObject, find, kubernetesObjects, runProdProgram, workloads, type K8sObject } from "./prod-program";
import { validateKubernetesObject } from "./schema";

let resources: RecordedResource[] = [];
let objects: K8sObject[] = [];
beforeAll(async () => {
  resources = await runProdProgram();
  objects = kubernetesObjects(resources).map(asObject);
});

/** Which component owns each workload's objects. */
const OWNER: Readonly<Record<string, string>> = {
  prometheus: "prod-prometheus",
  alertmanager: "prod-alerting",
  grafana: "prod-grafana",
  "node-exporter": "prod-exporters",
  "blackbox-exporter": "prod-exporters",
  pushgateway: "prod-exporters",
  "postgres-exporter-app": "prod-exporters",
  "redis-exporter-cache": "prod-exporters",
  "kube-state-metrics": "prod-exporters",
  loki: "prod-logs",
  jaeger: "prod-traces",
  "otel-collector": "prod-collector",
};
/** node-exporter (host network) and the collector (the nodes' pod logs, hostPath) run in the host namespace at PSA privileged. */
const HOST_NS = "monitoring-host";

const containers = (w: K8sObject): Record<string, any>[] => w.spec?.template.spec.containers ?? [];

describe("prod program on Kubernetes", () => {
  it("declares only Kubernetes objects (and the generated Grafana secrets), no Docker", () => {
    expect(resources.filter((r) => r.type.startsWith("docker:"))).toEqual([]);
    expect(objects.length).toBeGreaterThan(40);
  });

  it("every object passes the Kubernetes schema, has no unknown field, a DNS-1123 name and valid labels", async () => {
    const problems = (await Promise.all(objects.map((o) => validateKubernetesObject(o)))).flat();
    expect(problems).toEqual([]);
  });

  it("puts every namespaced object in `monitoring` (node-exporter's in `monitoring-host`), labels it, and parents it to the component of its workload", () => {
    for (const r of kubernetesObjects(resources)) {
      const o = asObject(r);
      const labels = o.metadata.labels ?? {};
      const where = `${o.kind} ${o.metadata.name}`;
      expect(labels, where).toMatchObject({ "app.kubernetes.io/instance": "prod", "app.kubernetes.io/part-of": "moncode", "app.kubernetes.io/managed-by": "pulumi" });
      expect(labels["app.kubernetes.io/component"], where).toBeTruthy();
      if (o.kind === "Namespace") {
        expect(["monitoring", "monitoring-host"]).toContain(o.metadata.name);
        expect(r.parent).toBe("prod");
        continue;
      }
      const workload = labels["app.kubernetes.io/name"]!;
      expect(OWNER[workload], `${where}: workload ${workload}`).toBeDefined();
      expect(r.parent, where).toBe(OWNER[workload]);
      expect(r.name, where).toBe(`${OWNER[workload]}-${o.metadata.name}`);
      if (o.kind.startsWith("Cluster")) expect(o.metadata.namespace, where).toBeUndefined();
      else expect(o.metadata.namespace, where).toBe(workload === "node-exporter" || workload === "otel-collector" ? HOST_NS : "monitoring");
    }
  });

  it("runs Prometheus and Alertmanager as StatefulSets (2 and 3 replicas), exporters as Deployments, node-exporter as a DaemonSet", () => {
    const kinds = Object.fromEntries(workloads(resources).map((w) => [w.metadata.name, `${w.kind}${w.spec?.replicas !== undefined ? ` x${w.spec.replicas}` : ""}`]));
    expect(kinds).toEqual({
      prometheus: "StatefulSet x2",
      alertmanager: "StatefulSet x3",
      grafana: "Deployment x1",
      "node-exporter": "DaemonSet",
      "blackbox-exporter": "Deployment x1",
      pushgateway: "Deployment x1",
      "postgres-exporter-app": "Deployment x1",
      "redis-exporter-cache": "Deployment x1",
      "kube-state-metrics": "Deployment x1",
      loki: "StatefulSet x1",
      jaeger: "StatefulSet x1",
      "otel-collector": "DaemonSet",
    });
    for (const w of workloads(resources)) {
      expect(w.spec?.selector.matchLabels).toEqual({ "app.kubernetes.io/name": w.metadata.name, "app.kubernetes.io/instance": "prod" });
      for (const c of containers(w)) expect([...Object.values(IMAGES), ...Object.values(CLUSTER_IMAGES), ...Object.values(TELEMETRY_IMAGES)]).toContain(c.image);
    }
  });

  it("gives every workload await timeouts that cover its rollout (Prometheus: 2 × (120 s grace + 900 s startup) + 300 s), nothing else", () => {
    const timeouts = Object.fromEntries(kubernetesObjects(resources).filter((r) => r.customTimeouts).map((r) => [`${asObject(r).kind} ${asObject(r).metadata.name}`, r.customTimeouts]));
    expect(timeouts["StatefulSet prometheus"]).toEqual({ create: "2340s", update: "2340s", delete: "540s" });
    expect(Object.keys(timeouts).every((k) => /^(StatefulSet|Deployment|DaemonSet) /.test(k))).toBe(true);
    expect(Object.keys(timeouts).length).toBe(workloads(resources).length);
  });

  it("sends Grafana's queries to one Prometheus replica (session affinity), persists the pushgateway on a claim, and the ICMP-less blackbox needs no capability", () => {
    expect(find(resources, "Service", "prometheus").spec?.sessionAffinity).toBe("ClientIP");
    expect(find(resources, "PersistentVolumeClaim", "pushgateway-data").spec?.resources).toEqual({ requests: { storage: "1Gi" } });
    expect(find(resources, "Deployment", "pushgateway").spec?.strategy).toEqual({ type: "Recreate" });
    for (const w of workloads(resources)) {
      if (w.metadata.name === "node-exporter") continue;
      for (const c of containers(w)) expect(c.securityContext.capabilities, w.metadata.name).toEqual({ drop: ["ALL"] });
    }
  });

  it("labels the stack's namespace restricted and node-exporter's privileged (Pod Security admission)", () => {
    const level = (n: string) => find(resources, "Namespace", n).metadata.labels?.["pod-security.kubernetes.io/enforce"];
    expect([level("monitoring"), level("monitoring-host")]).toEqual(["restricted", "privileged"]);
  });

  it("gives each Prometheus replica a PVC sized retention + 20% and each Alertmanager peer one, on the configured class", () => {
    const claim = (name: string) => find(resources, "StatefulSet", name).spec?.volumeClaimTemplates;
    expect(claim("prometheus")).toEqual([
      { metadata: { name: "data", labels: expect.any(Object) }, spec: { accessModes: ["ReadWriteOnce"], storageClassName: "standard", resources: { requests: { storage: "12Gi" } } } },
    ]);
    expect(claim("alertmanager")?.[0]?.spec.resources.requests.storage).toBe("1Gi");
    const prom = containers(find(resources, "StatefulSet", "prometheus"))[0]!;
    expect(prom.args).toEqual(expect.arrayContaining(["--storage.tsdb.retention.time=30d", "--storage.tsdb.retention.size=10GB"]));
    expect(prom.volumeMounts).toContainEqual({ name: "data", mountPath: "/prometheus" });
  });

  it("labels each Prometheus replica by its pod name and alerts every Alertmanager peer, which gossip over the headless Service", () => {
    const prom = containers(find(resources, "StatefulSet", "prometheus"))[0]!;
    expect(prom.env).toContainEqual({ name: "PROMETHEUS_REPLICA", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } });
    const cfg = String((find(resources, "ConfigMap", "prometheus-config").data as Record<string, string>)["etc_prometheus_prometheus.yml"]);
    expect(cfg).toContain("    replica: ${PROMETHEUS_REPLICA}\n");
    expect(cfg).toContain("alert_relabel_configs:\n    - regex: replica\n      action: labeldrop\n");
    const peers = [0, 1, 2].map((i) => `alertmanager-${i}.alertmanager-headless.monitoring.svc`);
    for (const p of peers) expect(cfg).toContain(`            - ${p}:9093\n`);
    const am = containers(find(resources, "StatefulSet", "alertmanager"))[0]!;
    expect(am.args.filter((a: string) => a.startsWith("--cluster."))).toEqual([
      "--cluster.listen-address=0.0.0.0:9094",
      "--cluster.advertise-address=[$(POD_IP)]:9094",
      ...peers.map((p) => `--cluster.peer=${p}:9094`),
    ]);
    // The advertised address is the pod's own IP, not a guess among the node's interfaces.
    expect(am.env).toContainEqual({ name: "POD_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } });
    const headless = find(resources, "Service", "alertmanager-headless").spec!;
    expect(headless).toMatchObject({ clusterIP: "None", publishNotReadyAddresses: true });
    expect(headless.ports.map((p: { protocol: string; port: number }) => `${p.protocol}/${p.port}`).sort()).toEqual(["TCP/9093", "TCP/9094", "UDP/9094"]);
    expect(find(resources, "StatefulSet", "alertmanager").spec?.serviceName).toBe("alertmanager-headless");
    // Claim templates are immutable: a size change must not replace the StatefulSets.
    const statefulSets = kubernetesObjects(resources).filter((r) => asObject(r).kind === "StatefulSet");
    expect(statefulSets.map((r) => r.ignoreChanges)).toEqual([["spec.volumeClaimTemplates"], ["spec.volumeClaimTemplates"], ["spec.volumeClaimTemplates"], ["spec.volumeClaimTemplates"]]);
    for (const name of ["prometheus", "alertmanager", "grafana"]) expect(find(resources, "Service", name).spec?.type).toBe("ClusterIP");
  });

  it("grants Prometheus and kube-state-metrics least read rights: no wildcards, no writes, nothing but what they use", () => {
    const roles = objects.filter((o) => o.kind === "ClusterRole");
    expect(roles.map((r) => r.metadata.name).sort()).toEqual(["monitoring-kube-state-metrics", "monitoring-prometheus"]);
    for (const role of roles) {
      for (const rule of role.rules as { apiGroups: string[]; resources: string[]; verbs: string[] }[]) {
        expect([...rule.apiGroups, ...rule.resources, ...rule.verbs].some((x) => x.includes("*")), role.metadata.name).toBe(false);
        expect(rule.verbs.every((v) => ["get", "list", "watch"].includes(v)), role.metadata.name).toBe(true);
        expect(rule.resources.some((r) => r === "secrets" || r === "configmaps"), role.metadata.name).toBe(false);
      }
    }
    expect(find(resources, "ClusterRole", "monitoring-prometheus").rules).toEqual([
      { apiGroups: [""], resources: ["nodes", "pods", "services"], verbs: ["list", "watch"] },
      { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: ["list", "watch"] },
      { apiGroups: [""], resources: ["nodes/proxy"], verbs: ["get"] },
    ]);
    for (const name of ["prometheus", "kube-state-metrics"]) {
      const binding = find(resources, "ClusterRoleBinding", `monitoring-${name}`);
      expect(binding.roleRef).toEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: `monitoring-${name}` });
      expect(binding.subjects).toEqual([{ kind: "ServiceAccount", name, namespace: "monitoring" }]);
    }
    // Only the two API readers get a service-account token.
    const withToken = workloads(resources).filter((w) => w.spec?.template.spec.automountServiceAccountToken).map((w) => w.metadata.name).sort();
    expect(withToken).toEqual(["kube-state-metrics", "prometheus"]);
  });

  it("gives every container probes, requests = sizing rule, and the hardened securityContext (host access only for node-exporter and the collector)", () => {
    for (const w of workloads(resources)) {
      for (const c of containers(w)) {
        const where = `${w.kind} ${w.metadata.name}`;
        expect(c.livenessProbe?.httpGet?.path, where).toMatch(/^\//);
        expect(c.readinessProbe?.httpGet?.path, where).toMatch(/^\//);
        expect(c.securityContext, where).toEqual({
          runAsNonRoot: true,
          runAsUser: expect.any(Number),
          runAsGroup: expect.any(Number),
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ["ALL"] },
          seccompProfile: { type: "RuntimeDefault" },
        });
        expect(c.resources.requests.memory, where).toBe(c.resources.limits.memory);
        expect(parseInt(c.resources.requests.cpu, 10), where).toBeLessThan(parseInt(c.resources.limits.cpu, 10));
      }
      const pod = w.spec?.template.spec;
      const host = [pod.hostNetwork, pod.hostPID, pod.volumes.some((v: Record<string, unknown>) => v.hostPath)].some(Boolean);
      expect(host, w.metadata.name).toBe(w.metadata.name === "node-exporter" || w.metadata.name === "otel-collector");
    }
    // The collector reads /var/log/pods read-only as its non-root user with group 0 (the pod logs are 0640 root:root).
    const col = find(resources, "DaemonSet", "otel-collector").spec?.template.spec;
    expect(col.volumes).toContainEqual({ name: "host-0", hostPath: { path: "/var/log/pods", type: "Directory" } });
    expect(col.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, supplementalGroups: [0] });
    const prom = containers(find(resources, "StatefulSet", "prometheus"))[0]!;
    expect(prom.startupProbe.periodSeconds * prom.startupProbe.failureThreshold).toBeGreaterThanOrEqual(900);
    // 150k series and the shipped rules (the SLO packs included): 256 MiB + 8 KiB/series + 0.25 MiB/rule.
    expect(prom.resources.limits).toEqual({ cpu: "1100m", memory: "1472Mi" });
    const node = find(resources, "DaemonSet", "node-exporter").spec?.template.spec;
    expect(node.volumes).toContainEqual({ name: "host-0", hostPath: { path: "/", type: "Directory" } });
    expect(node.containers[0].volumeMounts).toContainEqual({ name: "host-0", mountPath: "/host", readOnly: true, mountPropagation: "HostToContainer" });
  });

  it("puts a config-hash annotation on every pod template and PDBs, anti-affinity on the replicated workloads", () => {
    for (const w of workloads(resources)) expect(w.spec?.template.metadata.annotations[CONFIG_HASH_ANNOTATION], w.metadata.name).toMatch(/^[0-9a-f]{16}$/);
    const pdbs = objects.filter((o) => o.kind === "PodDisruptionBudget");
    expect(pdbs.map((p) => [p.metadata.name, p.spec?.maxUnavailable])).toEqual(expect.arrayContaining([["alertmanager", 1], ["prometheus", 1]]));
    expect(pdbs).toHaveLength(2);
    for (const name of ["prometheus", "alertmanager"]) {
      const aff = find(resources, "StatefulSet", name).spec?.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0];
      expect(aff.podAffinityTerm.topologyKey).toBe("kubernetes.io/hostname");
    }
  });

  it("admits traffic per component only from its clients (NetworkPolicy per workload)", () => {
    const policies = objects.filter((o) => o.kind === "NetworkPolicy");
    expect(policies.map((p) => p.metadata.name).sort()).toEqual(workloads(resources).map((w) => w.metadata.name).sort());
    const from = (name: string) =>
      find(resources, "NetworkPolicy", name).spec?.ingress.map((r: { ports: { port: number; protocol: string }[]; from?: { podSelector: { matchLabels: Record<string, string> } }[] }) => [
        r.ports.map((p) => `${p.protocol}/${p.port}`).join(","),
        r.from ? r.from.map((f) => f.podSelector.matchLabels["app.kubernetes.io/name"]).join(",") : "any",
      ]);
    // The collector pushes span metrics to Prometheus's OTLP receiver, logs to Loki, spans to Jaeger.
    expect(from("prometheus")).toEqual([["TCP/9090", "grafana,otel-collector"]]);
    expect(from("loki")).toEqual([["TCP/3100", "grafana,otel-collector,prometheus"]]);
    expect(from("jaeger")).toEqual([["TCP/4317", "otel-collector"], ["TCP/4318", "otel-collector"], ["TCP/16686", "grafana"], ["TCP/8888", "prometheus"]]);
    expect(from("otel-collector")).toEqual([["TCP/4317", "any"], ["TCP/4318", "any"], ["TCP/8888", "prometheus"]]);
    // From the stack's namespace to the collector's and back, by namespace.
    const nsOf = (name: string, port: number) => find(resources, "NetworkPolicy", name).spec?.ingress.find((r: { ports: { port: number }[] }) => r.ports[0]!.port === port).from.map((f: { namespaceSelector?: { matchLabels: Record<string, string> } }) => f.namespaceSelector?.matchLabels["kubernetes.io/metadata.name"] ?? "-");
    expect(nsOf("loki", 3100)).toEqual(["-", HOST_NS, "-"]);
    expect(nsOf("otel-collector", 8888)).toEqual(["monitoring"]);
    expect(from("alertmanager")).toEqual([["TCP/9093", "grafana,prometheus"], ["TCP/9094,UDP/9094", "alertmanager"]]);
    expect(from("grafana")).toEqual([["TCP/3000", "any"]]);
    expect(from("kube-state-metrics")).toEqual([["TCP/8080", "prometheus"]]);
  });

  it("serves Grafana through an Ingress with TLS and secure cookies, credentials from a Secret", () => {
    const ing = find(resources, "Ingress", "grafana").spec!;
    expect(ing).toMatchObject({ ingressClassName: "nginx", tls: [{ hosts: ["grafana.example.com"], secretName: "grafana-tls" }] });
    expect(ing.rules[0].http.paths[0].backend).toEqual({ service: { name: "grafana", port: { name: "http" } } });
    const env = Object.fromEntries(containers(find(resources, "Deployment", "grafana"))[0]!.env.map((e: { name: string; value: string }) => [e.name, e.value]));
    expect(env).toMatchObject({ GF_SECURITY_COOKIE_SECURE: "true", GF_SECURITY_ADMIN_PASSWORD__FILE: "/run/secrets/grafana/admin-password" });
    expect(Object.keys(find(resources, "Secret", "grafana-secrets").stringData as object).sort()).toEqual(["run_secrets_grafana_admin-password", "run_secrets_grafana_secret-key"]);
    // Dashboards are split over ConfigMaps that each stay under the annotation budget.
    const maps = objects.filter((o) => o.kind === "ConfigMap" && o.metadata.name.startsWith("grafana-config"));
    expect(maps.length).toBeGreaterThan(1);
    for (const m of maps) expect(Buffer.byteLength(JSON.stringify(m))).toBeLessThan(262_144);
  });

  it("keeps every credential in Secrets, secret in Pulumi state, and out of every other object", () => {
    const secretObjects = kubernetesObjects(resources).filter((r) => asObject(r).kind === "Secret");
    for (const s of secretObjects) expect(s.inputs.stringData, s.name).toBe("[secret]");
    expect(String(find(resources, "Secret", "alertmanager-secrets").stringData && JSON.stringify(find(resources, "Secret", "alertmanager-secrets").stringData))).toContain(PROD_SECRETS.pagerdutyRoutingKey);
    const others = JSON.stringify(kubernetesObjects(resources).filter((r) => asObject(r).kind !== "Secret").map((r) => r.rawInputs));
    for (const v of Object.values(PROD_SECRETS)) expect(others).not.toContain(v);
    expect(JSON.stringify(resources.map((r) => r.inputs))).not.toContain(PROD_SECRETS.postgresPassword);
  });
});
