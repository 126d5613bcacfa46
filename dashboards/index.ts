/**
 * The shipped dashboards. Each factory returns a new foundation-SDK builder (its `build()` hands out internal
 * state, so builders are never shared); `buildDashboards` builds them into plain JSON definitions.
 */
import type { DashboardBuilder } from "@grafana/grafana-foundation-sdk/dashboard";
import { DASHBOARD_UIDS, RECORDING_RULES, type DashboardKey } from "../core/conventions";
import { METRIC_CATALOG, type ExporterName } from "../core/grafana/catalog";
import type { DashboardDef, DashboardLintRule, LintExclusion } from "../core/grafana/render";
import type { SloSpec } from "../core/slo/model";
import { defaultContentConfig, type ContentConfig } from "../rules/config";
import { resolveDashboardsConfig, type DashboardsConfig, type DashboardsConfigOverrides } from "./config";
import { containersDashboard, endpointsDashboard, hostDashboard } from "./infrastructure";
import { businessKpisDashboard, customerSuccessDashboard, defaultBusinessKpis, loadTestingDashboard, onboardingDashboard, performanceDashboard } from "./kpis";
import { alertsOverviewDashboard, selfHealthDashboard } from "./monitoring";
import { logsDashboard, tracesDashboard } from "./telemetry";
import { databaseInfraDashboard, serviceOverviewDashboard, workerQueueDashboard } from "./services";
import { sloDashboard } from "./slo";
import { enabledSlos } from "../rules";

export { dashboardUrl, renderDashboardFiles, type DashboardDef, type DashboardLintRule, type LintExclusion } from "../core/grafana/render";
/** Your own SDK dashboards: `fromBuilder(builder, { folder })`, and the helpers the shipped dashboards are made of. */
export { fromBuilder, type FromBuilderOptions } from "./from-builder";
export { Board, HOUSE_TAG, queryVariable, type BoardMeta, type BoardVariables } from "./board";
export {
  PROM_DS as DATASOURCE,
  JOB_INSTANCE,
  COLORS,
  q,
  thresholds,
  alertSteps,
  timeseriesPanel,
  statPanel,
  gaugePanel,
  barGaugePanel,
  tablePanel,
  stateTimelinePanel,
  boolMapping,
  type Query,
  type PanelBase,
  type TimeseriesOpts,
  type StatOpts,
  type BarGaugeOpts,
  type TableOpts,
} from "./panels";
export * from "./config";
export { target, kpiThresholds, checkKpiTarget, type KpiTarget, type KpiPanel } from "./target";
export { defaultBusinessKpis };

export interface DashboardSpec {
  readonly folder: string;
  readonly factory: (content: ContentConfig, config: DashboardsConfig) => DashboardBuilder;
  readonly lintExclusions?: Readonly<Partial<Record<DashboardLintRule, LintExclusion>>>;
}

const ALERTS_EXCLUSIONS = {
  "template-job-rule": { reason: "Alerts span every job; a job filter would hide alerts that carry no job label." },
  "template-instance-rule": { reason: "Same as job: alerts are filtered by severity instead." },
  "target-job-instance-rule": { reason: "ALERTS series are filtered by severity, not by job or instance." },
} as const;

const SLO_EXCLUSIONS = {
  "template-job-rule": { reason: "SLO series are aggregated to the SLO (label slo): no job or instance is left to filter." },
  "template-instance-rule": { reason: "Same as job: each row is one SLO." },
  "target-job-instance-rule": { reason: "The alert-state panels read ALERTS by alert name; every other panel reads slo: recording rules." },
} as const;

const LOGS_EXCLUSIONS = {
  "template-job-rule": { reason: "Logs are selected by Loki's service_name label, not by a Prometheus scrape job." },
  "template-instance-rule": { reason: "Same as job: the service variable filters every LogQL query." },
} as const;

const TRACES_EXCLUSIONS = {
  "template-job-rule": { reason: "Span metrics are per service (service_name), pushed over OTLP, not scraped by a job." },
  "template-instance-rule": { reason: "Same as job." },
  "target-job-instance-rule": { reason: "Span metrics carry service_name, not job/instance; the pipeline panels read the collector's own job." },
} as const;

/** Every shipped dashboard by key, with its folder. Folders: services, infrastructure, monitoring, kpis. */
export const DASHBOARDS: Readonly<Record<DashboardKey, DashboardSpec>> = {
  serviceOverview: { folder: "services", factory: (c, d) => serviceOverviewDashboard(c, d) },
  workerQueue: { folder: "services", factory: (c) => workerQueueDashboard(c) },
  databaseInfra: { folder: "services", factory: (c, d) => databaseInfraDashboard(c, d) },
  host: { folder: "infrastructure", factory: (c) => hostDashboard(c) },
  containers: { folder: "infrastructure", factory: (c) => containersDashboard(c) },
  endpoints: { folder: "infrastructure", factory: (c) => endpointsDashboard(c) },
  alertsOverview: { folder: "monitoring", factory: () => alertsOverviewDashboard(), lintExclusions: ALERTS_EXCLUSIONS },
  selfHealth: { folder: "monitoring", factory: (c) => selfHealthDashboard(c) },
  performance: {
    folder: "kpis", factory: (_c, d) => performanceDashboard(d),
    lintExclusions: { "target-job-instance-rule": { reason: "Accuracy is reported per customer by the success tracker, not by the ingestion job the variables select.", panels: ["Attribution accuracy"] } },
  },
  loadTesting: {
    folder: "kpis", factory: (c, d) => loadTestingDashboard(c, d),
    lintExclusions: { "target-job-instance-rule": { reason: "Host resources come from node-exporter on the load-test hosts, not from the service the variables select.", panels: ["Host CPU", "Host resources"] } },
  },
  customerSuccess: { folder: "kpis", factory: (_c, d) => customerSuccessDashboard(d) },
  onboarding: { folder: "kpis", factory: (_c, d) => onboardingDashboard(d) },
  businessKpis: { folder: "kpis", factory: (c, d) => businessKpisDashboard(c, d) },
  slo: { folder: "services", factory: (c, d) => sloDashboard(d.slos ?? enabledSlos(c)), lintExclusions: SLO_EXCLUSIONS },
  logs: { folder: "services", factory: (c) => logsDashboard(c), lintExclusions: LOGS_EXCLUSIONS },
  traces: { folder: "services", factory: (c) => tracesDashboard(c), lintExclusions: TRACES_EXCLUSIONS },
};

/** Dashboards shipped only when the stack runs what they read (Loki; Jaeger and span metrics): `include` turns them on. */
export const OPT_IN_DASHBOARDS: readonly DashboardKey[] = ["logs", "traces"];

export const DASHBOARD_KEYS = Object.keys(DASHBOARD_UIDS) as DashboardKey[];

export interface BuildDashboardsOptions {
  /** Selectors and alert thresholds shared with the rule packs. @default defaultContentConfig */
  readonly content?: ContentConfig;
  /** Set a key to false to leave that dashboard out; all are shipped by default. */
  readonly include?: Partial<Record<DashboardKey, boolean>>;
  /** Dashboard-only metrics and targets (sprint boards, business KPIs), laid over the defaults. */
  readonly kpis?: DashboardsConfigOverrides;
  /** The SLOs to show (the SLO dashboard is left out without any). @default the shipped SLOs */
  readonly slos?: readonly SloSpec[];
  /** The stack runs Loki: the service overview gets a Logs row. @default `include.logs` */
  readonly logs?: boolean;
}

/** Builds one dashboard into a fresh plain-JSON definition. */
export function buildDashboard(key: DashboardKey, content: ContentConfig = defaultContentConfig, config: DashboardsConfig = resolveDashboardsConfig()): DashboardDef {
  const spec = DASHBOARDS[key];
  // JSON round trip: a plain object that shares nothing with the builder and drops the SDK's marker functions.
  const dashboard = JSON.parse(JSON.stringify(spec.factory(content, config).build())) as { uid: string; title: string };
  return {
    uid: dashboard.uid,
    title: dashboard.title,
    folder: spec.folder,
    dashboard,
    ...(spec.lintExclusions ? { lintExclusions: spec.lintExclusions } : {}),
  };
}

/** All shipped dashboards (minus those `include` turns off, plus the opt-in Logs and Traces it turns on), in DASHBOARD_UIDS order. */
export function buildDashboards(opts: BuildDashboardsOptions = {}): DashboardDef[] {
  const content = opts.content ?? defaultContentConfig;
  const base = resolveDashboardsConfig(opts.kpis);
  const slos = opts.slos ?? base.slos ?? enabledSlos(content);
  const config = { ...base, slos, logs: opts.logs ?? opts.include?.logs === true };
  return DASHBOARD_KEYS.filter((k) => (OPT_IN_DASHBOARDS.includes(k) ? opts.include?.[k] === true : opts.include?.[k] !== false) && (k !== "slo" || slos.length > 0)).map((k) => buildDashboard(k, content, config));
}

/** Application metric names the dashboards read (from the content and dashboard configs), as catalog base names. */
export function appMetrics(content: ContentConfig = defaultContentConfig, kpis?: DashboardsConfigOverrides): string[] {
  const d = resolveDashboardsConfig(kpis);
  const s = d.sprint;
  const names = [
    content.http.requestsMetric, content.http.durationMetric, content.http.inFlightMetric,
    content.queue.depthMetric, content.queue.capacityMetric, content.queue.processedMetric, content.queue.errorsMetric,
    content.queue.batchDurationMetric, content.queue.batchSizeMetric, content.freshness.eventsMetric,
    d.database.queryDurationMetric, d.database.connectionsActiveMetric, d.database.connectionsIdleMetric,
    s.eventsMetric, s.eventDurationMetric, s.memoryMetric, s.connectionsMetric, s.satisfactionMetric, s.accuracyMetric,
    s.costSavingsMetric, s.pilotCustomersMetric, s.successfulCustomersMetric, s.onboardingCustomersMetric,
    s.timeToLaunchMetric, s.supportTicketsMetric, s.healthScoreMetric,
    "user_registrations_total", "newsletter_subscriptions_total", "product_recommendations_viewed_total",
  ];
  return [...new Set(names)].sort();
}

/** The metric catalog per exporter, with `app` extended by the application metrics the configs name. */
export function metricCatalog(content: ContentConfig = defaultContentConfig, kpis?: DashboardsConfigOverrides): Record<ExporterName, readonly string[]> {
  return { ...METRIC_CATALOG, app: [...METRIC_CATALOG.app, ...appMetrics(content, kpis)] };
}

/** Recording rules the dashboards read: a stack that ships them must define all of these. */
export const DASHBOARD_RECORDING_RULES: readonly string[] = [
  RECORDING_RULES.httpRequestsRate, RECORDING_RULES.httpErrorsRatio, RECORDING_RULES.httpLatencyP95,
  RECORDING_RULES.workerErrorsRatio, RECORDING_RULES.nodeCpuUtilisation, RECORDING_RULES.nodeMemoryUtilisation,
  ...Object.entries(RECORDING_RULES).filter(([k]) => k.startsWith("slo")).map(([, v]) => v),
];

export {
  alertsOverviewDashboard, businessKpisDashboard, containersDashboard, customerSuccessDashboard, databaseInfraDashboard,
  endpointsDashboard, hostDashboard, loadTestingDashboard, onboardingDashboard, performanceDashboard, selfHealthDashboard,
  serviceOverviewDashboard, workerQueueDashboard,
};
