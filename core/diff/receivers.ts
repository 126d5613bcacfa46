/**
 * Receivers, inhibition rules, time intervals and Alertmanager's global settings. Receivers compare integration by
 * integration (`email_configs[0].to`); a credential is never shown: inline secret fields read `[secret]` (and
 * `[secret, changed]` when they differ), `*_file` fields show the path, which names the secret and not its value.
 * A receiver removed while one with identical integrations appears under another name is reported as renamed.
 */
import type { Change } from "./model";
import { matchersOf, matcherText, type ReadAlertmanager } from "./alertmanager-read";
import { looksLikeSecret } from "../alertmanager/secrets";
import { asArray, asObject, asRemoved, asString, diffFields, diffKeyed, isObject, sameValue, uniqueKeys, type Json, type JsonObject } from "./values";

/** Fields that hold a credential when set inline (the stack renders `*_file` instead; user dirs may not). */
const SECRET_FIELD = /(password|secret|token|credentials|api_key|routing_key|service_key|api_url|webhook_url|^url)$/i;

/** Objects whose every value is a credential (Grafana's encrypted datasource settings). */
const SECRET_OBJECTS = new Set(["secureJsonData"]);

function isSecretField(key: string): boolean {
  return SECRET_OBJECTS.has(key) || (SECRET_FIELD.test(key) && !key.endsWith("_file"));
}

/**
 * Both sides with secrets replaced by markers, `changed` on the second side where the values differ. `plainUrl`: a
 * `url` field is an address, shown unless it looks like it carries a credential (Grafana datasources; a receiver's
 * webhook URL often is the credential, so it stays masked there).
 */
export function maskSecrets(a: Json | undefined, b: Json | undefined, opts: { readonly plainUrl?: boolean } = {}): [Json | undefined, Json | undefined] {
  const isSecret = (k: string, x: Json | undefined, y: Json | undefined): boolean => {
    if (!isSecretField(k)) return false;
    if (opts.plainUrl && k.toLowerCase() === "url") return [x, y].some((v) => typeof v === "string" && looksLikeSecret(v) !== undefined);
    return true;
  };
  const rec = (x: Json | undefined, y: Json | undefined): [Json | undefined, Json | undefined] => {
    if (Array.isArray(x) || Array.isArray(y)) {
      const xs = asArray(x);
      const ys = asArray(y);
      const n = Math.max(xs.length, ys.length);
      const pairs = Array.from({ length: n }, (_, i) => rec(xs[i], ys[i]));
      return [x === undefined ? undefined : pairs.slice(0, xs.length).map((p) => p[0]!), y === undefined ? undefined : pairs.slice(0, ys.length).map((p) => p[1]!)];
    }
    if (isObject(x) || isObject(y)) {
      const xo = asObject(x);
      const yo = asObject(y);
      const ox: Record<string, Json> = {};
      const oy: Record<string, Json> = {};
      for (const k of new Set([...Object.keys(xo), ...Object.keys(yo)])) {
        if (isSecretField(k) && SECRET_OBJECTS.has(k)) {
          const [p, q] = maskAll(xo[k], yo[k]);
          if (p !== undefined) ox[k] = p;
          if (q !== undefined) oy[k] = q;
          continue;
        }
        if (isSecret(k, xo[k], yo[k])) {
          if (k in xo) ox[k] = "[secret]";
          if (k in yo) oy[k] = k in xo && !sameValue(xo[k], yo[k]) ? "[secret, changed]" : "[secret]";
          continue;
        }
        const [p, q] = rec(xo[k], yo[k]);
        if (p !== undefined) ox[k] = p;
        if (q !== undefined) oy[k] = q;
      }
      return [x === undefined ? undefined : ox, y === undefined ? undefined : oy];
    }
    return [x, y];
  };
  return rec(a, b);
}

/** Every key of an all-secret object masked, keys kept. */
function maskAll(x: Json | undefined, y: Json | undefined): [Json | undefined, Json | undefined] {
  const xo = asObject(x);
  const yo = asObject(y);
  const mx = Object.fromEntries(Object.keys(xo).map((k) => [k, "[secret]"]));
  const my = Object.fromEntries(Object.keys(yo).map((k) => [k, k in xo && !sameValue(xo[k], yo[k]) ? "[secret, changed]" : "[secret]"]));
  return [x === undefined ? undefined : mx, y === undefined ? undefined : my];
}

const byName = (list: unknown): Map<string, JsonObject> => new Map(asArray(list).map((r) => [asString(asObject(r).name) ?? "", asObject(r)]));

/** Integration kinds of a receiver with how many of each (`email_configs ×1, slack_configs ×1`). */
function integrations(r: JsonObject): string {
  const kinds = Object.keys(r).filter((k) => k.endsWith("_configs")).sort();
  return kinds.length === 0 ? "(none: drops notifications)" : kinds.map((k) => `${k} ×${asArray(r[k]).length}`).join(", ");
}

export function diffReceivers(a: ReadAlertmanager | undefined, b: ReadAlertmanager | undefined): Change[] {
  const ra = byName(a?.raw.receivers);
  const rb = byName(b?.raw.receivers);
  const body = (r: JsonObject) => {
    const { name: _n, ...rest } = r;
    return rest;
  };
  const changes = diffKeyed(
    ra,
    rb,
    (x, y) => diffFields(...maskSecrets(body(x), body(y))),
    (r) => [{ field: "integrations", new: integrations(r) }],
  ).map(asRemoved);
  // A removed and an added receiver with the same integrations: one receiver renamed.
  const removed = changes.filter((c) => c.kind === "removed");
  const added = changes.filter((c) => c.kind === "added");
  const renamed = new Map<string, string>();
  for (const r of removed) {
    const same = added.filter((n) => !renamed.has(n.id) && sameValue(body(ra.get(r.id)!), body(rb.get(n.id)!)));
    if (same.length === 1) renamed.set(same[0]!.id, r.id);
  }
  const renamedFrom = new Set(renamed.values());
  const out: Change[] = changes.filter((c) => !(c.kind === "removed" && renamedFrom.has(c.id)) && !(c.kind === "added" && renamed.has(c.id)));
  for (const [to, from] of renamed) out.push({ kind: "renamed", id: to, fields: [{ field: "name", old: from, new: to }] });
  // Global settings (SMTP relay, resolve timeout, templates) as one item.
  // An absent block is no field, so a side without the Alertmanager adds no empty `global` or `templates`.
  const globals = (x: ReadAlertmanager | undefined): JsonObject | undefined =>
    x ? Object.fromEntries((["global", "templates"] as const).flatMap((k) => (x.raw[k] !== undefined ? [[k, x.raw[k]]] : []))) : undefined;
  const g = diffFields(...maskSecrets(globals(a), globals(b)));
  if (g.length > 0) out.push({ kind: "changed", id: "(global settings)", fields: g });
  return out.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}

function inhibitKey(r: JsonObject): string {
  return `${matcherText(matchersOf(r, "source_")) || "(any)"} ⟹ ${matcherText(matchersOf(r, "target_")) || "(any)"}`;
}

export function diffInhibition(a: ReadAlertmanager | undefined, b: ReadAlertmanager | undefined): Change[] {
  const map = (x: ReadAlertmanager | undefined) => {
    const keyed = uniqueKeys(asArray(x?.raw.inhibit_rules).map(asObject), inhibitKey);
    return new Map([...keyed].map(([k, r]): [string, JsonObject] => [k, { equal: [...asArray(r.equal)].map(String).sort() }]));
  };
  return diffKeyed(map(a), map(b), (x, y) => diffFields(x, y), (r) => diffFields(undefined, r)).map(asRemoved);
}

export function diffTimeIntervals(a: ReadAlertmanager | undefined, b: ReadAlertmanager | undefined): Change[] {
  const all = (x: ReadAlertmanager | undefined) => [...asArray(x?.raw.time_intervals), ...asArray(x?.raw.mute_time_intervals)];
  const ta = byName(all(a));
  const tb = byName(all(b));
  const body = (t: JsonObject) => ({ time_intervals: t.time_intervals ?? [] });
  return diffKeyed(ta, tb, (x, y) => diffFields(body(x), body(y)), (t) => diffFields(undefined, body(t))).map(asRemoved);
}
