/**
 * Checks SLO specs before any rule is built. Each issue names the SLO and the field, e.g. `SLO "api-latency"` /
 * `sli.threshold`. Never throws: one run reports every problem; `assertValid` turns errors into one exception, so
 * a bad SLO stops synth before a file is written.
 */
import { isLabelName, isMetricName } from "../labels";
import { checkPromql } from "../promql";
import { parseMatchers, type LabelMatcher } from "../rules/series";
import { ALERT_NAME_RE, KEBAB_RE } from "../rules/validate";
import { duplicates, issue, type ValidationIssue } from "../validation";
import { alertingEnabled, burnFactor, errorBudget, LONGEST_ALERT_WINDOW, PAGE_CONDITIONS, pascalCase, SLO_WINDOWS, sloAlertNames, type SeriesOf, type SloSpec, type SloWindow } from "./model";
import { parseDuration } from "../duration";

/** Labels the SLO rules set themselves (`slo`, `service`) or Prometheus/Alertmanager reserve. */
const RESERVED = new Set(["slo", "service", "severity", "alertname", "le"]);

/**
 * The page alert must be able to fire with room to spare: with a budget this large, even the smallest page factor
 * needs most events to be bad (objective 90% over 30d: 6x is 60% bad), so a real outage would page late or never.
 */
const PAGEABLE_SHARE = 0.8;

function matchersOf(out: ValidationIssue[], item: string, field: string, s: SeriesOf): LabelMatcher[] | undefined {
  if (typeof s?.metric !== "string" || !isMetricName(s.metric) || s.metric.includes(":")) {
    out.push(issue(item, `${field}.metric`, `"${String(s?.metric)}" is not a metric name`));
    return undefined;
  }
  const matchers = parseMatchers(s.selector ?? "");
  const check = checkPromql(`${s.metric}{${s.selector ?? ""}}`);
  if (matchers === undefined || check.errors.length > 0) {
    out.push(issue(item, `${field}.selector`, `"${s.selector}" is not a list of label matchers (e.g. job="api",status=~"5..")`));
    return undefined;
  }
  for (const m of matchers) if (m.name === "le") out.push(issue(item, `${field}.selector`, "must not match le: the SLI chooses the bucket"));
  return matchers;
}

const key = (m: LabelMatcher): string => `${m.name}${m.op}${JSON.stringify(m.value)}`;

function checkEventRatio(out: ValidationIssue[], item: string, sli: Extract<SloSpec["sli"], { kind: "eventRatio" }>): void {
  const total = matchersOf(out, item, "sli.total", sli.total);
  const bad = matchersOf(out, item, "sli.bad", sli.bad);
  if (!total || !bad) return;
  // Bad events must be events: every matcher of the denominator must also hold for the numerator. Anything else
  // lets the numerator count series the denominator never sees, and the ratio can exceed 100%.
  const badKeys = new Set(bad.map(key));
  const missing = total.filter((m) => !badKeys.has(key(m)));
  if (missing.length > 0) {
    out.push(issue(item, "sli.bad.selector", `selects series the denominator does not: it lacks ${missing.map((m) => `${m.name}${m.op}"${m.value}"`).join(", ")} of sli.total.selector, so bad events outside the total would be counted`));
  } else if (sli.bad.metric === sli.total.metric && bad.length === total.length) {
    out.push(issue(item, "sli.bad.selector", "selects exactly the series of sli.total: every event would be bad; add the matcher that picks the bad ones"));
  }
}

function checkLatency(out: ValidationIssue[], item: string, sli: Extract<SloSpec["sli"], { kind: "latency" }>): void {
  matchersOf(out, item, "sli", { metric: sli.metric, selector: sli.selector });
  if (typeof sli.threshold !== "number" || !Number.isFinite(sli.threshold) || sli.threshold <= 0) {
    out.push(issue(item, "sli.threshold", `must be a positive number of seconds, got ${String(sli.threshold)}`));
    return;
  }
  if (sli.buckets === undefined) {
    out.push(issue(item, "sli.buckets", `are not declared, so threshold ${sli.threshold}s cannot be checked against the histogram's bucket boundaries; declare the buckets the service's histogram uses`, "warning"));
  } else if (!sli.buckets.includes(sli.threshold)) {
    out.push(issue(item, "sli.threshold", `${sli.threshold}s is not a bucket boundary of ${sli.metric} (${[...sli.buckets].sort((a, b) => a - b).join(", ")}): requests between two boundaries cannot be told fast from slow`));
  }
}

function checkWindow(out: ValidationIssue[], item: string, window: unknown): void {
  if (window === undefined) return;
  const ms = typeof window === "string" ? parseDuration(window) : undefined;
  if (ms === undefined) out.push(issue(item, "window", `"${String(window)}" is not a duration; use one of ${SLO_WINDOWS.join(", ")}`));
  else if (ms < (parseDuration(LONGEST_ALERT_WINDOW) ?? 0)) {
    out.push(issue(item, "window", `"${String(window)}" is shorter than the longest alert window (${LONGEST_ALERT_WINDOW}): the ticket alert would judge more than the whole window`));
  } else if (!(SLO_WINDOWS as readonly string[]).includes(window as string)) {
    out.push(issue(item, "window", `"${String(window)}" is not one of ${SLO_WINDOWS.join(", ")}`));
  }
}

function checkOne(out: ValidationIssue[], s: SloSpec): void {
  const item = `SLO "${s.name}"`;
  if (typeof s.name !== "string" || !KEBAB_RE.test(s.name)) out.push(issue(item, "name", `"${String(s.name)}" must be kebab-case (e.g. api-availability); it names the slo label and the rule pack`));
  if (typeof s.service !== "string" || s.service.trim() === "") out.push(issue(item, "service", "is required (the service label of every series and alert)"));
  if (typeof s.description !== "string" || s.description.trim() === "") out.push(issue(item, "description", "is required (one sentence: what a good event is)"));
  const objectiveOk = typeof s.objective === "number" && Number.isFinite(s.objective) && s.objective > 0 && s.objective < 100;
  if (!objectiveOk) {
    out.push(issue(item, "objective", `must be a percentage above 0 and below 100, got ${String(s.objective)}${s.objective === 100 ? " (100% leaves no error budget: every bad event would breach it)" : ""}`));
  }
  checkWindow(out, item, s.window);
  for (const k of Object.keys(s.labels ?? {})) {
    if (RESERVED.has(k)) out.push(issue(item, `labels.${k}`, "is reserved: the SLO rules set it"));
    else if (!isLabelName(k)) out.push(issue(item, `labels.${k}`, "is not a valid Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*, no leading __)"));
  }
  const sli = s.sli as SloSpec["sli"] | undefined;
  if (sli?.kind === "eventRatio") checkEventRatio(out, item, sli);
  else if (sli?.kind === "latency") checkLatency(out, item, sli);
  else if (sli?.kind === "availability") {
    if (sli.metric !== "probe_success" && sli.metric !== "up") out.push(issue(item, "sli.metric", `"${String(sli.metric)}" must be probe_success (blackbox_exporter) or up`));
    matchersOf(out, item, "sli", { metric: String(sli.metric), selector: sli.selector });
  } else out.push(issue(item, "sli.kind", `"${String((sli as { kind?: unknown } | undefined)?.kind)}" is not one of eventRatio, latency, availability`));
  if (s.alerting?.name !== undefined && !ALERT_NAME_RE.test(s.alerting.name)) out.push(issue(item, "alerting.name", `"${s.alerting.name}" must be PascalCase (e.g. ApiAvailability)`));
  else if (s.alerting?.name === undefined && typeof s.name === "string" && !ALERT_NAME_RE.test(pascalCase(s.name))) {
    out.push(issue(item, "alerting.name", `is needed: "${pascalCase(s.name)}" (from the name) is not a PascalCase alert subject`));
  }
  const w = (SLO_WINDOWS as readonly string[]).includes(s.window ?? "30d") ? ((s.window ?? "30d") as SloWindow) : undefined;
  if (objectiveOk && w !== undefined && alertingEnabled(s)) {
    const lowest = Math.min(...PAGE_CONDITIONS.map((c) => burnFactor(c, w)));
    if (lowest * errorBudget(s) > PAGEABLE_SHARE) {
      const atLeast = Number((100 * (1 - PAGEABLE_SHARE / lowest)).toPrecision(4));
      out.push(issue(item, "objective", `${s.objective}% leaves so large a budget that the page alert needs over ${Math.round(PAGEABLE_SHARE * 100)}% of events bad (${lowest}x over 6h); raise the objective to at least ${atLeast}% or set alerting.enabled: false`));
    }
  }
}

/** Every problem with a set of SLOs, including names shared by two SLOs or two SLOs' alerts. */
export function validateSlos(specs: readonly SloSpec[]): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const d of duplicates(specs, (s) => String(s.name))) out.push(issue(`SLO "${d}"`, "name", "is used by more than one SLO; names must be unique (they are the slo label)"));
  const alerting = specs.filter(alertingEnabled);
  for (const d of duplicates(alerting, (s) => sloAlertNames(s).page)) out.push(issue(`SLO alert "${d}"`, "alerting.name", "is the alert name of more than one SLO"));
  for (const s of specs) checkOne(out, s);
  return out;
}
