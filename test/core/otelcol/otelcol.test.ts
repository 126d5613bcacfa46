import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";

import { agentCollectorConfig, captureCollectorConfig, renderCollectorConfig, validateCollectorConfig, type CollectorConfig } from "../../../core/otelcol";
import { errorsOf, ValidationError } from "../../../core/validation";
import { freePort, httpOk, Programs, waitFor } from "../../e2e/harness/processes";
import { tool } from "../../helpers/tools";

const dir = mkdtempSync(join(tmpdir(), "moncode-otelcol-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `otelcol-contrib validate --config=…`: exit code and output of the built collector. */
function collectorValidate(name: string, text: string): { code: number; output: string } {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, text);
  try {
    const output = execFileSync(tool("otelcol-contrib"), ["validate", `--config=${file}`], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    return { code: 0, output };
  } catch (e) {
    const err = e as { status: number; stderr: string; stdout: string };
    return { code: err.status, output: `${err.stdout}${err.stderr}` };
  }
}

const agent = (platform: "docker" | "kubernetes", extra: Partial<Parameters<typeof agentCollectorConfig>[0]> = {}) =>
  agentCollectorConfig({ platform, lokiOtlpUrl: "http://loki:3100/otlp", jaegerOtlpGrpc: "jaeger:4317", prometheusOtlpUrl: "http://prometheus:9090/api/v1/otlp", memoryLimitMib: 200, storageDir: "/var/lib/otelcol", ...extra });

describe("collector configs the stack renders", () => {
  const configs: Record<string, CollectorConfig> = {
    "docker agent": agent("docker", { resourceAttributes: { "deployment.environment.name": "dev" } }),
    "kubernetes agent": agent("kubernetes", { excludeLogs: ["/var/log/pods/monitoring_otel-collector-*/*/*.log"] }),
    "agent without span metrics": agent("docker", { prometheusOtlpUrl: undefined }),
    "agent with nowhere to ship": agentCollectorConfig({ platform: "docker", memoryLimitMib: 100, storageDir: "/var/lib/otelcol", containerLogs: false }),
    "capture (Loki stand-in)": captureCollectorConfig({ httpEndpoint: "0.0.0.0:3100", path: "/data/otlp.jsonl", healthEndpoint: "0.0.0.0:13133" }),
  };
  for (const [name, c] of Object.entries(configs)) {
    it(`${name}: our checks pass and the built otelcol-contrib 0.165.0 validates it`, () => {
      expect(validateCollectorConfig(c)).toEqual([]);
      const r = collectorValidate(name.replace(/\W+/g, "-"), renderCollectorConfig(c));
      expect(r.output).not.toMatch(/error/i);
      expect(r.code).toBe(0);
    });
  }

  it("the docker agent reads the engine's json-file logs and ships logs to Loki's OTLP endpoint, traces to Jaeger, span metrics to Prometheus", () => {
    const doc = parse(renderCollectorConfig(configs["docker agent"]!));
    expect(doc.receivers["file_log/docker"].include).toEqual(["/var/lib/docker/containers/*/*-json.log"]);
    expect(doc.exporters["otlp_http/loki"].endpoint).toBe("http://loki:3100/otlp");
    expect(doc.exporters["otlp_grpc/jaeger"]).toMatchObject({ endpoint: "jaeger:4317", tls: { insecure: true } });
    expect(doc.service.pipelines.logs).toEqual({ receivers: ["otlp", "file_log/docker"], processors: ["memory_limiter", "resource", "batch"], exporters: ["otlp_http/loki"] });
    expect(doc.service.pipelines.traces.exporters).toEqual(["otlp_grpc/jaeger", "span_metrics"]);
    expect(doc.service.pipelines["metrics/spans"]).toEqual({ receivers: ["span_metrics"], processors: ["memory_limiter", "batch"], exporters: ["otlp_http/prometheus"] });
    expect(doc.service.telemetry.metrics.readers[0].pull.exporter.prometheus).toEqual({ host: "0.0.0.0", port: 8888 });
  });
});

describe("the built collector agrees with our checks", () => {
  // Our checks themselves, with every message, are in config.test.ts (pure, so the mutation suite runs them).
  it("refuses the undefined exporter our check refuses", () => {
    const base = agent("docker");
    const text = renderCollectorConfig(base).replace("- otlp_http/loki\n", "- otlp_http/lokii\n");
    const r = collectorValidate("undefined-exporter", text);
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(/otlp_http\/lokii/);
    const bad: CollectorConfig = { ...base, service: { ...base.service, pipelines: { ...base.service.pipelines, logs: { ...base.service.pipelines.logs!, exporters: ["otlp_http/lokii"] } } } };
    expect(errorsOf(validateCollectorConfig(bad)).map((e) => e.field)).toEqual(["service.pipelines.logs.exporters[0]"]);
    expect(() => renderCollectorConfig(bad)).toThrow(ValidationError);
  });
});

describe("the docker agent on loopback, with the built collector", () => {
  it("reads a container's json-file log by name and an app's OTLP log with its trace id, and ships both to the Loki-bound endpoint", async () => {
    const run = join(dir, "live");
    const id = "a".repeat(64);
    const logDir = join(run, "containers", id);
    mkdirSync(logDir, { recursive: true });
    mkdirSync(join(run, "storage"), { recursive: true });
    const logFile = join(logDir, `${id}-json.log`);
    writeFileSync(logFile, "");
    const out = join(run, "captured.jsonl");
    const [capHttp, capHealth, capMetrics, grpc, http, health, metrics] = await Promise.all(Array.from({ length: 7 }, freePort));
    const programs = new Programs(run);
    try {
      writeFileSync(join(run, "capture.yaml"), renderCollectorConfig(captureCollectorConfig({ httpEndpoint: `127.0.0.1:${capHttp}`, path: out, healthEndpoint: `127.0.0.1:${capHealth}`, metricsPort: capMetrics })));
      const cfg = agentCollectorConfig({ platform: "docker", containerLogDir: join(run, "containers"), startAt: "beginning", lokiOtlpUrl: `http://127.0.0.1:${capHttp}`, memoryLimitMib: 100, storageDir: join(run, "storage"), listenHost: "127.0.0.1", ports: { otlpGrpc: grpc, otlpHttp: http, health, metrics } });
      writeFileSync(join(run, "agent.yaml"), renderCollectorConfig(cfg));
      programs.start("capture", tool("otelcol-contrib"), [`--config=${join(run, "capture.yaml")}`]);
      programs.start("agent", tool("otelcol-contrib"), [`--config=${join(run, "agent.yaml")}`]);
      await waitFor("both collectors healthy", async () => (await httpOk(`http://127.0.0.1:${capHealth}/`)) && (await httpOk(`http://127.0.0.1:${health}/`)), 20_000);
      // What Docker writes with `--log-opt tag={{.Name}}`: the line, the stream, the time, and attrs.tag.
      appendFileSync(logFile, `${JSON.stringify({ log: "GET /health 200\n", stream: "stdout", attrs: { tag: "mon-api" }, time: new Date().toISOString() })}\n`);
      const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
      const post = await fetch(`http://127.0.0.1:${http}/v1/logs`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ resourceLogs: [{ resource: { attributes: [{ key: "service.name", value: { stringValue: "demo-app" } }] }, scopeLogs: [{ logRecords: [{ timeUnixNano: String(Date.now() * 1e6), severityText: "ERROR", body: { stringValue: "checkout failed" }, traceId, spanId: "00f067aa0ba902b7" }] }] }] }),
      });
      expect(post.status).toBe(200);
      const records = () => existsSync(out) ? readFileSync(out, "utf8").split("\n").filter(Boolean).flatMap((l) => JSON.parse(l).resourceLogs ?? []) : [];
      const attr = (rl: any, k: string) => rl.resource.attributes.find((a: any) => a.key === k)?.value.stringValue;
      await waitFor("both records captured", async () => records().length >= 2 && records().some((r: any) => attr(r, "container.name") === "mon-api"), 20_000);
      const fromFile = records().find((r: any) => attr(r, "container.name") === "mon-api");
      expect(attr(fromFile, "container.id")).toBe(id);
      expect(attr(fromFile, "service.name")).toBe("mon-api");
      const rec = fromFile.scopeLogs[0].logRecords[0];
      expect(rec.body.stringValue).toBe("GET /health 200\n");
      expect(rec.attributes.find((a: any) => a.key === "log.iostream").value.stringValue).toBe("stdout");
      expect(rec.attributes.some((a: any) => a.key === "attrs")).toBe(false);
      const fromApp = records().find((r: any) => attr(r, "service.name") === "demo-app");
      const appRec = fromApp.scopeLogs[0].logRecords[0];
      expect(appRec.body.stringValue).toBe("checkout failed");
      expect(appRec.traceId).toBe(traceId);
      // The self-metrics the shipped collector alerts read, under the names collector 0.165 serves them.
      const m = await (await fetch(`http://127.0.0.1:${metrics}/metrics`)).text();
      for (const name of ["otelcol_receiver_accepted_log_records", "otelcol_exporter_sent_log_records", "otelcol_exporter_queue_size", "otelcol_exporter_queue_capacity"]) {
        expect(m, name).toMatch(new RegExp(`^${name}\\{`, "m"));
      }
      expect(programs.crashed()).toEqual([]);
    } finally {
      await programs.stopAll();
    }
  }, 60_000);
});
