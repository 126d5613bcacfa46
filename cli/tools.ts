/**
 * The real programs, run on synthesized output. They are the Go-built binaries of `npm run tools` (the releases the
 * stack pins, see tools/programs.ts), taken from one flat directory: `$MONCODE_TOOLS_BIN`, or the tools cache's
 * `bin/` (`$MONCODE_TOOLS_CACHE`, default `~/.cache/moncode/tools`). Never whatever is on PATH: a distribution's
 * promtool is years older than the Prometheus the stack deploys.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export interface ToolRun {
  readonly command: string;
  readonly ok: boolean;
  readonly output: string;
}

/** Where `npm run tools` keeps one directory per program and module version. */
export function toolsCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env.MONCODE_TOOLS_CACHE ?? join(env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "moncode", "tools");
}

/** The one flat directory holding the current version of every built program. */
export function toolsBinDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.MONCODE_TOOLS_BIN ?? join(toolsCacheRoot(env), "bin");
}

/** Absolute path of a built program (whether or not it exists). */
export function toolPath(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(toolsBinDir(env), name);
}

export function hasTool(name: string): boolean {
  return existsSync(toolPath(name));
}

/** The command that builds the tools, for messages. */
export const BUILD_TOOLS_COMMAND = "npm run -s tools";

/** A program's own version line (`promtool, version 3.16.0 (…)`), or undefined when it cannot run. */
export function toolVersion(name: string): string | undefined {
  const r = spawnSync(toolPath(name), ["--version"], { encoding: "utf8", timeout: 30_000 });
  if (r.status !== 0) return undefined;
  const line = `${r.stdout ?? ""}${r.stderr ?? ""}`.split("\n").find((l) => l.trim() !== "");
  return line?.trim();
}

export function runTool(name: string, args: readonly string[], opts: { cwd?: string } = {}): ToolRun {
  const r = spawnSync(toolPath(name), [...args], { encoding: "utf8", cwd: opts.cwd, timeout: 120_000 });
  const output = `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? String(r.error) : ""}`.trim();
  return { command: [name, ...args].join(" "), ok: r.status === 0, output };
}
