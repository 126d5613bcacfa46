/**
 * The monitoring-review workflow's comment (examples/github/monitoring-review.yml): one comment per pull request,
 * found again by a hidden marker and updated in place, holding each stack's `moncode check` result, semantic diff
 * and, where a Pulumi backend is configured, `pulumi preview`.
 *
 *   npx tsx cli/pr-comment.ts <review dir> [--dry-run]
 *
 * The review dir holds one folder per stack with what the workflow's steps wrote: check.txt + check.status,
 * diff.md + diff.status, optionally preview.txt. Environment: GITHUB_TOKEN, GITHUB_REPOSITORY (owner/name),
 * PR_NUMBER, GITHUB_SHA, GITHUB_API_URL (default https://api.github.com), COMMENT_AUTHOR (default
 * github-actions[bot], the author of comments made with the workflow's token).
 *
 * The body and the create-or-update decision are pure and unit-tested on GitHub API responses; the HTTP calls in
 * `postComment` have not been exercised against GitHub from here.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

export const COMMENT_MARKER = "<!-- moncode:monitoring-review -->";
/** GitHub rejects comment bodies over 65,536 characters. */
export const MAX_BODY = 65_536;
/** Tool output shown per block (its end: where errors are). */
export const MAX_BLOCK = 12_000;
export const DEFAULT_AUTHOR = "github-actions[bot]";

export interface StackReview {
  readonly stack: string;
  /** `moncode check` output and exit status. */
  readonly check?: { readonly status: number; readonly output: string };
  /** `moncode diff` markdown and exit status (0, 1 = a --fail-on category occurred, 2/3 = it failed). */
  readonly diff?: { readonly status: number; readonly markdown: string; readonly log?: string };
  /** `pulumi preview` output, when it ran. */
  readonly preview?: string;
}

function tail(text: string, max = MAX_BLOCK): string {
  const t = text.trimEnd();
  return t.length <= max ? t : `… (${t.length - max} characters cut)\n${t.slice(t.length - max)}`;
}

/** A fenced block that survives backticks in the output. */
function fenced(text: string): string {
  const runs = text.match(/`{3,}/g) ?? [];
  const fence = "`".repeat(Math.max(3, ...runs.map((r) => r.length + 1)));
  return `${fence}text\n${text}\n${fence}`;
}

function details(summary: string, body: string): string[] {
  return [`<details><summary>${summary}</summary>`, "", body, "", "</details>", ""];
}

/** The diff's own summary line (`**1 alert changed · …**`), for the table. */
function diffSummary(d: StackReview["diff"]): string {
  if (!d) return "not run";
  if (d.status >= 2) return `failed (exit ${d.status})`;
  const line = d.markdown.split("\n").find((l) => /^\*\*.*\*\*$/.test(l.trim()));
  const summary = line ? line.trim().slice(2, -2) : "see below";
  return d.status === 1 ? `${summary} — **gated** (a --fail-on category occurred)` : summary;
}

function checkSummary(c: StackReview["check"]): string {
  return !c ? "not run" : c.status === 0 ? "✅ passed" : `❌ failed (exit ${c.status})`;
}

export function buildCommentBody(reviews: readonly StackReview[], meta: { readonly sha?: string } = {}): string {
  const out: string[] = [COMMENT_MARKER, "## Monitoring review", "", "| Stack | `moncode check` | Monitoring diff |", "|---|---|---|"];
  for (const r of reviews) out.push(`| \`${r.stack}\` | ${checkSummary(r.check)} | ${diffSummary(r.diff).replace(/\|/g, "\\|")} |`);
  out.push("");
  for (const r of reviews) {
    if (r.diff && r.diff.status < 2) out.push(r.diff.markdown.trimEnd(), "");
    else if (r.diff) out.push(...details(`moncode diff ${r.stack}: failed (exit ${r.diff.status})`, fenced(tail(r.diff.log ?? r.diff.markdown))));
    if (r.check) out.push(...details(`moncode check ${r.stack}: ${r.check.status === 0 ? "passed" : "failed"}`, fenced(tail(r.check.output))));
    if (r.preview !== undefined) out.push(...details(`pulumi preview ${r.stack}`, fenced(tail(r.preview))));
  }
  if (!reviews.some((r) => r.preview !== undefined)) out.push("_`pulumi preview` did not run: no Pulumi token or backend is configured for this workflow._", "");
  if (meta.sha) out.push(`_Updated for ${meta.sha.slice(0, 7)} by the monitoring-review workflow._`);
  let body = `${out.join("\n").trimEnd()}\n`;
  if (body.length > MAX_BODY) {
    const note = "\n\n… the review is longer than a GitHub comment allows: see the workflow's log for the rest.\n";
    body = body.slice(0, MAX_BODY - note.length) + note;
  }
  return body;
}

/** The fields of GitHub's issue comment object this module reads. */
export interface GithubComment {
  readonly id: number;
  readonly body?: string | null;
  readonly user?: { readonly login: string; readonly type?: string } | null;
}

export type CommentAction = { readonly kind: "create" } | { readonly kind: "update"; readonly id: number } | { readonly kind: "unchanged"; readonly id: number };

/**
 * Create, or update the oldest comment that carries the marker and was written by `author` (so a person quoting
 * the marker is never overwritten); nothing when its body is already this one.
 */
export function decideComment(existing: readonly GithubComment[], body: string, author = DEFAULT_AUTHOR): CommentAction {
  const ours = existing.filter((c) => (c.body ?? "").includes(COMMENT_MARKER) && c.user?.login === author).sort((a, b) => a.id - b.id);
  const first = ours[0];
  if (!first) return { kind: "create" };
  return first.body === body ? { kind: "unchanged", id: first.id } : { kind: "update", id: first.id };
}

/** The `rel="next"` URL of a GitHub `Link` header. */
export function nextPage(link: string | null | undefined): string | undefined {
  for (const part of (link ?? "").split(",")) {
    const m = /<([^>]+)>\s*;\s*rel="next"/.exec(part);
    if (m) return m[1];
  }
  return undefined;
}

/** Reads what the workflow's steps wrote: `<dir>/<stack>/{check.txt,check.status,diff.md,diff.status,diff.log,preview.txt}`. */
export function readReviewDir(dir: string): StackReview[] {
  const read = (p: string) => (existsSync(p) ? readFileSync(p, "utf8") : undefined);
  const status = (p: string) => {
    const s = read(p);
    return s === undefined ? undefined : Number.parseInt(s.trim(), 10);
  };
  return readdirSync(dir)
    .filter((s) => statSync(join(dir, s)).isDirectory())
    .sort()
    .map((stack) => {
      const d = join(dir, stack);
      const checkStatus = status(join(d, "check.status"));
      const diffStatus = status(join(d, "diff.status"));
      const preview = read(join(d, "preview.txt"));
      const log = read(join(d, "diff.log"));
      return {
        stack,
        ...(checkStatus !== undefined ? { check: { status: checkStatus, output: read(join(d, "check.txt")) ?? "" } } : {}),
        ...(diffStatus !== undefined ? { diff: { status: diffStatus, markdown: read(join(d, "diff.md")) ?? "", ...(log !== undefined ? { log } : {}) } } : {}),
        ...(preview !== undefined ? { preview } : {}),
      };
    });
}

export interface PostEnv {
  readonly token: string;
  readonly repository: string;
  readonly pr: number;
  readonly apiUrl?: string;
  readonly author?: string;
}

/** Lists the PR's comments (every page), then creates or updates ours. Unproven here: no GitHub to talk to. */
export async function postComment(env: PostEnv, body: string, fetchFn: typeof fetch = fetch): Promise<CommentAction> {
  const api = env.apiUrl ?? "https://api.github.com";
  const headers = { Authorization: `Bearer ${env.token}`, Accept: "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28" };
  const comments: GithubComment[] = [];
  let url: string | undefined = `${api}/repos/${env.repository}/issues/${env.pr}/comments?per_page=100`;
  while (url) {
    const r: Response = await fetchFn(url, { headers });
    if (!r.ok) throw new Error(`GET ${url}: HTTP ${r.status}`);
    comments.push(...((await r.json()) as GithubComment[]));
    url = nextPage(r.headers.get("link"));
  }
  const action = decideComment(comments, body, env.author);
  if (action.kind === "unchanged") return action;
  const target = action.kind === "create" ? `${api}/repos/${env.repository}/issues/${env.pr}/comments` : `${api}/repos/${env.repository}/issues/comments/${action.id}`;
  const r = await fetchFn(target, { method: action.kind === "create" ? "POST" : "PATCH", headers: { ...headers, "Content-Type": "application/json" }, body: JSON.stringify({ body }) });
  if (!r.ok) throw new Error(`${action.kind === "create" ? "POST" : "PATCH"} ${target}: HTTP ${r.status}`);
  return action;
}

async function main(argv: readonly string[]): Promise<number> {
  const dir = argv.find((a) => !a.startsWith("--"));
  if (!dir) {
    console.error("usage: tsx cli/pr-comment.ts <review dir> [--dry-run]");
    return 2;
  }
  const body = buildCommentBody(readReviewDir(dir), { ...(process.env.GITHUB_SHA ? { sha: process.env.GITHUB_SHA } : {}) });
  if (argv.includes("--dry-run")) {
    process.stdout.write(body);
    return 0;
  }
  const { GITHUB_TOKEN: token, GITHUB_REPOSITORY: repository, PR_NUMBER: pr } = process.env;
  if (!token || !repository || !pr) {
    console.error("pr-comment: GITHUB_TOKEN, GITHUB_REPOSITORY and PR_NUMBER must be set");
    return 2;
  }
  const action = await postComment({ token, repository, pr: Number(pr), ...(process.env.GITHUB_API_URL ? { apiUrl: process.env.GITHUB_API_URL } : {}), ...(process.env.COMMENT_AUTHOR ? { author: process.env.COMMENT_AUTHOR } : {}) }, body);
  const done = { create: "created the comment", update: "updated comment", unchanged: "left unchanged comment" }[action.kind];
  console.log(`pr-comment: ${done}${"id" in action ? ` ${action.id}` : ""}`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(`pr-comment: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    },
  );
}
