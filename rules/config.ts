/**
 * Selectors and thresholds shared by the rule packs and the dashboards that show the same metrics: one value feeds
 * the alert and the panel threshold. Every default says why. Users override any of it with `resolveContentConfig`.
 * Metric names are those of the instrumented example application in the seeds (an API, a worker with a queue,
 * Postgres, Redis) and of the standard exporters.
 */
import { issue, ValidationError } from "../core/validation";

/** PromQL label matchers without braces, e.g. `job="api"`; an empty string matches everything. */
export type Selector = string;

export interface HttpConfig {
  /** Selects the API's series. Why: the seeds' API is scraped as job "api". */
  readonly selector: Selector;
  /** Counter of requests with `status` (code) and `route` labels. */
  readonly requestsMetric: string;
  /** Histogram of request latency in seconds, with `route` label. */
  readonly durationMetric: string;
  /** Gauge of requests being served. */
  readonly inFlightMetric: string;
  /** 5xx share that warns. Why: the seeds page a human at 10% and want a look at 5%. */
  readonly errorRateWarning: number;
  /** 5xx share that pages. */
  readonly errorRateCritical: number;
  /** p95 latency (seconds) that warns. Why: the seeds' API health report warns at p95 > 1s for 5m. */
  readonly latencyP95Warning: number;
  /** p95 latency (seconds) that pages. Why: the sprint seeds hold a 100ms p95 target; twice the warning is a page. */
  readonly latencyP95Critical: number;
  /** Request rate falling below this share of the same time a week ago flags a drop. */
  readonly requestRateDropRatio: number;
  /** Compared with the same time this long ago. Why: traffic is weekly-seasonal; a week ago is the same weekday. */
  readonly requestRateDropOffset: string;
  /** Requests/s a week ago below which a drop is not flagged. Why: at a trickle of traffic, halving is noise. */
  readonly requestRateDropMinRps: number;
}

export interface QueueConfig {
  readonly selector: Selector;
  /** Gauge of items waiting, label `queue`. */
  readonly depthMetric: string;
  /** Gauge of the queue's capacity. */
  readonly capacityMetric: string;
  /** Counter of processed items, label `status` = success | error. */
  readonly processedMetric: string;
  /** Counter of worker errors, label `type`. */
  readonly errorsMetric: string;
  /** Histogram of batch processing time in seconds. */
  readonly batchDurationMetric: string;
  /** Histogram of items per batch. */
  readonly batchSizeMetric: string;
  /** Why: the seeds' worker warns at a 1,000 backlog for 5m. */
  readonly backlogWarning: number;
  /** Why: the seeds' worker pages at a 5,000 backlog for 2m. */
  readonly backlogCritical: number;
  /** Share of capacity that pages as "near capacity". Why: the seeds page at 9,000 of 10,000 (90%). */
  readonly capacityRatioCritical: number;
  /** Worker error share that warns. Why: same 5% bar as the API. */
  readonly errorRateWarning: number;
  /** p95 batch duration (seconds) that warns. */
  readonly batchDurationP95Warning: number;
}

export interface PostgresConfig {
  readonly selector: Selector;
  /** Why: the seeds warn at 80 of 100 connections; a ratio survives a changed max_connections. */
  readonly connectionsRatioWarning: number;
  /** Longest running active transaction (seconds) that counts as a slow query. Why: the seeds' p95 query bar is 1s; a 60s transaction is certainly stuck. */
  readonly slowQuerySeconds: number;
  /** Replica lag (seconds) that warns. */
  readonly replicationLagWarningSeconds: number;
  /** Replica lag gauge in seconds. Why: postgres_exporter >= 0.13 names it so (older: `pg_replication_lag`). */
  readonly replicationLagMetric: string;
  /** Deadlocks per 5 minutes above which to warn. Why: any deadlock means transactions fought and one was aborted. */
  readonly deadlocksWarning: number;
}

export interface RedisConfig {
  readonly selector: Selector;
  /** Why: evictions start at maxmemory; 90% leaves time to react. */
  readonly memoryRatioWarning: number;
  /** Hit rate below this warns. Why: the seeds' LowCacheHitRate alert. */
  readonly hitRateWarning: number;
  /** Evicted keys per second above which to warn. Why: a cache that evicts is full; a store that evicts loses data. */
  readonly evictionsPerSecondWarning: number;
}

export interface HostConfig {
  readonly selector: Selector;
  /** Why: the seeds (aclue) alert on CPU > 90%. */
  readonly cpuWarning: number;
  /** Why: the seeds (aclue) alert on memory > 85%. */
  readonly memoryWarning: number;
  /** Free disk share below which to warn. Why: the seeds alert on disk < 20% free. */
  readonly diskFreeWarning: number;
  /** Load per core that warns. */
  readonly loadPerCoreWarning: number;
  /** Clock offset (seconds) that warns. */
  readonly clockSkewSeconds: number;
  /** Hours ahead to predict a filesystem filling up. Why: a day gives a human a working day to react. */
  readonly diskFillPredictHours: number;
  /** Share of packets with errors that warns. Why: node-mixin's 1%; below that, retransmits hide it. */
  readonly networkErrorRatioWarning: number;
}

export interface ContainerConfig {
  readonly selector: Selector;
  /**
   * Which cAdvisor's labels the container series carry. Why: Docker's cAdvisor names a container by `name`; the
   * kubelet's built-in cAdvisor by `container`, `pod` and `namespace`. The stack composition sets it from the platform.
   */
  readonly cadvisorLabels: CadvisorLabels;
  /** Working-set share of the memory limit that warns. */
  readonly memoryLimitRatioWarning: number;
  /** Share of CPU periods throttled that warns. */
  readonly cpuThrottleRatioWarning: number;
  /** Restarts in 15 minutes that warn. Why: one restart is a deploy or a blip; two more within 15m is a crash loop. */
  readonly restartsWarning: number;
}

export interface ProbeConfig {
  readonly selector: Selector;
  /** Probe duration (seconds) that counts as slow. */
  readonly slowSeconds: number;
  /** Why: the issue's and common practice: warn two weeks before expiry. */
  readonly certExpiryWarningDays: number;
  /** Why: three days is the last moment a human can still renew by hand. */
  readonly certExpiryCriticalDays: number;
}

export interface FreshnessConfig {
  readonly selector: Selector;
  /** Counter of events received by the API. */
  readonly eventsMetric: string;
  /** No new events for this long is stale. Why: the seeds' DataFreshness alert. */
  readonly staleAfter: string;
  /** A pushgateway job not pushed for this many seconds is stale. */
  readonly pushStaleSeconds: number;
  /** Selects the pushgateway's `push_time_seconds`. Why: with honor_labels, `job` is the pushing job's; match all. */
  readonly pushSelector: Selector;
}

export interface AvailabilityConfig {
  /** Targets whose `up` is watched. Why: every scraped target matters; empty selects all. */
  readonly selector: Selector;
  /** Share of failed scrapes over 15m that warns while a target is not fully down. Why: 1 in 10 failing is flapping, not noise. */
  readonly scrapeFailureRatioWarning: number;
}

export interface SelfMonitoringConfig {
  /** Why: the stacks scrape Prometheus itself as job "prometheus". */
  readonly prometheusSelector: Selector;
  /** Why: the stacks scrape Alertmanager as job "alertmanager". */
  readonly alertmanagerSelector: Selector;
  /** Share of failed notifications that warns. Why: prometheus-mixin's 1%: a lost page is expensive. */
  readonly notificationErrorRatioWarning: number;
  /**
   * How long a config reload must have stayed failed before the reload alerts count it (`max_over_time(…[w]) == 0`).
   * Why: prometheus-mixin's 5m: a failed reload fixed by the next apply minutes later is not worth a notification,
   * and a scrape gap alone never fires it. The detection bound grows by this window (core/latency.ts).
   */
  readonly reloadWindow: string;
}

export interface TelemetryConfig {
  /** Why: the stacks scrape Loki as job "loki". */
  readonly lokiSelector: Selector;
  /** Why: the stacks scrape the OpenTelemetry Collector as job "otel-collector". */
  readonly collectorSelector: Selector;
  /** Why: the stacks scrape Jaeger as job "jaeger". */
  readonly jaegerSelector: Selector;
  /** Share of Loki's requests answered 5xx that warns. Why: the HTTP pack's 5%: pushes retried, queries failing. */
  readonly lokiErrorRatioWarning: number;
  /** Exporter queue fill that warns. Why: above 80% a short outage of Loki or Jaeger overflows it and data is dropped. */
  readonly queueFullRatioWarning: number;
}

export interface KubernetesConfig {
  /** kube-state-metrics' series. Why: the prod stack scrapes it as job "kube-state-metrics". */
  readonly stateSelector: Selector;
  /** The kubelets' own metrics (volume stats). Why: the prod stack scrapes every kubelet as job "kubelet". */
  readonly kubeletSelector: Selector;
  /** Free share of a volume under which a predicted fill warns. Why: kubernetes-mixin's 15%: a day or more of growth on most volumes. */
  readonly volumeFreeWarning: number;
  /** Free share of a volume that pages. Why: under 3% a database or Prometheus stops writing within hours at most. */
  readonly volumeFreeCritical: number;
  /** Hours ahead to predict a volume filling. Why: four days span a weekend plus a working day to resize the claim. */
  readonly volumeFillPredictHours: number;
}

/**
 * The selectors and thresholds of every shipped pack, section by section; one value feeds both an alert and the
 * dashboard panel that shows it.
 */
export interface ContentConfig {
  readonly http: HttpConfig;
  readonly queue: QueueConfig;
  readonly postgres: PostgresConfig;
  readonly redis: RedisConfig;
  readonly host: HostConfig;
  readonly containers: ContainerConfig;
  readonly probes: ProbeConfig;
  readonly freshness: FreshnessConfig;
  readonly availability: AvailabilityConfig;
  readonly selfMonitoring: SelfMonitoringConfig;
  readonly kubernetes: KubernetesConfig;
  readonly telemetry: TelemetryConfig;
}

/**
 * The shipped selectors and thresholds, each with the reason for its value; lay your changes over it with
 * `resolveContentConfig`.
 */
export const defaultContentConfig: ContentConfig = {
  http: {
    selector: 'job="api"',
    requestsMetric: "http_requests_total",
    durationMetric: "http_request_duration_seconds",
    inFlightMetric: "http_requests_in_flight",
    errorRateWarning: 0.05,
    errorRateCritical: 0.1,
    latencyP95Warning: 1,
    latencyP95Critical: 2,
    requestRateDropRatio: 0.5,
    requestRateDropOffset: "1w",
    requestRateDropMinRps: 1,
  },
  queue: {
    selector: 'job="worker"',
    depthMetric: "queue_depth",
    capacityMetric: "queue_capacity",
    processedMetric: "worker_events_processed_total",
    errorsMetric: "worker_errors_total",
    batchDurationMetric: "worker_batch_duration_seconds",
    batchSizeMetric: "worker_batch_size",
    backlogWarning: 1000,
    backlogCritical: 5000,
    capacityRatioCritical: 0.9,
    errorRateWarning: 0.05,
    batchDurationP95Warning: 30,
  },
  postgres: { selector: 'job="postgres"', connectionsRatioWarning: 0.8, slowQuerySeconds: 60, replicationLagWarningSeconds: 30, replicationLagMetric: "pg_replication_lag_seconds", deadlocksWarning: 0 },
  redis: { selector: 'job="redis"', memoryRatioWarning: 0.9, hitRateWarning: 0.8, evictionsPerSecondWarning: 0 },
  host: { selector: 'job="node"', cpuWarning: 0.9, memoryWarning: 0.85, diskFreeWarning: 0.2, loadPerCoreWarning: 2, clockSkewSeconds: 0.05, diskFillPredictHours: 24, networkErrorRatioWarning: 0.01 },
  containers: { selector: 'job="cadvisor"', cadvisorLabels: "docker", memoryLimitRatioWarning: 0.9, cpuThrottleRatioWarning: 0.25, restartsWarning: 2 },
  probes: { selector: 'job=~"blackbox.*"', slowSeconds: 1, certExpiryWarningDays: 14, certExpiryCriticalDays: 3 },
  freshness: { selector: 'job="api"', eventsMetric: "events_received_total", staleAfter: "15m", pushStaleSeconds: 3600, pushSelector: "" },
  availability: { selector: "", scrapeFailureRatioWarning: 0.1 },
  selfMonitoring: { prometheusSelector: 'job="prometheus"', alertmanagerSelector: 'job="alertmanager"', notificationErrorRatioWarning: 0.01, reloadWindow: "5m" },
  kubernetes: { stateSelector: 'job="kube-state-metrics"', kubeletSelector: 'job="kubelet"', volumeFreeWarning: 0.15, volumeFreeCritical: 0.03, volumeFillPredictHours: 96 },
  telemetry: { lokiSelector: 'job="loki"', collectorSelector: 'job="otel-collector"', jaegerSelector: 'job="jaeger"', lokiErrorRatioWarning: 0.05, queueFullRatioWarning: 0.8 },
};

export type CadvisorLabels = "docker" | "kubernetes";

export interface ContainerLabels {
  /** Labels that identify one container, e.g. for `sum by (...)`. */
  readonly identity: readonly string[];
  /** Matchers that keep real containers (not cgroup slices, pods' own cgroups or pause containers). */
  readonly real: Selector;
  /** The container as alert annotation text. */
  readonly text: string;
  /** The container as a Grafana legend. */
  readonly legend: string;
}

const CADVISOR_LABELS: Readonly<Record<CadvisorLabels, readonly string[]>> = { docker: ["name"], kubernetes: ["namespace", "pod", "container"] };

/** The labels of `containers.cadvisorLabels`; throws naming the field when it is neither "docker" nor "kubernetes". */
export function containerLabels(c: ContainerConfig): ContainerLabels {
  const identity = CADVISOR_LABELS[c.cadvisorLabels];
  if (!identity) {
    throw new ValidationError("content config", [issue("content config containers", "cadvisorLabels", `must be "docker" or "kubernetes", got ${JSON.stringify(c.cadvisorLabels)}`)]);
  }
  const name = identity[identity.length - 1]!;
  return {
    identity,
    // Docker's slices and the root cgroup have no image; the kubelet also reports pod cgroups (no container) and,
    // with dockershim, the pause container as "POD".
    real: `${name}!=""${c.cadvisorLabels === "kubernetes" ? `,${name}!="POD"` : ""},image!=""`,
    text: identity.map((l) => `{{ $labels.${l} }}`).join("/"),
    legend: identity.map((l) => `{{${l}}}`).join("/"),
  };
}

/** Changes to `defaultContentConfig`, section by section: each field given replaces the default, the rest stay. */
export type ContentConfigOverrides = { readonly [K in keyof ContentConfig]?: Partial<ContentConfig[K]> };

/** Defaults with the user's overrides laid over them, section by section. */
export function resolveContentConfig(overrides: ContentConfigOverrides = {}): ContentConfig {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(defaultContentConfig) as (keyof ContentConfig)[]) {
    out[key] = { ...defaultContentConfig[key], ...(overrides[key] ?? {}) };
  }
  return out as unknown as ContentConfig;
}

/** `{selector}` for a metric: `metric{job="api"}`, or the bare metric when the selector is empty. */
export function sel(metric: string, selector: Selector, extra?: string): string {
  const parts = [selector, extra].filter((p): p is string => p !== undefined && p !== "");
  return parts.length === 0 ? metric : `${metric}{${parts.join(",")}}`;
}
