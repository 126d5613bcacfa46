/**
 * Areas read from the workloads: storage and retention (Prometheus' and Alertmanager's retention flags, volumes and
 * claim sizes), images, and exporters and probes (exporter workloads and their flags, blackbox modules, probe jobs).
 * Flags compare one by one (`--storage.tsdb.retention.time: 2d → 7d`), never as one argument list.
 */
import { ARTIFACT_PATHS } from "../conventions";
import type { Change, FieldChange, SynthTree } from "./model";
import { workloads, type Workload } from "./resources";
import { probeJobs } from "./scrape";
import { asObject, asRemoved, diffFields, diffKeyed, readDoc, type JsonObject } from "./values";

/**
 * `--flag=value` arguments as a map; a bare `--flag` reads `true`; positional arguments (and `--`, `-`) keep their
 * index.
 */
export function flagMap(args: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  args.forEach((a, i) => {
    const m = /^(--?[^=-][^=]*)(?:=(.*))?$/s.exec(a);
    if (!m) out[`arg ${i}`] = a;
    else out[m[1]!] = out[m[1]!] !== undefined ? `${out[m[1]!]}, ${m[2] ?? "true"}` : (m[2] ?? "true");
  });
  return out;
}

const STORAGE_FLAG = /^--(storage\.|data\.|persistence\.)/;

function storageOf(w: Workload): JsonObject {
  const flags = Object.entries(w.args).flatMap(([, args]) => Object.entries(flagMap(args)).filter(([k]) => STORAGE_FLAG.test(k)));
  return { ...Object.fromEntries(flags), ...w.storage };
}

function replacedNote(w: Workload): string {
  return w.platform === "docker" ? "the container is replaced" : "the pods are rolled";
}

export function diffStorage(a: SynthTree, b: SynthTree): Change[] {
  const pick = (t: SynthTree) => new Map([...workloads(t)].filter(([, w]) => Object.keys(storageOf(w)).length > 0));
  return diffKeyed(pick(a), pick(b), (x, y) => diffFields(storageOf(x), storageOf(y)), (w) => diffFields(undefined, storageOf(w)))
    .map(asRemoved)
    .map((c) => {
      if (c.kind !== "changed") return c;
      const w = workloads(b).get(c.id)!;
      const claims = c.fields.some((f) => f.field.startsWith("claim "));
      const ignored = claims && w.resource.ignoreChanges.some((p) => p.startsWith("spec.volumeClaimTemplates"));
      // A changed volume (a Docker mount path) means the data stays behind on the old one.
      const volume = c.fields.some((f) => f.field.startsWith("/"));
      const notes = [
        ...(c.fields.some((f) => !f.field.startsWith("claim ")) ? [`${replacedNote(w)}; ${volume ? "its data stays on the old volume" : "data on the volume is kept"}`] : []),
        ...(ignored ? ["claim templates cannot change after creation and the program ignores them: resize the PVCs (README, Kubernetes)"] : []),
      ];
      return notes.length > 0 ? { ...c, notes } : c;
    });
}

export function diffImages(a: SynthTree, b: SynthTree): Change[] {
  const wb = workloads(b);
  return diffKeyed(workloads(a), wb, (x, y) => {
    const single = Object.keys(x.images).length === 1 && Object.keys(y.images).length === 1;
    const map = (w: Workload) => (single ? { image: Object.values(w.images)[0]! } : w.images);
    return diffFields(map(x), map(y));
  }).flatMap((c) => (c.kind === "changed" ? [{ ...c, notes: [replacedNote(wb.get(c.id)!)] }] : []));
}

function exporterFlags(w: Workload): JsonObject {
  const entries = Object.entries(w.args);
  return entries.length === 1 ? flagMap(entries[0]![1]) : Object.fromEntries(entries.map(([c, args]) => [c, flagMap(args)]));
}

const describeWorkload = (w: Workload): FieldChange[] => Object.entries(w.images).map(([, image]) => ({ field: "image", new: image }));

export function diffExporters(a: SynthTree, b: SynthTree): Change[] {
  const exporters = (t: SynthTree) => new Map([...workloads(t)].filter(([, w]) => w.component === "exporter").map(([n, w]) => [`exporter ${n}`, w]));
  const out = diffKeyed(exporters(a), exporters(b), (x, y) => diffFields(exporterFlags(x), exporterFlags(y)), describeWorkload).map(asRemoved);
  const modules = (t: SynthTree) => new Map(Object.entries(asObject(asObject(readDoc(t, ARTIFACT_PATHS.blackboxConfig)).modules)).map(([k, v]) => [`blackbox module ${k}`, asObject(v)]));
  out.push(...diffKeyed(modules(a), modules(b), (x, y) => diffFields(x, y), (m) => diffFields(undefined, { prober: m.prober ?? null })).map(asRemoved));
  const probes = (t: SynthTree) => new Map([...probeJobs(t)].map(([k, v]) => [`probe ${k}`, v]));
  out.push(...diffKeyed(probes(a), probes(b), (x, y) => diffFields(x, y, { skip: (p) => p === "job_name" }), (j) => diffFields(undefined, { module: asObject(j.params).module ?? null })).map(asRemoved));
  return out.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}
