/**
 * moncode — monitoring as code. The importable library: Pulumi components, the typed model with its renderers and
 * validators, and the shipped content (rule packs, routing presets, dashboards). Importing it declares no
 * resources; the repository's own stacks live in index.ts/stacks/.
 */
import { lazyNamespace } from "./core/lazy";
export { PrometheusStack, resolvePrometheusStack, prometheusSecretPath, PROMETHEUS_PORT } from "./components/prometheus-stack";
export type { PrometheusStackArgs, RemoteWriteArgs } from "./components/prometheus-stack";
export { AlertRouting, resolveAlertRouting, ALERTMANAGER_PORT } from "./components/alert-routing";
export type { AlertRoutingArgs } from "./components/alert-routing";
export { GrafanaWithDashboards, resolveGrafana, grafanaEnv, GRAFANA_PORT } from "./components/grafana";
export type { GrafanaArgs } from "./components/grafana";
export { Exporters, resolveExporters } from "./components/exporters";
export type { ExportersArgs, ProbeTargets, PostgresTarget, RedisTarget } from "./components/exporters";
export { IMAGES } from "./components/images";
export { platformDriver, preparePlatform } from "./components/platform";
export type { Platform, DockerPlatform, KubernetesPlatform, WorkloadSpec, WorkloadResources } from "./components/platform";
export { HELPER_IMAGES, TELEMETRY_IMAGES, CLUSTER_IMAGES } from "./components/images";
export { Logs, resolveLogs } from "./components/logs";
export type { LogsArgs } from "./components/logs";
export { Tracing, resolveTracing } from "./components/tracing";
export type { TracingArgs } from "./components/tracing";
export { Collector, resolveCollector } from "./components/collector";
export type { CollectorArgs } from "./components/collector";
export { MonitoringStack, resolveMonitoringStack, packJobWarnings } from "./stacks/monitoring-stack";
export type { MonitoringStackArgs } from "./stacks/monitoring-stack";

export * as prometheus from "./core/prometheus";
export * as alertmanager from "./core/alertmanager";
export * as grafana from "./core/grafana";
export * as rules from "./core/rules";
export * as blackbox from "./core/blackbox";
export * as slo from "./core/slo";
export * as lint from "./core/lint";
export * as logql from "./core/logql";
export * as loki from "./core/loki";
export * as otelcol from "./core/otelcol";
export * as jaeger from "./core/jaeger";
/** The shipped log rules for Loki's ruler (`buildLogRulePacks`), beside the metric packs. */
export * as logRules from "./rules/logs";
/** `moncode import` / `moncode lint` as functions: `importContent`, `readContent`, the round trip's normalisation. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const importer: typeof import("./core/import") = lazyNamespace(() => require("./core/import") as typeof import("./core/import"));
export { checkPromql, checkInstantExpr } from "./core/promql";
export { ValidationError, assertValid, formatIssue } from "./core/validation";
export type { ValidationIssue } from "./core/validation";
export type { RenderedFile } from "./core/files";
export type { Severity } from "./core/severity";
export { DASHBOARD_UIDS, RECORDING_RULES, DATASOURCE_UIDS, ARTIFACT_PATHS } from "./core/conventions";

export * as rulePacks from "./rules";
export * as routing from "./routing";
/**
 * The shipped dashboards and the dashboard helpers (Foundation SDK). Loaded on first use: a program that uses no
 * dashboard does not pay for the SDK at start-up.
 */
export const dashboards: typeof import("./dashboards") = lazyNamespace(() => require("./dashboards") as typeof import("./dashboards"));
export { defaultContentConfig, resolveContentConfig } from "./rules/config";
export type { ContentConfig, ContentConfigOverrides } from "./rules/config";
