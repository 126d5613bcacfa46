import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { folderScores, formatScores, parseArgs, score, STAGES, stateFile } from "../../scripts/mutation";

const m = (...statuses: string[]) => statuses.map((status) => ({ status }));

describe("npm run mutation", () => {
  it("scores like Stryker: killed and timed out over every mutant that ran or had no test; compile errors left out", () => {
    expect(score(m("Killed", "Killed", "Timeout", "Survived", "NoCoverage", "CompileError", "RuntimeError", "Ignored"))).toEqual({
      killed: 2, timeout: 1, survived: 1, noCoverage: 1, errors: 2, ignored: 1, score: 60,
    });
    // A static survivor is the runner's blind spot (stryker-js#6144), not a test gap: ignored, not survived.
    expect(score([{ status: "Killed" }, { status: "Survived", static: true }])).toMatchObject({ survived: 0, ignored: 1, score: 100 });
    expect(score(m("CompileError")).score).toBeNaN();
  });

  it("adds the results of every stage up per folder, sorted", () => {
    const scores = folderScores([
      { files: { "core/yaml.ts": { mutants: m("Killed", "Survived") }, "core/rules/render.ts": { mutants: m("Killed") } } },
      { files: { "core/duration.ts": { mutants: m("Killed", "Killed") } } },
    ]);
    expect([...scores.entries()].map(([k, s]) => [k, s.score])).toEqual([["core", 75], ["core/rules", 100]]);
    expect(formatScores(scores, [])).toMatch(/^folder +score +killed +survived +no cov\. +errors +ignored\ncore +75\.0% +3 +1 +0 +0 +0\ncore\/rules +100\.0% +1 +0 +0 +0 +0$/);
  });

  it("stages cover core/ folder by folder, core first, each with its own state file", () => {
    expect(STAGES[0]!.name).toBe("core");
    expect(STAGES.map((s) => s.name)).toEqual(expect.arrayContaining(["core/alertmanager", "core/rules", "core/grafana", "core/prometheus", "core/blackbox", "components:stack", "components:exporters", "components:telemetry"]));
    expect(new Set(STAGES.map((s) => stateFile(s.name))).size).toBe(STAGES.length);
    // Every folder of core/ is some stage's (a new folder without one would go unmutated).
    const folders = readdirSync(join(__dirname, "../../core"), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => `core/${d.name}`);
    for (const f of folders) expect(STAGES.map((s) => s.name), f).toContain(f);
    expect(stateFile("core/rules")).toBe("reports/stryker/core-rules.json");
    expect(stateFile("components:stack")).toBe("reports/stryker/components-stack.json");
  });

  it("splits components/ in three parts that mutate every file once", () => {
    const parts = STAGES.filter((s) => s.name.startsWith("components:"));
    expect(parts.map((s) => s.name)).toEqual(["components:stack", "components:exporters", "components:telemetry"]);
    const files = readdirSync(join(__dirname, "../../components")).filter((f) => f.endsWith(".ts")).map((f) => `components/${f}`);
    const mutated = (s: (typeof STAGES)[number], f: string) => s.mutate.includes(f) || (s.mutate.includes("components/*.ts") && !s.mutate.includes(`!${f}`));
    for (const f of files) expect(parts.filter((s) => mutated(s, f)).map((s) => s.name), f).toHaveLength(1);
    expect(parts.every((s) => s.tests.includes("test/stacks/*.test.ts"))).toBe(true);
  });
});

describe("npm run mutation's command line", () => {
  it("takes stages in STAGES order, --force, --score and --concurrency N", () => {
    expect(parseArgs([])).toEqual({ score: false, force: false, stages: STAGES });
    const a = parseArgs(["core/rules", "--concurrency", "4", "core", "--force"]);
    expect(a).toEqual({ score: false, force: true, concurrency: "4", stages: [STAGES[0], STAGES.find((s) => s.name === "core/rules")] });
    expect(parseArgs(["--score"])).toMatchObject({ score: true });
    // A split folder by its name runs every part, each once.
    expect(parseArgs(["components", "components:stack"])).toMatchObject({ stages: STAGES.filter((s) => s.name.startsWith("components:")) });
    expect(parseArgs(["components:telemetry"])).toMatchObject({ stages: [STAGES.find((s) => s.name === "components:telemetry")] });
  });

  it("refuses a bad concurrency, an unknown option and an unknown stage, naming it", () => {
    expect(parseArgs(["--concurrency"])).toBe("--concurrency takes a whole number of worker processes, got nothing");
    expect(parseArgs(["--concurrency", "0"])).toBe("--concurrency takes a whole number of worker processes, got 0");
    expect(parseArgs(["--concurrency", "core"])).toBe("--concurrency takes a whole number of worker processes, got core");
    expect(parseArgs(["--concurency", "2"])).toBe("unknown option --concurency; options: --score, --force, --concurrency N");
    expect(parseArgs(["core/rule"])).toMatch(/^unknown stage\(s\): core\/rule; stages: core, core\/alertmanager, /);
  });
});
