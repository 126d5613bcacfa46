/** Looking into running containers: exec as the container's own user, HTTP from the host, referenced paths. */
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
    const m = /^--([\w.-]*(?:config\.file|password-file|web\.config\.file))=(\/.+)$/.exec(a);
    if (m) refs.push({ from: `--${m[1]}`, path: m[2]!, glob: false });
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
