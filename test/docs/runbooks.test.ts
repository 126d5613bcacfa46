import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderRunbooks } from "../../cli/runbooks";
import { alertNames, buildRulePacks, seedKpiTargets } from "../../rules";
import { packAlerts } from "../../core/rules/model";

describe("docs/runbooks.md", () => {
  it("is up to date with the shipped packs (run `npm run docs`)", () => {
    expect(readFileSync(join(__dirname, "..", "..", "docs", "runbooks.md"), "utf8")).toBe(renderRunbooks());
  });

  it("has a section for every runbook_url anchor", () => {
    const text = renderRunbooks();
    const packs = buildRulePacks({ kpis: seedKpiTargets });
    for (const a of packs.flatMap(packAlerts)) {
      const anchor = a.annotations.runbookUrl?.split("#")[1];
      expect(anchor).toBe(a.alert.toLowerCase());
      expect(text).toContain(`### ${a.alert}\n`);
    }
    expect(alertNames(packs).length).toBeGreaterThan(50);
  });
});
