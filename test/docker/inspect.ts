/**
 * Looking into running containers: exec as the container's own user, the workload's process from the host's /proc
 * (for images without a shell: FROM scratch), HTTP from the host, referenced paths.
 */
import { readFileSync, statSync } from "node:fs";
import { PassThrough } from "node:stream";
import { posix } from "node:path";
import type Docker from "dockerode";
import { parse } from "yaml";
import type { ContainerPlan } from "./apply";

export interface ExecResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `cmd` in the container as the container's configured user (exec's default) or as `user`. */
export async function execIn(docker: Docker, id: string, cmd: readonly string[], user?: string): Promise<ExecResult> {
  const exec = await docker.getContainer(id).exec({ Cmd: [...cmd], AttachStdout: true, AttachStderr: true, ...(user !== undefined ? { User: user } : {}) });
  const stream = await exec.start({ hijack: true, stdin: false });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const o = new PassThrough().on("data", (c: Buffer) => out.push(c));
  const e = new PassThrough().on("data", (c: Buffer) => err.push(c));
  docker.modem.demuxStream(stream, o, e);
  await new Promise<void>((resolve) => stream.on("end", () => resolve()));
  const info = await exec.inspect();
  return { code: info.ExitCode ?? -1, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") };
}

export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

export async function eventually<T>(what: string, timeoutMs: number, fn: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}${last ? ` (${String(last)})` : ""}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

export interface PathReference {
  /** Where the reference was found, e.g. `--config.file` or `alertmanager.yml slack_configs[0].api_url_file`. */
  readonly from: string;
  /** An absolute file path, or a glob (rule_files) that must match at least one uploaded file. */
  readonly path: string;
  readonly glob: boolean;
}

function walkYaml(v: unknown, where: string, out: (key: string, value: unknown, where: string) => void): void {
  if (Array.isArray(v)) v.forEach((x, i) => walkYaml(x, `${where}[${i}]`, out));
  else if (v && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) {
      out(k, x, `${where}.${k}`);
      walkYaml(x, `${where}.${k}`, out);
    }
  }
}

/**
 * Files the container's configuration points at: `--config.file`-style flags, `*_FILE` environment variables, an
 * entrypoint script, and inside uploaded YAML every `*_file` value and `rule_files` glob (relative to that file).
 * Data paths (TSDB, persistence files) are volumes, not references.
 */
export function referencedPaths(plan: ContainerPlan): PathReference[] {
  const refs: PathReference[] = [];
  for (const a of [...(plan.create.Entrypoint as string[] | undefined ?? []), ...(plan.create.Cmd as string[] | undefined ?? [])]) {
    // --config.file / --web.config.file (Prometheus, Alertmanager, exporters), -config.file (Loki), --config (Jaeger v2,
    // the collector), --*password-file.
    const m = /^(-{1,2})([\w.-]*?(?:config\.file|config|password-file))=(\/.+)$/.exec(a);
    if (m) refs.push({ from: `${m[1]}${m[2]}`, path: m[3]!, glob: false });
    else if (a.startsWith("/") && /\.(sh|ya?ml|json)$/.test(a)) refs.push({ from: "entrypoint/command", path: a, glob: false });
  }
  for (const e of plan.create.Env ?? []) {
    const [k, ...rest] = e.split("=");
    const v = rest.join("=");
    if (/_FILE$/.test(k ?? "") && v.startsWith("/")) refs.push({ from: `env ${k}`, path: v, glob: false });
  }
  for (const u of plan.uploads) {
    if (!/\.ya?ml$/.test(u.file)) continue;
    const doc = parse(u.content.toString("utf8")) as unknown;
    const base = posix.dirname(u.file);
    walkYaml(doc, posix.basename(u.file), (k, v, where) => {
      if (/_file$/.test(k) && typeof v === "string") refs.push({ from: where, path: posix.resolve(base, v), glob: false });
      if (k === "rule_files" && Array.isArray(v)) for (const g of v) refs.push({ from: where, path: posix.resolve(base, String(g)), glob: true });
    });
  }
  return refs;
}

/** Minimal glob (`*` within one path segment), enough for Prometheus's rule_files. */
export function globMatch(glob: string, path: string): boolean {
  const re = new RegExp(`^${glob.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join("[^/]*")}$`);
  return re.test(path);
}

/** The credentials of a container's main process, read from the host's /proc (the engine shares its PID namespace). */
export interface ProcessCreds {
  readonly pid: number;
  readonly uid: number;
  readonly gids: readonly number[];
  readonly capBnd: bigint;
  readonly capEff: bigint;
}

export function processCreds(pid: number): ProcessCreds {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const field = (k: string) => /^(\S+):\s*(.*)$/m.exec(status.split("\n").find((l) => l.startsWith(`${k}:`)) ?? "")?.[2]?.trim() ?? "";
  const gid = Number(field("Gid").split(/\s+/)[0]);
  const groups = field("Groups").split(/\s+/).filter(Boolean).map(Number);
  return {
    pid,
    uid: Number(field("Uid").split(/\s+/)[0]),
    gids: [...new Set([gid, ...groups])],
    capBnd: BigInt(`0x${field("CapBnd") || "0"}`),
    capEff: BigInt(`0x${field("CapEff") || "0"}`),
  };
}

/** A path inside the container as the host sees it (through the main process's root). */
export const inContainer = (pid: number, path: string) => `/proc/${pid}/root${path}`;

/**
 * Whether the process may read (`r`) a file or write into (`w`) a directory at `path` in its container, by the
 * owner/group/other bits of the path and every directory above it — what the kernel checks for a process without
 * CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH (every workload here drops all capabilities, root included).
 */
export function mayAccess(p: ProcessCreds, path: string, want: "r" | "w"): { ok: boolean; why: string } {
  const bits = (mode: number, uid: number, gid: number) => (p.uid === uid ? (mode >> 6) & 7 : p.gids.includes(gid) ? (mode >> 3) & 7 : mode & 7);
  const parts = path.split("/").filter(Boolean);
  for (let i = 0; i < parts.length; i++) {
    const dir = `/${parts.slice(0, i).join("/")}`;
    const st = statSync(inContainer(p.pid, dir));
    if ((bits(st.mode, st.uid, st.gid) & 1) === 0) return { ok: false, why: `${dir} not searchable by uid ${p.uid} (${(st.mode & 0o7777).toString(8)} ${st.uid}:${st.gid})` };
  }
  const st = statSync(inContainer(p.pid, path));
  const need = want === "r" ? 4 : 2 | 1;
  const ok = (bits(st.mode, st.uid, st.gid) & need) === need;
  return { ok, why: ok ? "" : `${path} not ${want === "r" ? "readable" : "writable"} by uid ${p.uid} (${(st.mode & 0o7777).toString(8)} ${st.uid}:${st.gid})` };
}
