/**
 * The shipped GitHub Actions workflow passes actionlint (the Go-built release of tools/programs.ts), which fails on
 * a broken copy; and it runs what the README promises, in that order.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { tool } from "../helpers/tools";

const WORKFLOW = join(__dirname, "..", "..", "examples", "github", "monitoring-review.yml");
const tmp = mkdtempSync(join(tmpdir(), "moncode-actionlint-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** actionlint without shellcheck/pyflakes from PATH, so the result does not depend on what the machine has. */
function actionlint(file: string): { status: number | null; output: string } {
  const r = spawnSync(tool("actionlint"), ["-no-color", "-shellcheck=", "-pyflakes=", file], { encoding: "utf8" });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe("examples/github/monitoring-review.yml", () => {
  it("passes actionlint", () => {
    expect(actionlint(WORKFLOW)).toEqual({ status: 0, output: "" });
  });

  it.each([
    ["an undefined job dependency", (t: string) => t.replace("    runs-on: ubuntu-latest", "    runs-on: ubuntu-latest\n    needs: build"), /job "review" needs job "build" which does not exist/],
    ["a misspelt context", (t: string) => t.replace("github.event.pull_request.number }}", "github.evnt.pull_request.number }}"), /property "evnt" is not defined/],
    ["an unknown event", (t: string) => t.replace("  pull_request:\n", "  pull_requests:\n"), /unknown Webhook event "pull_requests"/],
  ])("fails on a copy with %s", (_name, edit, message) => {
    const broken = join(tmp, "broken.yml");
    writeFileSync(broken, edit(readFileSync(WORKFLOW, "utf8")));
    const r = actionlint(broken);
    expect(r.status).toBe(1);
    expect(r.output).toMatch(message);
  });

  it("on pull requests: npm ci, check per stack, the diff against the base branch, preview where configured, one comment", () => {
    const wf = parse(readFileSync(WORKFLOW, "utf8")) as { on: Record<string, unknown>; permissions: Record<string, string>; jobs: { review: { steps: { name?: string; run?: string; uses?: string; if?: string }[] } } };
    expect(Object.keys(wf.on)).toEqual(["pull_request"]);
    expect(wf.permissions).toEqual({ contents: "read", "pull-requests": "write" });
    const steps = wf.jobs.review.steps;
    const at = (pattern: RegExp) => steps.findIndex((s) => pattern.test(s.run ?? ""));
    const order = [/^npm ci$/, /cli\/main\.ts check --stack "\$s" --require-tools/, /cli\/main\.ts diff --base "origin\/\$BASE_REF" --stack "\$s"/, /pulumi preview --stack "\$s"/, /cli\/pr-comment\.ts review$/].map(at);
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(steps.find((s) => /pulumi preview/.test(s.run ?? ""))?.if).toBe("env.PULUMI_ACCESS_TOKEN != '' || env.PULUMI_BACKEND_URL != ''");
  });
});
