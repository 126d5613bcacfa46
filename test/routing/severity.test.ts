import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderAlertmanagerConfig } from "../../core/alertmanager/render";
import { amtoolRouteTestArgs, evaluateRoutingTests, expectInhibited, expectRoute, renderRouteTests, routeTestCases } from "../../core/alertmanager/route-tests";
import { buildRulePacks, SLO_ALERTS } from "../../rules";
import { sloAlertLabels } from "../../rules/slos";
import { secretRefs, validateAlertmanagerConfig } from "../../core/alertmanager/validate";
import { routeAlert as matchReceivers } from "../../core/alertmanager/matcher";
import { severityRouting } from "../../routing/severity";
import type { SeverityRoutingOptions } from "../../routing/severity";
import { tempDir } from "../core/alertmanager/tools";
import { expectGolden } from "../helpers/golden";
import { presetChecks, SECRETS_DIR } from "./preset-checks";

const common: SeverityRoutingOptions = {
  smtp: { smarthost: "smtp.example.com:587", from: "alertmanager@example.com", authUsername: "alertmanager", authPassword: { secret: "smtp-password" } },
  email: { to: "team@example.com", critical: "oncall@example.com" },
  slack: { apiUrl: { secret: "slack-webhook" } },
  pagerduty: { routingKey: { secret: "pagerduty-routing-key" } },
  deadMansSwitch: { url: { secret: "dead-mans-switch-url" } },
};
const { deadMansSwitch: _dms, ...noSwitch } = common;

const variants: Record<string, SeverityRoutingOptions> = {
  "prod": common,
  "prod-business-hours": { ...common, businessHours: { location: "Europe/Berlin" } },
  "prod-email-only": { smtp: common.smtp, email: { to: "team@example.com" }, severities: ["critical", "warning"] },
  "prod-custom-components": { ...noSwitch, components: { api: { slackChannel: "#api" }, database: { email: "dba@example.com" }, worker: {} }, deadMansSwitch: { url: "https://hc-ping.example.com/ping", repeatInterval: "2m" } },
  "dev": { ...noSwitch, environment: "dev", dev: { slackChannel: "#dev-alerts" } },
  "dev-prod-routing": { ...common, environment: "dev", dev: { prodRouting: true } },
};

/** The validator's warning when the Watchdog has no dead man's switch: on its route, naming the null receiver. */
const NO_SWITCH = ['route > routes[0] (alertname="Watchdog")'];

const dir = tempDir("routing");

describe.each(Object.entries(variants))("severityRouting %s", (name, opts) => {
  presetChecks(dir, name, {
    preset: severityRouting(opts),
    environment: opts.environment ?? "prod",
    severities: opts.severities ?? ["critical", "warning", "info"],
    // Only prod warns about an unwatched heartbeat (a dev stack may go unwatched).
    ...(opts.deadMansSwitch || opts.environment === "dev" ? {} : { warnings: NO_SWITCH }),
  });
});

describe("severityRouting policy", () => {
  it("prod: critical repeats every 30m, warning every 4h, components get their own receivers", () => {
    const { config } = severityRouting(common);
    const routes = config.route.routes ?? [];
    expect(routes.map((r) => [r.receiver, r.repeatInterval])).toEqual([
      ["dead-mans-switch", "5m"], ["critical", "30m"], ["warning", "4h"], ["info", "24h"], ["api", undefined], ["database", undefined],
    ]);
    expect(config.receivers.find((r) => r.name === "critical")?.pagerduty).toHaveLength(1);
    expect(secretRefs(config)).toEqual(["dead-mans-switch-url", "pagerduty-routing-key", "slack-webhook", "smtp-password"]);
  });
  it("dev: everything goes to one non-paging receiver", () => {
    const { config } = severityRouting(variants.dev!);
    expect(config.receivers.map((r) => r.name)).toEqual(["dev", "null"]);
    expect(config.receivers.some((r) => r.pagerduty?.length)).toBe(false);
    expect(matchReceivers(config, { alertname: "TestAlert", severity: "critical" })).toEqual(["dev"]);
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
    expect(issues[0]!.message).toContain('[critical] via route > routes[1] (severity="critical")');
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
    const { tests } = severityRouting(common);
    const json = JSON.parse(renderRouteTests(tests)) as Array<{ labels: Record<string, string>; receivers: string[] }>;
    expect(json).toContainEqual({ labels: { alertname: "TestAlert", component: "api", severity: "critical" }, receivers: ["critical", "api"] });
    expect(json.every((c) => Object.keys(c).join() === "labels,receivers")).toBe(true);
  });
  it("route-tests.json carries the receivers each test expects, not what our evaluator answers", () => {
    // amtool replays these against the rendered config: they must be the tests' own expectations, or a wrong
    // evaluator and a wrong config could agree and pass.
    const cases = routeTestCases([expectRoute("criticals page the database team", { severity: "critical", alertname: "X" }, ["database"])]);
    expect(cases).toEqual([{ labels: { alertname: "X", severity: "critical" }, receivers: ["database"] }]);
  });
});

describe("the Watchdog and the dead man's switch", () => {
  const watchdog = { alertname: "Watchdog", severity: "info" };
  it("goes to the switch alone, first, every 5m by default, never resolved (a resolved would count as a ping)", () => {
    const { config } = severityRouting(common);
    const first = config.route.routes?.[0];
    expect(first).toMatchObject({ receiver: "dead-mans-switch", matchers: [{ label: "alertname", op: "=", value: "Watchdog" }], repeatInterval: "5m", groupInterval: "1m", heartbeat: true });
    expect(first?.continue).toBeUndefined();
    expect(matchReceivers(config, watchdog)).toEqual(["dead-mans-switch"]);
    expect(config.receivers.find((r) => r.name === "dead-mans-switch")?.webhook).toEqual([{ url: { secret: "dead-mans-switch-url" }, sendResolved: false }]);
    const text = renderAlertmanagerConfig(config, { secretsDir: SECRETS_DIR });
    expect(text).toContain(`url_file: ${SECRETS_DIR}/dead-mans-switch-url`);
    expect(text).not.toContain("heartbeat");
  });
  it("without a switch goes to a receiver with no integrations, and the validator says nobody would notice", () => {
    const { config } = severityRouting(noSwitch);
    expect(config.receivers.find((r) => r.name === "null")).toEqual({ name: "null" });
    expect(matchReceivers(config, watchdog)).toEqual(["null"]);
    const [w] = validateAlertmanagerConfig(config, {});
    expect(w).toMatchObject({ severity: "warning", item: NO_SWITCH[0], field: "receiver" });
    expect(w?.message).toContain('receiver "null", which has no integrations: nobody notices if alerting stops');
    expect(w?.rule).toBe("alertmanager/heartbeat-unwatched");
    // A dev stack may go unwatched.
    const dev = severityRouting({ ...noSwitch, environment: "dev" }).config;
    expect(validateAlertmanagerConfig(dev, { environment: "dev" }).filter((i) => i.rule === "alertmanager/heartbeat-unwatched")).toEqual([]);
  });
  it("in dev goes to the switch too, not to the dev receiver every 12h", () => {
    const { config } = severityRouting({ ...common, environment: "dev" });
    expect(matchReceivers(config, watchdog)).toEqual(["dead-mans-switch"]);
  });
  it("a short repeat interval is allowed only on the heartbeat route, and not below 1m", () => {
    const { config } = severityRouting({ ...common, deadMansSwitch: { url: "https://hc-ping.example.com/x", repeatInterval: "30s" } });
    const short = validateAlertmanagerConfig(config, {}).filter((i) => i.rule === "alertmanager/interval-short");
    expect(short).toEqual([expect.objectContaining({ item: NO_SWITCH[0], field: "repeatInterval", severity: "warning", message: expect.stringContaining("30s is below 1m") })]);
    const stolen = { ...config, route: { ...config.route, routes: (config.route.routes ?? []).map((r, i) => (i === 2 ? { ...r, repeatInterval: "5m" } : r)) } };
    expect(validateAlertmanagerConfig(stolen, {})).toContainEqual(expect.objectContaining({ item: 'route > routes[2] (severity="warning")', field: "repeatInterval" }));
  });
  it("a heartbeat route without matchers is refused: it would re-send every alert every few minutes", () => {
    const { config } = severityRouting(common);
    const routes = config.route.routes ?? [];
    const bad = { ...config, route: { ...config.route, routes: [{ ...routes[0]!, matchers: [] }, ...routes.slice(1)] } };
    expect(validateAlertmanagerConfig(bad, {})).toContainEqual(expect.objectContaining({ severity: "error", item: "route > routes[0]", field: "heartbeat" }));
  });
});

describe("golden files (UPDATE_GOLDEN=1 to regenerate)", () => {
  it.each(["prod-business-hours", "dev"])("%s alertmanager.yml", (name) => {
    const text = renderAlertmanagerConfig(severityRouting(variants[name]!).config, { secretsDir: SECRETS_DIR });
    expectGolden(join(__dirname, "golden", `${name}.alertmanager.yml`), text);
  });
});
