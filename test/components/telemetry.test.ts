/** Logs (Loki), Tracing (Jaeger) and Collector on both platforms: resolved specs, manifests and recorded inputs. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

import { Collector, resolveCollector } from "../../components/collector";
import { TELEMETRY_IMAGES } from "../../components/images";
import { Logs, resolveLogs } from "../../components/logs";
import { namespaceManifests } from "../../components/platform/kubernetes";
import { needsHostAccess, workloadManifests, workloadNamespace, type Manifest } from "../../components/platform/kubernetes-objects";
import { resolveTracing, Tracing } from "../../components/tracing";
import type { LogRulePack } from "../../core/logql";
import { ValidationError } from "../../core/validation";
import { validateKubernetesObject } from "../k8s/schema";
import { CONTAINER, VOLUME, byType, one, recordResources, upload, uploads } from "../helpers/pulumi";
import { tool } from "../helpers/tools";

const docker = { kind: "docker" as const, namePrefix: "t", network: "t-net", containerLogNames: true };
const kube = { kind: "kubernetes" as const, namespace: "monitoring", instance: "prod", createNamespace: false };
/** An existing namespace and an existing host namespace (Pod Security privileged) for host-access workloads. */
const kubeHost = { ...kube, hostNamespace: "monitoring-host" };
const packs: LogRulePack[] = [{
  name: "service-logs",
  groups: [{ name: "service-logs", rules: [{ alert: "ServicePanics", expr: 'sum by (service_name) (count_over_time({service_name=~".+"} |~ "panic" [5m])) > 0', severity: "critical", annotations: { summary: "{{ $labels.service_name }} panics", description: "panic lines in the last 5m" } }] }],
}];

type Pod = { securityContext: Record<string, unknown>; containers: { securityContext: Record<string, unknown>; volumeMounts: { mountPath: string; readOnly?: boolean }[]; livenessProbe: unknown }[]; volumes: Record<string, unknown>[] };
const pod = (ms: readonly Manifest[], kind: string): Pod => (ms.find((m) => m.kind === kind) as unknown as { spec: { template: { spec: Pod } } }).spec.template.spec;

describe("resolveLogs / resolveTracing / resolveCollector", () => {
  it("Logs renders loki.yaml and the ruler's files, notifying the stack's Alertmanager", () => {
    const r = resolveLogs({ platform: docker, alertmanagerUrls: ["http://alertmanager:9093"], rulePacks: packs });
    expect(r.files.map((f) => f.path)).toEqual(["loki/loki.yaml", "loki/rules/fake/service-logs.yml"]);
    expect(r.spec.files.map((f) => f.path)).toEqual(["/etc/loki/loki.yaml", "/etc/loki/rules/fake/service-logs.yml"]);
    expect(parse(r.files[0]!.content as string).ruler.alertmanager_url).toBe("http://alertmanager:9093");
    expect(r.spec).toMatchObject({ image: TELEMETRY_IMAGES.loki, user: "10001", kind: "stateful", args: ["-config.file=/etc/loki/loki.yaml"] });
    expect(r.spec.healthcheck).toMatchObject({ path: "/ready", port: 3100, command: ["/usr/bin/loki", "-health", "-health.url=http://localhost:3100/ready"] });
  });

  it("Logs refuses a bad log rule or retention before anything is declared, naming it", () => {
    const bad: LogRulePack[] = [{ name: "p", groups: [{ name: "g", rules: [{ alert: "LogOnly", expr: '{service_name="api"} |= "x"', severity: "warning", annotations: { summary: "s", description: "d" } }] }] }];
    expect(() => resolveLogs({ platform: docker, rulePacks: bad })).toThrow(/Logs: 1 error\(s\)[\s\S]*log rule group "g" > alert "LogOnly": expr is a log query/);
    expect(() => resolveLogs({ platform: docker, loki: { retention: "12h" } })).toThrow(/loki: retention 12h is shorter than the 24h index period/);
  });

  it("Logs reports its house-convention warnings (they are not errors) and turns them into errors when asked", () => {
    const odd: LogRulePack[] = [{ ...packs[0]!, name: "ServiceLogs" }];
    const r = resolveLogs({ platform: docker, rulePacks: odd });
    expect(r.warnings.map((i) => [i.rule, i.item])).toEqual([["rules/pack-name-kebab-case", 'log rule pack "ServiceLogs"']]);
    expect(() => resolveLogs({ platform: docker, rulePacks: odd, lint: { "rules/pack-name-kebab-case": "error" } })).toThrow(/Logs[\s\S]*log rule pack "ServiceLogs"[\s\S]*should be kebab-case/);
    expect(resolveLogs({ platform: docker, rulePacks: packs }).warnings).toEqual([]);
  });

  it("Tracing keeps spans in badger on a volume, memory only when asked", () => {
    const b = resolveTracing({ platform: docker });
    expect(b.spec.kind).toBe("stateful");
    // Docker: on the image's own VOLUME /tmp (a volume elsewhere is root's, and Jaeger's user 10001 cannot write it).
    expect(b.spec.volumes).toEqual([{ name: "data", mountPath: "/tmp", sizeGb: 10 }]);
    const backend = parse(b.files[0]!.content as string).extensions.jaeger_storage.backends.traces.badger;
    expect(backend.ttl.spans).toBe("168h");
    expect(backend.directories).toEqual({ keys: "/tmp/jaeger/keys", values: "/tmp/jaeger/values" });
    const k = resolveTracing({ platform: kube });
    expect(k.spec.volumes).toEqual([{ name: "data", mountPath: "/badger", sizeGb: 10 }]);
    expect(parse(k.files[0]!.content as string).extensions.jaeger_storage.backends.traces.badger.directories).toEqual({ keys: "/badger/keys", values: "/badger/values" });
    const m = resolveTracing({ platform: docker, storage: "memory" });
    expect(m.spec.volumes).toEqual([]);
    expect(m.spec.kind).toBe("stateless");
    expect(() => resolveTracing({ platform: docker, retention: "7d" })).toThrow(/Tracing[\s\S]*jaeger: storage.ttl "7d" is not a Go duration/);
  });

  it("Collector on Docker reads the engine's logs read-only as root without capabilities; on Kubernetes in the host namespace", () => {
    const d = resolveCollector({ platform: docker, lokiOtlpUrl: "http://loki:3100/otlp", jaegerOtlpGrpc: "jaeger:4317" });
    expect(d.spec.host).toEqual({ mounts: [{ hostPath: "/var/lib/docker/containers", containerPath: "/var/lib/docker/containers", readOnly: true, reason: "container log files, read-only" }], rootRead: true });
    expect(needsHostAccess(d.spec)).toBe(true);
    expect(parse(d.files[0]!.content as string).receivers["file_log/docker"]).toBeDefined();
    const k = resolveCollector({ platform: kubeHost, lokiOtlpUrl: "http://loki.monitoring.svc:3100/otlp" });
    expect(needsHostAccess(k.spec)).toBe(true);
    expect(workloadNamespace({ namespace: "monitoring", hostNamespace: "monitoring-host" }, k.spec)).toBe("monitoring-host");
    const cfg = parse(k.files[0]!.content as string);
    expect(cfg.receivers["file_log/kubernetes"].include).toEqual(["/var/log/pods/*/*/*.log"]);
    expect(cfg.receivers["file_log/kubernetes"].exclude).toEqual(["/var/log/pods/monitoring-host_otel-collector-*/*/*.log"]);
    // Traces only: no Loki to ship container logs to, so no log receiver and no host access.
    const traces = resolveCollector({ platform: kube, jaegerOtlpGrpc: "jaeger.monitoring.svc:4317" });
    expect(traces.spec.host).toBeUndefined();
    expect(Object.keys(parse(traces.files[0]!.content as string).receivers)).toEqual(["otlp"]);
    // Without container logs there is no host access: it runs in the stack's namespace.
    const plain = resolveCollector({ platform: kube, containerLogs: false, jaegerOtlpGrpc: "jaeger.monitoring.svc:4317" });
    expect(plain.spec.host).toBeUndefined();
    expect(workloadNamespace({ namespace: "monitoring", hostNamespace: "monitoring-host" }, plain.spec)).toBe("monitoring");
    // With an existing namespace and no host namespace, reading pod logs is refused by name before anything is declared.
    expect(() => resolveCollector({ platform: kube, lokiOtlpUrl: "http://loki.monitoring.svc:3100/otlp", jaegerOtlpGrpc: "jaeger.monitoring.svc:4317" })).toThrow(/Collector[\s\S]*containerLogs reading the nodes' pod logs .*"privileged" Pod Security level.*kubernetes\.hostNamespace/);
  });
});

describe("on Kubernetes (manifests, schema-validated)", () => {
  const naming = { namespace: "monitoring", instance: "prod" };
  it("Loki is a StatefulSet with a PVC, non-root, read-only root filesystem, probed on /ready", async () => {
    const ms = workloadManifests(naming, resolveLogs({ platform: kube, rulePacks: packs }).spec).manifests;
    expect(ms.map((m) => m.kind)).toEqual(["ConfigMap", "Service", "Service", "StatefulSet", "NetworkPolicy"]);
    const p = pod(ms, "StatefulSet");
    expect(p.containers[0]!.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
    expect(p.containers[0]!.livenessProbe).toMatchObject({ httpGet: { path: "/ready", port: 3100 } });
    expect((await Promise.all(ms.map((m) => validateKubernetesObject(m as never)))).flat()).toEqual([]);
  });

  it("the collector is a DaemonSet in the host namespace (PSA privileged), reading /var/log/pods read-only as non-root with group 0", async () => {
    const ms = workloadManifests({ ...naming, hostNamespace: "monitoring-host" }, resolveCollector({ platform: kubeHost, lokiOtlpUrl: "http://loki.monitoring.svc:3100/otlp" }).spec).manifests;
    expect(ms.map((m) => `${m.kind} ${m.metadata.namespace ?? "-"}`)).toEqual(["ConfigMap monitoring-host", "Service monitoring-host", "DaemonSet monitoring-host", "NetworkPolicy monitoring-host"]);
    expect(namespaceManifests({ kind: "kubernetes", namespace: "monitoring", instance: "prod" }, true).map((m) => [m.metadata.name, m.metadata.labels?.["pod-security.kubernetes.io/enforce"]])).toEqual([["monitoring", "restricted"], ["monitoring-host", "privileged"]]);
    const p = pod(ms, "DaemonSet");
    expect(p.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, supplementalGroups: [0] });
    expect(p.volumes).toContainEqual({ name: "host-0", hostPath: { path: "/var/log/pods", type: "Directory" } });
    expect(p.containers[0]!.volumeMounts).toContainEqual({ name: "host-0", mountPath: "/var/log/pods", readOnly: true });
    // Prometheus (in the stack's namespace) may scrape :8888; applications anywhere may send OTLP.
    const np = ms.find((m) => m.kind === "NetworkPolicy") as unknown as { spec: { ingress: { ports: { port: number }[]; from?: unknown[] }[] } };
    expect(np.spec.ingress.find((i) => i.ports[0]!.port === 4317)!.from).toBeUndefined();
    expect(np.spec.ingress.find((i) => i.ports[0]!.port === 8888)!.from).toEqual([{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } }, podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus", "app.kubernetes.io/instance": "prod" } } }]);
    expect((await Promise.all(ms.map((m) => validateKubernetesObject(m as never)))).flat()).toEqual([]);
  });
});

describe("on Docker (mocks)", () => {
  it("declares Loki, Jaeger and the collector hardened, with pinned images, limits, content-hash labels and no published ports", async () => {
    const { resources, result } = await recordResources(() => {
      const logs = new Logs("mon-logs", { platform: docker, rulePacks: packs, alertmanagerUrls: ["http://alertmanager:9093"] });
      const tracing = new Tracing("mon-tracing", { platform: docker });
      const collector = new Collector("mon-collector", { platform: docker, lokiOtlpUrl: logs.otlpUrl, jaegerOtlpGrpc: tracing.otlpGrpcAddress });
      return { logs, tracing, collector };
    });
    expect(result.logs.otlpUrl).toBe("http://loki:3100/otlp");
    expect(result.tracing.otlpGrpcAddress).toBe("jaeger:4317");
    expect(result.tracing.queryUrl).toBe("http://jaeger:16686");
    expect(result.collector.otlpHttpAddress).toBe("otel-collector:4318");
    expect([...result.logs.scrapeJobs, ...result.tracing.scrapeJobs, ...result.collector.scrapeJobs].map((j) => `${j.name} ${j.staticConfigs?.[0]?.targets.join()}`)).toEqual(["loki loki:3100", "jaeger jaeger:8888", "otel-collector otel-collector:8888"]);
    const containers = byType(resources, CONTAINER);
    expect(containers.map((c) => c.name).sort()).toEqual(["mon-collector-otel-collector", "mon-logs-loki", "mon-tracing-jaeger"]);
    for (const c of containers) {
      const i = c.rawInputs as Record<string, any>;
      expect(Object.values(TELEMETRY_IMAGES)).toContain(i.image);
      expect(i.memory).toBeGreaterThan(0);
      expect(i.capabilities).toEqual({ drops: ["ALL"] });
      expect(i.securityOpts).toEqual(["no-new-privileges:true"]);
      expect(i.ports).toEqual([]);
      expect(i.restart).toBe("unless-stopped");
      expect(i.logOpts).toEqual({ "max-size": "10m", "max-file": "3", tag: "{{.Name}}" });
      expect((i.labels as { label: string; value: string }[]).find((l) => l.label === "moncode.dev/config-hash")?.value).toMatch(/^[0-9a-f]{16}$/);
    }
    const loki = one(resources, CONTAINER, "mon-logs-loki").rawInputs as Record<string, any>;
    expect(loki.user).toBe("10001");
    expect(loki.healthcheck.tests).toEqual(["CMD", "/usr/bin/loki", "-health", "-health.url=http://localhost:3100/ready"]);
    expect(loki.wait).toBe(true);
    expect(uploads(one(resources, CONTAINER, "mon-logs-loki")).map((u) => u.file)).toEqual(["/etc/loki/loki.yaml", "/etc/loki/rules/fake/service-logs.yml"]);
    const jaeger = one(resources, CONTAINER, "mon-tracing-jaeger").rawInputs as Record<string, any>;
    expect(jaeger.healthcheck.tests).toEqual(["CMD", "wget", "-q", "--spider", "http://127.0.0.1:13133/status"]);
    expect(jaeger.volumes).toEqual([{ volumeName: "t-jaeger-data", containerPath: "/tmp" }]);
    const col = one(resources, CONTAINER, "mon-collector-otel-collector").rawInputs as Record<string, any>;
    expect(col.user).toBe("0");
    expect(col.healthcheck).toBeUndefined();
    expect(col.volumes).toContainEqual({ hostPath: "/var/lib/docker/containers", containerPath: "/var/lib/docker/containers", readOnly: true });
    expect(byType(resources, VOLUME).map((v) => v.name).sort()).toEqual(["mon-collector-otel-collector-state", "mon-logs-loki-data", "mon-tracing-jaeger-data"]);
  });

  it("mounts the engine's containers/ from the platform's data root at the path file_log reads, a config the built collector accepts", async () => {
    const { resources } = await recordResources(() => new Collector("c", { platform: { ...docker, dataRoot: "/srv/docker-data/" }, lokiOtlpUrl: "http://loki:3100/otlp" }));
    const col = one(resources, CONTAINER, "c-otel-collector");
    const mounts = (col.rawInputs as { volumes: { hostPath?: string }[] }).volumes.filter((v) => v.hostPath !== undefined);
    expect(mounts).toEqual([{ hostPath: "/srv/docker-data/containers", containerPath: "/var/lib/docker/containers", readOnly: true }]);
    const config = String(upload(col, "/etc/otelcol-contrib/config.yaml").content);
    expect(parse(config).receivers["file_log/docker"].include).toEqual(["/var/lib/docker/containers/*/*-json.log"]);
    const file = join(mkdtempSync(join(tmpdir(), "moncode-telemetry-")), "config.yaml");
    writeFileSync(file, config);
    // Throws (non-zero exit) on a config the collector refuses.
    execFileSync(tool("otelcol-contrib"), ["validate", `--config=${file}`], { stdio: ["ignore", "pipe", "pipe"] });
    rmSync(dirname(file), { recursive: true, force: true });
  });

  it("declares nothing when the collector's arguments are invalid, naming the field", async () => {
    expect(() => resolveCollector({ platform: { ...docker, dataRoot: "srv/docker" } })).toThrow(/Collector: platform.dataRoot "srv\/docker" must be an absolute path/);
    expect(() => resolveCollector({ platform: docker, jaegerOtlpGrpc: "http://jaeger:4317" })).toThrow(/Collector: jaegerOtlpGrpc "http:\/\/jaeger:4317" is not host:port/);
    expect(() => resolveCollector({ platform: docker, resources: { memoryMb: 0, cpus: 1 } })).toThrow(/Collector: resources memoryMb must be at least 64/);
    await expect(recordResources(() => new Collector("c", { platform: docker, lokiOtlpUrl: "loki:3100" }))).rejects.toThrow(ValidationError);
  });
});
