/**
 * Starts the prod render of a drill (prod-render.ts) with the Go-built programs: every Prometheus replica and
 * Alertmanager peer as its own process, its own data directory and loopback ports, run as the image's user, with
 * what Kubernetes would give the pod (PROMETHEUS_REPLICA = the pod name, POD_IP expanded in the args), plus the
 * drill's targets and the webhook receiver. Everything is stopped by PID on success and on failure.
 */
import { mkdirSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import type { Socket } from "node:net";
import { join } from "node:path";
import type { WorkloadSpec } from "../../../components/platform";
import { freePort, httpOk, newRun, Programs, startOrStop, stopAndRemove, waitFor } from "./processes";
import { renderProdForDrill, resolveHosts, type DrillRender, type DrillRenderOptions } from "./prod-render";
import { binaryFor, remapSpec, startWebhook, writeSpecFiles, type WebhookReceiver } from "./stack";

/** What a drill target does with a scrape: answer at once, after a delay, or never (the connection stays open, silent). */
export type TargetBehaviour = { readonly kind: "ok" } | { readonly kind: "slow"; readonly delayMs: number } | { readonly kind: "hang" };

export interface Target {
  readonly port: number;
  behaviour: TargetBehaviour;
  /** Closes the listener and every connection: the target is down (connection refused). */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
}

/** A scrape target the drill controls, serving /metrics on loopback. */
export async function startTarget(port: number, initial: TargetBehaviour = { kind: "ok" }): Promise<Target> {
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  const t: Target = {
    port,
    behaviour: initial,
    start: async () => {
      if (server) return;
      const s = createHttpServer((_req, res) => {
        const answer = () => res.end("# TYPE drill_up gauge\ndrill_up 1\n");
        const b = t.behaviour;
        if (b.kind === "slow") setTimeout(answer, b.delayMs);
        else if (b.kind === "ok") answer();
        // hang: the request was read, no byte of an answer is ever written.
      });
      s.on("connection", (sock: Socket) => {
        sockets.add(sock);
        sock.on("close", () => sockets.delete(sock));
      });
      await new Promise<void>((r) => s.listen(port, "127.0.0.1", () => r()));
      server = s;
    },
    stop: async () => {
      const s = server;
      server = undefined;
      if (!s) return;
      for (const sock of sockets) sock.destroy();
      await new Promise<void>((r) => s.close(() => r()));
    },
  };
  await t.start();
  return t;
}

export interface DrillStack {
  readonly dir: string;
  readonly render: DrillRender;
  readonly programs: Programs;
  readonly webhook: WebhookReceiver;
  readonly prometheus: readonly string[];
  readonly alertmanager: readonly string[];
  /** Process name of each replica (`prometheus-0`, `alertmanager-2`). */
  readonly prometheusNames: readonly string[];
  readonly alertmanagerNames: readonly string[];
  /** Host path of a container path of one replica, e.g. (prometheus-0, /prometheus). */
  hostPath(name: string, containerPath: string): string;
  /** Starts a replica again with the same flags, environment and data directory (a pod restarted). */
  restart(name: string): void;
  stop(): Promise<void>;
}

export type DrillStackOptions = Omit<DrillRenderOptions, "webhookUrl"> & {
  /** Before the programs start (backfilling a TSDB): the stack with nothing running yet. */
  readonly beforeStart?: (s: Pick<DrillStack, "hostPath" | "render">) => Promise<void> | void;
};

/** `$(VAR)` in container args, expanded from the container's environment, as the kubelet does. */
function expandKubernetesArgs(args: readonly string[], env: Readonly<Record<string, string>>): string[] {
  return args.map((a) => a.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, v: string) => env[v] ?? whole));
}

interface Launch {
  readonly name: string;
  readonly bin: string;
  readonly args: string[];
  readonly env: Record<string, string>;
  readonly uid: number;
  readonly root: string;
  readonly hostPath: (p: string) => string;
}

/** One replica of a workload: files with platform addresses resolved, ports moved, pod environment set. */
async function prepareReplica(spec: WorkloadSpec, name: string, dir: string, hosts: DrillRender["hosts"], ports: Readonly<Record<number, number>>, podEnv: Record<string, string>, self?: string): Promise<Launch> {
  const root = join(dir, name);
  mkdirSync(root, { recursive: true, mode: 0o755 });
  const resolved: WorkloadSpec = {
    ...spec,
    args: expandKubernetesArgs(spec.args, podEnv),
    files: spec.files.map((f) => (typeof f.content === "string" && !f.secret ? { ...f, content: resolveHosts(f.content, hosts, self) } : f)),
  };
  const launch = remapSpec(resolved, root, (p) => {
    const picked = ports[p];
    if (picked === undefined) throw new Error(`${name}: no loopback port for container port ${p}`);
    return picked;
  });
  // `[<pod IP>]:9094` (the gossip advertise address) is not a plain listen address: move its port too.
  // Listen addresses and paths moved first; then the peers' platform addresses resolved (already loopback after).
  const args = launch.args.map((a) => resolveHosts(a, hosts, self)).map((a) => a.replace(/^(--[a-z.-]+=\[[0-9.]+\]):(\d+)$/, (_w, head: string, p: string) => `${head}:${ports[Number(p)] ?? p}`));
  const uid = Number(spec.user);
  await writeSpecFiles(resolved, launch, uid);
  const bin = binaryFor(spec, join(dir, "bin"));
  if (!bin) throw new Error(`no program for workload "${spec.name}"`);
  return { name, bin, args, env: { ...launch.env, ...podEnv }, uid, root, hostPath: launch.hostPath };
}

export async function startDrillStack(opts: DrillStackOptions): Promise<DrillStack> {
  if (process.getuid?.() !== 0) throw new Error("the drills run as root: each program runs as its image's numeric user");
  const { dir, logs, programs } = newRun("moncode-drill-");
  let webhook: WebhookReceiver | undefined;
  const cleanup = async () => {
    await programs.stopAll();
    await webhook?.close();
  };
  return startOrStop(programs, logs, cleanup, async () => {
    const free = async (n: number) => Promise.all(Array.from({ length: n }, () => freePort()));
    const ports = {
      prometheus: await free(opts.prometheusReplicas),
      alertmanagerWeb: await free(opts.alertmanagerReplicas),
      alertmanagerCluster: await free(opts.alertmanagerReplicas),
      exporters: { "blackbox-exporter": await freePort() },
    };
    const webhookPort = await freePort();
    const render = renderProdForDrill({ ...opts, webhookUrl: (r) => `http://127.0.0.1:${webhookPort}/${r}` }, ports);
    webhook = await startWebhook(webhookPort);
    const launches: Launch[] = [];
    for (const [i, pod] of render.prometheusPods.entries()) {
      const env = render.prometheus.replicaIdentityEnv ? { [render.prometheus.replicaIdentityEnv]: pod } : {};
      launches.push(await prepareReplica(render.prometheus, pod, dir, render.hosts, { 9090: ports.prometheus[i]! }, env, `127.0.0.1:${ports.prometheus[i]}`));
    }
    for (let i = 0; i < opts.alertmanagerReplicas; i++) {
      const env = render.alertmanager.instanceIpEnv ? { [render.alertmanager.instanceIpEnv]: "127.0.0.1" } : {};
      launches.push(await prepareReplica(render.alertmanager, `alertmanager-${i}`, dir, render.hosts, { 9093: ports.alertmanagerWeb[i]!, 9094: ports.alertmanagerCluster[i]! }, env));
    }
    for (const w of render.exporters) launches.push(await prepareReplica(w, w.name, dir, render.hosts, Object.fromEntries(w.ports.map((p) => [p.port, ports.exporters[w.name as "blackbox-exporter"]])), {}));
    const byName = new Map(launches.map((l) => [l.name, l]));
    const hostPath = (name: string, p: string) => {
      const l = byName.get(name);
      if (!l) throw new Error(`no replica "${name}"`);
      return l.hostPath(p);
    };
    await opts.beforeStart?.({ hostPath, render });
    const start = (l: Launch) => void programs.start(l.name, l.bin, l.args, { env: l.env, uid: l.uid, gid: l.uid, cwd: l.root });
    launches.forEach(start);
    const url = (p: number) => `http://127.0.0.1:${p}`;
    const prometheus = ports.prometheus.map(url);
    const alertmanager = ports.alertmanagerWeb.map(url);
    for (const u of [...prometheus, ...alertmanager]) await waitFor(`${u}/-/ready`, () => httpOk(`${u}/-/ready`), 60_000, 200);
    const crashed = programs.crashed();
    if (crashed.length > 0) throw new Error(`programs exited during start:\n${crashed.join("\n")}`);
    return {
      dir,
      render,
      programs,
      webhook,
      prometheus,
      alertmanager,
      prometheusNames: render.prometheusPods,
      alertmanagerNames: Array.from({ length: opts.alertmanagerReplicas }, (_, i) => `alertmanager-${i}`),
      hostPath,
      restart: (name) => {
        const l = byName.get(name);
        if (!l) throw new Error(`no replica "${name}"`);
        start(l);
      },
      stop: () => stopAndRemove(dir, cleanup),
    };
  });
}
