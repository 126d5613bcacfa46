/**
 * The review comment: its body, the create-or-update decision, and the HTTP exchange against a loopback server
 * replaying GitHub API responses. The fixtures (test/fixtures/github/) are written in the shape of GitHub's REST
 * responses (List issue comments: pages with a Link header; Create/Update an issue comment), not captured from
 * GitHub, which this machine cannot reach: posting to the real API stays unproven.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildCommentBody, COMMENT_MARKER, decideComment, MAX_BLOCK, MAX_BODY, nextPage, postComment, readReviewDir, type GithubComment } from "../../cli/pr-comment";

const FIXTURES = join(__dirname, "..", "fixtures", "github");
const fixture = <T>(name: string): T => JSON.parse(readFileSync(join(FIXTURES, name), "utf8")) as T;
const page1 = fixture<GithubComment[]>("issue-comments-page-1.json");
const page2 = fixture<GithubComment[]>("issue-comments-page-2.json");
const links = fixture<{ page1: string; page2: string }>("issue-comments-links.json");

const tmp = mkdtempSync(join(tmpdir(), "moncode-pr-comment-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const DIFF_MD = "### Monitoring diff for `dev`: `origin/main (1a2b3c4)` → `working tree`\n\n**1 alert changed · 1 platform object replaced**\n\n#### Alert rules (1)\n\n- **changed** `http / HttpErrorRateHigh`\n";

describe("the comment body", () => {
  it("starts with the marker, tabulates each stack, then each stack's diff, check and preview", () => {
    const dir = join(tmp, "review");
    for (const [stack, files] of Object.entries({
      dev: { "check.txt": "check dev: ok (28 tool runs)\n", "check.status": "0\n", "diff.md": DIFF_MD, "diff.status": "0\n", "preview.txt": "Previewing update (dev)\n~ 1 to update\n" },
      prod: { "check.txt": "FAIL promtool test rules\n", "check.status": "1\n", "diff.md": "", "diff.status": "3\n", "diff.log": "diff: base origin/main: synth --stack prod failed:\ninvalid stack config\n" },
    })) {
      mkdirSync(join(dir, stack), { recursive: true });
      for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, stack, f), text);
    }
    const body = buildCommentBody(readReviewDir(dir), { sha: "9f8e7d6c5b4a" });
    expect(body).toBe(
      [
        COMMENT_MARKER,
        "## Monitoring review",
        "",
        "| Stack | `moncode check` | Monitoring diff |",
        "|---|---|---|",
        "| `dev` | ✅ passed | 1 alert changed · 1 platform object replaced |",
        "| `prod` | ❌ failed (exit 1) | failed (exit 3) |",
        "",
        DIFF_MD.trimEnd(),
        "",
        "<details><summary>moncode check dev: passed</summary>",
        "",
        "```text\ncheck dev: ok (28 tool runs)\n```",
        "",
        "</details>",
        "",
        "<details><summary>pulumi preview dev</summary>",
        "",
        "```text\nPreviewing update (dev)\n~ 1 to update\n```",
        "",
        "</details>",
        "",
        "<details><summary>moncode diff prod: failed (exit 3)</summary>",
        "",
        "```text\ndiff: base origin/main: synth --stack prod failed:\ninvalid stack config\n```",
        "",
        "</details>",
        "",
        "<details><summary>moncode check prod: failed</summary>",
        "",
        "```text\nFAIL promtool test rules\n```",
        "",
        "</details>",
        "",
        "_Updated for 9f8e7d6 by the monitoring-review workflow._",
        "",
      ].join("\n"),
    );
  });

  it("says when a diff was gated and when no preview ran", () => {
    const body = buildCommentBody([{ stack: "dev", check: { status: 0, output: "ok" }, diff: { status: 1, markdown: DIFF_MD } }]);
    expect(body).toContain("| `dev` | ✅ passed | 1 alert changed · 1 platform object replaced — **gated** (a --fail-on category occurred) |");
    expect(body).toContain("_`pulumi preview` did not run: no Pulumi token or backend is configured for this workflow._");
  });

  it("keeps the end of long tool output and stays under GitHub's comment limit", () => {
    const long = Array.from({ length: 20_000 }, (_, i) => `line ${i}`).join("\n");
    const body = buildCommentBody(["a", "b", "c", "d", "e", "f", "g"].map((stack) => ({ stack, check: { status: 1, output: long }, preview: long })));
    expect(body.length).toBeLessThanOrEqual(MAX_BODY);
    expect(body).toContain(`characters cut)\n`);
    expect(body).toContain("line 19999");
    expect(body.endsWith("see the workflow's log for the rest.\n")).toBe(true);
    expect(MAX_BLOCK).toBeLessThan(MAX_BODY);
  });

  it("fences output that itself contains a code fence", () => {
    const body = buildCommentBody([{ stack: "dev", check: { status: 1, output: "```\nnot the end\n```" } }]);
    expect(body).toContain("````text\n```\nnot the end\n```\n````");
  });
});

describe("create or update", () => {
  it("creates when no comment of ours exists, even if someone quoted the marker", () => {
    expect(page1.some((c) => c.body?.includes(COMMENT_MARKER))).toBe(true);
    expect(decideComment(page1, "new body")).toEqual({ kind: "create" });
  });

  it("updates the oldest of our comments across pages, and leaves it alone when the body is the same", () => {
    const all = [...page1, ...page2];
    expect(decideComment(all, "new body")).toEqual({ kind: "update", id: 2010 });
    expect(decideComment(all, page2[0]!.body!)).toEqual({ kind: "unchanged", id: 2010 });
  });

  it("looks for the author the workflow's token posts as (a GitHub App's bot)", () => {
    expect(decideComment([...page1, ...page2], "x", "moncode-review[bot]")).toEqual({ kind: "create" });
  });

  it("follows the Link header's next page, and stops on the last", () => {
    expect(nextPage(links.page1)).toBe("https://api.github.com/repositories/700000042/issues/42/comments?per_page=100&page=2");
    expect(nextPage(links.page2)).toBeUndefined();
    expect(nextPage(null)).toBeUndefined();
  });
});

/** A loopback server answering like GitHub with the fixtures; records every request. */
async function replayGithub(): Promise<{ url: string; requests: { method: string; url: string; auth: string | undefined; body: string }[]; close: () => Promise<void> }> {
  const requests: { method: string; url: string; auth: string | undefined; body: string }[] = [];
  const read = (req: IncomingMessage) => new Promise<string>((res) => {
    let b = "";
    req.on("data", (c: Buffer) => (b += c.toString()));
    req.on("end", () => res(b));
  });
  const server = createServer(async (req, res) => {
    const body = await read(req);
    requests.push({ method: req.method ?? "", url: req.url ?? "", auth: req.headers.authorization, body });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (req.method === "GET" && req.url === "/repos/acme/monitoring/issues/42/comments?per_page=100") {
      res.writeHead(200, { "content-type": "application/json", link: `<${base}/repositories/700000042/issues/42/comments?per_page=100&page=2>; rel="next"` });
      res.end(JSON.stringify(page1));
    } else if (req.method === "GET" && req.url === "/repositories/700000042/issues/42/comments?per_page=100&page=2") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(page2));
    } else if (req.method === "PATCH" && req.url === "/repos/acme/monitoring/issues/comments/2010") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ...fixture<object>("issue-comment-created.json"), id: 2010, body: (JSON.parse(body) as { body: string }).body }));
    } else {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: "Not Found" }));
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, requests, close: () => new Promise((r) => server.close(() => r())) };
}

describe("posting (against a loopback replay of GitHub's responses)", () => {
  it("reads every page, then PATCHes our comment with the token and the new body", async () => {
    const gh = await replayGithub();
    try {
      const action = await postComment({ token: "test-token", repository: "acme/monitoring", pr: 42, apiUrl: gh.url }, "the new body");
      expect(action).toEqual({ kind: "update", id: 2010 });
      expect(gh.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
        "GET /repos/acme/monitoring/issues/42/comments?per_page=100",
        "GET /repositories/700000042/issues/42/comments?per_page=100&page=2",
        "PATCH /repos/acme/monitoring/issues/comments/2010",
      ]);
      expect(gh.requests.every((r) => r.auth === "Bearer test-token")).toBe(true);
      expect(JSON.parse(gh.requests[2]!.body)).toEqual({ body: "the new body" });
    } finally {
      await gh.close();
    }
  });

  it("names the request that failed", async () => {
    const gh = await replayGithub();
    try {
      await expect(postComment({ token: "t", repository: "acme/other", pr: 1, apiUrl: gh.url }, "b")).rejects.toThrow(`GET ${gh.url}/repos/acme/other/issues/1/comments?per_page=100: HTTP 404`);
    } finally {
      await gh.close();
    }
  });
});
