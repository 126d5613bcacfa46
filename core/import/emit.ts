/**
 * Readable TypeScript from data: object literals with unquoted keys where TypeScript allows, short values on one
 * line, long ones broken at each element, multi-line strings (PromQL with comments, descriptions) as template
 * literals so they read as they did in YAML. Deterministic: the same value always prints the same text.
 */

/** Code that is emitted as is (an enum member, a function call), not as a string literal. */
export class Code {
  constructor(readonly text: string) {}
}

export const code = (text: string): Code => new Code(text);

/** A call `callee(args…)`, laid out like any other value (arguments broken onto lines when long). */
export class Call {
  constructor(readonly callee: string, readonly args: readonly unknown[]) {}
}

const IDENT_RE = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const RESERVED = new Set(["__proto__"]);
const WIDTH = 110;

export function propertyKey(k: string): string {
  return IDENT_RE.test(k) && !RESERVED.has(k) ? k : JSON.stringify(k);
}

/** A string as a TypeScript literal: a template literal when it spans lines, else a double-quoted string. */
export function stringLiteral(s: string): string {
  if (s.includes("\n") && s.length > 20 && !/[\u2028\u2029\r]/.test(s)) {
    return "`" + s.replace(/\\/g, "\\\\").replace(/`/g, "\\`").replace(/\$\{/g, "\\${") + "`";
  }
  return JSON.stringify(s);
}

function inline(v: unknown): string | undefined {
  if (v instanceof Code) return v.text;
  if (v instanceof Call) {
    const parts = v.args.map(inline);
    return parts.every((p) => p !== undefined && !p.includes("\n")) ? `${v.callee}(${parts.join(", ")})` : undefined;
  }
  if (v === null) return "null";
  if (typeof v === "string") return stringLiteral(v);
  if (typeof v === "number" || typeof v === "boolean") return Number.isNaN(v) ? "Number.NaN" : String(v);
  if (Array.isArray(v)) {
    const parts = v.map(inline);
    return parts.every((p) => p !== undefined && !p.includes("\n")) ? `[${parts.join(", ")}]` : undefined;
  }
  if (typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    if (entries.length === 0) return "{}";
    const parts = entries.map(([k, x]) => {
      const t = inline(x);
      return t === undefined ? undefined : `${propertyKey(k)}: ${t}`;
    });
    return parts.every((p) => p !== undefined && !p.includes("\n")) ? `{ ${parts.join(", ")} }` : undefined;
  }
  return undefined;
}

/** The value as TypeScript source, indented for a position `indent` deep. */
export function tsValue(v: unknown, indent = ""): string {
  const one = inline(v);
  if (one !== undefined && one.length + indent.length <= WIDTH) return one;
  const inner = `${indent}  `;
  if (v instanceof Call) return `${v.callee}(\n${v.args.map((x) => `${inner}${tsValue(x, inner)},`).join("\n")}\n${indent})`;
  if (v instanceof Code || v === null || typeof v !== "object") return one ?? String(v);
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    return `[\n${v.map((x) => `${inner}${tsValue(x, inner)},`).join("\n")}\n${indent}]`;
  }
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
  if (entries.length === 0) return "{}";
  return `{\n${entries.map(([k, x]) => `${inner}${propertyKey(k)}: ${tsValue(x, inner)},`).join("\n")}\n${indent}}`;
}

/** A camelCase identifier from a name (`alertmanager-main-rules` → `alertmanagerMainRules`), never a reserved word. */
export function identifier(name: string, fallback = "imported"): string {
  const words = name.replace(/\.[a-z]+$/i, "").split(/[^A-Za-z0-9]+/).filter((w) => w !== "");
  let id = words.map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1))).join("");
  if (id === "") id = fallback;
  if (/^[0-9]/.test(id)) id = `_${id}`;
  return JS_RESERVED.has(id) ? `${id}_` : id;
}

const JS_RESERVED = new Set([
  "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else", "enum", "export",
  "extends", "false", "finally", "for", "function", "if", "import", "in", "instanceof", "new", "null", "return", "super",
  "switch", "this", "throw", "true", "try", "typeof", "var", "void", "while", "with", "yield", "let", "static", "await",
]);

/** Names made unique within one module (`x`, `x2`, `x3`…). */
export class Names {
  private readonly used = new Set<string>();
  take(base: string): string {
    let name = base;
    for (let i = 2; this.used.has(name); i++) name = `${base}${i}`;
    this.used.add(name);
    return name;
  }
}

/** kebab-case file stem: `alertmanager-prometheusRule.yaml` → `alertmanager-prometheus-rule`. */
export function kebab(name: string): string {
  const k = name
    .replace(/\.[a-z0-9]+$/i, "")
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return k === "" ? "imported" : k;
}
