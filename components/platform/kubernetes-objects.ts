/**
 * Pure translation of one WorkloadSpec into Kubernetes manifests (plain objects; secret values stay Pulumi
 * inputs). `kubernetes.ts` declares them as @pulumi/kubernetes resources; tests validate them against the schemas.
 *
 * Rules every workload gets:
 * - Labels `app.kubernetes.io/{name,instance,component,part-of,managed-by}`; selectors use name + instance only.
 * - Non-secret files in ConfigMaps (split so no object carries more than CONFIGMAP_MAX_BYTES of data), each file
 *   mounted at its exact path with subPath (nothing of the image is shadowed); secret files in one Secret mounted
 *   as read-only directories (mode 0440, group = the workload's group via fsGroup).
 * - `moncode.dev/config-hash` on the pod template: the hash of the rendered config, so a change rolls the pods.
 * - Sizing rule: limits are the spec's resources; memory request = memory limit (no memory overcommit, so a node
 *   under pressure never evicts monitoring first), CPU request = a quarter of the CPU limit (at least 10m).
 * - Probes: liveness on the health path, readiness on the ready path, a startup probe when the spec allows a slow
 *   start. securityContext: non-root, read-only root filesystem (with a scratch /tmp), no privilege escalation,
 *   all capabilities dropped, seccomp RuntimeDefault. The only exceptions are the spec's documented host access.
 * - Replicas > 1: a PodDisruptionBudget (at most one down) and preferred anti-affinity across nodes.
 * - Pod Security: every pod meets the `restricted` standard except host-access workloads (node-exporter), which
 *   live in the host namespace (`hostNamespace`, `privileged`): the levels `namespaceSecurityLevel` names.
 * - ICMP without NET_RAW: a workload asking for NET_RAW (ICMP probes) gets the kernel's unprivileged ICMP sockets
 *   instead (the `net.ipv4.ping_group_range` sysctl, "safe" under every level); no capability is ever added.
 * - Awaits: `customTimeouts` (`workloadTimeouts`) cover a rollout of every replica: replicas × (termination grace +
 *   startup budget) + a margin for scheduling and image pulls.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { WorkloadFile, WorkloadPort, WorkloadSpec } from "./types";

export const CONFIG_HASH_ANNOTATION = "moncode.dev/config-hash";
/**
 * Data bytes per ConfigMap. The API server stores up to 1 MiB per object, and client-side apply copies the object
 * into an annotation, where all annotations together are capped at 262,144 bytes; staying under 240,000 leaves room
 * for keys and metadata.
 */
export const CONFIGMAP_MAX_BYTES = 240_000;

export interface KubernetesNaming {
  readonly namespace: string;
  /** `app.kubernetes.io/instance`. */
  readonly instance: string;
  /** Prefix of object names. @default none */
  readonly namePrefix?: string;
  readonly storageClass?: string;
  readonly ingress?: { readonly className?: string; readonly tlsSecretName?: string; readonly annotations?: Readonly<Record<string, string>> };
  /** @default true */
  readonly networkPolicies?: boolean;
  /**
   * Client workloads of the stack's namespace that live in the host namespace (the collector reading pod logs), by
   * name, so NetworkPolicies select them there. @default none
   */
  readonly workloadNamespaces?: Readonly<Record<string, string>>;
  /**
   * Namespace of host-access workloads (node-exporter: host network, PID namespace, the node's filesystem), which
   * only the `privileged` Pod Security level admits. @default namespace (then it must admit them)
   */
  readonly hostNamespace?: string;
  /** Annotations on every object (not on pod templates), e.g. the provider's `pulumi.com/…` await controls. */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** The Pod Security Standards level a workload's pods need. */
export type PodSecurityLevel = "restricted" | "baseline" | "privileged";

/** Host network, host PID or host paths: only the `privileged` level admits them. */
export function needsHostAccess(spec: Pick<WorkloadSpec, "host">): boolean {
  const h = spec.host;
  return h !== undefined && (h.network === true || h.pid === true || h.mounts.length > 0 || h.privileged === true);
}

export function podSecurityLevel(spec: Pick<WorkloadSpec, "host">): PodSecurityLevel {
  return needsHostAccess(spec) ? "privileged" : "restricted";
}

/** The namespace a workload's objects go to: the host namespace for host access, the stack's otherwise. */
export function workloadNamespace(n: Pick<KubernetesNaming, "namespace" | "hostNamespace">, spec: Pick<WorkloadSpec, "host">): string {
  return needsHostAccess(spec) ? (n.hostNamespace ?? n.namespace) : n.namespace;
}

/** Pod Security admission labels enforcing one level, with audit and warn at the same level (latest standard). */
export function podSecurityLabels(level: PodSecurityLevel): Record<string, string> {
  return {
    "pod-security.kubernetes.io/enforce": level,
    "pod-security.kubernetes.io/enforce-version": "latest",
    "pod-security.kubernetes.io/audit": level,
    "pod-security.kubernetes.io/audit-version": "latest",
    "pod-security.kubernetes.io/warn": level,
    "pod-security.kubernetes.io/warn-version": "latest",
  };
}

/** Seconds of the margin every await gets on top of the pods' own budget (scheduling, image pulls). */
export const AWAIT_MARGIN_SECONDS = 300;
/** Readiness budget of a pod without a startup probe: the readiness probe's failure threshold × period. */
const READY_BUDGET_SECONDS = 30;

/**
 * `customTimeouts` for a workload's StatefulSet/Deployment/DaemonSet: the provider waits 10 minutes by default,
 * less than one Prometheus replica may need to replay its WAL. A rollout replaces replicas one at a time, each
 * ending within its termination grace and becoming ready within its startup budget.
 */
export function workloadTimeouts(spec: Pick<WorkloadSpec, "replicas" | "kind" | "healthcheck">): { create: string; update: string; delete: string } {
  const replicas = spec.replicas ?? 1;
  const grace = terminationGrace(spec);
  const startup = spec.healthcheck?.startupSeconds ?? READY_BUDGET_SECONDS;
  const rollout = replicas * (grace + startup) + AWAIT_MARGIN_SECONDS;
  return { create: `${rollout}s`, update: `${rollout}s`, delete: `${replicas * grace + AWAIT_MARGIN_SECONDS}s` };
}

function terminationGrace(spec: Pick<WorkloadSpec, "kind">): number {
  return (spec.kind ?? "stateless") === "stateful" ? 120 : 30;
}

/** A manifest: apiVersion, kind, metadata, and the rest of the object. */
export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { name: string; namespace?: string; labels: Record<string, string>; annotations?: Record<string, string> };
  readonly [field: string]: unknown;
}

export function objectName(n: Pick<KubernetesNaming, "namePrefix">, workload: string): string {
  return n.namePrefix ? `${n.namePrefix}-${workload}` : workload;
}

export function headlessName(n: Pick<KubernetesNaming, "namePrefix">, workload: string): string {
  return `${objectName(n, workload)}-headless`;
}

export function selectorLabels(n: Pick<KubernetesNaming, "instance">, workload: string): Record<string, string> {
  return { "app.kubernetes.io/name": workload, "app.kubernetes.io/instance": n.instance };
}

export function commonLabels(n: Pick<KubernetesNaming, "instance">, workload: string, component: string): Record<string, string> {
  return { ...selectorLabels(n, workload), "app.kubernetes.io/component": component, "app.kubernetes.io/part-of": "moncode", "app.kubernetes.io/managed-by": "pulumi" };
}

/** `/etc/prometheus/rules/a.yml` → `etc_prometheus_rules_a.yml` (ConfigMap and Secret keys cannot hold `/`). */
export function fileKey(path: string): string {
  return path.replace(/^\/+/, "").replace(/\//g, "_");
}

function dirOf(path: string): string {
  return path.slice(0, path.lastIndexOf("/")) || "/";
}

/** Greedy split of files, in path order, into chunks of at most `max` bytes; a file larger than that is an error. */
export function chunkFiles(files: readonly WorkloadFile[], max = CONFIGMAP_MAX_BYTES, owner = "workload"): WorkloadFile[][] {
  const chunks: WorkloadFile[][] = [];
  let size = 0;
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    if (typeof f.content !== "string") throw new Error(`${owner}: file ${f.path} must be rendered text to go into a ConfigMap`);
    const bytes = Buffer.byteLength(f.content) + Buffer.byteLength(fileKey(f.path));
    if (bytes > max) throw new Error(`${owner}: file ${f.path} is ${bytes} bytes, over the ${max}-byte ConfigMap budget`);
    if (chunks.length === 0 || size + bytes > max) {
      chunks.push([]);
      size = 0;
    }
    chunks[chunks.length - 1]!.push(f);
    size += bytes;
  }
  return chunks;
}

function quantityCpu(cores: number): string {
  return `${Math.max(1, Math.round(cores * 1000))}m`;
}

/** The documented sizing rule (see the module comment). */
export function resourceRequirements(r: WorkloadSpec["resources"]): { limits: Record<string, string>; requests: Record<string, string> } {
  return {
    limits: { cpu: quantityCpu(r.cpus), memory: `${r.memoryMb}Mi` },
    requests: { cpu: quantityCpu(Math.max(0.01, r.cpus / 4)), memory: `${r.memoryMb}Mi` },
  };
}

const STARTUP_PERIOD = 10;

function probes(spec: WorkloadSpec): Record<string, unknown> {
  const h = spec.healthcheck;
  if (!h) throw new Error(`workload "${spec.name}": Kubernetes needs a healthcheck (liveness/readiness probes) on every container`);
  const get = (path: string) => ({ httpGet: { path, port: h.port, scheme: "HTTP" } });
  return {
    livenessProbe: { ...get(h.path), periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 3 },
    readinessProbe: { ...get(h.readyPath ?? h.path), periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
    ...(h.startupSeconds !== undefined
      ? { startupProbe: { ...get(h.readyPath ?? h.path), periodSeconds: STARTUP_PERIOD, timeoutSeconds: 5, failureThreshold: Math.ceil(h.startupSeconds / STARTUP_PERIOD) } }
      : {}),
  };
}

function containerPorts(ports: readonly WorkloadPort[]): Record<string, unknown>[] {
  return ports.flatMap((p) => [
    { name: p.name, containerPort: p.port, protocol: "TCP" },
    ...(p.udp ? [{ name: `${p.name}-udp`.slice(0, 15), containerPort: p.port, protocol: "UDP" }] : []),
  ]);
}

function servicePorts(ports: readonly WorkloadPort[]): Record<string, unknown>[] {
  return ports.flatMap((p) => [
    { name: p.name, port: p.port, targetPort: p.name, protocol: "TCP" },
    ...(p.udp ? [{ name: `${p.name}-udp`.slice(0, 15), port: p.port, targetPort: `${p.name}-udp`.slice(0, 15), protocol: "UDP" }] : []),
  ]);
}

export interface WorkloadManifests {
  /** In apply order: RBAC, config, secrets, services, the workload, policies. */
  readonly manifests: readonly Manifest[];
  /** Secret values by manifest name and key (kept out of the plain manifests). */
  readonly secretData: Readonly<Record<string, Readonly<Record<string, pulumi.Input<string>>>>>;
}

export function workloadManifests(n: KubernetesNaming, spec: WorkloadSpec): WorkloadManifests {
  const kind = spec.kind ?? "stateless";
  const replicas = spec.replicas ?? 1;
  const name = objectName(n, spec.name);
  const ns = workloadNamespace(n, spec);
  const labels = commonLabels(n, spec.name, spec.component);
  const selector = selectorLabels(n, spec.name);
  const annotations = n.annotations && Object.keys(n.annotations).length > 0 ? { annotations: { ...n.annotations } } : {};
  const meta = (objName: string, extra: Record<string, string> = {}) => ({ name: objName, namespace: ns, labels: { ...labels, ...extra }, ...annotations });
  if (spec.host?.privileged) throw new Error(`workload "${spec.name}": privileged containers are not deployed on Kubernetes`);
  if (kind === "daemon" && replicas !== 1) throw new Error(`workload "${spec.name}": a daemon runs once per node; replicas must be 1`);
  const uid = Number(spec.user);
  if (!Number.isInteger(uid) || uid === 0) throw new Error(`workload "${spec.name}": Kubernetes runs every container as a numeric non-root user (got "${spec.user}")`);

  const out: Manifest[] = [];
  const secretData: Record<string, Record<string, pulumi.Input<string>>> = {};
  const access = spec.apiAccess ?? [];
  if (access.length > 0) {
    out.push({ apiVersion: "v1", kind: "ServiceAccount", metadata: meta(name), automountServiceAccountToken: true });
    const clusterName = `${ns}-${name}`;
    out.push({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: clusterName, labels, ...annotations },
      rules: access.map((r) => ({ apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] })),
    });
    out.push({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: clusterName, labels, ...annotations },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: clusterName },
      subjects: [{ kind: "ServiceAccount", name, namespace: ns }],
    });
  }

  const volumes: Record<string, unknown>[] = [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }];
  const mounts: Record<string, unknown>[] = [{ name: "tmp", mountPath: "/tmp" }];
  const plain = spec.files.filter((f) => !f.secret);
  const secret = spec.files.filter((f) => f.secret);
  const chunks = chunkFiles(plain, CONFIGMAP_MAX_BYTES, `workload "${spec.name}"`);
  chunks.forEach((chunk, i) => {
    const cmName = chunks.length === 1 ? `${name}-config` : `${name}-config-${i}`;
    out.push({ apiVersion: "v1", kind: "ConfigMap", metadata: meta(cmName), data: Object.fromEntries(chunk.map((f) => [fileKey(f.path), f.content as string])) });
    volumes.push({ name: `config-${i}`, configMap: { name: cmName, defaultMode: 0o444 } });
    for (const f of chunk) mounts.push({ name: `config-${i}`, mountPath: f.path, subPath: fileKey(f.path), readOnly: true });
  });
  if (secret.length > 0) {
    const secretName = `${name}-secrets`;
    secretData[secretName] = Object.fromEntries(secret.map((f) => [fileKey(f.path), f.content]));
    out.push({ apiVersion: "v1", kind: "Secret", metadata: meta(secretName), type: "Opaque" });
    const dirs = [...new Set(secret.map((f) => dirOf(f.path)))].sort();
    dirs.forEach((dir, i) => {
      const shadowed = plain.find((f) => f.path.startsWith(`${dir}/`));
      if (shadowed) throw new Error(`workload "${spec.name}": ${shadowed.path} would be hidden by the secret directory ${dir}`);
      const items = secret.filter((f) => dirOf(f.path) === dir).map((f) => ({ key: fileKey(f.path), path: f.path.slice(dir.length + 1) }));
      volumes.push({ name: `secrets-${i}`, secret: { secretName, defaultMode: 0o440, items } });
      mounts.push({ name: `secrets-${i}`, mountPath: dir, readOnly: true });
    });
  }
  const claims: Record<string, unknown>[] = [];
  for (const v of spec.volumes) {
    if (kind === "stateful") {
      claims.push({
        metadata: { name: v.name, labels: selector },
        spec: {
          accessModes: ["ReadWriteOnce"],
          ...(n.storageClass ? { storageClassName: n.storageClass } : {}),
          resources: { requests: { storage: `${v.sizeGb ?? 1}Gi` } },
        },
      });
    } else if (v.persistent) {
      if (replicas !== 1 || kind !== "stateless") throw new Error(`workload "${spec.name}": volume "${v.name}" is persistent, which a ${kind} workload of ${replicas} replicas cannot share (one claim, ReadWriteOnce)`);
      const claimName = `${name}-${v.name}`;
      out.push({
        apiVersion: "v1",
        kind: "PersistentVolumeClaim",
        metadata: meta(claimName),
        spec: { accessModes: ["ReadWriteOnce"], ...(n.storageClass ? { storageClassName: n.storageClass } : {}), resources: { requests: { storage: `${v.sizeGb ?? 1}Gi` } } },
      });
      volumes.push({ name: v.name, persistentVolumeClaim: { claimName } });
    } else volumes.push({ name: v.name, emptyDir: {} });
    mounts.push({ name: v.name, mountPath: v.mountPath });
  }
  (spec.host?.mounts ?? []).forEach((m, i) => {
    volumes.push({ name: `host-${i}`, hostPath: { path: m.hostPath, type: "Directory" } });
    mounts.push({ name: `host-${i}`, mountPath: m.containerPath, readOnly: true, ...(m.hostPath === "/" ? { mountPropagation: "HostToContainer" } : {}) });
  });

  const env: Record<string, unknown>[] = Object.keys(spec.env ?? {}).sort().map((k) => ({ name: k, value: spec.env?.[k] ?? "" }));
  if (spec.replicaIdentityEnv) env.push({ name: spec.replicaIdentityEnv, valueFrom: { fieldRef: { fieldPath: "metadata.name" } } });
  if (spec.instanceIpEnv) env.push({ name: spec.instanceIpEnv, valueFrom: { fieldRef: { fieldPath: "status.podIP" } } });
  const seccomp = { type: "RuntimeDefault" };
  const addedCaps = (spec.capAdd ?? []).filter((c) => c !== "NET_RAW");
  const container = {
    name: spec.name.slice(0, 63),
    image: spec.image,
    imagePullPolicy: "IfNotPresent",
    ...(spec.entrypoint ? { command: [...spec.entrypoint] } : {}),
    args: [...spec.args],
    ...(env.length > 0 ? { env } : {}),
    ports: containerPorts(spec.ports),
    resources: resourceRequirements(spec.resources),
    ...probes(spec),
    volumeMounts: mounts,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: uid,
      runAsGroup: uid,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      // NET_RAW is never added (Pod Security's baseline and restricted levels forbid it): see the sysctl below.
      capabilities: { drop: ["ALL"], ...(addedCaps.length > 0 ? { add: addedCaps } : {}) },
      seccompProfile: seccomp,
    },
  };
  const podSpec = {
    ...(access.length > 0 ? { serviceAccountName: name } : {}),
    // Only workloads that read the API get a token in their filesystem.
    automountServiceAccountToken: access.length > 0,
    enableServiceLinks: false,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: uid,
      runAsGroup: uid,
      fsGroup: uid,
      seccompProfile: seccomp,
      // Group 0 may read the kubelet's pod logs (0640 root:root) without running as root (host.rootRead).
      ...(spec.host?.rootRead ? { supplementalGroups: [0] } : {}),
      // A non-root process gets no added capability on Kubernetes, so raw sockets (ICMP probes) are out; the kernel's
      // unprivileged ICMP sockets serve instead once the pod's groups may use them (a "safe" namespaced sysctl).
      ...(spec.capAdd?.includes("NET_RAW") ? { sysctls: [{ name: "net.ipv4.ping_group_range", value: "0 2147483647" }] } : {}),
    },
    ...(spec.host?.network ? { hostNetwork: true, dnsPolicy: "ClusterFirstWithHostNet" } : {}),
    ...(spec.host?.pid ? { hostPID: true } : {}),
    ...(kind === "daemon" ? { tolerations: [{ operator: "Exists" }] } : {}),
    ...(replicas > 1
      ? { affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: selector } } }] } } }
      : {}),
    terminationGracePeriodSeconds: terminationGrace(spec),
    containers: [container],
    volumes,
  };
  const template = { metadata: { labels, annotations: { [CONFIG_HASH_ANNOTATION]: spec.configHash } }, spec: podSpec };

  const clientPorts = spec.ports.filter((p) => !p.peerOnly);
  if (clientPorts.length > 0) {
    // Replicas that are independent copies (Prometheus HA) answer queries from their own data: a client (Grafana)
    // stays on one replica, or successive queries of one dashboard would mix two servers' samples.
    const affinity = replicas > 1 && spec.independentReplicas ? { sessionAffinity: "ClientIP" } : {};
    out.push({ apiVersion: "v1", kind: "Service", metadata: meta(name), spec: { type: "ClusterIP", selector, ports: servicePorts(clientPorts), ...affinity } });
  }
  if (kind === "stateful") {
    // Stable per-replica DNS names (`<pod>.<name>-headless`) for peers and for scraping every replica.
    out.push({
      apiVersion: "v1",
      kind: "Service",
      metadata: meta(headlessName(n, spec.name)),
      spec: { clusterIP: "None", publishNotReadyAddresses: true, selector, ports: servicePorts(spec.ports) },
    });
    out.push({
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: meta(name),
      spec: { replicas, serviceName: headlessName(n, spec.name), podManagementPolicy: "Parallel", selector: { matchLabels: selector }, template, volumeClaimTemplates: claims },
    });
  } else if (kind === "daemon") {
    out.push({ apiVersion: "apps/v1", kind: "DaemonSet", metadata: meta(name), spec: { selector: { matchLabels: selector }, template } });
  } else {
    // A claim is ReadWriteOnce: the old pod must let go of it before the new one starts.
    const recreate = spec.volumes.some((v) => v.persistent) ? { strategy: { type: "Recreate" } } : {};
    out.push({ apiVersion: "apps/v1", kind: "Deployment", metadata: meta(name), spec: { replicas, ...recreate, selector: { matchLabels: selector }, template } });
  }
  if (replicas > 1) {
    out.push({ apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: meta(name), spec: { maxUnavailable: 1, selector: { matchLabels: selector } } });
  }
  if (n.networkPolicies ?? true) out.push(networkPolicy(n, spec, meta(name), selector, ns));
  const ingress = ingressFor(n, spec, meta(name));
  if (ingress) out.push(ingress);
  return { manifests: out, secretData };
}

/** Ingress only from the declared clients of each port; replicas may talk to each other on peer ports. */
function networkPolicy(n: KubernetesNaming, spec: WorkloadSpec, metadata: Manifest["metadata"], selector: Record<string, string>, ns: string): Manifest {
  // A client's namespace: its own when it is known to live elsewhere (workloadNamespaces), else the stack's; a pod
  // selector alone matches only the policy's own namespace.
  const clientNs = (c: string) => (c === spec.name ? ns : (n.workloadNamespaces?.[c] ?? n.namespace));
  const sel = (c: string) => (clientNs(c) !== ns ? { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": clientNs(c) } } } : {});
  const ingress = spec.ports.map((p) => {
    const ports = [{ port: p.port, protocol: "TCP" }, ...(p.udp ? [{ port: p.port, protocol: "UDP" }] : [])];
    if (p.peerOnly) return { ports, from: [{ podSelector: { matchLabels: selectorLabels(n, spec.name) } }] };
    const clients = p.clients ?? ["prometheus"];
    if (clients === "any") return { ports };
    return { ports, from: [...new Set(clients)].sort().map((c) => ({ ...sel(c), podSelector: { matchLabels: selectorLabels(n, c) } })) };
  });
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata,
    spec: { podSelector: { matchLabels: selector }, policyTypes: ["Ingress"], ingress },
  };
}

function ingressFor(n: KubernetesNaming, spec: WorkloadSpec, metadata: Manifest["metadata"]): Manifest | undefined {
  const p = spec.ports.find((x) => x.publicUrl !== undefined);
  if (!p || !n.ingress || !p.publicUrl) return undefined;
  const url = new URL(p.publicUrl);
  const tls = url.protocol === "https:" && n.ingress.tlsSecretName;
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: { ...metadata, ...(n.ingress.annotations || metadata.annotations ? { annotations: { ...metadata.annotations, ...n.ingress.annotations } } : {}) },
    spec: {
      ...(n.ingress.className ? { ingressClassName: n.ingress.className } : {}),
      ...(tls ? { tls: [{ hosts: [url.hostname], secretName: n.ingress.tlsSecretName }] } : {}),
      rules: [
        {
          host: url.hostname,
          http: { paths: [{ path: url.pathname || "/", pathType: "Prefix", backend: { service: { name: metadata.name, port: { name: p.name } } } }] },
        },
      ],
    },
  };
}
