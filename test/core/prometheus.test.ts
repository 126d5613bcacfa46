import { describe, expect, it } from "vitest";
import { renderPrometheusConfig } from "../../core/prometheus/render";
import { validatePrometheusConfig, validateStorage } from "../../core/prometheus/validate";
import type { PrometheusConfig, ScrapeJob } from "../../core/prometheus/model";
import { formatIssue } from "../../core/validation";

const base: PrometheusConfig = {
  global: { scrapeInterval: "15s", scrapeTimeout: "10s", evaluationInterval: "15s", externalLabels: { env: "dev", cluster: "a" } },
  ruleFiles: ["rules/*.yml"],
  scrapeJobs: [{ name: "api", scrapeInterval: "10s", staticConfigs: [{ targets: ["api:3000"], labels: { team: "backend" } }] }],
  alertmanagers: [{ targets: ["alertmanager:9093"] }],
};

const withJob = (job: Partial<ScrapeJob>): PrometheusConfig => ({
  ...base,
  scrapeJobs: [{ name: "api", staticConfigs: [{ targets: ["api:3000"] }], ...job }],
});

describe("renderPrometheusConfig", () => {
  it("renders snake_case keys in Prometheus's order with sorted label maps", () => {
    const text = renderPrometheusConfig({
      ...base,
      remoteWrite: [{ name: "vm", url: "http://vm:8428/api/v1/write", basicAuth: { username: "u", passwordFile: "/etc/prometheus/secrets/rw" }, queueConfig: { maxShards: 10 } }],
    });
    expect(text).toBe(`global:
  scrape_interval: 15s
  scrape_timeout: 10s
  evaluation_interval: 15s
  external_labels:
    cluster: a
    env: dev
rule_files:
  - rules/*.yml
alerting:
  alertmanagers:
    - api_version: v2
      static_configs:
        - targets:
            - alertmanager:9093
scrape_configs:
  - job_name: api
    scrape_interval: 10s
    static_configs:
      - targets:
          - api:3000
        labels:
          team: backend
remote_write:
  - name: vm
    url: http://vm:8428/api/v1/write
    basic_auth:
      username: u
      password_file: /etc/prometheus/secrets/rw
    queue_config:
      max_shards: 10
`);
  });

  it("renders honor_labels, sample_limit and fallback_scrape_protocol where a job sets them, and nothing where it does not", () => {
    const text = renderPrometheusConfig(withJob({ honorLabels: true, sampleLimit: 5000, fallbackScrapeProtocol: "PrometheusText0.0.4" }));
    expect(text).toContain("  - job_name: api\n    honor_labels: true\n    sample_limit: 5000\n    fallback_scrape_protocol: PrometheusText0.0.4\n    static_configs:\n");
    expect(renderPrometheusConfig(withJob({ honorLabels: false }))).toContain("  - job_name: api\n    honor_labels: false\n");
    expect(renderPrometheusConfig(withJob({}))).not.toMatch(/honor_labels|sample_limit|fallback_scrape_protocol/);
  });

  it("renders blackbox-style jobs with params and relabelling", () => {
    const text = renderPrometheusConfig(
      withJob({
        metricsPath: "/probe",
        params: { module: ["http_2xx"] },
        relabelConfigs: [{ sourceLabels: ["__address__"], targetLabel: "__param_target" }, { targetLabel: "__address__", replacement: "bb:9115" }],
      }),
    );
    expect(text).toContain("    metrics_path: /probe\n    params:\n      module:\n        - http_2xx\n");
    expect(text).toContain("    relabel_configs:\n      - source_labels:\n          - __address__\n        target_label: __param_target\n");
  });
});

describe("validatePrometheusConfig", () => {
  it("accepts a sound config", () => {
    expect(validatePrometheusConfig(base)).toEqual([]);
  });

  it.each<[string, PrometheusConfig, string]>([
    ["timeout over interval", withJob({ scrapeInterval: "15s", scrapeTimeout: "20s" }), 'scrape job "api": scrape_timeout 20s exceeds scrape_interval 15s'],
    ["bad duration", withJob({ scrapeInterval: "15" }), 'scrape job "api": scrape_interval "15" is not a duration'],
    ["target without port", withJob({ staticConfigs: [{ targets: ["api"] }] }), 'scrape job "api": static_configs[0].targets "api" is not host:port'],
    ["port out of range", withJob({ staticConfigs: [{ targets: ["api:70000"] }] }), "port 70000 outside 1-65535"],
    ["no targets", withJob({ staticConfigs: [] }), 'scrape job "api": static_configs has no targets'],
    ["bad label name", withJob({ staticConfigs: [{ targets: ["a:1"], labels: { "app.kubernetes.io/name": "x" } }] }), 'static_configs[0].labels.app.kubernetes.io/name "app.kubernetes.io/name" is not a valid label name'],
    ["relative metrics path", withJob({ metricsPath: "metrics" }), 'metrics_path "metrics" must start with /'],
    ["bad relabel regex", withJob({ relabelConfigs: [{ sourceLabels: ["a"], regex: "(", targetLabel: "b" }] }), 'relabel_configs[0].regex "(" is not a valid RE2 regular expression'],
    ["replace without target", withJob({ relabelConfigs: [{ sourceLabels: ["a"] }] }), "relabel_configs[0].target_label is required for action replace"],
    ["relative credentials file", withJob({ authorization: { credentialsFile: "token" } }), 'authorization.credentials_file "token" must be an absolute path'],
    ["duplicate job", { ...base, scrapeJobs: [...base.scrapeJobs, ...base.scrapeJobs] }, 'scrape job "api": job_name is defined more than once'],
    ["global timeout over interval", { ...base, global: { ...base.global, scrapeTimeout: "1m" } }, "global: scrape_timeout 1m exceeds scrape_interval 15s"],
    ["bad external label", { ...base, global: { ...base.global, externalLabels: { "bad-name": "x" } } }, "global: external_labels.bad-name"],
    ["bad alertmanager", { ...base, alertmanagers: [{ targets: ["http://am:9093"] }] }, 'alerting.alertmanagers[0]: targets "http://am:9093" is not host:port'],
    ["bad remote write url", { ...base, remoteWrite: [{ name: "vm", url: "vm:8428" }] }, 'remote_write "vm": url'],
    ["absolute rule file", { ...base, ruleFiles: ["/etc/rules.yml"] }, 'rule_files "/etc/rules.yml" must be relative'],
  ])("rejects %s, naming the culprit", (_name, cfg, message) => {
    const messages = validatePrometheusConfig(cfg).map(formatIssue);
    expect(messages.join("\n")).toContain(message);
  });

  it("lets an inherited timeout follow a short job interval (Prometheus caps it)", () => {
    expect(validatePrometheusConfig(withJob({ scrapeInterval: "5s" }))).toEqual([]);
  });
});

describe("validateStorage", () => {
  it.each([
    [{ retentionTime: "0s" }, "storage: retention_time must be greater than 0"],
    [{ retentionTime: "15d", retentionSize: "10G" }, 'storage: retention_size "10G" is not a size'],
    [{ retentionTime: "15d", retentionSize: "0GB" }, "storage: retention_size must be greater than 0"],
    [{ retentionTime: "forever" }, 'storage: retention_time "forever" is not a duration'],
  ])("rejects %j", (s, message) => {
    expect(validateStorage(s).map(formatIssue).join("\n")).toContain(message);
  });

  it("accepts time with a size cap", () => expect(validateStorage({ retentionTime: "30d", retentionSize: "10GB" })).toEqual([]));
});
