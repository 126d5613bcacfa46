/**
 * `moncode verify` against stand-ins: Prometheus and Alertmanager answer with their real API shapes (canned),
 * Grafana is the local stand-in that reads the stack's rendered provisioning. The live run against the real
 * Prometheus and Alertmanager is in test/e2e/live.e2e.ts.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectationsFromStack, formatReport, metricValue, parseVerifyArgs, runVerifyCli, verify, verifyReport, type VerifyReport } from "../../cli/verify";
import { DASHBOARD_UIDS } from "../../core/conventions";
import { dashboardFolders, renderDashboardFiles } from "../../core/grafana/render";
import { renderDashboardProviders, renderDatasources } from "../../core/grafana/provisioning";
import { buildDashboards } from "../../dashboards";
import { startGrafanaStandIn, type StandIn } from "../e2e/grafana-standin";
import { freePort, httpOk, Programs, waitFor } from "../e2e/harness/processes";
import { tool } from "../helpers/tools";
import { renderJaegerConfig } from "../../core/jaeger";

type Routes = Record<string, { status?: number; body: unknown }>;

async function fake(routes: () => Routes): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0]!;
    const r = routes()[path];
    if (!r) {
      res.writeHead(404);
      res.end("not found");
      return;
    }
    res.writeHead(r.status ?? 200, { "content-type": typeof r.body === "string" ? "text/plain" : "application/json" });
    res.end(typeof r.body === "string" ? r.body : JSON.stringify(r.body));
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", () => ok()));
  const addr = server.address() as { port: number };
  return { url: `http://127.0.0.1:${addr.port}`, close: () => new Promise<void>((ok) => server.close(() => ok())) };
}

const target = (job: string, instance: string, health = "up", lastError = "") => ({ labels: { job, instance }, scrapePool: job, scrapeUrl: `http://${instance}/metrics`, health, lastError });

let promState: { targets: unknown[]; rules: unknown[]; reload: boolean; ams: unknown[] };
let amState: { reload: number; cluster: unknown; receivers: string[] };
let prom: Awaited<ReturnType<typeof fake>>;
let am: Awaited<ReturnType<typeof fake>>;
let grafana: StandIn;
let dir: string;
const creds = { user: "admin", password: "s3cret" };

function healthy(): void {
  promState = {
    targets: [target("api", "api:3000"), target("node", "node-exporter:9100")],
    rules: [{ name: "http", file: "/etc/prometheus/rules/http.yml", rules: [{ name: "HttpErrorRateHigh", health: "ok", type: "alerting" }, { name: "job:http_requests:rate5m", health: "ok", type: "recording" }] }],
    reload: true,
    ams: [{ url: "http://alertmanager:9093/api/v2/alerts" }],
  };
  amState = { reload: 1, cluster: { status: "disabled", peers: [] }, receivers: ["critical", "warning", "info"] };
}

beforeAll(async () => {
  healthy();
  prom = await fake(() => ({
    "/-/ready": { body: "Prometheus Server is Ready.\n" },
    "/api/v1/targets": { body: { status: "success", data: { activeTargets: promState.targets } } },
    "/api/v1/rules": { body: { status: "success", data: { groups: promState.rules } } },
    "/api/v1/status/runtimeinfo": { body: { status: "success", data: { reloadConfigSuccess: promState.reload, lastConfigTime: "2026-11-23T12:00:00Z" } } },
    "/api/v1/alertmanagers": { body: { status: "success", data: { activeAlertmanagers: promState.ams } } },
    // Grafana's datasource health check queries 1+1.
    "/api/v1/query": { body: { status: "success", data: { resultType: "scalar", result: [1795435668, "2"] } } },
  }));
  am = await fake(() => ({
    "/-/ready": { body: "OK" },
    "/metrics": { body: `# TYPE alertmanager_config_last_reload_successful gauge\nalertmanager_config_last_reload_successful ${amState.reload}\n` },
    "/api/v2/status": { body: { cluster: amState.cluster, versionInfo: { version: "0.28.1" } } },
    "/api/v2/receivers": { body: amState.receivers.map((name) => ({ name })) },
  }));
  // Grafana's provisioning exactly as the stack renders it, read by the stand-in the way Grafana reads it.
  dir = mkdtempSync(join(tmpdir(), "moncode-verify-"));
  const defs = buildDashboards();
  const write = (p: string, text: string) => {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  };
  write("provisioning/datasources/datasources.yml", renderDatasources({ prometheusUrl: prom.url, alertmanagerUrl: am.url }));
  write("provisioning/dashboards/dashboards.yml", renderDashboardProviders(dashboardFolders(defs), { dashboardsDir: join(dir, "dashboards"), allowUiUpdates: false }));
  for (const f of renderDashboardFiles(defs)) write(f.path.replace(/^grafana\//, ""), f.content);
  write("admin-password", creds.password);
  grafana = await startGrafanaStandIn({ port: 0, env: { GF_PATHS_PROVISIONING: join(dir, "provisioning"), GF_SECURITY_ADMIN_USER: creds.user, GF_SECURITY_ADMIN_PASSWORD__FILE: join(dir, "admin-password") } });
});

afterAll(async () => {
  await Promise.all([prom?.close(), am?.close(), grafana?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

const run = (expect_: Parameters<typeof verify>[0]["expect"] = {}, g = true): Promise<VerifyReport> =>
  verify({ prometheus: prom.url, alertmanager: am.url, ...(g ? { grafana: { url: grafana.url, ...creds } } : {}), expect: expect_ });

const failing = (r: VerifyReport) => r.checks.filter((c) => !c.ok).map((c) => `${c.area} ${c.check}`);

describe("verify", () => {
  it("passes a healthy stack: 12 checks, readable table, exit code 0", async () => {
    healthy();
    const r = await run();
    expect(failing(r)).toEqual([]);
    expect(r.checks).toHaveLength(12);
    const table = formatReport(r);
    expect(table).toMatch(/^AREA +CHECK +RESULT +DETAIL/);
    expect(table).toMatch(/prometheus +targets up +ok +2 targets in 2 jobs, all up/);
    expect(table).toMatch(/grafana +dashboards +ok +14 provisioned dashboards present/);
    expect(table).toMatch(/verify: ok \(12 checks\)/);
  });

  it("lists down targets with their error, failing rules with theirs, and a failed reload", async () => {
    healthy();
    promState.targets = [target("api", "api:3000", "down", "connection refused"), target("node", "node-exporter:9100")];
    promState.rules = [{ name: "http", file: "f", rules: [{ name: "HttpErrorRateHigh", health: "err", lastError: "many-to-many matching not allowed", type: "alerting" }] }];
    promState.reload = false;
    const r = await run({ jobs: ["api", "node", "worker"] });
    expect(failing(r)).toEqual(["prometheus targets up", "prometheus rules healthy", "prometheus config reload"]);
    const t = r.checks.find((c) => c.check === "targets up")!;
    expect(t.problems).toEqual(["api api:3000: down (connection refused)", "job worker: no active target (the stack defines it)"]);
    expect(r.checks.find((c) => c.check === "rules healthy")!.problems).toEqual(["http / HttpErrorRateHigh: err (many-to-many matching not allowed)"]);
    expect(formatReport(r)).toMatch(/\n +- api api:3000: down \(connection refused\)/);
  });

  it("checks Alertmanager's reload, cluster peers and receivers against expectations", async () => {
    healthy();
    amState.reload = 0;
    amState.cluster = { status: "settling", peers: [{ name: "a", address: "10.0.0.1:9094" }, { name: "b", address: "10.0.0.2:9094" }] };
    const r = await run({ peers: 3, receivers: ["critical", "pager"] }, false);
    expect(failing(r)).toEqual(["alertmanager config reload", "alertmanager cluster peers", "alertmanager receivers"]);
    expect(r.checks.find((c) => c.check === "cluster peers")!.problems).toEqual(['cluster status is "settling"', "2 peers, expected 3: 10.0.0.1:9094, 10.0.0.2:9094"]);
    expect(r.checks.find((c) => c.check === "receivers")!.problems).toEqual(["receiver pager is missing"]);
    amState.cluster = { status: "disabled", peers: [] };
    expect((await run({ peers: 2 }, false)).checks.find((c) => c.check === "cluster peers")!.detail).toBe("clustering off, expected 2 peers");
  });

  it("fails Grafana's checks on wrong credentials and names missing dashboards and datasources", async () => {
    healthy();
    const wrong = await verify({ prometheus: prom.url, alertmanager: am.url, grafana: { url: grafana.url, user: "admin", password: "nope" } });
    expect(failing(wrong)).toEqual(["grafana dashboards", "grafana datasources"]);
    expect(wrong.checks.find((c) => c.check === "dashboards")!.detail).toMatch(/HTTP 401/);
    const shipped = buildDashboards().map((d) => d.uid);
    const more = await run({ dashboards: [...shipped, "team-dashboard"], datasources: ["prometheus", "loki"] });
    expect(more.checks.find((c) => c.check === "dashboards")!.problems).toEqual(["dashboard team-dashboard is missing"]);
    expect(more.checks.find((c) => c.check === "datasources")!.problems).toEqual(["datasource loki is missing"]);
  });

  it("reports an unreachable program on each of its checks instead of crashing", async () => {
    healthy();
    const r = await verify({ prometheus: "http://127.0.0.1:1", alertmanager: am.url, timeoutMs: 1_000 });
    expect(r.ok).toBe(false);
    const p = r.checks.filter((c) => c.area === "prometheus");
    expect(p.map((c) => c.check)).toEqual(["ready", "targets up", "rules healthy", "config reload", "alertmanagers"]);
    for (const c of p) expect(c.ok === false && /GET http:\/\/127\.0\.0\.1:1\/.* failed/.test(c.detail), `${c.check}: ${c.detail}`).toBe(true);
    expect(failing(r).filter((c) => c.startsWith("alertmanager"))).toEqual([]);
  });

  it("never passes servers it cannot reach: both unreachable is 9 failing checks, not an empty green run", async () => {
    const r = await verify({ prometheus: "http://127.0.0.1:1", alertmanager: "http://127.0.0.1:2", timeoutMs: 1_000 });
    expect(r.ok).toBe(false);
    expect(r.checks).toHaveLength(9);
    expect(r.checks.filter((c) => c.ok)).toEqual([]);
    expect(formatReport(r)).toMatch(/verify: FAILED \(9 of 9 checks\)/);
  });

  it("fails by construction on an empty check list or an expected area that produced no check", () => {
    const pass = (area: "prometheus" | "alertmanager" | "grafana") => ({ area, check: "ready", ok: true, detail: "ok", problems: [] });
    expect(verifyReport([], [])).toEqual({ ok: false, checks: [] });
    const none = verifyReport([], ["prometheus", "alertmanager"]);
    expect(none.ok).toBe(false);
    expect(none.checks.map((c) => [c.area, c.check, c.ok, c.detail])).toEqual([
      ["prometheus", "checks ran", false, "no check of prometheus ran: nothing was verified"],
      ["alertmanager", "checks ran", false, "no check of alertmanager ran: nothing was verified"],
    ]);
    const noGrafana = verifyReport([pass("prometheus"), pass("alertmanager")], ["prometheus", "alertmanager", "grafana"]);
    expect(noGrafana.ok).toBe(false);
    expect(failing(noGrafana)).toEqual(["grafana checks ran"]);
    expect(verifyReport([pass("prometheus"), pass("alertmanager")], ["prometheus", "alertmanager"]).ok).toBe(true);
  });

  it("the command: --json for machines, exit 1 on a failure, 2 on a usage error", async () => {
    healthy();
    const out: string[] = [];
    const io = { env: { GRAFANA_PASSWORD: creds.password }, out: (t: string) => out.push(t), err: (t: string) => out.push(t), cwd: resolve(__dirname, "../..") };
    expect(await runVerifyCli(["--prometheus", prom.url, "--alertmanager", am.url, "--grafana", grafana.url, "--json"], io)).toBe(0);
    expect((JSON.parse(out.join("")) as VerifyReport).checks).toHaveLength(12);
    promState.reload = false;
    expect(await runVerifyCli(["--prometheus", prom.url, "--alertmanager", am.url], io)).toBe(1);
    expect(await runVerifyCli(["--prometheus", prom.url], io)).toBe(2);
    expect(await runVerifyCli(["--prometheus", prom.url, "--alertmanager", am.url, "--grafana", grafana.url], { ...io, env: {} })).toBe(2);
    expect(await runVerifyCli(["--prometheus", prom.url, "--alertmanager", am.url, "--expect-peers", "zero"], io)).toBe(2);
    expect(() => parseVerifyArgs(["--prometheus", "x", "--alertmanager", "y", "--frobnicate", "1"])).toThrow(/unexpected argument/);
  });

  it("checks every HA replica and names each row by its URL: a stopped replica fails all its checks", async () => {
    healthy();
    const stopped = "http://127.0.0.1:1";
    const r = await verify({ prometheus: [prom.url, stopped], alertmanager: [am.url, `${am.url}/`], timeoutMs: 1_000 });
    expect(r.ok).toBe(false);
    const rows = r.checks.map((c) => `${c.area} ${c.instance} ${c.check} ${c.ok ? "ok" : "FAIL"}`);
    expect(rows.filter((x) => x.endsWith("FAIL"))).toEqual(["ready", "targets up", "rules healthy", "config reload", "alertmanagers"].map((c) => `prometheus ${stopped} ${c} FAIL`));
    // 5 checks per Prometheus replica, 4 per Alertmanager peer (the trailing slash is the same server, trimmed).
    expect(r.checks.filter((c) => c.area === "prometheus" && c.instance === prom.url && c.ok)).toHaveLength(5);
    expect(r.checks.filter((c) => c.area === "alertmanager" && c.instance === am.url && c.ok)).toHaveLength(8);
    expect(formatReport(r)).toMatch(new RegExp(`prometheus ${stopped.replace(/\./g, "\\.")} +ready +FAIL +GET ${stopped.replace(/\./g, "\\.")}/-/ready failed`));
    // One URL: rows carry no instance (the table is unchanged for a single server).
    expect((await run({}, false)).checks.every((c) => c.instance === undefined)).toBe(true);
    // The command: the flag repeated or a comma list, both replicas checked; exit 1 for the stopped one.
    const out: string[] = [];
    const io = { env: {}, out: (t: string) => out.push(t), err: (t: string) => out.push(t), cwd: resolve(__dirname, "../..") };
    expect(await runVerifyCli(["--prometheus", prom.url, "--prometheus", stopped, "--alertmanager", am.url, "--timeout", "1000", "--json"], io)).toBe(1);
    expect((JSON.parse(out.join("")) as VerifyReport).checks.filter((c) => c.instance === stopped && !c.ok)).toHaveLength(5);
    expect(parseVerifyArgs(["--prometheus", "a,b", "--alertmanager", "c", "--alertmanager", "d"]).flags).toMatchObject({ prometheus: "a,b", alertmanager: "c,d" });
    expect(() => parseVerifyArgs(["--prometheus", ",", "--alertmanager", "c"])).toThrow(/at least one URL/);
  });

  it("takes expectations from the stack definition (--stack dev)", () => {
    const e = expectationsFromStack(resolve(__dirname, "../.."), "dev");
    // "null" takes the Watchdog: the dev stack configures no dead man's switch.
    expect(e.receivers).toEqual(["dev", "null"]);
    // Logs and traces are on in dev: the Logs and Traces dashboards, Loki's and Jaeger's datasources and jobs too.
    expect([...(e.dashboards ?? [])].sort()).toEqual(Object.values(DASHBOARD_UIDS).sort());
    expect(e.datasources).toEqual(["prometheus", "alertmanager", "loki", "jaeger"]);
    expect(e.jobs).toEqual(expect.arrayContaining(["prometheus", "api", "worker", "alertmanager", "grafana", "node", "blackbox-api-health", "loki", "jaeger", "otel-collector"]));
  });

  it("checks Loki's readiness and logs arriving (a stand-in answering in Loki's documented shape) and Jaeger's traces arriving (the built Jaeger)", async () => {
    healthy();
    let lines = "0";
    const loki = await fake(() => ({
      "/ready": { body: "ready\n" },
      "/loki/api/v1/query": { body: { status: "success", data: { resultType: "vector", result: lines === "0" ? [] : [{ metric: {}, value: [1795435668, lines] }] } } },
    }));
    const dirJ = mkdtempSync(join(tmpdir(), "moncode-verify-jaeger-"));
    const [grpc, http, query, queryGrpc, health, metrics] = await Promise.all(Array.from({ length: 6 }, freePort));
    writeFileSync(join(dirJ, "jaeger.yaml"), renderJaegerConfig({ storage: { kind: "memory" }, listenHost: "127.0.0.1", ports: { otlpGrpc: grpc!, otlpHttp: http!, query: query!, queryGrpc: queryGrpc!, health: health!, metrics: metrics! } }));
    const programs = new Programs(dirJ);
    try {
      programs.start("jaeger", tool("jaeger"), [`--config=${join(dirJ, "jaeger.yaml")}`]);
      await waitFor("jaeger", () => httpOk(`http://127.0.0.1:${health}/status`), 30_000);
      const opts = { prometheus: prom.url, alertmanager: am.url, loki: loki.url, jaeger: `http://127.0.0.1:${query}` };
      const before = await verify(opts);
      expect(failing(before)).toEqual(["loki logs arriving", "jaeger traces arriving"]);
      lines = "42";
      const span = { traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", name: "GET /", kind: 2, startTimeUnixNano: String((Date.now() - 5) * 1e6), endTimeUnixNano: String(Date.now() * 1e6) };
      const r = await fetch(`http://127.0.0.1:${http}/v1/traces`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: "service.name", value: { stringValue: "demo-app" } }] }, scopeSpans: [{ spans: [span] }] }] }) });
      expect(r.status).toBe(200);
      await waitFor("traces arriving", async () => (await verify(opts)).ok, 20_000);
      const after = await verify(opts);
      expect(after.checks.filter((c) => c.area === "loki" || c.area === "jaeger").map((c) => `${c.area} ${c.check}: ${c.detail}`)).toEqual([
        "loki ready: ready",
        "loki logs arriving: 42 lines in the last 5m",
        "jaeger query API: answers /api/services",
        "jaeger traces arriving: spans from demo-app",
      ]);
    } finally {
      await programs.stopAll();
      await loki.close();
      rmSync(dirJ, { recursive: true, force: true });
    }
  }, 60_000);

  it("reads a metric from Prometheus's text format", () => {
    expect(metricValue("# HELP x\nfoo_bar 3\nalertmanager_config_last_reload_successful 1\n", "alertmanager_config_last_reload_successful")).toBe(1);
    expect(metricValue('up{job="a"} 0\n', "up")).toBe(0);
    expect(metricValue("other 1\n", "up")).toBeUndefined();
  });
});
