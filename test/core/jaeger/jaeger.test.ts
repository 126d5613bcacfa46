import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

import { renderJaegerConfig, type JaegerConfig } from "../../../core/jaeger";
import { freePort, httpOk, Programs, waitFor } from "../../e2e/harness/processes";
import { tool } from "../../helpers/tools";

const dir = mkdtempSync(join(tmpdir(), "moncode-jaeger-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function jaegerValidate(name: string, text: string): { code: number | null; output: string } {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, text);
  const r = spawnSync(tool("jaeger"), ["validate", `--config=${file}`], { encoding: "utf8" });
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

describe("Jaeger v2 config", () => {
  const configs: Record<string, JaegerConfig> = {
    badger: { storage: { kind: "badger", directory: "/badger", ttl: "168h" } },
    memory: { storage: { kind: "memory", maxTraces: 5000 } },
  };
  for (const [name, c] of Object.entries(configs)) {
    it(`${name}: the built jaeger 2.13.0 validates it`, () => {
      const r = jaegerValidate(name, renderJaegerConfig(c));
      expect(r.output).not.toMatch(/error/i);
      expect(r.code).toBe(0);
    });
  }

  it("jaeger itself refuses a key it does not know (validate is a real check)", () => {
    const text = renderJaegerConfig(configs.memory!).replace("max_traces:", "max_trace:");
    const r = jaegerValidate("bad-key", text);
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(/max_trace/);
  });
});

describe("Jaeger on loopback with badger", () => {
  it("stores an OTLP trace on disk and serves it by id with the service name and span attributes", async () => {
    const run = join(dir, "live");
    const ports = Object.fromEntries(await Promise.all(["otlpGrpc", "otlpHttp", "query", "queryGrpc", "health", "metrics"].map(async (k) => [k, await freePort()] as const)));
    const c: JaegerConfig = { storage: { kind: "badger", directory: join(run, "badger") }, listenHost: "127.0.0.1", ports };
    writeFileSync(join(dir, "live.yaml"), renderJaegerConfig(c));
    const programs = new Programs(dir);
    try {
      programs.start("jaeger", tool("jaeger"), [`--config=${join(dir, "live.yaml")}`]);
      await waitFor("jaeger /status", () => httpOk(`http://127.0.0.1:${ports.health}/status`), 30_000);
      const traceId = "5b8efff798038103d269b633813fc60c";
      const r = await fetch(`http://127.0.0.1:${ports.otlpHttp}/v1/traces`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: "service.name", value: { stringValue: "demo-app" } }] }, scopeSpans: [{ spans: [{ traceId, spanId: "eee19b7ec3c1b174", name: "GET /checkout", kind: 2, startTimeUnixNano: String((Date.now() - 50) * 1e6), endTimeUnixNano: String(Date.now() * 1e6), attributes: [{ key: "http.route", value: { stringValue: "/checkout" } }] }] }] }] }),
      });
      expect(r.status).toBe(200);
      let trace: any;
      await waitFor("the trace by id", async () => {
        const t = await fetch(`http://127.0.0.1:${ports.query}/api/traces/${traceId}`);
        if (t.status !== 200) return false;
        trace = ((await t.json()) as any).data[0];
        return trace !== undefined;
      }, 20_000);
      const span = trace.spans[0];
      expect(span.operationName).toBe("GET /checkout");
      expect(trace.processes[span.processID].serviceName).toBe("demo-app");
      expect(span.tags).toContainEqual({ key: "http.route", type: "string", value: "/checkout" });
      const services = (await (await fetch(`http://127.0.0.1:${ports.query}/api/services`)).json()) as { data: string[] };
      expect(services.data).toEqual(["demo-app"]);
      // Badger wrote its files on the volume, and the self-metrics are served under their unsuffixed names.
      expect(readdirSync(join(run, "badger", "values")).some((f) => f.endsWith(".vlog"))).toBe(true);
      const metrics = await (await fetch(`http://127.0.0.1:${ports.metrics}/metrics`)).text();
      expect(metrics).toMatch(/^otelcol_receiver_accepted_spans\{/m);
      expect(programs.crashed()).toEqual([]);
    } finally {
      await programs.stopAll();
    }
  }, 60_000);
});
