/**
 * The diff's edges, each a regression once shipped: an empty document is no field (a side without prometheus.yml or
 * without alertmanager.yml shows no `{}` or `[]`), an empty mapping inside one still is (`emptyDir: {}`), a note
 * left empty reads "changed", a dashboard provider is not counted as a dashboard, the text "1" and the number 1 are
 * told apart, an uploaded file that only gains a field is changed (not added), and `--` / `-` are positional.
 */
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { renderMarkdown, withAlertImpact } from "../../../core/diff";
import type { DiffReport, Section } from "../../../core/diff/model";
import { diffPlatform } from "../../../core/diff/platform";
import { diffReceivers } from "../../../core/diff/receivers";
import { readAlertmanager } from "../../../core/diff/alertmanager-read";
import { diffScrape } from "../../../core/diff/scrape";
import { diffFields, fieldChange, flatten } from "../../../core/diff/values";
import { flagMap } from "../../../core/diff/workload-areas";

const tree = (files: Record<string, unknown>) => new Map(Object.entries(files).map(([k, v]) => [k, k.endsWith(".json") ? JSON.stringify(v) : stringify(v)]));

describe("an empty document is no field", () => {
  it("flatten({}) has no leaf; an empty mapping or list inside a document is one", () => {
    expect([...flatten({})]).toEqual([]);
    expect([...flatten({ volumes: { data: { emptyDir: {} } }, args: [] })]).toEqual([["args", []], ["volumes.data.emptyDir", {}]]);
  });

  it("a prometheus.yml with only scrape jobs against no prometheus.yml: the jobs are added, no (server settings) item", () => {
    const b = tree({ "prometheus/prometheus.yml": { scrape_configs: [{ job_name: "api", static_configs: [{ targets: ["a:1"] }] }] } });
    expect(diffScrape(tree({}), b)).toEqual([{ kind: "added", id: "api", fields: [{ field: "targets", new: "[a:1]" }] }]);
  });

  it("an Alertmanager config without global or templates against none: no (global settings) item", () => {
    const b = tree({ "alertmanager/alertmanager.yml": { route: { receiver: "x" }, receivers: [{ name: "x" }] } });
    expect(diffReceivers(readAlertmanager(tree({})), readAlertmanager(b))).toEqual([{ kind: "added", id: "x", fields: [{ field: "integrations", new: "(none: drops notifications)" }] }]);
  });

  it("one with a global block against none: the block's own fields only, no empty templates list", () => {
    const b = tree({ "alertmanager/alertmanager.yml": { global: { resolve_timeout: "5m" }, route: { receiver: "x" }, receivers: [{ name: "x" }] } });
    const global = diffReceivers(readAlertmanager(tree({})), readAlertmanager(b)).find((c) => c.id === "(global settings)");
    expect(global).toEqual({ kind: "changed", id: "(global settings)", fields: [{ field: "global.resolve_timeout", new: "5m" }] });
  });

  it("a volume that moves from emptyDir to a claim shows both sides", () => {
    expect(diffFields({ volumes: [{ name: "data", emptyDir: {} }] }, { volumes: [{ name: "data", persistentVolumeClaim: { claimName: "d" } }] })).toEqual([
      { field: "volumes[data].emptyDir", old: "{}" },
      { field: "volumes[data].persistentVolumeClaim.claimName", new: "d" },
    ]);
  });
});

describe("field values", () => {
  it.each([
    ["1", 1, '"1"', "1"],
    [true, "true", "true", '"true"'],
    [null, "null", "null", '"null"'],
  ])("%j → %j: a changed type shows the string's quotes (%s → %s)", (a, b, old, now) => {
    expect(fieldChange("f", a, b)).toEqual({ field: "f", old, new: now });
  });

  it("a same-typed change stays bare", () => {
    expect(fieldChange("f", "1", "2")).toEqual({ field: "f", old: "1", new: "2" });
    expect(fieldChange("f", 1, 2)).toEqual({ field: "f", old: "1", new: "2" });
  });

  it("a field change whose note is empty reads `changed`, with no trailing space", () => {
    const r: DiffReport = { stack: "dev", base: "a", head: "b", sections: [{ area: "alerts", title: "Alert rules", changes: [{ kind: "changed", id: "g / A", fields: [{ field: "labels", note: "" }] }] }], routingImpact: [], inhibitionImpact: [], alertImpact: [], categories: [], summary: "S" };
    expect(renderMarkdown(r).split("\n")).toContain("  - `labels`: changed");
  });
});

describe("the summary line", () => {
  const dashboards = (...changes: Section["changes"]): DiffReport =>
    withAlertImpact({ stack: "dev", base: "a", head: "b", sections: [{ area: "dashboards", title: "Dashboards", changes }], routingImpact: [], inhibitionImpact: [], alertImpact: [], categories: [], summary: "" }, []);

  it("a removed dashboard provider is a provider, not a dashboard (and does not count as removed-dashboards)", () => {
    const r = dashboards({ kind: "removed", id: "provider default", fields: [] });
    expect(r.summary).toBe("1 dashboard provider removed");
    expect(r.categories).toEqual(["dashboard-change", "any"]);
  });

  it("dashboards and providers in one section are counted apart", () => {
    const r = dashboards({ kind: "added", id: "host", fields: [] }, { kind: "removed", id: "old", fields: [] }, { kind: "changed", id: "provider a", fields: [] }, { kind: "added", id: "provider b", fields: [] });
    expect(r.summary).toBe("2 dashboards (1 added, 1 removed) · 2 dashboard providers (1 added, 1 changed)");
    expect(r.categories).toEqual(["removed-dashboards", "dashboard-change", "any"]);
  });
});

describe("platform objects", () => {
  const container = (uploads: unknown[]) => tree({ "resources.json": [{ type: "docker:index/container:Container", name: "grafana", inputs: { name: "grafana", image: "g:1", uploads } }] });

  it("an uploaded file that only gains a field is changed, not added; a new file is added; a gone one removed", () => {
    const a = container([{ file: "/etc/a.yml", content: { sha256: "1", bytes: 10 } }, { file: "/etc/gone.yml", content: { sha256: "3", bytes: 5 } }]);
    const b = container([{ file: "/etc/a.yml", content: { sha256: "1", bytes: 10 }, executable: true }, { file: "/etc/new.yml", content: { sha256: "2", bytes: 7 } }]);
    const [c] = diffPlatform(a, b);
    const fields = c!.fields.map((f) => [f.field, f.new ?? null, f.note?.split("; ")[0]]);
    expect(fields).toEqual([
      ["uploads[/etc/a.yml].executable", "true", expect.stringMatching(/replacement|place|stored|ignored/)],
      ["uploads[/etc/gone.yml]", null, "removed"],
      ["uploads[/etc/new.yml]", null, "added"],
    ]);
  });
});

describe("flagMap", () => {
  it("`--` and `-` are positional, not flags", () => {
    expect(flagMap(["--", "-", "--a=1", "-v", "x"])).toEqual({ "arg 0": "--", "arg 1": "-", "--a": "1", "-v": "true", "arg 4": "x" });
  });
});
