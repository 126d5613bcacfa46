/** `moncode diff` arguments: usage errors exit 2 naming the culprit; a folder that is no synth output exits 3. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseDiffArgs, runDiffCli } from "../../cli/diff";

const tmp = mkdtempSync(join(tmpdir(), "moncode-diff-args-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; err: string; out: string }> {
  const err: string[] = [];
  const out: string[] = [];
  const code = await runDiffCli(argv, { out: (s) => out.push(s), err: (s) => err.push(s), cwd: tmp });
  return { code, err: err.join("\n"), out: out.join("\n") };
}

describe("moncode diff arguments", () => {
  it("defaults to the dev stack, markdown, no gate and the working tree as head", () => {
    expect(parseDiffArgs(["--base", "origin/main"])).toEqual({ base: "origin/main", stack: "dev", format: "markdown", failOn: [] });
    expect(parseDiffArgs(["--base=a", "--head", "b", "--stack", "prod", "--format", "json", "--fail-on", "removed-alerts, routing-change"])).toEqual({
      base: "a",
      head: "b",
      stack: "prod",
      format: "json",
      failOn: ["removed-alerts", "routing-change"],
    });
  });

  it.each([
    [["--head", "x"], "--base is required"],
    [["--base", "x", "--format", "xml"], '--format must be markdown or json, got "xml"'],
    [["--base", "x", "--fail-on", "removed-alert"], 'unknown --fail-on category "removed-alert"'],
    [["--base", "x", "--colour", "red"], "unknown option --colour"],
    [["--base"], "--base needs a value"],
    [["base"], 'unexpected argument "base"'],
  ])("%j is a usage error (exit 2) that says why, with the usage", async (argv, message) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.err).toContain("usage: moncode diff --base");
  });

  it("a folder that holds no synth output is named (exit 3)", async () => {
    mkdirSync(join(tmp, "empty", "dev"), { recursive: true });
    writeFileSync(join(tmp, "empty", "dev", "notes.txt"), "nothing");
    const r = await cli("--base", "empty", "--head", "empty");
    expect(r.code).toBe(3);
    expect(r.err).toContain("base empty: neither it nor empty/dev is a synth output folder");
  });
});
