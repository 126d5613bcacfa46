/**
 * Every program the proofs run is the release the stack deploys: each built binary's Go build info (what the linker
 * recorded, not a version string the build injects) names the module version tools/programs.ts maps the pinned
 * image tag to; the wrappers pin the same; and the mapping from tags to module versions holds.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLUSTER_IMAGES, IMAGES, TELEMETRY_IMAGES, imageTag } from "../../components/images";
import { buildInfoProblems, parseBuildInfo, readBuildInfo } from "../../tools/build-info";
import { goModRequires, manifestModules, wrapperProblems } from "../../tools/build";
import { PROGRAMS, program, prometheusModuleVersion } from "../../tools/programs";
import { tool } from "../helpers/tools";

const SAMPLE = [
  "/x/bin/prometheus: go1.26.8",
  "\tpath\tgithub.com/prometheus/prometheus/cmd/prometheus",
  "\tmod\tgithub.com/prometheus/prometheus\tv0.316.0\th1:abc=",
  "\tdep\tgithub.com/Shopify/sarama\tv1.38.1",
  "\t=>\tgithub.com/Shopify/sarama\tv1.33.0\th1:def=",
  "\tbuild\t-tags=remove_all_sd,enable_kubernetes_sd",
  "\tbuild\tCGO_ENABLED=0",
  "",
].join("\n");

describe("build info", () => {
  it("reads the main package, the modules (replacements win) and the build settings", () => {
    const info = parseBuildInfo(SAMPLE);
    expect(info.goVersion).toBe("go1.26.8");
    expect(info.path).toBe("github.com/prometheus/prometheus/cmd/prometheus");
    expect([info.mainModule, info.mainVersion]).toEqual(["github.com/prometheus/prometheus", "v0.316.0"]);
    expect(info.deps.get("github.com/Shopify/sarama")).toBe("v1.33.0");
    expect(info.settings.get("-tags")).toBe("remove_all_sd,enable_kubernetes_sd");
  });

  it("names a binary built from another module version, another main package or with cgo", () => {
    const prom = PROGRAMS.find((p) => p.name === "prometheus")!;
    const wrong = parseBuildInfo(SAMPLE.replace("v0.316.0", "v0.305.0").replace("CGO_ENABLED=0", "CGO_ENABLED=1"));
    expect(buildInfoProblems({ ...prom, version: "v0.316.0" }, "prometheus", wrong)).toEqual([
      "prometheus: module github.com/prometheus/prometheus is v0.305.0 in the build info, the table pins v0.316.0",
      "prometheus: not a static build (CGO_ENABLED=1)",
    ]);
    expect(buildInfoProblems({ ...prom, version: "v0.316.0" }, "promtool", parseBuildInfo(SAMPLE))[0]).toMatch(/main package is github.com\/prometheus\/prometheus\/cmd\/prometheus, the table says .*cmd\/promtool/);
  });
});

describe("the pin table", () => {
  it("maps Prometheus v3.X.Y tags to module v0.3XX.Y", () => {
    expect(prometheusModuleVersion("v3.5.0")).toBe("v0.305.0");
    expect(prometheusModuleVersion("v3.16.2")).toBe("v0.316.2");
    expect(() => prometheusModuleVersion("v2.53.0")).toThrow(/not a Prometheus 3 release tag/);
  });

  it("has one row per program the proofs run, each for a pinned image, and uses the image tag where the module is versioned like it", () => {
    const pinned = new Set<string>([...Object.values(IMAGES), ...Object.values(TELEMETRY_IMAGES), ...Object.values(CLUSTER_IMAGES)]);
    const deployed = PROGRAMS.filter((p) => p.tool !== true);
    for (const p of deployed) expect(p.image !== undefined && pinned.has(p.image), `${p.name}: ${p.image} is not pinned in components/images.ts`).toBe(true);
    const sameAsTag = deployed.filter((p) => !["prometheus", "jaeger", "otelcol"].includes(p.name));
    for (const p of sameAsTag) expect(p.version, p.name).toBe(imageTag(p.image ?? ""));
    expect(PROGRAMS.find((p) => p.name === "otelcol")!.version).toBe(`v${imageTag(TELEMETRY_IMAGES.otelCollector)}`);
    expect(PROGRAMS.map((p) => p.name)).toEqual([
      "prometheus",
      "alertmanager",
      "node_exporter",
      "blackbox_exporter",
      "pushgateway",
      "postgres_exporter",
      "redis_exporter",
      "jaeger",
      "otelcol",
      "actionlint",
      "sloth",
      "pulumi",
      "pulumi-language-nodejs",
      "pulumi-resource-kubernetes",
      "kube-apiserver",
      "etcd",
    ]);
  });

  it("has the cluster proof's programs with no image, used only by it: the engine, the provider matching @pulumi/kubernetes, the API server and etcd", () => {
    const cluster = PROGRAMS.filter((p) => p.usedBy.includes("cluster"));
    expect(cluster.map((p) => [p.name, p.module, p.version])).toEqual([
      ["pulumi", "github.com/pulumi/pulumi/pkg/v3", "v3.274.1"],
      ["pulumi-language-nodejs", "github.com/pulumi/pulumi/sdk/v3", "v3.274.1"],
      ["pulumi-resource-kubernetes", "github.com/pulumi/pulumi-kubernetes/provider/v4", "v4.0.0-20260115033456-f47bc2d6f199"],
      ["kube-apiserver", "k8s.io/kubernetes", "v1.37.2"],
      ["etcd", "go.etcd.io/etcd/server/v3", "v3.6.16"],
    ]);
    for (const p of cluster) expect([p.tool, p.image, p.usedBy]).toEqual([true, undefined, ["cluster"]]);
    // The provider plugin reports the SDK's release: the engine asks for the plugin version @pulumi/kubernetes names.
    const sdk = JSON.parse(readFileSync(join(__dirname, "../../node_modules/@pulumi/kubernetes/package.json"), "utf8")) as { version: string };
    const pkg = JSON.parse(readFileSync(join(__dirname, "../../package.json"), "utf8")) as { devDependencies: Record<string, string> };
    expect(pkg.devDependencies["@pulumi/kubernetes"]).toBe(sdk.version);
    expect(Object.values(program("pulumi-resource-kubernetes").versionVars ?? {})).toEqual([sdk.version]);
    expect(program("pulumi-resource-kubernetes").embeds?.["schema-embed.json"]?.setVersion).toBe(sdk.version);
  });

  it("has build-time tools with no image (nothing deploys them), pinned by module version, used by the test run, reporting the pinned release", () => {
    const tools = PROGRAMS.filter((p) => p.tool === true && !p.usedBy.includes("cluster"));
    expect(tools.map((p) => [p.name, p.module, p.version, p.image])).toEqual([
      ["actionlint", "github.com/rhysd/actionlint", "v1.7.12", undefined],
      ["sloth", "github.com/slok/sloth", "v0.16.0", undefined],
    ]);
    for (const p of tools) expect(p.usedBy).toContain("test");
    for (const p of tools) expect(Object.values(p.versionVars ?? {})).toEqual([p.version]);
    expect(PROGRAMS.filter((p) => p.image === undefined && !p.usedBy.includes("cluster")).map((p) => p.name)).toEqual(tools.map((p) => p.name));
  });

  it.each(PROGRAMS.map((p) => [p.name, p] as const))("tools/%s pins exactly what the table pins", (_name, p) => {
    expect(wrapperProblems(p)).toEqual([]);
  });

  it("the collector manifest lists exactly the table's components", () => {
    const p = PROGRAMS.find((x) => x.name === "otelcol")!;
    const manifest = manifestModules(readFileSync(join(__dirname, "../../tools/otelcol/manifest.yaml"), "utf8"));
    const components = Object.keys(p.components ?? {}).filter((m) => !/collector\/(service|pdata)$/.test(m));
    expect([...manifest.keys()].filter((m) => !m.includes("/confmap/provider/")).sort()).toEqual(components.sort());
  });

  it("reads go.mod requires in both forms", () => {
    const reqs = goModRequires("module x\n\nrequire a.b/c v1.2.3\n\nrequire (\n\td.e/f v0.1.0 // indirect\n\tg.h/i v2.0.0+incompatible\n)\n");
    expect([...reqs]).toEqual([["a.b/c", "v1.2.3"], ["d.e/f", "v0.1.0"], ["g.h/i", "v2.0.0+incompatible"]]);
  });
});

describe.each(PROGRAMS.flatMap((p) => Object.keys(p.binaries).map((b) => [b, p] as const)))("the built %s", (binary, p) => {
  it(`is ${p.module} ${p.version} (${p.image ?? "build-time tool"}) by its build info`, () => {
    const info = readBuildInfo(tool(binary));
    expect(buildInfoProblems(p, binary, info)).toEqual([]);
  });
});
