/**
 * moncode — monitoring as code. The importable library: Pulumi components, the typed model with its renderers and
 * validators, and the shipped content (rule packs, routing presets, dashboards). Importing it declares no
 * resources; the repository's own stacks live in index.ts/stacks/.
 */
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
export type { Platform, DockerPlatform, WorkloadSpec } from "./components/platform";
export { MonitoringStack } from "./stacks/monitoring-stack";
export type { MonitoringStackArgs } from "./stacks/monitoring-stack";

export * as prometheus from "./core/prometheus";
export * as alertmanager from "./core/alertmanager";
export * as grafana from "./core/grafana";
export * as rules from "./core/rules";
export * as blackbox from "./core/blackbox";
export * as lint from "./core/lint";
/** `moncode import` / `moncode lint` as functions: `importContent`, `readContent`, the round trip's normalisation. */
export * as importer from "./core/import";
export { checkPromql, checkInstantExpr } from "./core/promql";
export { ValidationError, assertValid, formatIssue } from "./core/validation";
export type { ValidationIssue } from "./core/validation";
export type { RenderedFile } from "./core/files";
export type { Severity } from "./core/severity";
export { DASHBOARD_UIDS, RECORDING_RULES, DATASOURCE_UIDS, ARTIFACT_PATHS } from "./core/conventions";

export * as rulePacks from "./rules";
export * as routing from "./routing";
export * as dashboards from "./dashboards";
export { defaultContentConfig, resolveContentConfig } from "./rules/config";
export type { ContentConfig, ContentConfigOverrides } from "./rules/config";
