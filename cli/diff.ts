/**
 * `moncode diff --base <git ref | synth dir> [--head <ref | dir>] [--stack dev] [--format markdown|json]
 * [--fail-on removed-alerts,routing-change,…]`: the semantic monitoring diff of two versions of a stack.
 *
 * A git ref is synthesized with that ref's own code — a temporary `git worktree` at the ref, where
 * `tsx cli/main.ts synth` runs — so a change to the code is compared as honestly as a change to the config. The
 * worktree reuses this checkout's node_modules (a symlink) when the ref's package-lock.json is the same, and runs
 * `npm ci` otherwise; it is removed afterwards, also when anything fails. A directory is an existing synth output
 * (`out/` or `out/<stack>/`). The head defaults to the working tree.
 *
 * Exit codes: 0, or 1 when a --fail-on category occurs; 2 on a usage error; 3 when a side cannot be built.
 */
import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve, sep } from "node:path";
import { alertImpactFrom, diffSynth, FAIL_ON, planAlertImpact, probeFileText, renderMarkdown, withAlertImpact, type DiffReport, type FailOn, type ProbeRun, type SynthTree } from "../core/diff";
import { ARTIFACT_PATHS } from "../core/conventions";
import { toJson } from "../core/yaml";
import { BUILD_TOOLS_COMMAND, hasTool, runTool } from "./tools";

export const DIFF_USAGE =
  "usage: moncode diff --base <git ref | synth dir> [--head <git ref | synth dir>] [--stack dev] [--format markdown|json] [--fail-on <category,…>] [--project <dir>]\n" +
  `       categories: ${FAIL_ON.join(", ")}`;

export class UsageError extends Error {}
/** A side could not be synthesized or read (exit 3). */
export class SideError extends Error {}

export interface DiffOptions {
  readonly base: string;
  /** @default the working tree */
  readonly head?: string;
  /** @default "dev" */
  readonly stack?: string;
  readonly format?: "markdown" | "json";
  readonly failOn?: readonly FailOn[];
  /** The checkout (git repository with Pulumi.yaml). @default process.cwd() */
  readonly project?: string;
  /** Progress lines (stderr in the CLI). */
  readonly log?: (line: string) => void;
  /** Where the temporary worktrees and synth outputs go (removed afterwards). @default os.tmpdir() */
  readonly workDir?: string;
}

export function parseDiffArgs(argv: readonly string[]): DiffOptions {
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]!);
    if (!m) throw new UsageError(`unexpected argument "${argv[i]}"`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new UsageError(`--${m[1]} needs a value`);
    flags[m[1]!] = value;
  }
  const known = new Set(["base", "head", "stack", "format", "fail-on", "project"]);
  const unknown = Object.keys(flags).filter((k) => !known.has(k));
  if (unknown.length > 0) throw new UsageError(`unknown option --${unknown[0]}`);
  if (!flags.base) throw new UsageError("--base is required");
  const format = flags.format ?? "markdown";
  if (format !== "markdown" && format !== "json") throw new UsageError(`--format must be markdown or json, got "${format}"`);
  const failOn = (flags["fail-on"] ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "");
  const bad = failOn.filter((c) => !(FAIL_ON as readonly string[]).includes(c));
  if (bad.length > 0) throw new UsageError(`unknown --fail-on category "${bad[0]}" (known: ${FAIL_ON.join(", ")})`);
  return {
    base: flags.base,
    ...(flags.head !== undefined ? { head: flags.head } : {}),
    stack: flags.stack ?? "dev",
    format,
    failOn: failOn as FailOn[],
    ...(flags.project !== undefined ? { project: flags.project } : {}),
  };
}

function git(cwd: string, args: readonly string[]): { ok: boolean; out: string } {
  const r = spawnSync("git", [...args], { cwd, encoding: "utf8" });
  return { ok: r.status === 0, out: `${r.stdout ?? ""}${r.stderr ?? ""}`.trim() };
}

/** Every file of a synth output folder, by path relative to it (forward slashes). */
export function readTree(dir: string): SynthTree {
  const out = new Map<string, string>();
  const rec = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) rec(p);
      else out.set(relative(dir, p).split(sep).join("/"), readFileSync(p, "utf8"));
    }
  };
  rec(dir);
  return out;
}

const isStackDir = (d: string) => existsSync(join(d, "resources.json")) || existsSync(join(d, ARTIFACT_PATHS.prometheusConfig));

interface Side {
  readonly label: string;
  readonly dir: string;
}

/** Runs this checkout's (or a worktree's) own synth into `out`, returning the stack folder. */
function runSynth(cwd: string, stack: string, out: string, what: string): string {
  const tsx = join(cwd, "node_modules", ".bin", "tsx");
  if (!existsSync(tsx)) throw new SideError(`${what}: no node_modules/.bin/tsx in ${cwd} (run npm ci)`);
  const r = spawnSync(tsx, ["cli/main.ts", "synth", "--stack", stack, "--out", out], { cwd, encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new SideError(`${what}: synth --stack ${stack} failed:\n${`${r.stdout ?? ""}${r.stderr ?? ""}`.trim()}`);
  return join(out, stack);
}

/**
 * node_modules for a worktree: a symlink to the checkout's when the ref's lockfile equals the checkout's (the same
 * dependencies), `npm ci` otherwise.
 */
function prepareModules(project: string, worktree: string, sha: string, log: (l: string) => void): void {
  const lockHere = existsSync(join(project, "package-lock.json")) ? readFileSync(join(project, "package-lock.json"), "utf8") : undefined;
  const lockThere = git(project, ["show", `${sha}:package-lock.json`]);
  const modules = join(project, "node_modules");
  if (existsSync(join(worktree, "node_modules"))) return;
  if (lockHere !== undefined && lockThere.ok && lockThere.out === lockHere.trim() && existsSync(modules)) {
    symlinkSync(realpathSync(modules), join(worktree, "node_modules"), "dir");
    return;
  }
  log(`diff: ${sha.slice(0, 7)} has another package-lock.json: npm ci in its worktree`);
  const r = spawnSync("npm", ["ci", "--no-audit", "--no-fund", "--ignore-scripts"], { cwd: worktree, encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new SideError(`npm ci at ${sha.slice(0, 7)} failed:\n${`${r.stdout ?? ""}${r.stderr ?? ""}`.trim().split("\n").slice(-20).join("\n")}`);
}

async function resolveSide(spec: string | undefined, name: "base" | "head", o: Required<Pick<DiffOptions, "stack" | "project">>, tmp: string, cleanups: (() => void)[], log: (l: string) => void): Promise<Side> {
  if (spec === undefined) {
    log(`diff: synthesizing the working tree (${o.stack})`);
    return { label: "working tree", dir: runSynth(o.project, o.stack, join(tmp, `${name}-out`), "working tree") };
  }
  const asDir = resolve(o.project, spec);
  if (existsSync(asDir) && lstatSync(asDir).isDirectory()) {
    const dir = isStackDir(asDir) ? asDir : join(asDir, o.stack);
    if (!isStackDir(dir)) throw new SideError(`${name} ${spec}: neither it nor ${join(spec, o.stack)} is a synth output folder (no resources.json or ${ARTIFACT_PATHS.prometheusConfig})`);
    return { label: `dir ${spec}`, dir };
  }
  const rev = git(o.project, ["rev-parse", "--verify", "--quiet", `${spec}^{commit}`]);
  if (!rev.ok) throw new UsageError(`${name} "${spec}" is neither a directory nor a git ref of ${o.project}`);
  const sha = rev.out.split("\n")[0]!;
  const worktree = join(tmp, `${name}-src`);
  const add = git(o.project, ["worktree", "add", "--detach", worktree, sha]);
  if (!add.ok) throw new SideError(`${name} ${spec}: git worktree add failed: ${add.out}`);
  cleanups.push(() => {
    git(o.project, ["worktree", "remove", "--force", worktree]);
    rmSync(worktree, { recursive: true, force: true });
  });
  prepareModules(o.project, worktree, sha, log);
  log(`diff: synthesizing ${spec} (${sha.slice(0, 7)}) with its own code`);
  return { label: `${spec} (${sha.slice(0, 7)})`, dir: runSynth(worktree, o.stack, join(tmp, `${name}-out`), `${name} ${spec}`) };
}

/** promtool on each probe file with each side's rules; a missing promtool is said, not skipped silently. */
function evaluateAlertImpact(report: DiffReport, trees: readonly [SynthTree, SynthTree], dirs: readonly [string, string], tmp: string): DiffReport {
  const plan = planAlertImpact(trees[0], trees[1]);
  if (plan.alerts.length === 0) return report;
  if (!hasTool("promtool")) {
    const why = `promtool is not built (${BUILD_TOOLS_COMMAND})`;
    return withAlertImpact(report, alertImpactFrom(plan, why, why));
  }
  const probeDir = join(tmp, "probes");
  mkdirSync(probeDir, { recursive: true });
  const run = (dir: string, side: string): ProbeRun[] =>
    plan.files.map((f, i) => {
      const path = join(probeDir, `${side}-${i}.test.yml`);
      writeFileSync(path, probeFileText(f, [join(dir, ARTIFACT_PATHS.prometheusRulesDir, "*.yml")]));
      const r = runTool("promtool", ["test", "rules", path]);
      return { ok: r.ok, output: r.output };
    });
  return withAlertImpact(report, alertImpactFrom(plan, run(dirs[0], "base"), run(dirs[1], "head")));
}

export interface DiffResult {
  readonly report: DiffReport;
  readonly text: string;
  readonly exitCode: number;
}

export async function runDiff(opts: DiffOptions): Promise<DiffResult> {
  const project = resolve(opts.project ?? process.cwd());
  const stack = opts.stack ?? "dev";
  const log = opts.log ?? (() => {});
  const tmp = mkdtempSync(join(opts.workDir ?? tmpdir(), "moncode-diff-"));
  const cleanups: (() => void)[] = [];
  try {
    const base = await resolveSide(opts.base, "base", { stack, project }, tmp, cleanups, log);
    const head = await resolveSide(opts.head, "head", { stack, project }, tmp, cleanups, log);
    const trees = [readTree(base.dir), readTree(head.dir)] as const;
    const report = evaluateAlertImpact(diffSynth(trees[0], trees[1], { stack, base: base.label, head: head.label }), trees, [base.dir, head.dir], tmp);
    const text = opts.format === "json" ? toJson(report) : renderMarkdown(report);
    const hit = (opts.failOn ?? []).filter((c) => report.categories.includes(c));
    return { report, text, exitCode: hit.length > 0 ? 1 : 0 };
  } finally {
    for (const c of cleanups.reverse()) c();
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The CLI entry: prints the report on stdout, progress and errors on stderr; returns the exit code. */
export async function runDiffCli(argv: readonly string[], io: { out: (s: string) => void; err: (s: string) => void; cwd: string; workDir?: string }): Promise<number> {
  let opts: DiffOptions;
  try {
    opts = parseDiffArgs(argv);
  } catch (e) {
    io.err(`${e instanceof Error ? e.message : String(e)}\n${DIFF_USAGE}`);
    return 2;
  }
  try {
    const r = await runDiff({ project: io.cwd, ...opts, log: io.err, ...(io.workDir ? { workDir: io.workDir } : {}) });
    io.out(r.text.trimEnd());
    if (r.exitCode === 1) io.err(`diff: --fail-on ${(opts.failOn ?? []).filter((c) => r.report.categories.includes(c)).join(",")} occurred`);
    return r.exitCode;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${e.message}\n${DIFF_USAGE}`);
      return 2;
    }
    io.err(`diff: ${e instanceof Error ? e.message : String(e)}`);
    return 3;
  }
}
