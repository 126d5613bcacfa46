/**
 * The logs-and-traces path of the stack with the real programs on loopback: the demo app sends OTLP spans and
 * structured logs carrying the trace id to the agent collector (the config the stack renders, with loopback
 * addresses); the agent ships traces to the built Jaeger 2.13.0 and logs to Loki's OTLP path — here a second
 * built collector labelled as Loki's STAND-IN (an OTLP receiver on /otlp/v1/logs writing what it gets to a file),
 * since Loki is not built. The trace is fetched by id from Jaeger's API, the log record read back from the
 * stand-in's file, and the trace id found in the log line resolves in Jaeger.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

import { renderJaegerConfig } from "../../core/jaeger";
import { agentCollectorConfig, captureCollectorConfig, renderCollectorConfig } from "../../core/otelcol";
import { freePort, httpOk, Programs, waitFor } from "../e2e/harness/processes";
import { tool } from "../helpers/tools";

const dir = mkdtempSync(join(tmpdir(), "moncode-pipeline-"));
afterAll(() => (process.env.MONCODE_KEEP_TMP ? undefined : rmSync(dir, { recursive: true, force: true })));

type Attr = { key: string; value: { stringValue?: string; intValue?: string } };
const attrOf = (attrs: Attr[] | undefined, k: string) => attrs?.find((a) => a.key === k)?.value;

describe("logs and traces, end to end on loopback (real collector and Jaeger; Loki is a STAND-IN collector)", () => {
  it("the demo app's span reaches Jaeger by id, its log line reaches Loki's OTLP path with the trace id, and that id resolves in Jaeger", async () => {
    const p = Object.fromEntries(await Promise.all(
      ["jGrpc", "jHttp", "jQuery", "jQueryGrpc", "jHealth", "jMetrics", "lHttp", "lHealth", "lMetrics", "aGrpc", "aHttp", "aHealth", "aMetrics", "api"].map(async (k) => [k, await freePort()] as const),
    )) as Record<string, number>;
    const captured = join(dir, "loki-stand-in.jsonl");
    mkdirSync(join(dir, "agent-state"), { recursive: true });
    writeFileSync(join(dir, "jaeger.yaml"), renderJaegerConfig({ storage: { kind: "memory" }, listenHost: "127.0.0.1", ports: { otlpGrpc: p.jGrpc, otlpHttp: p.jHttp, query: p.jQuery, queryGrpc: p.jQueryGrpc, health: p.jHealth, metrics: p.jMetrics } }));
    writeFileSync(join(dir, "loki-stand-in.yaml"), renderCollectorConfig(captureCollectorConfig({ httpEndpoint: `127.0.0.1:${p.lHttp}`, logsUrlPath: "/otlp/v1/logs", path: captured, healthEndpoint: `127.0.0.1:${p.lHealth}`, metricsPort: p.lMetrics }), "loki-stand-in"));
    // The agent as the stack renders it (logs → Loki's /otlp, traces → Jaeger's OTLP gRPC), on loopback ports.
    const agent = agentCollectorConfig({
      platform: "docker",
      containerLogs: false,
      lokiOtlpUrl: `http://127.0.0.1:${p.lHttp}/otlp`,
      jaegerOtlpGrpc: `127.0.0.1:${p.jGrpc}`,
      resourceAttributes: { "deployment.environment.name": "dev" },
      memoryLimitMib: 100,
      storageDir: join(dir, "agent-state"),
      listenHost: "127.0.0.1",
      ports: { otlpGrpc: p.aGrpc, otlpHttp: p.aHttp, health: p.aHealth, metrics: p.aMetrics },
    });
    writeFileSync(join(dir, "agent.yaml"), renderCollectorConfig(agent, "otel-collector"));
    const programs = new Programs(dir);
    try {
      programs.start("jaeger", tool("jaeger"), [`--config=${join(dir, "jaeger.yaml")}`]);
      programs.start("loki-stand-in", tool("otelcol-contrib"), [`--config=${join(dir, "loki-stand-in.yaml")}`]);
      programs.start("agent", tool("otelcol-contrib"), [`--config=${join(dir, "agent.yaml")}`]);
      await waitFor("Jaeger, the Loki stand-in and the agent healthy", async () =>
        (await httpOk(`http://127.0.0.1:${p.jHealth}/status`)) && (await httpOk(`http://127.0.0.1:${p.lHealth}/`)) && (await httpOk(`http://127.0.0.1:${p.aHealth}/`)), 30_000);
      console.log("STAND-IN: Loki's OTLP endpoint is served by a second otelcol-contrib (file exporter); Loki itself is not built here");
      programs.start("demo-api", process.execPath, ["--import", "tsx", resolve(__dirname, "../e2e/demo-app.ts"), "api", "--port", String(p.api)], {
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${p.aHttp}`, OTEL_SERVICE_NAME: "demo-api" },
        cwd: resolve(__dirname, "../.."),
      });
      // A trace the app sent, fetched by id from Jaeger's API.
      let traceId = "";
      let trace: any;
      // The app starts through tsx (a few seconds on a loaded machine), then exports once a second.
      await waitFor("the demo app", () => httpOk(`http://127.0.0.1:${p.api}/health`), 60_000, 500);
      // One trace id the app sent (it sends a trace every request: take one and wait for that one).
      await waitFor("a trace id from the demo app", async () => /^[0-9a-f]{32}$/.test((traceId = await (await fetch(`http://127.0.0.1:${p.api}/control/last-trace`)).text())), 20_000, 200);
      await waitFor(`trace ${traceId} in Jaeger`, async () => {
        const r = await fetch(`http://127.0.0.1:${p.jQuery}/api/traces/${traceId}`);
        if (r.status !== 200) return false;
        trace = ((await r.json()) as any).data[0];
        return trace !== undefined;
      }, 30_000, 500);
      const span = trace.spans[0];
      expect(trace.processes[span.processID].serviceName).toBe("demo-api");
      expect(span.operationName).toBe("POST /events");
      expect(span.tags).toContainEqual({ key: "http.route", type: "string", value: "/events" });
      // The agent's resource processor ran on the way (deployment.environment.name on the process).
      expect(trace.processes[span.processID].tags).toContainEqual({ key: "deployment.environment.name", type: "string", value: "dev" });

      // The log records the agent shipped to Loki's OTLP path, as the stand-in wrote them.
      const records = () => (existsSync(captured) ? readFileSync(captured, "utf8").split("\n").filter(Boolean) : []).flatMap((l) => {
        const doc = JSON.parse(l) as { resourceLogs?: { resource: { attributes: Attr[] }; scopeLogs: { logRecords: { traceId: string; body: { stringValue: string }; severityText: string }[] }[] }[] };
        return (doc.resourceLogs ?? []).flatMap((rl) => rl.scopeLogs.flatMap((sl) => sl.logRecords.map((rec) => ({ resource: rl.resource.attributes, rec }))));
      });
      await waitFor("log records at the Loki stand-in", async () => records().length > 0, 20_000, 500);
      const { resource, rec } = records()[0]!;
      expect(attrOf(resource, "service.name")?.stringValue).toBe("demo-api");
      expect(attrOf(resource, "deployment.environment.name")?.stringValue).toBe("dev");
      expect(rec.body.stringValue).toMatch(/^POST \/events (202|500) trace_id=[0-9a-f]{32}$/);
      expect(rec.traceId).toBe(/trace_id=([0-9a-f]{32})/.exec(rec.body.stringValue)![1]);
      // The trace id in a log line resolves in Jaeger (what Grafana's derived field links to).
      const fromLog = rec.traceId;
      await waitFor(`trace ${fromLog} from the log line in Jaeger`, async () => (await fetch(`http://127.0.0.1:${p.jQuery}/api/traces/${fromLog}`)).status === 200, 20_000, 500);
      const linked = ((await (await fetch(`http://127.0.0.1:${p.jQuery}/api/traces/${fromLog}`)).json()) as any).data[0];
      expect(linked.traceID).toBe(fromLog);
      expect(linked.spans[0].operationName).toBe("POST /events");
      expect(programs.crashed()).toEqual([]);
    } finally {
      await programs.stopAll();
    }
  }, 120_000);
});
