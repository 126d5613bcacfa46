/** The real Prometheus tools, run on synthesized output. */
import { spawnSync } from "node:child_process";

export interface ToolRun {
  readonly command: string;
  readonly ok: boolean;
  readonly output: string;
}

export function hasTool(name: string): boolean {
  const r = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" });
  return r.status === 0;
}

export function runTool(cmd: string, args: readonly string[], opts: { cwd?: string } = {}): ToolRun {
  const r = spawnSync(cmd, [...args], { encoding: "utf8", cwd: opts.cwd, timeout: 120_000 });
  const output = `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? String(r.error) : ""}`.trim();
  return { command: [cmd, ...args].join(" "), ok: r.status === 0, output };
}
