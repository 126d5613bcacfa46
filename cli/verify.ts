/**
 * `moncode verify`: checks a running stack after `pulumi up`, over the programs' own HTTP APIs.
 *
 *   moncode verify --prometheus URL --alertmanager URL [--grafana URL] [--stack dev] [--expect-peers N]
 *                  [--expect-receivers a,b] [--json]
 *
 * HA: `--prometheus` and `--alertmanager` take every replica (repeat the flag or separate URLs by commas); each
 * replica gets all the checks of its area, named by its URL, so a stopped replica or one peer's failed reload shows.
 *
 * Prometheus: ready, every active target up (the down ones listed with their error), every rule healthy (failing
 * ones listed with their error), the last config reload successful, at least one Alertmanager discovered.
 * Alertmanager: ready, the last config reload successful, cluster peers as expected, the expected receivers present.
 * Grafana (credentials from GRAFANA_USER / GRAFANA_PASSWORD): healthy, every provisioned dashboard and datasource
 * present, the Prometheus datasource answering. `--stack` takes what to expect (receivers, dashboards, scrape jobs)
 * from the stack's definition; without it every shipped dashboard and datasource is expected.
 * Exit code 0 when every check passes, 1 when one fails, 2 on a usage error.
 */
import { resolveExporters } from "../components/exporters";
import { DASHBOARD_UIDS, DATASOURCE_UIDS } from "../core/conventions";
import { OPT_IN_DASHBOARDS } from "../dashboards";
import { composeStackArgs } from "../stacks/compose";
import { parseStackConfig } from "../stacks/config";
import { wireComponents } from "../stacks/monitoring-stack";
import { loadStackFile } from "./stack-file";

export type Area = "prometheus" | "alertmanager" | "grafana" | "loki" | "jaeger";

export interface CheckResult {
  readonly area: Area;
  readonly check: string;
  readonly ok: boolean;
  /** One line: what was found. */
  readonly detail: string;
  /** The offending items (down targets, failing rules, missing dashboards…), one per line. */
  readonly problems: readonly string[];
  /** The replica checked (its URL), when the area has more than one. @default none: a single instance */
  readonly instance?: string;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly checks: readonly CheckResult[];
}

export interface Expectations {
  /** Alertmanager cluster size (this instance included). @default not checked beyond "ready or clustering off" */
  readonly peers?: number;
  /** Receivers that must exist. @default at least one */
  readonly receivers?: readonly string[];
  /** Dashboard UIDs Grafana must have. @default every shipped dashboard */
  readonly dashboards?: readonly string[];
  /** Datasource UIDs Grafana must have. @default the stack's Prometheus and Alertmanager datasources */
  readonly datasources?: readonly string[];
  /** Scrape jobs that must have at least one active target. @default not checked */
  readonly jobs?: readonly string[];
}

export interface VerifyOptions {
  /** Prometheus's URL, or every HA replica's. */
  readonly prometheus: string | readonly string[];
  /** Alertmanager's URL, or every cluster peer's. */
  readonly alertmanager: string | readonly string[];
  readonly grafana?: { readonly url: string; readonly user: string; readonly password: string };
  /** Loki's HTTP API (`http://127.0.0.1:3100`): ready, and logs arriving in the last 5 minutes. @default not checked */
  readonly loki?: string;
  /** Jaeger's query API (`http://127.0.0.1:16686`): answering, and traces arriving (a service has sent spans). @default not checked */
  readonly jaeger?: string;
  readonly expect?: Expectations;
  /** Per request. @default 5000 */
  readonly timeoutMs?: number;
}

class HttpError extends Error {}

async function get(url: string, timeoutMs: number, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  let r: Response;
  try {
    r = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : "";
    throw new HttpError(`GET ${url} failed${cause || `: ${String(e)}`}`);
  }
  return { status: r.status, text: await r.text() };
}

async function getJson<T>(url: string, timeoutMs: number, headers: Record<string, string> = {}): Promise<T> {
  const r = await get(url, timeoutMs, headers);
  if (r.status !== 200) throw new HttpError(`GET ${url}: HTTP ${r.status} ${r.text.slice(0, 200).trim()}`);
  try {
    return JSON.parse(r.text) as T;
  } catch {
    throw new HttpError(`GET ${url}: not JSON`);
  }
}

/** The value of a metric without labels (or the first series) in Prometheus text format. */
export function metricValue(text: string, name: string): number | undefined {
  for (const line of text.split("\n")) {
    if (line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (m && m[1] === name) return Number(m[3]);
  }
  return undefined;
}

const trimSlash = (u: string) => u.replace(/\/+$/, "");

type Check = Omit<CheckResult, "area">;
const pass = (check: string, detail: string): Check => ({ check, ok: true, detail, problems: [] });
const fail = (check: string, detail: string, problems: readonly string[] = []): Check => ({ check, ok: false, detail, problems });

/** Runs one area's checks; when the program is unreachable, every check of the area fails with that reason. */
async function area(name: Area, checks: readonly [string, () => Promise<Check>][]): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  for (const [label, run] of checks) {
    try {
      out.push({ area: name, ...(await run()) });
    } catch (e) {
      out.push({ area: name, check: label, ok: false, detail: e instanceof Error ? e.message : String(e), problems: [] });
    }
  }
  return out;
}

interface PromTarget {
  readonly labels: Record<string, string>;
  readonly scrapePool: string;
  readonly health: string;
  readonly lastError: string;
  readonly scrapeUrl: string;
}
interface PromRule {
  readonly name: string;
  readonly health: string;
  readonly lastError?: string;
  readonly type: string;
}

async function prometheusChecks(base: string, t: number, expect: Expectations): Promise<CheckResult[]> {
  return area("prometheus", [
    ["ready", async () => {
      const r = await get(`${base}/-/ready`, t);
      return r.status === 200 ? pass("ready", r.text.trim()) : fail("ready", `HTTP ${r.status} ${r.text.trim()}`);
    }],
    ["targets up", async () => {
      const body = await getJson<{ data: { activeTargets: PromTarget[] } }>(`${base}/api/v1/targets?state=active`, t);
      const targets = body.data.activeTargets;
      const down = targets.filter((x) => x.health !== "up");
      const jobs = new Set(targets.map((x) => x.labels.job ?? x.scrapePool));
      const missing = (expect.jobs ?? []).filter((j) => !jobs.has(j));
      const problems = [
        ...down.map((x) => `${x.labels.job ?? x.scrapePool} ${x.labels.instance ?? x.scrapeUrl}: ${x.health}${x.lastError ? ` (${x.lastError})` : ""}`),
        ...missing.map((j) => `job ${j}: no active target (the stack defines it)`),
      ];
      if (targets.length === 0) return fail("targets up", "no active targets");
      return problems.length === 0
        ? pass("targets up", `${targets.length} targets in ${jobs.size} jobs, all up`)
        : fail("targets up", `${down.length} of ${targets.length} targets down${missing.length ? `, ${missing.length} jobs missing` : ""}`, problems);
    }],
    ["rules healthy", async () => {
      const body = await getJson<{ data: { groups: { name: string; file: string; rules: PromRule[] }[] } }>(`${base}/api/v1/rules`, t);
      const groups = body.data.groups;
      const rules = groups.flatMap((g) => g.rules.map((r) => ({ group: g.name, ...r })));
      const bad = rules.filter((r) => r.health !== "ok");
      if (groups.length === 0) return fail("rules healthy", "no rule groups loaded");
      return bad.length === 0
        ? pass("rules healthy", `${rules.length} rules in ${groups.length} groups, all ok`)
        : fail("rules healthy", `${bad.length} of ${rules.length} rules not ok`, bad.map((r) => `${r.group} / ${r.name}: ${r.health}${r.lastError ? ` (${r.lastError})` : ""}`));
    }],
    ["config reload", async () => {
      const body = await getJson<{ data: { reloadConfigSuccess: boolean; lastConfigTime: string } }>(`${base}/api/v1/status/runtimeinfo`, t);
      return body.data.reloadConfigSuccess
        ? pass("config reload", `last reload successful (${body.data.lastConfigTime})`)
        : fail("config reload", "the last config reload failed: Prometheus runs the previous config", [`last successful config: ${body.data.lastConfigTime}`]);
    }],
    ["alertmanagers", async () => {
      const body = await getJson<{ data: { activeAlertmanagers: { url: string }[] } }>(`${base}/api/v1/alertmanagers`, t);
      const am = body.data.activeAlertmanagers;
      return am.length > 0 ? pass("alertmanagers", `sends alerts to ${am.map((a) => a.url).join(", ")}`) : fail("alertmanagers", "no Alertmanager discovered: alerts go nowhere");
    }],
  ]);
}

interface AmStatus {
  readonly cluster: { readonly status: string; readonly peers?: readonly { name: string; address: string }[] | null };
  readonly versionInfo?: { readonly version?: string };
}

async function alertmanagerChecks(base: string, t: number, expect: Expectations): Promise<CheckResult[]> {
  return area("alertmanager", [
    ["ready", async () => {
      const r = await get(`${base}/-/ready`, t);
      return r.status === 200 ? pass("ready", r.text.trim() || "OK") : fail("ready", `HTTP ${r.status} ${r.text.trim()}`);
    }],
    ["config reload", async () => {
      const r = await get(`${base}/metrics`, t);
      const v = metricValue(r.text, "alertmanager_config_last_reload_successful");
      if (v === undefined) return fail("config reload", "alertmanager_config_last_reload_successful not exposed");
      return v === 1 ? pass("config reload", "last reload successful") : fail("config reload", "the last config reload failed: Alertmanager routes with the previous config");
    }],
    ["cluster peers", async () => {
      const s = await getJson<AmStatus>(`${base}/api/v2/status`, t);
      const peers = s.cluster.peers ?? [];
      if (s.cluster.status === "disabled") {
        return expect.peers === undefined || expect.peers <= 1
          ? pass("cluster peers", "clustering off (single instance)")
          : fail("cluster peers", `clustering off, expected ${expect.peers} peers`);
      }
      const problems: string[] = [];
      if (s.cluster.status !== "ready") problems.push(`cluster status is "${s.cluster.status}"`);
      if (expect.peers !== undefined && peers.length !== expect.peers) problems.push(`${peers.length} peers, expected ${expect.peers}: ${peers.map((p) => p.address).join(", ") || "none"}`);
      return problems.length === 0 ? pass("cluster peers", `${peers.length} peers, ${s.cluster.status}`) : fail("cluster peers", problems[0]!, problems);
    }],
    ["receivers", async () => {
      const list = await getJson<{ name: string }[]>(`${base}/api/v2/receivers`, t);
      const names = list.map((r) => r.name);
      const missing = (expect.receivers ?? []).filter((r) => !names.includes(r));
      if (names.length === 0) return fail("receivers", "no receivers");
      return missing.length === 0
        ? pass("receivers", names.join(", "))
        : fail("receivers", `${missing.length} expected receivers missing (has: ${names.join(", ")})`, missing.map((m) => `receiver ${m} is missing`));
    }],
  ]);
}

async function grafanaChecks(g: NonNullable<VerifyOptions["grafana"]>, t: number, expect: Expectations): Promise<CheckResult[]> {
  const base = trimSlash(g.url);
  const auth = { authorization: `Basic ${Buffer.from(`${g.user}:${g.password}`).toString("base64")}` };
  const optIn = new Set<string>(OPT_IN_DASHBOARDS.map((k) => DASHBOARD_UIDS[k]));
  const wantDashboards = expect.dashboards ?? Object.values(DASHBOARD_UIDS).filter((u) => !optIn.has(u));
  const wantDatasources = expect.datasources ?? Object.values(DATASOURCE_UIDS);
  return area("grafana", [
    ["healthy", async () => {
      const r = await get(`${base}/api/health`, t);
      let body: { database?: string; version?: string } = {};
      try {
        body = JSON.parse(r.text) as typeof body;
      } catch {
        /* reported below */
      }
      return r.status === 200 && body.database === "ok"
        ? pass("healthy", `database ok, version ${body.version ?? "?"}`)
        : fail("healthy", `HTTP ${r.status}, database ${body.database ?? "unknown"}`);
    }],
    ["dashboards", async () => {
      const list = await getJson<{ uid: string; title: string; folderTitle?: string }[]>(`${base}/api/search?type=dash-db&limit=5000`, t, auth);
      const have = new Set(list.map((d) => d.uid));
      const missing = wantDashboards.filter((u) => !have.has(u));
      return missing.length === 0
        ? pass("dashboards", `${wantDashboards.length} provisioned dashboards present (${list.length} in total)`)
        : fail("dashboards", `${missing.length} of ${wantDashboards.length} provisioned dashboards missing`, missing.map((u) => `dashboard ${u} is missing`));
    }],
    ["datasources", async () => {
      const list = await getJson<{ uid: string; name: string; type: string }[]>(`${base}/api/datasources`, t, auth);
      const have = new Set(list.map((d) => d.uid));
      const missing = wantDatasources.filter((u) => !have.has(u));
      const problems = missing.map((u) => `datasource ${u} is missing`);
      for (const d of list.filter((x) => x.type === "prometheus" && wantDatasources.includes(x.uid))) {
        const r = await get(`${base}/api/datasources/uid/${encodeURIComponent(d.uid)}/health`, t, auth);
        if (r.status !== 200) problems.push(`datasource ${d.uid} (${d.name}) cannot query: ${r.text.slice(0, 200).trim()}`);
      }
      return problems.length === 0
        ? pass("datasources", `${wantDatasources.join(", ")} present; Prometheus answers`)
        : fail("datasources", `${problems.length} datasource problems`, problems);
    }],
  ]);
}

/** The stream selector "logs arriving" counts: every stream with a service name (apps over OTLP, containers). */
export const LOGS_ARRIVING_QUERY = 'sum(count_over_time({service_name=~".+"}[5m]))';

async function lokiChecks(base: string, t: number): Promise<CheckResult[]> {
  return area("loki", [
    ["ready", async () => {
      const r = await get(`${base}/ready`, t);
      return r.status === 200 ? pass("ready", r.text.trim()) : fail("ready", `HTTP ${r.status} ${r.text.trim()}`);
    }],
    ["logs arriving", async () => {
      const body = await getJson<{ data: { result: { value: [number, string] }[] } }>(`${base}/loki/api/v1/query?query=${encodeURIComponent(LOGS_ARRIVING_QUERY)}`, t);
      const n = body.data.result.reduce((a, x) => a + Number(x.value[1]), 0);
      return n > 0 ? pass("logs arriving", `${n} lines in the last 5m`) : fail("logs arriving", "no log line in the last 5m (is the collector shipping to Loki?)");
    }],
  ]);
}

async function jaegerChecks(base: string, t: number): Promise<CheckResult[]> {
  let services: string[] = [];
  return area("jaeger", [
    ["query API", async () => {
      services = (await getJson<{ data: string[] | null }>(`${base}/api/services`, t)).data ?? [];
      return pass("query API", "answers /api/services");
    }],
    ["traces arriving", async () => {
      // Jaeger traces nothing of its own here (enable_tracing off); any service is an application's.
      const apps = services.filter((x) => x !== "jaeger");
      return apps.length > 0 ? pass("traces arriving", `spans from ${apps.join(", ")}`) : fail("traces arriving", "no service has sent spans (is the collector shipping to Jaeger?)");
    }],
  ]);
}

/** Every replica's checks; each row names its replica when there is more than one. */
async function perReplica(urls: string | readonly string[], run: (base: string) => Promise<CheckResult[]>): Promise<CheckResult[]> {
  const list = (typeof urls === "string" ? [urls] : [...urls]).map(trimSlash);
  const results = await Promise.all(list.map(run));
  return list.length === 1 ? results[0]! : results.flatMap((checks, i) => checks.map((c) => ({ ...c, instance: list[i]! })));
}

export async function verify(opts: VerifyOptions): Promise<VerifyReport> {
  const t = opts.timeoutMs ?? 5_000;
  const expect = opts.expect ?? {};
  const [p, a, g, l, j] = await Promise.all([
    perReplica(opts.prometheus, (u) => prometheusChecks(u, t, expect)),
    perReplica(opts.alertmanager, (u) => alertmanagerChecks(u, t, expect)),
    opts.grafana ? grafanaChecks(opts.grafana, t, expect) : Promise.resolve([]),
    opts.loki ? lokiChecks(trimSlash(opts.loki), t) : Promise.resolve([]),
    opts.jaeger ? jaegerChecks(trimSlash(opts.jaeger), t) : Promise.resolve([]),
  ]);
  const areas: Area[] = ["prometheus", "alertmanager"];
  if (opts.grafana) areas.push("grafana");
  if (opts.loki) areas.push("loki");
  if (opts.jaeger) areas.push("jaeger");
  return verifyReport([...p, ...a, ...g, ...l, ...j], areas);
}

/**
 * The report of a run: ok only when every expected area produced at least one check and every check passed. An
 * area with no check at all (a dropped error path, a refactor that loses an area) becomes a failing check of its
 * own, so no code path can turn an unreachable program into a green run with nothing checked.
 */
export function verifyReport(checks: readonly CheckResult[], areas: readonly Area[]): VerifyReport {
  const missing = areas
    .filter((a) => !checks.some((c) => c.area === a))
    .map((a): CheckResult => ({ area: a, check: "checks ran", ok: false, detail: `no check of ${a} ran: nothing was verified`, problems: [] }));
  const all = [...checks, ...missing];
  return { ok: all.length > 0 && all.every((c) => c.ok), checks: all };
}

/** A readable table: one row per check, the problems indented under failing rows. */
export function formatReport(r: VerifyReport): string {
  const rows = r.checks.map((c) => [c.instance !== undefined ? `${c.area} ${c.instance}` : c.area, c.check, c.ok ? "ok" : "FAIL", c.detail] as const);
  const w = [0, 1, 2].map((i) => Math.max(...[["AREA", "CHECK", "RESULT"][i]!.length, ...rows.map((x) => x[i]!.length)]));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i < 3 ? c.padEnd(w[i]!) : c)).join("  ").trimEnd();
  const out = [line(["AREA", "CHECK", "RESULT", "DETAIL"])];
  r.checks.forEach((c, i) => {
    out.push(line(rows[i]!));
    for (const p of c.problems) out.push(`${" ".repeat(w[0]! + w[1]! + w[2]! + 6)}- ${p}`);
  });
  const failed = r.checks.filter((c) => !c.ok).length;
  out.push("", r.ok ? `verify: ok (${r.checks.length} checks)` : `verify: FAILED (${failed} of ${r.checks.length} checks)`);
  return out.join("\n");
}

export const VERIFY_USAGE = `usage: moncode verify --prometheus <url> --alertmanager <url> [--grafana <url>] [--loki <url>] [--jaeger <url>] [--stack <name> [--project <dir>]]
                      [--expect-peers <n>] [--expect-receivers <a,b>] [--timeout <ms>] [--json]
  HA: give every replica, --prometheus <url1>,<url2> (or the flag twice); the same for --alertmanager.
  Grafana credentials come from GRAFANA_USER (default admin) and GRAFANA_PASSWORD.`;

export interface ParsedVerifyArgs {
  readonly flags: Readonly<Record<string, string>>;
  readonly json: boolean;
}

const REPEATABLE = new Set(["prometheus", "alertmanager"]);

/** `a,b` → the URLs of every replica. */
export function replicaUrls(flag: string): string[] {
  return flag.split(",").map((s) => s.trim()).filter(Boolean);
}

export function parseVerifyArgs(argv: readonly string[]): ParsedVerifyArgs {
  const flags: Record<string, string> = {};
  let json = false;
  const known = new Set(["prometheus", "alertmanager", "grafana", "loki", "jaeger", "stack", "project", "expect-peers", "expect-receivers", "timeout"]);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--json") {
      json = true;
      continue;
    }
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    if (!m || !known.has(m[1]!)) throw new UsageError(`unexpected argument "${a}"`);
    const v = m[2] ?? argv[++i];
    if (v === undefined || v.startsWith("--")) throw new UsageError(`--${m[1]} needs a value`);
    // Every replica of an HA pair or cluster: the flag repeated adds URLs.
    flags[m[1]!] = REPEATABLE.has(m[1]!) && flags[m[1]!] !== undefined ? `${flags[m[1]!]},${v}` : v;
  }
  if (!flags.prometheus || !flags.alertmanager) throw new UsageError("--prometheus and --alertmanager are required");
  for (const k of REPEATABLE) if (replicaUrls(flags[k]!).length === 0) throw new UsageError(`--${k} needs at least one URL`);
  return { flags, json };
}

export class UsageError extends Error {}

/** Expectations from the stack's definition: its receivers, dashboards, datasources and scrape jobs. */
export function expectationsFromStack(projectDir: string, stack: string): Expectations {
  const file = loadStackFile(projectDir, stack);
  const config = parseStackConfig(JSON.parse(file.config[`${file.project}:stack`] ?? "null"), `Pulumi.${stack}.yaml`);
  // Only names are read: secret values are never needed (nor decrypted).
  const args = composeStackArgs({ stackName: stack, config, secrets: { get: () => "unused" as never }, grafanaAdminPassword: "unused", grafanaSecretKey: "unused" });
  // Job names do not depend on addresses; any address function gives the same list.
  const address = (w: string, port: number) => `${w}:${port}`;
  const wired = wireComponents(args, address, resolveExporters({ platform: args.platform, ...(args.exporters ?? {}) }, address).scrapeJobs);
  const jobs = [
    ...((wired.prometheus.selfScrape ?? true) ? ["prometheus"] : []),
    ...(wired.prometheus.scrapeJobs ?? []).map((j) => j.name),
    // The collector's job is a daemon's (its targets come from the platform driver), added by the stack.
    ...(wired.collector ? ["otel-collector"] : []),
  ];
  return {
    receivers: args.alerting.config.receivers.map((r) => r.name),
    dashboards: (args.grafana.dashboards ?? []).map((d) => d.uid),
    datasources: [...Object.values(DATASOURCE_UIDS), ...(wired.grafana.lokiUrl ? ["loki"] : []), ...(wired.grafana.jaegerUrl ? ["jaeger"] : [])],
    jobs,
  };
}

export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly cwd: string;
}

export async function runVerifyCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed: ParsedVerifyArgs;
  try {
    parsed = parseVerifyArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`${e.message}\n${VERIFY_USAGE}`);
    return 2;
  }
  const f = parsed.flags;
  let expect: Expectations = {};
  if (f.stack) expect = expectationsFromStack(f.project ?? io.cwd, f.stack);
  if (f["expect-peers"] !== undefined) {
    const n = Number(f["expect-peers"]);
    if (!Number.isInteger(n) || n < 1) {
      io.err(`--expect-peers must be a positive integer\n${VERIFY_USAGE}`);
      return 2;
    }
    expect = { ...expect, peers: n };
  }
  if (f["expect-receivers"]) expect = { ...expect, receivers: f["expect-receivers"].split(",").map((s) => s.trim()).filter(Boolean) };
  let grafana: VerifyOptions["grafana"];
  if (f.grafana) {
    const password = io.env.GRAFANA_PASSWORD;
    if (!password) {
      io.err(`--grafana needs the admin password in GRAFANA_PASSWORD (and the user in GRAFANA_USER, default admin)\n${VERIFY_USAGE}`);
      return 2;
    }
    grafana = { url: f.grafana, user: io.env.GRAFANA_USER ?? "admin", password };
  }
  const report = await verify({
    prometheus: replicaUrls(f.prometheus!),
    alertmanager: replicaUrls(f.alertmanager!),
    ...(grafana ? { grafana } : {}),
    ...(f.loki ? { loki: f.loki } : {}),
    ...(f.jaeger ? { jaeger: f.jaeger } : {}),
    expect,
    ...(f.timeout ? { timeoutMs: Number(f.timeout) } : {}),
  });
  io.out(parsed.json ? JSON.stringify(report, null, 2) : formatReport(report));
  return report.ok ? 0 : 1;
}
