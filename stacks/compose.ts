/**
 * One environment from validated stack config: maps StackConfig onto the typed args of MonitoringStack — the
 * services' scrape jobs, the exporters, the rule packs, the seeds' routing policy and the dashboards. Pure except
 * for the secrets it is handed.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { AlertmanagerConfig, SecretRef } from "../core/alertmanager/model";
import type { ScrapeJob } from "../core/prometheus/model";
import { issue, ValidationError, type ValidationIssue } from "../core/validation";
import { appMetrics, buildDashboards } from "../dashboards";
import { knownMetrics, type ExporterName } from "../core/grafana";
import { allSeveritiesUsed, buildRulePacks, enabledSlos, exporterPackSwitches, seedKpiTargets, type AlertOverrides, type SloOptions } from "../rules";
import { sloAlertLabels } from "../rules/slos";
import { resolveContentConfig, type ContentConfigOverrides } from "../rules/config";
import { severityRouting } from "../routing";
import { buildLogRulePacks } from "../rules/logs";
import { isSeverity } from "../core/severity";
import { prometheusSecretPath } from "../components/prometheus-stack";
import type { MonitoringStackArgs } from "./monitoring-stack";
import type { StackConfig } from "./config";
import { discoveryJobs, kubernetesSettings, platformFromConfig } from "./platform";

/** Reads secret config values by key; the Pulumi entry backs it with `pulumi.Config.getSecret`. */
export interface SecretSource {
  get(key: string): pulumi.Output<string> | undefined;
}

/** `slackWebhookUrl` → `slack-webhook-url`: config keys are camelCase, mounted secret files kebab-case. */
export function secretFileName(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

export interface ComposeInputs {
  readonly stackName: string;
  readonly config: StackConfig;
  readonly secrets: SecretSource;
  /** Grafana admin password and secret key (the entry generates them when the config has none). */
  readonly grafanaAdminPassword: pulumi.Input<string>;
  readonly grafanaSecretKey: pulumi.Input<string>;
}

function requireSecrets(keys: readonly string[], secrets: SecretSource): Map<string, pulumi.Output<string>> {
  const out = new Map<string, pulumi.Output<string>>();
  const missing: ValidationIssue[] = [];
  for (const k of keys) {
    const v = secrets.get(k);
    if (v === undefined) missing.push(issue(`secret config key "${k}"`, "", `is referenced by the stack config but not set: run \`pulumi config set --secret ${k} …\``));
    else out.set(k, v);
  }
  if (missing.length > 0) throw new ValidationError("missing secrets", missing);
  return out;
}

function ref(key: string): SecretRef {
  return { secret: secretFileName(key) };
}

export function composeStackArgs(inputs: ComposeInputs): MonitoringStackArgs {
  const { config: cfg, stackName } = inputs;
  const a = cfg.alerting;
  const keys = [
    ...cfg.services.map((s) => s.bearerTokenSecret),
    ...cfg.exporters.postgres.map((p) => p.passwordSecret),
    ...cfg.exporters.redis.map((r) => r.passwordSecret),
    ...cfg.prometheus.remoteWrite.map((r) => r.passwordSecret),
    a.smtp.authPasswordSecret,
    a.slack?.apiUrlSecret,
    a.pagerduty?.routingKeySecret,
    a.deadMansSwitch?.urlSecret,
  ].filter((k): k is string => k !== undefined);
  const secrets = requireSecrets([...new Set(keys)].sort(), inputs.secrets);
  const secret = (k: string): pulumi.Output<string> => secrets.get(k) as pulumi.Output<string>;

  const k8s = kubernetesSettings(cfg);
  const content = resolveContentConfig(platformContent(cfg.rules.thresholds as ContentConfigOverrides, k8s !== undefined));
  const kpis = cfg.rules.kpis === "seed" ? seedKpiTargets : cfg.rules.kpis;
  // The schema checked the shape; the SLO validation checks the values and names the SLO and field.
  const slos = cfg.rules.slos as SloOptions;
  const packs = buildRulePacks({
    content,
    slos,
    // Exporter packs on exactly where their exporter runs (the Kubernetes pack where kube-state-metrics does),
    // unless the config says otherwise.
    packs: {
      ...exporterPackSwitches({ ...cfg.exporters, kubeStateMetrics: k8s?.kubeStateMetrics === true, builtinContainerMetrics: k8s !== undefined, telemetry: cfg.logs.enabled || cfg.traces.enabled }),
      ...cfg.rules.packs,
    },
    // Names were checked by the schema's shape only; buildRulePacks rejects an alert no pack defines, by name.
    overrides: cfg.rules.overrides as AlertOverrides,
    ...(kpis.length > 0 ? { kpis } : {}),
    ...(cfg.grafana.rootUrl !== undefined ? { grafanaBaseUrl: cfg.grafana.rootUrl.replace(/\/$/, "") } : {}),
  });
  const severities = allSeveritiesUsed(packs);
  const recordingRules = packs.flatMap((p) => p.groups.flatMap((g) => g.rules.flatMap((r) => ("record" in r ? [r.record] : []))));

  const routing = severityRouting({
    environment: cfg.environment,
    smtp: {
      smarthost: a.smtp.smarthost,
      from: a.smtp.from,
      ...(a.smtp.authUsername !== undefined ? { authUsername: a.smtp.authUsername } : {}),
      ...(a.smtp.authPasswordSecret !== undefined ? { authPassword: ref(a.smtp.authPasswordSecret) } : {}),
      ...(a.smtp.requireTls !== undefined ? { requireTls: a.smtp.requireTls } : {}),
    },
    email: a.email,
    ...(a.slack ? { slack: { apiUrl: ref(a.slack.apiUrlSecret), ...(a.slack.channels ? { channels: a.slack.channels } : {}) } } : {}),
    ...(a.pagerduty ? { pagerduty: { routingKey: ref(a.pagerduty.routingKeySecret) } } : {}),
    ...(a.components ? { components: a.components } : {}),
    ...(a.repeatIntervals ? { repeatIntervals: a.repeatIntervals } : {}),
    ...(a.groupBy ? { groupBy: a.groupBy } : {}),
    ...(a.businessHours ? { businessHours: a.businessHours } : {}),
    ...(a.dev ? { dev: a.dev } : {}),
    ...(a.deadMansSwitch ? { deadMansSwitch: { url: ref(a.deadMansSwitch.urlSecret), ...(a.deadMansSwitch.repeatInterval ? { repeatInterval: a.deadMansSwitch.repeatInterval } : {}) } } : {}),
    // The preset routes the house severities; others reach the validator's coverage check.
    severities: severities.filter(isSeverity),
    sloAlerts: sloAlertLabels(packs),
  });
  const routingSecrets: Record<string, pulumi.Input<string>> = {};
  for (const k of [a.smtp.authPasswordSecret, a.slack?.apiUrlSecret, a.pagerduty?.routingKeySecret, a.deadMansSwitch?.urlSecret]) {
    if (k !== undefined && usesSecret(routing.config, secretFileName(k))) routingSecrets[secretFileName(k)] = secret(k);
  }

  const scrapeSecrets: Record<string, pulumi.Input<string>> = {};
  const serviceJobs: ScrapeJob[] = cfg.services.map((s) => {
    if (s.bearerTokenSecret !== undefined) scrapeSecrets[secretFileName(s.bearerTokenSecret)] = secret(s.bearerTokenSecret);
    return {
      name: s.name,
      staticConfigs: [{ targets: s.targets, ...(s.labels ? { labels: s.labels } : {}) }],
      // Applications' own /metrics handlers are the ones that send no or an unversioned Content-Type.
      fallbackScrapeProtocol: s.fallbackScrapeProtocol ?? "PrometheusText0.0.4",
      ...(s.metricsPath !== undefined ? { metricsPath: s.metricsPath } : {}),
      ...(s.scheme !== undefined ? { scheme: s.scheme } : {}),
      ...(s.scrapeInterval !== undefined ? { scrapeInterval: s.scrapeInterval } : {}),
      ...(s.scrapeTimeout !== undefined ? { scrapeTimeout: s.scrapeTimeout } : {}),
      ...(s.bearerTokenSecret !== undefined ? { authorization: { credentialsFile: prometheusSecretPath(secretFileName(s.bearerTokenSecret)) } } : {}),
    };
  });

  const p = cfg.prometheus;
  const l = cfg.logs;
  const t = cfg.traces;
  return {
    platform: platformFromConfig(cfg, stackName),
    ...(l.enabled
      ? {
          logs: {
            loki: { retention: l.retention, ...(l.streamRetention.length > 0 ? { streamRetention: l.streamRetention } : {}) },
            rulePacks: buildLogRulePacks({ ...(cfg.grafana.rootUrl !== undefined ? { grafanaBaseUrl: cfg.grafana.rootUrl.replace(/\/$/, "") } : {}) }),
            volumeSizeGb: l.volumeSizeGb,
            ...(l.resources ? { resources: l.resources } : {}),
            publishPort: l.port,
          },
        }
      : {}),
    ...(t.enabled ? { traces: { storage: t.storage, retention: t.retention, volumeSizeGb: t.volumeSizeGb, ...(t.resources ? { resources: t.resources } : {}), publishPort: t.port } } : {}),
    ...(l.enabled || t.enabled
      ? { collector: { containerLogs: cfg.collector.containerLogs, environment: cfg.environment, publishOtlp: cfg.collector.publishOtlp, ...(cfg.collector.resources ? { resources: cfg.collector.resources } : {}) } }
      : {}),
    ...(Object.keys(cfg.lint).length > 0 ? { lint: cfg.lint } : {}),
    exporters: {
      nodeExporter: cfg.exporters.nodeExporter,
      nodeExporterPort: cfg.exporters.nodeExporterPort,
      cadvisor: cfg.exporters.cadvisor,
      pushgateway: cfg.exporters.pushgateway,
      probes: cfg.exporters.probes,
      postgres: cfg.exporters.postgres.map((pg) => ({ name: pg.name, uri: pg.uri, user: pg.user, password: secret(pg.passwordSecret) })),
      redis: cfg.exporters.redis.map((r) => ({ name: r.name, address: r.address, ...(r.passwordSecret ? { password: secret(r.passwordSecret) } : {}) })),
      publishPorts: cfg.exporters.publishPorts,
      ...(k8s ? { kubeStateMetrics: k8s.kubeStateMetrics } : {}),
    },
    alerting: {
      config: routing.config,
      tests: routing.tests,
      secrets: routingSecrets,
      severities,
      environment: cfg.environment,
      ...(cfg.alertmanager.resources ? { resources: cfg.alertmanager.resources } : {}),
      publishPort: cfg.alertmanager.port,
      ...(k8s ? { replicas: k8s.alertmanagerReplicas } : {}),
    },
    prometheus: {
      global: {
        scrapeInterval: p.scrapeInterval,
        evaluationInterval: p.evaluationInterval,
        externalLabels: { environment: cfg.environment, ...p.externalLabels },
      },
      scrapeJobs: [...serviceJobs, ...discoveryJobs(cfg)],
      scrapeSecrets,
      rulePacks: packs,
      remoteWrite: p.remoteWrite.map((rw) => ({
        name: rw.name,
        url: rw.url,
        ...(rw.username !== undefined ? { username: rw.username } : {}),
        ...(rw.passwordSecret !== undefined ? { password: secret(rw.passwordSecret) } : {}),
      })),
      storage: { retentionTime: p.retentionTime, ...(p.retentionSize !== undefined ? { retentionSize: p.retentionSize } : {}) },
      ...(p.resources ? { resources: p.resources } : {}),
      publishPort: p.port,
      ...(p.expectedSeries !== undefined ? { expectedSeries: p.expectedSeries } : {}),
      ...(k8s ? { replicas: k8s.prometheusReplicas, ...(k8s.prometheusStorageGb !== undefined ? { storageSizeGb: k8s.prometheusStorageGb } : {}) } : {}),
    },
    grafana: {
      dashboards: buildDashboards({ content, include: { logs: l.enabled, traces: t.enabled, ...cfg.grafana.dashboards }, slos: enabledSlos(content, slos) }),
      recordingRules,
      knownMetrics: knownMetrics(appMetrics(content), exportersInStack(cfg)),
      adminUser: cfg.grafana.adminUser,
      adminPassword: inputs.grafanaAdminPassword,
      secretKey: inputs.grafanaSecretKey,
      allowUiUpdates: cfg.grafana.allowUiUpdates,
      ...(cfg.grafana.rootUrl !== undefined ? { rootUrl: cfg.grafana.rootUrl } : {}),
      ...(cfg.grafana.resources ? { resources: cfg.grafana.resources } : {}),
      publishPort: cfg.grafana.port,
    },
  };
}

/** The platform decides which cAdvisor labels containers carry (Docker's or the kubelet's); thresholds may still say. */
function platformContent(o: ContentConfigOverrides, kubernetes: boolean): ContentConfigOverrides {
  return { ...o, containers: { cadvisorLabels: kubernetes ? "kubernetes" : "docker", ...o.containers } };
}

function usesSecret(cfg: AlertmanagerConfig, name: string): boolean {
  return JSON.stringify(cfg).includes(`{"secret":"${name}"}`);
}

/** Exporters (catalog names) whose metrics this stack collects; the dashboard lint warns about any other metric. */
function exportersInStack(cfg: StackConfig): ExporterName[] {
  const e = cfg.exporters;
  const list: (ExporterName | false)[] = [
    "prometheus",
    "alertmanager",
    "grafana",
    "app",
    e.nodeExporter && "node",
    e.cadvisor && "cadvisor",
    e.pushgateway && "pushgateway",
    e.probes.length > 0 && "blackbox",
    e.postgres.length > 0 && "postgres",
    e.redis.length > 0 && "redis",
    cfg.logs.enabled && "loki",
    (cfg.logs.enabled || cfg.traces.enabled) && "otelcol",
  ];
  return list.filter((x): x is ExporterName => x !== false);
}
