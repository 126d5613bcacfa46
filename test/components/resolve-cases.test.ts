/**
 * The resolvers' edges the mutation baseline of components:stack found untested, each resolved inside its own test
 * (per-test coverage credits nothing run in a hook): the TSDB volume against the retention size (error, warning,
 * enough), scrape secret names and their mount order, HA replicas' external label and alert relabeling, remote-write
 * names and credentials, Alertmanager secrets given and referenced, the datasources Grafana's panels may read, image
 * tags, the config hash's extra inputs and the component report listeners.
 */
import { describe, expect, it } from "vitest";
import { resolveAlertRouting } from "../../components/alert-routing";
import { resolveGrafana, type GrafanaArgs } from "../../components/grafana";
import { configHash } from "../../components/hash";
import { imageTag } from "../../components/images";
import { PROMETHEUS_REPLICA_ENV, prometheusVolumeGb, resolvePrometheusStack, type PrometheusStackArgs } from "../../components/prometheus-stack";
import { onComponent, reportComponent, type ComponentReport } from "../../components/report";
import { RECORDING_RULES } from "../../core/conventions";
import { buildDashboards } from "../../dashboards";

const platform = { kind: "docker" as const, namePrefix: "t", network: "t-net" };
const args = (over: Partial<PrometheusStackArgs> = {}): PrometheusStackArgs => ({ platform, scrapeJobs: [{ name: "api", staticConfigs: [{ targets: ["api:3000"] }] }], ...over });
const thrown = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return "(nothing thrown)";
};

describe("the TSDB volume against storage.retentionSize", () => {
  it.each([
    [undefined, 20],
    ["10GB", 12],
    ["1B", 1],
    ["512MB", 1],
    ["100GB", 120],
    ["1TB", 1229],
    ["10XB", 20],
    ["10 GB", 20],
  ])("prometheusVolumeGb(%j) is %i GiB (retention + 20%, at least 1; 20 when unbounded)", (size, gb) => {
    expect(prometheusVolumeGb(size)).toBe(gb);
  });

  it("a volume smaller than the retention size is an error naming both and the size to use", () => {
    expect(thrown(() => resolvePrometheusStack(args({ storage: { retentionTime: "30d", retentionSize: "10GB" }, storageSizeGb: 9 })))).toContain(
      "PrometheusStack: storageSizeGb 9 GiB is smaller than storage.retentionSize 10GB: the disk fills before size-based retention deletes a block; use at least 12 GiB (retention size + 20% for the WAL and compaction)",
    );
  });

  it.each([10, 10.5])("a volume of %s GiB for 10GB of retention is a warning (under 10% left for the WAL)", (sizeGb) => {
    const r = resolvePrometheusStack(args({ storage: { retentionTime: "30d", retentionSize: "10GB" }, storageSizeGb: sizeGb }));
    expect(r.warnings.map((w) => [w.item, w.field, w.message, w.severity])).toEqual([
      ["PrometheusStack", "storageSizeGb", `${sizeGb} GiB leaves under 10% above storage.retentionSize 10GB for the WAL and compaction; use at least 12 GiB (retention size + 20% for the WAL and compaction)`, "warning"],
    ]);
    expect(r.spec.volumes).toEqual([{ name: "data", mountPath: "/prometheus", sizeGb }]);
  });

  it.each([
    ["12 GiB for 10GB", { retentionTime: "30d", retentionSize: "10GB" }, 12],
    ["any size without a retention size", { retentionTime: "30d" }, 1],
  ])("no finding: %s", (_n, storage, sizeGb) => {
    expect(resolvePrometheusStack(args({ storage, storageSizeGb: sizeGb })).warnings.filter((w) => w.field === "storageSizeGb")).toEqual([]);
  });

  it("without storageSizeGb the volume is sized from the retention size", () => {
    expect(resolvePrometheusStack(args({ storage: { retentionTime: "30d", retentionSize: "100GB" } })).spec.volumes[0]?.sizeGb).toBe(120);
    expect(resolvePrometheusStack(args()).spec.volumes[0]?.sizeGb).toBe(20);
  });
});

describe("scrape secrets", () => {
  it.each(["Bad_Name", "-x", "remote-write-x", ""])("%j is refused, naming it", (name) => {
    expect(thrown(() => resolvePrometheusStack(args({ scrapeSecrets: { [name]: "v" } })))).toContain(
      `scrape secret "${name}": name must be lowercase letters, digits and - (and not start with remote-write-)`,
    );
  });

  it("are mounted as secret files in name order, after the remote-write credentials", () => {
    const r = resolvePrometheusStack(args({ scrapeSecrets: { zeta: "z", alpha: "a", "m-1": "m" }, remoteWrite: [{ name: "vm", url: "https://vm/api/v1/write", password: "pw" }] }));
    expect(r.spec.files.filter((f) => f.secret).map((f) => [f.path, f.content])).toEqual([
      ["/etc/prometheus/secrets/remote-write-vm", "pw"],
      ["/etc/prometheus/secrets/alpha", "a"],
      ["/etc/prometheus/secrets/m-1", "m"],
      ["/etc/prometheus/secrets/zeta", "z"],
    ]);
  });
});

describe("HA replicas", () => {
  it("more than one: each replica labels its series and alerts drop the label (one alert in Alertmanager, not two)", () => {
    const r = resolvePrometheusStack(args({ replicas: 2, global: { externalLabels: { cluster: "c" } } }));
    expect(r.config.global.externalLabels).toEqual({ cluster: "c", replica: `\${${PROMETHEUS_REPLICA_ENV}}` });
    expect(r.config.alertRelabelConfigs).toEqual([{ regex: "replica", action: "labeldrop" }]);
    expect(r.files[0]?.content).toContain("external_labels:\n    cluster: c\n    replica: ${PROMETHEUS_REPLICA}\n");
  });

  it("one: no replica label, no alert relabeling, no external labels unless given", () => {
    const one = resolvePrometheusStack(args({ replicas: 1 }));
    expect(one.config.global.externalLabels).toBeUndefined();
    expect(one.config.alertRelabelConfigs).toBeUndefined();
    expect(resolvePrometheusStack(args({ global: { externalLabels: { cluster: "c" } } })).config.global.externalLabels).toEqual({ cluster: "c" });
  });

  it.each([0, 1.5, -1])("replicas %s is refused", (replicas) => {
    expect(thrown(() => resolvePrometheusStack(args({ replicas })))).toContain("PrometheusStack: replicas must be a whole number ≥ 1");
  });

  it("a replica external label of one's own is refused with replicas, allowed without", () => {
    expect(thrown(() => resolvePrometheusStack(args({ replicas: 2, global: { externalLabels: { replica: "a" } } })))).toContain("global: external_labels.replica is set by the stack for HA replicas; remove it");
    expect(resolvePrometheusStack(args({ global: { externalLabels: { replica: "a" } } })).config.global.externalLabels).toEqual({ replica: "a" });
  });
});

describe("remote write", () => {
  it.each(["VM", "vm_1", "vm.x"])("a name like %j is refused", (name) => {
    expect(thrown(() => resolvePrometheusStack(args({ remoteWrite: [{ name, url: "https://vm/api/v1/write" }] })))).toContain(`remote_write "${name}": name must be lowercase letters, digits and -`);
  });

  it("a password alone is a bearer credentials file; none is no auth and no secret file", () => {
    const r = resolvePrometheusStack(args({ remoteWrite: [{ name: "a", url: "https://a/api/v1/write", password: "t" }, { name: "b", url: "https://b/api/v1/write" }] }));
    expect(r.config.remoteWrite).toEqual([
      { name: "a", url: "https://a/api/v1/write", authorization: { credentialsFile: "/etc/prometheus/secrets/remote-write-a" } },
      { name: "b", url: "https://b/api/v1/write" },
    ]);
    expect(r.spec.files.filter((f) => f.secret).map((f) => f.path)).toEqual(["/etc/prometheus/secrets/remote-write-a"]);
  });
});

describe("AlertRouting's secrets", () => {
  const config = {
    route: { receiver: "slack", groupBy: ["alertname"] },
    receivers: [{ name: "slack", slack: [{ apiUrl: { secret: "slack-url" }, channel: "#a" }] }],
  };
  it("a referenced secret without a value is refused, naming it", () => {
    expect(thrown(() => resolveAlertRouting({ platform, config, severities: [], secrets: {} }))).toContain('secret "slack-url" is referenced by the routing config but no value was given');
  });
  it("a value no receiver references is a warning, naming it", () => {
    const r = resolveAlertRouting({ platform, config, severities: [], secrets: { "slack-url": "https://hooks.slack.com/x", spare: "s" } });
    expect(r.warnings.map((w) => [w.item, w.message, w.severity])).toContainEqual(['secret "spare"', "is given but no receiver references it", "warning"]);
    expect(r.warnings.some((w) => w.item === 'secret "slack-url"')).toBe(false);
  });
});

describe("small helpers", () => {
  it.each([
    ["prom/prometheus:v3.16.0", "v3.16.0"],
    ["registry:5000/x/y:1.2", "1.2"],
    ["busybox", ""],
    [":x", "x"],
  ])("imageTag(%j) is %j", (image, tag) => {
    expect(imageTag(image)).toBe(tag);
  });

  it("configHash depends on paths, contents and extra inputs, not on file order", () => {
    const a = { path: "a.yml", content: "x" };
    const b = { path: "b.yml", content: "y" };
    expect(configHash([a, b])).toBe(configHash([b, a]));
    expect(configHash([a, b])).toMatch(/^[0-9a-f]{16}$/);
    expect(configHash([a, b], [])).toBe(configHash([a, b]));
    expect(configHash([a, b], ["v2"])).not.toBe(configHash([a, b]));
    expect(configHash([a])).not.toBe(configHash([{ ...a, content: "z" }]));
    expect(configHash([a])).not.toBe(configHash([{ ...a, path: "c.yml" }]));
  });

  it("onComponent listens until its returned function is called", () => {
    const seen: string[] = [];
    const stop = onComponent((r) => seen.push(r.name));
    const report = (name: string) => reportComponent({ type: "moncode:test", name, files: [], warnings: [] } satisfies ComponentReport);
    report("one");
    stop();
    report("two");
    expect(seen).toEqual(["one"]);
  });
});

describe("Grafana's provisioned datasources decide which panels may read what", () => {
  const grafana = (over: Partial<GrafanaArgs>) =>
    resolveGrafana({ platform, dashboards: buildDashboards({ include: { logs: true, traces: true, customerSuccess: false, onboarding: false } }), prometheusUrl: "http://prometheus:9090", alertmanagerUrl: "http://alertmanager:9093", recordingRules: Object.values(RECORDING_RULES), adminPassword: "pw", secretKey: "sk", ...over });

  const unknown = (provisioned: string) =>
    `dashboard "moncode-logs" > panel "Log lines by level" (id 2): datasource refers to datasource "loki", which is neither "\${datasource}" nor provisioned (${provisioned}) [dashboard/datasource-unknown]`;

  it("Logs panels without Loki provisioned are refused, naming the panel and what is provisioned", () => {
    expect(thrown(() => grafana({}))).toContain(unknown("prometheus, alertmanager"));
    expect(thrown(() => grafana({ jaegerUrl: "http://jaeger:16686" }))).toContain(unknown("prometheus, alertmanager, jaeger"));
  });

  it("with lokiUrl they load", () => {
    expect(grafana({ lokiUrl: "http://loki:3100" }).files.some((f) => f.path.endsWith("datasources.yml"))).toBe(true);
    expect(grafana({ lokiUrl: "http://loki:3100", jaegerUrl: "http://jaeger:16686" }).files.some((f) => f.path.endsWith("datasources.yml"))).toBe(true);
  });
});
