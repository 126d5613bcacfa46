/**
 * prometheus.yml: scrape jobs by `job_name` (targets, intervals, relabeling — every field), and the server's own
 * settings (global intervals, external labels, rule files, Alertmanagers, remote write) as one item. Probe jobs
 * (a `module` parameter: blackbox) are reported with the exporters and probes instead.
 */
import { ARTIFACT_PATHS } from "../conventions";
import type { Change, FieldChange, SynthTree } from "./model";
import { asArray, asObject, asRemoved, asString, diffFields, diffKeyed, display, readDoc, type Json, type JsonObject } from "./values";

export const SETTINGS_ID = "(server settings)";

function allJobs(tree: SynthTree): Map<string, JsonObject> {
  const doc = asObject(readDoc(tree, ARTIFACT_PATHS.prometheusConfig));
  const out = new Map<string, JsonObject>();
  for (const j of asArray(doc.scrape_configs)) {
    const name = asString(asObject(j).job_name);
    if (name !== undefined) out.set(name, asObject(j));
  }
  return out;
}

const isProbe = (j: JsonObject) => asObject(j.params).module !== undefined;

function jobs(tree: SynthTree): Map<string, JsonObject> {
  return new Map([...allJobs(tree)].filter(([, j]) => !isProbe(j)));
}

export function probeJobs(tree: SynthTree): Map<string, JsonObject> {
  return new Map([...allJobs(tree)].filter(([, j]) => isProbe(j)));
}

function settings(tree: SynthTree): JsonObject | undefined {
  const doc = readDoc(tree, ARTIFACT_PATHS.prometheusConfig);
  if (doc === undefined) return undefined;
  const { scrape_configs: _jobs, ...rest } = asObject(doc);
  return rest;
}

/** Where a job's targets come from, for added and removed jobs. */
function describeJob(job: JsonObject): FieldChange[] {
  const targets = asArray(job.static_configs).flatMap((s) => asArray(asObject(s).targets));
  const sd = Object.keys(job).filter((k) => k.endsWith("_sd_configs")).sort();
  const shown: [string, Json][] = [];
  if (targets.length > 0) shown.push(["targets", targets]);
  for (const k of sd) shown.push([k, asArray(job[k]).map((c) => asString(asObject(c).role) ?? "config")]);
  if (job.scrape_interval !== undefined) shown.push(["scrape_interval", job.scrape_interval]);
  return shown.map(([field, v]) => ({ field, new: display(v) }));
}

export function diffScrape(a: SynthTree, b: SynthTree): Change[] {
  const out: Change[] = [];
  const sa = settings(a);
  const sb = settings(b);
  const fields = diffFields(sa, sb);
  if (fields.length > 0) {
    // A global interval reaches every job that sets none: say which, since the jobs themselves show no change.
    const inheriting = [...allJobs(b)].filter(([, j]) => j.scrape_interval === undefined).map(([n]) => n).sort();
    const moved = fields.some((f) => f.field === "global.scrape_interval");
    const notes = moved && inheriting.length > 0 ? [`global.scrape_interval applies to ${inheriting.join(", ")}`] : [];
    out.push({ kind: "changed", id: SETTINGS_ID, fields, ...(notes.length > 0 ? { notes } : {}) });
  }
  out.push(...diffKeyed(jobs(a), jobs(b), (x, y) => diffFields(x, y, { skip: (p) => p === "job_name" }), describeJob).map(asRemoved));
  return out;
}
