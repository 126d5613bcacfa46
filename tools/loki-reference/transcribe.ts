/**
 * Transcribes Loki's configuration reference (`docs/sources/shared/configuration.md` of a Loki release) into the
 * key/type/default table of core/loki/reference.ts. Only facts are taken: key names, the type in `<…>` and the
 * `default = …` text; no prose. Nested keys come from the indentation of the reference's YAML blocks, referenced
 * blocks (`[ruler: <ruler>]`) by name. Run: `npx tsx tools/loki-reference/transcribe.ts <configuration.md> <tag>`.
 * Nothing at run time reads the reference: the table is committed, and the schema check (core/loki/schema.ts)
 * reads only it.
 */
import { readFileSync, writeFileSync } from "node:fs";

interface Node { type: string; default?: string; keys?: Record<string, Node>; ref?: string }

const [file, tag] = process.argv.slice(2);
if (!file || !tag) throw new Error("usage: transcribe.ts <configuration.md> <tag>");
const text = readFileSync(file, "utf8");

/** Every `### name` section's first yaml fence; the top level is the "Supported contents" section. */
const blocks = new Map<string, string[]>();
const sections = text.split(/^### /m).slice(1);
for (const s of sections) {
  const title = s.slice(0, s.indexOf("\n")).trim();
  const fence = /^```yaml\n([\s\S]*?)^```/m.exec(s);
  if (!fence) continue;
  const name = title.startsWith("Supported contents") ? "(top)" : title;
  blocks.set(name, fence[1]!.split("\n"));
}

function parseBlock(lines: string[]): Record<string, Node> {
  const root: Record<string, Node> = {};
  const stack: { indent: number; keys: Record<string, Node> }[] = [{ indent: -1, keys: root }];
  for (const raw of lines) {
    if (raw.trim() === "" || raw.trim().startsWith("#")) continue;
    const indent = raw.length - raw.trimStart().length;
    const line = raw.trim();
    while (stack.length > 1 && indent <= stack[stack.length - 1]!.indent) stack.pop();
    const into = stack[stack.length - 1]!.keys;
    let m = /^\[([A-Za-z0-9_.-]+): <([^>]+)>(?: \| default = (.*))?\]$/.exec(line);
    if (m) {
      const [, key, type, def] = m;
      const node: Node = { type: type! };
      if (def !== undefined) node.default = def;
      if (blocks.has(type!) && type !== "(top)") node.ref = type!;
      const list = /^list of (.+?)s?$/.exec(type!);
      if (list) {
        const singular = list[1]!.replace(/s$/, "");
        for (const cand of [list[1]!, singular, `${singular}s`]) if (blocks.has(cand)) node.ref = cand;
      }
      into[key!] = node;
      continue;
    }
    m = /^([A-Za-z0-9_.-]+):$/.exec(line);
    if (m) {
      const node: Node = { type: "object", keys: {} };
      into[m[1]!] = node;
      stack.push({ indent, keys: node.keys! });
      continue;
    }
    // Lines the table does not need (list examples such as `- <string>`), kept out on purpose.
  }
  return root;
}

const out: Record<string, Record<string, Node>> = {};
for (const [name, lines] of blocks) out[name] = parseBlock(lines);

const header = `/**
 * Loki's configuration keys, types and defaults, transcribed by tools/loki-reference/transcribe.ts from the
 * configuration reference of Loki ${tag} (\`docs/sources/shared/configuration.md\`): one entry per block of the
 * reference (\`(top)\` is the top level), each key with its type as the reference writes it (\`<duration>\`, \`<int>\`,
 * \`<boolean>\`, a block name) and its default text. Facts only; generated, do not edit.
 */
/* eslint-disable */
export interface ReferenceKey { readonly type: string; readonly default?: string; readonly keys?: Readonly<Record<string, ReferenceKey>>; readonly ref?: string }
export const LOKI_REFERENCE_VERSION = ${JSON.stringify(tag)};
export const LOKI_REFERENCE: Readonly<Record<string, Readonly<Record<string, ReferenceKey>>>> = `;
writeFileSync("core/loki/reference.ts", `${header}${JSON.stringify(out, null, 0).replace(/\},"/g, '},\n"')};\n`);
console.log(`${blocks.size} blocks, ${Object.values(out).reduce((n, b) => n + Object.keys(b).length, 0)} top keys`);
