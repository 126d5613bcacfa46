import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { check } from "../../cli/check";
import { runTool } from "../../cli/tools";
import { IMAGES, TELEMETRY_IMAGES, imageTag } from "../../components/images";

const ROOT = join(__dirname, "..", "..");
const tmp = mkdtempSync(join(tmpdir(), "moncode-check-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const release = (image: string) => imageTag(image).replace(/^v/, "");

describe.each(["dev", "prod"])("check --stack %s with the Go-built promtool and amtool", (stack) => {
  it("passes promtool check config (in full)/rules/test rules, amtool check-config and every routing test, and names the versions it ran", async () => {
    const c = await check({ stack, projectDir: ROOT, outDir: join(tmp, "out"), requireTools: true });
    expect(c.missingTools).toEqual([]);
    expect(c.skipped).toEqual([]);
    const failed = c.runs.filter((r) => !r.ok).map((r) => `${r.command}\n${r.output}`);
    expect(failed).toEqual([]);
    const commands = c.runs.map((r) => r.command.split(" ").slice(0, 3).join(" "));
    expect(commands).toEqual(expect.arrayContaining(["promtool check config", "promtool check rules", "promtool test rules", `amtool check-config ${join(c.synth.dir, "alertmanager/alertmanager.yml")}`]));
    // No syntax-only fallback: the whole config, Kubernetes discovery included, is checked.
    expect(c.runs.some((r) => r.command.includes("--syntax-only"))).toBe(false);
    expect(c.runs.filter((r) => r.command.startsWith("amtool config routes test")).length).toBeGreaterThanOrEqual(5);
    expect(c.tools.map((t) => [t.name, t.version.split(" ").slice(0, 3).join(" ")])).toEqual([
      ["promtool", `promtool, version ${release(IMAGES.prometheus)}`],
      ["amtool", `amtool, version ${release(IMAGES.alertmanager)}`],
      // Logs and traces are on: the collector's and Jaeger's own validate run on their rendered configs.
      ["otelcol-contrib", `otelcol-contrib version ${release(TELEMETRY_IMAGES.otelCollector)}`],
      ["jaeger", `jaeger version v${release(TELEMETRY_IMAGES.jaeger)}`],
    ]);
    expect(commands).toEqual(expect.arrayContaining(["otelcol-contrib validate --config=" + join(c.synth.dir, "otelcol/config.yaml"), "jaeger validate --config=" + join(c.synth.dir, "jaeger/config.yaml")]));
    expect(c.ok).toBe(true);
  });
});

describe("check without the tools", () => {
  const saved = process.env.MONCODE_TOOLS_BIN;
  afterEach(() => {
    if (saved === undefined) delete process.env.MONCODE_TOOLS_BIN;
    else process.env.MONCODE_TOOLS_BIN = saved;
  });
  it("passes its own validation, names every skipped tool check, and fails them under requireTools", async () => {
    process.env.MONCODE_TOOLS_BIN = mkdtempSync(join(tmp, "empty-bin-"));
    const lenient = await check({ stack: "dev", projectDir: ROOT, outDir: join(tmp, "out-missing") });
    expect(lenient.ok).toBe(true);
    expect(lenient.runs).toEqual([]);
    expect(lenient.missingTools).toEqual(["promtool", "amtool"]);
    expect(lenient.skipped).toEqual([
      "promtool check config, promtool check rules, promtool test rules",
      "amtool check-config, amtool config routes test (every routing test)",
      // Optional: named, but not a failure under requireTools.
      "otelcol-contrib validate (otelcol/config.yaml; optional: npm run -s tools -- --for test builds it)",
      "jaeger validate (jaeger/config.yaml; optional: npm run -s tools -- --for test builds it)",
    ]);
    const strict = await check({ stack: "dev", projectDir: ROOT, outDir: join(tmp, "out-missing"), requireTools: true });
    expect(strict.ok).toBe(false);
  });
});

describe("the tools are real", () => {
  it("promtool rejects what our renderer never writes (proves the check can fail)", () => {
    const bad = join(tmp, "bad.yml");
    writeFileSync(bad, "global:\n  scrape_interval: 15s\n  scrape_timeout: 20s\n");
    const r = runTool("promtool", ["check", "config", bad]);
    expect(r.ok).toBe(false);
    expect(r.output).toMatch(/scrape timeout greater than scrape interval/i);
  });
  it("promtool understands Kubernetes discovery (a misspelt role is rejected, a valid one accepted)", () => {
    const good = join(tmp, "k8s-good.yml");
    writeFileSync(good, "scrape_configs:\n  - job_name: pods\n    kubernetes_sd_configs:\n      - role: pod\n");
    expect(runTool("promtool", ["check", "config", good]).ok).toBe(true);
    const bad = join(tmp, "k8s-bad.yml");
    writeFileSync(bad, "scrape_configs:\n  - job_name: pods\n    kubernetes_sd_configs:\n      - role: pods\n");
    const r = runTool("promtool", ["check", "config", bad]);
    expect(r.ok).toBe(false);
    expect(r.output).toMatch(/unknown Kubernetes SD role "pods"/);
  });
});
