/**
 * What `moncode import` and `moncode lint` share: the files they read (folders searched for .yml/.yaml/.json) and
 * their flags, parsed strictly: an unknown flag, rule or level is a usage error naming it.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import type { ImportInput } from "../core/import";
import { checkLintLevels, type LintLevels } from "../core/lint";

export class UsageError extends Error {}

const CONTENT_FILE = /\.(ya?ml|json)$/i;

/** Every content file under the given paths, sorted, with paths relative to `cwd` for messages. */
export function readInputs(paths: readonly string[], cwd: string): ImportInput[] {
  const files: string[] = [];
  const visit = (p: string, explicit: boolean): void => {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new UsageError(`no such file or folder: ${relative(cwd, p) || p}`);
    }
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) if (!name.startsWith(".")) visit(join(p, name), false);
    } else if (explicit || CONTENT_FILE.test(p)) files.push(p);
  };
  for (const p of paths) visit(resolve(cwd, p), true);
  if (files.length === 0) throw new UsageError("no .yml, .yaml or .json files found");
  return [...new Set(files)].sort().map((f) => ({ path: relative(cwd, f) || f, text: readFileSync(f, "utf8") }));
}

export interface ContentArgs {
  readonly paths: string[];
  readonly flags: Record<string, string>;
  readonly levels: LintLevels;
}

/** `<paths…> [--flag value]… [--level rule=level]…`; `switches` take no value. */
export function parseContentArgs(argv: readonly string[], valued: readonly string[], switches: readonly string[] = []): ContentArgs {
  const paths: string[] = [];
  const flags: Record<string, string> = {};
  const levels: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    if (!m) {
      paths.push(a);
      continue;
    }
    const name = m[1]!;
    if (switches.includes(name)) {
      flags[name] = "true";
      continue;
    }
    if (name !== "level" && !valued.includes(name)) throw new UsageError(`unknown flag --${name}`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    if (name === "level") {
      const lv = /^([^=]+)=(error|warn|off)$/.exec(value);
      if (!lv) throw new UsageError(`--level takes <rule>=<error|warn|off>, got "${value}"`);
      levels[lv[1]!] = lv[2]!;
    } else flags[name] = value;
  }
  const problems = checkLintLevels(levels);
  if (problems.length > 0) throw new UsageError(`--level: ${problems.join("; ")}`);
  if (paths.length === 0) throw new UsageError("give at least one file or folder");
  return { paths, flags, levels: levels as LintLevels };
}
