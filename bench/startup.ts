/**
 * What a user's `pulumi preview` pays before its first resource, with the built JavaScript under plain `node` (how
 * a compiled program runs): the library's own share of module load — requiring the package minus requiring
 * `@pulumi/pulumi` alone, which any Pulumi program pays — and the 1,000-service estate's wall time including
 * process start-up, from spawning `node` to its exit. Each figure is the median of fresh processes.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

export interface StartupMeasurement {
  readonly pulumiSeconds: number;
  readonly libSeconds: number;
  readonly ownShareSeconds: number;
  readonly estateServices: number;
  readonly estateProcessSeconds: number;
  readonly runs: number;
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function timeRequire(root: string, module: string): number {
  // The time inside the process, from before the require to after it: node's own start is not the library's.
  const code = `const t = process.hrtime.bigint(); require(${JSON.stringify(module)}); process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e9));`;
  const r = spawnSync(process.execPath, ["-e", code], { cwd: root, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } });
  if (r.status !== 0) throw new Error(`require(${module}) failed:\n${r.stderr}`);
  return Number(r.stdout);
}

/** Builds the package and the bench child into `.bench/build` (tsconfig.bench.json) and measures. */
export function measureStartup(root: string, services: number, runs = 5): StartupMeasurement {
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const b = spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.bench.json")], { cwd: root, encoding: "utf8" });
  if (b.status !== 0) throw new Error(`building the bench's JavaScript failed:\n${b.stdout}${b.stderr}`);
  const build = join(root, ".bench", "build");
  const lib = join(build, "lib.js");
  if (!existsSync(lib)) throw new Error(`no ${lib} after the build`);
  const pulumi: number[] = [];
  const own: number[] = [];
  for (let i = 0; i < runs; i++) {
    pulumi.push(timeRequire(root, "@pulumi/pulumi"));
    own.push(timeRequire(root, lib));
  }
  const estate: number[] = [];
  for (let i = 0; i < Math.max(1, Math.floor(runs / 2)); i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [join(build, "bench", "child.js"), "synth", String(services)], { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NODE_OPTIONS: "", MONCODE_BENCH_PROJECT: root } });
    if (r.status !== 0) throw new Error(`the built bench child failed:\n${r.stderr}`);
    estate.push(Number(process.hrtime.bigint() - t) / 1e9);
  }
  const [p, l] = [median(pulumi), median(own)];
  return { pulumiSeconds: p, libSeconds: l, ownShareSeconds: l - p, estateServices: services, estateProcessSeconds: median(estate), runs };
}
