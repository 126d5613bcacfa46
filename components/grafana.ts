/**
 * GrafanaWithDashboards: Grafana with provisioned datasources (fixed UIDs) and dashboards from code, hardened:
 * admin password and secret_key from Pulumi secrets as files (the password is re-applied on every start, since
 * Grafana reads GF_SECURITY_ADMIN_PASSWORD only when it creates its database), sign-up, anonymous access and
 * phoning home off, secure cookies when served over TLS.
 */
import * as pulumi from "@pulumi/pulumi";
import { ARTIFACT_PATHS, DATASOURCE_UIDS } from "../core/conventions";
import type { RenderedFile } from "../core/files";
import { lintDashboards } from "../core/grafana/lint";
import { GRAFANA_DATASOURCE_UIDS, renderDashboardProviders, renderDatasources } from "../core/grafana/provisioning";
import type { ScrapeJob } from "../core/prometheus/model";
import type { LintLevels } from "../core/lint";
import { assertValid, type ValidationIssue } from "../core/validation";
import { renderDashboardFiles, type DashboardDef } from "../core/grafana/render";
import { configHash } from "./hash";
import { reportComponent } from "./report";
import { takeResolved } from "./resolved";
import { checkArgs, grafanaArgsShape } from "./shapes";
import { IMAGES, IMAGE_USERS } from "./images";
import { STOP_GRACE_SECONDS } from "./platform/docker-provider";
import { platformDriver, type Platform, type WorkloadResources, type WorkloadSpec } from "./platform";

/**
 * Arguments of `GrafanaWithDashboards`: the platform, the dashboards, the datasources' URLs, the admin credentials
 * (secrets) and the server's settings.
 */
export interface GrafanaArgs {
  readonly platform: Platform;
  /** Dashboards to provision, each in its folder. @default [] */
  readonly dashboards?: readonly DashboardDef[];
  /** URL Grafana's backend uses to query Prometheus, e.g. `http://prometheus:9090`. */
  readonly prometheusUrl: string;
  /** URL of Alertmanager for the Alertmanager datasource. @default none */
  readonly alertmanagerUrl?: string;
  /** Loki's URL (`http://loki:3100`) for the Loki datasource (uid `loki`). @default none */
  readonly lokiUrl?: string;
  /** Jaeger's query URL (`http://jaeger:16686`) for the Jaeger datasource (uid `jaeger`), linked to Loki and Prometheus. @default none */
  readonly jaegerUrl?: string;
  /** Recording rules the stack defines; a dashboard querying another `level:metric:op` name is an error. @default [] */
  readonly recordingRules?: readonly string[];
  /** Metric names/prefixes the stack's jobs are known to expose; others are lint warnings. @default not checked */
  readonly knownMetrics?: readonly string[];
  /** @default "admin" */
  readonly adminUser?: string;
  /** The admin password, a Pulumi secret (e.g. from @pulumi/random). */
  readonly adminPassword: pulumi.Input<string>;
  /** Key Grafana encrypts datasource secrets with; a Pulumi secret. */
  readonly secretKey: pulumi.Input<string>;
  /** Let users save dashboard edits in the UI. Off in prod so code stays the source of truth. @default false */
  readonly allowUiUpdates?: boolean;
  /** Public URL, e.g. `https://grafana.example.com/`. An https URL turns on secure, SameSite=strict cookies. */
  readonly rootUrl?: string;
  /** @default { memoryMb: 512, cpus: 1 } — the seeds' production limits. */
  readonly resources?: WorkloadResources;
  /** Host port to publish the UI on; `false` publishes nothing. @default 3000 */
  readonly publishPort?: number | false;
  /** Levels of lint rules (core/lint.ts), e.g. `{ "dashboard/unit-missing": "error" }`. @default each rule's own */
  readonly lint?: LintLevels;
}

/** The port Grafana serves its UI on, inside the stack and, unless `publishPort` says otherwise, on the host. */
export const GRAFANA_PORT = 3000;
const SECRETS_DIR = "/run/secrets/grafana";
const DASHBOARDS_DIR = "/etc/grafana/dashboards";
const PROVISIONING_DIR = "/etc/grafana/provisioning";
const FOLDER_TITLES: Readonly<Record<string, string>> = { kpis: "KPIs", infrastructure: "Infrastructure", monitoring: "Monitoring", services: "Services" };

/** Resets the admin password from the secret file, then starts Grafana; a fresh database gets it from the env. */
export const GRAFANA_ENTRYPOINT = [
  "#!/bin/sh",
  "# Grafana applies GF_SECURITY_ADMIN_PASSWORD only when it creates its database; re-apply the secret each start.",
  `if [ -f /var/lib/grafana/grafana.db ]; then`,
  `  grafana cli --homepath /usr/share/grafana admin reset-admin-password --password-from-stdin < ${SECRETS_DIR}/admin-password > /dev/null \\`,
  `    || echo "moncode: could not re-apply the admin password" >&2`,
  "fi",
  "exec /run.sh \"$@\"",
  "",
].join("\n");

export interface ResolvedGrafana {
  readonly files: readonly RenderedFile[];
  readonly spec: WorkloadSpec;
  readonly warnings: readonly ValidationIssue[];
}

/**
 * The environment Grafana runs with: the admin user, secrets read from mounted files, sign-up, anonymous access,
 * analytics and plugin downloads off, and secure cookies when `rootUrl` is https.
 */
export function grafanaEnv(args: Pick<GrafanaArgs, "adminUser" | "rootUrl">): Record<string, string> {
  const tls = args.rootUrl?.startsWith("https://") ?? false;
  return {
    GF_SECURITY_ADMIN_USER: args.adminUser ?? "admin",
    GF_SECURITY_ADMIN_PASSWORD__FILE: `${SECRETS_DIR}/admin-password`,
    GF_SECURITY_SECRET_KEY__FILE: `${SECRETS_DIR}/secret-key`,
    GF_SECURITY_DISABLE_GRAVATAR: "true",
    GF_SECURITY_COOKIE_SECURE: tls ? "true" : "false",
    GF_SECURITY_COOKIE_SAMESITE: tls ? "strict" : "lax",
    GF_USERS_ALLOW_SIGN_UP: "false",
    GF_USERS_ALLOW_ORG_CREATE: "false",
    GF_AUTH_ANONYMOUS_ENABLED: "false",
    GF_ANALYTICS_REPORTING_ENABLED: "false",
    GF_ANALYTICS_CHECK_FOR_UPDATES: "false",
    GF_ANALYTICS_CHECK_FOR_PLUGIN_UPDATES: "false",
    GF_NEWS_NEWS_FEED_ENABLED: "false",
    GF_PATHS_PROVISIONING: PROVISIONING_DIR,
    // Logs to stdout only: the default also writes /var/log/grafana, which a read-only root filesystem refuses.
    GF_LOG_MODE: "console",
    // Grafana 12 downloads "preinstalled" plugins at start; clusters without egress and small /tmp volumes fail on it.
    GF_PLUGINS_PREINSTALL_DISABLED: "true",
    ...(args.rootUrl ? { GF_SERVER_ROOT_URL: args.rootUrl } : {}),
  };
}

/**
 * The pure part of `GrafanaWithDashboards`: lints the dashboards and renders the provisioning and dashboard files,
 * without declaring resources. Throws a ValidationError naming every culprit; returns the files, the workload and the
 * warnings otherwise.
 */
export function resolveGrafana(args: GrafanaArgs): ResolvedGrafana {
  checkArgs("GrafanaWithDashboards", args, grafanaArgsShape);
  const dashboards = args.dashboards ?? [];
  const issues = lintDashboards(dashboards, {
    recordingRules: args.recordingRules ?? [],
    ...(args.knownMetrics ? { knownMetrics: args.knownMetrics } : {}),
    // Only what is provisioned: a Logs panel on a stack without Loki is a dead panel.
    datasourceUids: [...Object.values(DATASOURCE_UIDS), ...(args.lokiUrl ? [GRAFANA_DATASOURCE_UIDS.loki] : []), ...(args.jaegerUrl ? [GRAFANA_DATASOURCE_UIDS.jaeger] : [])],
    lint: { levels: args.lint ?? {} },
  });
  const warnings = assertValid("GrafanaWithDashboards", issues);
  const folders = [...new Set(dashboards.map((d) => d.folder))].sort();
  const files: RenderedFile[] = [
    {
      path: ARTIFACT_PATHS.grafanaDatasources,
      content: renderDatasources({
        prometheusUrl: args.prometheusUrl,
        ...(args.alertmanagerUrl ? { alertmanagerUrl: args.alertmanagerUrl } : {}),
        ...(args.lokiUrl ? { lokiUrl: args.lokiUrl } : {}),
        ...(args.jaegerUrl ? { jaegerUrl: args.jaegerUrl } : {}),
      }),
    },
    {
      path: ARTIFACT_PATHS.grafanaDashboardProviders,
      content: renderDashboardProviders(folders, { dashboardsDir: DASHBOARDS_DIR, allowUiUpdates: args.allowUiUpdates ?? false, folderTitles: FOLDER_TITLES }),
    },
    ...renderDashboardFiles(dashboards),
  ];
  const toContainer = (f: RenderedFile) =>
    f.path.startsWith(`${ARTIFACT_PATHS.grafanaDashboardsDir}/`)
      ? { path: `${DASHBOARDS_DIR}/${f.path.slice(ARTIFACT_PATHS.grafanaDashboardsDir.length + 1)}`, content: f.content }
      : { path: `${PROVISIONING_DIR}/${f.path.slice("grafana/provisioning/".length)}`, content: f.content };
  const publish = args.publishPort ?? GRAFANA_PORT;
  const entrypointFile = { path: "/etc/grafana/moncode-entrypoint.sh", content: GRAFANA_ENTRYPOINT };
  const spec: WorkloadSpec = {
    name: "grafana",
    component: "grafana",
    image: IMAGES.grafana,
    entrypoint: ["/bin/sh", entrypointFile.path],
    args: [],
    env: grafanaEnv(args),
    files: [
      ...files.map(toContainer),
      entrypointFile,
      { path: `${SECRETS_DIR}/admin-password`, content: args.adminPassword, secret: true },
      { path: `${SECRETS_DIR}/secret-key`, content: args.secretKey, secret: true },
    ],
    // Users (and an ingress controller) reach the UI from anywhere; Grafana authenticates them.
    ports: [
      {
        name: "http",
        port: GRAFANA_PORT,
        publish: publish !== false,
        ...(publish !== false ? { hostPort: publish } : {}),
        clients: "any" as const,
        ...(args.rootUrl ? { publicUrl: args.rootUrl } : {}),
      },
    ],
    // Stateless on Kubernetes (scratch volume, no PVC): dashboards, datasources and the admin password come from
    // code on every start; only UI preferences and sessions are lost on a restart.
    volumes: [{ name: "data", mountPath: "/var/lib/grafana" }],
    healthcheck: { path: "/api/health", port: GRAFANA_PORT },
    resources: args.resources ?? { memoryMb: 512, cpus: 1 },
    user: IMAGE_USERS.grafana,
    configHash: configHash([...files, { path: "entrypoint", content: GRAFANA_ENTRYPOINT }], [IMAGES.grafana, JSON.stringify(grafanaEnv(args))]),
    stopGraceSeconds: STOP_GRACE_SECONDS.grafana,
  };
  return { files, spec, warnings };
}

/** Prometheus's job for Grafana's own metrics. */
export function grafanaScrapeJob(address: string): ScrapeJob {
  return { name: "grafana", staticConfigs: [{ targets: [address] }] };
}

/**
 * Grafana (type `moncode:grafana:GrafanaWithDashboards`) with provisioned datasources and dashboards from code;
 * dashboards are read-only in the UI unless `allowUiUpdates`. Dashboards are linted before any resource is declared.
 */
export class GrafanaWithDashboards extends pulumi.ComponentResource {
  public readonly address: string;
  public readonly files: readonly RenderedFile[];
  public readonly warnings: readonly ValidationIssue[];
  public readonly scrapeJobs: readonly ScrapeJob[];
  public readonly dashboardUids: pulumi.Output<string[]>;

  constructor(name: string, args: GrafanaArgs, opts?: pulumi.ComponentResourceOptions) {
    // Resolved (validated) before anything is registered: a ValidationError declares nothing.
    const resolved = takeResolved<ResolvedGrafana>(args) ?? resolveGrafana(args);
    super("moncode:grafana:GrafanaWithDashboards", name, {}, opts);
    const driver = platformDriver(args.platform);
    const deployed = driver.deploy(resolved.spec, { parent: this, name });
    this.address = deployed.address("http");
    this.files = resolved.files;
    this.warnings = resolved.warnings;
    this.scrapeJobs = [grafanaScrapeJob(this.address)];
    this.dashboardUids = pulumi.output((args.dashboards ?? []).map((d) => d.uid));
    reportComponent({ type: "GrafanaWithDashboards", name, files: this.files, warnings: this.warnings });
    this.registerOutputs({ address: this.address, dashboardUids: this.dashboardUids });
  }
}
