import { describe, expect, it } from "vitest";
import { folderScores, formatScores, score, STAGES, stateFile } from "../../scripts/mutation";

const m = (...statuses: string[]) => statuses.map((status) => ({ status }));

describe("npm run mutation", () => {
  it("scores like Stryker: killed and timed out over every mutant that ran or had no test; compile errors left out", () => {
    expect(score(m("Killed", "Killed", "Timeout", "Survived", "NoCoverage", "CompileError", "RuntimeError", "Ignored"))).toEqual({
      killed: 2, timeout: 1, survived: 1, noCoverage: 1, errors: 2, score: 60,
    });
    expect(score(m("CompileError")).score).toBeNaN();
  });

  it("adds the results of every stage up per folder, sorted", () => {
    const scores = folderScores([
      { files: { "core/yaml.ts": { mutants: m("Killed", "Survived") }, "core/rules/render.ts": { mutants: m("Killed") } } },
      { files: { "core/duration.ts": { mutants: m("Killed", "Killed") } } },
    ]);
    expect([...scores.entries()].map(([k, s]) => [k, s.score])).toEqual([["core", 75], ["core/rules", 100]]);
    expect(formatScores(scores, [])).toMatch(/^folder +score +killed +survived +no cov\. +errors\ncore +75\.0% +3 +1 +0 +0\ncore\/rules +100\.0% +1 +0 +0 +0$/);
  });

  it("stages cover core/ folder by folder, core first, each with its own state file", () => {
    expect(STAGES[0]!.name).toBe("core");
    expect(STAGES.map((s) => s.name)).toEqual(expect.arrayContaining(["core/alertmanager", "core/rules", "core/grafana", "core/prometheus", "core/blackbox", "components"]));
    expect(new Set(STAGES.map((s) => stateFile(s.name))).size).toBe(STAGES.length);
    expect(stateFile("core/rules")).toBe("reports/stryker/core-rules.json");
  });
});
