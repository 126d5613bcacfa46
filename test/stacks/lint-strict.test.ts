/**
 * The shipped content holds itself to every lint rule: with each configurable rule raised to `error` in the stack
 * config, the dev and prod stacks still build (every component resolves) and not one warning is left.
 */
import * as pulumi from "@pulumi/pulumi";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadStackFile } from "../../cli/stack-file";
import { resolveAlertRouting } from "../../components/alert-routing";
import { resolveExporters } from "../../components/exporters";
import { resolveGrafana } from "../../components/grafana";
import { resolvePrometheusStack } from "../../components/prometheus-stack";
import { allRulesAt, CONFIGURABLE_RULE_IDS } from "../../core/lint";
import { composeStackArgs } from "../../stacks/compose";
import { parseStackConfig } from "../../stacks/config";
import { wireComponents } from "../../stacks/monitoring-stack";
import { platformFromConfig } from "../../stacks/platform";
import { platformDriver } from "../../components/platform";
import { formatIssue } from "../../core/validation";

const ROOT = join(__dirname, "..", "..");

function strictStack(stack: "dev" | "prod", change: (raw: Record<string, unknown>) => Record<string, unknown> = (raw) => ({ ...raw, lint: allRulesAt("error") })) {
  const file = loadStackFile(ROOT, stack);
  const raw = JSON.parse(file.config["moncode:stack"]!) as Record<string, unknown>;
  const config = parseStackConfig(change(raw));
  const args = composeStackArgs({
    stackName: stack,
    config,
    secrets: { get: (key) => pulumi.output(`secret-${key}`) },
    grafanaAdminPassword: "admin-password",
    grafanaSecretKey: "secret-key",
  });
  const platform = platformFromConfig(config, stack);
  const driver = platformDriver(platform);
  const exporterJobs = resolveExporters({ platform, ...(args.exporters ?? {}) }, driver.address).scrapeJobs;
  const wired = wireComponents(args, driver.address, exporterJobs, driver.peerAddresses);
  return { config, platform, wired };
}

describe("shipped content at error for every lint rule", () => {
  it("sets every configurable rule", () => {
    expect(Object.keys(strictStack("dev").config.lint).sort()).toEqual([...CONFIGURABLE_RULE_IDS].sort());
  });

  it.each(["dev", "prod"] as const)("the %s stack builds with no finding at all", (stack) => {
    const { platform, wired } = strictStack(stack);
    expect(wired.prometheus.lint).toEqual(allRulesAt("error"));
    const warnings = [
      ...resolvePrometheusStack({ platform, ...wired.prometheus }).warnings,
      ...resolveAlertRouting({ platform, ...wired.alerting }).warnings,
      ...resolveGrafana({ platform, ...wired.grafana }).warnings,
    ];
    expect(warnings.map(formatIssue)).toEqual([]);
  });

  it("would refuse the same content with one house rule broken", () => {
    const { platform, wired } = strictStack("dev");
    const [first, ...rest] = wired.prometheus.rulePacks ?? [];
    const g = first!.groups[0]!;
    const renamed = { ...first!, groups: [{ ...g, name: "Not_Kebab" }, ...first!.groups.slice(1)] };
    expect(() => resolvePrometheusStack({ platform, ...wired.prometheus, rulePacks: [renamed, ...rest] })).toThrow(/rule group "Not_Kebab": name .*\[rules\/group-name-kebab-case\]/);
  });
});

describe("a severity the preset does not route", () => {
  const paging = (lint: Record<string, string>) => (raw: Record<string, unknown>) => ({
    ...raw,
    rules: { ...(raw.rules as object), overrides: { TargetDown: { severity: "page" } } },
    lint,
  });
  it("is refused for the prod stack, naming it (routing coverage is checked over every severity used)", () => {
    const { platform, wired } = strictStack("prod", paging({}));
    expect(wired.alerting.severities).toContain("page");
    expect(() => resolveAlertRouting({ platform, ...wired.alerting })).toThrow(/no route handles severity="page".*\[alertmanager\/severity-unroutable\]/);
  });
  it("can be lowered to a warning per rule", () => {
    const { platform, wired } = strictStack("prod", paging({ "alertmanager/severity-unroutable": "warn" }));
    expect(resolveAlertRouting({ platform, ...wired.alerting }).warnings.map((w) => w.rule)).toContain("alertmanager/severity-unroutable");
  });
});
