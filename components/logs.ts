/**
 * Logs: Loki as a single binary (grafana/loki 3.7.6) with its config and the ruler's log rules from code, on one
 * volume (Docker) or PVC (Kubernetes). Hardened like the other containers; its image is distroless, so Docker
 * probes it with its own `loki -health` (3.6+) and Kubernetes over HTTP on /ready.
 */
import * as pulumi from "@pulumi/pulumi";
import type { RenderedFile } from "../core/files";
import type { LintLevels } from "../core/lint";
import { isLogAlertRule, renderLogRulePackFiles, validateLogRulePacks, type LogRulePack } from "../core/logql";
import { LOKI_DEFAULTS, LOKI_TENANT, lokiRulesDir, renderLokiConfig, validateLokiConfig, type LokiConfig } from "../core/loki";
import type { ScrapeJob } from "../core/prometheus/model";
import { finding, ValidationError, type ValidationIssue } from "../core/validation";
import { configHash } from "./hash";
import { TELEMETRY_IMAGES, TELEMETRY_IMAGE_USERS } from "./images";
import { platformDriver, type Platform, type WorkloadResources, type WorkloadSpec } from "./platform";
import { reportComponent } from "./report";
import { takeResolved } from "./resolved";
import { checkArgs } from "./shapes";
import { logsArgsShape } from "./telemetry-shapes";

/**
 * Arguments of `Logs`: the platform, Loki's settings, the ruler's log rules and the Alertmanagers it notifies, and the
 * server's limits, volume and published port.
 */
export interface LogsArgs {
  readonly platform: Platform;
  /** Loki's settings (retention, per-stream retention, limits, OTLP index labels). @default LOKI_DEFAULTS */
  readonly loki?: LokiConfig;
  /** Alertmanager base URLs the ruler notifies (the stack's). @default none */
  readonly alertmanagerUrls?: readonly string[];
  /** Log alert and recording rules for the ruler. @default [] */
  readonly rulePacks?: readonly LogRulePack[];
  /** @default { memoryMb: 1024, cpus: 1 } */
  readonly resources?: WorkloadResources;
  /** Size of the volume (Kubernetes PVC), GiB; keep it above a retention's worth of logs. @default 20 */
  readonly volumeSizeGb?: number;
  /** Host port to publish Loki's HTTP API on; `false` publishes nothing (Grafana reaches it inside). @default false */
  readonly publishPort?: number | false;
  /** Levels of lint rules for the log rules. @default each rule's own */
  readonly lint?: LintLevels;
}

export const LOKI_CONFIG_PATH = "/etc/loki/loki.yaml";
/** Where synth writes Loki's files (`out/<stack>/loki/…`). */
export const LOKI_ARTIFACTS = { config: "loki/loki.yaml", rulesDir: `loki/rules/${LOKI_TENANT}` } as const;

export interface ResolvedLogs {
  readonly files: readonly RenderedFile[];
  readonly spec: WorkloadSpec;
  readonly warnings: readonly ValidationIssue[];
  readonly config: LokiConfig;
}

/**
 * The pure part of `Logs`: checks the args, validates and renders loki.yaml and one ruler rule file per log rule pack,
 * without declaring resources; a non-empty `alertmanagerUrls` replaces `loki.alertmanagerUrls`. Throws a
 * ValidationError naming every culprit; returns the files, the workload and the Loki config otherwise.
 */
export function resolveLogs(args: LogsArgs): ResolvedLogs {
  checkArgs("Logs", args, logsArgsShape);
  const config: LokiConfig = { ...(args.loki ?? {}), ...(args.alertmanagerUrls && args.alertmanagerUrls.length > 0 ? { alertmanagerUrls: args.alertmanagerUrls } : {}) };
  let files: RenderedFile[] = [];
  try {
    files = [{ path: LOKI_ARTIFACTS.config, content: renderLokiConfig(config) }, ...renderLogRulePackFiles(args.rulePacks ?? [], LOKI_ARTIFACTS.rulesDir, { levels: args.lint ?? {} })];
  } catch (e) {
    if (e instanceof ValidationError) throw new ValidationError("Logs", e.issues);
    throw e;
  }
  // A recording rule's samples leave Loki only by remote write: without it they would be computed and dropped.
  if (config.remoteWriteUrl === undefined) {
    const recordings = (args.rulePacks ?? []).flatMap((p) => p.groups.flatMap((g) => g.rules.flatMap((r) => (isLogAlertRule(r) ? [] : [`log rule group "${g.name}" > record "${r.record}"`]))));
    if (recordings.length > 0) {
      throw new ValidationError("Logs", recordings.map((item) => finding("loki/invalid", item, "record", "has nowhere to go: Loki's ruler sends recording-rule samples only by remote write; set loki.remoteWriteUrl (MonitoringStack sets it to its Prometheus)")));
    }
  }
  // The renderers throw on errors only; their warnings (house conventions at "warning") are reported from here.
  const issues: ValidationIssue[] = [...validateLokiConfig(config), ...validateLogRulePacks(args.rulePacks ?? [], { levels: args.lint ?? {} })].filter((i) => i.severity === "warning");
  const port = config.httpPort ?? LOKI_DEFAULTS.httpPort;
  const rulesDir = `${lokiRulesDir(config)}/${LOKI_TENANT}`;
  const toContainer = (f: RenderedFile) => (f.path === LOKI_ARTIFACTS.config ? LOKI_CONFIG_PATH : `${rulesDir}/${f.path.slice(LOKI_ARTIFACTS.rulesDir.length + 1)}`);
  const publish = args.publishPort ?? false;
  const spec: WorkloadSpec = {
    name: "loki",
    component: "logs",
    image: TELEMETRY_IMAGES.loki,
    args: [`-config.file=${LOKI_CONFIG_PATH}`],
    files: files.map((f) => ({ path: toContainer(f), content: f.content })),
    // The collector pushes (OTLP), Grafana queries, Prometheus scrapes /metrics.
    ports: [{ name: "http", port, clients: ["otel-collector", "grafana", "prometheus"], ...(publish !== false ? { publish: true, hostPort: publish } : {}) }],
    volumes: [{ name: "data", mountPath: config.dataDir ?? LOKI_DEFAULTS.dataDir, sizeGb: args.volumeSizeGb ?? 20 }],
    // /ready answers 200 once the ingester joined its ring (min_ready_duration 15s); a WAL replay can take minutes.
    healthcheck: { path: "/ready", port, imageHasHttpClient: false, command: ["/usr/bin/loki", "-health", `-health.url=http://localhost:${port}/ready`], startupSeconds: 300 },
    resources: args.resources ?? { memoryMb: 1024, cpus: 1 },
    user: TELEMETRY_IMAGE_USERS.loki,
    configHash: configHash(files, [TELEMETRY_IMAGES.loki]),
    kind: "stateful",
  };
  return { files, spec, warnings: issues, config };
}

export function lokiScrapeJob(address: string): ScrapeJob {
  return { name: "loki", staticConfigs: [{ targets: [address] }] };
}

/**
 * Loki as a single binary (type `moncode:logs:Logs`) with its rendered config and the ruler's log rules, on one volume
 * (a PVC on Kubernetes); the collector pushes logs to `otlpUrl`, Grafana queries `address`. Everything is validated
 * before any resource is declared: bad args throw a ValidationError and declare nothing.
 */
export class Logs extends pulumi.ComponentResource {
  /** `host:port` of Loki's HTTP API inside the platform. */
  public readonly address: string;
  /** Loki's OTLP base URL for the collector's otlp_http exporter (it appends `/v1/logs`). */
  public readonly otlpUrl: string;
  public readonly files: readonly RenderedFile[];
  public readonly warnings: readonly ValidationIssue[];
  public readonly scrapeJobs: readonly ScrapeJob[];

  constructor(name: string, args: LogsArgs, opts?: pulumi.ComponentResourceOptions) {
    const resolved = takeResolved<ResolvedLogs>(args) ?? resolveLogs(args);
    super("moncode:logs:Logs", name, {}, opts);
    const deployed = platformDriver(args.platform).deploy(resolved.spec, { parent: this, name });
    this.address = deployed.address("http");
    this.otlpUrl = `http://${this.address}/otlp`;
    this.files = resolved.files;
    this.warnings = resolved.warnings;
    this.scrapeJobs = [lokiScrapeJob(this.address)];
    reportComponent({ type: "Logs", name, files: this.files, warnings: this.warnings });
    this.registerOutputs({ address: this.address });
  }
}
