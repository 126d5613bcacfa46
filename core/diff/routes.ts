/**
 * The routing tree, route by route. A route's identity is its path of matchers from the root
 * (`route > component="api" > severity="critical"`), not its index, so inserting a sibling changes nothing else.
 * A route that left one parent and appears under another with the same matchers is reported as moved (its subtree
 * moves with it), and a changed order of siblings — which decides where an alert stops — is a change of the parent.
 */
import type { Change, FieldChange } from "./model";
import { matchersOf, matcherText } from "./alertmanager-read";
import { asArray, asObject, asRemoved, diffFields, display, type Json, type JsonObject } from "./values";

interface RouteInfo {
  readonly key: string;
  readonly parent: string | undefined;
  /** The route's own matchers as text (`(no matchers)` for a catch-all child, `route` for the root). */
  readonly self: string;
  readonly own: JsonObject;
  readonly children: readonly string[];
}

/** The route's own settings (children and matchers are its identity and structure). */
function ownFields(r: JsonObject): JsonObject {
  const { routes: _r, matchers: _m, match: _a, match_re: _b, ...rest } = r;
  return rest;
}

function collect(root: JsonObject | undefined): Map<string, RouteInfo> {
  const out = new Map<string, RouteInfo>();
  if (root === undefined) return out;
  const rec = (r: JsonObject, key: string, parent: string | undefined, self: string) => {
    const seen = new Map<string, number>();
    const children: string[] = [];
    for (const c of asArray(r.routes).map(asObject)) {
      const text = matcherText(matchersOf(c)) || "(no matchers)";
      const n = (seen.get(text) ?? 0) + 1;
      seen.set(text, n);
      const childKey = `${key} > ${text}${n > 1 ? ` #${n}` : ""}`;
      children.push(childKey);
      rec(c, childKey, key, text);
    }
    out.set(key, { key, parent, self, own: ownFields(r), children });
  };
  rec(root, "route", undefined, "route");
  return out;
}

const depth = (k: string) => k.split(" > ").length;

/** Pairs removed and added routes with the same matchers (and receiver, when that decides) as moves, top-down. */
function findMoves(a: Map<string, RouteInfo>, b: Map<string, RouteInfo>): Map<string, string> {
  const moves = new Map<string, string>();
  const remap = (k: string): string => {
    let best: string | undefined;
    for (const from of moves.keys()) if ((k === from || k.startsWith(`${from} > `)) && (best === undefined || from.length > best.length)) best = from;
    return best === undefined ? k : `${moves.get(best)!}${k.slice(best.length)}`;
  };
  for (;;) {
    const mapped = new Set([...a.keys()].map(remap));
    const removed = [...a.keys()].filter((k) => !b.has(remap(k))).sort((x, y) => depth(x) - depth(y) || (x < y ? -1 : 1));
    const added = [...b.keys()].filter((k) => !mapped.has(k));
    let found = false;
    for (const r of removed) {
      const ra = a.get(r)!;
      const same = added.filter((k) => b.get(k)!.self === ra.self);
      const withReceiver = same.filter((k) => b.get(k)!.own.receiver === ra.own.receiver);
      const pick = withReceiver.length === 1 ? withReceiver[0] : same.length === 1 ? same[0] : undefined;
      if (pick !== undefined) {
        moves.set(r, pick);
        found = true;
        break;
      }
    }
    if (!found) return new Map([...a.keys()].map((k) => [k, remap(k)]));
  }
}

function describeRoute(r: RouteInfo): FieldChange[] {
  return Object.keys(r.own)
    .sort()
    .map((k) => ({ field: k, new: display(r.own[k] as Json) }));
}

export function diffRoutes(rootA: JsonObject | undefined, rootB: JsonObject | undefined): Change[] {
  const a = collect(rootA);
  const b = collect(rootB);
  const toB = findMoves(a, b);
  const fromB = new Map([...toB].map(([k, v]) => [v, k]));
  const out: Change[] = [];
  for (const [key, rb] of b) {
    const origin = fromB.get(key);
    if (origin === undefined) {
      out.push({ kind: "added", id: key, fields: describeRoute(rb) });
      continue;
    }
    const ra = a.get(origin)!;
    const fields = diffFields(ra.own, rb.own);
    // Sibling order among the children both sides share.
    const mapped = ra.children.map((c) => toB.get(c)!);
    const common = rb.children.filter((c) => mapped.includes(c));
    const before = mapped.filter((c) => rb.children.includes(c));
    if (before.join("\n") !== common.join("\n")) {
      const short = (ks: string[]) => ks.map((k) => k.slice(key.length + 3));
      fields.push({ field: "routes order", old: display(short(before)), new: display(short(common)) });
    }
    const movedHere = ra.parent !== undefined && rb.parent !== undefined && toB.get(ra.parent) !== rb.parent;
    if (movedHere) out.push({ kind: "moved", id: key, fields: [{ field: "parent", old: ra.parent!, new: rb.parent! }, ...fields] });
    else if (fields.length > 0) out.push({ kind: "changed", id: key, fields });
  }
  for (const [key, ra] of a) {
    if (!b.has(toB.get(key)!)) out.push(asRemoved({ kind: "removed", id: key, fields: describeRoute(ra) }));
  }
  return out.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}
