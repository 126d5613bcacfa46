/**
 * The typed model of a Prometheus server's configuration file. Field names are camelCase here and snake_case in
 * the rendered YAML. Credentials are never values: only paths of files the platform mounts (`*File`).
 */
import type { Duration } from "../duration";

/**
 * Prometheus's `global:` section: the scrape and rule-evaluation cadence every job inherits, and the external labels.
 */
export interface GlobalConfig {
  /** @default "15s" — the seeds scrape every 15s. */
  readonly scrapeInterval: Duration;
  /** @default "10s" */
  readonly scrapeTimeout?: Duration;
  /** @default "15s" */
  readonly evaluationInterval: Duration;
  /** Labels added to every series and alert leaving this server (cluster, environment, replica). */
  readonly externalLabels?: Readonly<Record<string, string>>;
}

/** A fixed list of `host:port` targets with labels added to all of them (`static_configs`). */
export interface StaticTargetGroup {
  /** `host:port` entries. */
  readonly targets: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
}

/** What a relabelling step does (Prometheus's `action` values). */
export type RelabelAction =
  | "replace"
  | "keep"
  | "drop"
  | "keepequal"
  | "dropequal"
  | "hashmod"
  | "labelmap"
  | "labeldrop"
  | "labelkeep"
  | "lowercase"
  | "uppercase";

/**
 * One relabelling step, applied to targets before a scrape, to samples after it, or to alerts and remote-written
 * series.
 */
export interface RelabelConfig {
  readonly sourceLabels?: readonly string[];
  readonly separator?: string;
  /** RE2 regular expression, anchored by Prometheus. */
  readonly regex?: string;
  readonly modulus?: number;
  readonly targetLabel?: string;
  readonly replacement?: string;
  /** @default "replace" */
  readonly action?: RelabelAction;
}

/** HTTP basic auth for a scrape or remote write: the user name and the path of a mounted file holding the password. */
export interface BasicAuthFile {
  readonly username: string;
  /** Path of a file holding the password, mounted by the platform. */
  readonly passwordFile: string;
}

/** An `Authorization` header for a scrape or remote write, its credentials read from a mounted file. */
export interface AuthorizationFile {
  /** @default "Bearer" */
  readonly type?: string;
  /** Path of a file holding the token. */
  readonly credentialsFile: string;
}

/**
 * TLS settings of a scrape or remote write: CA, client certificate and key (file paths) and the expected server name.
 */
export interface TlsConfig {
  readonly caFile?: string;
  readonly certFile?: string;
  readonly keyFile?: string;
  readonly serverName?: string;
  readonly insecureSkipVerify?: boolean;
}

/** The HTTP client settings scrape jobs and remote writes share: authentication and TLS, credentials as file paths. */
export interface HttpClientConfig {
  readonly basicAuth?: BasicAuthFile;
  readonly authorization?: AuthorizationFile;
  readonly tlsConfig?: TlsConfig;
}

/** Kubernetes object kinds Prometheus can discover targets from. */
export type KubernetesSdRole = "node" | "pod" | "service" | "endpoints" | "endpointslice" | "ingress";

/**
 * `kubernetes_sd_configs` entry. In-cluster only: Prometheus uses its pod's service account, so there is no
 * api_server and no credentials here; the platform grants exactly the read rights the roles need (see
 * `kubernetesSdAccess`).
 */
export interface KubernetesSdConfig {
  readonly role: KubernetesSdRole;
  /** Restrict discovery to these namespaces; `own` adds Prometheus's own namespace. @default all namespaces */
  readonly namespaces?: { readonly own?: boolean; readonly names?: readonly string[] };
  /** Server-side label/field selectors, e.g. `{ role: "pod", label: "app.kubernetes.io/part-of=shop" }`. */
  readonly selectors?: readonly { readonly role: KubernetesSdRole; readonly label?: string; readonly field?: string }[];
}

/** One read permission on the platform's API (a Kubernetes RBAC rule). */
export interface ApiAccessRule {
  /** `""` is the core group. */
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly ("get" | "list" | "watch")[];
}

/**
 * One scrape job (`scrape_configs` entry): which targets to scrape, how often, on which path, with what relabelling.
 */
export interface ScrapeJob extends HttpClientConfig {
  /** Unique job name; becomes the `job` label. */
  readonly name: string;
  /** @default the global scrape interval */
  readonly scrapeInterval?: Duration;
  /** @default the global scrape timeout; must not exceed the interval. */
  readonly scrapeTimeout?: Duration;
  /** @default "/metrics" */
  readonly metricsPath?: string;
  /** @default "http" */
  readonly scheme?: "http" | "https";
  /** URL query parameters, e.g. blackbox `module`. */
  readonly params?: Readonly<Record<string, readonly string[]>>;
  readonly honorLabels?: boolean;
  readonly staticConfigs?: readonly StaticTargetGroup[];
  /** Targets discovered from the Kubernetes API (in addition to or instead of static ones). */
  readonly kubernetesSdConfigs?: readonly KubernetesSdConfig[];
  readonly relabelConfigs?: readonly RelabelConfig[];
  readonly metricRelabelConfigs?: readonly RelabelConfig[];
  /** Per-scrape sample limit; 0 means none. Guards against a cardinality explosion in one target. */
  readonly sampleLimit?: number;
  /**
   * How to parse a response whose Content-Type is missing or not a known exposition format. Prometheus 3 fails
   * such scrapes unless this is set (2.x silently assumed the text format); hand-written `/metrics` handlers
   * often send `text/plain` without a version or no Content-Type at all. @default none
   */
  readonly fallbackScrapeProtocol?: ScrapeProtocol;
}

/** Exposition formats Prometheus 3 negotiates (`scrape_protocols`, `fallback_scrape_protocol`). */
export const SCRAPE_PROTOCOLS = ["PrometheusProto", "OpenMetricsText1.0.0", "OpenMetricsText0.0.1", "PrometheusText1.0.0", "PrometheusText0.0.4"] as const;
/** One of Prometheus 3's exposition formats, as in `SCRAPE_PROTOCOLS`. */
export type ScrapeProtocol = (typeof SCRAPE_PROTOCOLS)[number];

/** Where Prometheus sends its alerts: every Alertmanager peer of one cluster (`alerting.alertmanagers` entry). */
export interface AlertmanagerTarget {
  /** `host:port` of every Alertmanager peer (not a load balancer: each peer must receive every alert). */
  readonly targets: readonly string[];
  /** @default "http" */
  readonly scheme?: "http" | "https";
  readonly pathPrefix?: string;
  readonly timeout?: Duration;
}

/** Tuning of a remote write's send queue (`queue_config`); unset fields keep Prometheus's defaults. */
export interface QueueConfig {
  readonly capacity?: number;
  readonly maxShards?: number;
  readonly minShards?: number;
  readonly maxSamplesPerSend?: number;
  readonly batchSendDeadline?: Duration;
}

/** One remote-write destination for long-term storage (`remote_write` entry). */
export interface RemoteWrite extends HttpClientConfig {
  /** Unique name; shows in remote-write metrics. */
  readonly name: string;
  readonly url: string;
  readonly remoteTimeout?: Duration;
  readonly queueConfig?: QueueConfig;
  readonly writeRelabelConfigs?: readonly RelabelConfig[];
}

/**
 * A whole prometheus.yml in typed form: global settings, rule files, scrape jobs, Alertmanagers and remote writes;
 * rendered by `renderPrometheusConfig`.
 */
export interface PrometheusConfig {
  readonly global: GlobalConfig;
  /** Rule file globs relative to the config file, e.g. `rules/*.yml`. */
  readonly ruleFiles: readonly string[];
  readonly scrapeJobs: readonly ScrapeJob[];
  readonly alertmanagers: readonly AlertmanagerTarget[];
  /**
   * Relabelling of alerts before they are sent, e.g. dropping the `replica` external label so that Alertmanager
   * deduplicates the alerts of HA Prometheus replicas.
   */
  readonly alertRelabelConfigs?: readonly RelabelConfig[];
  readonly remoteWrite?: readonly RemoteWrite[];
}

/** TSDB retention, passed as flags. At least one of time and size bounds the disk. */
export interface StorageConfig {
  /** @default "15d" */
  readonly retentionTime: Duration;
  /** e.g. `10GB`; units B KB MB GB TB PB EB. */
  readonly retentionSize?: string;
}
