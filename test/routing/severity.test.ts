import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderAlertmanagerConfig } from "../../core/alertmanager/render";
import { amtoolRouteTestArgs, evaluateRoutingTests, expectInhibited, expectRoute, renderRouteTests, routeTestCases } from "../../core/alertmanager/route-tests";
import { buildRulePacks, SLO_ALERTS } from "../../rules";
import { sloAlertLabels } from "../../rules/slos";
import { secretRefs, validateAlertmanagerConfig } from "../../core/alertmanager/validate";
import { errorsOf } from "../../core/validation";
import { severityRouting } from "../../routing/severity";
import type { SeverityRoutingOptions } from "../../routing/severity";
import { AMTOOL, pool, run, tempDir, writeTemp } from "../core/alertmanager/tools";

const common: SeverityRoutingOptions = {
  smtp: { smarthost: "smtp.example.com:587", from: "alertmanager@example.com", authUsername: "alertmanager", authPassword: { secret: "smtp-password" } },
  email: { to: "team@example.com", critical: "oncall@example.com" },
  slack: { apiUrl: { secret: "slack-webhook" } },
  pagerduty: { routingKey: { secret: "pagerduty-routing-key" } },
};

const variants: Record<string, SeverityRoutingOptions> = {
  "prod": common,
  "prod-business-hours": { ...common, businessHours: { location: "Europe/Berlin" } },
  "prod-email-only": { smtp: common.smtp, email: { to: "team@example.com" }, severities: ["critical", "warning"] },
  "prod-custom-components": { ...common, components: { api: { slackChannel: "#api" }, database: { email: "dba@example.com" }, worker: {} } },
  "dev": { ...common, environment: "dev", dev: { slackChannel: "#dev-alerts" } },
  "dev-prod-routing": { ...common, environment: "dev", dev: { prodRouting: true } },
};

const dir = tempDir("routing");

describe.each(Object.entries(variants))("severityRouting %s", (name, opts) => {
  const { config, tests } = severityRouting(opts);
  const env = opts.environment ?? "prod";
  const file = writeTemp(dir, `${name}.yml`, renderAlertmanagerConfig(config, { secretsDir: "/etc/alertmanager/secrets" }));

  it("validates cleanly for the severities it routes, with no warnings", () => {
    expect(validateAlertmanagerConfig(config, { environment: env, severities: opts.severities ?? ["critical", "warning", "info"] })).toEqual([]);
  });
  it("passes its own routing tests in-process", () => {
    expect(tests.length).toBeGreaterThan(8);
    expect(evaluateRoutingTests(config, tests)).toEqual([]);
  });
  it("renders a config amtool check-config accepts", async () => {
    const r = await run(AMTOOL, ["check-config", file]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });
  it("passes its route tests under amtool config routes test --verify.receivers", async () => {
    const cases = routeTestCases(config, tests);
    const results = await pool(cases, 8, (c) => run(AMTOOL, amtoolRouteTestArgs(file, c)));
    results.forEach((r, i) => expect(r.code, `${JSON.stringify(cases[i])}: ${r.stdout}${r.stderr}`).toBe(0));
  });
  it("holds no secret values, only *_file paths", () => {
    const text = readFileSync(file, "utf8");
    expect(text).not.toMatch(/hooks\.slack\.com|password:|routing_key:|api_url:/);
    for (const s of secretRefs(config)) expect(text).toContain(`/etc/alertmanager/secrets/${s}`);
  });
});

describe("severityRouting policy", () => {
  it("prod: critical repeats every 30m, warning every 4h, components get their own receivers", () => {
    const { config } = severityRouting(common);
    const routes = config.route.routes ?? [];
    expect(routes.map((r) => [r.receiver, r.repeatInterval])).toEqual([
      ["critical", "30m"], ["warning", "4h"], ["info", "24h"], ["api", undefined], ["database", undefined],
    ]);
    expect(config.receivers.find((r) => r.name === "critical")?.pagerduty).toHaveLength(1);
    expect(secretRefs(config)).toEqual(["pagerduty-routing-key", "slack-webhook", "smtp-password"]);
  });
  it("dev: everything goes to one non-paging receiver", () => {
    const { config } = severityRouting(variants.dev!);
    expect(config.receivers.map((r) => r.name)).toEqual(["dev"]);
    expect(config.receivers.some((r) => r.pagerduty?.length)).toBe(false);
  });
  it("dev with prodRouting keeps the tree but never pages", () => {
    const { config } = severityRouting(variants["dev-prod-routing"]!);
    expect(config.receivers.some((r) => r.pagerduty?.length)).toBe(false);
    expect(config.receivers.map((r) => r.name)).toContain("api");
  });
  it("a broken route fails the test that covers it, naming the test and the route", () => {
    const { config } = severityRouting(common);
    const issues = evaluateRoutingTests(config, [expectRoute("criticals page the database team", { severity: "critical" }, ["database"])]);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.item).toBe('routing test "criticals page the database team"');
    expect(issues[0]!.message).toContain('[critical] via route > routes[0] (severity="critical")');
  });
  it("SLO alerts of the shipped packs: pages reach the critical (PagerDuty) receiver, tickets the warning one, and a page silences its own ticket", () => {
    const sloAlerts = sloAlertLabels(buildRulePacks());
    expect(sloAlerts.map((a) => `${a.alertname}:${a.severity}`)).toEqual(SLO_ALERTS.map((n) => `${n}:${n.endsWith("Fast") ? "critical" : "warning"}`));
    const { config, tests } = severityRouting({ ...common, sloAlerts });
    expect(evaluateRoutingTests(config, tests)).toEqual([]);
    const names = tests.map((t) => t.name);
    expect(names).toContain("SLO alert ApiErrorsBudgetBurnFast (page) reaches the critical receiver");
    expect(names).toContain("SLO alert ApiErrorsBudgetBurnSlow (ticket) reaches the warning receiver");
    const page = { alertname: "ApiErrorsBudgetBurnFast", severity: "critical", slo: "api-errors", service: "api" };
    const ticket = { ...page, alertname: "ApiErrorsBudgetBurnSlow", severity: "warning" };
    expect(evaluateRoutingTests(config, [
      expectRoute("page", page, ["critical"]),
      expectRoute("ticket", ticket, ["warning"]),
      expectInhibited("the page silences its ticket", ticket, [page], true),
      expectInhibited("another SLO's page does not", ticket, [{ ...page, slo: "api-latency", alertname: "ApiLatencyBudgetBurnFast" }], false),
    ])).toEqual([]);
    expect(config.receivers.find((r) => r.name === "critical")?.pagerduty).toHaveLength(1);
  });
  it("route-tests.json is an array of { labels, receivers } in Alertmanager's order", () => {
    const { config, tests } = severityRouting(common);
    const json = JSON.parse(renderRouteTests(config, tests)) as Array<{ labels: Record<string, string>; receivers: string[] }>;
    expect(json).toContainEqual({ labels: { alertname: "TestAlert", component: "api", severity: "critical" }, receivers: ["critical", "api"] });
    expect(json.every((c) => Object.keys(c).join() === "labels,receivers")).toBe(true);
  });
});

describe("golden files (UPDATE_GOLDEN=1 to regenerate)", () => {
  it.each(["prod-business-hours", "dev"])("%s alertmanager.yml", (name) => {
    const text = renderAlertmanagerConfig(severityRouting(variants[name]!).config, { secretsDir: "/etc/alertmanager/secrets" });
    const path = join(__dirname, "golden", `${name}.alertmanager.yml`);
    if (process.env.UPDATE_GOLDEN) writeFileSync(path, text);
    expect(existsSync(path), `missing golden file ${path}`).toBe(true);
    expect(text).toBe(readFileSync(path, "utf8"));
  });
});
