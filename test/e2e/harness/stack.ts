/**
 * Starts the rendered dev stack on loopback: every workload the components describe (WorkloadSpec) as the real
 * program — the Go-built release the stack pins (`npm run -s tools`) — with the spec's own flags and environment — container paths remapped into a temp folder, `:<port>`
 * listen addresses to the picked loopback port, each run as the image's numeric user — plus what the stack
 * watches (Postgres, Redis, the demo API and worker) and a webhook receiver that records every notification.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { dirname, join, resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { WorkloadSpec } from "../../../components/platform";
import { tool } from "../../helpers/tools";
import { startGrafanaStandIn, type StandIn } from "../grafana-standin";
import { freePort, httpOk, newRun, Programs, startOrStop, stopAndRemove, tcpOpen, waitFor } from "./processes";
import { renderE2eStack, type E2eRender, type E2eRenderOptions } from "./render";

/** The built program for each workload the components define (by WorkloadSpec name, `-<target>` suffix dropped). */
const BINARIES: Readonly<Record<string, string>> = {
  prometheus: "prometheus",
  alertmanager: "alertmanager",
  "node-exporter": "node_exporter",
  pushgateway: "pushgateway",
  "blackbox-exporter": "blackbox_exporter",
  "postgres-exporter": "postgres_exporter",
  "redis-exporter": "redis_exporter",
};

/**
 * The program for a workload, copied into the run's folder: the workloads run as their images' users, who cannot
 * reach a tools cache under root's home.
 */
export function binaryFor(spec: WorkloadSpec, binDir: string): string | undefined {
  const name = BINARIES[spec.name] ?? BINARIES[spec.name.replace(/-[a-z0-9]+$/, "")];
  if (name === undefined) return undefined;
  const copy = join(binDir, name);
  if (!existsSync(copy)) {
    mkdirSync(binDir, { recursive: true, mode: 0o755 });
    copyFileSync(tool(name), copy);
    chmodSync(copy, 0o755);
  }
  return copy;
}

export interface Notification {
  /** ms since the epoch when the webhook received it. */
  readonly at: number;
  /** The receiver, from the URL path the routing config gave it. */
  readonly receiver: string;
  readonly payload: {
    readonly receiver: string;
    readonly status: string;
    readonly alerts: readonly { readonly status: string; readonly labels: Record<string, string>; readonly startsAt: string }[];
    readonly groupLabels: Record<string, string>;
  };
}

export interface WebhookReceiver {
  readonly port: number;
  readonly notifications: Notification[];
  close(): Promise<void>;
}

export async function startWebhook(port: number): Promise<WebhookReceiver> {
  const notifications: Notification[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      try {
        notifications.push({ at: Date.now(), receiver: (req.url ?? "/").slice(1), payload: JSON.parse(Buffer.concat(chunks).toString("utf8")) as Notification["payload"] });
      } catch {
        /* not a notification */
      }
      res.end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", () => r()));
  return { port, notifications, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function contentOf(v: pulumi.Input<string>): Promise<string> {
  if (typeof v === "string") return v;
  return new Promise<string>((r) => void pulumi.output(v).apply((s) => (r(s), s)));
}

export interface Launch {
  readonly args: string[];
  readonly env: Record<string, string>;
  /** Where each container path of the spec lives on this host. */
  readonly hostPath: (containerPath: string) => string;
}

/** The spec's flags and env with container paths and listen ports moved to this host. */
export function remapSpec(spec: WorkloadSpec, root: string, port: (containerPort: number) => number): Launch {
  const mounts = [...(spec.host?.mounts ?? [])].sort((a, b) => b.containerPath.length - a.containerPath.length);
  const hostPath = (p: string): string => {
    for (const m of mounts) {
      if (p === m.containerPath || p.startsWith(`${m.containerPath}/`)) return join(m.hostPath, p.slice(m.containerPath.length)) || "/";
    }
    return join(root, p);
  };
  const value = (v: string): string => {
    // `:9100`, or a host-network daemon's `<gateway>:9100` (Docker's node-exporter): on loopback here.
    const listen = /^(?:\d+\.\d+\.\d+\.\d+)?:(\d+)$/.exec(v);
    if (listen) return `127.0.0.1:${port(Number(listen[1]))}`;
    return v.startsWith("/") ? hostPath(v) : v;
  };
  const args = spec.args.map((a) => {
    const m = /^(--?[a-zA-Z0-9._-]+)=(.*)$/.exec(a);
    return m ? `${m[1]}=${value(m[2]!)}` : a;
  });
  const env = Object.fromEntries(Object.entries(spec.env ?? {}).map(([k, v]) => [k, value(v)]));
  return { args, env, hostPath };
}

export async function writeSpecFiles(spec: WorkloadSpec, launch: Launch, uid: number): Promise<void> {
  for (const v of spec.volumes) {
    const dir = launch.hostPath(v.mountPath);
    mkdirSync(dir, { recursive: true });
    chownSync(dir, uid, uid);
  }
  for (const f of spec.files) {
    const p = launch.hostPath(f.path);
    mkdirSync(dirname(p), { recursive: true, mode: 0o755 });
    writeFileSync(p, await contentOf(f.content), { mode: f.secret ? 0o400 : 0o644 });
    if (f.secret) chownSync(p, uid, uid);
  }
}

export interface LiveStack {
  readonly dir: string;
  readonly render: E2eRender;
  readonly renderOptions: E2eRenderOptions;
  readonly programs: Programs;
  readonly webhook: WebhookReceiver;
  readonly grafana: StandIn;
  readonly grafanaCredentials: { readonly user: string; readonly password: string };
  readonly ports: Readonly<Record<string, number>>;
  readonly url: (workload: string) => string;
  /** Host path of a file of a workload, e.g. ("prometheus", "/etc/prometheus/prometheus.yml"). */
  readonly hostPath: (workload: string, containerPath: string) => string;
  readonly startApi: () => void;
  stop(): Promise<void>;
}

const NODE_TSX = [process.execPath, "--import", "tsx"] as const;

function userIds(name: string): { uid: number; gid: number } {
  const id = (flag: string) => Number(spawnSync("id", [flag, name], { encoding: "utf8" }).stdout.trim());
  const uid = id("-u");
  if (!Number.isInteger(uid) || uid <= 0) throw new Error(`no system user "${name}" (is postgresql installed?)`);
  return { uid, gid: id("-g") };
}

export interface StartStackOptions {
  readonly projectDir: string;
  readonly interval: string;
  readonly shortFor: Readonly<Record<string, string>>;
}

/** Starts everything; on any failure stops what already runs and rethrows. */
export async function startLiveStack(opts: StartStackOptions): Promise<LiveStack> {
  if (process.getuid?.() !== 0) throw new Error("the live e2e runs as root: Postgres and the exporters run as their own users (the images' numeric users)");
  const { dir, logs, programs } = newRun("moncode-e2e-");
  let webhook: WebhookReceiver | undefined;
  let grafana: StandIn | undefined;
  const cleanup = async () => {
    await programs.stopAll();
    await webhook?.close();
    await grafana?.close();
  };
  return startOrStop(programs, logs, cleanup, async () => {
    const names = ["prometheus", "alertmanager", "grafana", "node-exporter", "pushgateway", "blackbox-exporter", "postgres-exporter-app", "redis-exporter-cache", "api", "worker", "postgres", "redis", "webhook"];
    const ports: Record<string, number> = {};
    for (const n of names) ports[n] = await freePort();
    const secrets = { postgresPassword: "e2e-monitoring-password", grafanaAdminPassword: "e2e-admin-password" };
    const renderOptions: E2eRenderOptions = {
      projectDir: opts.projectDir,
      ports,
      // The dev stack file's host.docker.internal ports: API, worker, Postgres, Redis.
      monitored: { 3000: ports.api!, 9464: ports.worker!, 5432: ports.postgres!, 6379: ports.redis! },
      webhookUrl: (receiver) => `http://127.0.0.1:${ports.webhook}/${receiver}`,
      secrets,
      shortFor: opts.shortFor,
      interval: opts.interval,
    };
    const render = renderE2eStack(renderOptions);
    webhook = await startWebhook(ports.webhook!);

    // What the stack watches: Postgres (as its own user), Redis, the demo app.
    const pg = userIds("postgres");
    const pgBin = spawnSync("sh", ["-c", "ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1"], { encoding: "utf8" }).stdout.trim();
    const pgDir = join(dir, "postgres");
    mkdirSync(pgDir);
    chownSync(pgDir, pg.uid, pg.gid);
    const asPg = (cmd: string, args: string[]) => {
      const r = spawnSync(cmd, args, { uid: pg.uid, gid: pg.gid, encoding: "utf8", env: { PATH: process.env.PATH ?? "", PGPASSWORD: "" } });
      if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${r.stderr}${r.stdout}`);
    };
    asPg(join(pgBin, "initdb"), ["-D", join(pgDir, "data"), "-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync"]);
    programs.start("postgres", join(pgBin, "postgres"), ["-D", join(pgDir, "data"), "-k", pgDir, "-h", "127.0.0.1", "-p", String(ports.postgres), "-c", "fsync=off", "-c", "shared_buffers=16MB"], { uid: pg.uid, gid: pg.gid });
    programs.start("redis", "/usr/bin/redis-server", ["--port", String(ports.redis), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--maxmemory", "64mb"]);
    const demo = resolve(__dirname, "../demo-app.ts");
    const startApi = () => void programs.start("api", NODE_TSX[0], [...NODE_TSX.slice(1), demo, "api", "--port", String(ports.api)], { cwd: opts.projectDir });
    startApi();
    programs.start("worker", NODE_TSX[0], [...NODE_TSX.slice(1), demo, "worker", "--port", String(ports.worker)], { cwd: opts.projectDir });

    // The stack's workloads from their specs.
    const hostPaths = new Map<string, (p: string) => string>();
    let grafanaEnv: Record<string, string> = {};
    for (const spec of render.workloads) {
      const root = join(dir, spec.name);
      mkdirSync(root, { recursive: true, mode: 0o755 });
      const uid = Number(spec.user);
      const launch = remapSpec(spec, root, (p) => {
        const picked = ports[spec.name];
        if (picked === undefined || !spec.ports.some((x) => x.port === p)) throw new Error(`${spec.name}: no picked port for container port ${p}`);
        return picked;
      });
      hostPaths.set(spec.name, launch.hostPath);
      await writeSpecFiles(spec, launch, uid);
      if (spec.name === "grafana") {
        grafanaEnv = launch.env;
        continue;
      }
      const bin = binaryFor(spec, join(dir, "bin"));
      if (!bin) throw new Error(`no program for workload "${spec.name}"`);
      programs.start(spec.name, bin, launch.args, { env: launch.env, uid, gid: uid, cwd: root });
    }
    grafana = await startGrafanaStandIn({ env: grafanaEnv, port: ports.grafana!, hostPath: hostPaths.get("grafana")! });

    const url = (w: string) => `http://127.0.0.1:${ports[w]}`;
    await waitFor("postgres", () => tcpOpen(ports.postgres!), 20_000);
    // The exporter's login: a monitoring role (pg_monitor) with the stack's password, and the app database.
    const psql = (sql: string) => spawnSync("/usr/bin/psql", ["-h", pgDir, "-p", String(ports.postgres), "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-c", sql], { uid: pg.uid, gid: pg.gid, encoding: "utf8" });
    await waitFor("postgres accepting connections", async () => psql("SELECT 1").status === 0, 20_000, 300);
    for (const sql of [`CREATE ROLE monitoring LOGIN PASSWORD '${secrets.postgresPassword}' IN ROLE pg_monitor`, "CREATE DATABASE app"]) {
      const r = psql(sql);
      if (r.status !== 0) throw new Error(`psql ${sql}: ${r.stderr}`);
    }
    for (const spec of render.workloads) {
      const hc = spec.healthcheck ?? { path: "/metrics", port: spec.ports[0]!.port };
      await waitFor(`${spec.name} ${hc.path}`, () => httpOk(`${url(spec.name)}${hc.path}`), 30_000);
    }
    await waitFor("demo api", () => httpOk(`${url("api")}/health`), 20_000);
    await waitFor("demo worker", () => httpOk(`${url("worker")}/metrics`), 20_000);
    // A batch job's push, as the pushgateway exists for (its freshness alert and panel read push_time_seconds).
    await fetch(`${url("pushgateway")}/metrics/job/nightly-backup`, { method: "PUT", body: "backup_last_success_timestamp_seconds 1\n" });
    const crashed = programs.crashed();
    if (crashed.length > 0) throw new Error(`programs exited during start:\n${crashed.join("\n")}`);
    return {
      dir,
      render,
      renderOptions,
      programs,
      webhook,
      grafana,
      grafanaCredentials: { user: render.config.grafana.adminUser, password: secrets.grafanaAdminPassword },
      ports,
      url,
      hostPath: (w, p) => {
        const f = hostPaths.get(w);
        if (!f) throw new Error(`no workload "${w}"`);
        return f(p);
      },
      startApi,
      stop: () => stopAndRemove(dir, cleanup),
    };
  });
}
