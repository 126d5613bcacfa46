/** Real-tool helpers: amtool runs, a loopback Alertmanager, a webhook sink. Missing tools fail, never skip. */
import { execFile, spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll } from "vitest";
import { tool } from "../../helpers/tools";

export const AMTOOL = tool("amtool");
export const ALERTMANAGER = tool("alertmanager");

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function run(cmd: string, args: readonly string[]): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(cmd, [...args], { timeout: 20_000 }, (err, stdout, stderr) => {
      if (err && (err as NodeJS.ErrnoException).code === "ENOENT") reject(new Error(`${cmd} is not installed`));
      else resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

/** Runs jobs with bounded concurrency, keeping result order. */
export async function pool<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * Directories made by tempDir, removed after the test file that imported this module (vitest evaluates it once per
 * file, so this hook is that file's).
 */
const made: string[] = [];
afterAll(() => made.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

export function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), `moncode-${prefix}-`));
  made.push(d);
  return d;
}

export function writeTemp(dir: string, name: string, content: string): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface WebhookSink {
  readonly url: string;
  /** Label sets of every alert delivered so far. */
  readonly received: Array<Record<string, string>>;
  close(): Promise<void>;
}

export async function startWebhookSink(): Promise<WebhookSink> {
  const received: Array<Record<string, string>> = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      try {
        const msg = JSON.parse(body) as { alerts?: Array<{ labels: Record<string, string>; status: string }> };
        for (const a of msg.alerts ?? []) if (a.status === "firing") received.push(a.labels);
      } catch {
        /* ignore malformed bodies */
      }
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/hook`, received, close: () => new Promise((r) => server.close(() => r())) };
}

export interface RunningAlertmanager {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

export async function startAlertmanager(configFile: string): Promise<RunningAlertmanager> {
  const port = await freePort();
  const storage = tempDir("am-data");
  const child: ChildProcess = spawn(
    ALERTMANAGER,
    [`--config.file=${configFile}`, `--storage.path=${storage}`, `--web.listen-address=127.0.0.1:${port}`, "--cluster.listen-address="],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let log = "";
  child.stderr?.on("data", (c: Buffer) => (log += c.toString()));
  const spawnError = new Promise<never>((_, reject) => child.once("error", (e) => reject(new Error(`cannot start ${ALERTMANAGER}: ${e.message}`))));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.pid !== undefined && child.exitCode === null) {
      process.kill(child.pid, "SIGTERM");
      await new Promise((r) => child.once("exit", r));
    }
  };
  const ready = (async () => {
    for (let i = 0; i < 100; i++) {
      if (child.exitCode !== null) throw new Error(`alertmanager exited: ${log}`);
      try {
        const r = await fetch(`${url}/-/ready`);
        if (r.ok) return;
      } catch {
        /* not up yet */
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`alertmanager not ready after 10s: ${log}`);
  })();
  try {
    await Promise.race([ready, spawnError]);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, pid: child.pid ?? -1, stop };
}
