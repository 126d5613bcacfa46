import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { routeAlert } from "../../core/alertmanager/matcher";
import { renderAlertmanagerConfig } from "../../core/alertmanager/render";
import { secretRefs } from "../../core/alertmanager/validate";
import { ValidationError } from "../../core/validation";
import { receiverRouting, type ReceiverRoutingOptions } from "../../routing";
import { tempDir } from "../core/alertmanager/tools";
import { expectGolden } from "../helpers/golden";
import { presetChecks, SECRETS_DIR } from "./preset-checks";

const keys = {
  slack: { apiUrl: { secret: "slack-webhook" } },
  pagerduty: { routingKey: { secret: "pagerduty-routing-key" } },
  opsgenie: { apiKey: { secret: "opsgenie-api-key" } },
} as const;
const smtp = { smarthost: "smtp.example.com:587", from: "am@example.com" };
const dms = { deadMansSwitch: { url: { secret: "dead-mans-switch-url" } } } as const;

/** The issue's example: critical pages, warning goes to Slack, info to nobody; no SMTP anywhere. */
const pagerAndSlack: ReceiverRoutingOptions = {
  ...keys,
  ...dms,
  notify: { critical: { pagerduty: true, slack: "#alerts-critical" }, warning: { slack: "#alerts" }, info: null },
};

const variants: Record<string, ReceiverRoutingOptions> = {
  "pagerduty-and-slack": pagerAndSlack,
  "every-integration": {
    ...keys,
    ...dms,
    smtp,
    notify: {
      critical: { pagerduty: true, opsgenie: true, webhook: [{ secret: "incident-hook-url" }, "https://hooks.internal.example.com/alertmanager"] },
      warning: { email: ["team@example.com", "leads@example.com"], slack: "#alerts" },
      info: { email: "team@example.com" },
    },
    default: { email: "team@example.com" },
    components: { api: { slack: "#api" }, database: { pagerduty: { routingKey: { secret: "dba-pagerduty-key" } }, email: "dba@example.com" } },
    businessHours: { location: "Europe/Berlin" },
  },
  "webhook-only-no-switch": {
    notify: { critical: { webhook: "https://oncall.internal.example.com/page" }, warning: { webhook: "https://chat.internal.example.com/hook" } },
    severities: ["critical", "warning"],
    repeatIntervals: { warning: "12h" },
  },
  "opsgenie-priority-override": { ...keys, ...dms, notify: { critical: { opsgenie: { priority: "P2" } }, warning: { opsgenie: true }, info: null } },
};

const dir = tempDir("receivers");

describe.each(Object.entries(variants))("receiverRouting %s", (name, opts) => {
  presetChecks(dir, name, {
    preset: receiverRouting(opts),
    environment: "prod",
    severities: opts.severities ?? ["critical", "warning", "info"],
    ...(opts.deadMansSwitch ? {} : { warnings: ['route > routes[0] (alertname="Watchdog")'] }),
  });
});

describe("receiverRouting policy", () => {
  it("critical → PagerDuty and Slack, warning → Slack, info → nobody, with no SMTP configured", () => {
    const { config } = receiverRouting(pagerAndSlack);
    expect(config.global?.smtp).toBeUndefined();
    const byName = new Map(config.receivers.map((r) => [r.name, r]));
    expect(byName.get("critical")).toMatchObject({ pagerduty: [{ routingKey: keys.pagerduty.routingKey }], slack: [{ channel: "#alerts-critical" }] });
    expect(byName.get("critical")?.email).toBeUndefined();
    // Opsgenie's key is given but no severity asks for it: nobody gets an Opsgenie integration.
    expect(config.receivers.filter((r) => r.opsgenie?.length)).toEqual([]);
    expect(byName.get("warning")).toMatchObject({ slack: [{ channel: "#alerts" }] });
    expect(byName.get("warning")?.pagerduty).toBeUndefined();
    expect(byName.get("info")).toEqual({ name: "info" });
    expect(routeAlert(config, { alertname: "X", severity: "info" })).toEqual(["info"]);
    // No default given: alerts without severity go to the least urgent severity that notifies someone.
    expect(config.route.receiver).toBe("warning");
    expect(routeAlert(config, { alertname: "X" })).toEqual(["warning"]);
  });
  it("keeps the seeds' timers per severity and the Watchdog first", () => {
    const { config } = receiverRouting(variants["every-integration"]!);
    expect((config.route.routes ?? []).map((r) => [r.receiver, r.repeatInterval, r.activeTimeIntervals?.[0]])).toEqual([
      ["dead-mans-switch", "5m", undefined], ["critical", "30m", undefined], ["warning", "4h", "business-hours"], ["info", "24h", "business-hours"],
      ["api", undefined, undefined], ["database", undefined, undefined],
    ]);
    expect(routeAlert(config, { alertname: "X", severity: "critical", component: "database" })).toEqual(["critical", "database"]);
  });
  it("gives Opsgenie a priority by severity unless the receiver sets one", () => {
    const { config } = receiverRouting(variants["opsgenie-priority-override"]!);
    expect(config.receivers.find((r) => r.name === "critical")?.opsgenie?.[0]?.priority).toBe("P2");
    expect(config.receivers.find((r) => r.name === "warning")?.opsgenie?.[0]?.priority).toBe("P3");
  });
  it("references every credential as a secret, including per-receiver keys and webhook URLs", () => {
    expect(secretRefs(receiverRouting(variants["every-integration"]!).config)).toEqual([
      "dba-pagerduty-key", "dead-mans-switch-url", "incident-hook-url", "opsgenie-api-key", "pagerduty-routing-key", "slack-webhook",
    ]);
  });
  it("golden file (UPDATE_GOLDEN=1 to regenerate): pagerduty-and-slack alertmanager.yml", () => {
    const text = renderAlertmanagerConfig(receiverRouting(pagerAndSlack).config, { secretsDir: SECRETS_DIR });
    expectGolden(join(__dirname, "golden", "receivers-pagerduty-and-slack.alertmanager.yml"), text);
  });
});

describe("receiverRouting refuses options it cannot route, naming the severity, component or receiver", () => {
  const cases: [string, ReceiverRoutingOptions, string, string, RegExp][] = [
    ["a severity the rules use but notify leaves out", { ...keys, notify: { critical: { pagerduty: true }, warning: { slack: "#a" } } }, 'severity "info"', "", /notify\.info names no receivers: name them, or set info: null/],
    ["a severity with an empty receiver list", { ...keys, notify: { critical: {}, warning: { slack: "#a" }, info: null } }, 'severity "critical"', "", /names no receivers: give at least one of email, slack, pagerduty, webhook, opsgenie, or null/],
    ["email without an SMTP relay", { notify: { critical: { email: "oncall@example.com" } }, severities: ["critical"] }, 'severity "critical"', "email", /needs smtp/],
    ["Slack without the webhook secret", { notify: { warning: { slack: "#alerts" } }, severities: ["warning"] }, 'severity "warning"', "slack", /needs slack\.apiUrl/],
    ["pagerduty: true without a routing key", { notify: { critical: { pagerduty: true } }, severities: ["critical"] }, 'severity "critical"', "pagerduty", /needs pagerduty\.routingKey/],
    ["opsgenie without an API key", { notify: { critical: { opsgenie: { priority: "P1" } } }, severities: ["critical"] }, 'severity "critical"', "opsgenie", /needs opsgenie\.apiKey/],
    ["a misspelt integration (JavaScript callers)", { ...keys, notify: { critical: { pagerdutty: true } as never }, severities: ["critical"] }, 'severity "critical"', "pagerdutty", /is not an integration/],
    ["an unknown severity", { ...keys, notify: { page: { slack: "#a" } } as never, severities: [] }, 'severity "page"', "", /is not one of critical, warning, info/],
    ["a component named like a severity receiver", { ...keys, notify: { critical: { slack: "#a" } }, severities: ["critical"], components: { critical: { slack: "#b" } } }, 'component "critical"', "", /taken by a severity/],
    ["a component with no receivers", { ...keys, notify: { critical: { slack: "#a" } }, severities: ["critical"], components: { api: {} } }, 'component "api"', "", /names no receivers/],
    ["nobody notified and no default", { notify: { critical: null, warning: null, info: null } }, "default", "", /is required when no severity notifies anyone/],
  ];
  it.each(cases)("%s", (_name, opts, item, field, message) => {
    let err: unknown;
    try {
      receiverRouting(opts);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    const issues = (err as ValidationError).issues;
    expect(issues).toContainEqual(expect.objectContaining({ severity: "error", item, field, message: expect.stringMatching(message) }));
    expect((err as Error).message).toContain(item);
  });
  it("a credential pasted as a webhook URL is refused by the validator, naming the receiver", () => {
    const { config } = receiverRouting({ notify: { critical: { webhook: "https://hooks.slack.com/services/T0/B0/XXXX" } }, severities: ["critical"] });
    expect(() => renderAlertmanagerConfig(config, { secretsDir: SECRETS_DIR })).toThrow(/receiver "critical" > webhook\[0\]: url looks like a Slack incoming-webhook URL/);
  });
});
