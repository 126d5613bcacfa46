/**
 * Mutation testing with Stryker (`npm run mutation`), staged per folder: each stage mutates one folder, runs the
 * tests that need no live program (vitest.mutation.config.mts) against each mutant, and keeps its results in
 * reports/stryker/<stage>.json (Stryker's incremental file, committed), so a run after a change re-tests only the
 * mutants of changed code or changed tests. Prints the score per folder at the end.
 *
 *   npm run mutation                      every stage, core/ first (the first baseline takes hours on 2 cores)
 *   npm run mutation -- core/rules core   only these stages
 *   npm run mutation -- --score           print the scores of the committed results, run nothing
 *   npm run mutation -- --force core      re-test every mutant of a stage, ignoring its stored results
 *   npm run mutation -- --concurrency 4 core/rules   4 worker processes: 2 type-checking, 2 running tests
 *   npm run mutation -- components        the three parts of components/ (components:stack, :exporters, :telemetry)
 *
 * Not part of CI: one baseline is hours of CPU; run it in the background. stryker.config.json's concurrency 1 gives one
 * checker and one test runner; on 2 cores --concurrency 4 ran core/rules in 54 min where concurrency 1 was on course
 * for ~65 (1,321 of 2,340 mutants in 36 min).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

const ROOT = join(__dirname, "..");
export const REPORT_DIR = "reports/stryker";

/** Tests that import no Pulumi module: fast enough to run once per mutant of the pure folders. */
const PURE_TESTS = [
  "test/core/**/*.test.ts",
  "test/rules/packs.test.ts",
  "test/routing/severity.test.ts",
  "test/routing/receivers.test.ts",
  "test/slo/slo.test.ts",
  "test/dashboards/*.test.ts",
  "test/bench/promql-fast-path.test.ts",
  "test/bench/yaml-fast-path.test.ts",
  "test/docs/*.test.ts",
];

export interface Stage {
  readonly name: string;
  /** Stryker `mutate` globs. */
  readonly mutate: readonly string[];
  /** Stryker `testFiles` globs (further narrowed by vitest's related mode and per-test coverage). */
  readonly tests: readonly string[];
}

const COMPONENT_TESTS = [...PURE_TESTS, "test/components/*.test.ts", "test/stacks/*.test.ts", "test/k8s/*.test.ts"];
/** components/ files of the metrics stack (the first part); the exporters are the second, the logs/traces components the third. */
const EXPORTER_PARTS = ["components/exporters.ts"];
const STACK_PARTS = ["components/alert-routing.ts", "components/grafana.ts", "components/prometheus-stack.ts", "components/shapes.ts", "components/hash.ts", "components/images.ts", "components/report.ts", "components/resolved.ts"];

export const STAGES: readonly Stage[] = [
  { name: "core", mutate: ["core/*.ts"], tests: PURE_TESTS },
  { name: "core/alertmanager", mutate: ["core/alertmanager/*.ts"], tests: PURE_TESTS },
  { name: "core/rules", mutate: ["core/rules/*.ts"], tests: PURE_TESTS },
  { name: "core/grafana", mutate: ["core/grafana/*.ts"], tests: PURE_TESTS },
  { name: "core/prometheus", mutate: ["core/prometheus/*.ts"], tests: PURE_TESTS },
  { name: "core/blackbox", mutate: ["core/blackbox/*.ts"], tests: PURE_TESTS },
  { name: "core/slo", mutate: ["core/slo/*.ts"], tests: PURE_TESTS },
  { name: "core/diff", mutate: ["core/diff/*.ts"], tests: PURE_TESTS },
  { name: "core/import", mutate: ["core/import/*.ts"], tests: PURE_TESTS },
  // reference.ts is the transcribed Loki reference (generated data): nothing to mutate.
  { name: "core/loki", mutate: ["core/loki/*.ts", "!core/loki/reference.ts"], tests: PURE_TESTS },
  { name: "core/logql", mutate: ["core/logql/*.ts"], tests: PURE_TESTS },
  { name: "core/otelcol", mutate: ["core/otelcol/*.ts"], tests: PURE_TESTS },
  { name: "core/jaeger", mutate: ["core/jaeger/*.ts"], tests: PURE_TESTS },
  // The component resolvers (and the classes beside them), against the component and stack tests under mocks, in three
  // parts (`components` runs them all): each mutant runs the Pulumi-mock suites that cover it (components:stack, 776
  // mutants, took 60 min at concurrency 4), and a part that finishes keeps its results when the next is stopped.
  { name: "components:stack", mutate: [...STACK_PARTS], tests: COMPONENT_TESTS },
  { name: "components:exporters", mutate: [...EXPORTER_PARTS], tests: COMPONENT_TESTS },
  { name: "components:telemetry", mutate: ["components/*.ts", ...[...STACK_PARTS, ...EXPORTER_PARTS].map((f) => `!${f}`)], tests: COMPONENT_TESTS },
];

/** The state file of a stage: `core/rules` → reports/stryker/core-rules.json, `components:stack` → components-stack.json. */
export const stateFile = (stage: string): string => `${REPORT_DIR}/${stage.replace(/[/:]/g, "-")}.json`;

/** The stages a name on the command line selects: the stage of that name, or every part of a split folder. */
export const stagesNamed = (name: string): Stage[] => STAGES.filter((s) => s.name === name || s.name.startsWith(`${name}:`));

interface ReportMutant {
  readonly status: string;
  /** Evaluated when its module loads (a top-level constant's initializer). */
  readonly static?: boolean;
}
interface Report {
  readonly files: Readonly<Record<string, { readonly mutants: readonly ReportMutant[] }>>;
}

export interface Score {
  readonly killed: number;
  readonly timeout: number;
  readonly survived: number;
  readonly noCoverage: number;
  /** Mutants that do not compile (the TypeScript checker) or crash the runner: not counted in the score. */
  readonly errors: number;
  /**
   * Static mutants (top-level initializers), not counted in the score: with `--testFiles` the vitest runner
   * activates them after their module has loaded, so they "survive" tests that kill them (stryker-js#6144,
   * #6209). `ignoreStatic` makes Stryker mark them Ignored; older results' static survivors count here too.
   */
  readonly ignored: number;
  /** killed + timeout over killed + timeout + survived + no coverage, in percent (Stryker's mutation score). */
  readonly score: number;
}

export function score(mutants: readonly ReportMutant[]): Score {
  const n = (s: string) => mutants.filter((m) => m.status === s).length;
  const staticSurvivors = mutants.filter((m) => m.status === "Survived" && m.static === true).length;
  const [killed, timeout, survived, noCoverage] = [n("Killed"), n("Timeout"), n("Survived") - staticSurvivors, n("NoCoverage")];
  const errors = n("CompileError") + n("RuntimeError");
  const ignored = n("Ignored") + staticSurvivors;
  const valid = killed + timeout + survived + noCoverage;
  return { killed, timeout, survived, noCoverage, errors, ignored, score: valid === 0 ? Number.NaN : (100 * (killed + timeout)) / valid };
}

/** Scores per folder (a file's directory), from every stage's stored results; missing stages are skipped. */
export function folderScores(reports: readonly Report[]): Map<string, Score> {
  const byFolder = new Map<string, ReportMutant[]>();
  for (const r of reports) {
    for (const [file, f] of Object.entries(r.files)) {
      const folder = dirname(file);
      byFolder.set(folder, [...(byFolder.get(folder) ?? []), ...f.mutants]);
    }
  }
  return new Map([...byFolder.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, score(v)]));
}

export function formatScores(scores: ReadonlyMap<string, Score>, totals: readonly [string, Score][]): string {
  const rows = [...scores.entries(), ...totals];
  const w = Math.max(6, ...rows.map(([k]) => k.length));
  const line = (k: string, s: Score) =>
    `${k.padEnd(w)}  ${Number.isNaN(s.score) ? "   n/a" : `${s.score.toFixed(1).padStart(5)}%`}  ${String(s.killed + s.timeout).padStart(6)}  ${String(s.survived).padStart(8)}  ${String(s.noCoverage).padStart(7)}  ${String(s.errors).padStart(6)}  ${String(s.ignored).padStart(7)}`;
  return [`${"folder".padEnd(w)}   score  killed  survived  no cov.  errors  ignored`, ...rows.map(([k, s]) => line(k, s))].join("\n");
}

function readReport(stage: string): Report | undefined {
  const p = join(ROOT, stateFile(stage));
  return existsSync(p) ? (JSON.parse(readFileSync(p, "utf8")) as Report) : undefined;
}

function printScores(): void {
  const reports = STAGES.map((s) => readReport(s.name)).filter((r): r is Report => r !== undefined);
  const missing = STAGES.filter((s) => !readReport(s.name)).map((s) => s.name);
  const all = (pred: (file: string) => boolean) => score(reports.flatMap((r) => Object.entries(r.files).filter(([f]) => pred(f)).flatMap(([, f]) => f.mutants)));
  console.log(formatScores(folderScores(reports), [["core/ (all)", all((f) => f.startsWith("core/"))], ["total", all(() => true)]]));
  if (missing.length > 0) console.log(`\nno results yet for: ${missing.join(", ")} (npm run mutation -- ${missing.join(" ")})`);
}

function run(stage: Stage, force: boolean, concurrency: string | undefined): number {
  mkdirSync(join(ROOT, REPORT_DIR), { recursive: true });
  const args = [
    "stryker", "run", "stryker.config.json",
    "--mutate", stage.mutate.join(","),
    "--testFiles", stage.tests.join(","),
    "--incrementalFile", stateFile(stage.name),
    ...(force ? ["--force"] : []),
    ...(concurrency !== undefined ? ["--concurrency", concurrency] : []),
  ];
  console.log(`\n== mutation stage ${stage.name}: npx ${args.join(" ")}`);
  const started = Date.now();
  const r = spawnSync("npx", args, { cwd: ROOT, stdio: "inherit" });
  console.log(`== ${stage.name}: ${r.status === 0 ? "done" : `FAILED (exit ${r.status ?? r.signal})`} in ${((Date.now() - started) / 60_000).toFixed(1)} min`);
  return r.status ?? 1;
}

export interface Args {
  readonly score: boolean;
  readonly force: boolean;
  /** Stryker's --concurrency: worker processes, shared by the TypeScript checker and the test runners (4 = 2 + 2). */
  readonly concurrency?: string;
  readonly stages: readonly Stage[];
}

/** The command line, or the message that says what is wrong with it. */
export function parseArgs(argv: readonly string[]): Args | string {
  let score = false;
  let force = false;
  let concurrency: string | undefined;
  const names: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--score") score = true;
    else if (a === "--force") force = true;
    else if (a === "--concurrency") {
      concurrency = argv[++i];
      if (!/^[1-9][0-9]*$/.test(concurrency ?? "")) return `--concurrency takes a whole number of worker processes, got ${concurrency ?? "nothing"}`;
    } else if (a.startsWith("--")) return `unknown option ${a}; options: --score, --force, --concurrency N`;
    else names.push(a);
  }
  const unknown = names.filter((n) => stagesNamed(n).length === 0);
  if (unknown.length > 0) return `unknown stage(s): ${unknown.join(", ")}; stages: ${STAGES.map((s) => s.name).join(", ")}`;
  const chosen = new Set(names.flatMap(stagesNamed));
  const stages = names.length === 0 ? STAGES : STAGES.filter((s) => chosen.has(s));
  return { score, force, ...(concurrency !== undefined ? { concurrency } : {}), stages };
}

function main(argv: readonly string[]): number {
  const args = parseArgs(argv);
  if (typeof args === "string") {
    console.error(args);
    return 2;
  }
  if (args.score) {
    printScores();
    return 0;
  }
  let failed = 0;
  for (const s of args.stages) if (run(s, args.force, args.concurrency) !== 0) failed++;
  console.log("");
  printScores();
  return failed === 0 ? 0 : 1;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
