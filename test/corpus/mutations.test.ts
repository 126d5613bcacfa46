/**
 * Mutation proof of the PromQL checks on real content: every alert and recording expression of the corpus is broken
 * three ways — the last `)` dropped, the first range-vector argument's `[range]` dropped, a selector regex made
 * invalid — and the pinned promtool judges each mutant (one rule file per mutation kind, each mutant its own
 * group, so promtool's messages name it). The library must reject every mutant promtool rejects. The reverse
 * (mutants only the library rejects) is listed and must be empty too: such a mutant would be a false error.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { parsePromql } from "../../core/promql";
import type { Rule } from "../../core/rules/model";
import { validateRuleGroups } from "../../core/rules/validate";
import { CORPUS } from "../helpers/imported";
import { tool } from "../helpers/tools";

const PROMTOOL = tool("promtool");
const dir = mkdtempSync(join(tmpdir(), "moncode-mutants-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface SourceRule {
  readonly kind: "alert" | "record";
  readonly name: string;
  readonly expr: string;
}

function corpusRules(): SourceRule[] {
  const walk = (d: string): string[] => readdirSync(d).sort().flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [join(d, f)]));
  const out: SourceRule[] = [];
  for (const f of walk(CORPUS).filter((x) => /\.ya?ml$/.test(x) && !x.includes("dashboardDefinitions"))) {
    for (const doc of parseAllDocuments(readFileSync(f, "utf8"))) {
      const v = doc.toJS() as { spec?: { groups?: unknown[] }; groups?: unknown[] };
      for (const g of (v.spec?.groups ?? v.groups ?? []) as { rules?: Record<string, unknown>[] }[]) {
        for (const r of g.rules ?? []) {
          const kind = typeof r.alert === "string" ? "alert" : "record";
          out.push({ kind, name: String(r.alert ?? r.record), expr: String(r.expr) });
        }
      }
    }
  }
  return out;
}

interface Node {
  readonly name: string;
  readonly from: number;
  readonly to: number;
  readonly firstChild: Node | null;
  readonly nextSibling: Node | null;
}

function nodes(expr: string): Node[] {
  const out: Node[] = [];
  const walk = (n: Node | null): void => {
    for (let c = n; c; c = c.nextSibling) {
      out.push(c);
      walk(c.firstChild);
    }
  };
  walk((parsePromql(expr) as unknown as { topNode: Node }).topNode);
  return out;
}

/** Kind 1: the last `)` of the text dropped. */
function dropLastParen(expr: string): string | undefined {
  const i = expr.lastIndexOf(")");
  return i < 0 ? undefined : expr.slice(0, i) + expr.slice(i + 1);
}

/** Kind 2: the `[range]` of the first range vector (matrix selector or subquery) passed to a function, dropped. */
function dropFirstRange(expr: string): string | undefined {
  for (const n of nodes(expr)) {
    if (n.name !== "FunctionCall") continue;
    const body = n.firstChild?.nextSibling;
    for (let a = body?.firstChild ?? null; a; a = a.nextSibling) {
      if (a.name !== "MatrixSelector" && a.name !== "SubqueryExpr") continue;
      const inner = a.firstChild!;
      const close = expr.indexOf("]", inner.to);
      return expr.slice(0, inner.to) + expr.slice(close + 1);
    }
  }
  return undefined;
}

/** Kind 3: the first regex matcher's pattern opened with an unbalanced `(`. */
function breakRegex(expr: string): string | undefined {
  for (const n of nodes(expr)) {
    if (n.name !== "UnquotedLabelMatcher" && n.name !== "QuotedLabelMatcher") continue;
    const text = expr.slice(n.from, n.to);
    const m = /(=~|!~)\s*(["'`])/.exec(text);
    if (!m) continue;
    const at = n.from + m.index + m[0].length;
    return `${expr.slice(0, at)}(${expr.slice(at)}`;
  }
  return undefined;
}

const KINDS = { "drop-last-paren": dropLastParen, "drop-first-range": dropFirstRange, "break-regex": breakRegex } as const;

function ruleOf(r: SourceRule, expr: string): Rule {
  return r.kind === "alert" ? { alert: r.name, expr, annotations: {} } : { record: r.name, expr };
}

/** The mutants promtool rejects, by index, from one run over a file that holds each mutant in its own group. */
function promtoolRejects(kind: string, mutants: readonly { r: SourceRule; expr: string }[]): Set<number> {
  const path = join(dir, `${kind}.yml`);
  const groups = mutants.map((m, i) => ({ name: `m${i}`, rules: [m.r.kind === "alert" ? { alert: m.r.name, expr: m.expr } : { record: m.r.name, expr: m.expr }] }));
  writeFileSync(path, JSON.stringify({ groups }));
  const out = spawnSync(PROMTOOL, ["check", "rules", "--lint=none", path], { encoding: "utf8", timeout: 300_000 });
  if (out.error) throw out.error;
  return new Set([...`${out.stdout}${out.stderr}`.matchAll(/group "m(\d+)", rule \d+/g)].map((m) => Number(m[1])));
}

describe("mutants of every corpus expression", () => {
  const rules = corpusRules();

  it("covers every alert and recording rule of the corpus", () => {
    expect(rules.length).toBe(1188);
  });

  it.each(Object.keys(KINDS) as (keyof typeof KINDS)[])("%s: the library rejects every mutant promtool rejects, and no other", (kind) => {
    const mutate = KINDS[kind];
    const mutants = rules.flatMap((r) => {
      const expr = mutate(r.expr);
      return expr === undefined || expr === r.expr ? [] : [{ r, expr }];
    });
    const byPromtool = promtoolRejects(kind, mutants);
    const byLibrary = new Set<number>();
    mutants.forEach((m, i) => {
      const issues = validateRuleGroups([{ name: `m${i}`, rules: [ruleOf(m.r, m.expr)] }], { profile: "lint" });
      if (issues.some((x) => x.severity === "error")) byLibrary.add(i);
    });
    const missed = [...byPromtool].filter((i) => !byLibrary.has(i)).map((i) => mutants[i]!.expr);
    const extra = [...byLibrary].filter((i) => !byPromtool.has(i)).map((i) => mutants[i]!.expr);
    console.log(`${kind}: ${mutants.length} mutants of ${rules.length} expressions; promtool rejects ${byPromtool.size}, the library ${byLibrary.size}`);
    expect(missed).toEqual([]);
    expect(extra).toEqual([]);
    expect(byPromtool.size).toBeGreaterThan(mutants.length / 2);
  }, 300_000);
});
