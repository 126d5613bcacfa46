/**
 * Exporters: node-exporter, cAdvisor, blackbox-exporter (with its modules), pushgateway, and one postgres/redis
 * exporter per watched database/cache. Each exporter brings its scrape job (`scrapeJobs`), which the stack hands
 * to PrometheusStack.
 */
import * as pulumi from "@pulumi/pulumi";
import type { BlackboxModules } from "../core/blackbox/model";
import { defaultBlackboxModules } from "../core/blackbox/model";
import { renderBlackboxConfig, validateBlackboxModules } from "../core/blackbox/render";
import type { RenderedFile } from "../core/files";
import type { ScrapeJob, StaticTargetGroup } from "../core/prometheus/model";
import { checkHostPort } from "../core/prometheus/validate";
import { assertValid, duplicates, issue, type ValidationIssue } from "../core/validation";
import { ARTIFACT_PATHS } from "../core/conventions";
import { configHash } from "./hash";
import { reportComponent } from "./report";
import { takeResolved } from "./resolved";
import { checkArgs, exportersArgsShape } from "./shapes";
import { CLUSTER_IMAGES, CLUSTER_IMAGE_USERS, IMAGES, IMAGE_USERS } from "./images";
import { STOP_GRACE_SECONDS } from "./platform/docker-provider";
import { platformDriver, type Platform, type WorkloadResources, type WorkloadSpec } from "./platform";

/** Endpoints the blackbox exporter probes with one module, scraped as the job `blackbox-<name>`. */
export interface ProbeTargets {
  /** Job name suffix: the job is `blackbox-<name>`. */
  readonly name: string;
  /** Blackbox module, e.g. `http_2xx`. */
  readonly module: string;
  /** URLs (http) or host:port (tcp) or hosts (icmp). */
  readonly targets: readonly string[];
}

/**
 * A PostgreSQL database watched by its own postgres-exporter; the password is a secret that reaches the exporter as a
 * file.
 */
export interface PostgresTarget {
  /** Unique name, used in the container name and the `instance` label. */
  readonly name: string;
  /** `host:port/database?sslmode=disable` — no credentials here. */
  readonly uri: string;
  readonly user: string;
  /** The password, as a Pulumi secret. Reaches the exporter as a file. */
  readonly password: pulumi.Input<string>;
}

/**
 * A Redis instance watched by its own redis-exporter; the optional password is a secret that reaches the exporter as a
 * file.
 */
export interface RedisTarget {
  readonly name: string;
  /** `redis://host:port`. */
  readonly address: string;
  /** Optional password, as a Pulumi secret. Reaches the exporter as a file. */
  readonly password?: pulumi.Input<string>;
}

/**
 * Arguments of `Exporters`: which exporters run (node-exporter, cAdvisor, pushgateway, blackbox, postgres, redis,
 * kube-state-metrics) and what they watch.
 */
export interface ExportersArgs {
  readonly platform: Platform;
  /** Host metrics. @default true */
  readonly nodeExporter?: boolean;
  /**
   * node-exporter's port. It runs in the host's network namespace (Docker: listening on the stack network's gateway
   * address only; Kubernetes: on the node's addresses), so the port is taken on the host itself. @default 9100
   */
  readonly nodeExporterPort?: number;
  /** Container metrics. @default true */
  readonly cadvisor?: boolean;
  /** Batch-job metrics push target. @default true */
  readonly pushgateway?: boolean;
  /** Blackbox modules; merged over http_2xx, tcp_connect and icmp. @default the three standard modules */
  readonly blackboxModules?: BlackboxModules;
  /** Endpoints to probe. Blackbox runs when this is non-empty. @default [] */
  readonly probes?: readonly ProbeTargets[];
  /** Databases to watch, one postgres-exporter each. @default [] */
  readonly postgres?: readonly PostgresTarget[];
  /** Caches to watch, one redis-exporter each. @default [] */
  readonly redis?: readonly RedisTarget[];
  /** Publish exporter ports on the host (bind address of the platform). @default false */
  readonly publishPorts?: boolean;
  /** Scrape interval for the exporters' jobs. @default the global interval */
  readonly scrapeInterval?: string;
  /** kube-state-metrics (object state: deployments, pods, PVCs…); only on platforms with a cluster API. @default on Kubernetes */
  readonly kubeStateMetrics?: boolean;
}

/**
 * What kube-state-metrics exports. The same list is its `--resources` flag and its ClusterRole (list + watch),
 * so it can read nothing it does not export; Secrets and ConfigMaps are deliberately absent.
 */
export const KUBE_STATE_METRICS_RESOURCES: readonly { group: string; resource: string }[] = [
  { group: "", resource: "namespaces" },
  { group: "", resource: "nodes" },
  { group: "", resource: "persistentvolumeclaims" },
  { group: "", resource: "persistentvolumes" },
  { group: "", resource: "pods" },
  { group: "", resource: "resourcequotas" },
  { group: "", resource: "services" },
  { group: "apps", resource: "daemonsets" },
  { group: "apps", resource: "deployments" },
  { group: "apps", resource: "replicasets" },
  { group: "apps", resource: "statefulsets" },
  { group: "autoscaling", resource: "horizontalpodautoscalers" },
  { group: "batch", resource: "cronjobs" },
  { group: "batch", resource: "jobs" },
  { group: "policy", resource: "poddisruptionbudgets" },
];

interface ExporterPlan {
  /** Absent for probe jobs, which all go through the one blackbox exporter. */
  readonly spec?: WorkloadSpec;
  /** Absent for exporters whose targets join a shared job (postgres, redis). */
  readonly job?: ScrapeJob;
}

const SMALL: WorkloadResources = { memoryMb: 64, cpus: 0.2 };
const SECRETS_DIR = "/etc/exporter/secrets";

export interface ResolvedExporters {
  readonly workloads: readonly WorkloadSpec[];
  readonly scrapeJobs: readonly ScrapeJob[];
  readonly files: readonly RenderedFile[];
}

/**
 * node-exporter's documented host access: the node's / read-only (rslave), its process table and its network
 * namespace (so node_network_* describe the host's interfaces, not a container's veth).
 */
const NODE_EXPORTER_HOST: NonNullable<WorkloadSpec["host"]> = {
  mounts: [{ hostPath: "/", containerPath: "/host", readOnly: true, reason: "filesystem, CPU and memory stats of the host" }],
  pid: true,
  network: true,
};

export function validateExportersArgs(args: ExportersArgs): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  if ((args.nodeExporter ?? true) && !platformDriver(args.platform).admitsHostAccess) {
    out.push(issue("node-exporter", "nodeExporter", 'needs host access (host network, PID namespace, the node\'s /), which only the "privileged" Pod Security level admits: with createNamespace: false name a namespace at that level in kubernetes.hostNamespace, or set nodeExporter: false'));
  }
  if (args.kubeStateMetrics === true && !platformDriver(args.platform).clusterApi) {
    out.push(issue("kube-state-metrics", "kubeStateMetrics", `needs a platform with a cluster API (Kubernetes), not ${args.platform.kind}`));
  }
  const modules = { ...defaultBlackboxModules, ...(args.blackboxModules ?? {}) };
  out.push(...validateBlackboxModules(modules));
  for (const name of duplicates(args.probes ?? [], (p) => p.name)) out.push(issue(`probe "${name}"`, "name", "is defined more than once"));
  for (const p of args.probes ?? []) {
    if (!/^[a-z0-9-]+$/.test(p.name)) out.push(issue(`probe "${p.name}"`, "name", "must be lowercase letters, digits and -"));
    if (!(p.module in modules)) out.push(issue(`probe "${p.name}"`, "module", `"${p.module}" is not a blackbox module (known: ${Object.keys(modules).sort().join(", ")})`));
    if (p.targets.length === 0) out.push(issue(`probe "${p.name}"`, "targets", "is empty"));
  }
  const named = [...(args.postgres ?? []).map((p) => ({ kind: "postgres", ...p })), ...(args.redis ?? []).map((r) => ({ kind: "redis", ...r }))];
  for (const n of duplicates(named, (x) => `${x.kind}/${x.name}`)) out.push(issue(`exporter "${n}"`, "name", "is defined more than once"));
  for (const p of args.postgres ?? []) {
    const item = `postgres "${p.name}"`;
    if (!/^[a-z0-9-]+$/.test(p.name)) out.push(issue(item, "name", "must be lowercase letters, digits and -"));
    if (/[@]|:\/\//.test(p.uri)) out.push(issue(item, "uri", "must be host:port/database without scheme or credentials (the password is a secret)"));
    else {
      const hostPort = p.uri.split("/")[0] ?? "";
      const msg = checkHostPort(hostPort);
      if (msg) out.push(issue(item, "uri", msg));
    }
  }
  for (const r of args.redis ?? []) {
    const item = `redis "${r.name}"`;
    if (!/^[a-z0-9-]+$/.test(r.name)) out.push(issue(item, "name", "must be lowercase letters, digits and -"));
    const m = /^rediss?:\/\/([^@/]+)$/.exec(r.address);
    if (!m) out.push(issue(item, "address", `"${r.address}" must be redis://host:port without credentials`));
    else {
      const msg = checkHostPort(m[1]!);
      if (msg) out.push(issue(item, "address", msg));
    }
  }
  return out;
}

/** Pure plan of every exporter workload and its scrape job. Throws a ValidationError naming the culprit. */
export function resolveExporters(args: ExportersArgs, address: (name: string, port: number) => string): ResolvedExporters {
  checkArgs("Exporters", args, exportersArgsShape);
  assertValid("exporters", validateExportersArgs(args));
  const driver = platformDriver(args.platform);
  const plans: ExporterPlan[] = [];
  const publish = args.publishPorts ?? false;
  const files: RenderedFile[] = [];
  const interval = args.scrapeInterval;
  const job = (name: string, target: string, extra: Partial<ScrapeJob> = {}): ScrapeJob => ({
    name,
    ...(interval ? { scrapeInterval: interval } : {}),
    staticConfigs: [{ targets: [target] }],
    ...extra,
  });

  if (args.nodeExporter ?? true) {
    const files0: RenderedFile[] = [];
    const nodePort = args.nodeExporterPort ?? 9100;
    plans.push({
      spec: {
        name: "node-exporter",
        component: "exporter",
        image: IMAGES.nodeExporter,
        args: ["--path.rootfs=/host", `--web.listen-address=${driver.daemonListenAddress(nodePort)}`, "--collector.filesystem.mount-points-exclude=^/(dev|proc|sys|run|var/lib/docker/.+)($|/)"],
        files: [],
        // On the host's network a published port means nothing (Docker) or is the host port already (Kubernetes).
        ports: [{ name: "metrics", port: nodePort }],
        volumes: [],
        healthcheck: { path: "/metrics", port: nodePort },
        resources: SMALL,
        user: IMAGE_USERS.nodeExporter,
        configHash: configHash(files0, [IMAGES.nodeExporter]),
        host: NODE_EXPORTER_HOST,
        kind: "daemon",
      },
      // One target per node: the platform knows where its daemons run.
      job: { name: "node", ...(interval ? { scrapeInterval: interval } : {}), ...driver.daemonTargets("node-exporter", "metrics", nodePort, NODE_EXPORTER_HOST) },
    });
  }
  const builtinContainerMetrics = driver.builtinContainerMetrics(interval);
  if ((args.cadvisor ?? true) && builtinContainerMetrics) {
    for (const j of builtinContainerMetrics) plans.push({ job: j });
  } else if (args.cadvisor ?? true) {
    plans.push({
      spec: {
        name: "cadvisor",
        component: "exporter",
        image: IMAGES.cadvisor,
        args: ["--port=8080", "--docker_only=true", "--housekeeping_interval=15s", "--store_container_labels=false"],
        files: [],
        ports: [{ name: "metrics", port: 8080, publish }],
        volumes: [],
        healthcheck: { path: "/healthz", port: 8080 },
        resources: { memoryMb: 256, cpus: 0.3 },
        user: IMAGE_USERS.cadvisor,
        configHash: configHash([], [IMAGES.cadvisor]),
        host: {
          mounts: [
            { hostPath: "/", containerPath: "/rootfs", readOnly: true, reason: "container filesystem usage" },
            { hostPath: "/var/run", containerPath: "/var/run", readOnly: true, reason: "the Docker socket, to name containers" },
            { hostPath: "/sys", containerPath: "/sys", readOnly: true, reason: "cgroup CPU/memory accounting" },
            { hostPath: "/var/lib/docker", containerPath: "/var/lib/docker", readOnly: true, reason: "container layer sizes" },
            { hostPath: "/dev/disk", containerPath: "/dev/disk", readOnly: true, reason: "disk device names" },
          ],
          privileged: true,
          devices: ["/dev/kmsg"],
        },
      },
      job: job("cadvisor", address("cadvisor", 8080)),
    });
  }
  if (args.pushgateway ?? true) {
    plans.push({
      spec: {
        name: "pushgateway",
        component: "exporter",
        image: IMAGES.pushgateway,
        args: ["--web.listen-address=:9091", "--persistence.file=/pushgateway/pushgateway.db", "--persistence.interval=1m"],
        files: [],
        // Batch jobs push from wherever they run.
        ports: [{ name: "http", port: 9091, publish, clients: "any" }],
        // The image's own state dir, owned by nobody: a new volume there inherits that owner.
        // Persistent: pushed metrics survive a restart (Kubernetes: a claim of its own, not an emptyDir).
        volumes: [{ name: "data", mountPath: "/pushgateway", sizeGb: 1, persistent: true }],
        healthcheck: { path: "/-/healthy", port: 9091 },
        resources: SMALL,
        user: IMAGE_USERS.pushgateway,
        configHash: configHash([], [IMAGES.pushgateway]),
        stopGraceSeconds: STOP_GRACE_SECONDS.pushgateway,
      },
      // honor_labels keeps the job/instance labels the batch jobs pushed.
      job: job("pushgateway", address("pushgateway", 9091), { honorLabels: true }),
    });
  }
  const probes = args.probes ?? [];
  if (probes.length > 0) {
    const modules = { ...defaultBlackboxModules, ...(args.blackboxModules ?? {}) };
    const text = renderBlackboxConfig(modules);
    const cfgFile: RenderedFile = { path: ARTIFACT_PATHS.blackboxConfig, content: text };
    files.push(cfgFile);
    const bb = address("blackbox-exporter", 9115);
    const needsRaw = probes.some((p) => modules[p.module]?.prober === "icmp");
    plans.push({
      spec: {
        name: "blackbox-exporter",
        component: "exporter",
        image: IMAGES.blackboxExporter,
        args: ["--config.file=/etc/blackbox/blackbox.yml", "--web.listen-address=:9115"],
        files: [{ path: "/etc/blackbox/blackbox.yml", content: text }],
        ports: [{ name: "http", port: 9115, publish }],
        volumes: [],
        healthcheck: { path: "/-/healthy", port: 9115 },
        resources: SMALL,
        user: IMAGE_USERS.blackboxExporter,
        configHash: configHash([cfgFile], [IMAGES.blackboxExporter]),
        ...(needsRaw ? { capAdd: ["NET_RAW"] } : {}),
      },
      job: job("blackbox-exporter", bb),
    });
    for (const p of probes) {
      plans.push({
        job: {
          name: `blackbox-${p.name}`,
          ...(interval ? { scrapeInterval: interval } : {}),
          metricsPath: "/probe",
          params: { module: [p.module] },
          staticConfigs: [{ targets: [...p.targets] }],
          relabelConfigs: [
            { sourceLabels: ["__address__"], targetLabel: "__param_target" },
            { sourceLabels: ["__param_target"], targetLabel: "instance" },
            { targetLabel: "__address__", replacement: bb },
          ],
        },
      });
    }
  }
  const postgresTargets: StaticTargetGroup[] = [];
  const redisTargets: StaticTargetGroup[] = [];
  for (const pg of args.postgres ?? []) {
    const name = `postgres-exporter-${pg.name}`;
    plans.push({
      spec: {
        name,
        component: "exporter",
        image: IMAGES.postgresExporter,
        args: ["--web.listen-address=:9187"],
        env: {
          DATA_SOURCE_URI: pg.uri,
          DATA_SOURCE_USER: pg.user,
          DATA_SOURCE_PASS_FILE: `${SECRETS_DIR}/password`,
        },
        files: [{ path: `${SECRETS_DIR}/password`, content: pg.password, secret: true }],
        ports: [{ name: "metrics", port: 9187, publish }],
        volumes: [],
        healthcheck: { path: "/metrics", port: 9187 },
        resources: SMALL,
        user: IMAGE_USERS.postgresExporter,
        configHash: configHash([], [IMAGES.postgresExporter, pg.uri, pg.user]),
      },
    });
    postgresTargets.push({ targets: [address(name, 9187)], labels: { database: pg.name } });
  }
  // One job per exporter kind, one target group per database: the packs and dashboards select job="postgres".
  if (postgresTargets.length > 0) plans.push({ job: job("postgres", postgresTargets[0]!.targets[0]!, { staticConfigs: postgresTargets }) });
  for (const r of args.redis ?? []) {
    const name = `redis-exporter-${r.name}`;
    const secretFiles = r.password !== undefined
      ? [{ path: `${SECRETS_DIR}/passwords.json`, content: pulumi.output(r.password).apply((pw) => JSON.stringify({ [r.address]: pw })), secret: true }]
      : [];
    plans.push({
      spec: {
        name,
        component: "exporter",
        image: IMAGES.redisExporter,
        args: [`--redis.addr=${r.address}`, "--web.listen-address=:9121", ...(r.password !== undefined ? [`--redis.password-file=${SECRETS_DIR}/passwords.json`] : [])],
        files: secretFiles,
        ports: [{ name: "metrics", port: 9121, publish }],
        volumes: [],
        // The image is built FROM scratch: no shell, no wget, so Docker cannot probe it (Prometheus's `up` and the
        // RedisExporterDown/TargetDown alerts watch it instead); Kubernetes' kubelet probes it from outside.
        healthcheck: { path: "/health", port: 9121, imageHasHttpClient: false },
        resources: SMALL,
        user: IMAGE_USERS.redisExporter,
        configHash: configHash([], [IMAGES.redisExporter, r.address]),
      },
    });
    redisTargets.push({ targets: [address(name, 9121)], labels: { cache: r.name } });
  }
  if (redisTargets.length > 0) plans.push({ job: job("redis", redisTargets[0]!.targets[0]!, { staticConfigs: redisTargets }) });
  if (args.kubeStateMetrics ?? driver.clusterApi) {
    const groups = [...new Set(KUBE_STATE_METRICS_RESOURCES.map((r) => r.group))].sort();
    plans.push({
      spec: {
        name: "kube-state-metrics",
        component: "exporter",
        image: CLUSTER_IMAGES.kubeStateMetrics,
        args: ["--port=8080", "--telemetry-port=8081", `--resources=${KUBE_STATE_METRICS_RESOURCES.map((r) => r.resource).join(",")}`],
        files: [],
        ports: [{ name: "http", port: 8080, publish }],
        volumes: [],
        healthcheck: { path: "/livez", port: 8080 },
        resources: { memoryMb: 128, cpus: 0.2 },
        user: CLUSTER_IMAGE_USERS.kubeStateMetrics,
        configHash: configHash([], [CLUSTER_IMAGES.kubeStateMetrics]),
        apiAccess: groups.map((g) => ({
          apiGroups: [g],
          resources: KUBE_STATE_METRICS_RESOURCES.filter((r) => r.group === g).map((r) => r.resource),
          verbs: ["list", "watch"] as const,
        })),
      },
      job: job("kube-state-metrics", address("kube-state-metrics", 8080)),
    });
  }
  return {
    workloads: plans.map((p) => p.spec).filter((s): s is WorkloadSpec => s !== undefined),
    scrapeJobs: plans.map((p) => p.job).filter((j): j is ScrapeJob => j !== undefined),
    files,
  };
}

/**
 * The exporters of a stack (type `moncode:exporters:Exporters`) and the scrape jobs for them, to pass to
 * `PrometheusStack`.
 */
export class Exporters extends pulumi.ComponentResource {
  /** Scrape jobs for every exporter and probe, to pass to PrometheusStack. */
  public readonly scrapeJobs: readonly ScrapeJob[];
  /** Rendered files (blackbox.yml), for synth and review. */
  public readonly files: readonly RenderedFile[];
  /** Logical names of the deployed exporter workloads. */
  public readonly workloadNames: pulumi.Output<string[]>;

  constructor(name: string, args: ExportersArgs, opts?: pulumi.ComponentResourceOptions) {
    // Resolved (validated) before anything is registered: a ValidationError declares nothing.
    const driver = platformDriver(args.platform);
    const resolved = takeResolved<ResolvedExporters>(args) ?? resolveExporters(args, driver.address);
    super("moncode:exporters:Exporters", name, {}, opts);
    for (const spec of resolved.workloads) driver.deploy(spec, { parent: this, name });
    this.scrapeJobs = resolved.scrapeJobs;
    this.files = resolved.files;
    this.workloadNames = pulumi.output(resolved.workloads.map((w) => w.name));
    reportComponent({ type: "Exporters", name, files: this.files, warnings: [] });
    this.registerOutputs({ workloadNames: this.workloadNames });
  }
}
