/**
 * Dashboards from JSON files (a dashboard, or the HTTP API's `{ dashboard, meta }`), ConfigMaps that hold dashboard
 * JSON under `data` (one or many documents, or a `List` of them, as kube-prometheus ships them). Each becomes a
 * DashboardDef: uid and title from the JSON, folder from the ConfigMap's `grafana_folder` annotation or the
 * importer's option. The JSON itself is kept exactly; only its typing changes (core/import/grafana-typed.ts).
 */
import type { DashboardDef } from "../grafana/render";
import { kebab } from "./emit";
import { isObj, type Obj, Problems, type SourceDoc } from "./source";

export interface ImportedDashboard {
  readonly def: DashboardDef;
  readonly file: string;
  /** The ConfigMap key (`node-exporter.json`) or file the JSON came from. */
  readonly key: string;
  readonly line?: number;
}

export function isDashboardJson(v: unknown): v is Obj {
  return isObj(v) && (Array.isArray(v.panels) || Array.isArray(v.rows)) && ("title" in v || "schemaVersion" in v || "uid" in v);
}

function configMaps(v: unknown): { cm: Obj; path: (string | number)[] }[] {
  if (!isObj(v)) return [];
  if (v.kind === "ConfigMap") return [{ cm: v, path: [] }];
  if (typeof v.kind === "string" && v.kind.endsWith("List") && Array.isArray(v.items)) return v.items.flatMap((it, i) => (isObj(it) && (it.kind === "ConfigMap" || it.kind === undefined) ? [{ cm: it, path: ["items", i] }] : []));
  return [];
}

export function holdsDashboards(v: unknown): boolean {
  if (isDashboardJson(v) || (isObj(v) && isDashboardJson(v.dashboard))) return true;
  return configMaps(v).some(({ cm }) => isObj(cm.data) && Object.keys(cm.data).some((k) => k.endsWith(".json")));
}

function def(json: Obj, key: string, folder: string): DashboardDef {
  const uid = typeof json.uid === "string" && json.uid !== "" ? json.uid : kebab(key);
  return { uid, title: typeof json.title === "string" ? json.title : uid, folder, dashboard: json };
}

export function importDashboardDoc(doc: SourceDoc, folder: string): { dashboards: ImportedDashboard[]; problems: Problems } {
  const p = new Problems(doc);
  const out: ImportedDashboard[] = [];
  const v = doc.value;
  const fileKey = doc.file.split("/").pop() ?? "dashboard";
  if (isDashboardJson(v)) out.push({ def: def(v, fileKey, folder), file: doc.file, key: fileKey });
  else if (isObj(v) && isDashboardJson(v.dashboard)) out.push({ def: def(v.dashboard, fileKey, folder), file: doc.file, key: fileKey });
  for (const { cm, path } of configMaps(v)) {
    const meta = isObj(cm.metadata) ? cm.metadata : {};
    const ann = isObj(meta.annotations) ? meta.annotations : {};
    const cmFolder = typeof ann.grafana_folder === "string" ? kebab(ann.grafana_folder) : folder;
    for (const [key, body] of Object.entries(isObj(cm.data) ? cm.data : {})) {
      if (!key.endsWith(".json")) continue;
      const where = [...path, "data", key];
      const item = `ConfigMap "${String(meta.name ?? "")}" > ${key}`;
      let json: unknown;
      try {
        json = JSON.parse(String(body));
      } catch (e) {
        p.add(where, item, "", `is not JSON: ${(e as Error).message}`, "dashboard/invalid");
        continue;
      }
      if (!isDashboardJson(json)) {
        p.add(where, item, "", "is not a dashboard (no panels or rows)", "dashboard/invalid");
        continue;
      }
      const line = doc.lineOf(where);
      out.push({ def: def(json, key, cmFolder), file: doc.file, key, ...(line !== undefined ? { line } : {}) });
    }
  }
  return { dashboards: out, problems: p };
}
