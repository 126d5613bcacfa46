/**
 * Inhibition against a real Alertmanager on loopback: post each test's alerts to /api/v2/alerts, capture deliveries
 * at a webhook sink, and assert who was notified and who was inhibited. Killed by PID in afterAll.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AlertmanagerConfig, Labels } from "../../../core/alertmanager/model";
import { renderAlertmanagerConfig } from "../../../core/alertmanager/render";
import type { InhibitionExpectation } from "../../../core/alertmanager/route-tests";
import { evaluateRoutingTests } from "../../../core/alertmanager/route-tests";
import { severityRouting } from "../../../routing/severity";
import { startAlertmanager, startWebhookSink, tempDir, writeTemp } from "./tools";
import type { RunningAlertmanager, WebhookSink } from "./tools";

const preset = severityRouting({ smtp: { smarthost: "smtp.example.com:587", from: "am@example.com" }, email: { to: "team@example.com" } });
const cases = preset.tests.filter((t): t is InhibitionExpectation => t.kind === "inhibit");

let am: RunningAlertmanager | undefined;
let sink: WebhookSink | undefined;

const isolate = (l: Labels, i: number): Record<string, string> => ({ ...l, case: `c${i}` });
const key = (l: Labels) => JSON.stringify(Object.keys(l).sort().map((k) => [k, l[k]]));

interface ApiAlert {
  labels: Record<string, string>;
  status: { state: string; inhibitedBy: string[] };
}

beforeAll(async () => {
  sink = await startWebhookSink();
  const cfg: AlertmanagerConfig = {
    route: { receiver: "hook", groupBy: ["..."], groupWait: "1s", groupInterval: "1s", repeatInterval: "1h" },
    receivers: [{ name: "hook", webhook: [{ url: sink.url, sendResolved: false }] }],
    // Cases run side by side: a shared "case" label in every rule's `equal` keeps one case's alerts from
    // inhibiting another's (a missing label equals a missing label).
    inhibitRules: (preset.config.inhibitRules ?? []).map((r) => ({ ...r, equal: [...(r.equal ?? []), "case"] })),
  };
  const file = writeTemp(tempDir("am-live"), "alertmanager.yml", renderAlertmanagerConfig(cfg, { secretsDir: "/s", allowShortIntervals: true }));
  am = await startAlertmanager(file);
});

afterAll(async () => {
  await am?.stop();
  await sink?.close();
});

describe("inhibition on a real Alertmanager 0.25", () => {
  it("the preset ships inhibition tests and our evaluator passes them", () => {
    expect(cases.length).toBeGreaterThanOrEqual(5);
    expect(evaluateRoutingTests(preset.config, cases)).toEqual([]);
  });

  it("notifies and inhibits exactly as the routing tests say", async () => {
    const alerts = cases.flatMap((c, i) => [c.alert, ...c.firing].map((l) => ({ labels: isolate(l, i) })));
    const res = await fetch(`${am!.url}/api/v2/alerts`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(alerts) });
    expect(res.status).toBe(200);

    const expectedNotified = cases.filter((c) => !c.inhibited).map((c) => key(isolate(c.alert, cases.indexOf(c))));
    const delivered = () => new Set(sink!.received.map(key));
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && !expectedNotified.every((k) => delivered().has(k))) await new Promise((r) => setTimeout(r, 200));
    // Give wrongly uninhibited alerts the same chance to arrive (group_wait is 1s).
    await new Promise((r) => setTimeout(r, 2500));

    const api = (await (await fetch(`${am!.url}/api/v2/alerts`)).json()) as ApiAlert[];
    const state = new Map(api.map((a) => [key(a.labels), a.status]));
    const got = delivered();
    const report = cases.map((c, i) => {
      const k = key(isolate(c.alert, i));
      return { name: c.name, inhibited: (state.get(k)?.inhibitedBy.length ?? 0) > 0, notified: got.has(k) };
    });
    expect(report).toEqual(cases.map((c) => ({ name: c.name, inhibited: c.inhibited, notified: !c.inhibited })));
  });
});
