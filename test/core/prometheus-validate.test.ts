import { describe, expect, it } from "vitest";
import { prometheusFlags, renderPrometheusConfig } from "../../core/prometheus/render";
import { checkHostPort, checkUrl, validatePrometheusConfig, validateStorage } from "../../core/prometheus/validate";
import type { KubernetesSdConfig, KubernetesSdRole, PrometheusConfig, RelabelConfig, RemoteWrite, ScrapeJob, ScrapeProtocol } from "../../core/prometheus/model";
import type { ValidationIssue } from "../../core/validation";

const JOB = 'scrape job "api"';

const base: PrometheusConfig = {
  global: { scrapeInterval: "15s", evaluationInterval: "15s" },
  ruleFiles: ["rules/*.yml"],
  scrapeJobs: [{ name: "api", staticConfigs: [{ targets: ["api:3000"] }] }],
  alertmanagers: [{ targets: ["alertmanager:9093"] }],
};

const withJob = (job: Partial<ScrapeJob>): PrometheusConfig => ({
  ...base,
  scrapeJobs: [{ name: "api", staticConfigs: [{ targets: ["api:3000"] }], ...job }],
});
const withRemoteWrite = (...remoteWrite: RemoteWrite[]): PrometheusConfig => ({ ...base, remoteWrite });
const withSd = (...kubernetesSdConfigs: KubernetesSdConfig[]): PrometheusConfig => withJob({ staticConfigs: undefined, kubernetesSdConfigs });
const withRelabel = (...relabelConfigs: RelabelConfig[]): PrometheusConfig => withJob({ relabelConfigs });

/** An error of rule prometheus/invalid, as validatePrometheusConfig reports it by default. */
const invalid = (item: string, field: string, message: string): ValidationIssue => ({ severity: "error", item, field, message, rule: "prometheus/invalid" });
const warning = (rule: string, item: string, field: string, message: string): ValidationIssue => ({ severity: "warning", item, field, message, rule });

describe("checkHostPort", () => {
  it.each(["api:3000", "a:80", "ab:80", "prometheus:9090", "my-host.example.com:443", "10.0.0.1:9100", "[::1]:9090", "[2001:db8::1]:80", "A1:1"])(
    "accepts %s",
    (target) => expect(checkHostPort(target)).toBeUndefined(),
  );

  it.each(["api", "", ":80", "-host:80", "host-:80", ".host:80", "host.:80", "a b:80", "my_host:80", "http://am:9093", "host:80x", "host:123456", "host:", "host:abc", "[]:80", "[g::1]:80"])(
    "rejects %j as not host:port",
    (target) => expect(checkHostPort(target)).toBe(`"${target}" is not host:port`),
  );

  it("accepts the port bounds 1 and 65535", () => {
    expect(checkHostPort("host:1")).toBeUndefined();
    expect(checkHostPort("host:65535")).toBeUndefined();
  });

  it("rejects ports 0 and 65536, naming the port", () => {
    expect(checkHostPort("host:0")).toBe('"host:0" has port 0 outside 1-65535');
    expect(checkHostPort("host:65536")).toBe('"host:65536" has port 65536 outside 1-65535');
    expect(checkHostPort("host:99999")).toBe('"host:99999" has port 99999 outside 1-65535');
  });
});

describe("checkUrl", () => {
  it("accepts http and https URLs", () => {
    expect(checkUrl("http://vm:8428/api/v1/write")).toBeUndefined();
    expect(checkUrl("https://mimir.example.com/api/v1/push")).toBeUndefined();
  });

  it("rejects a URL of another scheme", () => {
    expect(checkUrl("ftp://vm/write")).toBe('"ftp://vm/write" is not an http(s) URL');
    expect(checkUrl("vm:8428")).toBe('"vm:8428" is not an http(s) URL');
  });

  it("rejects what is not a URL at all", () => {
    expect(checkUrl("not a url")).toBe('"not a url" is not a valid URL');
    expect(checkUrl("")).toBe('"" is not a valid URL');
  });
});

describe("validatePrometheusConfig: global", () => {
  it("accepts a sound config with a timeout equal to the interval", () => {
    expect(validatePrometheusConfig({ ...base, global: { scrapeInterval: "15s", scrapeTimeout: "15s", evaluationInterval: "1m" } })).toEqual([]);
  });

  it("names the global field whose duration is bad", () => {
    const cfg: PrometheusConfig = { ...base, scrapeJobs: [], global: { scrapeInterval: "x", scrapeTimeout: "y", evaluationInterval: "z" } };
    expect(validatePrometheusConfig(cfg)).toEqual([
      invalid("global", "scrape_interval", '"x" is not a duration (e.g. 15s, 1m, 1h30m)'),
      invalid("global", "scrape_timeout", '"y" is not a duration (e.g. 15s, 1m, 1h30m)'),
      invalid("global", "evaluation_interval", '"z" is not a duration (e.g. 15s, 1m, 1h30m)'),
    ]);
  });

  it("rejects a zero scrape interval and a zero evaluation interval", () => {
    const cfg: PrometheusConfig = { ...base, scrapeJobs: [], global: { scrapeInterval: "0s", evaluationInterval: "0" } };
    expect(validatePrometheusConfig(cfg)).toEqual([
      invalid("global", "scrape_interval", "must be greater than 0"),
      invalid("global", "evaluation_interval", "must be greater than 0"),
    ]);
  });

  it("rejects a global timeout over the global interval", () => {
    const cfg: PrometheusConfig = { ...base, global: { scrapeInterval: "15s", scrapeTimeout: "16s", evaluationInterval: "15s" } };
    expect(validatePrometheusConfig(cfg)).toEqual([invalid("global", "scrape_timeout", "16s exceeds scrape_interval 15s")]);
  });

  it("warns about an external label value with a line break", () => {
    const cfg: PrometheusConfig = { ...base, global: { ...base.global, externalLabels: { cluster: "a\nb" } } };
    expect(validatePrometheusConfig(cfg)).toEqual([
      warning("labels/value-multiline", "global", "external_labels.cluster", 'contains a line break ("a\\nb"): label values are one line'),
    ]);
  });

  it("rejects relative rule files that leave the config directory, and absolute ones", () => {
    expect(validatePrometheusConfig({ ...base, ruleFiles: ["rules/a.yml", "../rules/b.yml", "/etc/c.yml"] })).toEqual([
      invalid("rule_files", "", '"../rules/b.yml" must be relative to the config file'),
      invalid("rule_files", "", '"/etc/c.yml" must be relative to the config file'),
    ]);
  });
});

describe("validatePrometheusConfig: scrape jobs", () => {
  it("accepts job names of letters, digits, _ . : -", () => {
    expect(validatePrometheusConfig(withJob({ name: "a-b_c.d:e9" }))).toEqual([]);
  });

  it.each(["", "my job", "job/1"])("rejects the job name %j", (name) => {
    expect(validatePrometheusConfig(withJob({ name }))).toEqual([invalid(`scrape job "${name}"`, "job_name", "must be non-empty and use letters, digits, _ . : -")]);
  });

  it("names the job field whose duration is bad", () => {
    expect(validatePrometheusConfig(withJob({ scrapeInterval: "often", scrapeTimeout: "soon" }))).toEqual([
      invalid(JOB, "scrape_interval", '"often" is not a duration (e.g. 15s, 1m, 1h30m)'),
      invalid(JOB, "scrape_timeout", '"soon" is not a duration (e.g. 15s, 1m, 1h30m)'),
    ]);
  });

  it("rejects a zero job interval", () => {
    expect(validatePrometheusConfig(withJob({ scrapeInterval: "0s" }))).toEqual([invalid(JOB, "scrape_interval", "must be greater than 0")]);
  });

  it("checks a job's timeout against the job's own interval when it sets one", () => {
    expect(validatePrometheusConfig(withJob({ scrapeInterval: "10s", scrapeTimeout: "12s" }))).toEqual([invalid(JOB, "scrape_timeout", "12s exceeds scrape_interval 10s")]);
    expect(validatePrometheusConfig(withJob({ scrapeInterval: "10s", scrapeTimeout: "10s" }))).toEqual([]);
    expect(validatePrometheusConfig(withJob({ scrapeInterval: "1m", scrapeTimeout: "20s" }))).toEqual([]);
  });

  it("checks a job's timeout against the global interval when the job sets none", () => {
    expect(validatePrometheusConfig(withJob({ scrapeTimeout: "20s" }))).toEqual([invalid(JOB, "scrape_timeout", "20s exceeds scrape_interval 15s")]);
    expect(validatePrometheusConfig(withJob({ scrapeTimeout: "15s" }))).toEqual([]);
  });

  it("accepts an absolute metrics path and rejects a relative one", () => {
    expect(validatePrometheusConfig(withJob({ metricsPath: "/metrics" }))).toEqual([]);
    expect(validatePrometheusConfig(withJob({ metricsPath: "metrics/" }))).toEqual([invalid(JOB, "metrics_path", '"metrics/" must start with /')]);
  });

  it("accepts every known fallback scrape protocol and rejects another, listing them", () => {
    for (const p of ["PrometheusProto", "OpenMetricsText1.0.0", "OpenMetricsText0.0.1", "PrometheusText1.0.0", "PrometheusText0.0.4"] as const) {
      expect(validatePrometheusConfig(withJob({ fallbackScrapeProtocol: p }))).toEqual([]);
    }
    expect(validatePrometheusConfig(withJob({ fallbackScrapeProtocol: "text/plain" as ScrapeProtocol }))).toEqual([
      invalid(JOB, "fallback_scrape_protocol", 'must be one of PrometheusProto, OpenMetricsText1.0.0, OpenMetricsText0.0.1, PrometheusText1.0.0, PrometheusText0.0.4, got "text/plain"'),
    ]);
  });

  it("accepts a whole sample limit ≥ 0", () => {
    expect(validatePrometheusConfig(withJob({ sampleLimit: 0 }))).toEqual([]);
    expect(validatePrometheusConfig(withJob({ sampleLimit: 5000 }))).toEqual([]);
  });

  it.each([-1, 1.5, -0.5])("rejects the sample limit %d", (sampleLimit) => {
    expect(validatePrometheusConfig(withJob({ sampleLimit }))).toEqual([invalid(JOB, "sample_limit", "must be a whole number ≥ 0")]);
  });

  it("warns about a job without targets: no groups, or only empty groups", () => {
    const noTargets = warning("prometheus/job-no-targets", JOB, "static_configs", "has no targets");
    expect(validatePrometheusConfig(withJob({ staticConfigs: undefined }))).toEqual([noTargets]);
    expect(validatePrometheusConfig(withJob({ staticConfigs: [] }))).toEqual([noTargets]);
    expect(validatePrometheusConfig(withJob({ staticConfigs: [{ targets: [] }, { targets: [] }] }))).toEqual([noTargets]);
  });

  it("does not warn about targets when one group has some or the job uses service discovery", () => {
    expect(validatePrometheusConfig(withJob({ staticConfigs: [{ targets: [] }, { targets: ["api:3000"] }] }))).toEqual([]);
    expect(validatePrometheusConfig(withJob({ staticConfigs: [{ targets: ["api:3000"] }, { targets: [] }] }))).toEqual([]);
    expect(validatePrometheusConfig(withSd({ role: "pod" }))).toEqual([]);
  });

  it("warns about a static target that is not host:port, in the group that holds it", () => {
    expect(validatePrometheusConfig(withJob({ staticConfigs: [{ targets: ["api:3000"] }, { targets: ["api:3000", "http://api:3000"] }] }))).toEqual([
      warning("prometheus/target-address", JOB, "static_configs[1].targets", '"http://api:3000" is not host:port'),
    ]);
  });

  it("rejects an empty or blank static target as invalid, not as a bad address", () => {
    expect(validatePrometheusConfig(withJob({ staticConfigs: [{ targets: ["", "  "] }] }))).toEqual([
      invalid(JOB, "static_configs[0].targets", '"" is not host:port'),
      invalid(JOB, "static_configs[0].targets", '"  " is not host:port'),
    ]);
  });

  it("lets a job that rewrites __address__ (blackbox probes) list URLs as targets, but not blank ones", () => {
    const probe = (targets: string[]) =>
      withJob({
        metricsPath: "/probe",
        staticConfigs: [{ targets }],
        relabelConfigs: [
          { sourceLabels: ["__address__"], targetLabel: "__param_target" },
          { targetLabel: "__address__", replacement: "blackbox:9115" },
        ],
      });
    expect(validatePrometheusConfig(probe(["https://example.com", "example.org"]))).toEqual([]);
    expect(validatePrometheusConfig(probe(["https://example.com", " ", ""]))).toEqual([
      invalid(JOB, "static_configs[0].targets", "has an empty target"),
      invalid(JOB, "static_configs[0].targets", "has an empty target"),
    ]);
  });

  it("still checks target addresses of a job whose relabelling leaves __address__ alone", () => {
    const cfg = withJob({ staticConfigs: [{ targets: ["http://api:3000"] }], relabelConfigs: [{ sourceLabels: ["__address__"], targetLabel: "instance" }] });
    expect(validatePrometheusConfig(cfg)).toEqual([warning("prometheus/target-address", JOB, "static_configs[0].targets", '"http://api:3000" is not host:port')]);
  });

  it("warns about a target label value with a line break, naming the group and label", () => {
    expect(validatePrometheusConfig(withJob({ staticConfigs: [{ targets: ["api:3000"], labels: { team: "backend", note: "line one\nline two" } }] }))).toEqual([
      warning("labels/value-multiline", JOB, "static_configs[0].labels.note", 'contains a line break ("line one\\nline two"): label values are one line'),
    ]);
  });

  it("turns the target-address finding into an error or drops it as the lint levels say", () => {
    const cfg = withJob({ staticConfigs: [{ targets: ["api"] }, { targets: [""] }] });
    const badAddress = (level: "error" | "warning"): ValidationIssue => ({
      severity: level,
      item: JOB,
      field: "static_configs[0].targets",
      message: '"api" is not host:port',
      rule: "prometheus/target-address",
    });
    const empty = invalid(JOB, "static_configs[1].targets", '"" is not host:port');
    expect(validatePrometheusConfig(cfg)).toEqual([badAddress("warning"), empty]);
    expect(validatePrometheusConfig(cfg, { levels: { "prometheus/target-address": "error" } })).toEqual([badAddress("error"), empty]);
    expect(validatePrometheusConfig(cfg, { levels: { "prometheus/target-address": "off" } })).toEqual([empty]);
  });
});

describe("validatePrometheusConfig: relabelling", () => {
  it("accepts valid and reserved source labels", () => {
    expect(validatePrometheusConfig(withRelabel({ sourceLabels: ["__address__", "job", "__meta_kubernetes_pod_name"], targetLabel: "instance" }))).toEqual([]);
  });

  it("rejects each invalid source label, naming the rule's index", () => {
    expect(validatePrometheusConfig(withRelabel({ targetLabel: "a", sourceLabels: ["job"] }, { sourceLabels: ["ok", "bad-label", "9lives"], targetLabel: "x" }))).toEqual([
      invalid(JOB, "relabel_configs[1].source_labels", '"bad-label" is not a valid label name'),
      invalid(JOB, "relabel_configs[1].source_labels", '"9lives" is not a valid label name'),
    ]);
  });

  it("rejects a regex RE2 refuses, but not one it reads differently from JavaScript", () => {
    expect(validatePrometheusConfig(withRelabel({ sourceLabels: ["a"], regex: "(", targetLabel: "b" }))).toMatchObject([
      { severity: "error", item: JOB, field: "relabel_configs[0].regex", rule: "prometheus/invalid" },
    ]);
    expect(validatePrometheusConfig(withRelabel({ sourceLabels: ["a"], regex: "\\Qa.b\\E", targetLabel: "b" }))).toEqual([]);
    expect(validatePrometheusConfig(withRelabel({ sourceLabels: ["a"], regex: "(?i)prod|staging", action: "keep" }))).toEqual([]);
  });

  it.each(["replace", "hashmod", "lowercase", "uppercase"] as const)("requires a target label for action %s", (action) => {
    const issues = validatePrometheusConfig(withRelabel({ sourceLabels: ["a"], action, modulus: 2 }));
    expect(issues).toEqual([invalid(JOB, "relabel_configs[0].target_label", `is required for action ${action}`)]);
  });

  it("requires a target label for the default action (replace)", () => {
    expect(validatePrometheusConfig(withRelabel({ sourceLabels: ["a"] }))).toEqual([invalid(JOB, "relabel_configs[0].target_label", "is required for action replace")]);
  });

  it.each(["keep", "drop", "labelmap", "labeldrop", "labelkeep", "keepequal", "dropequal"] as const)("needs no target label for action %s", (action) => {
    expect(validatePrometheusConfig(withRelabel({ sourceLabels: ["a"], regex: "x", action }))).toEqual([]);
  });

  it("accepts the actions that need a target label when they have one", () => {
    expect(
      validatePrometheusConfig(
        withRelabel(
          { sourceLabels: ["a"], targetLabel: "b" },
          { sourceLabels: ["a"], targetLabel: "b", action: "replace" },
          { sourceLabels: ["a"], targetLabel: "b", action: "lowercase" },
          { sourceLabels: ["a"], targetLabel: "B", action: "uppercase" },
          { sourceLabels: ["__address__"], targetLabel: "__tmp_hash", action: "hashmod", modulus: 4 },
        ),
      ),
    ).toEqual([]);
  });

  it("requires a positive modulus for hashmod only", () => {
    const hashmod = (modulus: number | undefined): RelabelConfig => ({ sourceLabels: ["__address__"], targetLabel: "__tmp_hash", action: "hashmod", ...(modulus === undefined ? {} : { modulus }) });
    const mustBePositive = invalid(JOB, "relabel_configs[0].modulus", "must be > 0 for action hashmod");
    expect(validatePrometheusConfig(withRelabel(hashmod(undefined)))).toEqual([mustBePositive]);
    expect(validatePrometheusConfig(withRelabel(hashmod(0)))).toEqual([mustBePositive]);
    expect(validatePrometheusConfig(withRelabel(hashmod(-3)))).toEqual([mustBePositive]);
    expect(validatePrometheusConfig(withRelabel(hashmod(1)))).toEqual([]);
    expect(validatePrometheusConfig(withRelabel({ sourceLabels: ["a"], targetLabel: "b", modulus: 0 }))).toEqual([]);
  });

  it("checks the target label name of actions other than replace", () => {
    for (const bad of ["bad-name", "1abc", "abc-", "a b"]) {
      expect(validatePrometheusConfig(withRelabel({ sourceLabels: ["a"], targetLabel: bad, action: "lowercase" }))).toEqual([
        invalid(JOB, "relabel_configs[0].target_label", `"${bad}" is not a valid label name`),
      ]);
    }
    for (const good of ["a", "abc", "_x9", "__tmp_hash"]) {
      expect(validatePrometheusConfig(withRelabel({ sourceLabels: ["a"], targetLabel: good, action: "uppercase" }))).toEqual([]);
    }
  });

  it("leaves a templated target label ($1) alone, and the replace action's target to Prometheus's templating", () => {
    expect(validatePrometheusConfig(withRelabel({ sourceLabels: ["a"], targetLabel: "tmp-$1", action: "hashmod", modulus: 2 }))).toEqual([]);
    expect(validatePrometheusConfig(withRelabel({ sourceLabels: ["a"], regex: "(.+)", targetLabel: "${1}_name" }))).toEqual([]);
  });

  it("names the list each relabel rule is in: metric, alert and write relabelling", () => {
    const bad: RelabelConfig = { sourceLabels: ["bad-label"], action: "drop" };
    expect(validatePrometheusConfig(withJob({ metricRelabelConfigs: [bad] }))).toEqual([invalid(JOB, "metric_relabel_configs[0].source_labels", '"bad-label" is not a valid label name')]);
    expect(validatePrometheusConfig({ ...base, alertRelabelConfigs: [bad] })).toEqual([
      invalid("alerting", "alert_relabel_configs[0].source_labels", '"bad-label" is not a valid label name'),
    ]);
    expect(validatePrometheusConfig(withRemoteWrite({ name: "vm", url: "http://vm:8428/api/v1/write", writeRelabelConfigs: [bad] }))).toEqual([
      invalid('remote_write "vm"', "write_relabel_configs[0].source_labels", '"bad-label" is not a valid label name'),
    ]);
  });
});

describe("validatePrometheusConfig: HTTP client settings", () => {
  it("accepts absolute credential and TLS file paths, and basic auth alone", () => {
    const cfg = withJob({
      basicAuth: { username: "u", passwordFile: "/etc/prometheus/secrets/pw" },
      tlsConfig: { caFile: "/etc/tls/ca.crt", certFile: "/etc/tls/tls.crt", keyFile: "/etc/tls/tls.key" },
    });
    expect(validatePrometheusConfig(cfg)).toEqual([]);
    expect(validatePrometheusConfig(withJob({ authorization: { credentialsFile: "/etc/prometheus/secrets/token" } }))).toEqual([]);
  });

  it("rejects basic auth combined with authorization", () => {
    const cfg = withJob({ basicAuth: { username: "u", passwordFile: "/pw" }, authorization: { credentialsFile: "/token" } });
    expect(validatePrometheusConfig(cfg)).toEqual([invalid(JOB, "authorization", "cannot be combined with basic_auth")]);
  });

  it("rejects each relative file path, naming its field", () => {
    const cfg = withJob({ basicAuth: { username: "u", passwordFile: "pw" }, tlsConfig: { caFile: "ca.crt", certFile: "certs/tls.crt/", keyFile: "tls.key" } });
    const mustBeAbsolute = (field: string, path: string) => invalid(JOB, field, `"${path}" must be an absolute path of a mounted file`);
    expect(validatePrometheusConfig(cfg)).toEqual([
      mustBeAbsolute("basic_auth.password_file", "pw"),
      mustBeAbsolute("tls_config.ca_file", "ca.crt"),
      mustBeAbsolute("tls_config.cert_file", "certs/tls.crt/"),
      mustBeAbsolute("tls_config.key_file", "tls.key"),
    ]);
    expect(validatePrometheusConfig(withJob({ authorization: { credentialsFile: "token" } }))).toEqual([mustBeAbsolute("authorization.credentials_file", "token")]);
  });
});

describe("validatePrometheusConfig: Kubernetes service discovery", () => {
  it.each<[KubernetesSdRole, KubernetesSdRole[]]>([
    ["node", ["node"]],
    ["pod", ["pod"]],
    ["service", ["service"]],
    ["ingress", ["ingress"]],
    ["endpoints", ["endpoints", "pod", "service"]],
    ["endpointslice", ["endpointslice", "pod", "service"]],
  ])("accepts role %s with selectors of roles %j", (role, selectorRoles) => {
    expect(validatePrometheusConfig(withSd({ role }))).toEqual([]);
    expect(validatePrometheusConfig(withSd({ role, selectors: selectorRoles.map((r) => ({ role: r, label: "app=x" })) }))).toEqual([]);
  });

  it("rejects an unknown role, listing the known ones", () => {
    expect(validatePrometheusConfig(withSd({ role: "pod" }, { role: "daemonset" as KubernetesSdRole }))).toEqual([
      invalid(JOB, "kubernetes_sd_configs[1].role", '"daemonset" is not one of node, pod, service, endpoints, endpointslice, ingress'),
    ]);
  });

  it("rejects a selector role the discovery role cannot select, listing the allowed ones", () => {
    expect(validatePrometheusConfig(withSd({ role: "pod", selectors: [{ role: "pod", label: "a=b" }, { role: "node", label: "a=b" }] }))).toEqual([
      invalid(JOB, "kubernetes_sd_configs[0].selectors[1].role", '"node" cannot select targets of role pod (allowed: pod)'),
    ]);
    expect(validatePrometheusConfig(withSd({ role: "endpointslice", selectors: [{ role: "ingress", field: "metadata.name=x" }] }))).toEqual([
      invalid(JOB, "kubernetes_sd_configs[0].selectors[0].role", '"ingress" cannot select targets of role endpointslice (allowed: endpointslice, pod, service)'),
    ]);
  });

  it("requires a label or a field selector", () => {
    expect(validatePrometheusConfig(withSd({ role: "pod", selectors: [{ role: "pod", field: "spec.nodeName=n1" }, { role: "pod", label: "a" }, { role: "pod" }] }))).toEqual([
      invalid(JOB, "kubernetes_sd_configs[0].selectors[2]", "needs a label or field selector"),
    ]);
    expect(validatePrometheusConfig(withSd({ role: "pod", selectors: [{ role: "pod", label: "a", field: "b" }] }))).toEqual([]);
  });

  it("accepts namespace names that are DNS-1123 labels of up to 63 characters", () => {
    const names = ["a", "ab", "a-b", "monitoring", "kube-system", "0", "a1-2b", "x".repeat(63)];
    expect(validatePrometheusConfig(withSd({ role: "pod", namespaces: { names } }))).toEqual([]);
  });

  it.each(["-a", "a-", "Default", "my_ns", "a.b", "", "x".repeat(64)])("rejects the namespace name %j", (n) => {
    expect(validatePrometheusConfig(withSd({ role: "service" }, { role: "pod", namespaces: { names: ["ok", n] } }))).toEqual([
      invalid(JOB, "kubernetes_sd_configs[1].namespaces.names", `"${n}" is not a namespace name (DNS-1123 label)`),
    ]);
  });
});

describe("validatePrometheusConfig: alerting", () => {
  it("rejects an Alertmanager entry without targets", () => {
    expect(validatePrometheusConfig({ ...base, alertmanagers: [{ targets: ["am:9093"] }, { targets: [] }] })).toEqual([
      invalid("alerting.alertmanagers[1]", "targets", "has no targets"),
    ]);
  });

  it("rejects each Alertmanager target that is not host:port, and a bad timeout", () => {
    expect(validatePrometheusConfig({ ...base, alertmanagers: [{ targets: ["am:9093", "am", "am:0"], timeout: "10" }] })).toEqual([
      invalid("alerting.alertmanagers[0]", "targets", '"am" is not host:port'),
      invalid("alerting.alertmanagers[0]", "targets", '"am:0" has port 0 outside 1-65535'),
      invalid("alerting.alertmanagers[0]", "timeout", '"10" is not a duration (e.g. 15s, 1m, 1h30m)'),
    ]);
    expect(validatePrometheusConfig({ ...base, alertmanagers: [{ targets: ["am:9093"], timeout: "10s" }] })).toEqual([]);
  });
});

describe("validatePrometheusConfig: remote write", () => {
  const vm: RemoteWrite = { name: "vm", url: "http://vm:8428/api/v1/write" };

  it("accepts a plain remote write with sane queue settings", () => {
    expect(validatePrometheusConfig(withRemoteWrite({ ...vm, remoteTimeout: "30s", queueConfig: { minShards: 2, maxShards: 2, batchSendDeadline: "5s" } }))).toEqual([]);
    expect(validatePrometheusConfig(withRemoteWrite({ ...vm, queueConfig: { minShards: 1, maxShards: 10 } }))).toEqual([]);
    expect(validatePrometheusConfig(withRemoteWrite({ ...vm, queueConfig: { minShards: 50 } }))).toEqual([]);
  });

  it("rejects duplicate names once per name", () => {
    expect(validatePrometheusConfig(withRemoteWrite(vm, { ...vm, url: "http://vm2:8428/api/v1/write" }, vm))).toEqual([
      invalid('remote_write "vm"', "name", "is defined more than once"),
    ]);
  });

  it("rejects a URL that is not http(s)", () => {
    expect(validatePrometheusConfig(withRemoteWrite({ ...vm, url: "ftp://vm/write" }))).toEqual([invalid('remote_write "vm"', "url", '"ftp://vm/write" is not an http(s) URL')]);
  });

  it("rejects a credential in the URL (an error for stacks, a warning for lint)", () => {
    const cfg = withRemoteWrite({ ...vm, url: "https://user:s3cretpw@mimir.example.com/api/v1/push" });
    const message = "looks like a URL with a password in it: pass the credential as username/password (a secret, mounted as a file) and keep the URL plain";
    expect(validatePrometheusConfig(cfg)).toEqual([{ severity: "error", item: 'remote_write "vm"', field: "url", message, rule: "prometheus/secret-inline" }]);
    expect(validatePrometheusConfig(cfg, { profile: "lint" })).toEqual([warning("prometheus/secret-inline", 'remote_write "vm"', "url", message)]);
  });

  it("names the remote-write duration field that is bad", () => {
    expect(validatePrometheusConfig(withRemoteWrite({ ...vm, remoteTimeout: "30", queueConfig: { batchSendDeadline: "5" } }))).toEqual([
      invalid('remote_write "vm"', "remote_timeout", '"30" is not a duration (e.g. 15s, 1m, 1h30m)'),
      invalid('remote_write "vm"', "queue_config.batch_send_deadline", '"5" is not a duration (e.g. 15s, 1m, 1h30m)'),
    ]);
  });

  it("rejects min_shards over max_shards", () => {
    expect(validatePrometheusConfig(withRemoteWrite({ ...vm, queueConfig: { minShards: 5, maxShards: 2 } }))).toEqual([
      invalid('remote_write "vm"', "queue_config.min_shards", "5 exceeds max_shards 2"),
    ]);
  });

  it("checks the remote write's HTTP client settings", () => {
    expect(validatePrometheusConfig(withRemoteWrite({ ...vm, basicAuth: { username: "u", passwordFile: "pw" }, authorization: { credentialsFile: "/t" } }))).toEqual([
      invalid('remote_write "vm"', "authorization", "cannot be combined with basic_auth"),
      invalid('remote_write "vm"', "basic_auth.password_file", '"pw" must be an absolute path of a mounted file'),
    ]);
  });
});

describe("validateStorage", () => {
  it.each(["1B", "512KB", "100MB", "10GB", "2TB", "1PB", "1EB", "1024GB"])("accepts the size %s", (retentionSize) => {
    expect(validateStorage({ retentionTime: "15d", retentionSize })).toEqual([]);
  });

  it("accepts a retention time alone", () => {
    expect(validateStorage({ retentionTime: "30d" })).toEqual([]);
  });

  it.each(["10G", "GB", "x10GB", "10GBx", "10 GB", "10gb", "-1GB", "1.5GB", ""])("rejects the size %j", (retentionSize) => {
    expect(validateStorage({ retentionTime: "15d", retentionSize })).toEqual([
      { severity: "error", item: "storage", field: "retention_size", message: `"${retentionSize}" is not a size like 10GB (units B KB MB GB TB PB EB)` },
    ]);
  });

  it.each(["0GB", "00GB", "0B"])("rejects the zero size %s", (retentionSize) => {
    expect(validateStorage({ retentionTime: "15d", retentionSize })).toEqual([{ severity: "error", item: "storage", field: "retention_size", message: "must be greater than 0" }]);
  });

  it("accepts a size with a zero in it that is not zero", () => {
    expect(validateStorage({ retentionTime: "15d", retentionSize: "10MB" })).toEqual([]);
    expect(validateStorage({ retentionTime: "15d", retentionSize: "01GB" })).toEqual([]);
  });

  it("rejects a zero or malformed retention time", () => {
    expect(validateStorage({ retentionTime: "0s" })).toEqual([{ severity: "error", item: "storage", field: "retention_time", message: "must be greater than 0" }]);
    expect(validateStorage({ retentionTime: "forever" })).toEqual([
      { severity: "error", item: "storage", field: "retention_time", message: '"forever" is not a duration (e.g. 15s, 1m, 1h30m)' },
    ]);
  });
});

describe("renderPrometheusConfig: parts the main suite leaves out", () => {
  const minimal: PrometheusConfig = { global: { scrapeInterval: "15s", evaluationInterval: "15s" }, ruleFiles: [], scrapeJobs: [], alertmanagers: [] };

  it("leaves out alerting without Alertmanagers, and empty relabel lists", () => {
    const text = renderPrometheusConfig({ ...minimal, alertRelabelConfigs: [{ sourceLabels: ["a"], action: "drop" }], scrapeJobs: [{ name: "api", relabelConfigs: [], metricRelabelConfigs: [] }] });
    expect(text).not.toContain("alerting");
    expect(text).not.toContain("relabel_configs");
    expect(text).toContain("scrape_configs:\n  - job_name: api\n");
  });

  it("renders alert relabelling and Alertmanager scheme, path prefix and timeout", () => {
    const text = renderPrometheusConfig({
      ...minimal,
      alertRelabelConfigs: [{ sourceLabels: ["replica"], regex: ".+", action: "labeldrop" }],
      alertmanagers: [{ targets: ["am:9093"], scheme: "https", pathPrefix: "/am", timeout: "10s" }],
    });
    expect(text).toContain(
      "alerting:\n  alert_relabel_configs:\n    - source_labels:\n        - replica\n      regex: .+\n      action: labeldrop\n  alertmanagers:\n    - scheme: https\n      path_prefix: /am\n      timeout: 10s\n      api_version: v2\n",
    );
  });

  it("renders authorization and every TLS setting", () => {
    const text = renderPrometheusConfig({
      ...minimal,
      scrapeJobs: [
        {
          name: "k",
          scheme: "https",
          authorization: { type: "Bearer", credentialsFile: "/token" },
          tlsConfig: { caFile: "/ca", certFile: "/crt", keyFile: "/key", serverName: "api", insecureSkipVerify: false },
        },
      ],
    });
    expect(text).toContain(
      "    scheme: https\n    authorization:\n      type: Bearer\n      credentials_file: /token\n    tls_config:\n      ca_file: /ca\n      cert_file: /crt\n      key_file: /key\n      server_name: api\n      insecure_skip_verify: false\n",
    );
  });

  it("renders Kubernetes discovery with namespaces and selectors, and leaves out empty ones", () => {
    const job = (kubernetesSdConfigs: KubernetesSdConfig[]): PrometheusConfig => ({ ...minimal, scrapeJobs: [{ name: "k", kubernetesSdConfigs }] });
    expect(renderPrometheusConfig(job([{ role: "pod", namespaces: { names: ["a", "b"] }, selectors: [{ role: "pod", label: "app=x", field: "spec.nodeName=n" }] }]))).toContain(
      "    kubernetes_sd_configs:\n      - role: pod\n        namespaces:\n          names:\n            - a\n            - b\n        selectors:\n          - role: pod\n            label: app=x\n            field: spec.nodeName=n\n",
    );
    expect(renderPrometheusConfig(job([{ role: "node", namespaces: { own: true } }]))).toContain("      - role: node\n        namespaces:\n          own_namespace: true\n");
    expect(renderPrometheusConfig(job([{ role: "node", namespaces: { names: [] }, selectors: [] }]))).toContain("    kubernetes_sd_configs:\n      - role: node\n");
    expect(renderPrometheusConfig(job([{ role: "node", namespaces: { names: [] }, selectors: [] }]))).not.toMatch(/namespaces|selectors/);
    expect(renderPrometheusConfig(job([{ role: "node", namespaces: { own: false } }]))).not.toContain("namespaces");
    expect(renderPrometheusConfig(job([]))).not.toContain("kubernetes_sd_configs");
  });

  it("renders params sorted by name", () => {
    const text = renderPrometheusConfig({ ...minimal, scrapeJobs: [{ name: "bb", params: { target: ["x"], module: ["http_2xx", "icmp"] } }] });
    expect(text).toContain("    params:\n      module:\n        - http_2xx\n        - icmp\n      target:\n        - x\n");
  });
});

describe("prometheusFlags", () => {
  it("renders the required flags in order", () => {
    expect(prometheusFlags({ configFile: "/etc/prometheus/prometheus.yml", dataDir: "/prometheus", retentionTime: "15d", listenPort: 9090 })).toEqual([
      "--config.file=/etc/prometheus/prometheus.yml",
      "--storage.tsdb.path=/prometheus",
      "--storage.tsdb.retention.time=15d",
      "--web.listen-address=:9090",
      "--web.enable-lifecycle",
    ]);
  });

  it("adds the retention size, external URL and receivers when asked", () => {
    expect(
      prometheusFlags({
        configFile: "/c.yml",
        dataDir: "/d",
        retentionTime: "30d",
        retentionSize: "10GB",
        listenPort: 9091,
        externalUrl: "https://prom.example.com/",
        otlpReceiver: true,
        remoteWriteReceiver: true,
      }),
    ).toEqual([
      "--config.file=/c.yml",
      "--storage.tsdb.path=/d",
      "--storage.tsdb.retention.time=30d",
      "--storage.tsdb.retention.size=10GB",
      "--web.listen-address=:9091",
      "--web.enable-lifecycle",
      "--web.external-url=https://prom.example.com/",
      "--web.enable-otlp-receiver",
      "--web.enable-remote-write-receiver",
    ]);
  });

  it("leaves the receivers off when they are false", () => {
    expect(prometheusFlags({ configFile: "/c", dataDir: "/d", retentionTime: "1d", listenPort: 1, otlpReceiver: false, remoteWriteReceiver: false })).toEqual([
      "--config.file=/c",
      "--storage.tsdb.path=/d",
      "--storage.tsdb.retention.time=1d",
      "--web.listen-address=:1",
      "--web.enable-lifecycle",
    ]);
  });
});
