/**
 * renderMarkdown on hand-built reports, each text whole: every way a field change is written (added, removed,
 * old → new, unset sides, a note alone), notes, backticks in values, a section folded past COLLAPSE_AFTER lines,
 * the routing, inhibition and alert impact sections with their singulars, plurals and "and N more".
 */
import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../../core/diff";
import { code, COLLAPSE_AFTER, EXAMPLES_PER_CHANGE } from "../../../core/diff/markdown";
import type { AlertImpact, Change, DiffReport, InhibitionImpact, RoutingImpact } from "../../../core/diff/model";

const report = (r: Partial<DiffReport>): DiffReport => ({ stack: "dev", base: "main (abc1234)", head: "working tree", sections: [], routingImpact: [], inhibitionImpact: [], alertImpact: [], categories: [], summary: "S", ...r });
const HEAD = "### Monitoring diff for `dev`: `main (abc1234)` → `working tree`\n\n**S**\n\n";

describe("code spans", () => {
  it.each([
    ["plain", "`plain`"],
    ["a`b", "`` a`b ``"],
    ["a``b`", "``` a``b` ```"],
    ["", "``"],
  ])("%j → %s", (s, out) => {
    expect(code(s)).toBe(out);
  });
});

describe("a section's changes", () => {
  it("writes each kind of field change, notes in italics (20 lines: folded)", () => {
    const changes: Change[] = [
      { kind: "added", id: "g / A", fields: [{ field: "expr", new: "x > 1" }, { field: "for", new: "5m", note: "pending window" }] },
      { kind: "removed", id: "g / B", fields: [{ field: "expr", old: "y > 1", note: "gone" }] },
      { kind: "changed", id: "g / C", notes: ["threshold lowered", "now pages"], fields: [{ field: "expr", old: "x > 2", new: "x > 1", note: "threshold 2 → 1" }, { field: "for", old: "5m" }, { field: "keep_firing_for", new: "1m" }, { field: "labels", note: "reordered" }, { field: "annotations" }] },
      { kind: "added", id: "g / D", fields: [{ field: "expr", old: "only old" }] },
      { kind: "removed", id: "g / E", fields: [{ field: "expr", new: "only new" }] },
    ];
    expect(renderMarkdown(report({ sections: [{ area: "alerts", title: "Alert rules", changes }] }))).toBe(
      HEAD +
        [
          "<details><summary><b>Alert rules</b> (5)</summary>",
          "",
          "- **added** `g / A`",
          "  - `expr`: `x > 1`",
          "  - `for`: `5m` (pending window)",
          "- **removed** `g / B`",
          "  - `expr`: `y > 1` (gone)",
          "- **changed** `g / C`",
          "  - _threshold lowered_",
          "  - _now pages_",
          "  - `expr`: `x > 2` → `x > 1` (threshold 2 → 1)",
          "  - `for`: `5m` → (unset)",
          "  - `keep_firing_for`: (unset) → `1m`",
          "  - `labels`: reordered",
          "  - `annotations`: changed",
          "- **added** `g / D`",
          "  - `expr`: `only old` → (unset)",
          "- **removed** `g / E`",
          "  - `expr`: (unset) → `only new`",
          "",
          "</details>",
        ].join("\n") +
        "\n",
    );
  });

  it(`folds a section of more than ${COLLAPSE_AFTER} lines into <details>, and not one of exactly ${COLLAPSE_AFTER}`, () => {
    const changes = (n: number): Change[] => Array.from({ length: n }, (_, i) => ({ kind: "moved", id: `c${i}`, fields: [] }));
    const lines = (n: number) => Array.from({ length: n }, (_, i) => `- **moved** \`c${i}\``);
    expect(renderMarkdown(report({ sections: [{ area: "platform", title: "Platform objects", changes: changes(COLLAPSE_AFTER) }] }))).toBe(HEAD + ["#### Platform objects (12)", "", ...lines(12)].join("\n") + "\n");
    expect(renderMarkdown(report({ sections: [{ area: "platform", title: "Platform objects", changes: changes(COLLAPSE_AFTER + 1) }] }))).toBe(
      HEAD + ["<details><summary><b>Platform objects</b> (13)</summary>", "", ...lines(13), "", "</details>"].join("\n") + "\n",
    );
  });
});

describe("impact sections", () => {
  it("routing: one line per receiver change, routing tests marked, nobody for no receiver, singular and plural", () => {
    const routingImpact: RoutingImpact[] = [
      { labels: { alertname: "A", severity: "critical" }, old: ["pager"], new: ["pager", "db"], source: "alert" },
      { labels: { alertname: "B" }, old: ["pager"], new: ["pager", "db"], source: "routing test" },
      { labels: { alertname: "C" }, old: [], new: ["team"], source: "alert" },
    ] as RoutingImpact[];
    expect(renderMarkdown(report({ routingImpact }))).toBe(
      HEAD + "#### Routing impact: receivers per label set (3)\n\n- `pager` → `pager`, `db` (2 label sets): `A severity=critical`, routing test `B`\n- (nobody) → `team` (1 label set): `C`\n",
    );
  });

  it(`routing: at most ${EXAMPLES_PER_CHANGE} label sets per change, then "and N more"`, () => {
    const routingImpact = Array.from({ length: EXAMPLES_PER_CHANGE + 2 }, (_, i) => ({ labels: { alertname: `A${i}` }, old: ["x"], new: [], source: "alert" })) as unknown as RoutingImpact[];
    const shown = Array.from({ length: EXAMPLES_PER_CHANGE }, (_, i) => `\`A${i}\``).join(", ");
    expect(renderMarkdown(report({ routingImpact }))).toBe(HEAD + `#### Routing impact: receivers per label set (10)\n\n- \`x\` → (nobody) (10 label sets): ${shown} and 2 more\n`);
  });

  it("inhibition: grouped by source and direction, at most 8 targets then and N more", () => {
    const inhibitionImpact: InhibitionImpact[] = [
      ...Array.from({ length: EXAMPLES_PER_CHANGE + 1 }, (_, i) => ({ source: { alertname: "Down" }, target: { alertname: `T${i}` }, old: false, new: true })),
      { source: { alertname: "Down" }, target: { alertname: "Gone" }, old: true, new: false },
    ] as InhibitionImpact[];
    const targets = Array.from({ length: EXAMPLES_PER_CHANGE }, (_, i) => `\`T${i}\``).join(", ");
    expect(renderMarkdown(report({ inhibitionImpact }))).toBe(
      HEAD + `#### Inhibition impact (10)\n\n_Pairs of shipped alerts firing together, labels in \`equal\` the same on both._\n\n- \`Down\` now inhibits ${targets} and 1 more\n- \`Down\` no longer inhibits \`Gone\`\n`,
    );
  });

  it("alert impact: each status, evaluations singular and plural, nothing firing on a side", () => {
    const alertImpact: AlertImpact[] = [
      { alert: "g / A", status: "firing changed", cases: 3, changed: [{ test: "a test", evalTime: "5m", old: [], new: ["job=api"] }, { test: "b", evalTime: "10m", old: ["job=api", "job=db"], new: [] }] },
      { alert: "g / B", status: "firing unchanged", cases: 1, changed: [] },
      { alert: "g / C", status: "firing unchanged", cases: 2, changed: [] },
      { alert: "g / D", status: "no test series", cases: 0, changed: [] },
      { alert: "g / E", status: "not evaluated", cases: 0, changed: [], note: "promtool failed" },
      { alert: "g / F", status: "not evaluated", cases: 0, changed: [] },
    ] as AlertImpact[];
    expect(renderMarkdown(report({ alertImpact }))).toBe(
      HEAD +
        [
          "#### Alert impact (6)",
          "",
          "_Each changed alert's promtool unit-test series, evaluated with the base rules and with the head rules._",
          "",
          "- `g / A`: **firing changed** in 2 of 3 evaluations",
          "  - `a test` at `5m`: (nothing fires) → `job=api`",
          "  - `b` at `10m`: `job=api`, `job=db` → (nothing fires)",
          "- `g / B`: firing unchanged (1 evaluation of its unit tests' series)",
          "- `g / C`: firing unchanged (2 evaluations of its unit tests' series)",
          "- `g / D`: no unit test exercises it, not evaluated",
          "- `g / E`: not evaluated: promtool failed",
          "- `g / F`: not evaluated: ",
        ].join("\n").trimEnd() +
        "\n",
    );
  });

  it("sections in order: areas, then routing, inhibition and alert impact", () => {
    const md = renderMarkdown(report({
      sections: [{ area: "alerts", title: "Alert rules", changes: [{ kind: "added", id: "A", fields: [] }] }, { area: "routes", title: "Routes", changes: [{ kind: "removed", id: "r", fields: [] }] }],
      routingImpact: [{ labels: { alertname: "A" }, old: [], new: ["x"], source: "alert" }] as RoutingImpact[],
      inhibitionImpact: [{ source: { alertname: "A" }, target: { alertname: "B" }, old: false, new: true }] as InhibitionImpact[],
      alertImpact: [{ alert: "A", status: "no test series", cases: 0, changed: [] }],
    }));
    expect(md.split("\n").filter((l) => l.startsWith("####"))).toEqual(["#### Alert rules (1)", "#### Routes (1)", "#### Routing impact: receivers per label set (1)", "#### Inhibition impact (1)", "#### Alert impact (1)"]);
  });
});
