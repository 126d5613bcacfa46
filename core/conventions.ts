/**
 * Names that cross content boundaries: rule packs link alerts to dashboards by UID, dashboards read the recording
 * rules the packs define. Keeping them here means a rename is one edit and a typo is a type error.
 */

/** Stable dashboard UIDs (Grafana allows 40 characters). */
export const DASHBOARD_UIDS = {
  serviceOverview: "moncode-service-overview",
  workerQueue: "moncode-worker-queue",
  databaseInfra: "moncode-database-infra",
  host: "moncode-host",
  containers: "moncode-containers",
  endpoints: "moncode-endpoints",
  alertsOverview: "moncode-alerts-overview",
  selfHealth: "moncode-self-health",
  performance: "moncode-performance",
  loadTesting: "moncode-load-testing",
  customerSuccess: "moncode-customer-success",
  onboarding: "moncode-onboarding",
  businessKpis: "moncode-business-kpis",
  slo: "moncode-slo",
  logs: "moncode-logs",
  traces: "moncode-traces",
} as const;

export type DashboardKey = keyof typeof DASHBOARD_UIDS;

/** Recording rules (`level:metric:operations`) that the packs define and the dashboards may read. */
export const RECORDING_RULES = {
  /** sum by (job, route, status) (rate(http_requests_total[5m])) */
  httpRequestsRateByRouteStatus: "job_route_status:http_requests:rate5m",
  /** sum by (job) (rate(http_requests_total[5m])) */
  httpRequestsRate: "job:http_requests:rate5m",
  /** 5xx share of requests, by job */
  httpErrorsRatio: "job:http_requests_errors:ratio_rate5m",
  /** sum by (job, le) (rate(http_request_duration_seconds_bucket[5m])) */
  httpLatencyBucketsRate: "job_le:http_request_duration_seconds_bucket:rate5m",
  /** p95 latency by job, from the bucket rate above */
  httpLatencyP95: "job:http_request_duration_seconds:p95_5m",
  /** sum by (job, status) (rate(worker_events_processed_total[5m])) */
  workerProcessedRate: "job_status:worker_events_processed:rate5m",
  /** error share of processed events, by job */
  workerErrorsRatio: "job:worker_events_processed_errors:ratio_rate5m",
  /** 1 - idle CPU share, by instance */
  nodeCpuUtilisation: "instance:node_cpu_utilisation:rate5m",
  /** 1 - MemAvailable/MemTotal, by instance */
  nodeMemoryUtilisation: "instance:node_memory_utilisation:ratio",
  /** SLO rules (core/slo SLO_RECORDS) the SLO dashboards read, at the shipped SLOs' 30d window: one series per `slo`. */
  sloBudgetRemaining: "slo:error_budget:remaining_ratio",
  sloBadRatio5m: "slo:bad_events:ratio_rate5m",
  sloBadRatio1h: "slo:bad_events:ratio_rate1h",
  sloBadRatio30d: "slo:bad_events:ratio_rate30d",
  sloBurnRate5m: "slo:error_budget:burn_rate5m",
  sloBurnRate30m: "slo:error_budget:burn_rate30m",
  sloBurnRate1h: "slo:error_budget:burn_rate1h",
  sloBurnRate2h: "slo:error_budget:burn_rate2h",
  sloBurnRate6h: "slo:error_budget:burn_rate6h",
  sloBurnRate1d: "slo:error_budget:burn_rate1d",
  sloBurnRate3d: "slo:error_budget:burn_rate3d",
  sloBurnRate30d: "slo:error_budget:burn_rate30d",
} as const;

/** Grafana datasource UIDs provisioned by the stack; panels refer to them through the `datasource` variable. */
export const DATASOURCE_UIDS = {
  prometheus: "prometheus",
  alertmanager: "alertmanager",
} as const;

/** Where the rendered artifacts go, relative to `out/<stack>/` (synth) and to each program's config root. */
export const ARTIFACT_PATHS = {
  prometheusConfig: "prometheus/prometheus.yml",
  prometheusRulesDir: "prometheus/rules",
  prometheusTestsDir: "prometheus/tests",
  alertmanagerConfig: "alertmanager/alertmanager.yml",
  alertmanagerRouteTests: "alertmanager/route-tests.json",
  grafanaDatasources: "grafana/provisioning/datasources/datasources.yml",
  grafanaDashboardProviders: "grafana/provisioning/dashboards/dashboards.yml",
  grafanaDashboardsDir: "grafana/dashboards",
  blackboxConfig: "blackbox/blackbox.yml",
} as const;
