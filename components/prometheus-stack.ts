/**
 * PrometheusStack: one Prometheus server with its config, rule files and TSDB volume on the chosen platform.
 * Everything is rendered and validated in `resolvePrometheusStack` (pure) before any resource is declared.
 */
import * as pulumi from "@pulumi/pulumi";
import { ARTIFACT_PATHS } from "../core/conventions";
import type { RenderedFile } from "../core/files";
import type { GlobalConfig, PrometheusConfig, RelabelConfig, ScrapeJob, QueueConfig, StorageConfig } from "../core/prometheus/model";
import { kubernetesSdAccess } from "../core/prometheus/kubernetes";
import { formatDuration, parseDuration } from "../core/duration";
import { prometheusFlags, renderPrometheusConfig } from "../core/prometheus/render";
import { validatePrometheusConfig, validateStorage } from "../core/prometheus/validate";
import type { RulePack } from "../core/rules/model";
import { renderValidatedRuleFile } from "../core/rules/validated";
import { forShorterThanInterval } from "../core/rules/timing";
import { validateRulePacks } from "../core/rules/validate";
import type { LintLevels } from "../core/lint";
import { assertValid, duplicates, issue, type ValidationIssue } from "../core/validation";
import { configHash } from "./hash";
import { reportComponent } from "./report";
import { takeResolved } from "./resolved";
import { checkArgs, prometheusStackArgsShape } from "./shapes";
import { IMAGES, IMAGE_USERS } from "./images";
import { STOP_GRACE_SECONDS } from "./platform/docker-provider";
import { platformDriver, type Platform, type WorkloadFile, type WorkloadResources, type WorkloadSpec } from "./platform";

/**
 * One remote-write destination of a PrometheusStack (long-term storage such as VictoriaMetrics, Mimir or Thanos
 * Receive); the password stays a secret, mounted as a file.
 */
export interface RemoteWriteArgs {
  /** Unique name. */
  readonly name: string;
  /** Receiver endpoint, e.g. VictoriaMetrics `http://vm:8428/api/v1/write` or Mimir `/api/v1/push`. */
  readonly url: string;
  /** Basic-auth user; with `password`. */
  readonly username?: string;
  /** Basic-auth password or, without `username`, a bearer token; a Pulumi secret, mounted as a file. */
  readonly password?: pulumi.Input<string>;
  readonly queueConfig?: QueueConfig;
  readonly writeRelabelConfigs?: readonly RelabelConfig[];
}

/**
 * Arguments of `PrometheusStack`: the platform, what to scrape and evaluate, where alerts and samples go, and the
 * server's storage, sizing and replicas.
 */
export interface PrometheusStackArgs {
  readonly platform: Platform;
  /** @default { scrapeInterval: "15s", scrapeTimeout: "10s", evaluationInterval: "15s" } */
  readonly global?: Partial<GlobalConfig>;
  /** Scrape jobs: the monitored services plus the exporters' and other components' jobs. @default [] */
  readonly scrapeJobs?: readonly ScrapeJob[];
  /**
   * Secret files for scrape jobs' credentials, by file name, mounted at `prometheusSecretPath(name)`; reference
   * that path in a job's `authorization.credentialsFile` or `basicAuth.passwordFile`. @default {}
   */
  readonly scrapeSecrets?: Readonly<Record<string, pulumi.Input<string>>>;
  /** Alert and recording rule packs; one rule file each. @default [] */
  readonly rulePacks?: readonly RulePack[];
  /** `host:port` of every Alertmanager peer. @default [] */
  readonly alertmanagers?: readonly string[];
  /** Long-term storage. @default [] */
  readonly remoteWrite?: readonly RemoteWriteArgs[];
  /** @default { retentionTime: "15d" } */
  readonly storage?: Partial<StorageConfig>;
  /**
   * Limits. @default `prometheusResources` of `expectedSeries` and the rule count when `expectedSeries` is given,
   * else { memoryMb: 1024, cpus: 1 } — the seeds' production limits.
   */
  readonly resources?: WorkloadResources;
  /** Active series you expect (all targets together), for the sizing rule. @default none */
  readonly expectedSeries?: number;
  /**
   * Identical Prometheus servers scraping the same targets (HA). With more than one, each adds a `replica`
   * external label (its pod name) and drops it from alerts so Alertmanager deduplicates them. @default 1
   */
  readonly replicas?: number;
  /** Size of each replica's TSDB volume. @default retention size + 20% for WAL and compaction, or 20 GiB */
  readonly storageSizeGb?: number;
  /** How long a start may take (WAL replay) before liveness applies. @default 900 */
  readonly startupSeconds?: number;
  /** Host port to publish the UI/API on (platform bind address); `false` publishes nothing. @default 9090 */
  readonly publishPort?: number | false;
  /** Scrape Prometheus's own metrics as job "prometheus". @default true */
  readonly selfScrape?: boolean;
  /** `--web.external-url`, used in alert links. @default none */
  readonly externalUrl?: string;
  /**
   * Accept OTLP metrics on /api/v1/otlp (`--web.enable-otlp-receiver`): the collector's span metrics. The
   * collector becomes a client of the web port. @default false
   */
  readonly otlpReceiver?: boolean;
  /**
   * Accept remote-write on /api/v1/write (`--web.enable-remote-write-receiver`): the samples of Loki's log
   * recording rules. Loki becomes a client of the web port. @default false
   */
  readonly remoteWriteReceiver?: boolean;
  /** Levels of lint rules (core/lint.ts), e.g. `{ "rules/alert-name-pascal-case": "error" }`. @default each rule's own */
  readonly lint?: LintLevels;
}

/**
 * The port Prometheus serves its UI and API on, inside the stack and, unless `publishPort` says otherwise, on the
 * host.
 */
export const PROMETHEUS_PORT = 9090;
/** The env var carrying each replica's identity, expanded by Prometheus v3 in external labels. */
export const PROMETHEUS_REPLICA_ENV = "PROMETHEUS_REPLICA";
// Prometheus reads --storage.tsdb.retention.size in powers of two (its GB is a GiB).
const SIZE_UNITS: Readonly<Record<string, number>> = { B: 1, KB: 2 ** 10, MB: 2 ** 20, GB: 2 ** 30, TB: 2 ** 40, PB: 2 ** 50, EB: 2 ** 60 };

/**
 * The sizing rule for Prometheus (limits; the platform derives requests): memory = 256 MiB base + 8 KiB per active
 * series (head block, WAL replay buffers and churn) + 0.25 MiB per rule, rounded up to 64 MiB; CPU = 0.25 core +
 * 0.5 per 100k series (scrape, compaction) + 0.05 per 100 rules (evaluation), rounded up to 0.05.
 */
export function prometheusResources(opts: { expectedSeries: number; ruleCount: number }): WorkloadResources {
  const memory = 256 + (opts.expectedSeries * 8) / 1024 + opts.ruleCount * 0.25;
  const cpus = 0.25 + (opts.expectedSeries / 100_000) * 0.5 + (opts.ruleCount / 100) * 0.05;
  return { memoryMb: Math.ceil(memory / 64) * 64, cpus: Math.ceil(cpus * 20) / 20 };
}

/** GiB for a TSDB volume: the retention size plus 20%, or 20 GiB when retention is bounded by time only. */
export function prometheusVolumeGb(retentionSize: string | undefined): number {
  const m = /^(\d+)(B|KB|MB|GB|TB|PB|EB)$/.exec(retentionSize ?? "");
  if (!m) return 20;
  return Math.max(1, Math.ceil((Number(m[1]) * (SIZE_UNITS[m[2]!] ?? 1) * 1.2) / 2 ** 30));
}
/** A volume smaller than the retention size fills up before size-based retention deletes anything. */
function volumeTooSmall(storage: StorageConfig, sizeGb: number | undefined): ValidationIssue[] {
  const m = /^(\d+)(B|KB|MB|GB|TB|PB|EB)$/.exec(storage.retentionSize ?? "");
  if (sizeGb === undefined || !m) return [];
  const retentionBytes = Number(m[1]) * (SIZE_UNITS[m[2]!] ?? 1);
  if (sizeGb * 2 ** 30 >= retentionBytes * 1.1) return [];
  const fix = `at least ${prometheusVolumeGb(storage.retentionSize)} GiB (retention size + 20% for the WAL and compaction)`;
  return [
    sizeGb * 2 ** 30 < retentionBytes
      ? issue("PrometheusStack", "storageSizeGb", `${sizeGb} GiB is smaller than storage.retentionSize ${storage.retentionSize}: the disk fills before size-based retention deletes a block; use ${fix}`)
      : issue("PrometheusStack", "storageSizeGb", `${sizeGb} GiB leaves under 10% above storage.retentionSize ${storage.retentionSize} for the WAL and compaction; use ${fix}`, "warning"),
  ];
}

const CONFIG_DIR = "/etc/prometheus";
const SECRETS_DIR = "/etc/prometheus/secrets";
const DATA_DIR = "/prometheus";

export interface ResolvedPrometheusStack {
  readonly config: PrometheusConfig;
  readonly storage: StorageConfig;
  /** Rendered artifacts with their output paths (`prometheus/prometheus.yml`, `prometheus/rules/*.yml`). */
  readonly files: readonly RenderedFile[];
  readonly spec: WorkloadSpec;
  /** Warnings from validation (the stack still deploys). */
  readonly warnings: readonly ValidationIssue[];
}

function remoteWriteSecretPath(name: string): string {
  return `${SECRETS_DIR}/remote-write-${name}`;
}

/** Where a scrape secret named `name` is mounted in the Prometheus container. */
export function prometheusSecretPath(name: string): string {
  return `${SECRETS_DIR}/${name}`;
}

/** Defaults, rendering and validation in one pure step; throws a ValidationError naming the culprit. */
export function resolvePrometheusStack(args: PrometheusStackArgs): ResolvedPrometheusStack {
  checkArgs("PrometheusStack", args, prometheusStackArgsShape);
  const global: GlobalConfig = {
    scrapeInterval: args.global?.scrapeInterval ?? "15s",
    // Prometheus's own default (10s), capped at the interval so a short interval alone is valid.
    scrapeTimeout: args.global?.scrapeTimeout ?? formatDuration(Math.min(10_000, parseDuration(args.global?.scrapeInterval ?? "15s") ?? 10_000)),
    evaluationInterval: args.global?.evaluationInterval ?? "15s",
    ...(args.global?.externalLabels || (args.replicas ?? 1) > 1
      ? { externalLabels: { ...(args.global?.externalLabels ?? {}), ...((args.replicas ?? 1) > 1 ? { replica: `\${${PROMETHEUS_REPLICA_ENV}}` } : {}) } }
      : {}),
  };
  const storage: StorageConfig = {
    retentionTime: args.storage?.retentionTime ?? "15d",
    ...(args.storage?.retentionSize !== undefined ? { retentionSize: args.storage.retentionSize } : {}),
  };
  const selfJob: ScrapeJob[] = (args.selfScrape ?? true) ? [{ name: "prometheus", staticConfigs: [{ targets: [`localhost:${PROMETHEUS_PORT}`] }] }] : [];
  const packs = args.rulePacks ?? [];
  const preIssues: ValidationIssue[] = [];
  for (const n of duplicates(packs, (p) => p.name)) preIssues.push(issue(`rule pack "${n}"`, "name", "is defined more than once"));
  for (const n of Object.keys(args.scrapeSecrets ?? {})) {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(n) || n.startsWith("remote-write-")) preIssues.push(issue(`scrape secret "${n}"`, "name", "must be lowercase letters, digits and - (and not start with remote-write-)"));
  }
  const replicas = args.replicas ?? 1;
  if (!(Number.isInteger(replicas) && replicas >= 1)) preIssues.push(issue("PrometheusStack", "replicas", "must be a whole number ≥ 1"));
  if (replicas > 1 && args.global?.externalLabels?.replica !== undefined) preIssues.push(issue("global", "external_labels.replica", "is set by the stack for HA replicas; remove it"));
  for (const rw of args.remoteWrite ?? []) {
    if (rw.username !== undefined && rw.password === undefined) preIssues.push(issue(`remote_write "${rw.name}"`, "password", "is required with username"));
    if (!/^[a-z0-9-]+$/.test(rw.name)) preIssues.push(issue(`remote_write "${rw.name}"`, "name", "must be lowercase letters, digits and -"));
  }
  const config: PrometheusConfig = {
    global,
    ruleFiles: packs.length > 0 ? ["rules/*.yml"] : [],
    scrapeJobs: [...selfJob, ...(args.scrapeJobs ?? [])],
    alertmanagers: (args.alertmanagers ?? []).length > 0 ? [{ targets: [...(args.alertmanagers ?? [])] }] : [],
    // Replicas send the same alerts; without their replica label Alertmanager sees one alert, not two.
    ...(replicas > 1 ? { alertRelabelConfigs: [{ regex: "replica", action: "labeldrop" as const }] } : {}),
    ...(args.remoteWrite && args.remoteWrite.length > 0
      ? {
          remoteWrite: args.remoteWrite.map((rw) => ({
            name: rw.name,
            url: rw.url,
            ...(rw.password !== undefined
              ? rw.username !== undefined
                ? { basicAuth: { username: rw.username, passwordFile: remoteWriteSecretPath(rw.name) } }
                : { authorization: { credentialsFile: remoteWriteSecretPath(rw.name) } }
              : {}),
            ...(rw.queueConfig ? { queueConfig: rw.queueConfig } : {}),
            ...(rw.writeRelabelConfigs ? { writeRelabelConfigs: rw.writeRelabelConfigs } : {}),
          })),
        }
      : {}),
  };
  const lint = { levels: args.lint ?? {} };
  const issues = [
    ...preIssues,
    ...validatePrometheusConfig(config, lint),
    ...validateStorage(storage),
    ...volumeTooSmall(storage, args.storageSizeGb),
    ...validateRulePacks(packs, lint),
    ...forShorterThanInterval(packs, global.evaluationInterval),
  ];
  const warnings = assertValid("PrometheusStack", issues);
  // Every pack was validated just above (assertValid threw on any error), so the files are rendered without
  // validating each pack a second time.

  const files: RenderedFile[] = [
    { path: ARTIFACT_PATHS.prometheusConfig, content: renderPrometheusConfig(config) },
    ...packs.map((p) => ({ path: `${ARTIFACT_PATHS.prometheusRulesDir}/${p.name}.yml`, content: renderValidatedRuleFile(p.groups) })),
  ];
  const toContainer = (f: RenderedFile): WorkloadFile => ({ path: `${CONFIG_DIR}/${f.path.slice("prometheus/".length)}`, content: f.content });
  const secretFiles: WorkloadFile[] = (args.remoteWrite ?? [])
    .filter((rw) => rw.password !== undefined)
    .map((rw) => ({ path: remoteWriteSecretPath(rw.name), content: rw.password as pulumi.Input<string>, secret: true }));
  for (const [fileName, value] of Object.entries(args.scrapeSecrets ?? {}).sort(([x], [y]) => (x < y ? -1 : 1))) {
    secretFiles.push({ path: prometheusSecretPath(fileName), content: value, secret: true });
  }
  const publish = args.publishPort ?? PROMETHEUS_PORT;
  const spec: WorkloadSpec = {
    name: "prometheus",
    component: "prometheus",
    image: IMAGES.prometheus,
    args: prometheusFlags({
      configFile: `${CONFIG_DIR}/prometheus.yml`,
      dataDir: DATA_DIR,
      retentionTime: storage.retentionTime,
      ...(storage.retentionSize !== undefined ? { retentionSize: storage.retentionSize } : {}),
      listenPort: PROMETHEUS_PORT,
      ...(args.externalUrl !== undefined ? { externalUrl: args.externalUrl } : {}),
      ...(args.otlpReceiver ? { otlpReceiver: true } : {}),
      ...(args.remoteWriteReceiver ? { remoteWriteReceiver: true } : {}),
    }),
    files: [...files.map(toContainer), ...secretFiles],
    ports: [{ name: "web", port: PROMETHEUS_PORT, publish: publish !== false, ...(publish !== false ? { hostPort: publish } : {}), clients: ["grafana", ...(args.otlpReceiver ? ["otel-collector"] : []), ...(args.remoteWriteReceiver ? ["loki"] : [])] }],
    volumes: [{ name: "data", mountPath: DATA_DIR, sizeGb: args.storageSizeGb ?? prometheusVolumeGb(storage.retentionSize) }],
    healthcheck: { path: "/-/healthy", port: PROMETHEUS_PORT, readyPath: "/-/ready", startupSeconds: args.startupSeconds ?? 900 },
    resources:
      args.resources ??
      (args.expectedSeries !== undefined
        ? prometheusResources({ expectedSeries: args.expectedSeries, ruleCount: packs.reduce((n, p) => n + p.groups.reduce((m, g) => m + g.rules.length, 0), 0) })
        : { memoryMb: 1024, cpus: 1 }),
    user: IMAGE_USERS.prometheus,
    configHash: configHash(files, [IMAGES.prometheus]),
    kind: "stateful",
    stopGraceSeconds: STOP_GRACE_SECONDS.prometheus,
    replicas,
    // HA replicas scrape on their own and hold different samples: Grafana stays on one of them.
    ...(replicas > 1 ? { replicaIdentityEnv: PROMETHEUS_REPLICA_ENV, independentReplicas: true } : {}),
    apiAccess: kubernetesSdAccess(config),
  };
  return { config, storage, files, spec, warnings };
}

/**
 * A Prometheus server (type `moncode:prometheus:PrometheusStack`) with its rendered config, rule files and TSDB volume
 * on the chosen platform. Everything is validated before any resource is declared: bad args throw a ValidationError
 * and declare nothing.
 */
export class PrometheusStack extends pulumi.ComponentResource {
  /** `host:port` other workloads of the stack use to reach Prometheus. */
  public readonly address: string;
  /** Rendered artifacts (config and rule files) exactly as uploaded. */
  public readonly files: readonly RenderedFile[];
  public readonly configHash: pulumi.Output<string>;
  public readonly warnings: readonly ValidationIssue[];
  /**
   * The rule packs deployed (for unit-test files and routing checks), validated: the constructor throws on any
   * error in them.
   */
  public readonly rulePacks: readonly RulePack[];

  constructor(name: string, args: PrometheusStackArgs, opts?: pulumi.ComponentResourceOptions) {
    // Resolved (validated) before anything is registered: a ValidationError declares nothing.
    const resolved = takeResolved<ResolvedPrometheusStack>(args) ?? resolvePrometheusStack(args);
    super("moncode:prometheus:PrometheusStack", name, {}, opts);
    const driver = platformDriver(args.platform);
    const deployed = driver.deploy(resolved.spec, { parent: this, name });
    this.address = deployed.address("web");
    this.files = resolved.files;
    this.warnings = resolved.warnings;
    this.rulePacks = args.rulePacks ?? [];
    this.configHash = pulumi.output(resolved.spec.configHash);
    reportComponent({ type: "PrometheusStack", name, files: this.files, warnings: this.warnings });
    this.registerOutputs({ address: this.address, configHash: this.configHash });
  }
}
