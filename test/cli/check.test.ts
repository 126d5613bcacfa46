import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { check } from "../../cli/check";
import { runTool } from "../../cli/tools";

const ROOT = join(__dirname, "..", "..");
const tmp = mkdtempSync(join(tmpdir(), "moncode-check-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.each(["dev", "prod"])("check --stack %s with the real promtool and amtool", (stack) => {
  it("passes promtool check config/rules, promtool test rules, amtool check-config and every routing test", async () => {
    const c = await check({ stack, projectDir: ROOT, outDir: join(tmp, "out") });
    expect(c.missingTools).toEqual([]);
    const failed = c.runs.filter((r) => !r.ok).map((r) => `${r.command}\n${r.output}`);
    expect(failed).toEqual([]);
    const commands = c.runs.map((r) => r.command.split(" ").slice(0, 3).join(" "));
    expect(commands).toEqual(expect.arrayContaining(["promtool check config", "promtool check rules", "promtool test rules", `amtool check-config ${join(c.synth.dir, "alertmanager/alertmanager.yml")}`]));
    expect(c.runs.filter((r) => r.command.startsWith("amtool config routes test")).length).toBeGreaterThanOrEqual(5);
    expect(c.ok).toBe(true);
  });
});

describe("the tools are real", () => {
  it("promtool rejects what our renderer never writes (proves the check can fail)", () => {
    const bad = join(tmp, "bad.yml");
    writeFileSync(bad, "global:\n  scrape_interval: 15s\n  scrape_timeout: 20s\n");
    const r = runTool("promtool", ["check", "config", bad]);
    expect(r.ok).toBe(false);
    expect(r.output).toMatch(/scrape timeout greater than scrape interval/i);
  });
});
