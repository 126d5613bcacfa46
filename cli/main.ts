#!/usr/bin/env node
/**
 * moncode — synth and check this repository's stacks without the Pulumi CLI.
 *   moncode synth --stack dev [--out out] [--project .]
 *   moncode check --stack dev [--out out] [--project .]
 *   moncode verify --prometheus URL --alertmanager URL [--grafana URL] [--json]   (see cli/verify.ts)
 *   moncode diff --base <git ref | synth dir> [--head …] [--stack dev] [--format markdown|json] [--fail-on …]   (see cli/diff.ts)
 *   moncode import <files|folders…> [--out dir] …   (see cli/import.ts)
 *   moncode lint <files|folders…> [--format json] …   (see cli/lint.ts)
 */
import { ValidationError } from "../core/validation";
import { check } from "./check";
import { runDiffCli } from "./diff";
import { synth } from "./synth";
import { BUILD_TOOLS_COMMAND, toolsBinDir } from "./tools";
import { runVerifyCli } from "./verify";
import { IMPORT_USAGE, runImportCli } from "./import";
import { LINT_USAGE, runLintCli } from "./lint";

const USAGE = `usage: moncode <synth|check> --stack <name> [--out <dir>] [--project <dir>] [--require-tools]\n       moncode verify --prometheus <url> --alertmanager <url> [--grafana <url>] [--json]\n       moncode diff --base <git ref | synth dir> [--head <ref | dir>] [--stack dev] [--format markdown|json] [--fail-on <categories>]\n       ${IMPORT_USAGE.slice("usage: ".length)}\n       ${LINT_USAGE.slice("usage: ".length)}`;

/** Flags without a value. */
const SWITCHES = new Set(["require-tools"]);

function parseArgs(argv: readonly string[]): { command: string; flags: Record<string, string> } {
  const [command, ...rest] = argv;
  const flags: Record<string, string> = {};
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    if (!m) throw new Error(`unexpected argument "${a}"\n${USAGE}`);
    if (SWITCHES.has(m[1]!)) {
      flags[m[1]!] = "true";
      continue;
    }
    const value = m[2] ?? rest[++i];
    if (value === undefined) throw new Error(`--${m[1]} needs a value\n${USAGE}`);
    flags[m[1]!] = value;
  }
  return { command: command ?? "", flags };
}

async function main(argv: readonly string[]): Promise<number> {
  // verify has its own flags (URLs, --json without a value).
  if (argv[0] === "verify") return runVerifyCli(argv.slice(1), { env: process.env, out: console.log, err: console.error, cwd: process.cwd() });
  if (argv[0] === "diff") return runDiffCli(argv.slice(1), { out: console.log, err: console.error, cwd: process.cwd() });
  // import and lint take files and their own flags.
  if (argv[0] === "import") return runImportCli(argv.slice(1), { env: process.env, out: console.log, err: console.error, cwd: process.cwd() });
  if (argv[0] === "lint") return runLintCli(argv.slice(1), { env: process.env, out: console.log, err: console.error, cwd: process.cwd() });
  const { command, flags } = parseArgs(argv);
  const stack = flags.stack;
  if (!stack || (command !== "synth" && command !== "check")) {
    console.error(USAGE);
    return 2;
  }
  const opts = { stack, ...(flags.out ? { outDir: flags.out } : {}), ...(flags.project ? { projectDir: flags.project } : {}) };
  if (command === "synth") {
    const s = await synth(opts);
    for (const w of s.warnings) console.warn(`warning: ${w}`);
    for (const k of s.unsetSecrets) console.warn(`note: secret "${k}" is not set in Pulumi.${stack}.yaml; synth used a placeholder (set it with: pulumi config set --secret ${k} …)`);
    console.log(`synth ${stack}: ${s.files.length} files, ${s.resources.length} resources → ${s.dir}`);
    return 0;
  }
  const requireTools = flags["require-tools"] === "true";
  const c = await check({ ...opts, requireTools });
  for (const w of c.synth.warnings) console.warn(`warning: ${w}`);
  console.log(`synth ${stack}: ${c.synth.files.length} files, ${c.synth.resources.length} resources, own validation passed → ${c.synth.dir}`);
  for (const t of c.tools) console.log(`tool ${t.name}: ${t.version} (${t.path})`);
  for (const r of c.runs) {
    console.log(`${r.ok ? "ok  " : "FAIL"} ${r.command}`);
    if (!r.ok) console.log(r.output.replace(/^/gm, "     "));
  }
  for (const s of c.skipped) console.log(`${requireTools ? "FAIL" : "skip"} ${s}: the tool is not built (${toolsBinDir()})`);
  if (c.skipped.length > 0) console.log(`build the tools with: ${BUILD_TOOLS_COMMAND}   (first time ~17 min on 2 cores, then cached)`);
  console.log(c.ok ? `check ${stack}: ok (${c.runs.length} tool runs${c.skipped.length ? `, ${c.skipped.length} tool checks skipped` : ""})` : `check ${stack}: FAILED`);
  return c.ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ValidationError) console.error(err.message);
    else console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
