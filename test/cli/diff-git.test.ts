/**
 * The git-ref mode on a small temporary repository holding this checkout's files: each ref is synthesized in a
 * temporary worktree with that ref's own code (an image bump in components/images.ts is a code change), the
 * node_modules are reused through a symlink when the lockfile is the same, and the worktrees are gone afterwards —
 * also when a ref fails to synthesize. Two synths of the same commit diff empty.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDiff, runDiffCli } from "../../cli/diff";
import { ROOT } from "./diff-variants";

const tmp = mkdtempSync(join(tmpdir(), "moncode-diff-git-"));
const repo = join(tmp, "repo");
const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=moncode test", "-c", "user.email=test@example.com", ...args], { cwd: repo, encoding: "utf8" }).trim();

function commitEdit(path: string, edit: (text: string) => string, message: string): void {
  const p = join(repo, path);
  writeFileSync(p, edit(readFileSync(p, "utf8")));
  git("commit", "-q", "-am", message);
}

/** Temporary worktrees of the repository besides its own checkout (should be none once a diff returns). */
const extraWorktrees = () => git("worktree", "list", "--porcelain").split("\n").filter((l) => l.startsWith("worktree ")).length - 1;
/** Where the diffs put their worktrees and synth outputs; empty again once each returns. */
const work = join(tmp, "work");

beforeAll(() => {
  mkdirSync(work);
  mkdirSync(repo);
  // This checkout's files as they are now (the synth code under test), not node_modules.
  const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "-z"], { cwd: ROOT, encoding: "utf8" }).split("\0").filter((f) => f !== "" && existsSync(join(ROOT, f)));
  for (const f of files) {
    mkdirSync(dirname(join(repo, f)), { recursive: true });
    cpSync(join(ROOT, f), join(repo, f));
  }
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-q", "-m", "base");
  // Installed, not committed: a symlink is a file to git, which `node_modules/` in .gitignore would not exclude.
  symlinkSync(join(ROOT, "node_modules"), join(repo, "node_modules"), "dir");
  commitEdit("components/images.ts", (t) => t.replace('prometheus: "prom/prometheus:v3.16.0"', 'prometheus: "prom/prometheus:v3.16.1"'), "bump Prometheus");
}, 120_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("moncode diff --base <git ref>", () => {
  it("an image bump in code: the image old → new, and the container replaced", async () => {
    const r = await runDiff({ project: repo, base: "HEAD~1", head: "HEAD", workDir: work });
    const [base, head] = [git("rev-parse", "--short=7", "HEAD~1"), git("rev-parse", "--short=7", "HEAD")];
    expect(r.text).toBe(
      [
        `### Monitoring diff for \`dev\`: \`HEAD~1 (${base})\` → \`HEAD (${head})\``,
        "",
        "**1 image changed · 1 platform object replaced**",
        "",
        "#### Images (1)",
        "",
        "- **changed** `prometheus`",
        "  - _the container is replaced_",
        "  - `image`: `prom/prometheus:v3.16.0` → `prom/prometheus:v3.16.1`",
        "",
        "#### Platform objects (1)",
        "",
        "- **replaced** `Container dev-prometheus`",
        "  - _the old container is removed before the new one starts (a short outage); named volumes are kept_",
        "  - `image`: `prom/prometheus:v3.16.0` → `prom/prometheus:v3.16.1` (forces replacement)",
        "  - `labels[moncode.dev/config-hash]`: rendered config changed; forces replacement",
        "",
      ].join("\n"),
    );
    expect(r.report.categories).toEqual(["image-change", "replacement", "any"]);
    expect(extraWorktrees()).toBe(0);
    expect(readdirSync(work)).toEqual([]);
  }, 180_000);

  it("--base HEAD against the unchanged working tree: two synths of one commit diff empty, exit 0", async () => {
    const out: string[] = [];
    const code = await runDiffCli(["--base", "HEAD", "--fail-on", "any"], { out: (s) => out.push(s), err: () => {}, cwd: repo, workDir: work });
    expect(code).toBe(0);
    expect(out.join("\n")).toBe(`### Monitoring diff for \`dev\`: \`HEAD (${git("rev-parse", "--short=7", "HEAD")})\` → \`working tree\`\n\n**no changes**`);
    expect(extraWorktrees()).toBe(0);
  }, 180_000);

  it("a ref that does not synthesize: exit 3 naming the field, and its worktree is removed all the same", async () => {
    commitEdit("Pulumi.dev.yaml", (t) => t.replace("retentionTime: 2d", "retentionTime: 2 days"), "break the stack file");
    const err: string[] = [];
    const code = await runDiffCli(["--base", "HEAD", "--head", "HEAD~1"], { out: () => {}, err: (s) => err.push(s), cwd: repo, workDir: work });
    expect(code).toBe(3);
    expect(err.join("\n")).toMatch(/base HEAD: synth --stack dev failed:[\s\S]*prometheus\.retentionTime/);
    expect(extraWorktrees()).toBe(0);
    expect(readdirSync(work)).toEqual([]);
  }, 180_000);

  it("names what is neither a directory nor a ref (usage, exit 2)", async () => {
    const err: string[] = [];
    expect(await runDiffCli(["--base", "no-such-branch"], { out: () => {}, err: (s) => err.push(s), cwd: repo })).toBe(2);
    expect(err.join("\n")).toContain('base "no-such-branch" is neither a directory nor a git ref');
  });
});
