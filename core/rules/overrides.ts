/**
 * Typed overrides of shipped alerts, by name, without forking a pack: change the threshold, `for`, severity,
 * labels or annotations, or disable the alert. Packs define alerts through a RuleBuilder, which applies the
 * override while the pack is being built — so the pack's own unit tests see the final `for` and threshold and keep
 * passing (tests derive their input series from `rule.threshold` and their eval times from `rule.for`).
 */
import { DASHBOARD_UIDS, type DashboardKey } from "../conventions";
import { type Duration, parseDuration } from "../duration";
import type { PromqlExpr } from "../promql";
import { isSeverity, type Severity } from "../severity";
import { issue, type ValidationIssue } from "../validation";
import type { AlertAnnotations, AlertRule, RulePack } from "./model";

export interface AlertOverride {
  /** Drop the alert (and its unit-test cases). */
  readonly disabled?: boolean;
  /** New threshold for alerts that compare against one (see `rule.threshold`); an error on alerts without. */
  readonly threshold?: number;
  readonly for?: Duration;
  readonly keepFiringFor?: Duration;
  readonly severity?: Severity;
  /** Merged over the rule's labels (e.g. `team: "payments"` for routing). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Merged over the rule's annotations (e.g. your own `runbookUrl`). */
  readonly annotations?: Partial<AlertAnnotations>;
}

/** Overrides keyed by alert name; `Name` narrows the keys to known alerts so a typo is a type error. */
export type AlertOverridesOf<Name extends string> = { readonly [K in Name]?: AlertOverride };

/** An alert as a pack defines it: expression and annotations may depend on the (overridable) threshold. */
export interface AlertSpec extends Omit<AlertRule, "expr" | "annotations"> {
  readonly expr: PromqlExpr | ((threshold: number) => PromqlExpr);
  readonly annotations: Omit<AlertAnnotations, "runbookUrl"> & { readonly runbookUrl?: string } | ((threshold: number) => AlertAnnotations);
}

export const DEFAULT_RUNBOOK_BASE_URL = "https://github.com/moncode/moncode/blob/main/docs/runbooks.md";

export interface RuleBuilderOptions {
  readonly overrides?: Readonly<Record<string, AlertOverride | undefined>>;
  /** Runbook page; each alert links to `<base>#<alertname-lowercase>`. @default DEFAULT_RUNBOOK_BASE_URL */
  readonly runbookBaseUrl?: string;
  /** Grafana's external URL for `dashboard` links; empty gives `/d/<uid>` paths. @default "" */
  readonly grafanaBaseUrl?: string;
}

interface Defined {
  readonly hasThreshold: boolean;
}

/** Defines alerts with overrides applied and remembers what it defined, to check the overrides afterwards. */
export class RuleBuilder {
  private readonly defined = new Map<string, Defined>();
  private readonly disabled = new Set<string>();
  constructor(private readonly opts: RuleBuilderOptions = {}) {}

  alert(spec: AlertSpec): AlertRule {
    const o = this.opts.overrides?.[spec.alert];
    const hasThreshold = spec.threshold !== undefined && (typeof spec.expr === "function" || typeof spec.annotations === "function");
    this.defined.set(spec.alert, { hasThreshold });
    if (o?.disabled) this.disabled.add(spec.alert);
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
    return Object.fromEntries(Object.entries(rule).filter(([, v]) => v !== undefined)) as unknown as AlertRule;
  }

  /** Link to a shipped dashboard by key. */
  dashboard(key: DashboardKey): string {
    return `${(this.opts.grafanaBaseUrl ?? "").replace(/\/$/, "")}/d/${DASHBOARD_UIDS[key]}`;
  }

  /** Names of every alert defined so far. */
  names(): string[] {
    return [...this.defined.keys()];
  }

  /** Problems with the overrides: unknown alert names, a threshold on an alert without one, bad values. */
  checkOverrides(): ValidationIssue[] {
    const out: ValidationIssue[] = [];
    for (const [name, o] of Object.entries(this.opts.overrides ?? {})) {
      if (o === undefined) continue;
      const item = `alert override "${name}"`;
      const d = this.defined.get(name);
      if (!d) {
        out.push(issue(item, "", `names alert "${name}", which no rule pack defines`));
        continue;
      }
      if (o.threshold !== undefined && !d.hasThreshold) out.push(issue(item, "threshold", `alert "${name}" has no threshold to override`));
      if (o.threshold !== undefined && !Number.isFinite(o.threshold)) out.push(issue(item, "threshold", `must be a finite number, got ${o.threshold}`));
      if (o.severity !== undefined && !isSeverity(String(o.severity))) out.push(issue(item, "severity", `"${String(o.severity)}" is not one of critical, warning, info`));
      for (const f of ["for", "keepFiringFor"] as const) {
        const v = o[f];
        if (v !== undefined && parseDuration(v) === undefined) out.push(issue(item, f, `"${v}" is not a Prometheus duration`));
      }
    }
    return out;
  }

  /** The pack without disabled alerts, their test cases, and tests left with nothing to check. */
  finish(pack: RulePack): RulePack {
    if (this.disabled.size === 0) return pack;
    const off = (name: string): boolean => this.disabled.has(name);
    const groups = pack.groups
      .map((g) => ({ ...g, rules: g.rules.filter((r) => !("alert" in r && off(r.alert))) }))
      .filter((g) => g.rules.length > 0);
    const tests = pack.tests
      .map((t) => ({ ...t, alerts: (t.alerts ?? []).filter((a) => !off(a.alert)) }))
      .filter((t) => t.alerts.length > 0 || (t.exprs ?? []).length > 0);
    return { ...pack, groups, tests };
  }
}
