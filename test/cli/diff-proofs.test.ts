/**
 * The diff on two real synths of the dev stack, one changed the way a pull request would change it: the exact
 * markdown (or JSON) a reviewer gets. Alert impact runs the Go-built promtool on both sides' rules.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDiff } from "../../cli/diff";
import { tool } from "../helpers/tools";
import { stackVariant, type StackConfigEdit } from "./diff-variants";

const tmp = mkdtempSync(join(tmpdir(), "moncode-diff-proofs-"));
let base: string;

beforeAll(async () => {
  tool("promtool");
  base = await stackVariant(tmp, "base");
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function diffWith(name: string, edit: StackConfigEdit, format: "markdown" | "json" = "markdown") {
  const head = await stackVariant(tmp, name, { edit });
  const r = await runDiff({ base, head, format });
  return { ...r, title: `### Monitoring diff for \`dev\`: \`dir ${base}\` → \`dir ${head}\`` };
}

const REPLACED = "  - _the old container is removed before the new one starts (a short outage); named volumes are kept_";

/** The platform section of a change that reaches one container through one uploaded file. */
const containerReplaced = (container: string, file: string, what = "content changed") => [
  "#### Platform objects (1)",
  "",
  `- **replaced** \`Container dev-${container}\``,
  REPLACED,
  "  - `labels[moncode.dev/config-hash]`: rendered config changed; forces replacement",
  `  - \`uploads[${file}]\`: ${what}; forces replacement`,
  "",
];

describe("moncode diff: the review of a change", () => {
  it("a threshold override: the threshold old → new, and the unit-test series on which firing changed", async () => {
    const r = await diffWith("threshold", (c) => {
      c.rules.overrides = { WorkerErrorRateHigh: { threshold: 0.02 } };
    });
    expect(r.text).toBe(
      [
        r.title,
        "",
        "**1 alert changed · 1 platform object replaced · firing changed for 1 alert**",
        "",
        "#### Alert rules (1)",
        "",
        "- **changed** `worker / WorkerErrorRateHigh`",
        "  - `annotations.description`: `…(warning above 5%); see worker_errors_total…` → `…(warning above 2%); see worker_errors_total…`",
        "  - `expr`: `job:worker_events_processed_errors:ratio_rate5m > 0.05` → `job:worker_events_processed_errors:ratio_rate5m > 0.02` (threshold 0.05 → 0.02)",
        "",
        ...containerReplaced("prometheus", "/etc/prometheus/rules/worker.yml"),
        "#### Alert impact (1)",
        "",
        "_Each changed alert's promtool unit-test series, evaluated with the base rules and with the head rules._",
        "",
        "- `worker / WorkerErrorRateHigh`: **firing changed** in 1 of 6 evaluations",
        "  - `a backlog between warning and critical warns and does not page` at `11m`: (nothing fires) → `job=worker`",
        "",
      ].join("\n"),
    );
    expect(r.report.categories).toEqual(["changed-alerts", "replacement", "firing-change", "any"]);
    expect(r.exitCode).toBe(0);
  });

  it("a disabled alert: removed, with what it was", async () => {
    const r = await diffWith("disabled", (c) => {
      c.rules.overrides = { RedisDown: { disabled: true } };
    });
    expect(r.text).toBe(
      [
        r.title,
        "",
        "**1 alert removed · 1 rule group changed · 1 platform object replaced**",
        "",
        "#### Alert rules (1)",
        "",
        "- **removed** `redis / RedisDown`",
        '  - `expr`: `redis_up{job="redis"} == 0`',
        "  - `for`: `1m`",
        "  - `severity`: `critical`",
        "",
        "#### Rule groups (1)",
        "",
        "- **changed** `redis`",
        "  - `alerts`: `5` → `4`",
        "",
        ...containerReplaced("prometheus", "/etc/prometheus/rules/redis.yml"),
      ].join("\n"),
    );
    // --fail-on gates it.
    const gated = await runDiff({ base, head: join(tmp, "disabled", "out", "dev"), failOn: ["removed-alerts"] });
    expect(gated.exitCode).toBe(1);
    const notGated = await runDiff({ base, head: join(tmp, "disabled", "out", "dev"), failOn: ["routing-change", "removed-dashboards"] });
    expect(notGated.exitCode).toBe(0);
  });

  it("a dashboard removed: one change with its title, folder and panel count (not one per panel)", async () => {
    const r = await diffWith("dashboard", (c) => {
      c.grafana.dashboards = { onboarding: false };
    });
    expect(r.text).toBe(
      [
        r.title,
        "",
        "**1 dashboard removed · 1 platform object replaced**",
        "",
        "#### Dashboards (1)",
        "",
        "- **removed** `moncode-onboarding`",
        "  - `title`: `Customer onboarding`",
        "  - `folder`: `kpis`",
        "  - `panels`: `8`",
        "",
        ...containerReplaced("grafana", "/etc/grafana/dashboards/kpis/moncode-onboarding.json", "removed"),
      ].join("\n"),
    );
    expect(r.report.categories).toContain("removed-dashboards");
  });

  it("a panel query changed: the panels by dashboard and title, the query old → new", async () => {
    const r = await diffWith("panel", (c) => {
      c.rules.thresholds = { http: { inFlightMetric: "http_server_active_requests" } };
    });
    const sel = '{job="api",job=~"$job",instance=~"$instance"}';
    expect(r.text).toBe(
      [
        r.title,
        "",
        "**2 panels changed · 1 platform object replaced**",
        "",
        "#### Panels (2)",
        "",
        "- **changed** `moncode-service-overview / In-flight requests`",
        `  - \`targets[A].expr\`: \`sum(http_requests_in_flight${sel})\` → \`sum(http_server_active_requests${sel})\``,
        "- **changed** `moncode-service-overview / In-flight requests by instance`",
        `  - \`targets[A].expr\`: \`sum by (instance) (http_requests_in_flight${sel})\` → \`sum by (instance) (http_server_active_requests${sel})\``,
        "",
        ...containerReplaced("grafana", "/etc/grafana/dashboards/services/moncode-service-overview.json"),
      ].join("\n"),
    );
  });

  it("a scrape interval changed (JSON for machines)", async () => {
    const r = await diffWith("scrape", (c) => {
      c.services[0].scrapeInterval = "30s";
    }, "json");
    expect(JSON.parse(r.text)).toEqual({
      stack: "dev",
      base: `dir ${base}`,
      head: `dir ${join(tmp, "scrape", "out", "dev")}`,
      sections: [
        { area: "scrape", title: "Scrape jobs", changes: [{ kind: "changed", id: "api", fields: [{ field: "scrape_interval", old: "10s", new: "30s" }] }] },
        {
          area: "platform",
          title: "Platform objects",
          changes: [
            {
              kind: "replaced",
              id: "Container dev-prometheus",
              fields: [
                { field: "labels[moncode.dev/config-hash]", note: "rendered config changed; forces replacement" },
                { field: "uploads[/etc/prometheus/prometheus.yml]", note: "content changed; forces replacement" },
              ],
              notes: ["the old container is removed before the new one starts (a short outage); named volumes are kept"],
            },
          ],
        },
      ],
      routingImpact: [],
      inhibitionImpact: [],
      alertImpact: [],
      categories: ["scrape-change", "replacement", "any"],
      summary: "1 scrape job changed · 1 platform object replaced",
    });
    // No hash, no secret placeholder reaches the report.
    expect(r.text).not.toMatch(/[0-9a-f]{16}|\[secret moncode:/);
  });

  it("a retention change: the flag old → new in storage, the one argument that changed in the platform", async () => {
    const r = await diffWith("retention", (c) => {
      c.prometheus.retentionTime = "7d";
    });
    expect(r.text).toBe(
      [
        r.title,
        "",
        "**1 storage setting changed · 1 platform object replaced**",
        "",
        "#### Storage and retention (1)",
        "",
        "- **changed** `prometheus`",
        "  - _the container is replaced; data on the volume is kept_",
        "  - `--storage.tsdb.retention.time`: `2d` → `7d`",
        "",
        "#### Platform objects (1)",
        "",
        "- **replaced** `Container dev-prometheus`",
        REPLACED,
        "  - `command`: `--storage.tsdb.retention.time=2d` → `--storage.tsdb.retention.time=7d` (other elements unchanged; forces replacement)",
        "",
      ].join("\n"),
    );
  });

  it("no change at all: an empty diff and exit 0, even with every gate on", async () => {
    const head = await stackVariant(tmp, "same");
    const r = await runDiff({ base, head, failOn: ["any"] });
    expect(r.text).toBe(`### Monitoring diff for \`dev\`: \`dir ${base}\` → \`dir ${head}\`\n\n**no changes**\n`);
    expect(r.report.categories).toEqual([]);
    expect(r.exitCode).toBe(0);
  });
});
