/**
 * Grafana: dashboards by uid (title, folder, tags, variables, time settings), their panels by title (the id is
 * renumbered whenever a panel is inserted; a repeated title gets `#2`), datasources by uid and the dashboard
 * providers by name. A panel's queries are keyed by refId and compared as PromQL; its grid position reads as one
 * `x,y w×h` value, so a moved panel is one line.
 */
import { ARTIFACT_PATHS } from "../conventions";
import { exprChange } from "./expr";
import type { Change, FieldChange, SynthTree } from "./model";
import { maskSecrets } from "./receivers";
import { asArray, asObject, asRemoved, asString, diffFields, diffKeyed, display, readDoc, uniqueKeys, type Json, type JsonObject } from "./values";

const DASHBOARDS_PREFIX = "grafana/dashboards/";

interface Dashboard {
  readonly uid: string;
  readonly folder: string;
  readonly doc: JsonObject;
}

function dashboards(tree: SynthTree): Map<string, Dashboard> {
  const out = new Map<string, Dashboard>();
  for (const path of [...tree.keys()].filter((p) => p.startsWith(DASHBOARDS_PREFIX) && p.endsWith(".json")).sort()) {
    const doc = asObject(readDoc(tree, path));
    const rel = path.slice(DASHBOARDS_PREFIX.length).split("/");
    const uid = asString(doc.uid) ?? path;
    out.set(uid, { uid, folder: rel.length > 1 ? rel.slice(0, -1).join("/") : "(root)", doc });
  }
  return out;
}

/** Every panel, rows' nested panels included, with the row it sits in. */
function panels(d: Dashboard): Map<string, JsonObject> {
  const flat: { row: string | undefined; panel: JsonObject }[] = [];
  let row: string | undefined;
  for (const p of asArray(d.doc.panels).map(asObject)) {
    if (p.type === "row") {
      row = asString(p.title);
      for (const c of asArray(p.panels).map(asObject)) flat.push({ row, panel: c });
      continue;
    }
    flat.push({ row, panel: p });
  }
  const keyed = uniqueKeys(flat, (x) => asString(x.panel.title) || `(untitled ${asString(x.panel.type) ?? "panel"})`);
  return new Map(
    [...keyed].map(([k, { row: r, panel }]) => {
      const { id: _id, gridPos, panels: _nested, ...rest } = panel;
      const g = asObject(gridPos);
      const position = gridPos === undefined ? null : `${display(g.x)},${display(g.y)} ${display(g.w)}×${display(g.h)}`;
      return [k, { ...rest, row: r ?? null, position }];
    }),
  );
}

/** Queries compare as PromQL: layout-only edits vanish, changed literals are named. */
function withExprNotes(fields: FieldChange[], a: JsonObject, b: JsonObject): FieldChange[] {
  const at = (o: JsonObject, path: string): Json | undefined => {
    const m = /^targets\[([^\]]+)\]\.expr$/.exec(path);
    if (!m) return undefined;
    const targets = asArray(o.targets).map(asObject);
    return (targets.find((t) => String(t.refId) === m[1]) ?? targets[Number(m[1])])?.expr;
  };
  return fields.flatMap((f) => {
    const x = at(a, f.field);
    const y = at(b, f.field);
    if (typeof x !== "string" || typeof y !== "string") return [f];
    const e = exprChange(f.field, x, y);
    return e ? [e] : [];
  });
}

function dashboardFields(d: Dashboard): JsonObject {
  const { panels: _p, id: _i, version: _v, ...rest } = d.doc;
  return { ...rest, folder: d.folder };
}

function describeDashboard(d: Dashboard): FieldChange[] {
  return [
    { field: "title", new: display(d.doc.title ?? "") },
    { field: "folder", new: d.folder },
    { field: "panels", new: String(panels(d).size) },
  ];
}

export function diffDashboards(a: SynthTree, b: SynthTree): Change[] {
  const out = diffKeyed(dashboards(a), dashboards(b), (x, y) => diffFields(dashboardFields(x), dashboardFields(y)), describeDashboard).map(asRemoved);
  const providers = (t: SynthTree) => new Map(asArray(asObject(readDoc(t, ARTIFACT_PATHS.grafanaDashboardProviders)).providers).map((p) => [`provider ${asString(asObject(p).name) ?? ""}`, asObject(p)]));
  out.push(...diffKeyed(providers(a), providers(b), (x, y) => diffFields(x, y, { skip: (p) => p === "name" }), (p) => diffFields(undefined, p).filter((f) => f.field !== "name")).map(asRemoved));
  return out.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}

/** Panels of dashboards present on both sides (a removed dashboard is one change, not one per panel). */
export function diffPanels(a: SynthTree, b: SynthTree): Change[] {
  const da = dashboards(a);
  const db = dashboards(b);
  const out: Change[] = [];
  for (const [uid, x] of da) {
    const y = db.get(uid);
    if (!y) continue;
    const pa = panels(x);
    const pb = panels(y);
    const prefixed = (m: Map<string, JsonObject>) => new Map([...m].map(([k, v]) => [`${uid} / ${k}`, v]));
    const describe = (p: JsonObject): FieldChange[] => {
      const exprs = asArray(p.targets).map((t) => asObject(t).expr).filter((e): e is string => typeof e === "string");
      return [{ field: "type", new: display(p.type ?? "") }, ...exprs.map((e, i) => ({ field: `query ${i + 1}`, new: e.replace(/\s*\n\s*/g, " ") }))];
    };
    out.push(...diffKeyed(prefixed(pa), prefixed(pb), (p, q) => withExprNotes(diffFields(p, q), p, q), describe).map(asRemoved));
  }
  return out.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}

export function diffDatasources(a: SynthTree, b: SynthTree): Change[] {
  const map = (t: SynthTree) =>
    new Map(asArray(asObject(readDoc(t, ARTIFACT_PATHS.grafanaDatasources)).datasources).map((d) => [asString(asObject(d).uid) ?? asString(asObject(d).name) ?? "", asObject(d)]));
  return diffKeyed(
    map(a),
    map(b),
    (x, y) => {
      const [p, q] = maskSecrets(x, y, { plainUrl: true });
      return diffFields(p, q, { skip: (path) => path === "uid" });
    },
    (d) => {
      const shown = asObject(maskSecrets(undefined, d, { plainUrl: true })[1]);
      return [{ field: "type", new: display(d.type ?? "") }, { field: "url", new: display(shown.url ?? "") }];
    },
  ).map(asRemoved);
}
