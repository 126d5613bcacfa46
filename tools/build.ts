/**
 * Builds the real programs of tools/programs.ts from their Go modules into the tools cache, one directory per
 * program and module version (`<cache>/<name>-<version>/bin/`), and links the current ones into one flat `bin/`.
 * Only what is missing (or whose inputs changed) is built; every build is checked against the table by its Go
 * build info before it is linked.
 *
 *   npm run -s tools                      build everything missing
 *   npm run -s tools -- prometheus        only these programs
 *   npm run -s tools -- --for test        only what that run needs (check | test | e2e | docker | cluster)
 *   npm run -s tools -- --path            print the bin directory
 *   npm run -s tools -- --update [names]  regenerate the wrappers' go.mod/go.sum from the table (needs the proxy)
 *
 * Environment: MONCODE_TOOLS_CACHE (default ~/.cache/moncode/tools), the usual GOMODCACHE/GOCACHE/GOPROXY.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { toolsBinDir, toolsCacheRoot } from "../cli/tools";
import { buildInfoProblems, readBuildInfo } from "./build-info";
import { COLLECTOR_BUILDER, PROGRAMS, type GoProgram, type ToolSet } from "./programs";

const TOOLS = __dirname;
/** Bump when the way a build is made changes in a way its inputs below do not show. */
const FORMAT = "1";
const SETS: readonly ToolSet[] = ["check", "test", "e2e", "docker", "cluster"];

class BuildFailure extends Error {}

function goEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    CGO_ENABLED: "0",
    GOWORK: "off",
    // The machine's own Go; a toolchain line never triggers a download.
    GOTOOLCHAIN: "local",
    GOFLAGS: "-mod=readonly -buildvcs=false",
    ...extra,
  };
}

function run(what: string, cmd: string, args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const r = spawnSync(cmd, [...args], { encoding: "utf8", cwd: opts.cwd, env: opts.env ?? goEnv(), maxBuffer: 256 << 20 });
  if (r.status !== 0) {
    const out = `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? String(r.error) : ""}`.trim().split("\n").filter((l) => !l.startsWith("go: downloading"));
    throw new BuildFailure(`${what}: ${cmd} ${args.join(" ")} exited ${r.status ?? r.signal}\n${out.slice(-40).join("\n")}`);
  }
  return r.stdout ?? "";
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}

/** `require` versions of a go.mod (single-line and block form). */
export function goModRequires(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let inBlock = false;
  for (const raw of text.split("\n")) {
    const line = raw.replace(/\/\/.*$/, "").trim();
    if (line === "require (") inBlock = true;
    else if (inBlock && line === ")") inBlock = false;
    else {
      const m = (inBlock ? /^(\S+)\s+(\S+)$/ : /^require\s+(\S+)\s+(\S+)$/).exec(line);
      if (m) out.set(m[1]!, m[2]!);
    }
  }
  return out;
}

/** `gomod:` lines of a collector builder manifest: module → version. */
export function manifestModules(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/^\s*-?\s*gomod:\s*"?(\S+)\s+(v[^\s"]+)"?\s*$/gm)) out.set(m[1]!, m[2]!);
  return out;
}

function wrapperDir(p: { name: string }): string {
  return join(TOOLS, p.name);
}

function read(path: string): string {
  return existsSync(path) ? readFileSync(path, "utf8") : "";
}

/** The wrapper must pin what the table pins; otherwise the build would silently produce another release. */
export function wrapperProblems(p: GoProgram): string[] {
  const dir = wrapperDir(p);
  const mod = read(join(dir, "go.mod"));
  if (mod === "" || !existsSync(join(dir, "go.sum"))) return [`tools/${p.name}: go.mod or go.sum missing (npm run -s tools -- --update ${p.name})`];
  const requires = goModRequires(mod);
  const problems: string[] = [];
  const want: [string, string][] = [[p.module, p.version], ...Object.entries(p.components ?? {})];
  for (const [m, v] of want) {
    const got = requires.get(m);
    if (got !== v) problems.push(`tools/${p.name}/go.mod requires ${m} ${got ?? "(nothing)"}, tools/programs.ts pins ${v}`);
  }
  if (p.builder === "ocb") {
    const manifest = manifestModules(read(join(dir, "manifest.yaml")));
    for (const [m, v] of Object.entries(p.components ?? {})) {
      // Components live in the manifest; service/pdata are the builder's own requirements.
      if (manifest.has(m) && manifest.get(m) !== v) problems.push(`tools/${p.name}/manifest.yaml has ${m} ${manifest.get(m)}, tools/programs.ts pins ${v}`);
    }
  } else if (p.ownMain === undefined) {
    for (const pkg of Object.values(p.binaries)) if (!new RegExp(`^tool ${pkg.replace(/[.]/g, "\\.")}$|^\\s+${pkg.replace(/[.]/g, "\\.")}$`, "m").test(mod)) problems.push(`tools/${p.name}/go.mod has no tool line for ${pkg}`);
  }
  return problems;
}

function ldflags(p: GoProgram): string {
  return ["-s", "-w", ...Object.entries(p.versionVars ?? {}).map(([k, v]) => `-X=${k}=${v}`)].join(" ");
}

let goVersionCache: string | undefined;
function goVersion(): string {
  goVersionCache ??= run("go", "go", ["env", "GOVERSION"]).trim();
  return goVersionCache;
}

/** Everything a build depends on; a change rebuilds. */
function stamp(p: GoProgram): string {
  const dir = wrapperDir(p);
  const h = createHash("sha256");
  h.update(FORMAT).update(goVersion()).update(JSON.stringify({ ...p, ldflags: ldflags(p) }));
  for (const f of ["go.mod", "go.sum", "manifest.yaml", ...(p.ownMain ? ["main.go"] : [])]) h.update(`\0${f}\0`).update(read(join(dir, f)));
  if (p.builder === "ocb") h.update(read(join(TOOLS, COLLECTOR_BUILDER.name, "go.sum")));
  return h.digest("hex").slice(0, 16);
}

function programDir(p: { name: string; version: string }): string {
  return join(toolsCacheRoot(), `${p.name}-${p.version}`);
}

function isBuilt(p: GoProgram): boolean {
  const dir = programDir(p);
  return read(join(dir, "stamp")).trim() === stamp(p) && Object.keys(p.binaries).every((b) => existsSync(join(dir, "bin", b)));
}

/** The collector builder (ocb) itself, cached like a program. */
function ensureBuilder(log: (s: string) => void): string {
  const dir = join(toolsCacheRoot(), `${COLLECTOR_BUILDER.name}-${COLLECTOR_BUILDER.version}`);
  const bin = join(dir, "bin", "builder");
  const wrapper = join(TOOLS, COLLECTOR_BUILDER.name);
  const got = goModRequires(read(join(wrapper, "go.mod"))).get(COLLECTOR_BUILDER.module);
  if (got !== COLLECTOR_BUILDER.version) throw new BuildFailure(`tools/${COLLECTOR_BUILDER.name}/go.mod requires ${COLLECTOR_BUILDER.module} ${got ?? "(nothing)"}, tools/programs.ts pins ${COLLECTOR_BUILDER.version}`);
  const key = createHash("sha256").update(FORMAT).update(goVersion()).update(read(join(wrapper, "go.sum"))).digest("hex").slice(0, 16);
  if (existsSync(bin) && read(join(dir, "stamp")).trim() === key) return bin;
  const t0 = Date.now();
  log(`tools: building the collector builder ${COLLECTOR_BUILDER.version}…`);
  mkdirSync(join(dir, "bin"), { recursive: true });
  run(COLLECTOR_BUILDER.name, "go", ["build", "-trimpath", "-o", bin, COLLECTOR_BUILDER.module], { cwd: wrapper });
  writeFileSync(join(dir, "stamp"), `${key}\n`);
  log(`tools: collector builder built in ${duration(Date.now() - t0)}`);
  return bin;
}

/** Generates the collector's sources with the builder; `tidy` resolves go.mod/go.sum (only `--update` does). */
function generateCollector(p: GoProgram, out: string, log: (s: string) => void, tidy: boolean): void {
  const builder = ensureBuilder(log);
  const args = ["--config", join(wrapperDir(p), "manifest.yaml"), "--output-path", out, "--skip-compilation"];
  if (tidy) {
    // The builder writes go.mod, then its own `go mod tidy` fails: fileexporter's *tests* import a module the
    // proxy does not serve. Nothing the binary links needs it, so tidy again with -e.
    const env = goEnv({ GOFLAGS: "-mod=mod -buildvcs=false" });
    spawnSync(builder, args, { encoding: "utf8", env });
    if (!existsSync(join(out, "go.mod"))) run(p.name, builder, args, { env });
    run(p.name, "go", ["mod", "tidy", "-e"], { cwd: out, env });
  } else {
    run(p.name, builder, [...args, "--skip-get-modules"]);
    copyFileSync(join(wrapperDir(p), "go.mod"), join(out, "go.mod"));
    copyFileSync(join(wrapperDir(p), "go.sum"), join(out, "go.sum"));
  }
}

/**
 * A wrapper whose own main embeds files generated from the program's module (the Kubernetes provider's schema):
 * copies the wrapper to `out` and writes each embed there from the module's file, re-serialized as upstream's
 * `go generate` does (the release set where asked).
 */
function generateEmbeds(p: GoProgram, out: string): void {
  const dir = wrapperDir(p);
  mkdirSync(out, { recursive: true });
  for (const f of readdirSync(dir)) if (f === "go.mod" || f === "go.sum" || f.endsWith(".go")) copyFileSync(join(dir, f), join(out, f));
  const info = JSON.parse(run(p.name, "go", ["mod", "download", "-json", `${p.module}@${p.version}`], { cwd: dir })) as { Dir?: string; Error?: string };
  if (info.Dir === undefined) throw new BuildFailure(`${p.name}: ${p.module}@${p.version} has no module directory: ${info.Error ?? "?"}`);
  for (const [name, src] of Object.entries(p.embeds ?? {})) {
    const value = JSON.parse(readFileSync(join(info.Dir, src.file), "utf8")) as Record<string, unknown>;
    if (src.setVersion !== undefined) value.version = src.setVersion;
    writeFileSync(join(out, name), JSON.stringify(value));
  }
}

function buildProgram(p: GoProgram, log: (s: string) => void): void {
  const problems = wrapperProblems(p);
  if (problems.length > 0) throw new BuildFailure(`${p.name}: the wrapper disagrees with the table:\n  ${problems.join("\n  ")}`);
  const final = programDir(p);
  const work = `${final}.tmp-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(join(work, "bin"), { recursive: true });
  try {
    const tags = p.tags?.length ? [`-tags=${p.tags.join(",")}`] : [];
    const flags = ["build", "-trimpath", ...tags, `-ldflags=${ldflags(p)}`];
    if (p.builder === "ocb") {
      const src = join(work, "src");
      generateCollector(p, src, log, false);
      for (const b of Object.keys(p.binaries)) run(p.name, "go", [...flags, "-o", join(work, "bin", b), "."], { cwd: src });
      rmSync(src, { recursive: true, force: true });
    } else if (p.embeds !== undefined) {
      const src = join(work, "src");
      generateEmbeds(p, src);
      for (const b of Object.keys(p.binaries)) run(p.name, "go", [...flags, "-o", join(work, "bin", b), "."], { cwd: src });
      rmSync(src, { recursive: true, force: true });
    } else if (p.ownMain !== undefined) {
      for (const b of Object.keys(p.binaries)) run(p.name, "go", [...flags, "-o", join(work, "bin", b), "."], { cwd: wrapperDir(p) });
    } else {
      for (const [b, pkg] of Object.entries(p.binaries)) run(p.name, "go", [...flags, "-o", join(work, "bin", b), pkg], { cwd: wrapperDir(p) });
    }
    for (const b of Object.keys(p.binaries)) {
      const bad = buildInfoProblems(p, b, readBuildInfo(join(work, "bin", b)));
      if (bad.length > 0) throw new BuildFailure(`${p.name}: the built binary disagrees with the table:\n  ${bad.join("\n  ")}`);
    }
    writeFileSync(join(work, "stamp"), `${stamp(p)}\n`);
    rmSync(final, { recursive: true, force: true });
    renameSync(work, final);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Re-links the flat bin/ to every program whose current version is built (atomically: a new dir renamed over). */
function linkBin(): string[] {
  const bin = toolsBinDir();
  const next = `${bin}.new-${process.pid}`;
  rmSync(next, { recursive: true, force: true });
  mkdirSync(next, { recursive: true });
  const linked: string[] = [];
  for (const p of PROGRAMS) {
    if (!isBuilt(p)) continue;
    for (const b of Object.keys(p.binaries)) {
      symlinkSync(relative(bin, join(programDir(p), "bin", b)), join(next, b));
      linked.push(b);
    }
  }
  // Keep links to programs this table does not know (another checkout's newer table shares the cache): relinking
  // must not take away a program that checkout built.
  const ours = new Set(PROGRAMS.flatMap((p) => Object.keys(p.binaries)));
  for (const name of existsSync(bin) ? readdirSync(bin) : []) {
    const target = join(bin, name);
    if (!ours.has(name) && existsSync(target)) symlinkSync(readlinkSync(target), join(next, name));
  }
  const old = `${bin}.old-${process.pid}`;
  if (existsSync(bin)) renameSync(bin, old);
  renameSync(next, bin);
  rmSync(old, { recursive: true, force: true });
  return linked;
}

function update(p: GoProgram, log: (s: string) => void): void {
  const dir = wrapperDir(p);
  const env = goEnv({ GOFLAGS: "-mod=mod -buildvcs=false", ...(p.noSumdb?.length ? { GONOSUMDB: p.noSumdb.join(",") } : {}) });
  if (p.builder === "ocb") {
    const out = join(toolsCacheRoot(), `${p.name}-update-${process.pid}`);
    try {
      generateCollector(p, out, log, true);
      copyFileSync(join(out, "go.mod"), join(dir, "go.mod"));
      copyFileSync(join(out, "go.sum"), join(dir, "go.sum"));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  } else {
    if (!existsSync(join(dir, "go.mod"))) {
      mkdirSync(dir, { recursive: true });
      run(p.name, "go", ["mod", "init", `moncode.dev/tools/${p.name}`], { cwd: dir, env });
    }
    if (p.ownMain !== undefined) run(p.name, "go", ["get", `${p.module}@${p.version}`], { cwd: dir, env });
    else for (const pkg of new Set(Object.values(p.binaries))) run(p.name, "go", ["get", "-tool", `${pkg}@${p.version}`], { cwd: dir, env });
    // `go mod tidy` reads the main's embed patterns: stand-ins for the generated files while it runs.
    const placeholders = Object.keys(p.embeds ?? {}).map((f) => join(dir, f)).filter((f) => !existsSync(f));
    for (const f of placeholders) writeFileSync(f, "{}");
    try {
      run(p.name, "go", ["mod", "tidy"], { cwd: dir, env });
    } finally {
      for (const f of placeholders) rmSync(f, { force: true });
    }
  }
  log(`tools: updated tools/${p.name}/go.mod and go.sum`);
}

function main(argv: readonly string[]): number {
  const log = (s: string) => console.log(s);
  if (argv.includes("--path")) {
    console.log(toolsBinDir());
    return 0;
  }
  const forIdx = argv.indexOf("--for");
  const set = forIdx >= 0 ? (argv[forIdx + 1] as ToolSet | undefined) : undefined;
  if (forIdx >= 0 && (set === undefined || !SETS.includes(set))) {
    console.error(`tools: --for needs one of ${SETS.join(", ")}`);
    return 2;
  }
  const names = argv.filter((a, i) => !a.startsWith("--") && !(forIdx >= 0 && i === forIdx + 1));
  const unknown = names.filter((n) => !PROGRAMS.some((p) => p.name === n));
  if (unknown.length > 0) {
    console.error(`tools: unknown program ${unknown.join(", ")} (known: ${PROGRAMS.map((p) => p.name).join(", ")})`);
    return 2;
  }
  const chosen = PROGRAMS.filter((p) => (names.length === 0 || names.includes(p.name)) && (set === undefined || p.usedBy.includes(set)));
  try {
    if (argv.includes("--update")) {
      for (const p of chosen) update(p, log);
      return 0;
    }
    mkdirSync(toolsCacheRoot(), { recursive: true });
    const todo = chosen.filter((p) => argv.includes("--force") || !isBuilt(p));
    const t0 = Date.now();
    todo.forEach((p, i) => {
      const t = Date.now();
      log(`tools: [${i + 1}/${todo.length}] building ${p.name} ${p.version} (${p.image ?? "build-time tool"})…`);
      try {
        buildProgram(p, log);
      } catch (e) {
        throw e instanceof BuildFailure ? e : new BuildFailure(`${p.name}: ${String(e)}`);
      }
      log(`tools: [${i + 1}/${todo.length}] ${p.name} built in ${duration(Date.now() - t)}`);
    });
    const linked = linkBin();
    const cached = chosen.length - todo.length;
    log(`tools: ${todo.length} built${todo.length ? ` in ${duration(Date.now() - t0)}` : ""}, ${cached} already built; ${linked.length} programs in ${toolsBinDir()}`);
    return 0;
  } catch (e) {
    console.error(`tools: FAILED ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

if (require.main === module) process.exit(main(process.argv.slice(2)));

/** Test hook: the cache directory of a program's current version. */
export { programDir, isBuilt };
// Kept for callers that list what a directory holds (the build-info test).
export function builtBinaries(p: GoProgram): string[] {
  const dir = join(programDir(p), "bin");
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}
