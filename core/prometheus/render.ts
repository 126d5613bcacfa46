/** PrometheusConfig → prometheus.yml text. Pure and deterministic. */
import { compact, sortedRecord, toYaml } from "../yaml";
import type { HttpClientConfig, KubernetesSdConfig, PrometheusConfig, RelabelConfig, ScrapeJob, StaticTargetGroup } from "./model";

function relabel(r: RelabelConfig): object {
  return compact({
    source_labels: r.sourceLabels ? [...r.sourceLabels] : undefined,
    separator: r.separator,
    regex: r.regex,
    modulus: r.modulus,
    target_label: r.targetLabel,
    replacement: r.replacement,
    action: r.action,
  });
}

function relabels(list: readonly RelabelConfig[] | undefined): object[] | undefined {
  return list && list.length > 0 ? list.map(relabel) : undefined;
}

function httpClient(c: HttpClientConfig): Record<string, unknown> {
  return compact({
    basic_auth: c.basicAuth ? { username: c.basicAuth.username, password_file: c.basicAuth.passwordFile } : undefined,
    authorization: c.authorization
      ? compact({ type: c.authorization.type, credentials_file: c.authorization.credentialsFile })
      : undefined,
    tls_config: c.tlsConfig
      ? compact({
          ca_file: c.tlsConfig.caFile,
          cert_file: c.tlsConfig.certFile,
          key_file: c.tlsConfig.keyFile,
          server_name: c.tlsConfig.serverName,
          insecure_skip_verify: c.tlsConfig.insecureSkipVerify,
        })
      : undefined,
  });
}

function staticGroup(g: StaticTargetGroup): object {
  return compact({ targets: [...g.targets], labels: sortedRecord(g.labels) });
}

function kubernetesSd(k: KubernetesSdConfig): object {
  const ns = k.namespaces;
  return compact({
    role: k.role,
    namespaces: ns && (ns.own || (ns.names?.length ?? 0) > 0) ? compact({ own_namespace: ns.own, names: ns.names?.length ? [...ns.names] : undefined }) : undefined,
    selectors: k.selectors?.length ? k.selectors.map((s) => compact({ role: s.role, label: s.label, field: s.field })) : undefined,
  });
}

function scrapeJob(j: ScrapeJob): object {
  const params = j.params
    ? Object.fromEntries(Object.keys(j.params).sort().map((k) => [k, [...(j.params?.[k] ?? [])]]))
    : undefined;
  return compact({
    job_name: j.name,
    scrape_interval: j.scrapeInterval,
    scrape_timeout: j.scrapeTimeout,
    metrics_path: j.metricsPath,
    scheme: j.scheme,
    params,
    honor_labels: j.honorLabels,
    sample_limit: j.sampleLimit,
    fallback_scrape_protocol: j.fallbackScrapeProtocol,
    ...httpClient(j),
    static_configs: j.staticConfigs?.length ? j.staticConfigs.map(staticGroup) : undefined,
    kubernetes_sd_configs: j.kubernetesSdConfigs?.length ? j.kubernetesSdConfigs.map(kubernetesSd) : undefined,
    relabel_configs: relabels(j.relabelConfigs),
    metric_relabel_configs: relabels(j.metricRelabelConfigs),
  });
}

/**
 * The prometheus.yml text of a config: snake_case keys, unset fields left out, output deterministic for the same
 * input. Does not validate; see `validatePrometheusConfig`.
 */
export function renderPrometheusConfig(cfg: PrometheusConfig): string {
  const doc = compact({
    global: compact({
      scrape_interval: cfg.global.scrapeInterval,
      scrape_timeout: cfg.global.scrapeTimeout,
      evaluation_interval: cfg.global.evaluationInterval,
      external_labels: sortedRecord(cfg.global.externalLabels),
    }),
    rule_files: [...cfg.ruleFiles],
    alerting:
      cfg.alertmanagers.length > 0
        ? compact({
            alert_relabel_configs: relabels(cfg.alertRelabelConfigs),
            alertmanagers: cfg.alertmanagers.map((a) =>
              compact({
                scheme: a.scheme,
                path_prefix: a.pathPrefix,
                timeout: a.timeout,
                api_version: "v2",
                static_configs: [{ targets: [...a.targets] }],
              }),
            ),
          })
        : undefined,
    scrape_configs: cfg.scrapeJobs.map(scrapeJob),
    remote_write: cfg.remoteWrite?.map((r) =>
      compact({
        name: r.name,
        url: r.url,
        remote_timeout: r.remoteTimeout,
        ...httpClient(r),
        queue_config: r.queueConfig
          ? compact({
              capacity: r.queueConfig.capacity,
              max_shards: r.queueConfig.maxShards,
              min_shards: r.queueConfig.minShards,
              max_samples_per_send: r.queueConfig.maxSamplesPerSend,
              batch_send_deadline: r.queueConfig.batchSendDeadline,
            })
          : undefined,
        write_relabel_configs: relabels(r.writeRelabelConfigs),
      }),
    ),
  });
  return toYaml(doc);
}

/** Command-line flags for the Prometheus server, paths as the platform mounts them. */
export function prometheusFlags(opts: {
  configFile: string;
  dataDir: string;
  retentionTime: string;
  retentionSize?: string;
  listenPort: number;
  externalUrl?: string;
  /** `--web.enable-otlp-receiver`: OTLP metrics on /api/v1/otlp/v1/metrics. */
  otlpReceiver?: boolean;
  /** `--web.enable-remote-write-receiver`: remote-write on /api/v1/write (Loki's ruler, log recording rules). */
  remoteWriteReceiver?: boolean;
}): string[] {
  const flags = [
    `--config.file=${opts.configFile}`,
    `--storage.tsdb.path=${opts.dataDir}`,
    `--storage.tsdb.retention.time=${opts.retentionTime}`,
  ];
  if (opts.retentionSize !== undefined) flags.push(`--storage.tsdb.retention.size=${opts.retentionSize}`);
  flags.push(`--web.listen-address=:${opts.listenPort}`, "--web.enable-lifecycle");
  if (opts.externalUrl !== undefined) flags.push(`--web.external-url=${opts.externalUrl}`);
  if (opts.otlpReceiver) flags.push("--web.enable-otlp-receiver");
  if (opts.remoteWriteReceiver) flags.push("--web.enable-remote-write-receiver");
  return flags;
}
