/**
 * Routing changes as code makes them (the composed typed config changed through runProgram's customize hook, with
 * the shipped routing tests brought in line), reviewed by what they do: the label sets whose receivers change.
 * And the prod stack on Kubernetes: what the provider replaces, rolls or ignores.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readTree, runDiff } from "../../cli/diff";
import { routeAlert } from "../../core/alertmanager/matcher";
import { readAlertmanager } from "../../core/diff/alertmanager-read";
import { moveRoute, prodRouting, renameReceiver, stackVariant } from "./diff-variants";

const tmp = mkdtempSync(join(tmpdir(), "moncode-diff-routing-"));
let base: string;

beforeAll(async () => {
  base = await stackVariant(tmp, "base", { edit: prodRouting });
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The first label sets of a receiver change, as the markdown lists them (alphabetical, alerts before tests). */
const firstCriticals = (suffix: string) =>
  ["AlertmanagerClusterMembersMissing", "AlertmanagerConfigReloadFailed", "AlertmanagerNotificationsFailing", "ApiAvailabilityBudgetBurnFast", "ApiErrorsBudgetBurnFast", "ApiLatencyBudgetBurnFast", "AttributionAccuracyBelowTarget", "CollectorExportFailing"]
    .map((a) => `\`${a} severity=critical${suffix}\``)
    .join(", ");

const ALERTMANAGER_REPLACED = [
  "#### Platform objects (1)",
  "",
  "- **replaced** `Container dev-alertmanager`",
  "  - _the old container is removed before the new one starts (a short outage); named volumes are kept_",
  "  - `labels[moncode.dev/config-hash]`: rendered config changed; forces replacement",
  "  - `uploads[/etc/alertmanager/alertmanager.yml]`: content changed; forces replacement",
  "",
];

describe("moncode diff: routing", () => {
  it("a renamed receiver: renamed (not removed + added), the route that names it, every label set it now reaches", async () => {
    const head = await stackVariant(tmp, "rename", { edit: prodRouting, customize: renameReceiver("critical", "pager") });
    const r = await runDiff({ base, head });
    expect(r.text).toBe(
      [
        `### Monitoring diff for \`dev\`: \`dir ${base}\` → \`dir ${head}\``,
        "",
        "**1 route changed · 1 receiver renamed · 1 platform object replaced · 64 label sets re-routed**",
        "",
        "#### Routing tree (1)",
        "",
        '- **changed** `route > severity="critical"`',
        "  - `receiver`: `critical` → `pager`",
        "",
        "#### Receivers (1)",
        "",
        "- **renamed** `pager`",
        "  - `name`: `critical` → `pager`",
        "",
        ...ALERTMANAGER_REPLACED,
        "#### Routing impact: receivers per label set (64)",
        "",
        `- \`critical\` → \`pager\` (24 label sets): ${firstCriticals("")} and 16 more`,
        `- \`critical\`, \`api\` → \`pager\`, \`api\` (20 label sets): ${firstCriticals(" component=api")} and 12 more`,
        `- \`critical\`, \`database\` → \`pager\`, \`database\` (20 label sets): ${firstCriticals(" component=database")} and 12 more`,
        "",
      ].join("\n"),
    );
    // The JSON has every label set, the routing tests among them.
    const sloPage = (alertname: string, slo: string) => ({ alertname, service: "api", severity: "critical", slo });
    expect(r.report.routingImpact.filter((i) => i.source === "routing test").map((i) => i.labels)).toEqual([
      sloPage("ApiAvailabilityBudgetBurnFast", "api-availability"),
      sloPage("ApiErrorsBudgetBurnFast", "api-errors"),
      sloPage("ApiLatencyBudgetBurnFast", "api-latency"),
      { alertname: "TestAlert", severity: "critical" },
      { alertname: "TestAlert", component: "api", severity: "critical" },
      { alertname: "TestAlert", component: "database", severity: "critical" },
      sloPage("TestSloBudgetBurnFast", "test-slo"),
    ]);
    expect(r.report.categories).toEqual(["routing-change", "receiver-change", "replacement", "any"]);
  });

  it("a route moved under another parent: moved (its old and new parent), and whom the alerts stop reaching", async () => {
    const head = await stackVariant(tmp, "move", { edit: prodRouting, customize: moveRoute("database", "critical") });
    const r = await runDiff({ base, head, failOn: ["routing-change"] });
    expect(r.exitCode).toBe(1);
    const lines = r.text.split("\n");
    expect(lines.slice(2, 18)).toEqual([
      "**1 route moved · 1 platform object replaced · 72 label sets re-routed**",
      "",
      "#### Routing tree (1)",
      "",
      '- **moved** `route > severity="critical" > component="database"`',
      '  - `parent`: `route` → `route > severity="critical"`',
      "",
      ...ALERTMANAGER_REPLACED,
      "#### Routing impact: receivers per label set (72)",
      "",
    ]);
    expect(lines.slice(18)).toEqual([
      // Under the critical route, the database route becomes the leaf: criticals stop paging the critical receiver.
      `- \`critical\`, \`database\` → \`database\` (20 label sets): ${firstCriticals(" component=database")} and 12 more`,
      "- `warning`, `database` → `warning` (50 label sets): " +
        ["ApiAvailabilityBudgetBurnSlow", "ApiErrorsBudgetBurnSlow", "ApiLatencyBudgetBurnSlow", "CollectorExporterQueueNearlyFull", "CollectorRefusingData", "ContainerCpuThrottled", "ContainerMemoryNearLimit", "ContainerOomKilled"].map((a) => `\`${a} severity=warning component=database\``).join(", ") +
        " and 42 more",
      // Watchdog goes to the dead-man's switch before any component route, so moving this one does not touch it.
      "- `database` → `default` (1 label set): routing test `TestAlert component=database`",
      "- `info`, `database` → `info` (1 label set): routing test `TestAlert severity=info component=database`",
      "",
    ]);
    // Every reported label set is what Alertmanager's routing gives on each side's alertmanager.yml.
    const [a, b] = [readAlertmanager(readTree(base))!, readAlertmanager(readTree(head))!];
    for (const i of r.report.routingImpact) {
      expect(routeAlert(a.config, i.labels)).toEqual(i.old);
      expect(routeAlert(b.config, i.labels)).toEqual(i.new);
    }
  });
});

describe("moncode diff: the prod stack on Kubernetes", () => {
  it("a retention change rolls the StatefulSet's pods; the claim size change is ignored, and said so", async () => {
    const pbase = await stackVariant(tmp, "prod-base", { stack: "prod" });
    const head = await stackVariant(tmp, "prod-retention", {
      stack: "prod",
      edit: (c) => {
        c.prometheus.retentionSize = "20GB";
        c.prometheus.retentionTime = "60d";
      },
    });
    const r = await runDiff({ base: pbase, head, stack: "prod" });
    expect(r.text).toBe(
      [
        `### Monitoring diff for \`prod\`: \`dir ${pbase}\` → \`dir ${head}\``,
        "",
        "**1 storage setting changed · 1 platform object updated**",
        "",
        "#### Storage and retention (1)",
        "",
        "- **changed** `prometheus`",
        "  - _the pods are rolled; data on the volume is kept_",
        "  - _claim templates cannot change after creation and the program ignores them: resize the PVCs (README, Kubernetes)_",
        "  - `--storage.tsdb.retention.size`: `10GB` → `20GB`",
        "  - `--storage.tsdb.retention.time`: `30d` → `60d`",
        "  - `claim data`: `12Gi` → `24Gi`",
        "",
        "#### Platform objects (1)",
        "",
        "- **updated** `StatefulSet monitoring/prometheus`",
        "  - _the pods are rolled_",
        "  - `spec.template.spec.containers[prometheus].args`: `[--storage.tsdb.retention.time=30d, --storage.tsdb.retention.size=10GB]` → `[--storage.tsdb.retention.time=60d, --storage.tsdb.retention.size=20GB]` (other elements unchanged; rolls the pods)",
        "  - `spec.volumeClaimTemplates[0].spec.resources.requests.storage`: `12Gi` → `24Gi` (ignored (ignoreChanges))",
        "",
      ].join("\n"),
    );
    expect(r.report.categories).toEqual(["storage-change", "any"]);
  });
});
