/**
 * The prod stack rendered for the drills: the same `Pulumi.prod.yaml`, `composeStackArgs`, `wireComponents` and
 * component resolvers as `pulumi up --stack prod` (Kubernetes platform: HA replicas, the Alertmanager cluster flags
 * and peers, the `replica` external label dropped from alerts) — then every platform address (`<pod>.<headless
 * service>.<ns>.svc:<port>`, `localhost:9090`) is resolved to a loopback port, as the cluster's DNS and pod network
 * would. What differs from prod, all through the typed config and model:
 *  - scrape and evaluation intervals, `for` of the alerts a drill provokes, thresholds (typed rule overrides);
 *  - the monitored services are the drill's own loopback targets; Kubernetes discovery, kube-state-metrics and the
 *    node exporter are off (no cluster here), and Grafana's scrape job is left out (no Grafana runs);
 *  - receivers keep their names and routes but deliver to the drill's webhook; business hours are off (a drill at
 *    night would see its warnings muted) and the root route's group_wait is shorter (typed Alertmanager model).
 */
import * as pulumi from "@pulumi/pulumi";
import { ALERTMANAGER_CLUSTER_PORT, ALERTMANAGER_PORT, resolveAlertRouting } from "../../../components/alert-routing";
import { resolveExporters } from "../../../components/exporters";
import { platformDriver, type WorkloadSpec } from "../../../components/platform";
import { PROMETHEUS_PORT, resolvePrometheusStack } from "../../../components/prometheus-stack";
import type { AlertmanagerConfig } from "../../../core/alertmanager/model";
import { secretRefs } from "../../../core/alertmanager/validate";
import type { PrometheusConfig } from "../../../core/prometheus/model";
import type { RulePack } from "../../../core/rules/model";
import { loadStackFile } from "../../../cli/stack-file";
import { composeStackArgs } from "../../../stacks/compose";
import { parseStackConfig, type StackConfigInput } from "../../../stacks/config";
import { wireComponents } from "../../../stacks/monitoring-stack";
import { mergeOverrides, routeToWebhook } from "./render";

type Service = NonNullable<StackConfigInput["services"]>[number];

export interface DrillRenderOptions {
  readonly projectDir: string;
  /** Scrape and evaluation interval. */
  readonly interval: string;
  readonly prometheusReplicas: number;
  readonly alertmanagerReplicas: number;
  /** The drill's targets as stack services (`targets` on loopback). */
  readonly services: readonly Service[];
  readonly probes?: readonly { readonly name: string; readonly module: string; readonly targets: readonly string[] }[];
  /** Alerts the drill provokes, with the short `for` they get. */
  readonly shortFor: Readonly<Record<string, string>>;
  readonly thresholds?: Readonly<Record<string, Readonly<Record<string, number | string>>>>;
  readonly retentionSize?: string;
  /** The root route's group_wait (Alertmanager's default 30s applies to warnings otherwise). */
  readonly groupWait: string;
  readonly webhookUrl: (receiver: string) => string;
}

/** Loopback ports of every replica. */
export interface DrillPorts {
  readonly prometheus: readonly number[];
  readonly alertmanagerWeb: readonly number[];
  readonly alertmanagerCluster: readonly number[];
  /** Exporter workloads by name (blackbox-exporter). */
  readonly exporters: Readonly<Record<string, number>>;
}

export interface DrillRender {
  readonly prometheus: WorkloadSpec;
  readonly alertmanager: WorkloadSpec;
  readonly exporters: readonly WorkloadSpec[];
  readonly prometheusConfig: PrometheusConfig;
  readonly alertmanagerConfig: AlertmanagerConfig;
  readonly rulePacks: readonly RulePack[];
  /** Platform address → loopback address (the drills' DNS). */
  readonly hosts: ReadonlyMap<string, string>;
  /** Pod names of the replicas (what Kubernetes puts in PROMETHEUS_REPLICA). */
  readonly prometheusPods: readonly string[];
  /** The scrape jobs of the prod render the drill leaves out, and why. */
  readonly leftOut: readonly string[];
}

export function renderProdForDrill(opts: DrillRenderOptions, ports: DrillPorts): DrillRender {
  const file = loadStackFile(opts.projectDir, "prod");
  const raw = JSON.parse(file.config[`${file.project}:stack`] ?? "null") as StackConfigInput;
  const { businessHours: _muted, ...alertingInput } = raw.alerting;
  const input: StackConfigInput = {
    ...raw,
    kubernetes: {
      ...raw.kubernetes,
      prometheusReplicas: opts.prometheusReplicas,
      alertmanagerReplicas: opts.alertmanagerReplicas,
      discovery: { pods: false, services: false, namespaces: [] },
      kubeStateMetrics: false,
    },
    prometheus: { ...raw.prometheus, scrapeInterval: opts.interval, evaluationInterval: opts.interval, ...(opts.retentionSize !== undefined ? { retentionSize: opts.retentionSize } : {}) },
    services: [...opts.services],
    exporters: { nodeExporter: false, cadvisor: false, pushgateway: false, probes: (opts.probes ?? []).map((p) => ({ ...p, targets: [...p.targets] })), postgres: [], redis: [] },
    rules: {
      ...raw.rules,
      thresholds: { ...(raw.rules?.thresholds ?? {}), ...(opts.thresholds ?? {}) },
      overrides: mergeOverrides(raw.rules?.overrides ?? {}, Object.fromEntries(Object.entries(opts.shortFor).map(([a, f]) => [a, { for: f }]))),
    },
    alerting: alertingInput,
    // Logs and traces are not what the drills exercise (Loki is not built; the collector and Jaeger have proofs of
    // their own: test/telemetry, the Docker proof).
    logs: { enabled: false },
    traces: { enabled: false },
  };
  const config = parseStackConfig(input, "drill overrides of Pulumi.prod.yaml");
  const composed = composeStackArgs({
    stackName: "drills",
    config,
    secrets: { get: (k) => pulumi.secret(`drill-placeholder-${k}`) },
    grafanaAdminPassword: pulumi.secret("drill-admin"),
    grafanaSecretKey: pulumi.secret("drill-secret-key"),
  });
  const routed = routeToWebhook(composed.alerting.config, opts.webhookUrl);
  const alertmanagerConfig: AlertmanagerConfig = { ...routed, route: { ...routed.route, groupWait: opts.groupWait } };
  // Only credentials the config still references (the SMTP login; receivers now deliver to the webhook).
  const refs = new Set(secretRefs(alertmanagerConfig));
  const secrets = Object.fromEntries(Object.entries(composed.alerting.secrets ?? {}).filter(([k]) => refs.has(k)));
  const { platform } = composed;
  const driver = platformDriver(platform);
  const exporters = resolveExporters({ platform, ...(composed.exporters ?? {}) }, driver.address);
  const wired = wireComponents({ ...composed, alerting: { ...composed.alerting, config: alertmanagerConfig, secrets } }, driver.address, exporters.scrapeJobs, driver.peerAddresses);
  const leftOut: string[] = [];
  const scrapeJobs = (wired.prometheus.scrapeJobs ?? []).filter((j) => {
    const why = j.name === "grafana" ? "no Grafana runs in the drills" : j.kubernetesSdConfigs ? "Kubernetes discovery needs an API server" : undefined;
    if (why) leftOut.push(`${j.name} (${why})`);
    return why === undefined;
  });
  const prometheus = resolvePrometheusStack({ platform, ...wired.prometheus, scrapeJobs });
  const alerting = resolveAlertRouting({ platform, ...wired.alerting });

  const hosts = new Map<string, string>();
  const am = (port: number) => driver.peerAddresses("alertmanager", opts.alertmanagerReplicas, port);
  am(ALERTMANAGER_PORT).forEach((a, i) => hosts.set(a, `127.0.0.1:${ports.alertmanagerWeb[i]}`));
  am(ALERTMANAGER_CLUSTER_PORT).forEach((a, i) => hosts.set(a, `127.0.0.1:${ports.alertmanagerCluster[i]}`));
  for (const w of exporters.workloads) {
    const p = ports.exporters[w.name];
    if (p === undefined) throw new Error(`no loopback port for exporter "${w.name}"`);
    for (const wp of w.ports) hosts.set(driver.address(w.name, wp.port), `127.0.0.1:${p}`);
  }
  const prometheusPods = driver.peerAddresses("prometheus", opts.prometheusReplicas, PROMETHEUS_PORT).map((a) => a.split(".")[0]!);
  return {
    prometheus: prometheus.spec,
    alertmanager: alerting.spec,
    exporters: exporters.workloads,
    prometheusConfig: prometheus.config,
    alertmanagerConfig,
    rulePacks: wired.prometheus.rulePacks ?? [],
    hosts,
    prometheusPods,
    leftOut,
  };
}

/**
 * Text with every platform address resolved to loopback (`self` for Prometheus's `localhost:9090`, which is the
 * replica itself in its pod). Throws on a cluster address the drill has no program for.
 */
export function resolveHosts(text: string, hosts: ReadonlyMap<string, string>, self?: string): string {
  let out = text;
  // Longest first: no address is a prefix of another that way.
  for (const [from, to] of [...hosts].sort(([a], [b]) => b.length - a.length)) out = out.split(from).join(to);
  if (self !== undefined) out = out.split(`localhost:${PROMETHEUS_PORT}`).join(self);
  const left = /[a-z0-9-]+(?:\.[a-z0-9-]+)*\.svc(?:\.cluster\.local)?:\d+/.exec(out);
  if (left) throw new Error(`cluster address without a loopback program: ${left[0]}`);
  return out;
}
