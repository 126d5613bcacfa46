/**
 * The seeds' service levels as SLOs of the API: ">99.9% uptime" (probes of its health endpoint), "<100ms P95
 * latency" (95% of requests within 100ms) and "error rate <0.1%" (99.9% of requests not 5xx). Built from the
 * content config's selectors, overridable by SLO name, plus any SLOs of your own. Each SLO becomes a rule pack
 * (core/slo); while the latency and error SLOs are on, the threshold alerts they replace are off unless opted in.
 */
import { isAlertRule, type RulePack } from "../core/rules/model";
import { isSeverity, type Severity } from "../core/severity";
import type { SloSpec, SloWindow } from "../core/slo/model";
import { issue, type ValidationIssue } from "../core/validation";
import { labelsFor } from "../core/rules/series";
import type { ContentConfig } from "./config";

/** The names of the shipped API SLOs: availability, latency and errors. */
export const SHIPPED_SLOS = ["api-availability", "api-latency", "api-errors"] as const;
/** The name of a shipped SLO, as in `SHIPPED_SLOS`. */
export type ShippedSloName = (typeof SHIPPED_SLOS)[number];

/** The page and ticket alerts of the shipped SLOs (a test keeps this list equal to what they define). */
export const SLO_ALERTS = [
  "ApiAvailabilityBudgetBurnFast", "ApiAvailabilityBudgetBurnSlow",
  "ApiLatencyBudgetBurnFast", "ApiLatencyBudgetBurnSlow",
  "ApiErrorsBudgetBurnFast", "ApiErrorsBudgetBurnSlow",
] as const;

/**
 * Threshold alerts a shipped SLO replaces: they page on every blip and say nothing about the budget. While the SLO
 * is on they are off; an override with `disabled: false` keeps one anyway. Off with the SLO, they are back on.
 */
export const REPLACED_BY_SLO: Readonly<Record<ShippedSloName, readonly string[]>> = {
  "api-availability": [],
  "api-latency": ["HttpLatencyHigh", "HttpLatencyCritical"],
  "api-errors": ["HttpErrorRateHigh", "HttpErrorRateCritical"],
};

/** A change to one shipped SLO; fields that do not apply to its SLI kind are errors. */
export interface SloOverride {
  /** Leave the SLO out (and bring back the threshold alerts it replaces). */
  readonly disabled?: boolean;
  /** Percent, above 0 and below 100. */
  readonly objective?: number;
  readonly window?: SloWindow;
  /** Replaces the SLI's selector (the probe job for availability, the API job for the others). */
  readonly selector?: string;
  /** Latency only: seconds, one of the buckets. */
  readonly threshold?: number;
  /** Latency only: the bucket boundaries of the API's histogram. */
  readonly buckets?: readonly number[];
  /** Merged over the SLO's labels (e.g. `team`). */
  readonly labels?: Readonly<Record<string, string>>;
  /** `false`: record the SLI and budget, but raise no alert. */
  readonly alerting?: boolean;
}

/**
 * Overrides of the shipped SLOs by name (a typo is a type error): objective, window, selector, latency threshold,
 * labels, alerting.
 */
export type SloOverrides = { readonly [K in ShippedSloName]?: SloOverride };

/** Which SLO packs `buildRulePacks` builds: the shipped ones (with overrides) and SLOs of your own. */
export interface SloOptions {
  /** The seeds' three API SLOs. @default true */
  readonly shipped?: boolean;
  readonly overrides?: SloOverrides;
  /** SLOs of your own, rendered and tested like the shipped ones (check warnings with `validateSlos`). */
  readonly custom?: readonly SloSpec[];
}

/**
 * Defaults of the shipped SLOs, each with its reason. The API's selectors and metric names come from
 * `content.http`; only what the content config does not know is here.
 */
export const API_SLO_DEFAULTS = {
  /** Why: the stacks probe the API's /health as probe "api-health", so blackbox scrapes it as this job. */
  probeSelector: 'job="blackbox-api-health"',
  /** Why: the seeds' ">99.9% uptime". */
  availabilityObjective: 99.9,
  /** Why: "<100ms P95 latency" means 95% of requests within 100ms. */
  latencyObjective: 95,
  latencyThreshold: 0.1,
  /** Why: the Prometheus client libraries' default buckets, which the seeds' API histogram keeps. */
  latencyBuckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as readonly number[],
  /** Why: the seeds' "error rate <0.1%". */
  errorsObjective: 99.9,
} as const;

/** A selector with one more matcher: `job="api"` + `status=~"5.."`. */
function and(selector: string, matcher: string): string {
  return selector === "" ? matcher : `${selector},${matcher}`;
}

function base(content: ContentConfig, o: SloOptions["overrides"] = {}): Record<ShippedSloName, SloSpec> {
  const h = content.http;
  const d = API_SLO_DEFAULTS;
  const api = (name: ShippedSloName): string => o[name]?.selector ?? h.selector;
  // The service label is the API's job, so SLO alerts group and inhibit with the API's other alerts.
  const service = labelsFor(h.selector).job ?? "api";
  return {
    "api-availability": {
      name: "api-availability", service, description: "Probes of the API's health endpoint succeed",
      objective: d.availabilityObjective,
      sli: { kind: "availability", metric: "probe_success", selector: o["api-availability"]?.selector ?? d.probeSelector },
    },
    "api-latency": {
      name: "api-latency", service, description: `API requests are answered within ${o["api-latency"]?.threshold ?? d.latencyThreshold}s`,
      objective: d.latencyObjective,
      sli: { kind: "latency", metric: h.durationMetric, selector: api("api-latency"), threshold: o["api-latency"]?.threshold ?? d.latencyThreshold, buckets: o["api-latency"]?.buckets ?? d.latencyBuckets },
    },
    "api-errors": {
      name: "api-errors", service, description: "API requests are answered without a server error (5xx)",
      objective: d.errorsObjective,
      sli: { kind: "eventRatio", total: { metric: h.requestsMetric, selector: api("api-errors") }, bad: { metric: h.requestsMetric, selector: and(api("api-errors"), 'status=~"5.."') } },
    },
  };
}

/** Every shipped SLO with its override applied, disabled ones included (their alerts stay known to overrides). */
export function shippedSlos(content: ContentConfig, overrides: SloOverrides = {}): { readonly spec: SloSpec; readonly enabled: boolean }[] {
  const specs = base(content, overrides);
  return SHIPPED_SLOS.map((name) => {
    const o = overrides[name] ?? {};
    const s = specs[name];
    const spec: SloSpec = {
      ...s,
      ...(o.objective !== undefined ? { objective: o.objective } : {}),
      ...(o.window !== undefined ? { window: o.window } : {}),
      ...(o.labels !== undefined ? { labels: { ...(s.labels ?? {}), ...o.labels } } : {}),
      ...(o.alerting !== undefined ? { alerting: { enabled: o.alerting } } : {}),
    };
    return { spec, enabled: o.disabled !== true };
  });
}

/** Overrides that name no shipped SLO or set a field its SLI kind does not have. */
export function checkSloOverrides(overrides: SloOverrides = {}): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const [name, o] of Object.entries(overrides) as [string, SloOverride | undefined][]) {
    if (o === undefined) continue;
    const item = `SLO override "${name}"`;
    if (!(SHIPPED_SLOS as readonly string[]).includes(name)) {
      out.push(issue(item, "", `names SLO "${name}", which is not shipped (shipped: ${SHIPPED_SLOS.join(", ")})`));
      continue;
    }
    if (name !== "api-latency") for (const f of ["threshold", "buckets"] as const) if (o[f] !== undefined) out.push(issue(item, f, "applies to the latency SLO (api-latency) only"));
  }
  return out;
}

/** The SLO alerts of built packs with the labels they fire with, for routing tests. */
export function sloAlertLabels(packs: readonly RulePack[]): { alertname: string; severity: Severity; slo: string; service: string }[] {
  return packs.flatMap((p) =>
    p.groups.flatMap((g) => {
      const labels = g.rules.find((r) => "record" in r)?.labels ?? {};
      const [slo, service] = [labels.slo, labels.service];
      if (slo === undefined || service === undefined) return [];
      // An SLO alert overridden to a severity of the project's own is routed by the project's routes, not the preset's.
      return g.rules.filter(isAlertRule).flatMap((a) => (a.severity !== undefined && isSeverity(a.severity) ? [{ alertname: a.alert, severity: a.severity, slo, service }] : []));
    }),
  );
}

/**
 * Default overrides that switch off the threshold alerts the enabled shipped SLOs replace; the user's own
 * overrides are laid over them field by field (so `disabled: false` opts an alert back in).
 */
export function replacedAlertOverrides(enabled: readonly ShippedSloName[]): Record<string, { readonly disabled: true }> {
  return Object.fromEntries(enabled.flatMap((n) => REPLACED_BY_SLO[n]).map((a) => [a, { disabled: true } as const]));
}
