/**
 * The shipped rule packs ("mixins"): one function per pack, built from one content config, with typed overrides by
 * alert name. `buildRulePacks()` is what a stack calls; render the result with `renderRulePackFiles` and
 * `renderRuleTestFiles` from core/rules.
 */
import { type AlertRule, packAlerts, type RulePack } from "../core/rules/model";
import { type AlertOverridesOf, RuleBuilder } from "../core/rules/overrides";
import { type AlertSeverity, isSeverity, orderSeverities, type Severity } from "../core/severity";
import { sloPack } from "../core/slo/render";
import { validateSlos } from "../core/slo/validate";
import { assertValid } from "../core/validation";
import { availabilityPack, AVAILABILITY_ALERTS } from "./availability";
import type { SloSpec } from "../core/slo/model";
import { type ContentConfig, defaultContentConfig } from "./config";
import { CONTAINER_ALERTS, containersPack } from "./containers";
import { ENDPOINT_ALERTS, endpointsPack } from "./endpoints";
import { FRESHNESS_ALERTS, freshnessPack } from "./freshness";
import { HOST_ALERTS, hostPack } from "./host";
import { HTTP_ALERTS, httpPack } from "./http";
import { KUBERNETES_ALERTS, kubernetesPack } from "./kubernetes";
import { type KpiTarget, kpiPack } from "./kpi";
import type { PackContext } from "./kit";
import { POSTGRES_ALERTS, postgresPack } from "./postgres";
import { REDIS_ALERTS, redisPack } from "./redis";
import { SELF_MONITORING_ALERTS, selfMonitoringPack } from "./self-monitoring";
import { checkSloOverrides, replacedAlertOverrides, type ShippedSloName, shippedSlos, SLO_ALERTS, type SloOptions } from "./slos";
import { TELEMETRY_ALERTS, telemetryPack } from "./telemetry";
import { WORKER_ALERTS, workerPack } from "./worker";

export { type KpiBound, type KpiTarget, kpi, seedKpiTargets } from "./kpi";
export { API_SLO_DEFAULTS, REPLACED_BY_SLO, SHIPPED_SLOS, SLO_ALERTS, type ShippedSloName, type SloOptions, type SloOverride, type SloOverrides } from "./slos";

/** Pack factories by key; the rendered file is `rules/<pack.name>.yml`. */
export const RULE_PACKS = {
  availability: availabilityPack,
  http: httpPack,
  worker: workerPack,
  postgres: postgresPack,
  redis: redisPack,
  host: hostPack,
  containers: containersPack,
  endpoints: endpointsPack,
  freshness: freshnessPack,
  selfMonitoring: selfMonitoringPack,
  kubernetes: kubernetesPack,
  telemetry: telemetryPack,
} as const satisfies Record<string, (ctx: PackContext) => RulePack>;

/** Pack switches; `kpi` is on whenever KPI targets are given. */
export type PackName = keyof typeof RULE_PACKS | "kpi";

/** What a stack deploys, as far as the exporter packs care (the shape of the Exporters component's switches). */
export interface DeployedExporters {
  /** @default true */
  readonly nodeExporter?: boolean;
  /** @default true */
  readonly cadvisor?: boolean;
  readonly probes?: readonly unknown[];
  readonly postgres?: readonly unknown[];
  readonly redis?: readonly unknown[];
  /** kube-state-metrics runs (Kubernetes). @default false */
  readonly kubeStateMetrics?: boolean;
  /** Container metrics come from the platform itself (the kubelet's cAdvisor). @default false */
  readonly builtinContainerMetrics?: boolean;
  /** Loki, the collector or Jaeger run (the telemetry pack watches them). @default false */
  readonly telemetry?: boolean;
}

/**
 * Switches for the packs whose alerts read one exporter: on exactly when that exporter is deployed, so a stack
 * without Redis ships no RedisDown that can never fire. Spread your own switches after it to override.
 */
export function exporterPackSwitches(e: DeployedExporters): Partial<Record<PackName, boolean>> {
  return {
    host: e.nodeExporter ?? true,
    containers: (e.cadvisor ?? true) || (e.builtinContainerMetrics ?? false),
    endpoints: (e.probes?.length ?? 0) > 0,
    postgres: (e.postgres?.length ?? 0) > 0,
    redis: (e.redis?.length ?? 0) > 0,
    kubernetes: e.kubeStateMetrics ?? false,
    telemetry: e.telemetry ?? false,
  };
}

/** Alerts each pack ships, by pack key (a test keeps these lists equal to what the packs define). */
export const SHIPPED_ALERTS = {
  availability: AVAILABILITY_ALERTS,
  http: HTTP_ALERTS,
  worker: WORKER_ALERTS,
  postgres: POSTGRES_ALERTS,
  redis: REDIS_ALERTS,
  host: HOST_ALERTS,
  containers: CONTAINER_ALERTS,
  endpoints: ENDPOINT_ALERTS,
  freshness: FRESHNESS_ALERTS,
  selfMonitoring: SELF_MONITORING_ALERTS,
  kubernetes: KUBERNETES_ALERTS,
  telemetry: TELEMETRY_ALERTS,
} as const;

/** The name of an alert a shipped pack or shipped SLO defines: the keys `AlertOverrides` accepts. */
export type ShippedAlertName = (typeof SHIPPED_ALERTS)[keyof typeof SHIPPED_ALERTS][number] | (typeof SLO_ALERTS)[number];

/**
 * Overrides of shipped alerts by name (a typo is a type error). KPI alerts are named by their targets; override
 * them with a cast or change the target itself. A name no pack defines is a runtime error naming it.
 */
export type AlertOverrides = AlertOverridesOf<ShippedAlertName>;

/**
 * Options of `buildRulePacks`: selectors and thresholds, which packs are on, alert overrides, SLOs, KPI targets and
 * link base URLs.
 */
export interface BuildRulePacksOptions {
  /** Selectors and thresholds. @default defaultContentConfig */
  readonly content?: ContentConfig;
  /**
   * Pack switches (`{ redis: false }`); every shipped pack is on by default. `exporterPackSwitches(...)` gives the
   * switches for what a stack deploys (MonitoringStack uses it when you pass no packs).
   */
  readonly packs?: Partial<Record<PackName, boolean>>;
  readonly overrides?: AlertOverrides;
  /** Business KPI targets; the `kpi` pack is built only when given (see `seedKpiTargets`). */
  readonly kpis?: readonly KpiTarget[];
  /** SLOs: the seeds' API SLOs (on by default, overridable by name) and your own; one pack `slo-<name>` each. */
  readonly slos?: SloOptions;
  /** Runbook page; alerts link to `<base>#<alertname-lowercase>`. @default the runbooks page of this repository */
  readonly runbookBaseUrl?: string;
  /** Grafana's external URL for `dashboard` annotations. @default "" (links are `/d/<uid>` paths) */
  readonly grafanaBaseUrl?: string;
}

/**
 * Builds every enabled pack with overrides applied. Throws a ValidationError when an override names an alert no
 * pack defines (also alerts of disabled packs count as defined), or overrides a threshold the alert lacks.
 */
export function buildRulePacks(opts: BuildRulePacksOptions = {}): RulePack[] {
  const content = opts.content ?? defaultContentConfig;
  const slos = resolveSlos(content, opts.slos);
  const enabled = slos.filter((s) => s.enabled && s.shipped).map((s) => s.spec.name as ShippedSloName);
  const overrides: Record<string, NonNullable<AlertOverrides[ShippedAlertName]>> = { ...replacedAlertOverrides(enabled) };
  for (const [name, o] of Object.entries(opts.overrides ?? {})) if (o !== undefined) overrides[name] = { ...(overrides[name] ?? {}), ...o };
  const b = new RuleBuilder({ overrides, runbookBaseUrl: opts.runbookBaseUrl, grafanaBaseUrl: opts.grafanaBaseUrl });
  const ctx: PackContext = { content, b };
  const built: RulePack[] = [];
  for (const [key, factory] of Object.entries(RULE_PACKS) as [keyof typeof RULE_PACKS, (c: PackContext) => RulePack][]) {
    const pack = factory(ctx);
    if (opts.packs?.[key] !== false) built.push(pack);
  }
  if (opts.kpis !== undefined && opts.packs?.kpi !== false) built.push(kpiPack(ctx, opts.kpis));
  // Disabled shipped SLOs are built too (and dropped), so overrides of their alerts still name known alerts.
  for (const s of slos) {
    const pack = sloPack(s.spec, { builder: b });
    if (s.enabled) built.push(pack);
  }
  assertValid("alert overrides", b.checkOverrides());
  return built.map((p) => b.finish(p));
}

/**
 * The SLOs a build renders: the shipped ones (unless `shipped: false`) with overrides, then the custom ones.
 * Throws a ValidationError naming the SLO and field on a bad override or spec, before any rule is built.
 */
export function resolveSlos(content: ContentConfig, opts: SloOptions = {}): { readonly spec: SloSpec; readonly enabled: boolean; readonly shipped: boolean }[] {
  const shipped = opts.shipped === false ? [] : shippedSlos(content, opts.overrides).map((s) => ({ ...s, shipped: true }));
  const all = [...shipped, ...(opts.custom ?? []).map((spec) => ({ spec, enabled: true, shipped: false }))];
  assertValid("SLOs", [...checkSloOverrides(opts.overrides), ...validateSlos(all.map((s) => s.spec))]);
  return all;
}

/** The SLO specs a build renders (enabled only), e.g. for the SLO dashboard. */
export function enabledSlos(content: ContentConfig = defaultContentConfig, opts: SloOptions = {}): SloSpec[] {
  return resolveSlos(content, opts).filter((s) => s.enabled).map((s) => s.spec);
}

/** The house severities (critical, warning, info) the packs' alerts use, most urgent first: the routing preset's input. */
export function severitiesUsed(packs: readonly RulePack[]): Severity[] {
  return allSeveritiesUsed(packs).filter(isSeverity);
}

/**
 * Every severity the packs' alerts use, the house three first, then any other (an override may set `page`): what
 * the routing must cover, and what AlertRouting checks it covers.
 */
export function allSeveritiesUsed(packs: readonly RulePack[]): AlertSeverity[] {
  return orderSeverities(packs.flatMap(packAlerts).map((a) => a.severity));
}

/** Every alert name, in pack order. */
export function alertNames(packs: readonly RulePack[]): string[] {
  return packs.flatMap(packAlerts).map((a) => a.alert);
}

/** Every alert by name, e.g. for dashboards that draw an alert's effective threshold. */
export function alertsByName(packs: readonly RulePack[]): Map<string, AlertRule> {
  return new Map(packs.flatMap(packAlerts).map((a) => [a.alert, a] as const));
}
