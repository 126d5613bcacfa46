/**
 * Validation before deploy. Never throws: returns every issue, each naming the route (by path, e.g.
 * `route > routes[1] (severity="critical")`), receiver or interval, and the field.
 */
import { parseDuration } from "../duration";
import { isLabelNameOrReserved } from "../labels";
import type { AlertSeverity } from "../severity";
import { applyLevels, LINT_RULES, type LintOptions } from "../lint";
import { duplicates, finding, issue } from "../validation";
import type { ValidationIssue } from "../validation";
import { checkMatcherEntry, matcherMatches } from "./label-matchers";
import { matchRoutes, ROOT_PATH, walkRoutes } from "./matcher";
import type { AlertmanagerConfig, MatcherInput, Route } from "./model";
import { periodProblems } from "./time-intervals";
import { validateReceivers } from "./validate-receivers";

/**
 * What the Alertmanager validator needs to know beyond the config itself: the severities the rules use, the
 * environment and the lint levels.
 */
export interface ValidationContext {
  /** Severities the shipped alert rules use; in prod each must reach a route other than the root. */
  readonly severities?: readonly AlertSeverity[];
  /** @default "prod" — dev stacks may leave severities to the root route but should not page. */
  readonly environment?: "dev" | "prod";
  /** Test-only configs may use short group/repeat intervals. @default false */
  readonly allowShortIntervals?: boolean;
  /** Lint levels (core/lint.ts); `profile: "lint"` for configs from elsewhere. */
  readonly lint?: LintOptions;
}

/** The alert-storm guard: below these, a flapping alert floods the receiver. */
export const MIN_GROUP_INTERVAL_MS = 60_000;
/**
 * The alert-storm guard's shortest allowed `repeatInterval` (1h, in milliseconds); heartbeat routes and critical-only
 * routes may go lower.
 */
export const MIN_REPEAT_INTERVAL_MS = 3_600_000;
/** The seeds re-page criticals every 30m; routes that only see severity="critical" may go down to this. */
export const MIN_CRITICAL_REPEAT_INTERVAL_MS = 1_800_000;

export function checkMatchers(item: string, field: string, ms: readonly MatcherInput[] | undefined, out: ValidationIssue[]): boolean {
  let ok = true;
  (ms ?? []).forEach((m, i) => {
    const r = checkMatcherEntry(m);
    if (!r.ok) {
      out.push(finding(r.unsupported ? "alertmanager/regex-unsupported" : "alertmanager/invalid", item, `${field}[${i}]`, r.error));
      ok = false;
    }
  });
  return ok;
}

function checkGroupBy(item: string, groupBy: readonly string[] | undefined, out: ValidationIssue[]): void {
  if (!groupBy) return;
  if (groupBy.includes("...") && groupBy.length > 1) out.push(issue(item, "groupBy", `"..." (group by all labels) must be the only entry`));
  for (const l of groupBy) if (l !== "..." && !isLabelNameOrReserved(l)) out.push(issue(item, "groupBy", `${JSON.stringify(l)} is not a label name`));
  for (const d of duplicates(groupBy, (l) => l)) out.push(issue(item, "groupBy", `lists "${d}" twice`));
}

const requiresCritical = (r: Route) =>
  (r.matchers ?? []).some((m) => {
    const c = checkMatcherEntry(m);
    return c.ok && c.value.some((v) => v.label === "severity" && matcherMatches(v, { severity: "critical" }) && !matcherMatches(v, { severity: "warning" }));
  });

function checkTimers(item: string, r: Route, ancestors: readonly Route[], ctx: ValidationContext, out: ValidationIssue[]): void {
  const heartbeat = r.heartbeat === true;
  const fields = [["groupWait", r.groupWait], ["groupInterval", r.groupInterval], ["repeatInterval", r.repeatInterval]] as const;
  for (const [field, v] of fields) {
    if (v === undefined) continue;
    const ms = parseDuration(v);
    if (ms === undefined) out.push(issue(item, field, `${JSON.stringify(v)} is not a duration like "30s", "5m", "4h"`));
    else if (ms === 0 && field !== "groupWait") out.push(issue(item, field, "must be greater than zero"));
    else if (!ctx.allowShortIntervals && field === "groupInterval" && ms < MIN_GROUP_INTERVAL_MS) {
      out.push(finding("alertmanager/interval-short", item, field, `${v} is below 1m: alert-storm guard (allowShortIntervals is for test configs only)`));
    } else if (!ctx.allowShortIntervals && field === "repeatInterval" && heartbeat) {
      // A dead man's switch wants a ping every few minutes; the group interval (≥ 1m) already bounds the rate.
      if (ms < MIN_GROUP_INTERVAL_MS) out.push(finding("alertmanager/interval-short", item, field, `${v} is below 1m: a heartbeat is re-sent at most once per group interval (≥ 1m) anyway`));
    } else if (!ctx.allowShortIntervals && field === "repeatInterval" && ms < MIN_REPEAT_INTERVAL_MS) {
      const critical = [...ancestors, r].some(requiresCritical);
      if (!critical || ms < MIN_CRITICAL_REPEAT_INTERVAL_MS) {
        out.push(finding("alertmanager/interval-short", item, field, `${v} is below ${critical ? "30m for a critical-only route" : "1h"}: alert-storm guard (allowShortIntervals is for test configs only)`));
      }
    }
  }
}

function validateRoutes(cfg: AlertmanagerConfig, ctx: ValidationContext, out: ValidationIssue[]): void {
  const root = cfg.route;
  if (!root.receiver) out.push(issue(ROOT_PATH, "receiver", "is required on the root route (it catches every alert no other route takes)"));
  if (root.matchers?.length) out.push(issue(ROOT_PATH, "matchers", "must be empty on the root route (it must match every alert)"));
  if (root.continue) out.push(issue(ROOT_PATH, "continue", "is meaningless on the root route"));
  if (root.muteTimeIntervals?.length) out.push(issue(ROOT_PATH, "muteTimeIntervals", "are not allowed on the root route"));
  if (root.activeTimeIntervals?.length) out.push(issue(ROOT_PATH, "activeTimeIntervals", "are not allowed on the root route"));
  if (!root.groupBy) out.push(finding("alertmanager/group-by-root", ROOT_PATH, "groupBy", "is not set on the root route: without it every alert lands in one notification group"));

  const receivers = new Set(cfg.receivers.map((r) => r.name));
  const intervals = new Set((cfg.timeIntervals ?? []).map((t) => t.name));
  walkRoutes(root, (r, path, eff, ancestors) => {
    if (r.receiver !== undefined && !receivers.has(r.receiver)) {
      out.push(issue(path, "receiver", `refers to unknown receiver "${r.receiver}" (known: ${[...receivers].sort().join(", ") || "none"})`));
    }
    checkMatchers(path, "matchers", r.matchers, out);
    checkGroupBy(path, r.groupBy, out);
    checkTimers(path, r, ancestors, ctx, out);
    for (const field of ["muteTimeIntervals", "activeTimeIntervals"] as const) {
      for (const n of r[field] ?? []) if (!intervals.has(n)) out.push(issue(path, field, `refers to unknown time interval "${n}"`));
    }
    if (r.heartbeat) checkHeartbeat(cfg, path, r, eff.receiver, ctx, out);
    const kids = r.routes ?? [];
    const catchAll = kids.findIndex((k) => !k.matchers?.length && !k.continue);
    if (catchAll >= 0 && catchAll < kids.length - 1) {
      out.push(finding("alertmanager/route-unreachable", path, `routes[${catchAll + 1}]`, `can never match: routes[${catchAll}] has no matchers and no continue, so it takes every alert first`));
    }
  });
}

/** A heartbeat route must select only its heartbeat, and should reach a dead man's switch. */
function checkHeartbeat(cfg: AlertmanagerConfig, path: string, r: Route, receiver: string, ctx: ValidationContext, out: ValidationIssue[]): void {
  if (path === ROOT_PATH || !r.matchers?.length) {
    out.push(finding("alertmanager/heartbeat-route", path, "heartbeat", "needs matchers that select only the heartbeat alert (e.g. alertname=\"Watchdog\"): every alert it takes is re-sent every few minutes"));
  }
  if (r.routes?.length) out.push(finding("alertmanager/heartbeat-route", path, "routes", "a heartbeat route takes no child routes (their repeat intervals would escape the alert-storm guard)"));
  const rec = cfg.receivers.find((x) => x.name === receiver);
  const integrations = rec ? (["email", "slack", "pagerduty", "webhook", "opsgenie"] as const).reduce((n, k) => n + (rec[k]?.length ?? 0), 0) : 1;
  // A dev stack may go unwatched; prod must not (nobody would learn that alerting stopped).
  if (integrations === 0 && (ctx.environment ?? "prod") === "prod") {
    out.push(finding("alertmanager/heartbeat-unwatched", path, "receiver", `sends the always-firing heartbeat to receiver "${receiver}", which has no integrations: nobody notices if alerting stops. Route it to a dead man's switch, a webhook that pages when the pings stop (\`deadMansSwitch\` in the routing presets)`));
  }
}

function usedReceivers(root: Route): Set<string> {
  const used = new Set<string>();
  walkRoutes(root, (r) => {
    if (r.receiver) used.add(r.receiver);
  });
  return used;
}

function validateInhibitRules(cfg: AlertmanagerConfig, out: ValidationIssue[]): void {
  (cfg.inhibitRules ?? []).forEach((r, i) => {
    const item = `inhibitRules[${i}]${r.name ? ` (${r.name})` : ""}`;
    if (!r.sourceMatchers.length) out.push(finding("alertmanager/inhibit-matchers", item, "sourceMatchers", "is empty: every alert inhibits"));
    if (!r.targetMatchers.length) out.push(finding("alertmanager/inhibit-matchers", item, "targetMatchers", "is empty: every alert can be inhibited"));
    checkMatchers(item, "sourceMatchers", r.sourceMatchers, out);
    checkMatchers(item, "targetMatchers", r.targetMatchers, out);
    for (const l of r.equal ?? []) if (!isLabelNameOrReserved(l)) out.push(issue(item, "equal", `${JSON.stringify(l)} is not a label name`));
  });
}

function validateTimeIntervals(cfg: AlertmanagerConfig, out: ValidationIssue[]): void {
  const tis = cfg.timeIntervals ?? [];
  for (const d of duplicates(tis, (t) => t.name)) out.push(issue(`time interval "${d}"`, "name", "is defined more than once"));
  const referenced = new Set<string>();
  walkRoutes(cfg.route, (r) => [...(r.muteTimeIntervals ?? []), ...(r.activeTimeIntervals ?? [])].forEach((n) => referenced.add(n)));
  tis.forEach((t, i) => {
    const item = `time interval "${t.name}"`;
    if (!t.name) out.push(issue(`timeIntervals[${i}]`, "name", "is required"));
    if (!t.periods.length) out.push(issue(item, "periods", "must list at least one period"));
    t.periods.forEach((p, j) => {
      for (const [field, msg] of periodProblems(p)) out.push(issue(item, `periods[${j}].${field}`, msg));
      if (p.location === undefined && (p.times || p.weekdays || p.daysOfMonth)) {
        out.push(finding("alertmanager/time-interval-location", item, `periods[${j}].location`, "is unset: Alertmanager then uses its process time zone (UTC in containers); set an IANA zone"));
      }
    });
    if (t.name && !referenced.has(t.name)) out.push(finding("alertmanager/time-interval-unused", item, "", "is not used by any route"));
  });
}

/** Severity coverage (prod) and paging receivers (dev). */
function validateEnvironment(cfg: AlertmanagerConfig, ctx: ValidationContext, out: ValidationIssue[]): void {
  const env = ctx.environment ?? "prod";
  if (env === "prod") {
    for (const s of ctx.severities ?? []) {
      let matches;
      try {
        matches = matchRoutes(cfg, { severity: s });
      } catch {
        return; // matcher errors are reported elsewhere
      }
      if (matches.every((m) => m.path === ROOT_PATH)) {
        out.push(finding("alertmanager/severity-unroutable", ROOT_PATH, "routes", `no route handles severity="${s}", which the alert rules use: such alerts fall through to the root receiver "${cfg.route.receiver ?? ""}"`));
      }
    }
  } else {
    const used = usedReceivers(cfg.route);
    for (const r of cfg.receivers) {
      if (used.has(r.name) && (r.pagerduty?.length || r.opsgenie?.length)) {
        out.push(finding("alertmanager/dev-pages", `receiver "${r.name}"`, r.pagerduty?.length ? "pagerduty" : "opsgenie", "pages people from a dev stack; route dev alerts to a non-paging receiver"));
      }
    }
  }
}

/**
 * Checks an Alertmanager config as Alertmanager does when it loads it, plus moncode's lint rules (unused receivers,
 * unroutable severities, alert-storm intervals, paging from dev). Returns every issue, errors and warnings, instead of
 * throwing.
 */
export function validateAlertmanagerConfig(cfg: AlertmanagerConfig, ctx: ValidationContext = {}): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const d of duplicates(cfg.receivers, (r) => r.name)) out.push(issue(`receiver "${d}"`, "name", "is defined more than once"));
  validateReceivers(cfg, out);
  validateRoutes(cfg, ctx, out);
  const used = usedReceivers(cfg.route);
  for (const r of cfg.receivers) if (r.name && !used.has(r.name)) out.push(finding("alertmanager/receiver-unused", `receiver "${r.name}"`, "", "is not used by any route"));
  validateInhibitRules(cfg, out);
  validateTimeIntervals(cfg, out);
  if (cfg.global?.resolveTimeout !== undefined) {
    const ms = parseDuration(cfg.global.resolveTimeout);
    if (!ms) out.push(issue("global", "resolveTimeout", `${JSON.stringify(cfg.global.resolveTimeout)} must be a positive duration`));
  }
  (cfg.templates ?? []).forEach((t, i) => {
    if (!t.trim()) out.push(issue("templates", `[${i}]`, "must be a file path or glob"));
  });
  // Coverage is evaluated on the routing tree, which only means something when Alertmanager would load it.
  if (!out.some((i) => i.rule === undefined || LINT_RULES[i.rule as keyof typeof LINT_RULES]?.kind === "invalid")) validateEnvironment(cfg, ctx, out);
  return applyLevels(out, "alertmanager/invalid", ctx.lint);
}

export { secretRefs } from "./secrets";
