/**
 * Route evaluation with Alertmanager's semantics (dispatch/route.go): depth-first, left to right; a node matches when
 * all its matchers do; its matching children are collected until one matches without `continue`; a node with no
 * matching child is itself the match. Receiver, group_by and timers are inherited down the tree; mute/active time
 * intervals are not. `amtool config routes test` prints the receivers of the matches in this order, duplicates kept.
 */
import { formatMatcher, allMatch, toMatchers } from "./label-matchers";
import { intervalContains } from "./time-intervals";
import { ROUTE_DEFAULTS } from "./model";
import type { AlertmanagerConfig, Labels, MatcherInput, Route } from "./model";
import type { Duration } from "../duration";

/** One matched leaf of the routing tree with its effective (inherited) options. */
export interface RouteMatch {
  /** e.g. `route > routes[0] (component="api") > routes[1] (severity="critical")` */
  readonly path: string;
  readonly receiver: string;
  /** `["..."]` when grouping by all labels. */
  readonly groupBy: readonly string[];
  readonly groupWait: Duration;
  readonly groupInterval: Duration;
  readonly repeatInterval: Duration;
  readonly muteTimeIntervals: readonly string[];
  readonly activeTimeIntervals: readonly string[];
  /** Only when evaluated at a time: true when this route sends nothing then. */
  readonly muted?: boolean;
  /** Why it is muted: `mute interval "nights"` or `outside active intervals "business-hours"`. */
  readonly mutedBy?: string;
}

function describeMatchers(matchers: readonly MatcherInput[] | undefined): string {
  if (!matchers || matchers.length === 0) return "";
  const text = matchers.flatMap((m) => {
    try {
      return toMatchers([m]).map(formatMatcher);
    } catch {
      return [String(m)];
    }
  });
  return ` (${text.join(", ")})`;
}

/** The path of a child route as used in every message: `parent > routes[i] (matchers)`. */
export function childPath(parentPath: string, index: number, child: Route): string {
  return `${parentPath} > routes[${index}]${describeMatchers(child.matchers)}`;
}

/** How validation messages name the root route of the routing tree. */
export const ROOT_PATH = "route";

interface Inherited {
  readonly receiver: string;
  readonly groupBy: readonly string[];
  readonly groupWait: Duration;
  readonly groupInterval: Duration;
  readonly repeatInterval: Duration;
}

function inherit(parent: Inherited, r: Route): Inherited {
  return {
    receiver: r.receiver && r.receiver !== "" ? r.receiver : parent.receiver,
    groupBy: r.groupBy ?? parent.groupBy,
    groupWait: r.groupWait ?? parent.groupWait,
    groupInterval: r.groupInterval ?? parent.groupInterval,
    repeatInterval: r.repeatInterval ?? parent.repeatInterval,
  };
}

/** Visits every route with its path, effective options and ancestors (root first). */
export function walkRoutes(
  root: Route,
  visit: (route: Route, path: string, effective: Inherited, ancestors: readonly Route[]) => void,
): void {
  const rec = (r: Route, path: string, parent: Inherited, ancestors: readonly Route[]) => {
    const eff = inherit(parent, r);
    visit(r, path, eff, ancestors);
    (r.routes ?? []).forEach((c, i) => rec(c, childPath(path, i, c), eff, [...ancestors, r]));
  };
  rec(root, ROOT_PATH, { receiver: "", groupBy: [], ...ROUTE_DEFAULTS }, []);
}

/** The matched routes for a label set, in Alertmanager's order; with `at`, each says whether it is muted then. */
export function matchRoutes(cfg: AlertmanagerConfig, labels: Labels, at?: Date): RouteMatch[] {
  const intervals = new Map((cfg.timeIntervals ?? []).map((t) => [t.name, t]));
  const inInterval = (name: string, when: Date) => {
    const ti = intervals.get(name);
    if (!ti) throw new Error(`unknown time interval "${name}"`);
    return intervalContains(ti, when);
  };
  const rec = (r: Route, path: string, parent: Inherited): RouteMatch[] | undefined => {
    if (!allMatch(r.matchers, labels)) return undefined;
    const eff = inherit(parent, r);
    const all: RouteMatch[] = [];
    const children = r.routes ?? [];
    for (let i = 0; i < children.length; i++) {
      const c = children[i]!;
      const m = rec(c, childPath(path, i, c), eff);
      if (m) all.push(...m);
      if (m && !c.continue) break;
    }
    if (all.length > 0) return all;
    const mute = r.muteTimeIntervals ?? [];
    const active = r.activeTimeIntervals ?? [];
    let muted: Pick<RouteMatch, "muted" | "mutedBy"> = {};
    if (at) {
      const by = mute.find((n) => inInterval(n, at));
      if (by !== undefined) muted = { muted: true, mutedBy: `mute interval "${by}"` };
      else if (active.length > 0 && !active.some((n) => inInterval(n, at))) {
        muted = { muted: true, mutedBy: `outside active intervals ${active.map((n) => `"${n}"`).join(", ")}` };
      } else muted = { muted: false };
    }
    return [{ path, ...eff, muteTimeIntervals: mute, activeTimeIntervals: active, ...muted }];
  };
  return rec(cfg.route, ROOT_PATH, { receiver: "", groupBy: [], ...ROUTE_DEFAULTS }) ?? [];
}

/**
 * Receivers for a label set in Alertmanager's order, duplicates kept — exactly what
 * `amtool config routes test` prints. With `at`, receivers whose route is muted at that time are left out, so the
 * answer is "who is notified then"; use `matchRoutes` for the muted ones and why.
 */
export function routeAlert(cfg: AlertmanagerConfig, labels: Labels, at?: Date): string[] {
  return matchRoutes(cfg, labels, at)
    .filter((m) => m.muted !== true)
    .map((m) => m.receiver);
}
