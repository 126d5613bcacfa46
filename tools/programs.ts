/**
 * The real programs the proofs run, built from their Go modules at exactly the releases the stack deploys: one
 * row per program, each mapping a pinned image tag (components/images.ts) to the module version that holds that
 * release. `tools/build.ts` builds from this table and `test/tools/build-info.test.ts` reads every binary's Go
 * build info (`go version -m`) and fails when a module version disagrees with it.
 *
 * Each program has a wrapper module in `tools/<dir>/` (go.mod + go.sum committed; `replace` lines copied from
 * upstream where the upstream go.mod has them, since a dependency's replaces are ignored). The collector is built
 * with the collector's builder from `tools/otelcol/manifest.yaml`.
 */
import { IMAGES, TELEMETRY_IMAGES, imageTag } from "../components/images";

/** Which test runs need a program; `npm run tools -- --for <set>` builds only those. */
export type ToolSet = "check" | "test" | "e2e" | "docker" | "cluster";

export interface GoProgram {
  /** Cache name and the folder under tools/ holding its wrapper module. */
  readonly name: string;
  /**
   * The image this build stands for: its tag is the release being built. Absent exactly when `tool` is set: a
   * build-time tool no stack deploys (actionlint, Sloth) has no image, its module version alone names the release.
   */
  readonly image?: string;
  /** A build-time tool the proofs run beside the stack's programs (actionlint, Sloth); never deployed. */
  readonly tool?: true;
  /** The Go module that holds the program's main package(s). */
  readonly module: string;
  /** The module version of that release (Prometheus v3.16.0 is module v0.316.0; Jaeger 2.13.0 is v1.76.0). */
  readonly version: string;
  /** Output binary name → main package. */
  readonly binaries: Readonly<Record<string, string>>;
  /** Go build tags (Prometheus: only file/http/static and Kubernetes discovery, to save build time). */
  readonly tags?: readonly string[];
  /** `-X` assignments for the version the program reports (the proofs check build info, not these). */
  readonly versionVars?: Readonly<Record<string, string>>;
  /** Built with the collector builder from tools/<name>/manifest.yaml instead of from a wrapper's tool line. */
  readonly builder?: "ocb";
  /** Further modules the build info must show at these versions (the collector's components). */
  readonly components?: Readonly<Record<string, string>>;
  /**
   * Modules the checksum database here does not know (the proxy serves the zip, sum.golang.org answers 404):
   * only `--update` needs this, the committed go.sum then pins the hash.
   */
  readonly noSumdb?: readonly string[];
  /**
   * Files the main package embeds that the build generates from the program module's own files (as upstream's
   * build does before `go build`): embed file name → the module file it is made from. The wrapper's main.go is
   * then built in a temporary copy of the wrapper holding the generated files.
   */
  readonly embeds?: Readonly<Record<string, EmbedSource>>;
  /**
   * The main package is the wrapper's own `main.go` (package `moncode.dev/tools/<name>`), not a package of the
   * module: the provider's embed main, and the Node.js language host, whose upstream module is not served.
   */
  readonly ownMain?: true;
  readonly usedBy: readonly ToolSet[];
}

export interface EmbedSource {
  /** A JSON file inside the program's module (`provider/cmd/…/schema.json` is `cmd/…/schema.json` of the module). */
  readonly file: string;
  /** Set this top-level key to the program's release (the provider's schema carries its version). */
  readonly setVersion?: string;
}

const PROM_VERSION = "github.com/prometheus/common/version";
/** The `-X` flags the Prometheus projects' own builds (promu) set. */
function promVersion(image: string, module: string): Record<string, string> {
  return {
    [`${PROM_VERSION}.Version`]: imageTag(image).replace(/^v/, ""),
    [`${PROM_VERSION}.Revision`]: module,
    [`${PROM_VERSION}.Branch`]: "module",
    [`${PROM_VERSION}.BuildUser`]: "moncode-tools",
    [`${PROM_VERSION}.BuildDate`]: "19700101-00:00:00",
  };
}

const COLLECTOR_CORE = "v0.165.0";
const COLLECTOR_CORE_STABLE = "v1.71.0";
const COLLECTOR_CONTRIB = "v0.165.0";
const CONTRIB = "github.com/open-telemetry/opentelemetry-collector-contrib";

/** Prometheus v3.X.Y lives in module versions v0.3XX.Y (`v3.16.0` → `v0.316.0`). */
export function prometheusModuleVersion(tag: string): string {
  const m = /^v3\.(\d+)\.(\d+)$/.exec(tag);
  if (!m) throw new Error(`not a Prometheus 3 release tag: ${tag}`);
  return `v0.${300 + Number(m[1])}.${m[2]}`;
}

/**
 * A Prometheus-project program (promu-style version flags) versioned like its image tag. `mains` are package
 * directories inside the module (`""` = the module root); each binary is named after its directory.
 */
function promProject(name: string, image: string, module: string, mains: readonly string[], usedBy: readonly ToolSet[] = ["e2e", "docker"]): GoProgram {
  const version = imageTag(image);
  const binaries = Object.fromEntries(mains.map((m) => [m === "" ? name : m.split("/").pop()!, m === "" ? module : `${module}/${m}`]));
  return { name, image, module, version, binaries, versionVars: promVersion(image, version), usedBy };
}

const PROMETHEUS_MODULE_VERSION = prometheusModuleVersion(imageTag(IMAGES.prometheus));

export const PROGRAMS: readonly GoProgram[] = [
  {
    name: "prometheus",
    image: IMAGES.prometheus,
    module: "github.com/prometheus/prometheus",
    version: PROMETHEUS_MODULE_VERSION,
    binaries: { prometheus: "github.com/prometheus/prometheus/cmd/prometheus", promtool: "github.com/prometheus/prometheus/cmd/promtool" },
    // The stack renders static and Kubernetes discovery only; file and HTTP discovery are always built in.
    tags: ["remove_all_sd", "enable_kubernetes_sd"],
    versionVars: promVersion(IMAGES.prometheus, PROMETHEUS_MODULE_VERSION),
    usedBy: ["check", "test", "e2e", "docker"],
  },
  promProject("alertmanager", IMAGES.alertmanager, "github.com/prometheus/alertmanager", ["cmd/alertmanager", "cmd/amtool"], ["check", "test", "e2e", "docker"]),
  promProject("node_exporter", IMAGES.nodeExporter, "github.com/prometheus/node_exporter", [""]),
  promProject("blackbox_exporter", IMAGES.blackboxExporter, "github.com/prometheus/blackbox_exporter", [""]),
  promProject("pushgateway", IMAGES.pushgateway, "github.com/prometheus/pushgateway", [""]),
  promProject("postgres_exporter", IMAGES.postgresExporter, "github.com/prometheus-community/postgres_exporter", ["cmd/postgres_exporter"]),
  {
    name: "redis_exporter",
    image: IMAGES.redisExporter,
    module: "github.com/oliver006/redis_exporter",
    version: imageTag(IMAGES.redisExporter),
    binaries: { redis_exporter: "github.com/oliver006/redis_exporter" },
    versionVars: {
      "main.BuildVersion": imageTag(IMAGES.redisExporter),
      "main.BuildCommitSha": "module",
      "main.BuildDate": "1970-01-01",
    },
    noSumdb: ["github.com/oliver006/redis_exporter"],
    usedBy: ["e2e", "docker"],
  },
  {
    name: "jaeger",
    image: TELEMETRY_IMAGES.jaeger,
    module: "github.com/jaegertracing/jaeger",
    // The commit tagged both v1.76.0 and v2.13.0 (63b27e18); v2 tags are not valid versions of this module path.
    version: "v1.76.0",
    binaries: { jaeger: "github.com/jaegertracing/jaeger/cmd/jaeger" },
    versionVars: {
      "github.com/jaegertracing/jaeger/internal/version.latestVersion": `v${imageTag(TELEMETRY_IMAGES.jaeger)}`,
      "github.com/jaegertracing/jaeger/internal/version.commitSHA": "63b27e1810a710ac54dc4522da0538e540bdc545",
      "github.com/jaegertracing/jaeger/internal/version.date": "1970-01-01T00:00:00Z",
    },
    usedBy: ["e2e", "docker"],
  },
  {
    name: "otelcol",
    image: TELEMETRY_IMAGES.otelCollector,
    module: "go.opentelemetry.io/collector/otelcol",
    version: COLLECTOR_CORE,
    binaries: { "otelcol-contrib": "moncode.dev/tools/otelcol" },
    builder: "ocb",
    components: {
      "go.opentelemetry.io/collector/service": COLLECTOR_CORE,
      "go.opentelemetry.io/collector/pdata": COLLECTOR_CORE_STABLE,
      "go.opentelemetry.io/collector/receiver/otlpreceiver": COLLECTOR_CORE,
      "go.opentelemetry.io/collector/exporter/otlpexporter": COLLECTOR_CORE,
      "go.opentelemetry.io/collector/exporter/otlphttpexporter": COLLECTOR_CORE,
      "go.opentelemetry.io/collector/exporter/debugexporter": COLLECTOR_CORE,
      "go.opentelemetry.io/collector/processor/batchprocessor": COLLECTOR_CORE,
      "go.opentelemetry.io/collector/processor/memorylimiterprocessor": COLLECTOR_CORE,
      [`${CONTRIB}/receiver/filelogreceiver`]: COLLECTOR_CONTRIB,
      [`${CONTRIB}/processor/resourceprocessor`]: COLLECTOR_CONTRIB,
      [`${CONTRIB}/exporter/fileexporter`]: COLLECTOR_CONTRIB,
      [`${CONTRIB}/connector/spanmetricsconnector`]: COLLECTOR_CONTRIB,
      [`${CONTRIB}/extension/healthcheckextension`]: COLLECTOR_CONTRIB,
      [`${CONTRIB}/extension/storage/filestorage`]: COLLECTOR_CONTRIB,
    },
    usedBy: ["test", "e2e", "docker"],
  },
  {
    // Build-time only: lints examples/github/monitoring-review.yml in the tests; no image, nothing deployed.
    name: "actionlint",
    tool: true,
    module: "github.com/rhysd/actionlint",
    version: "v1.7.12",
    binaries: { actionlint: "github.com/rhysd/actionlint/cmd/actionlint" },
    versionVars: { "github.com/rhysd/actionlint.version": "v1.7.12" },
    usedBy: ["test"],
  },
  {
    name: "sloth",
    tool: true,
    module: "github.com/slok/sloth",
    // The SLO generator the SLO proof compares against (test/slo/sloth.test.ts); its go.mod has no replaces.
    version: "v0.16.0",
    binaries: { sloth: "github.com/slok/sloth/cmd/sloth" },
    versionVars: { "github.com/slok/sloth/internal/info.Version": "v0.16.0" },
    usedBy: ["test"],
  },
  {
    // The Pulumi CLI (engine, file backend, passphrase secrets). v3.270.0, the @pulumi/pulumi SDK's release, is
    // not served (its zip answers 403); v3.274.1 is the nearest served release (a CLI newer than the SDK is the
    // supported direction).
    name: "pulumi",
    tool: true,
    module: "github.com/pulumi/pulumi/pkg/v3",
    version: "v3.274.1",
    binaries: { pulumi: "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi" },
    versionVars: { "github.com/pulumi/pulumi/sdk/v3/go/common/version.Version": "v3.274.1" },
    components: { "github.com/pulumi/pulumi/sdk/v3": "v3.274.1" },
    usedBy: ["cluster"],
  },
  {
    // The Node.js language host. Upstream's (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3) is
    // not served by the module proxy at any version (its version list and every pseudo-version answer 403), so
    // tools/pulumi-language-nodejs/main.go is this project's own small host on the LanguageRuntime protocol of
    // sdk/v3 at the CLI's release: it reports the plugins node_modules declares and runs the program with the
    // SDK's own runner (@pulumi/pulumi/cmd/run). The module it pins is the protocol's.
    name: "pulumi-language-nodejs",
    tool: true,
    module: "github.com/pulumi/pulumi/sdk/v3",
    version: "v3.274.1",
    binaries: { "pulumi-language-nodejs": "moncode.dev/tools/pulumi-language-nodejs" },
    versionVars: { "main.version": "v3.274.1" },
    ownMain: true,
    usedBy: ["cluster"],
  },
  {
    // The Kubernetes provider plugin: the only provider/v4 version served is the commit tagged v4.25.0 (no provider
    // tags exist for the module path), so @pulumi/kubernetes is pinned to 4.25.0 to match. Its main embeds the
    // schema and mapping generated from the module's committed JSON (upstream's `go generate` step).
    name: "pulumi-resource-kubernetes",
    tool: true,
    module: "github.com/pulumi/pulumi-kubernetes/provider/v4",
    version: "v4.0.0-20260115033456-f47bc2d6f199",
    binaries: { "pulumi-resource-kubernetes": "moncode.dev/tools/pulumi-resource-kubernetes" },
    versionVars: { "github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version": "4.25.0" },
    ownMain: true,
    embeds: {
      "schema-embed.json": { file: "cmd/pulumi-resource-kubernetes/schema.json", setVersion: "4.25.0" },
      "terraform-mapping-embed.json": { file: "cmd/pulumi-resource-kubernetes/terraform-mapping.json" },
    },
    usedBy: ["cluster"],
  },
  {
    // A real API server for the cluster proof (no controller-manager, scheduler or kubelet: see test/cluster).
    name: "kube-apiserver",
    tool: true,
    module: "k8s.io/kubernetes",
    version: "v1.37.2",
    binaries: { "kube-apiserver": "k8s.io/kubernetes/cmd/kube-apiserver" },
    versionVars: {
      "k8s.io/component-base/version.gitVersion": "v1.37.2",
      "k8s.io/component-base/version.gitMajor": "1",
      "k8s.io/component-base/version.gitMinor": "37",
      "k8s.io/component-base/version.gitTreeState": "clean",
      "k8s.io/component-base/version.buildDate": "1970-01-01T00:00:00Z",
    },
    components: { "k8s.io/apiserver": "v0.37.2", "k8s.io/api": "v0.37.2" },
    usedBy: ["cluster"],
  },
  {
    name: "etcd",
    tool: true,
    module: "go.etcd.io/etcd/server/v3",
    version: "v3.6.16",
    binaries: { etcd: "go.etcd.io/etcd/server/v3" },
    usedBy: ["cluster"],
  },
];

/** The collector's builder, a build-time tool of the `otelcol` row (same core release). */
export const COLLECTOR_BUILDER = {
  name: "otelcol-builder",
  module: "go.opentelemetry.io/collector/cmd/builder",
  version: COLLECTOR_CORE,
} as const;

export function program(name: string): GoProgram {
  const p = PROGRAMS.find((x) => x.name === name);
  if (!p) throw new Error(`no program "${name}" in tools/programs.ts`);
  return p;
}
