/**
 * Your own Foundation-SDK dashboard, made to meet the stack's conventions in one step: `fromBuilder(builder,
 * { folder })` builds it into a fresh plain-JSON definition with a stable UID, the `datasource` variable (every
 * Prometheus panel and query reads `${datasource}` instead of a hard-coded or missing datasource), stable panel ids
 * in order, the house tag (so the dashboards menu lists it), a default time range when none is set, and, when asked, the `job`/`instance` variables the
 * shipped dashboards have. Queries, units and thresholds stay as you wrote them; the dashboard lint reports what
 * is left (e.g. a fixed `[5m]` where `$__rate_interval` belongs).
 */
import type { DashboardDef, DashboardLintRule, LintExclusion } from "../core/grafana/render";
import { HOUSE_TAG } from "./board";
import { PROM_DS } from "./panels";

export interface FromBuilderOptions {
  /** kebab-case folder the dashboard is provisioned into, e.g. `services`. */
  readonly folder: string;
  /** @default the builder's uid, else `moncode-` + the title in kebab-case */
  readonly uid?: string;
  /**
   * Add the `job` and `instance` variables, their values read from these selectors (as the shipped dashboards do).
   * @default none (then the job/instance lint rules are excluded for this dashboard, with that reason)
   */
  readonly variables?: { readonly jobFrom: string; readonly instanceFrom?: string };
  readonly lintExclusions?: Readonly<Partial<Record<DashboardLintRule, LintExclusion>>>;
}

type Json = Record<string, unknown>;

function slug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
}

/** A Prometheus datasource reference, a missing one (Grafana's default), or a legacy name string. */
function isPrometheusRef(ds: unknown): boolean {
  if (ds === undefined || ds === null) return true;
  if (typeof ds === "string") return !ds.startsWith("-- ") && !/loki|tempo|jaeger/i.test(ds);
  const t = (ds as Json).type;
  return t === undefined || t === "prometheus";
}

function queryVariable(name: string, label: string, query: string): Json {
  return {
    type: "query",
    name,
    label,
    datasource: { ...PROM_DS },
    query,
    definition: query,
    refresh: 2,
    sort: 1,
    multi: true,
    includeAll: true,
    allValue: ".+",
  };
}

function withFilter(selector: string, filter: string): string {
  return selector.includes("{") ? selector.replace(/\}\s*$/, `,${filter}}`) : `${selector}{${filter}}`;
}

export function fromBuilder(builder: { build(): unknown }, opts: FromBuilderOptions): DashboardDef {
  // A JSON round trip: a plain object sharing nothing with the builder (its build() hands out internal state).
  const d = JSON.parse(JSON.stringify(builder.build())) as Json;
  const title = String(d.title ?? "");
  const uid = opts.uid ?? (typeof d.uid === "string" && d.uid !== "" ? d.uid : `moncode-${slug(title)}`);
  d.uid = uid;
  d.tags = [...new Set([HOUSE_TAG, ...((d.tags as string[] | undefined) ?? [])])];
  const time = d.time as { from?: string; to?: string } | undefined;
  if (!time?.from || !time.to) d.time = { from: "now-1h", to: "now" };
  // Grafana assigns database ids; a fixed one collides across instances.
  delete d.id;

  const templating = ((d.templating as Json | undefined) ?? {}) as { list?: Json[] };
  const list = [...(templating.list ?? [])];
  if (!list.some((v) => v.name === "datasource")) list.unshift({ type: "datasource", name: "datasource", label: "Data source", query: "prometheus" });
  if (opts.variables) {
    if (!list.some((v) => v.name === "job")) list.push(queryVariable("job", "Job", `label_values(${opts.variables.jobFrom}, job)`));
    const from = withFilter(opts.variables.instanceFrom ?? opts.variables.jobFrom, 'job=~"$job"');
    if (!list.some((v) => v.name === "instance")) list.push(queryVariable("instance", "Instance", `label_values(${from}, instance)`));
  }
  d.templating = { ...templating, list };

  let nextId = 1;
  const panels = (d.panels as Json[] | undefined) ?? [];
  const visit = (p: Json): void => {
    p.id = nextId++;
    if (p.type !== "row") {
      if (isPrometheusRef(p.datasource)) p.datasource = { ...PROM_DS };
      for (const t of (p.targets as Json[] | undefined) ?? []) if (isPrometheusRef(t.datasource)) t.datasource = { ...PROM_DS };
    }
    for (const inner of (p.panels as Json[] | undefined) ?? []) visit(inner);
  };
  panels.forEach(visit);

  const exclusions: Partial<Record<DashboardLintRule, LintExclusion>> = {
    ...(opts.variables
      ? {}
      : {
          "template-job-rule": { reason: "Added with fromBuilder without job/instance variables." },
          "template-instance-rule": { reason: "Added with fromBuilder without job/instance variables." },
          "target-job-instance-rule": { reason: "Added with fromBuilder without job/instance variables." },
        }),
    ...(opts.lintExclusions ?? {}),
  };
  return { uid, title, folder: opts.folder, dashboard: d, ...(Object.keys(exclusions).length > 0 ? { lintExclusions: exclusions } : {}) };
}
