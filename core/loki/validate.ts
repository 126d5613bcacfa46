/**
 * Checks of the typed Loki model with messages in its own terms (field names of LokiConfig), then the schema of
 * Loki 3.7's file (core/loki/schema.ts) on what the renderer makes of it, so a renderer bug is caught too.
 */
import { parseDuration } from "../duration";
import { analyzeLogql, regexProblems, selectorProblem } from "../logql/parse";
import { applyLevels, type LintOptions } from "../lint";
import { finding, type ValidationIssue } from "../validation";
import type { LokiConfig } from "./model";
import { lokiConfigObject } from "./render";
import { checkLokiConfig } from "./schema";

const DAY = 24 * 3600_000;
const ITEM = "loki";

function port(out: ValidationIssue[], field: string, v: number | undefined): void {
  if (v !== undefined && (!Number.isInteger(v) || v < 1 || v > 65535)) out.push(finding("loki/invalid", ITEM, field, `${v} is not a TCP port`));
}

function retention(out: ValidationIssue[], field: string, v: string | undefined, zeroOk: boolean): void {
  if (v === undefined) return;
  const ms = parseDuration(v);
  if (ms === undefined) out.push(finding("loki/invalid", ITEM, field, `"${v}" is not a duration (e.g. 744h, 31d)`));
  else if (ms === 0 && zeroOk) return;
  else if (ms < DAY) out.push(finding("loki/invalid", ITEM, field, `${v} is shorter than the 24h index period: the compactor deletes whole daily index tables, and Loki refuses stream retention under 24h`));
  else if (ms % DAY !== 0) out.push(finding("loki/invalid", ITEM, field, `${v} is not a whole number of days (the index period is 24h)`));
}

/**
 * Checks a Loki config in LokiConfig's terms (ports, absolute directories, the schema date, retention of 0 or whole
 * days of at least 24h, stream selectors, Alertmanager URLs, OTLP attribute names) and, when those pass, the rendered
 * file against Loki 3.7's schema. Returns every issue (`loki/invalid`, always an error) instead of throwing.
 */
export function validateLokiConfig(c: LokiConfig, opts: LintOptions = {}): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  port(out, "httpPort", c.httpPort);
  port(out, "grpcPort", c.grpcPort);
  if (c.httpPort !== undefined && c.httpPort === c.grpcPort) out.push(finding("loki/invalid", ITEM, "grpcPort", `is the same port as httpPort (${c.httpPort})`));
  if (c.dataDir !== undefined && !c.dataDir.startsWith("/")) out.push(finding("loki/invalid", ITEM, "dataDir", `"${c.dataDir}" must be an absolute path`));
  if (c.rulesDir !== undefined && !c.rulesDir.startsWith("/")) out.push(finding("loki/invalid", ITEM, "rulesDir", `"${c.rulesDir}" must be an absolute path`));
  if (c.schemaFrom !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(c.schemaFrom)) out.push(finding("loki/invalid", ITEM, "schemaFrom", `"${c.schemaFrom}" must be a date YYYY-MM-DD`));
  retention(out, "retention", c.retention, true);
  (c.streamRetention ?? []).forEach((s, i) => {
    const f = `streamRetention[${i}]`;
    retention(out, `${f}.period`, s.period, false);
    const a = analyzeLogql(s.selector);
    const only = a.errors.length === 0 && a.kind === "log" && a.selectors.length === 1 && s.selector.trim().endsWith("}");
    if (!only) out.push(finding("loki/invalid", ITEM, `${f}.selector`, `"${s.selector}" is not a stream selector such as {service_name="api"}`));
    else {
      const problem = selectorProblem(a.selectors[0]!);
      if (problem) out.push(finding("loki/invalid", ITEM, `${f}.selector`, `"${s.selector}" ${problem}`));
      for (const p of regexProblems(a)) out.push(finding("loki/invalid", ITEM, `${f}.selector`, `"${s.selector}": ${p} (Loki refuses to start)`));
    }
  });
  for (const u of c.alertmanagerUrls ?? []) {
    if (!/^https?:\/\/[^/\s,]+(\/\S*)?$/.test(u)) out.push(finding("loki/invalid", ITEM, "alertmanagerUrls", `"${u}" is not an http(s) URL of an Alertmanager`));
  }
  if (c.remoteWriteUrl !== undefined && !/^https?:\/\/[^/\s]+\/\S*$/.test(c.remoteWriteUrl)) {
    out.push(finding("loki/invalid", ITEM, "remoteWriteUrl", `"${c.remoteWriteUrl}" is not an http(s) URL of a remote-write endpoint (e.g. http://prometheus:9090/api/v1/write)`));
  }
  for (const a of c.otlpIndexLabels ?? []) if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(a)) out.push(finding("loki/invalid", ITEM, "otlpIndexLabels", `"${a}" is not an OTLP attribute name`));
  if (out.length === 0) out.push(...checkLokiConfig(lokiConfigObject(c), "loki.yaml"));
  return applyLevels(out, "loki/invalid", opts);
}
