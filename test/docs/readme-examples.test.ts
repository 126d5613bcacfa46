/**
 * The README's examples are programs a user would paste: every ```ts block that imports "moncode" is extracted,
 * pointed at this checkout (`moncode` → lib.ts, `moncode/testing` → testing.ts) and run offline through
 * `moncode/testing`, with the secrets it reads set as config secrets. It must declare its resources without an error.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { formatIssue } from "../../core/validation";
import { runOffline } from "../../testing";
import { readmeExamples } from "../helpers/readme";

const ROOT = join(__dirname, "..", "..");
const DIR = join(ROOT, "test", ".readme-examples");
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

/** A statement (not a comment) that declares the whole stack. */
const DECLARES = /^\s*(?:(?:const|let) \w+ = )?new MonitoringStack\(/m;

const examples = readmeExamples(readFileSync(join(ROOT, "README.md"), "utf8"));

describe("README examples", () => {
  it("there are examples to run (a README without them would pass vacuously)", () => {
    expect(examples.length).toBeGreaterThanOrEqual(1);
    expect(examples.filter((e) => DECLARES.test(e.code)).length).toBeGreaterThanOrEqual(1);
  });

  it.each(examples.map((e) => [e.name, e] as const))("%s runs offline (and declares its stack if it builds one)", async (_name, e) => {
    mkdirSync(DIR, { recursive: true });
    const file = join(DIR, `${e.name.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}.ts`);
    writeFileSync(file, e.code.replace(/from "moncode\/testing"/g, `from ${JSON.stringify(join(ROOT, "testing"))}`).replace(/from "moncode"/g, `from ${JSON.stringify(join(ROOT, "lib"))}`));
    const keys = [...new Set([...e.code.matchAll(/require(?:Secret)?\("([A-Za-z0-9]+)"\)/g)].map((m) => m[1]!))];
    const run = await runOffline(() => import(file), {
      project: "readme",
      config: Object.fromEntries(keys.map((k) => [`readme:${k}`, `example-${k}`])),
      secretKeys: keys.map((k) => `readme:${k}`),
    });
    expect(run.error).toBeUndefined();
    // A fragment that declares no stack (it builds content for one) must still run; one that does must declare it.
    if (!DECLARES.test(e.code)) return;
    // What a user copies must be clean: no warning either.
    expect(run.warnings.map(formatIssue)).toEqual([]);
    expect(run.resources.filter((r) => r.custom).length).toBeGreaterThan(3);
    expect(run.files.some((f) => f.path === "prometheus/prometheus.yml")).toBe(true);
  });
});
