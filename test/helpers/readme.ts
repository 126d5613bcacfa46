/**
 * The README's runnable examples: every ```ts block that imports "moncode" (or "moncode/testing"), named after the
 * heading it stands under. Other languages' blocks are skipped whole (their `#` lines are comments, not headings).
 */
export function readmeExamples(markdown: string): { name: string; code: string }[] {
  const out: { name: string; code: string }[] = [];
  let heading = "README";
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.startsWith("```") && l.trim() !== "```ts") {
      // Another language's block: its `#` lines are comments, not headings.
      for (i++; i < lines.length && lines[i]!.trim() !== "```"; i++);
      continue;
    }
    if (l.startsWith("#")) heading = l.replace(/^#+\s*/, "");
    if (l.trim() !== "```ts") continue;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i]!.trim() !== "```"; i++) body.push(lines[i]!);
    const code = body.join("\n");
    if (/from "moncode(\/testing)?"/.test(code)) out.push({ name: `${heading} #${out.filter((e) => e.name.startsWith(heading)).length + 1}`, code });
  }
  return out;
}

