/**
 * A private Docker engine for one test run: `dockerd` started by hand with its own socket, data-root, exec-root and
 * pidfile in a temporary directory, stopped by its PID and removed afterwards — also when the run fails.
 *
 * Network isolation (containers talk only to each other and to this host): no iptables rules, no IP forwarding, no
 * masquerading and no default bridge, so nothing a container sends can be routed off the machine; the embedded DNS
 * forwards unknown names to the host's loopback (where nothing answers) instead of an outside resolver. The one
 * user-defined network the stack creates gets the run's single /24; `host-gateway` is that network's gateway, an
 * address of this host, where the test's stand-in targets listen.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, rmdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Docker from "dockerode";

export interface Engine {
  readonly docker: Docker;
  readonly socket: string;
  readonly dir: string;
  /** dockerd's `--data-root` (what `docker info` calls Docker Root Dir): the json-file logs are under `containers/`. */
  readonly dataRoot: string;
  readonly pid: number;
  /** The /24 the stack's network gets, e.g. `10.213.42.0/24`. */
  readonly subnet: string;
  /** What `host-gateway` resolves to inside containers: the stack network's gateway on this host. */
  readonly gatewayIp: string;
  /** Seconds from spawn to a daemon answering /_ping. */
  readonly startSeconds: number;
  /** Removes every container, network and volume of this engine, stops it, unmounts and deletes its directory. */
  stop(): Promise<void>;
  /** The daemon's log (for failure messages). */
  log(): string;
}

function has(cmd: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Installs docker.io and iptables from Debian when missing (root only; the engine needs root anyway). */
export function ensureDockerInstalled(): void {
  if (process.getuid?.() !== 0) throw new Error("the Docker tests start their own dockerd and need root");
  const missing = [has("dockerd") ? undefined : "docker.io", has("iptables") ? undefined : "iptables"].filter((x): x is string => x !== undefined);
  if (missing.length === 0) return;
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  // apt-get needs package lists; an install from stale or missing lists fails, so refresh first.
  execFileSync("apt-get", ["update", "-q"], { stdio: "ignore", env, timeout: 300_000 });
  execFileSync("apt-get", ["install", "-y", "-q", "--no-install-recommends", ...missing], { stdio: "ignore", env, timeout: 300_000 });
  if (!has("dockerd")) throw new Error(`apt-get install ${missing.join(" ")} did not provide dockerd`);
}

/** A /24 in 10.213.0.0/16 that no route on this host covers, so the run's network cannot shadow a real one. */
function pickSubnet(): { subnet: string; gateway: string } {
  const routes = readFileSync("/proc/net/route", "utf8").split("\n").slice(1).filter(Boolean);
  const taken = new Set(
    routes.map((l) => {
      const dest = l.split(/\s+/)[1] ?? "00000000";
      const n = parseInt(dest, 16);
      return `${n & 0xff}.${(n >> 8) & 0xff}.${(n >> 16) & 0xff}`;
    }),
  );
  for (let i = 0; i < 50; i++) {
    const third = Math.floor(Math.random() * 254) + 1;
    const net = `10.213.${third}`;
    if (!taken.has(net)) return { subnet: `${net}.0/24`, gateway: `${net}.1` };
  }
  throw new Error("no free /24 in 10.213.0.0/16");
}

function mountsUnder(dir: string): string[] {
  return readFileSync("/proc/self/mounts", "utf8")
    .split("\n")
    .map((l) => (l.split(" ")[1] ?? "").replace(/\\040/g, " "))
    .filter((m) => m === dir || m.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor<T>(what: string, timeoutMs: number, fn: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ""}`);
}

/** Host paths that bind mounts of the stack may create (Docker creates a missing bind source); removed if we made them. */
export const HOST_PATHS_TO_RESTORE = ["/var/lib/docker", "/dev/disk"];

export async function startEngine(): Promise<Engine> {
  ensureDockerInstalled();
  const t0 = Date.now();
  const dir = mkdtempSync(join(tmpdir(), "moncode-dockerd-"));
  const socket = join(dir, "docker.sock");
  const dataRoot = join(dir, "data");
  const { subnet, gateway } = pickSubnet();
  const preexisting = new Set(HOST_PATHS_TO_RESTORE.filter((p) => existsSync(p)));
  const args = [
    `--host=unix://${socket}`,
    `--data-root=${dataRoot}`,
    `--exec-root=${join(dir, "exec")}`,
    `--pidfile=${join(dir, "docker.pid")}`,
    "--iptables=false",
    "--ip-forward=false",
    "--ip-masq=false",
    "--bridge=none",
    `--default-address-pool=base=${subnet},size=24`,
    `--host-gateway-ip=${gateway}`,
    "--dns=127.0.0.1",
    "--storage-driver=overlay2",
    "--log-level=warn",
  ];
  const logFile = join(dir, "dockerd.log");
  const fd = openSync(logFile, "a");
  // dockerd in a mount namespace of its own whose mounts are shared, as systemd makes `/` on a normal host: this
  // sandbox's `/` is a private mount, on which Docker refuses an `rslave` bind of the host root (node-exporter's
  // `/host`). unshare execs dockerd (same PID); nothing outside that namespace changes, and it ends with dockerd.
  const child: ChildProcess = spawn("unshare", ["--mount", "--propagation", "shared", "dockerd", ...args], { stdio: ["ignore", fd, fd] });
  const pid = child.pid;
  if (pid === undefined) throw new Error("dockerd did not start");
  const docker = new Docker({ socketPath: socket });
  const log = () => (existsSync(logFile) ? readFileSync(logFile, "utf8") : "");

  let stopped = false;
  const lastResort = () => {
    if (!stopped && alive(pid)) process.kill(pid, "SIGKILL");
  };
  process.once("exit", lastResort);

  const stop = async (): Promise<void> => {
    if (stopped) return;
    try {
      if (alive(pid)) {
        // Remove what the run left (a failing test may leave containers) before stopping the daemon.
        try {
          for (const c of await docker.listContainers({ all: true })) await docker.getContainer(c.Id).remove({ force: true, v: true });
          for (const n of await docker.listNetworks()) if (!["none", "host", "bridge"].includes(n.Name)) await docker.getNetwork(n.Id).remove();
          for (const v of (await docker.listVolumes()).Volumes ?? []) await docker.getVolume(v.Name).remove({ force: true });
        } catch {
          // The daemon may be wedged; the kill below and the unmounts still clean up.
        }
        const containerdPid = readPid(join(dir, "exec", "containerd", "containerd.pid"));
        process.kill(pid, "SIGTERM");
        const deadline = Date.now() + 20_000;
        while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
        if (alive(pid)) process.kill(pid, "SIGKILL");
        if (containerdPid !== undefined && alive(containerdPid)) process.kill(containerdPid, "SIGKILL");
        await new Promise<void>((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once("exit", () => r())));
      }
    } finally {
      stopped = true;
      process.removeListener("exit", lastResort);
      for (const m of mountsUnder(dir)) {
        try {
          execFileSync("umount", ["-l", m], { stdio: "ignore" });
        } catch {
          // already gone
        }
      }
      rmSync(dir, { recursive: true, force: true });
      for (const p of HOST_PATHS_TO_RESTORE) {
        if (!preexisting.has(p) && existsSync(p) && statSync(p).isDirectory() && readdirSync(p).length === 0) rmdirSync(p);
      }
    }
  };

  try {
    await waitFor("dockerd to answer on its socket", 60_000, async () => {
      if (child.exitCode !== null) return "exited";
      return existsSync(socket) && (await docker.ping()) ? "up" : undefined;
    }).then((state) => {
      if (state === "exited") throw new Error(`dockerd exited with ${child.exitCode}:\n${log().slice(-2000)}`);
    });
  } catch (e) {
    await stop();
    throw e;
  }
  return { docker, socket, dir, dataRoot, pid, subnet, gatewayIp: gateway, startSeconds: (Date.now() - t0) / 1000, stop, log };
}

function readPid(path: string): number | undefined {
  try {
    const n = Number(readFileSync(path, "utf8").trim());
    return Number.isInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Capabilities this process (and so dockerd and runc) cannot grant: a privileged container asks for every one, and
 * runc fails with "unable to apply caps" when the bounding set lacks any. Empty on an ordinary root host; this
 * workplace's sandbox lacks CAP_SYS_RESOURCE.
 */
export function missingCapabilities(): number[] {
  const status = readFileSync("/proc/self/status", "utf8");
  const bnd = BigInt(`0x${/CapBnd:\s*([0-9a-f]+)/.exec(status)?.[1] ?? "0"}`);
  const last = Number(readFileSync("/proc/sys/kernel/cap_last_cap", "utf8").trim());
  const missing: number[] = [];
  for (let i = 0; i <= last; i++) if ((bnd & (1n << BigInt(i))) === 0n) missing.push(i);
  return missing;
}
