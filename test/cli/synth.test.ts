import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, cpSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { synth, type SynthResult } from "../../cli/synth";
import { loadStackFile } from "../../cli/stack-file";
import { expectGolden } from "../helpers/golden";

const ROOT = join(__dirname, "..", "..");
const GOLDEN = join(ROOT, "test", "golden", "dev");
const tmp = mkdtempSync(join(tmpdir(), "moncode-synth-"));
let dev: SynthResult;

beforeAll(async () => {
  dev = await synth({ stack: "dev", projectDir: ROOT, outDir: join(tmp, "out") });
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Small golden files per rendered artifact; dashboards have their own goldens (test/golden/dashboards). */
const GOLDEN_FILES = [
  "prometheus/prometheus.yml",
  "alertmanager/alertmanager.yml",
  "alertmanager/route-tests.json",
  "blackbox/blackbox.yml",
  "grafana/provisioning/datasources/datasources.yml",
  "grafana/provisioning/dashboards/dashboards.yml",
  "loki/loki.yaml",
  "loki/rules/fake/service-logs.yml",
  "jaeger/config.yaml",
  "otelcol/config.yaml",
];

describe("synth --stack dev", () => {
  it("writes the documented layout", () => {
    const dir = join(tmp, "out", "dev");
    const list = (d: string): string[] => readdirSync(join(dir, d));
    expect(existsSync(join(dir, "prometheus/prometheus.yml"))).toBe(true);
    expect(list("prometheus/rules").length).toBeGreaterThanOrEqual(8);
    expect(list("prometheus/tests").every((f) => f.endsWith(".test.yml"))).toBe(true);
    // The dev stack gets the shipped SLOs: one rule file each, with its tests, and the SLO dashboard.
    expect(list("prometheus/rules")).toEqual(expect.arrayContaining(["slo-api-availability.yml", "slo-api-latency.yml", "slo-api-errors.yml"]));
    expect(list("prometheus/tests")).toEqual(expect.arrayContaining(["slo-api-errors-5m.test.yml", "slo-api-errors-10m.test.yml"]));
    expect(existsSync(join(dir, "grafana/dashboards/services/moncode-slo.json"))).toBe(true);
    expect(existsSync(join(dir, "alertmanager/alertmanager.yml"))).toBe(true);
    expect(existsSync(join(dir, "alertmanager/route-tests.json"))).toBe(true);
    expect(existsSync(join(dir, "grafana/provisioning/datasources/datasources.yml"))).toBe(true);
    expect(existsSync(join(dir, "grafana/provisioning/dashboards/dashboards.yml"))).toBe(true);
    expect(list("grafana/dashboards").sort()).toEqual(["infrastructure", "kpis", "monitoring", "services"]);
    expect(existsSync(join(dir, "blackbox/blackbox.yml"))).toBe(true);
    expect(existsSync(join(dir, "resources.json"))).toBe(true);
    // Logs and traces are on by default: Loki's config and ruler files, Jaeger's and the collector's configs.
    expect(list("loki/rules/fake")).toEqual(["service-logs.yml"]);
    expect(existsSync(join(dir, "jaeger/config.yaml"))).toBe(true);
    expect(existsSync(join(dir, "otelcol/config.yaml"))).toBe(true);
    expect(existsSync(join(dir, "grafana/dashboards/services/moncode-logs.json"))).toBe(true);
    expect(existsSync(join(dir, "grafana/dashboards/services/moncode-traces.json"))).toBe(true);
  });

  it.each(GOLDEN_FILES)("%s matches its golden file", (path) => {
    const actual = readFileSync(join(tmp, "out", "dev", path), "utf8");
    expectGolden(join(GOLDEN, path), actual);
  });

  it("is byte-identical when synthesized again", async () => {
    const again = await synth({ stack: "dev", projectDir: ROOT, write: false });
    expect(again.files.map((f) => [f.path, f.content])).toEqual(dev.files.map((f) => [f.path, f.content]));
  });

  it("records every resource with its parent, and masks secrets in resources.json", () => {
    const resources = JSON.parse(readFileSync(join(tmp, "out", "dev", "resources.json"), "utf8")) as { type: string; name: string; parent: string | null; inputs: Record<string, unknown> }[];
    const containers = resources.filter((r) => r.type === "docker:index/container:Container").map((r) => r.name).sort();
    expect(containers).toEqual(
      [
        "alerting-alertmanager",
        "collector-otel-collector",
        "exporters-blackbox-exporter",
        "exporters-cadvisor",
        "exporters-node-exporter",
        "exporters-postgres-exporter-app",
        "exporters-postgres-exporter-app-secrets",
        "exporters-pushgateway",
        "exporters-redis-exporter-cache",
        "grafana-grafana",
        "grafana-grafana-secrets",
        "logs-loki",
        "prometheus-prometheus",
        "traces-jaeger",
      ].map((n) => `dev-${n}`),
    );
    expect(resources.find((r) => r.name === "dev-prometheus-prometheus")?.parent).toBe("dev-prometheus");
    expect(resources.find((r) => r.name === "dev-prometheus")?.parent).toBe("dev");
    expect(resources.filter((r) => r.type === "docker:index/network:Network")).toHaveLength(1);
    const text = readFileSync(join(tmp, "out", "dev", "resources.json"), "utf8");
    // Placeholders of secrets never reach the file, nor generated passwords.
    expect(text).not.toContain("[secret moncode:");
    expect(text).not.toContain("[generated ");
    const grafana = resources.find((r) => r.name === "dev-grafana-grafana");
    const uploads = grafana?.inputs.uploads as { file: string; content: unknown }[];
    expect(uploads.find((u) => u.file === "/etc/grafana/provisioning/datasources/datasources.yml")?.content).toMatchObject({ sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(uploads.some((u) => u.file.startsWith("/run/secrets/"))).toBe(false);
    const sidecar = resources.find((r) => r.name === "dev-grafana-grafana-secrets");
    const secretUploads = sidecar?.inputs.uploads as { file: string; content: unknown }[];
    expect(secretUploads.find((u) => u.file === "/secrets/admin-password")?.content).toBe("[secret]");
  });

  it("uploads exactly the rendered text into the containers", () => {
    const prom = dev.resources.find((r) => r.name === "dev-prometheus-prometheus");
    const uploaded = (prom?.rawInputs.uploads as { file: string; content: string }[]).find((u) => u.file === "/etc/prometheus/prometheus.yml");
    expect(uploaded?.content).toBe(dev.files.find((f) => f.path === "prometheus/prometheus.yml")?.content);
  });

  it("reports secrets the stack file does not hold instead of failing", () => {
    expect(dev.unsetSecrets).toEqual(["postgresPassword"]);
  });
});

describe("synth with bad stack config", () => {
  function project(mutate: (text: string) => string): string {
    const dir = mkdtempSync(join(tmp, "proj-"));
    cpSync(join(ROOT, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
    writeFileSync(join(dir, "Pulumi.dev.yaml"), mutate(readFileSync(join(ROOT, "Pulumi.dev.yaml"), "utf8")));
    return dir;
  }

  it.each([
    ["a bad duration", (t: string) => t.replace("retentionTime: 2d", "retentionTime: 2 days"), "prometheus.retentionTime"],
    ["an unknown field", (t: string) => t.replace("    environment: dev", "    environment: dev\n    colour: blue"), "colour"],
    ["a scrape timeout over the interval", (t: string) => t.replace("scrapeInterval: 10s", "scrapeInterval: 10s\n        scrapeTimeout: 20s"), 'scrape job "api": scrape_timeout 20s exceeds scrape_interval 10s'],
    ["an unknown blackbox module", (t: string) => t.replace("module: http_2xx", "module: http_200"), 'probe "api-health": module "http_200" is not a blackbox module'],
    ["an override of an alert no pack defines", (t: string) => t.replace("      kpis: seed", "      kpis: seed\n      overrides:\n        HttpErrorRateHgh: { for: 10m }"), 'alert override "HttpErrorRateHgh"'],
    ["an SLO objective of 100%", (t: string) => t.replace("      kpis: seed", "      kpis: seed\n      slos:\n        overrides:\n          api-errors: { objective: 100 }"), 'SLO "api-errors": objective must be a percentage above 0 and below 100, got 100'],
    ["an SLO objective of 0%", (t: string) => t.replace("      kpis: seed", "      kpis: seed\n      slos:\n        overrides:\n          api-availability: { objective: 0 }"), 'SLO "api-availability": objective must be a percentage above 0 and below 100, got 0'],
    ["an SLO window shorter than the longest alert window", (t: string) => t.replace("      kpis: seed", "      kpis: seed\n      slos:\n        overrides:\n          api-latency: { window: 1d }"), 'SLO "api-latency": window "1d" is shorter than the longest alert window (3d)'],
    ["a latency threshold that is not a bucket boundary", (t: string) => t.replace("      kpis: seed", "      kpis: seed\n      slos:\n        overrides:\n          api-latency: { threshold: 0.15 }"), 'SLO "api-latency": sli.threshold 0.15s is not a bucket boundary'],
    ["a threshold on an SLO that is not about latency", (t: string) => t.replace("      kpis: seed", "      kpis: seed\n      slos:\n        overrides:\n          api-errors: { threshold: 0.1 }"), 'SLO override "api-errors": threshold applies to the latency SLO'],
  ])("fails on %s, names it, and writes nothing", async (_name, mutate, message) => {
    const dir = project(mutate);
    await expect(synth({ stack: "dev", projectDir: dir })).rejects.toThrow(message);
    expect(existsSync(join(dir, "out"))).toBe(false);
  });

  it("keeps the previous output when a later synth fails", async () => {
    const dir = project((t) => t);
    await synth({ stack: "dev", projectDir: dir });
    const before = readFileSync(join(dir, "out", "dev", "prometheus", "prometheus.yml"), "utf8");
    writeFileSync(join(dir, "Pulumi.dev.yaml"), readFileSync(join(dir, "Pulumi.dev.yaml"), "utf8").replace("retentionTime: 2d", "retentionTime: 0s"));
    await expect(synth({ stack: "dev", projectDir: dir })).rejects.toThrow("storage: retention_time must be greater than 0");
    expect(readFileSync(join(dir, "out", "dev", "prometheus", "prometheus.yml"), "utf8")).toBe(before);
    expect(readdirSync(join(dir, "out"))).toEqual(["dev"]);
  });
});

describe("stack files", () => {
  it("turns secure values into placeholders without decrypting them", () => {
    const dir = mkdtempSync(join(tmp, "sec-"));
    cpSync(join(ROOT, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
    writeFileSync(join(dir, "Pulumi.x.yaml"), "config:\n  moncode:token:\n    secure: v1:abc:def\n  plain: 1\n");
    const f = loadStackFile(dir, "x");
    expect(f.config).toEqual({ "moncode:token": "[secret moncode:token]", "moncode:plain": "1" });
    expect(f.secretKeys).toEqual(["moncode:token"]);
  });
});
