/**
 * AlertRouting: Alertmanager with a typed, validated routing tree. Receiver credentials arrive as Pulumi secrets
 * and reach Alertmanager only as files referenced by `*_file` fields; routing tests run at synth/preview time.
 */
import * as pulumi from "@pulumi/pulumi";
import type { AlertmanagerConfig } from "../core/alertmanager/model";
import { renderAlertmanagerConfig } from "../core/alertmanager/render";
import { evaluateRoutingTests, renderRouteTests, type RoutingTest } from "../core/alertmanager/route-tests";
import { secretRefs, validateAlertmanagerConfig } from "../core/alertmanager/validate";
import { ARTIFACT_PATHS } from "../core/conventions";
import type { RenderedFile } from "../core/files";
import type { ScrapeJob } from "../core/prometheus/model";
import { SEVERITIES, type AlertSeverity } from "../core/severity";
import { applyLevels, type LintLevels } from "../core/lint";
import { assertValid, issue, type ValidationIssue } from "../core/validation";
import { configHash } from "./hash";
import { reportComponent } from "./report";
import { takeResolved } from "./resolved";
import { alertRoutingArgsShape, checkArgs } from "./shapes";
import { IMAGES, IMAGE_USERS } from "./images";
import { STOP_GRACE_SECONDS } from "./platform/docker-provider";
import { platformDriver, type Platform, type WorkloadResources, type WorkloadSpec } from "./platform";

/**
 * Arguments of `AlertRouting`: the platform, the typed Alertmanager config with the values of the secrets it
 * references, the routing tests, and the server's sizing and replicas.
 */
export interface AlertRoutingArgs {
  readonly platform: Platform;
  /** The routing definition (receivers, route tree, inhibit rules, time intervals). */
  readonly config: AlertmanagerConfig;
  /** Values of every secret the config references by name (`{ secret: "slack-webhook" }`), as Pulumi secrets. */
  readonly secrets?: Readonly<Record<string, pulumi.Input<string>>>;
  /** Routing tests evaluated before deploy; a failing test stops the deployment. @default [] */
  readonly tests?: readonly RoutingTest[];
  /** Severities the deployed rules use; each must be routed. @default all */
  readonly severities?: readonly AlertSeverity[];
  /** dev relaxes nothing but allows a catch-all non-paging receiver; prod requires a route per severity. @default "prod" */
  readonly environment?: "dev" | "prod";
  /** Silences and notification log retention. @default "120h" */
  readonly dataRetention?: string;
  /** @default { memoryMb: 256, cpus: 0.5 } — the seeds' production limits. */
  readonly resources?: WorkloadResources;
  /** Host port to publish the UI/API on; `false` publishes nothing. @default 9093 */
  readonly publishPort?: number | false;
  /** `--web.external-url` for links in notifications. */
  readonly externalUrl?: string;
  /**
   * Alertmanager peers forming one gossip cluster (shared silences, deduplicated notifications). Prometheus must
   * alert every peer, not a load balancer: use `AlertRouting.peers`. @default 1
   */
  readonly replicas?: number;
  /** Levels of lint rules (core/lint.ts), e.g. `{ "alertmanager/receiver-unused": "error" }`. @default each rule's own */
  readonly lint?: LintLevels;
}

/**
 * The port Alertmanager serves its UI and API on, inside the stack and, unless `publishPort` says otherwise, on the
 * host.
 */
export const ALERTMANAGER_PORT = 9093;
export const ALERTMANAGER_CLUSTER_PORT = 9094;
const CONFIG_DIR = "/etc/alertmanager";
const INSTANCE_IP_ENV = "POD_IP";
const SECRETS_DIR = "/etc/alertmanager/secrets";
const DATA_DIR = "/alertmanager";

export interface ResolvedAlertRouting {
  readonly files: readonly RenderedFile[];
  readonly spec: WorkloadSpec;
  readonly warnings: readonly ValidationIssue[];
}

/**
 * The pure part of `AlertRouting`: checks the args and the config, runs the routing tests and renders alertmanager.yml
 * and route-tests.json, without declaring resources. Throws a ValidationError naming every culprit; returns the files,
 * the workload and the warnings otherwise.
 */
export function resolveAlertRouting(args: AlertRoutingArgs): ResolvedAlertRouting {
  checkArgs("AlertRouting", args, alertRoutingArgsShape);
  const replicas = args.replicas ?? 1;
  const refs = secretRefs(args.config);
  const given = Object.keys(args.secrets ?? {});
  const pre: ValidationIssue[] = [];
  if (!(Number.isInteger(replicas) && replicas >= 1)) pre.push(issue("AlertRouting", "replicas", "must be a whole number ≥ 1"));
  for (const r of refs) if (!given.includes(r)) pre.push(issue(`secret "${r}"`, "", "is referenced by the routing config but no value was given"));
  for (const g of given) if (!refs.includes(g)) pre.push(issue(`secret "${g}"`, "", "is given but no receiver references it", "warning"));
  const tests = args.tests ?? [];
  const issues = [
    ...pre,
    // Every severity must be routed in prod: the deployed rules' (MonitoringStack passes them), else the house ones.
    ...validateAlertmanagerConfig(args.config, {
      severities: args.severities ?? SEVERITIES,
      environment: args.environment ?? "prod",
      lint: { levels: args.lint ?? {} },
    }),
  ];
  // Routing tests only make sense on a config that is valid.
  const warnings = assertValid("AlertRouting", issues);
  assertValid("AlertRouting routing tests", applyLevels(evaluateRoutingTests(args.config, tests), "alertmanager/routing-test-failed", { levels: args.lint ?? {} }));

  const text = renderAlertmanagerConfig(args.config, { secretsDir: SECRETS_DIR });
  const files: RenderedFile[] = [
    { path: ARTIFACT_PATHS.alertmanagerConfig, content: text },
    { path: ARTIFACT_PATHS.alertmanagerRouteTests, content: renderRouteTests(tests) },
  ];
  const publish = args.publishPort ?? ALERTMANAGER_PORT;
  const spec: WorkloadSpec = {
    name: "alertmanager",
    component: "alertmanager",
    image: IMAGES.alertmanager,
    args: [
      `--config.file=${CONFIG_DIR}/alertmanager.yml`,
      `--storage.path=${DATA_DIR}`,
      `--data.retention=${args.dataRetention ?? "120h"}`,
      `--web.listen-address=:${ALERTMANAGER_PORT}`,
      // A single instance gossips with nobody: an empty address turns clustering off. Peers find each other by
      // their stable addresses on the platform.
      ...(replicas > 1
        ? [
            `--cluster.listen-address=0.0.0.0:${ALERTMANAGER_CLUSTER_PORT}`,
            // Advertise the instance's own IP: guessing a private address fails on IPv6-only or non-RFC1918 pod networks.
            `--cluster.advertise-address=[$(${INSTANCE_IP_ENV})]:${ALERTMANAGER_CLUSTER_PORT}`,
            ...platformDriver(args.platform).peerAddresses("alertmanager", replicas, ALERTMANAGER_CLUSTER_PORT).map((p) => `--cluster.peer=${p}`),
          ]
        : ["--cluster.listen-address="]),
      ...(args.externalUrl ? [`--web.external-url=${args.externalUrl}`] : []),
    ],
    files: [
      { path: `${CONFIG_DIR}/alertmanager.yml`, content: text },
      ...refs.map((r) => ({ path: `${SECRETS_DIR}/${r}`, content: (args.secrets ?? {})[r] as pulumi.Input<string>, secret: true })),
    ],
    ports: [
      { name: "web", port: ALERTMANAGER_PORT, publish: publish !== false, ...(publish !== false ? { hostPort: publish } : {}), clients: ["prometheus", "grafana"] },
      ...(replicas > 1 ? [{ name: "cluster", port: ALERTMANAGER_CLUSTER_PORT, udp: true, peerOnly: true }] : []),
    ],
    volumes: [{ name: "data", mountPath: DATA_DIR, sizeGb: 1 }],
    healthcheck: { path: "/-/healthy", port: ALERTMANAGER_PORT, readyPath: "/-/ready" },
    resources: args.resources ?? { memoryMb: 256, cpus: 0.5 },
    user: IMAGE_USERS.alertmanager,
    configHash: configHash(files.slice(0, 1), [IMAGES.alertmanager, ...refs]),
    kind: "stateful",
    stopGraceSeconds: STOP_GRACE_SECONDS.alertmanager,
    replicas,
    ...(replicas > 1 ? { instanceIpEnv: INSTANCE_IP_ENV } : {}),
  };
  return { files, spec, warnings };
}

/** Prometheus's job for Alertmanager's own metrics: every peer. */
export function alertmanagerScrapeJob(peers: readonly string[]): ScrapeJob {
  return { name: "alertmanager", staticConfigs: [{ targets: [...peers] }] };
}

/**
 * Alertmanager (type `moncode:alerting:AlertRouting`) with a validated, tested routing config and its secrets mounted
 * as files, one peer or a gossip cluster. A failing check or routing test throws a ValidationError before any resource
 * is declared.
 */
export class AlertRouting extends pulumi.ComponentResource {
  /** `host:port` Prometheus sends alerts to. */
  public readonly address: string;
  /** Every Alertmanager peer, for Prometheus's alerting config (one on Docker, each replica on Kubernetes). */
  public readonly peers: readonly string[];
  /** Alertmanager's own metrics, for PrometheusStack. */
  public readonly scrapeJobs: readonly ScrapeJob[];
  public readonly files: readonly RenderedFile[];
  public readonly warnings: readonly ValidationIssue[];

  constructor(name: string, args: AlertRoutingArgs, opts?: pulumi.ComponentResourceOptions) {
    // Resolved (validated) before anything is registered: a ValidationError declares nothing.
    const resolved = takeResolved<ResolvedAlertRouting>(args) ?? resolveAlertRouting(args);
    super("moncode:alerting:AlertRouting", name, {}, opts);
    const driver = platformDriver(args.platform);
    const deployed = driver.deploy(resolved.spec, { parent: this, name });
    this.address = deployed.address("web");
    this.peers = driver.peerAddresses("alertmanager", args.replicas ?? 1, ALERTMANAGER_PORT);
    this.scrapeJobs = [alertmanagerScrapeJob(this.peers)];
    this.files = resolved.files;
    this.warnings = resolved.warnings;
    reportComponent({ type: "AlertRouting", name, files: this.files, warnings: this.warnings });
    this.registerOutputs({ address: this.address });
  }
}
