/**
 * The Pulumi CLI as a user runs it, with nothing from outside: the Go-built `pulumi`, language host and Kubernetes
 * provider first on PATH (the engine takes plugins found on PATH; automatic plugin downloads and the update check
 * are off), a local file backend and the passphrase secrets provider, all state in the run's temporary directory.
 *
 * The project is a copy of this repository's: `Pulumi.yaml` copied, every other top-level entry (index.ts,
 * stacks/, components/, node_modules/, tsconfig.json, …) a symbolic link to the checkout, and the test's own
 * `Pulumi.prod.yaml` (so `pulumi stack init` and `pulumi config set` never touch the checkout's).
 */
import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { toolsBinDir } from "../../cli/tools";

export const ROOT = join(__dirname, "..", "..");

/** Top-level entries of the checkout the project copy does not link. */
const NOT_LINKED = new Set([".git", "out", "dist", "Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.prod.yaml", ".pulumi-state"]);

export function makeProjectCopy(dir: string): string {
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(ROOT, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
  for (const e of readdirSync(ROOT)) if (!NOT_LINKED.has(e)) symlinkSync(join(ROOT, e), join(dir, e));
  return dir;
}

/** The environment of every `pulumi` command (README "Deploying to Kubernetes" lists the same variables). */
export function pulumiEnv(opts: { home: string; passphrase: string; kubeconfig: string }): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("PULUMI_") && k !== "KUBECONFIG"));
  return {
    ...base,
    PATH: `${toolsBinDir()}:${process.env.PATH ?? ""}`,
    PULUMI_HOME: opts.home,
    PULUMI_CONFIG_PASSPHRASE: opts.passphrase,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    // `npm test` type-checks the program (tsc); the engine's run only transpiles it.
    PULUMI_NODEJS_TRANSPILE_ONLY: "true",
    KUBECONFIG: opts.kubeconfig,
  };
}

export interface PulumiRun {
  readonly args: readonly string[];
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

export class Pulumi {
  readonly runs: PulumiRun[] = [];
  constructor(
    readonly cwd: string,
    readonly env: NodeJS.ProcessEnv,
  ) {}

  /** Runs `pulumi <args>`; throws with its output unless it exits 0 (or `allowFailure`). */
  async run(args: readonly string[], opts: { allowFailure?: boolean; input?: string; timeoutMs?: number } = {}): Promise<PulumiRun> {
    const t0 = Date.now();
    const full = [...args, "--non-interactive", "--color", "never"];
    const result = await new Promise<PulumiRun>((resolve, reject) => {
      const child = spawn("pulumi", full, { cwd: this.cwd, env: this.env, stdio: ["pipe", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
      const timer = setTimeout(() => child.kill("SIGINT"), opts.timeoutMs ?? 900_000);
      child.on("error", reject);
      child.on("close", (code) => {
        clearTimeout(timer);
        resolve({ args: full, code: code ?? -1, stdout, stderr, seconds: (Date.now() - t0) / 1000 });
      });
      child.stdin.end(opts.input ?? "");
    });
    this.runs.push(result);
    if (result.code !== 0 && !opts.allowFailure) {
      throw new Error(`pulumi ${full.join(" ")} exited ${result.code} after ${result.seconds.toFixed(1)} s\n--- stdout\n${result.stdout.slice(-6000)}\n--- stderr\n${result.stderr.slice(-4000)}`);
    }
    return result;
  }

  async json<T>(args: readonly string[]): Promise<T> {
    const r = await this.run([...args, "--json"]);
    return JSON.parse(r.stdout) as T;
  }
}

/** One step of `pulumi preview --json`. */
export interface PreviewStep {
  readonly op: string;
  readonly urn: string;
  readonly diffReasons?: string[];
  readonly detailedDiff?: Record<string, { kind: string; inputDiff?: boolean }>;
  readonly newState?: { type: string; inputs?: Record<string, unknown> };
  readonly oldState?: { type: string; inputs?: Record<string, unknown> };
}

export interface PreviewJson {
  readonly steps: PreviewStep[];
  readonly changeSummary: Record<string, number>;
  readonly diagnostics?: { message: string; severity: string; urn?: string }[];
}

/** `kubernetes:core/v1:ConfigMap` + name from a URN. */
export function urnParts(urn: string): { type: string; name: string } {
  const parts = urn.split("::");
  const types = (parts[2] ?? "").split("$");
  return { type: types[types.length - 1] ?? "", name: parts[3] ?? "" };
}
