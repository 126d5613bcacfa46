/**
 * Programs of the live test: each started as its own process (the binary itself, never a shell chain), logged to a
 * file, stopped by its PID — SIGTERM, then SIGKILL after a grace period. `stopAll` runs on success and failure.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer, connect } from "node:net";
import { join } from "node:path";

/** A free loopback port: bind port 0, read what the kernel gave, release it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const addr = s.address();
      if (addr === null || typeof addr === "string") return reject(new Error("no port"));
      s.close(() => resolve(addr.port));
    });
  });
}

export interface StartOptions {
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  readonly uid?: number;
  readonly gid?: number;
}

export interface Program {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  readonly child: ChildProcess;
  exited: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Programs {
  private readonly running = new Map<string, Program>();
  constructor(private readonly logDir: string) {}

  start(name: string, command: string, args: readonly string[], opts: StartOptions = {}): Program {
    if (this.running.has(name) && !this.running.get(name)!.exited) throw new Error(`program "${name}" is already running`);
    const logFile = join(this.logDir, `${name}.log`);
    const fd = openSync(logFile, "a");
    const child = spawn(command, [...args], {
      stdio: ["ignore", fd, fd],
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...(opts.env ?? {}) },
      ...(opts.cwd !== undefined ? { cwd: opts.cwd } : {}),
      ...(opts.uid !== undefined ? { uid: opts.uid } : {}),
      ...(opts.gid !== undefined ? { gid: opts.gid } : {}),
    });
    closeSync(fd);
    if (child.pid === undefined) throw new Error(`could not start ${command}`);
    const p: Program = { name, pid: child.pid, logFile, child, exited: false };
    child.on("exit", () => (p.exited = true));
    this.running.set(name, p);
    return p;
  }

  get(name: string): Program {
    const p = this.running.get(name);
    if (!p) throw new Error(`no program "${name}"`);
    return p;
  }

  log(name: string): string {
    try {
      return readFileSync(this.get(name).logFile, "utf8");
    } catch {
      return "";
    }
  }

  /** SIGTERM by PID, SIGKILL after `graceMs`; resolves once the process is gone. */
  async stop(name: string, graceMs = 5_000): Promise<void> {
    await this.signal(name, "SIGTERM", graceMs);
  }

  /** SIGKILL by PID (a crash: no clean shutdown, no leave message to peers); resolves once the process is gone. */
  async kill(name: string): Promise<void> {
    await this.signal(name, "SIGKILL");
  }

  private async signal(name: string, sig: "SIGTERM" | "SIGKILL", killAfterMs?: number): Promise<void> {
    const p = this.running.get(name);
    if (!p || p.exited) return;
    const gone = new Promise<void>((r) => (p.exited ? r() : p.child.once("exit", () => r())));
    try {
      process.kill(p.pid, sig);
    } catch {
      return;
    }
    const timer =
      killAfterMs === undefined
        ? undefined
        : setTimeout(() => {
            try {
              if (!p.exited) process.kill(p.pid, "SIGKILL");
            } catch {
              /* already gone */
            }
          }, killAfterMs);
    await gone;
    clearTimeout(timer);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.running.keys()].reverse().map((n) => this.stop(n)));
  }

  /** Programs that died on their own, with the tail of their log. */
  crashed(): string[] {
    return [...this.running.values()].filter((p) => p.exited).map((p) => `${p.name} (pid ${p.pid}) exited:\n${this.log(p.name).slice(-1500)}`);
  }
}

/** A run's folder (readable by the programs' users), its logs folder and the programs logging there. */
export function newRun(prefix: string): { dir: string; logs: string; programs: Programs } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  const logs = join(dir, "logs");
  mkdirSync(logs);
  return { dir, logs, programs: new Programs(logs) };
}

/**
 * A run's start-up: on failure stops what already runs and rethrows with the log tails of the programs that died
 * and where the logs are.
 */
export async function startOrStop<T>(programs: Programs, logs: string, cleanup: () => Promise<void>, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (e) {
    const crashed = programs.crashed();
    await cleanup();
    throw new Error(`${e instanceof Error ? e.message : String(e)}${crashed.length ? `\n${crashed.join("\n")}` : ""}\n(logs in ${logs})`);
  }
}

/** Stops a run, then removes its folder (kept with MONCODE_E2E_KEEP=1, to read the logs). */
export async function stopAndRemove(dir: string, cleanup: () => Promise<void>): Promise<void> {
  await cleanup();
  if (process.env.MONCODE_E2E_KEEP !== "1") rmSync(dir, { recursive: true, force: true });
}

/** Polls until `check` resolves true; throws with `what` and the last error after `timeoutMs`. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, everyMs = 200): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      if (await check()) return;
    } catch (e) {
      last = e;
    }
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await sleep(everyMs);
  }
}

export async function httpOk(url: string, init?: RequestInit): Promise<boolean> {
  const r = await fetch(url, { ...init, signal: AbortSignal.timeout(2_000) });
  await r.arrayBuffer();
  return r.ok;
}

export function tcpOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ port, host: "127.0.0.1" });
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}

export { sleep };
