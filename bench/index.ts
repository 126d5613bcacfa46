/**
 * `npm run bench [-- --sizes 100,1000] [--profile]`: synthesizes generated estates (bench/estate.ts) through the
 * real path — rule packs and dashboards → MonitoringStack (PrometheusStack, AlertRouting, GrafanaWithDashboards,
 * Exporters) under the Pulumi mock runtime, with validation, lint and rendering — and prints, per size, wall time,
 * CPU time and peak RSS, against the time of merely serializing the same objects. Each measurement runs in its own
 * process. Prints figures and flags missed targets; it never fails on timing. It fails when the resource count is
 * not constant across sizes (a resource per rule or per dashboard would be a design regression).
 * `--profile` writes V8 CPU profiles of the synth runs to .bench/profiles/ and prints the hottest functions.
 * Wall time starts once the estate exists: generating it (the stand-in for a fleet's own definitions) is printed
 * apart as "estate s". Stack traces are not source-mapped in the children, as in the compiled `moncode`;
 * `--source-maps` maps them as tsx does (Pulumi takes a stack trace per tracked promise, which then costs more).
 * Last, `moncode import` of the kube-prometheus corpus is timed in one process (bench/import-child.ts).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join, resolve } from "node:path";
import type { SerializeMeasurement, SynthMeasurement } from "./child";
import type { ImportMeasurement } from "./import-child";
import { summarizeProfile } from "./profile";
import { measureStartup } from "./startup";

const ROOT = resolve(__dirname, "..");
const OUT = join(ROOT, ".bench");
/** Targets of issue 2, for 1,000 services on a 2-core machine. */
const TARGET = { services: 1000, wallSeconds: 3, peakRssMb: 600, serializeRatio: 5 } as const;

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? "") : undefined;
}

function runChild<T>(mode: "synth" | "serialize", services: number, sourceMaps: boolean, profileDir?: string): T {
  const nodeArgs = ["--import", "tsx", ...(profileDir ? ["--cpu-prof", "--cpu-prof-dir", profileDir] : [])];
  const r = spawnSync(process.execPath, [...nodeArgs, join(__dirname, "child.ts"), mode, String(services), ...(sourceMaps ? ["source-maps"] : [])], {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const line = r.stdout.split("\n").find((l) => l.startsWith("BENCH_RESULT "));
  if (r.status !== 0 || line === undefined) {
    throw new Error(`bench child "${mode} ${services}" failed (exit ${String(r.status)}):\n${r.stderr}${r.stdout}`);
  }
  return JSON.parse(line.slice("BENCH_RESULT ".length)) as T;
}

/** `moncode import` of the kube-prometheus corpus, in its own process (bench/import-child.ts). */
function runImportChild(): ImportMeasurement {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(__dirname, "import-child.ts")], { cwd: ROOT, encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
  const line = r.stdout.split("\n").find((l) => l.startsWith("BENCH_RESULT "));
  if (r.status !== 0 || line === undefined) throw new Error(`bench import child failed (exit ${String(r.status)}):\n${r.stderr}${r.stdout}`);
  return JSON.parse(line.slice("BENCH_RESULT ".length)) as ImportMeasurement;
}

const pad = (v: unknown, n: number): string => String(v).padStart(n);
const fmt = (n: number, d = 2): string => n.toFixed(d);

function main(): number {
  const sizes = (flag("sizes") ?? "100,1000").split(",").map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 0)) throw new Error("--sizes takes comma-separated service counts");
  const profile = process.argv.includes("--profile");
  const sourceMaps = process.argv.includes("--source-maps");
  const profileRoot = join(OUT, "profiles");
  if (profile) rmSync(profileRoot, { recursive: true, force: true });

  console.log(
    `moncode bench: ${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}), node ${process.version}; one fresh process per measurement; ` +
      `stack traces ${sourceMaps ? "source-mapped (--source-maps)" : "not source-mapped, as the compiled moncode runs (--source-maps to map them as tsx does)"}`,
  );
  const rows: { synth: SynthMeasurement; ser: SerializeMeasurement; profile?: string }[] = [];
  // Zero services first: the fixed cost of the shipped stack, and the resource count every size must keep.
  for (const n of [0, ...sizes.filter((s) => s !== 0)]) {
    const dir = profile && n !== 0 ? join(profileRoot, String(n)) : undefined;
    const synth = runChild<SynthMeasurement>("synth", n, sourceMaps, dir);
    const ser = runChild<SerializeMeasurement>("serialize", n, sourceMaps);
    const prof = dir ? readdirSync(dir).find((f) => f.endsWith(".cpuprofile")) : undefined;
    rows.push({ synth, ser, ...(dir && prof ? { profile: join(dir, prof) } : {}) });
    process.stdout.write(`  measured ${n} services\n`);
  }

  console.log("");
  console.log("services  alerts  panels  resources  files  out MB | startup s  estate s | defs s  components s  synth files s  wall s  cpu s | peak RSS MB | serialize s (warm)  ratio");
  for (const { synth: s, ser } of rows) {
    const ratio = ser.serializeSeconds > 0 ? s.wallSeconds / ser.serializeSeconds : Number.NaN;
    console.log(
      `${pad(s.services, 8)}  ${pad(s.alerts, 6)}  ${pad(s.panels, 6)}  ${pad(s.resources, 9)}  ${pad(s.files, 5)}  ${pad(fmt(s.outputMb, 1), 6)} | ` +
        `${pad(fmt(s.importSeconds), 9)}  ${pad(fmt(s.estateSeconds), 8)} | ${pad(fmt(s.definitionsSeconds), 6)}  ${pad(fmt(s.componentsSeconds), 12)}  ${pad(fmt(s.synthFilesSeconds), 13)}  ${pad(fmt(s.wallSeconds), 6)}  ${pad(fmt(s.cpuSeconds), 5)} | ` +
        `${pad(fmt(s.peakRssMb, 0), 11)} | ${pad(fmt(ser.serializeSeconds, 3), 11)} (${fmt(ser.serializeWarmSeconds, 3)})  ${pad(fmt(ratio, 1), 5)}×`,
    );
  }

  const base = rows[0]!.synth;
  const badCounts = rows.filter((r) => r.synth.resources !== base.resources);
  console.log("");
  console.log(`resources: ${base.resources} at every size` + (badCounts.length > 0 ? " — NO: " + badCounts.map((r) => `${r.synth.services} services → ${r.synth.resources}`).join(", ") : ` (${Object.entries(base.resourceTypes).map(([t, c]) => `${c} ${t.split(":").pop()}`).join(", ")})`));

  const bySize = new Map(rows.map((r) => [r.synth.services, r]));
  const [small, large] = [Math.min(...sizes), Math.max(...sizes)];
  const a = bySize.get(small);
  const b = bySize.get(large);
  if (a && b && small > 0 && large > small) {
    const g = (x: number, y: number): string => fmt(y / x, 1);
    const perService = (r: SynthMeasurement): number => ((r.wallSeconds - base.wallSeconds) / r.services) * 1000;
    console.log(
      `growth ${small}→${large} (${large / small}× the services): wall ${g(a.synth.wallSeconds, b.synth.wallSeconds)}×, cpu ${g(a.synth.cpuSeconds, b.synth.cpuSeconds)}×, ` +
        `above the 0-service stack ${g(a.synth.wallSeconds - base.wallSeconds, b.synth.wallSeconds - base.wallSeconds)}× ` +
        `(${fmt(perService(a.synth))} → ${fmt(perService(b.synth))} ms per service); peak RSS above startup ${g(a.synth.peakRssMb - a.synth.rssAfterImportMb, b.synth.peakRssMb - b.synth.rssAfterImportMb)}×; ` +
        `serialization ${g(a.ser.serializeSeconds, b.ser.serializeSeconds)}×`,
    );
  }
  const t = bySize.get(TARGET.services);
  if (t) {
    const ratio = t.synth.wallSeconds / t.ser.serializeSeconds;
    const check = (ok: boolean): string => (ok ? "ok" : "MISSED");
    console.log(
      `targets at ${TARGET.services} services: wall ${fmt(t.synth.wallSeconds)} s ≤ ${TARGET.wallSeconds} s ${check(t.synth.wallSeconds <= TARGET.wallSeconds)}; ` +
        `peak RSS ${fmt(t.synth.peakRssMb, 0)} MB ≤ ${TARGET.peakRssMb} MB ${check(t.synth.peakRssMb <= TARGET.peakRssMb)}; ` +
        `${fmt(ratio, 1)}× serialization ≤ ${TARGET.serializeRatio}× ${check(ratio <= TARGET.serializeRatio)} ` +
        `(not counted: startup ${fmt(t.synth.importSeconds)} s — node, tsx and @pulumi/* loading, the same at every size — and generating the bench's estate ${fmt(t.synth.estateSeconds)} s)`,
    );
  }

  const st = measureStartup(ROOT, TARGET.services);
  const ok = (v: boolean): string => (v ? "ok" : "MISSED");
  console.log(
    `start-up, built JavaScript under plain node (median of ${st.runs} fresh processes): require("@pulumi/pulumi") ${fmt(st.pulumiSeconds, 3)} s, ` +
      `require(moncode) ${fmt(st.libSeconds, 3)} s: the library's own share ${fmt(st.ownShareSeconds, 3)} s ≤ 0.1 s ${ok(st.ownShareSeconds <= 0.1)}; ` +
      `${st.estateServices}-service estate, spawn to exit (start-up, estate generation, synth): ${fmt(st.estateProcessSeconds)} s ≤ ${TARGET.wallSeconds} s ${ok(st.estateProcessSeconds <= TARGET.wallSeconds)}`,
  );

  const imp = runImportChild();
  console.log(
    `import of the kube-prometheus corpus (${imp.files} files, ${fmt(imp.megabytes, 1)} MB: ${imp.groups} rule groups, ${imp.rules} rules, ${imp.dashboards} dashboards → ${imp.modules} modules; ` +
      `${imp.errors} errors, ${imp.warnings} warnings): import + validate ${fmt(imp.importSeconds)} s wall, ${fmt(imp.cpuSeconds)} s cpu, peak RSS ${fmt(imp.peakRssMb, 0)} MB; ` +
      `module load apart: ${fmt(imp.loadSeconds)} s (of which the import modules ${fmt(imp.importModuleSeconds)} s), reading the files ${fmt(imp.readSeconds, 3)} s`,
  );

  for (const r of rows) {
    if (!r.profile) continue;
    console.log(`\nCPU profile, ${r.synth.services} services: ${r.profile}`);
    console.log(summarizeProfile(r.profile, ROOT, 15));
  }

  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, "results.json"), `${JSON.stringify(rows, null, 2)}\n`);
  console.log(`\nraw figures: ${join(OUT, "results.json")}`);
  return badCounts.length > 0 ? 1 : 0;
}

try {
  process.exitCode = main();
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
}
