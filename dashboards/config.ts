/**
 * Dashboard-only settings: metrics and targets that no alert watches (so they are not in rules/config.ts, the
 * single source of alert thresholds). If the rule packs start alerting on one of these, move it to ContentConfig
 * and read it from there, so the panel and the alert keep one value.
 */
import type { SloSpec } from "../core/slo/model";
import type { KpiTarget } from "./target";

export interface AppDatabaseConfig {
  /** Selects the application's own database client metrics. Why: the seeds' API exposes them. */
  readonly selector: string;
  /** Histogram of query time in seconds, labels `operation`, `table`. */
  readonly queryDurationMetric: string;
  /** Gauges of pool connections in use / idle. */
  readonly connectionsActiveMetric: string;
  readonly connectionsIdleMetric: string;
  /** p95 query time (seconds) drawn amber. Why: the seeds' slow-query bar is a 1s p95. */
  readonly queryP95Warning: number;
  /** Pool share in use drawn amber. Why: same 80% bar the seeds use for server connections. */
  readonly poolUseWarning: number;
}

export interface ProcessConfig {
  /** Selects the application processes (client-library `process_*` metrics). */
  readonly selector: string;
  /** Resident memory drawn amber / red. Why: the seeds' resource alerts warn at 400MB and 450MB. */
  readonly memoryWarningBytes: number;
  readonly memoryCriticalBytes: number;
}

/** The sprint boards of the seeds (UnMoGrowP): metric names and the targets they are judged against. */
export interface SprintConfig {
  /** Selects the ingestion service. Why: the seeds' Go ingestion service. */
  readonly selector: string;
  /** Counter of processed events, label `status`. */
  readonly eventsMetric: string;
  /** Histogram of event processing time in seconds. */
  readonly eventDurationMetric: string;
  readonly memoryMetric: string;
  readonly connectionsMetric: string;
  /** Why: the sprint goal is 1M events/s. */
  readonly throughputGoal: number;
  /** Why: the sprint goal is p95 < 100ms. */
  readonly latencyP95Goal: number;
  /** Why: the sprint goal is > 99.9% uptime. */
  readonly uptimeGoal: number;
  /** Why: the sprint goal is < 0.1% errors. */
  readonly errorRateGoal: number;
  /** Percent. Why: the sprint goal is > 99% attribution accuracy. */
  readonly accuracyGoal: number;
  /** Bytes. Why: the seeds' HighMemoryUsage fires above 7GB. */
  readonly memoryLimitBytes: number;
  /** CPU share. Why: the load-test criteria call < 85% CPU healthy. */
  readonly cpuLimit: number;
  /** Selects the customer-success tracker. */
  readonly customerSelector: string;
  readonly satisfactionMetric: string;
  readonly accuracyMetric: string;
  readonly costSavingsMetric: string;
  readonly pilotCustomersMetric: string;
  readonly successfulCustomersMetric: string;
  /** Why: Week 1 target is 5 pilot customers (a miss is a warning). */
  readonly pilotCustomersGoal: number;
  /** Percent. Why: satisfaction < 90% is critical in the seeds. */
  readonly satisfactionGoal: number;
  /** Share of pilots successful. Why: < 60% is a warning in the seeds. */
  readonly successRateGoal: number;
  /** Percent. Why: the seeds promise 30-50% cost savings. */
  readonly costSavingsGoal: number;
  /** Onboarding metrics: the seeds name the panels, not the metrics; these are what the tracker should expose. */
  readonly onboardingCustomersMetric: string;
  readonly timeToLaunchMetric: string;
  readonly supportTicketsMetric: string;
  readonly healthScoreMetric: string;
  /** Days. Why: green under 14 days, amber to 21, red beyond (seeds). */
  readonly timeToLaunchGoalDays: number;
  readonly timeToLaunchLimitDays: number;
  /** Open tickets per customer. Why: < 5 is healthy in the seeds. */
  readonly supportTicketsGoal: number;
  /** 0-100. No seed value: a health score under 70 deserves a call. */
  readonly healthScoreGoal: number;
}

export interface DashboardsConfig {
  readonly database: AppDatabaseConfig;
  readonly process: ProcessConfig;
  readonly sprint: SprintConfig;
  /** Availability drawn green on service stats. Why: the sprint seeds' > 99.9% uptime goal. */
  readonly availabilityGoal: number;
  /** Stats of the Business KPIs board, each judged against its target. @default defaultBusinessKpis(content) */
  readonly businessKpis?: readonly KpiTarget[];
  /** SLOs of the SLO dashboard and the service overview's SLO row. @default the shipped SLOs (rules/slos.ts) */
  readonly slos?: readonly SloSpec[];
  /** The stack runs Loki: the service overview gets a row of the service's log lines (Loki's `loki` datasource). @default false */
  readonly logs?: boolean;
}

export const defaultDashboardsConfig: DashboardsConfig = {
  database: {
    selector: 'job="api"',
    queryDurationMetric: "db_query_duration_seconds",
    connectionsActiveMetric: "db_connections_active",
    connectionsIdleMetric: "db_connections_idle",
    queryP95Warning: 1,
    poolUseWarning: 0.8,
  },
  process: { selector: 'job=~"api|worker"', memoryWarningBytes: 400 * 1024 ** 2, memoryCriticalBytes: 450 * 1024 ** 2 },
  sprint: {
    selector: 'job="ingestion"',
    eventsMetric: "attribution_events_processed_total",
    eventDurationMetric: "attribution_event_processing_duration_seconds",
    memoryMetric: "attribution_memory_usage_bytes",
    connectionsMetric: "attribution_active_connections",
    throughputGoal: 1_000_000,
    latencyP95Goal: 0.1,
    uptimeGoal: 0.999,
    errorRateGoal: 0.001,
    accuracyGoal: 99,
    memoryLimitBytes: 7 * 1024 ** 3,
    cpuLimit: 0.85,
    customerSelector: 'job="customer-success-tracker"',
    satisfactionMetric: "customer_satisfaction_score",
    accuracyMetric: "attribution_accuracy_percent",
    costSavingsMetric: "customer_cost_savings_percent",
    pilotCustomersMetric: "total_pilot_customers",
    successfulCustomersMetric: "successful_pilot_customers",
    pilotCustomersGoal: 5,
    satisfactionGoal: 90,
    successRateGoal: 0.6,
    costSavingsGoal: 30,
    onboardingCustomersMetric: "customer_onboarding_customers",
    timeToLaunchMetric: "customer_time_to_launch_days",
    supportTicketsMetric: "customer_support_tickets_open",
    healthScoreMetric: "customer_health_score",
    timeToLaunchGoalDays: 14,
    timeToLaunchLimitDays: 21,
    supportTicketsGoal: 5,
    healthScoreGoal: 70,
  },
  availabilityGoal: 0.999,
};

export type DashboardsConfigOverrides = {
  readonly [K in keyof DashboardsConfig]?: DashboardsConfig[K] extends readonly unknown[] ? DashboardsConfig[K] : DashboardsConfig[K] extends object ? Partial<DashboardsConfig[K]> : DashboardsConfig[K];
};

export function resolveDashboardsConfig(o: DashboardsConfigOverrides = {}): DashboardsConfig {
  const d = defaultDashboardsConfig;
  return {
    database: { ...d.database, ...o.database },
    process: { ...d.process, ...o.process },
    sprint: { ...d.sprint, ...o.sprint },
    availabilityGoal: o.availabilityGoal ?? d.availabilityGoal,
    ...(o.businessKpis !== undefined ? { businessKpis: o.businessKpis } : {}),
    ...(o.slos !== undefined ? { slos: o.slos } : {}),
  };
}
