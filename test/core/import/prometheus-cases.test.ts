/**
 * The prometheus.yml importer field by field, inside the tests (import.test.ts imports in a hook, which per-test
 * mutation coverage does not see): a source using every field it reads gives the whole typed config, secrets and
 * findings; the generated module of a small source is asserted whole; every field it cannot hold, and every
 * combination of credentials Prometheus refuses (its own words, checked with promtool by hand), is an error at
 * the file and line, and no module is written.
 */
import { describe, expect, it } from "vitest";
import { formatLocated, importContent } from "../../../core/import";

const FULL = "\nglobal: { scrape_interval: 15s, scrape_timeout: 10s, evaluation_interval: 30s, external_labels: { cluster: eu1, env: prod } }\nrule_files: [rules/a.yml, rules/b.yml]\nalerting:\n  alert_relabel_configs: [{ action: labeldrop, regex: replica }]\n  alertmanagers:\n    - { scheme: https, path_prefix: /am, timeout: 5s, api_version: v2, static_configs: [{ targets: [\"am-0:9093\", \"am-1:9093\"] }, { targets: [\"am-2:9093\"] }] }\nscrape_configs:\n  - job_name: full\n    scrape_interval: 5s\n    scrape_timeout: 4s\n    metrics_path: /m\n    scheme: https\n    params: { module: [http_2xx], target: x }\n    honor_labels: true\n    sample_limit: 1000\n    fallback_scrape_protocol: PrometheusText0.0.4\n    basic_auth: { username: u, password_file: /run/secrets/p }\n    tls_config: { ca_file: /ca, cert_file: /crt, key_file: /key, server_name: s.example, insecure_skip_verify: false }\n    static_configs: [{ targets: [a:1, b:2] }, { targets: [c:3], labels: { zone: z1 } }]\n    relabel_configs:\n      - { source_labels: [a, b], separator: \";\", regex: \"(.*)\", modulus: 4, target_label: t, replacement: \"$1\", action: HashMod }\n    metric_relabel_configs: [{ action: keep, source_labels: [__name__], regex: \"up|x\" }]\n  - job_name: kube\n    bearer_token_file: /var/run/token\n    kubernetes_sd_configs:\n      - { role: endpoints, namespaces: { own_namespace: true, names: [a, b] }, selectors: [{ role: endpoints, label: \"app=x\", field: \"metadata.name=y\" }] }\n      - { role: node }\n  - job_name: tok\n    authorization: { type: Bearer, credentials_file: /tok }\n  - job_name: tok2\n    bearer_token: \"secret-2\"\nremote_write:\n  - name: vm\n    url: https://vm/api/v1/write\n    remote_timeout: 30s\n    basic_auth: { username: w, password: \"pw-secret\" }\n    queue_config: { capacity: 10000, max_shards: 50, min_shards: 1, max_samples_per_send: 2000, batch_send_deadline: 5s }\n    write_relabel_configs: [{ action: drop, source_labels: [__name__], regex: \"go_.*\" }]\n  - url: https://second/api/v1/write\n    authorization: { credentials: \"tok-secret\" }\n  - name: remote-write-x\n    url: https://third/\n    tls_config: { insecure_skip_verify: true }\n";

describe("prometheus.yml with every field the importer reads", () => {
  // Imported inside each test, so per-test coverage sees the importer run.
  const full = () => importContent([{ path: "p.yml", text: FULL }], { from: "moncode" });
  it("gives the whole typed config: defaults written out, actions lower-cased, params as lists, inline credentials as secret files", () => {
    const r = full();
    expect(r.prometheus.map((p) => p.file)).toEqual(["p.yml"]);
    expect(r.prometheus[0]!.imported.config).toEqual({
  "global": {
    "scrapeInterval": "15s",
    "scrapeTimeout": "10s",
    "evaluationInterval": "30s",
    "externalLabels": {
      "cluster": "eu1",
      "env": "prod"
    }
  },
  "ruleFiles": [
    "rules/a.yml",
    "rules/b.yml"
  ],
  "scrapeJobs": [
    {
      "name": "full",
      "scrapeInterval": "5s",
      "scrapeTimeout": "4s",
      "metricsPath": "/m",
      "scheme": "https",
      "params": {
        "module": [
          "http_2xx"
        ],
        "target": [
          "x"
        ]
      },
      "honorLabels": true,
      "sampleLimit": 1000,
      "fallbackScrapeProtocol": "PrometheusText0.0.4",
      "basicAuth": {
        "username": "u",
        "passwordFile": "/run/secrets/p"
      },
      "tlsConfig": {
        "caFile": "/ca",
        "certFile": "/crt",
        "keyFile": "/key",
        "serverName": "s.example",
        "insecureSkipVerify": false
      },
      "staticConfigs": [
        {
          "targets": [
            "a:1",
            "b:2"
          ]
        },
        {
          "targets": [
            "c:3"
          ],
          "labels": {
            "zone": "z1"
          }
        }
      ],
      "relabelConfigs": [
        {
          "sourceLabels": [
            "a",
            "b"
          ],
          "separator": ";",
          "regex": "(.*)",
          "modulus": 4,
          "targetLabel": "t",
          "replacement": "$1",
          "action": "hashmod"
        }
      ],
      "metricRelabelConfigs": [
        {
          "sourceLabels": [
            "__name__"
          ],
          "regex": "up|x",
          "action": "keep"
        }
      ]
    },
    {
      "name": "kube",
      "authorization": {
        "credentialsFile": "/var/run/token"
      },
      "kubernetesSdConfigs": [
        {
          "role": "endpoints",
          "namespaces": {
            "own": true,
            "names": [
              "a",
              "b"
            ]
          },
          "selectors": [
            {
              "role": "endpoints",
              "label": "app=x",
              "field": "metadata.name=y"
            }
          ]
        },
        {
          "role": "node"
        }
      ]
    },
    {
      "name": "tok",
      "authorization": {
        "type": "Bearer",
        "credentialsFile": "/tok"
      }
    },
    {
      "name": "tok2",
      "authorization": {
        "credentialsFile": "/etc/prometheus/secrets/tok2-token"
      }
    }
  ],
  "alertmanagers": [
    {
      "targets": [
        "am-0:9093",
        "am-1:9093",
        "am-2:9093"
      ],
      "scheme": "https",
      "pathPrefix": "/am",
      "timeout": "5s"
    }
  ],
  "alertRelabelConfigs": [
    {
      "regex": "replica",
      "action": "labeldrop"
    }
  ],
  "remoteWrite": [
    {
      "name": "vm",
      "url": "https://vm/api/v1/write",
      "remoteTimeout": "30s",
      "basicAuth": {
        "username": "w",
        "passwordFile": "/etc/prometheus/secrets/remote-write-vm-password"
      },
      "queueConfig": {
        "capacity": 10000,
        "maxShards": 50,
        "minShards": 1,
        "maxSamplesPerSend": 2000,
        "batchSendDeadline": "5s"
      },
      "writeRelabelConfigs": [
        {
          "sourceLabels": [
            "__name__"
          ],
          "regex": "go_.*",
          "action": "drop"
        }
      ]
    },
    {
      "name": "remote-write-1",
      "url": "https://second/api/v1/write",
      "authorization": {
        "credentialsFile": "/etc/prometheus/secrets/remote-write-1-token"
      }
    },
    {
      "name": "remote-write-x",
      "url": "https://third/",
      "tlsConfig": {
        "insecureSkipVerify": true
      }
    }
  ]
});
  });
  it("lists each inline credential once, named after its job or remote write, and never its value", () => {
    const r = full();
    expect(r.prometheus[0]!.imported.secrets).toEqual([
  {
    "name": "tok2-token",
    "where": "scrape job \"tok2\": bearer_token"
  },
  {
    "name": "remote-write-vm-password",
    "where": "remote_write \"vm\": basic_auth.password"
  },
  {
    "name": "remote-write-1-token",
    "where": "remote_write \"remote-write-1\": authorization.credentials"
  }
]);
    for (const v of ["secret-2", "pw-secret", "tok-secret"]) expect(r.modules.map((m) => m.content).join("\n")).not.toContain(v);
  });
  it("reports only the house warnings, at their lines", () => {
    const r = full();
    expect(r.issues.map(formatLocated)).toEqual(["p.yml:29: warning: scrape job \"tok\": static_configs has no targets [prometheus/job-no-targets]", "p.yml:31: warning: scrape job \"tok2\": static_configs has no targets [prometheus/job-no-targets]"]);
  });
});

describe("the generated module", () => {
  it("of a small source, whole", () => {
    const r = importContent([{ path: "conf/prometheus.yml", text: "global: { scrape_interval: 30s }\nscrape_configs:\n  - job_name: api\n    static_configs: [{ targets: [\"api:8080\"] }]\n    basic_auth: { username: s, password: \"hunter2\" }\n" }], { from: "moncode" });
    expect(r.modules.map((m) => [m.path, m.source])).toEqual([["prometheus/prometheus.ts", "conf/prometheus.yml"]]);
    expect(r.modules[0]!.content).toBe("/**\n * Imported by `moncode import` from conf/prometheus.yml.\n * Edit freely: this module is now the source of truth for this content.\n * The source had credentials inline; they were not imported. Set each secret below (PrometheusStack's\n * `scrapeSecrets: { <name>: <Pulumi secret> }`), e.g. `pulumi config set --secret <key>`.\n */\nimport { prometheusSecretPath, type prometheus } from \"moncode\";\n\n/** Secrets to set, each mounted at prometheusSecretPath(name); the values were not carried over. */\nexport const secrets = [{ name: \"api-password\", replaces: \"scrape job \\\"api\\\": basic_auth.password\" }] as const;\n\nexport const config: prometheus.PrometheusConfig = {\n  global: { scrapeInterval: \"30s\", evaluationInterval: \"1m\" },\n  ruleFiles: [],\n  scrapeJobs: [\n    {\n      name: \"api\",\n      basicAuth: { username: \"s\", passwordFile: prometheusSecretPath(\"api-password\") },\n      staticConfigs: [{ targets: [\"api:8080\"] }],\n    },\n  ],\n  alertmanagers: [],\n};\n\n/** The scrape jobs, for PrometheusStack's `scrapeJobs` (the stack adds its own components' jobs). */\nexport const scrapeJobs: readonly prometheus.ScrapeJob[] = config.scrapeJobs;\n");
  });
});

const bad: [name: string, text: string, issues: string[]][] = [
  ["bearer_token and bearer_token_file", "scrape_configs:\n  - job_name: j\n    static_configs: [{ targets: [a:1] }]\n    bearer_token: a\n    bearer_token_file: /f\n", ["p.yml:5: scrape job \"j\": bearer_token_file and bearer_token are both set (Prometheus: \"at most one of bearer_token & bearer_token_file must be configured\") [prometheus/invalid]"]],
  ["basic_auth and bearer_token", "scrape_configs:\n  - job_name: j\n    static_configs: [{ targets: [a:1] }]\n    basic_auth: { username: u, password_file: /p }\n    bearer_token: x\n", ["p.yml:4: scrape job \"j\": basic_auth and a bearer token are both set (Prometheus: \"at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured\") [prometheus/invalid]", "p.yml:2: scrape job \"j\": authorization cannot be combined with basic_auth [prometheus/invalid]"]],
  ["authorization and bearer_token_file", "scrape_configs:\n  - job_name: j\n    static_configs: [{ targets: [a:1] }]\n    authorization: { credentials_file: /c }\n    bearer_token_file: /f\n", ["p.yml:4: scrape job \"j\": authorization and a bearer token are both set (Prometheus: \"authorization is not compatible with bearer_token & bearer_token_file\") [prometheus/invalid]"]],
  ["basic_auth and authorization", "scrape_configs:\n  - job_name: j\n    static_configs: [{ targets: [a:1] }]\n    basic_auth: { username: u, password_file: /p }\n    authorization: { credentials_file: /c }\n", ["p.yml:5: scrape job \"j\": authorization and basic_auth are both set (Prometheus: \"at most one of basic_auth, oauth2 & authorization must be configured\") [prometheus/invalid]", "p.yml:2: scrape job \"j\": authorization cannot be combined with basic_auth [prometheus/invalid]"]],
  ["credentials and credentials_file", "scrape_configs:\n  - job_name: j\n    static_configs: [{ targets: [a:1] }]\n    authorization: { credentials: x, credentials_file: /c }\n", ["p.yml:4: scrape job \"j\": authorization has both credentials and credentials_file (Prometheus: \"at most one of authorization credentials & credentials_file must be configured\") [prometheus/invalid]"]],
  ["password and password_file", "scrape_configs:\n  - job_name: j\n    static_configs: [{ targets: [a:1] }]\n    basic_auth: { username: u, password: p, password_file: /p }\n", ["p.yml:4: scrape job \"j\": basic_auth has both password and password_file (Prometheus: \"at most one of basic_auth password, password_file & password_ref must be configured\") [prometheus/invalid]"]],
  ["basic_auth without password", "scrape_configs:\n  - job_name: j\n    static_configs: [{ targets: [a:1] }]\n    basic_auth: { username: u }\n", ["p.yml:4: scrape job \"j\": basic_auth has no password or password_file [prometheus/invalid]"]],
  ["unknown top key", "scrape_configs: []\nstorage: {}\n", ["p.yml:2: prometheus.yml: storage is not a field moncode can import here [prometheus/invalid]"]],
  ["unknown global key", "global: { scrape_interval: 1m, query_log_file: /q }\n", ["p.yml:1: global: query_log_file is not a field moncode can import here [prometheus/invalid]"]],
  ["unknown alerting key", "rule_files: []\nalerting: { alertmanagers: [], relabel: [] }\n", ["p.yml:2: alerting: relabel is not a field moncode can import here [prometheus/invalid]"]],
  ["unknown job key", "scrape_configs:\n  - job_name: j\n    static_configs: [{ targets: [a:1] }]\n    file_sd_configs: [{ files: [x] }]\n", ["p.yml:4: scrape job \"j\": file_sd_configs is not a field moncode can import here [prometheus/invalid]"]],
  ["unknown basic_auth key", "scrape_configs:\n  - job_name: j\n    static_configs: [{ targets: [a:1] }]\n    basic_auth: { username: u, password_file: /p, realm: x }\n", ["p.yml:4: scrape job \"j\": basic_auth.realm is not a field moncode can import here [prometheus/invalid]"]],
  ["unknown authorization key", "scrape_configs:\n  - job_name: j\n    static_configs: [{ targets: [a:1] }]\n    authorization: { credentials_file: /c, scheme: x }\n", ["p.yml:4: scrape job \"j\": authorization.scheme is not a field moncode can import here [prometheus/invalid]"]],
  ["unknown tls key", "scrape_configs:\n  - job_name: j\n    static_configs: [{ targets: [a:1] }]\n    tls_config: { ca_file: /ca, min_version: TLS12 }\n", ["p.yml:4: scrape job \"j\": tls_config.min_version is not a field moncode can import here [prometheus/invalid]"]],
  ["unknown static group key", "scrape_configs:\n  - job_name: j\n    static_configs: [{ targets: [a:1], source: x }]\n", ["p.yml:3: scrape job \"j\": static_configs[0].source is not a field moncode can import here [prometheus/invalid]"]],
  ["unknown kubernetes key", "scrape_configs:\n  - job_name: j\n    kubernetes_sd_configs: [{ role: pod, api_server: https://k }]\n", ["p.yml:3: scrape job \"j\": kubernetes_sd_configs[0].api_server is not supported by moncode's Kubernetes discovery (in-cluster only: the pod's service account) [prometheus/invalid]"]],
  ["unknown relabel key", "scrape_configs:\n  - job_name: j\n    static_configs: [{ targets: [a:1] }]\n    relabel_configs: [{ action: keep, regex: x, labels: [a] }]\n", ["p.yml:4: scrape job \"j\": relabel_configs[0].labels is not a field moncode can import here [prometheus/invalid]"]],
  ["relabel not a list", "scrape_configs:\n  - job_name: j\n    static_configs: [{ targets: [a:1] }]\n    relabel_configs: { action: keep }\n", ["p.yml:4: scrape job \"j\": relabel_configs must be a list [prometheus/invalid]"]],
  ["metric relabel not a list", "scrape_configs:\n  - job_name: j\n    static_configs: [{ targets: [a:1] }]\n    metric_relabel_configs: keep\n", ["p.yml:4: scrape job \"j\": metric_relabel_configs must be a list [prometheus/invalid]"]],
  ["unknown alertmanager key", "rule_files: []\nalerting: { alertmanagers: [{ static_configs: [{ targets: [am:9093] }], follow_redirects: true }] }\n", ["p.yml:2: alerting.alertmanagers[0]: follow_redirects is not a field moncode can import here [prometheus/invalid]"]],
  ["api_version v1", "rule_files: []\nalerting: { alertmanagers: [{ api_version: v1, static_configs: [{ targets: [am:9093] }] }] }\n", ["p.yml:2: alerting.alertmanagers[0]: api_version must be v2 (Prometheus 3 speaks only v2) [prometheus/invalid]"]],
  ["labels on alertmanager targets", "rule_files: []\nalerting: { alertmanagers: [{ static_configs: [{ targets: [am:9093], labels: { a: b } }] }] }\n", ["p.yml:2: alerting.alertmanagers[0]: static_configs labels on Alertmanager targets are not supported [prometheus/invalid]"]],
  ["unknown remote_write key", "rule_files: []\nremote_write: [{ url: https://x/, send_exemplars: true }]\n", ["p.yml:2: remote_write \"remote-write-0\": send_exemplars is not a field moncode can import here [prometheus/invalid]"]],
  ["unknown queue_config key", "rule_files: []\nremote_write: [{ url: https://x/, queue_config: { retry_on_http_429: true } }]\n", ["p.yml:2: remote_write \"remote-write-0\": queue_config.retry_on_http_429 is not a field moncode can import here [prometheus/invalid]"]],
  ["a target label that is a list", "scrape_configs:\n  - job_name: j\n    static_configs:\n      - targets: [a:1]\n        labels: { env: [a] }\n", ["p.yml:5: scrape job \"j\": static_configs[0].labels.env must be a string, not a list [prometheus/invalid]"]],
  ["external labels that are no mapping", "global: { external_labels: [a] }\nscrape_configs: []\n", ["p.yml:1: global: external_labels must be a mapping of names to strings [prometheus/invalid]"]],
  ["an unknown key in an Alertmanager's target group", "rule_files: []\nalerting: { alertmanagers: [{ static_configs: [{ targets: [am:9093], source: x }] }] }\n", ["p.yml:2: alerting.alertmanagers[0]: static_configs[0].source is not a field moncode can import here [prometheus/invalid]"]],
];

describe("what the importer refuses, at the file and line, writing no module", () => {
  it.each(bad)("%s", (_name, text, issues) => {
    const r = importContent([{ path: "p.yml", text }], { from: "moncode" });
    expect(r.issues.map(formatLocated)).toEqual(issues);
    expect(r.modules).toEqual([]);
  });
});
