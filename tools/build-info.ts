/**
 * A Go binary's build info as `go version -m` prints it: the main package path, the main module and every
 * dependency module with its version (after replacements). This is what the linker recorded, not a version string
 * the build injected, so it says which module versions really went into the binary.
 */
import { execFileSync } from "node:child_process";
import type { GoProgram } from "./programs";

export interface BuildInfo {
  readonly goVersion: string;
  /** The main package (`github.com/prometheus/prometheus/cmd/prometheus`). */
  readonly path: string;
  /**
   * The module holding the main package and its version: the program's own module when a wrapper builds a
   * dependency's main (`github.com/prometheus/prometheus v0.316.0`), `(devel)` for a generated module.
   */
  readonly mainModule: string;
  readonly mainVersion: string;
  /** Module path → version (a replaced module shows its replacement's version). */
  readonly deps: ReadonlyMap<string, string>;
  readonly settings: ReadonlyMap<string, string>;
}

export function parseBuildInfo(text: string): BuildInfo {
  const deps = new Map<string, string>();
  const settings = new Map<string, string>();
  let goVersion = "";
  let path = "";
  let mainModule = "";
  let mainVersion = "";
  let lastDep: string | undefined;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "") continue;
    const f = line.split(/\s+/);
    if (!raw.startsWith("\t")) {
      goVersion = f[1] ?? "";
      continue;
    }
    switch (f[0]) {
      case "path":
        path = f[1] ?? "";
        break;
      case "mod":
        mainModule = f[1] ?? "";
        mainVersion = f[2] ?? "";
        break;
      case "dep":
        lastDep = f[1] ?? "";
        deps.set(lastDep, f[2] ?? "");
        break;
      case "=>":
        // The replacement of the dependency on the line before: its version is what was built.
        if (lastDep !== undefined) deps.set(lastDep, f[2] ?? "");
        break;
      case "build": {
        const kv = line.slice("build".length).trim();
        const eq = kv.indexOf("=");
        if (eq > 0) settings.set(kv.slice(0, eq), kv.slice(eq + 1));
        break;
      }
      default:
        break;
    }
  }
  return { goVersion, path, mainModule, mainVersion, deps, settings };
}

export function readBuildInfo(binary: string): BuildInfo {
  return parseBuildInfo(execFileSync("go", ["version", "-m", binary], { encoding: "utf8", env: { ...process.env, GOTOOLCHAIN: "local" } }));
}

/**
 * Where a binary disagrees with its row of the table: wrong main package, the program's module missing or at
 * another version, a collector component at another version. Empty when it matches.
 */
export function buildInfoProblems(p: GoProgram, binary: string, info: BuildInfo): string[] {
  const problems: string[] = [];
  const wantPath = p.binaries[binary];
  if (wantPath === undefined) return [`${p.name}: no binary "${binary}" in the table`];
  if (info.path !== wantPath) problems.push(`${binary}: main package is ${info.path || "(none)"}, the table says ${wantPath}`);
  const want: [string, string][] = [[p.module, p.version], ...Object.entries(p.components ?? {})];
  for (const [mod, version] of want) {
    const got = info.mainModule === mod ? info.mainVersion : info.deps.get(mod);
    if (got === undefined) problems.push(`${binary}: module ${mod} is not in the build info (the table pins ${version})`);
    else if (got !== version) problems.push(`${binary}: module ${mod} is ${got} in the build info, the table pins ${version}`);
  }
  if (info.settings.get("CGO_ENABLED") !== "0") problems.push(`${binary}: not a static build (CGO_ENABLED=${info.settings.get("CGO_ENABLED") ?? "unset"})`);
  return problems;
}
