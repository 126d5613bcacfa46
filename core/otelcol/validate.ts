/**
 * Checks of a collector config before it is written, with the collector's own rules: every id a pipeline or the
 * service names is defined in its section, every type is one the build has, each pipeline has a receiver and an
 * exporter, a connector joins a pipeline it exports from to one it receives in, components suit the pipeline's
 * signal. The built collector's `validate --config` is run on every rendered config in the tests.
 */
import { applyLevels, type LintOptions } from "../lint";
import { finding, type ValidationIssue } from "../validation";
import { COLLECTOR_COMPONENTS, componentType, DEPRECATED_ALIASES, type CollectorConfig, type CollectorSection, type Signal } from "./model";

const ID_RE = /^[a-z][a-z0-9_]*(?:\/[^\s/]+)?$/;
const SIGNALS: readonly Signal[] = ["traces", "logs", "metrics"];

/**
 * Checks a collector config as the collector does when it loads it: component ids and types this build has (an old
 * name is a deprecation warning), every id the service and the pipelines name defined, each pipeline with a receiver
 * and an exporter and only components that handle its signal, each connector both exported to and received from.
 * Returns every issue, with levels set by the lint options, instead of throwing; `name` names the collector in them.
 */
export function validateCollectorConfig(c: CollectorConfig, opts: LintOptions & { readonly name?: string } = {}): ValidationIssue[] {
  const item = `collector "${opts.name ?? "otelcol"}"`;
  const out: ValidationIssue[] = [];
  const bad = (field: string, message: string) => out.push(finding("otelcol/invalid", item, field, message));
  const sections: CollectorSection[] = ["receivers", "processors", "exporters", "connectors", "extensions"];
  for (const s of sections) {
    for (const id of Object.keys(c[s] ?? {})) {
      if (!ID_RE.test(id)) {
        bad(`${s}.${id}`, "is not a component id (type or type/name)");
        continue;
      }
      const t = componentType(id);
      const alias = DEPRECATED_ALIASES[t];
      if (alias !== undefined) out.push(finding("otelcol/component-deprecated", item, `${s}.${id}`, `uses the deprecated name "${t}"; collector 0.165 calls it "${alias}"`));
      else if (COLLECTOR_COMPONENTS[s][t] === undefined) bad(`${s}.${id}`, `has type "${t}", which this collector build has no ${s.slice(0, -1)} of (it has ${Object.keys(COLLECTOR_COMPONENTS[s]).join(", ")})`);
    }
  }
  const defined = (s: CollectorSection, id: string) => Object.prototype.hasOwnProperty.call(c[s] ?? {}, id);
  for (const [i, id] of (c.service.extensions ?? []).entries()) if (!defined("extensions", id)) bad(`service.extensions[${i}]`, `names extension "${id}", which is not defined`);
  const pipelines = Object.entries(c.service.pipelines);
  if (pipelines.length === 0) bad("service.pipelines", "is empty: the collector needs at least one pipeline");
  const connectorIn = new Map<string, Signal[]>();
  const connectorOut = new Map<string, Signal[]>();
  for (const [pid, p] of pipelines) {
    const signal = componentType(pid) as Signal;
    const f = `service.pipelines.${pid}`;
    if (!SIGNALS.includes(signal)) {
      bad(f, `is not a pipeline id: it must start with traces, logs or metrics`);
      continue;
    }
    if (p.receivers.length === 0) bad(`${f}.receivers`, "must have at least one receiver");
    if (p.exporters.length === 0) bad(`${f}.exporters`, "must have at least one exporter");
    const check = (list: readonly string[], s: CollectorSection, field: string, connectorsToo: boolean) => {
      list.forEach((id, i) => {
        if (connectorsToo && defined("connectors", id)) return;
        if (!defined(s, id)) {
          bad(`${f}.${field}[${i}]`, `names ${s.slice(0, -1)} "${id}", which is not defined${connectorsToo ? ` (nor a connector)` : ""}`);
          return;
        }
        const sig = COLLECTOR_COMPONENTS[s][DEPRECATED_ALIASES[componentType(id)] ?? componentType(id)];
        if (sig !== undefined && !sig.includes(signal)) bad(`${f}.${field}[${i}]`, `"${id}" does not handle ${signal}`);
      });
      if (new Set(list).size !== list.length) bad(`${f}.${field}`, "names a component twice");
    };
    check(p.receivers, "receivers", "receivers", true);
    check(p.processors ?? [], "processors", "processors", false);
    check(p.exporters, "exporters", "exporters", true);
    for (const id of p.exporters) if (defined("connectors", id)) connectorIn.set(id, [...(connectorIn.get(id) ?? []), signal]);
    for (const id of p.receivers) if (defined("connectors", id)) connectorOut.set(id, [...(connectorOut.get(id) ?? []), signal]);
  }
  for (const id of Object.keys(c.connectors ?? {})) {
    // The collector refuses a connector that is not both exported to and received from.
    if (!connectorIn.has(id)) bad(`connectors.${id}`, "is not used as an exporter of any pipeline");
    if (!connectorOut.has(id)) bad(`connectors.${id}`, "is not used as a receiver of any pipeline");
    if (componentType(id) === "span_metrics") {
      if (connectorIn.has(id) && !connectorIn.get(id)!.includes("traces")) bad(`connectors.${id}`, "must be an exporter of a traces pipeline");
      if (connectorOut.has(id) && !connectorOut.get(id)!.includes("metrics")) bad(`connectors.${id}`, "must be a receiver of a metrics pipeline");
    }
  }
  const t = c.service.telemetry;
  if (t?.metricsPort !== undefined && (!Number.isInteger(t.metricsPort) || t.metricsPort < 1 || t.metricsPort > 65535)) bad("service.telemetry.metricsPort", `${t.metricsPort} is not a TCP port`);
  return applyLevels(out, "otelcol/invalid", opts);
}
