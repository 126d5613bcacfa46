/** severityRouting, the shipped routing policy: validation, its routing tests in-process, goldens (amtool: ./severity-amtool.test.ts). */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderAlertmanagerConfig } from "../../core/alertmanager/render";
import { evaluateRoutingTests, expectRoute, renderRouteTests, routeTestCases } from "../../core/alertmanager/route-tests";
import { secretRefs, validateAlertmanagerConfig } from "../../core/alertmanager/validate";
import { errorsOf } from "../../core/validation";
import { severityRouting } from "../../routing/severity";
import { expectGolden } from "../helpers/golden";
import { common, variants } from "./variants";

describe.each(Object.entries(variants))("severityRouting %s", (_name, opts) => {
  const { config, tests } = severityRouting(opts);
  const env = opts.environment ?? "prod";

  it("validates cleanly for the severities it routes, with no warnings", () => {
    expect(validateAlertmanagerConfig(config, { environment: env, severities: opts.severities ?? ["critical", "warning", "info"] })).toEqual([]);
  });
  it("passes its own routing tests in-process", () => {
    expect(tests.length).toBeGreaterThan(8);
    expect(evaluateRoutingTests(config, tests)).toEqual([]);
  });
  it("holds no secret values, only *_file paths", () => {
    const text = renderAlertmanagerConfig(config, { secretsDir: "/etc/alertmanager/secrets" });
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

describe("golden files (UPDATE_GOLDEN=1 to regenerate)", () => {
  it.each(["prod-business-hours", "dev"])("%s alertmanager.yml", (name) => {
    const text = renderAlertmanagerConfig(severityRouting(variants[name]!).config, { secretsDir: "/etc/alertmanager/secrets" });
    expectGolden(join(__dirname, "golden", `${name}.alertmanager.yml`), text);
  });
});
