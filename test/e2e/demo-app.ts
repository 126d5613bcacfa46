/**
 * The instrumented example application of the dev stack, small: an API and a worker with a queue, each its own
 * process, exposing the metrics the shipped rules and dashboards read (names from `rules/config.ts` and
 * `dashboards/`), plus control endpoints the live test uses to cause faults.
 *
 *   node --import tsx test/e2e/demo-app.ts api    --port <p>
 *   node --import tsx test/e2e/demo-app.ts worker --port <p>
 *
 * API: serves `/events` (counts events), `/users/:id`, `/health`; drives its own traffic (a request every 50 ms, a
 * few 404s and 500s) so rates, error ratios and latency histograms are never empty. `POST /control/health?status=500`
 * makes `/health` fail (the blackbox probe's fault).
 * Worker: drains a queue in batches. `POST /control/backlog?depth=<n>` stops draining and fills the queue to n
 * items (the backlog fault); `POST /control/backlog?depth=0` resumes.
 * With `OTEL_EXPORTER_OTLP_ENDPOINT` set (the collector's OTLP/HTTP base URL), the API also sends a span per
 * `/events` request and a structured log line carrying its trace id, as OTLP/HTTP JSON (the protocol's documented
 * JSON encoding; no SDK), once a second. `GET /control/last-trace` returns the last trace id sent.
 */
import { randomBytes } from "node:crypto";
import { createServer, request, type IncomingMessage, type ServerResponse } from "node:http";

/** Spans and log records waiting for the next OTLP export, and the endpoint they go to. */
const otlp = {
  endpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT?.replace(/\/+$/, ""),
  service: process.env.OTEL_SERVICE_NAME ?? "demo-api",
  spans: [] as unknown[],
  logs: [] as unknown[],
  lastTrace: "",
};

const attr = (key: string, value: string | number) => ({ key, value: typeof value === "number" ? { intValue: String(value) } : { stringValue: value } });

/** One server span for a request and the log line that mentions its trace id (structured: level, route, status). */
function traceRequest(route: string, method: string, status: number, startNs: bigint, endNs: bigint): void {
  if (otlp.endpoint === undefined) return;
  const traceId = randomBytes(16).toString("hex");
  const spanId = randomBytes(8).toString("hex");
  otlp.lastTrace = traceId;
  otlp.spans.push({
    traceId, spanId, name: `${method} ${route}`, kind: 2, startTimeUnixNano: String(startNs), endTimeUnixNano: String(endNs),
    attributes: [attr("http.request.method", method), attr("http.route", route), attr("http.response.status_code", status)],
    status: { code: status >= 500 ? 2 : 0 },
  });
  otlp.logs.push({
    timeUnixNano: String(endNs), severityNumber: status >= 500 ? 17 : 9, severityText: status >= 500 ? "ERROR" : "INFO",
    body: { stringValue: `${method} ${route} ${status} trace_id=${traceId}` },
    attributes: [attr("http.route", route), attr("http.response.status_code", status)],
    traceId, spanId,
  });
}

function post(path: string, body: unknown): void {
  const u = new URL(`${otlp.endpoint}${path}`);
  const r = request({ host: u.hostname, port: u.port, path: u.pathname, method: "POST", headers: { "content-type": "application/json" } }, (res) => res.resume());
  r.on("error", () => undefined);
  r.end(JSON.stringify(body));
}

function exportOtlp(): void {
  if (otlp.endpoint === undefined) return;
  const resource = { attributes: [attr("service.name", otlp.service), attr("service.version", "1.0.0")] };
  const scope = { name: "moncode-demo-app" };
  if (otlp.spans.length > 0) post("/v1/traces", { resourceSpans: [{ resource, scopeSpans: [{ scope, spans: otlp.spans.splice(0) }] }] });
  if (otlp.logs.length > 0) post("/v1/logs", { resourceLogs: [{ resource, scopeLogs: [{ scope, logRecords: otlp.logs.splice(0) }] }] });
}

type LabelSet = Readonly<Record<string, string>>;

function labelText(l: LabelSet): string {
  const keys = Object.keys(l).sort();
  return keys.length === 0 ? "" : `{${keys.map((k) => `${k}="${String(l[k]).replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`).join(",")}}`;
}

abstract class Metric {
  constructor(readonly name: string, readonly help: string, readonly type: string) {}
  abstract lines(): string[];
  text(): string {
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.type}`, ...this.lines()].join("\n");
  }
}

class Counter extends Metric {
  protected readonly values = new Map<string, { labels: LabelSet; v: number }>();
  constructor(name: string, help: string, type = "counter") {
    super(name, help, type);
  }
  inc(labels: LabelSet = {}, by = 1): void {
    const k = labelText(labels);
    const e = this.values.get(k) ?? { labels, v: 0 };
    e.v += by;
    this.values.set(k, e);
  }
  lines(): string[] {
    return [...this.values.values()].map((e) => `${this.name}${labelText(e.labels)} ${e.v}`);
  }
}

class Gauge extends Counter {
  constructor(name: string, help: string) {
    super(name, help, "gauge");
  }
  set(labels: LabelSet, v: number): void {
    this.values.set(labelText(labels), { labels, v });
  }
}

class Histogram extends Metric {
  private readonly series = new Map<string, { labels: LabelSet; counts: number[]; sum: number; count: number }>();
  constructor(name: string, help: string, private readonly buckets: readonly number[]) {
    super(name, help, "histogram");
  }
  observe(labels: LabelSet, v: number): void {
    const k = labelText(labels);
    const s = this.series.get(k) ?? { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
    this.buckets.forEach((b, i) => {
      if (v <= b) s.counts[i]!++;
    });
    s.sum += v;
    s.count++;
    this.series.set(k, s);
  }
  lines(): string[] {
    const out: string[] = [];
    for (const s of this.series.values()) {
      this.buckets.forEach((b, i) => out.push(`${this.name}_bucket${labelText({ ...s.labels, le: String(b) })} ${s.counts[i]}`));
      out.push(`${this.name}_bucket${labelText({ ...s.labels, le: "+Inf" })} ${s.count}`);
      out.push(`${this.name}_sum${labelText(s.labels)} ${s.sum}`);
      out.push(`${this.name}_count${labelText(s.labels)} ${s.count}`);
    }
    return out;
  }
}

/** process_* metrics as prom-client's default collectors name them (the dashboards chart them for api and worker). */
function processMetrics(): string {
  const cpu = process.cpuUsage();
  return [
    "# TYPE process_cpu_seconds_total counter",
    `process_cpu_seconds_total ${(cpu.user + cpu.system) / 1e6}`,
    "# TYPE process_resident_memory_bytes gauge",
    `process_resident_memory_bytes ${process.memoryUsage().rss}`,
    "# TYPE process_start_time_seconds gauge",
    `process_start_time_seconds ${Math.floor(Date.now() / 1000 - process.uptime())}`,
  ].join("\n");
}

function serve(port: number, metrics: readonly Metric[], handle: (req: IncomingMessage, res: ServerResponse, url: URL) => boolean): void {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname === "/metrics") {
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
      res.end(`${metrics.map((m) => m.text()).join("\n")}\n${processMetrics()}\n`);
      return;
    }
    if (!handle(req, res, url)) {
      res.writeHead(404);
      res.end("not found\n");
    }
  });
  server.listen(port, "127.0.0.1");
  // Stop at once, as a crashed or killed process would: no draining of keep-alive connections (Prometheus keeps
  // one open and would go on scraping a closing server).
  const stop = () => process.exit(0);
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

function api(port: number): void {
  const requests = new Counter("http_requests_total", "HTTP requests by route, method and status code.");
  const duration = new Histogram("http_request_duration_seconds", "HTTP request latency.", [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]);
  const inFlight = new Gauge("http_requests_in_flight", "Requests being served.");
  const events = new Counter("events_received_total", "Events accepted by the API.");
  const dbActive = new Gauge("db_connections_active", "Connections of the app's database pool in use.");
  const dbIdle = new Gauge("db_connections_idle", "Idle connections of the app's database pool.");
  const dbQuery = new Histogram("db_query_duration_seconds", "Database query time by operation and table.", [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1]);
  inFlight.set({}, 0);
  let healthStatus = 200;
  let n = 0;
  serve(port, [requests, duration, inFlight, events, dbActive, dbIdle, dbQuery], (req, res, url) => {
    const started = process.hrtime.bigint();
    const startedNs = BigInt(Date.now()) * 1_000_000n;
    const done = (route: string, status: number, body: string) => {
      res.writeHead(status, { "content-type": "text/plain" });
      res.end(body);
      const took = process.hrtime.bigint() - started;
      const secs = Number(took) / 1e9;
      requests.inc({ route, method: req.method ?? "GET", status: String(status) });
      duration.observe({ route }, secs);
      if (route === "/events") traceRequest(route, req.method ?? "GET", status, startedNs, startedNs + took);
    };
    if (url.pathname === "/control/last-trace") {
      res.end(otlp.lastTrace);
      return true;
    }
    if (url.pathname === "/control/health" && req.method === "POST") {
      healthStatus = Number(url.searchParams.get("status") ?? "200");
      res.end(`health answers ${healthStatus}\n`);
      return true;
    }
    if (url.pathname === "/health") {
      done("/health", healthStatus, healthStatus === 200 ? "ok\n" : "failing\n");
      return true;
    }
    if (url.pathname === "/events") {
      inFlight.inc({}, 1);
      events.inc();
      const q = Math.random() * 0.02;
      dbQuery.observe({ operation: "insert", table: "events" }, q);
      // Every 20th request fails: the error-ratio panels and recording rules have something to show.
      const status = ++n % 20 === 0 ? 500 : 202;
      setTimeout(() => {
        inFlight.inc({}, -1);
        done("/events", status, "accepted\n");
      }, Math.random() * 20);
      return true;
    }
    const m = /^\/users\/(\d+)$/.exec(url.pathname);
    if (m) {
      dbQuery.observe({ operation: "select", table: "users" }, Math.random() * 0.005);
      done("/users/:id", Number(m[1]) > 100 ? 404 : 200, "{}\n");
      return true;
    }
    return false;
  });
  setInterval(exportOtlp, 1000);
  // Own traffic, through the real HTTP path.
  setInterval(() => {
    const path = Math.random() < 0.7 ? "/events" : `/users/${Math.floor(Math.random() * 120)}`;
    const r = request({ host: "127.0.0.1", port, path, method: path === "/events" ? "POST" : "GET" }, (res) => res.resume());
    r.on("error", () => undefined);
    r.end();
    const active = Math.floor(Math.random() * 4);
    dbActive.set({}, active);
    dbIdle.set({}, 10 - active);
  }, 50);
}

function worker(port: number): void {
  const depth = new Gauge("queue_depth", "Items waiting in the queue.");
  const capacity = new Gauge("queue_capacity", "Capacity of the queue.");
  const processed = new Counter("worker_events_processed_total", "Items processed, by outcome.");
  const errors = new Counter("worker_errors_total", "Worker errors by type.");
  const batchDuration = new Histogram("worker_batch_duration_seconds", "Time to process one batch.", [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 30, 60]);
  const batchSize = new Histogram("worker_batch_size", "Items per batch.", [1, 5, 10, 25, 50, 100]);
  const queue = "events";
  const cap = 10_000;
  let items = 0;
  let paused = false;
  capacity.set({ queue }, cap);
  processed.inc({ status: "success" }, 0);
  processed.inc({ status: "error" }, 0);
  errors.inc({ type: "timeout" }, 0);
  const publish = () => depth.set({ queue }, items);
  publish();
  serve(port, [depth, capacity, processed, errors, batchDuration, batchSize], (req, res, url) => {
    if (url.pathname === "/control/backlog" && req.method === "POST") {
      const d = Number(url.searchParams.get("depth") ?? "0");
      paused = d > 0;
      items = d > 0 ? d : 0;
      publish();
      res.end(`queue depth ${items}, ${paused ? "paused" : "draining"}\n`);
      return true;
    }
    return false;
  });
  // Producers add a few items every 100 ms; the worker drains them in batches.
  setInterval(() => {
    if (paused) return;
    items = Math.min(cap, items + Math.floor(Math.random() * 6));
    publish();
  }, 100);
  setInterval(() => {
    if (paused || items === 0) return;
    const started = Date.now();
    const size = Math.min(items, 1 + Math.floor(Math.random() * 20));
    items -= size;
    const failed = Math.random() < 0.02 ? 1 : 0;
    processed.inc({ status: "success" }, size - failed);
    if (failed > 0) {
      processed.inc({ status: "error" }, failed);
      errors.inc({ type: "timeout" }, failed);
    }
    batchSize.observe({}, size);
    batchDuration.observe({}, (Date.now() - started) / 1000 + Math.random() * 0.05);
    publish();
  }, 250);
}

const [role, flag, value] = process.argv.slice(2);
const port = Number(value);
if (flag !== "--port" || !Number.isInteger(port)) {
  console.error("usage: demo-app.ts <api|worker> --port <port>");
  process.exit(2);
}
if (role === "api") api(port);
else if (role === "worker") worker(port);
else {
  console.error(`unknown role "${role}"`);
  process.exit(2);
}
