/**
 * Typed overrides of shipped alerts, by name — or by name and severity (`bySeverity`) where a name ships as a
 * warning/critical pair — without forking a pack: change the threshold, `for`, severity, labels or annotations, or
 * disable the alert. Packs define alerts through a RuleBuilder, which applies the override while the pack is being
 * built — so the pack's own unit tests see the final `for` and threshold and keep passing (tests derive their input
 * series from `rule.threshold` and their eval times from `rule.for`).
 */
import { DASHBOARD_UIDS, type DashboardKey } from "../conventions";
import { type Duration, parseDuration } from "../duration";
import type { PromqlExpr } from "../promql";
import type { AlertSeverity } from "../severity";
import { finding, type ValidationIssue } from "../validation";
import type { AlertAnnotations, AlertRule, RulePack } from "./model";

/**
 * What an override of a shipped alert may change: disable it, or set its threshold, `for`, `keepFiringFor`, severity,
 * labels or annotations.
 */
export interface AlertOverrideFields {
  /** Drop the alert (and its unit-test cases). */
  readonly disabled?: boolean;
  /** New threshold for alerts that compare against one (see `rule.threshold`); an error on alerts without. */
  readonly threshold?: number;
  readonly for?: Duration;
  readonly keepFiringFor?: Duration;
  readonly severity?: AlertSeverity;
  /** Merged over the rule's labels (e.g. `team: "payments"` for routing). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Merged over the rule's annotations (e.g. your own `runbookUrl`). */
  readonly annotations?: Partial<AlertAnnotations>;
}

/**
 * An override of every variant of an alert name, and of single variants by the severity they are defined with
 * (`{ for: "10m", bySeverity: { critical: { threshold: 0.2 } } }`): a name often ships as a warning/critical pair.
 */
export interface AlertOverride extends AlertOverrideFields {
  readonly bySeverity?: Readonly<Record<string, AlertOverrideFields>>;
}

/** Overrides keyed by alert name; `Name` narrows the keys to known alerts so a typo is a type error. */
export type AlertOverridesOf<Name extends string> = { readonly [K in Name]?: AlertOverride };

/** An alert as a pack defines it: expression and annotations may depend on the (overridable) threshold. */
export interface AlertSpec extends Omit<AlertRule, "expr" | "annotations"> {
  readonly expr: PromqlExpr | ((threshold: number) => PromqlExpr);
  readonly annotations: Omit<AlertAnnotations, "runbookUrl"> & { readonly runbookUrl?: string } | ((threshold: number) => AlertAnnotations);
}

/** The runbook page shipped alerts link to when no `runbookBaseUrl` is given. */
export const DEFAULT_RUNBOOK_BASE_URL = "https://github.com/moncode/moncode/blob/main/docs/runbooks.md";

/** How packs build their alerts: the overrides to apply and the base URLs of runbook and dashboard links. */
export interface RuleBuilderOptions {
  readonly overrides?: Readonly<Record<string, AlertOverride | undefined>>;
  /** Runbook page; each alert links to `<base>#<alertname-lowercase>`. @default DEFAULT_RUNBOOK_BASE_URL */
  readonly runbookBaseUrl?: string;
  /** Grafana's external URL for `dashboard` links; empty gives `/d/<uid>` paths. @default "" */
  readonly grafanaBaseUrl?: string;
}

interface Defined {
  readonly hasThreshold: boolean;
  readonly severities: Set<string>;
}

/** The override of one variant: the name's fields, then the variant's, labels and annotations merged. */
function variantOverride(o: AlertOverride | undefined, severity: string | undefined): AlertOverrideFields | undefined {
  const v = severity !== undefined ? o?.bySeverity?.[severity] : undefined;
  if (!v) return o;
  return {
    ...o,
    ...v,
    labels: o?.labels || v.labels ? { ...(o?.labels ?? {}), ...(v.labels ?? {}) } : undefined,
    annotations: o?.annotations || v.annotations ? { ...(o?.annotations ?? {}), ...(v.annotations ?? {}) } : undefined,
  };
}

/** Defines alerts with overrides applied and remembers what it defined, to check the overrides afterwards. */
export class RuleBuilder {
  private readonly defined = new Map<string, Defined>();
  private readonly disabled = new Set<AlertRule>();
  constructor(private readonly opts: RuleBuilderOptions = {}) {}

  alert(spec: AlertSpec): AlertRule {
    const o = variantOverride(this.opts.overrides?.[spec.alert], spec.severity);
    const hasThreshold = spec.threshold !== undefined && (typeof spec.expr === "function" || typeof spec.annotations === "function");
    const d = this.defined.get(spec.alert) ?? { hasThreshold: false, severities: new Set<string>() };
    this.defined.set(spec.alert, { hasThreshold: d.hasThreshold || hasThreshold, severities: d.severities.add(spec.severity ?? "") });
    const threshold = hasThreshold ? (o?.threshold ?? spec.threshold) : spec.threshold;
    const t = threshold ?? Number.NaN;
    const expr = typeof spec.expr === "function" ? spec.expr(t) : spec.expr;
    const base = typeof spec.annotations === "function" ? spec.annotations(t) : spec.annotations;
    const annotations: AlertAnnotations = {
      ...base,
      runbookUrl: base.runbookUrl ?? `${this.opts.runbookBaseUrl ?? DEFAULT_RUNBOOK_BASE_URL}#${spec.alert.toLowerCase()}`,
      ...(o?.annotations ?? {}),
    } as AlertAnnotations;
    const labels = { ...(spec.labels ?? {}), ...(o?.labels ?? {}) };
    const rule: AlertRule = {
      alert: spec.alert,
      expr,
      for: o?.for ?? spec.for,
      keepFiringFor: o?.keepFiringFor ?? spec.keepFiringFor,
      severity: o?.severity ?? spec.severity,
      labels: Object.keys(labels).length > 0 ? labels : undefined,
      annotations,
      threshold,
    };
    const built = Object.fromEntries(Object.entries(rule).filter(([, v]) => v !== undefined)) as unknown as AlertRule;
    if (o?.disabled) this.disabled.add(built);
    return built;
  }

  /** Link to a shipped dashboard by key. */
  dashboard(key: DashboardKey): string {
    return `${(this.opts.grafanaBaseUrl ?? "").replace(/\/$/, "")}/d/${DASHBOARD_UIDS[key]}`;
  }

  /** Names of every alert defined so far. */
  names(): string[] {
    return [...this.defined.keys()];
  }

  /** Problems with the overrides: unknown alert names or variants, a threshold on an alert without one, bad values. */
  checkOverrides(): ValidationIssue[] {
    const out: ValidationIssue[] = [];
    const bad = (item: string, field: string, message: string) => out.push(finding("rules/override-invalid", item, field, message));
    const checkFields = (item: string, name: string, o: AlertOverrideFields, d: Defined) => {
      if (o.threshold !== undefined && !d.hasThreshold) bad(item, "threshold", `alert "${name}" has no threshold to override`);
      if (o.threshold !== undefined && !Number.isFinite(o.threshold)) bad(item, "threshold", `must be a finite number, got ${o.threshold}`);
      if (o.severity !== undefined && (typeof o.severity !== "string" || o.severity === "")) bad(item, "severity", `must be a non-empty string, got ${JSON.stringify(o.severity)}`);
      for (const f of ["for", "keepFiringFor"] as const) {
        const v = o[f];
        if (v !== undefined && parseDuration(v) === undefined) bad(item, f, `"${v}" is not a Prometheus duration`);
      }
    };
    for (const [name, o] of Object.entries(this.opts.overrides ?? {})) {
      if (o === undefined) continue;
      const item = `alert override "${name}"`;
      const d = this.defined.get(name);
      if (!d) {
        bad(item, "", `names alert "${name}", which no rule pack defines`);
        continue;
      }
      checkFields(item, name, o, d);
      for (const [severity, v] of Object.entries(o.bySeverity ?? {})) {
        const vItem = `${item} > bySeverity "${severity}"`;
        if (!d.severities.has(severity)) bad(vItem, "", `alert "${name}" is not defined with severity "${severity}" (it is: ${[...d.severities].join(", ")})`);
        else checkFields(vItem, name, v, d);
      }
    }
    return out;
  }

  /** The pack without disabled alerts, their test cases, and tests left with nothing to check. */
  finish(pack: RulePack): RulePack {
    if (this.disabled.size === 0) return pack;
    const groups = pack.groups
      .map((g) => ({ ...g, rules: g.rules.filter((r) => !this.disabled.has(r as AlertRule)) }))
      .filter((g) => g.rules.length > 0);
    // A test case names an alert; it goes when no variant of that name is left.
    const left = new Set(groups.flatMap((g) => g.rules.flatMap((r) => ("alert" in r ? [r.alert] : []))));
    const off = (name: string): boolean => !left.has(name);
    const tests = pack.tests
      .map((t) => ({ ...t, alerts: (t.alerts ?? []).filter((a) => !off(a.alert)) }))
      .filter((t) => t.alerts.length > 0 || (t.exprs ?? []).length > 0);
    return { ...pack, groups, tests };
  }
}
