/**
 * Drills 2–6 of the README's "Drills": faults provoked on the prod stack's own render (Pulumi.prod.yaml through
 * composeStackArgs, wireComponents and the component resolvers, Kubernetes platform: HA replicas, the Alertmanager
 * cluster flags, the replica label dropped from alerts), run with the Go-built Prometheus, promtool, Alertmanager
 * and blackbox_exporter on loopback (harness/prod-render.ts says what differs from prod and why). Each drill is
 * bounded in time, prints what it measured, and stops every process it started, on failure too. Drill 1 is in the
 * Docker proof (test/docker/dev-stack.test.ts). Runs in `npm run e2e`, after the live dev stack.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runVerifyCli } from "../../cli/verify";
import { routeAlert } from "../../core/alertmanager/matcher";
import { detectionLatencies, formatMs, latencyBound } from "../../core/latency";
import { alertStaticLabels, packAlerts } from "../../core/rules/model";
import { tool } from "../helpers/tools";
import { startDrillStack, startTarget, type DrillStack, type DrillStackOptions, type Target } from "./harness/drill-stack";
import { freePort, sleep, waitFor } from "./harness/processes";
import type { Notification } from "./harness/stack";

const PROJECT = resolve(__dirname, "../..");
/** Alertmanager's default `--cluster.peer-timeout` (the stack does not change it): peer n waits n × this before it notifies. */
const PEER_TIMEOUT_MS = 15_000;
/** Measured latency may exceed the computed bound by this much (scheduling on a busy 2-core runner). */
const SLACK_MS = 3_000;
/** Delivery budget in the bound: Prometheus → Alertmanager → a webhook on loopback. */
const DELIVERY_MS = 1_000;
/** Prometheus's default `--rules.alert.resend-delay`: a firing alert is sent again at most this often. */
const RESEND_DELAY_MS = 60_000;

const figures: { drill: string; what: string; ms: number }[] = [];
const started = Date.now();
function measured(drill: string, what: string, ms: number): void {
  figures.push({ drill, what, ms });
  console.log(`drill ${drill}: ${what} ${formatMs(ms)}`);
}

afterAll(() => {
  const rows = figures.map((f) => `  ${f.drill.padEnd(3)} ${f.what.padEnd(72)} ${formatMs(f.ms).padStart(7)}`);
  console.log(`drills, measured:\n${rows.join("\n")}\ndrills: ${((Date.now() - started) / 1000).toFixed(1)} s in total`);
});

interface Vector {
  readonly result: readonly { readonly metric: Record<string, string>; readonly value: [number, string] }[];
}
async function query(prom: string, expr: string): Promise<Vector["result"]> {
  const r = await fetch(`${prom}/api/v1/query?query=${encodeURIComponent(expr)}`, { signal: AbortSignal.timeout(5_000) });
  const body = (await r.json()) as { status: string; data: Vector; error?: string };
  if (body.status !== "success") throw new Error(`${expr}: ${body.error}`);
  return body.data.result;
}

interface AmAlert {
  readonly fingerprint: string;
  readonly labels: Record<string, string>;
  readonly status: { readonly state: string };
}
async function amAlerts(am: string, match: Record<string, string>): Promise<AmAlert[]> {
  const filter = Object.entries(match).map(([k, v]) => `filter=${encodeURIComponent(`${k}="${v}"`)}`).join("&");
  const r = await fetch(`${am}/api/v2/alerts?${filter}`, { signal: AbortSignal.timeout(5_000) });
  return (await r.json()) as AmAlert[];
}

async function metric(url: string, name: string): Promise<number | undefined> {
  const text = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line === undefined ? undefined : Number(line.split(/\s+/).at(-1));
}

const matches = (labels: Record<string, string>, want: Record<string, string>) => Object.entries(want).every(([k, v]) => labels[k] === v);

/** Notifications carrying the alert firing, per receiver. */
function firingAt(s: DrillStack, alert: string, labels: Record<string, string>): Notification[] {
  return s.webhook.notifications.filter((n) => n.payload.alerts.some((a) => a.status === "firing" && a.labels.alertname === alert && matches(a.labels, labels)));
}

/** Labels as Alertmanager receives the alert: external labels without `replica` (dropped), the rule's, the caller's. */
function alertLabels(s: DrillStack, alert: string, extra: Record<string, string>): Record<string, string> {
  const rule = s.render.rulePacks.flatMap(packAlerts).find((a) => a.alert === alert);
  if (!rule) throw new Error(`no alert ${alert}`);
  const { replica: _dropped, ...external } = s.render.prometheusConfig.global.externalLabels ?? {};
  return { ...external, ...extra, ...alertStaticLabels(rule), alertname: alert };
}

function bound(s: DrillStack, alert: string, labels: Record<string, string>): number {
  const b = detectionLatencies({ prometheus: s.render.prometheusConfig, rulePacks: s.render.rulePacks, alertmanager: s.render.alertmanagerConfig, labels: { [alert]: labels }, alerts: [alert], deliveryMs: DELIVERY_MS });
  return Math.max(...b.map((x) => x.breakdown.boundMs));
}

/** Waits until every receiver the routing names has the alert; returns the latest first-arrival (ms since the epoch). */
async function delivered(s: DrillStack, alert: string, labels: Record<string, string>, timeoutMs: number): Promise<{ receivers: string[]; at: number }> {
  const receivers = routeAlert(s.render.alertmanagerConfig, alertLabels(s, alert, labels));
  expect(receivers.length, `${alert} routes somewhere`).toBeGreaterThan(0);
  await waitFor(`${alert} ${JSON.stringify(labels)} at ${receivers.join(", ")}`, async () => receivers.every((r) => firingAt(s, alert, labels).some((n) => n.receiver === r)), timeoutMs, 100);
  const at = Math.max(...receivers.map((r) => firingAt(s, alert, labels).find((n) => n.receiver === r)!.at));
  // Nowhere else.
  expect([...new Set(firingAt(s, alert, labels).map((n) => n.receiver))].sort()).toEqual([...receivers].sort());
  return { receivers, at };
}

/** Firing notifications of the alert per receiver, e.g. { critical: 1, api: 1 }. */
function copies(s: DrillStack, alert: string, labels: Record<string, string>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of firingAt(s, alert, labels)) out[n.receiver] = (out[n.receiver] ?? 0) + 1;
  return out;
}

async function verifyCli(args: string[]): Promise<{ code: number; text: string }> {
  const out: string[] = [];
  const code = await runVerifyCli(args, { env: {}, out: (t) => out.push(t), err: (t) => out.push(t), cwd: PROJECT });
  return { code, text: out.join("\n") };
}

/** Targets of the rendered config (static ones: the drills run no discovery). */
const targetCount = (s: DrillStack) => s.render.prometheusConfig.scrapeJobs.flatMap((j) => j.staticConfigs ?? []).reduce((n, g) => n + g.targets.length, 0);

/**
 * One Prometheus and one Alertmanager (prod's render with one replica each) watching one API target: the drills
 * whose fault is in Prometheus or Alertmanager themselves.
 */
function singleStack(app: Target, more: Pick<DrillStackOptions, "shortFor"> & Partial<DrillStackOptions>): Promise<DrillStack> {
  return startDrillStack({
    projectDir: PROJECT,
    interval: "1s",
    prometheusReplicas: 1,
    alertmanagerReplicas: 1,
    services: [{ name: "api", targets: [`127.0.0.1:${app.port}`], labels: { component: "api", service: "api" } }],
    groupWait: "5s",
    ...more,
  });
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

describe("drills 2 and 3: prod's HA pair of Prometheus replicas and 3-peer Alertmanager cluster", () => {
  let s: DrillStack;
  let api: Target;
  let worker: Target;
  let workerB: Target;
  // ServiceDown is `max by (job)`: its only target label is job.
  const API = { job: "api" };
  let WORKER_B: Record<string, string> = {};

  beforeAll(async () => {
    api = await startTarget(await freePort());
    worker = await startTarget(await freePort());
    workerB = await startTarget(await freePort());
    WORKER_B = { job: "worker", instance: `127.0.0.1:${workerB.port}`, service: "worker" };
    s = await startDrillStack({
      projectDir: PROJECT,
      interval: "1s",
      prometheusReplicas: 2,
      alertmanagerReplicas: 3,
      // prod's services on the drill's targets (the worker with two instances); a `service` label each, which the
      // routing groups by, so a worker alert opens its own aggregation group.
      services: [
        { name: "api", targets: [`127.0.0.1:${api.port}`], labels: { component: "api", service: "api" } },
        { name: "worker", targets: [`127.0.0.1:${worker.port}`, `127.0.0.1:${workerB.port}`], labels: { component: "worker", service: "worker" } },
      ],
      shortFor: { ServiceDown: "2s", TargetDown: "2s" },
      groupWait: "5s",
    });
  }, 90_000);

  afterAll(async () => {
    await s?.stop();
    await api?.stop();
    await worker?.stop();
    await workerB?.stop();
  });

  it("forms the cluster the render describes: 3 peers gossiping, each Prometheus replica alerting all of them; verify passes", async () => {
    const t0 = Date.now();
    await waitFor("3 peers ready on every Alertmanager", async () => {
      const st = await Promise.all(s.alertmanager.map(async (u) => (await (await fetch(`${u}/api/v2/status`)).json()) as { cluster: { status: string; peers: unknown[] } }));
      return st.every((x) => x.cluster.status === "ready" && x.cluster.peers.length === 3);
    }, 60_000, 250);
    measured("2", "cluster of 3 peers ready after the programs answered", Date.now() - t0);
    for (const p of s.prometheus) {
      await waitFor(`${p} sends to every peer`, async () => {
        const d = (await (await fetch(`${p}/api/v1/alertmanagers`)).json()) as { data: { activeAlertmanagers: { url: string }[] } };
        return d.data.activeAlertmanagers.length === 3;
      }, 20_000, 250);
      const d = (await (await fetch(`${p}/api/v1/alertmanagers`)).json()) as { data: { activeAlertmanagers: { url: string }[] } };
      expect(d.data.activeAlertmanagers.map((a) => new URL(a.url).origin).sort()).toEqual([...s.alertmanager].sort());
    }
    await waitFor("every target up on both replicas", async () => {
      const r = await Promise.all(s.prometheus.map((p) => query(p, "up == 0 or absent(up)")));
      const up = await Promise.all(s.prometheus.map((p) => query(p, "up")));
      return r.every((x) => x.length === 0) && up.every((x) => x.length === targetCount(s));
    }, 30_000, 250);
    const v = await verifyCli(["--prometheus", s.prometheus.join(","), "--alertmanager", s.alertmanager.join(","), "--expect-peers", "3"]);
    expect(v.code, v.text).toBe(0);
  });

  let firstNotified = 0;

  it("drill 2: the peer that would notify first is killed while ServiceDown fires; a survivor notifies once, nobody twice", async () => {
    // The peer at position 0 notifies at once; the others wait 1 and 2 peer timeouts and then read the
    // notification log gossiped to them. Killing that one means the notification must come from a survivor, which
    // only has the alert if Prometheus sent it there too.
    const positions = await Promise.all(s.alertmanager.map((u) => metric(u, "alertmanager_peer_position")));
    const first = positions.indexOf(0);
    expect(first, `peer positions ${positions.join(", ")}`).toBeGreaterThanOrEqual(0);
    const victim = s.alertmanagerNames[first]!;
    const survivors = s.alertmanager.filter((_, i) => i !== first);

    await api.stop();
    const fault = Date.now();
    await waitFor("ServiceDown{job=api} firing on both replicas", async () => {
      const r = await Promise.all(s.prometheus.map((p) => query(p, 'ALERTS{alertname="ServiceDown",alertstate="firing",job="api"}')));
      return r.every((x) => x.length === 1);
    }, 20_000, 100);
    const firing = Date.now();
    // Both replicas sent it to every peer, and each peer holds ONE alert: the replica label is dropped, or there
    // would be two (one per replica) and every receiver would get both.
    for (const u of s.alertmanager) {
      await waitFor(`${u} has the alert`, async () => (await amAlerts(u, { alertname: "ServiceDown", job: "api" })).length > 0, 5_000, 50);
      const held = await amAlerts(u, { alertname: "ServiceDown", job: "api" });
      expect(held.map((a) => a.labels.replica)).toEqual([undefined]);
    }
    expect(firingAt(s, "ServiceDown", API)).toEqual([]);
    await s.programs.kill(victim);
    const killed = Date.now();
    measured("2", `fault → ServiceDown firing on both replicas`, firing - fault);
    measured("2", `fault → ${victim} (position 0) killed, before it notified`, killed - fault);

    // The survivors notify: within the bound plus the wait of a survivor's position (2 peers at most before it).
    const limit = bound(s, "ServiceDown", API) + 2 * PEER_TIMEOUT_MS + SLACK_MS;
    const { receivers, at } = await delivered(s, "ServiceDown", API, limit - (Date.now() - fault));
    firstNotified = at;
    measured("2", `fault → notified by a survivor at ${receivers.join(", ")} (bound + 2 peer timeouts ${formatMs(limit - SLACK_MS)})`, at - fault);

    // verify sees the lost peer on the survivors.
    await waitFor("survivors see 2 members", async () => (await verifyCli(["--prometheus", s.prometheus[0]!, "--alertmanager", survivors.join(","), "--expect-peers", "3"])).text.includes("2 peers, expected 3"), 30_000, 500);

    // The killed peer returns (same flags and data directory, no snapshot written: it was killed), joins, gets the
    // alert again from Prometheus (resend delay) and reads the gossiped log: it must not notify again.
    s.restart(victim);
    const back = Date.now();
    const victimUrl = s.alertmanager[first]!;
    await waitFor(`${victim} holds the alert again`, async () => (await amAlerts(victimUrl, { alertname: "ServiceDown", job: "api" })).length > 0, RESEND_DELAY_MS + 15_000, 250);
    const holds = Date.now();
    measured("2", `${victim} restarted → holds the alert again (Prometheus's resend delay ${formatMs(RESEND_DELAY_MS)})`, holds - back);
    await waitFor("3 peers again", async () => (await verifyCli(["--prometheus", s.prometheus[0]!, "--alertmanager", s.alertmanager.join(","), "--expect-peers", "3"])).text.match(/3 peers, ready/g)?.length === 3, 30_000, 500);
    // Its group's first flush is group_wait after it got the alert, then up to 2 peer timeouts for its position.
    const watch = Math.max(holds + 10_000 + 2 * PEER_TIMEOUT_MS + SLACK_MS, firstNotified + 2 * PEER_TIMEOUT_MS + SLACK_MS) - Date.now();
    await sleep(Math.max(0, watch));
    expect(copies(s, "ServiceDown", API)).toEqual(Object.fromEntries(receivers.map((r) => [r, 1])));
    const n = firingAt(s, "ServiceDown", API)[0]!;
    expect(n.payload.alerts.filter((a) => a.labels.alertname === "ServiceDown").map((a) => a.labels.replica)).toEqual([undefined]);
    measured("2", `watched for second copies after the first notification (group_interval 5m, repeat 30m)`, Date.now() - firstNotified);
  }, 240_000);

  it("drill 3: one Prometheus replica stopped; the other's alert (one worker instance down) arrives once; verify names the stopped replica", async () => {
    await api.start();
    const stopping = Date.now();
    await s.programs.stop(s.prometheusNames[1]!, 90_000);
    measured("3", `${s.prometheusNames[1]} stopped (SIGTERM, exit)`, Date.now() - stopping);
    await workerB.stop();
    const fault = Date.now();
    const b = bound(s, "TargetDown", WORKER_B);
    const { receivers, at } = await delivered(s, "TargetDown", WORKER_B, b + SLACK_MS + 2_000);
    measured("3", `one worker instance stopped → TargetDown at ${receivers.join(", ")} from the remaining replica (bound ${formatMs(b)})`, at - fault);
    expect(at - fault).toBeLessThanOrEqual(b + SLACK_MS);
    for (const u of s.alertmanager) expect((await amAlerts(u, { alertname: "TargetDown", job: "worker" })).map((a) => a.labels.replica)).toEqual([undefined]);
    // Past the 2 peer timeouts in which the other peers would have sent copies without gossip.
    await sleep(Math.max(0, at + 2 * PEER_TIMEOUT_MS + SLACK_MS - Date.now()));
    expect(copies(s, "TargetDown", WORKER_B)).toEqual(Object.fromEntries(receivers.map((r) => [r, 1])));
    // The other instance answers: the service is not down.
    expect(firingAt(s, "ServiceDown", { job: "worker" })).toEqual([]);

    const stopped = s.prometheus[1]!;
    const v = await verifyCli(["--prometheus", s.prometheus.join(","), "--alertmanager", s.alertmanager.join(","), "--expect-peers", "3"]);
    console.log(v.text);
    expect(v.code).toBe(1);
    expect(v.text).toMatch(new RegExp(`prometheus ${escape(stopped)} +ready +FAIL +GET ${escape(stopped)}/-/ready failed`));
    expect(v.text).toMatch(new RegExp(`prometheus ${escape(s.prometheus[0]!)} +ready +ok`));
    // The Watchdog came from both replicas through all three peers, one of them killed and back: one notification
    // per repeat interval (5m), never two within it.
    const beats = s.webhook.notifications.filter((n) => n.payload.alerts.some((a) => a.labels.alertname === "Watchdog")).map((n) => n.at);
    expect(beats.length).toBeGreaterThan(0);
    expect(beats.slice(1).map((t, i) => t - beats[i]!).filter((gap) => gap < 5 * 60_000 - SLACK_MS)).toEqual([]);
    console.log(`drill 3: ${beats.length} Watchdog notification(s) from 2 replicas through 3 peers over ${formatMs(Date.now() - beats[0]!)} (repeat 5m)`);
  }, 120_000);
});

describe("drill 4: a bad config reloaded into Prometheus and Alertmanager", () => {
  let s: DrillStack;
  let app: Target;
  const WINDOW = "10s";

  beforeAll(async () => {
    app = await startTarget(await freePort());
    s = await singleStack(app, {
      shortFor: { PrometheusConfigReloadFailed: "2s", AlertmanagerConfigReloadFailed: "2s" },
      thresholds: { selfMonitoring: { reloadWindow: WINDOW } },
    });
  }, 90_000);

  afterAll(async () => {
    await s?.stop();
    await app?.stop();
  });

  it("keeps the old configs serving, fires both reload alerts within their bound (the window counted), verify exits 1 naming them", async () => {
    const [prom] = s.prometheus as [string];
    const [am] = s.alertmanager as [string];
    await waitFor("both reloads scraped as successful", async () => {
      const r = await query(prom, 'prometheus_config_last_reload_successful{job="prometheus"} == 1 and on() alertmanager_config_last_reload_successful{job="alertmanager"} == 1');
      return r.length === 1;
    }, 30_000, 250);
    const oldProm = ((await (await fetch(`${prom}/api/v1/status/config`)).json()) as { data: { yaml: string } }).data.yaml;
    const oldAm = ((await (await fetch(`${am}/api/v2/status`)).json()) as { config: { original: string } }).config.original;

    // Out-of-band edits of the mounted files (a hand-edited ConfigMap, a config from another tool): a typo each.
    const promFile = s.hostPath(s.prometheusNames[0]!, "/etc/prometheus/prometheus.yml");
    const amFile = s.hostPath("alertmanager-0", "/etc/alertmanager/alertmanager.yml");
    const promText = readFileSync(promFile, "utf8");
    const amText = readFileSync(amFile, "utf8");
    expect(promText).toMatch(/scrape_interval: 1s/);
    expect(amText).toMatch(/receiver: default/);
    writeFileSync(promFile, promText.replace("scrape_interval: 1s", "scrape_interval: one-second"));
    writeFileSync(amFile, amText.replace("receiver: default", "receiver: defualt"));
    const fault = Date.now();
    const pr = await fetch(`${prom}/-/reload`, { method: "POST" });
    const ar = await fetch(`${am}/-/reload`, { method: "POST" });
    expect([pr.status, ar.status]).toEqual([500, 500]);
    console.log(`drill 4: Prometheus answered the reload: ${(await pr.text()).trim().slice(0, 200)}\ndrill 4: Alertmanager answered: ${(await ar.text()).trim().slice(0, 200)}`);

    // The old configs keep serving: the same config in effect, rules evaluated, alerts routed by the old tree.
    expect(((await (await fetch(`${prom}/api/v1/status/config`)).json()) as { data: { yaml: string } }).data.yaml).toBe(oldProm);
    expect(((await (await fetch(`${am}/api/v2/status`)).json()) as { config: { original: string } }).config.original).toBe(oldAm);

    const window = 10_000;
    const alerts = [
      { alert: "PrometheusConfigReloadFailed", labels: { job: "prometheus" } },
      { alert: "AlertmanagerConfigReloadFailed", labels: { job: "alertmanager" } },
    ];
    const results = await Promise.all(
      alerts.map(async ({ alert, labels }) => {
        const b = detectionLatencies({ prometheus: s.render.prometheusConfig, rulePacks: s.render.rulePacks, alertmanager: s.render.alertmanagerConfig, labels: { [alert]: labels }, alerts: [alert], deliveryMs: DELIVERY_MS });
        const worst = b.reduce((x, y) => (y.breakdown.boundMs > x.breakdown.boundMs ? y : x));
        const { receivers, at } = await delivered(s, alert, labels, worst.breakdown.boundMs + SLACK_MS + 5_000);
        return { alert, receivers, ms: at - fault, breakdown: worst.breakdown };
      }),
    );
    for (const r of results) {
      const b = r.breakdown;
      // The bound as it was before range windows were counted: the same stages with an instant selector.
      const { windowMs: _w, forRoundedMs: _f, boundMs: _b, boundInExistingGroupMs: _e, ...stages } = b;
      const withoutWindow = latencyBound({ ...stages, windowMs: 0 }).boundMs;
      measured("4", `bad reload → ${r.alert} at ${r.receivers.join(", ")} (bound ${formatMs(b.boundMs)}: window ${formatMs(b.windowMs)}, for ${formatMs(b.forRoundedMs)}, group_wait ${formatMs(b.groupWaitMs)}; without the window ${formatMs(withoutWindow)})`, r.ms);
      expect(b.windowMs).toBe(window);
      expect(r.ms).toBeLessThanOrEqual(b.boundMs + SLACK_MS);
      // The window is real: no alert before the last good sample left it, so the old bound was too small.
      expect(r.ms).toBeGreaterThan(window - 1_000);
      expect(r.ms).toBeGreaterThan(withoutWindow);
    }
    // Still the old config after the alerts fired: nothing was half-applied.
    expect(((await (await fetch(`${prom}/api/v1/status/config`)).json()) as { data: { yaml: string } }).data.yaml).toBe(oldProm);

    const v = await verifyCli(["--prometheus", prom, "--alertmanager", am]);
    console.log(v.text);
    expect(v.code).toBe(1);
    expect(v.text).toMatch(/prometheus +config reload +FAIL +the last config reload failed: Prometheus runs the previous config/);
    expect(v.text).toMatch(/alertmanager +config reload +FAIL +the last config reload failed: Alertmanager routes with the previous config/);
  }, 120_000);
});

describe("drill 5: a target that hangs and one that answers slowly", () => {
  let s: DrillStack;
  let hang: Target;
  let slow: Target;
  let page: Target;
  const SCRAPE_TIMEOUT_S = 1;

  beforeAll(async () => {
    hang = await startTarget(await freePort());
    slow = await startTarget(await freePort());
    page = await startTarget(await freePort());
    s = await startDrillStack({
      projectDir: PROJECT,
      // 2s: the probe job's scrape timeout is the interval, so blackbox has 1.5s for a probe of a 1.2s page.
      interval: "2s",
      prometheusReplicas: 1,
      alertmanagerReplicas: 1,
      services: [
        { name: "hang", targets: [`127.0.0.1:${hang.port}`], scrapeInterval: "2s", scrapeTimeout: `${SCRAPE_TIMEOUT_S}s`, labels: { service: "hang" } },
        { name: "slow", targets: [`127.0.0.1:${slow.port}`], scrapeInterval: "2s", scrapeTimeout: `${SCRAPE_TIMEOUT_S}s`, labels: { service: "slow" } },
      ],
      probes: [{ name: "slow-page", module: "http_2xx", targets: [`http://127.0.0.1:${page.port}/`] }],
      shortFor: { ServiceDown: "2s", TargetDown: "2s", ProbeSlow: "2s", ProbeFailing: "2s" },
      groupWait: "5s",
    });
  }, 90_000);

  afterAll(async () => {
    await s?.stop();
    for (const t of [hang, slow, page]) await t?.stop();
  });

  it("times the hanging scrape out at its configured timeout (up == 0, ServiceDown routed), keeps the slow one up, and routes ProbeSlow", async () => {
    const [prom] = s.prometheus as [string];
    type Targets = { data: { activeTargets: { labels: Record<string, string>; health: string; lastError: string; lastScrapeDuration: number }[] } };
    const targets = async () => ((await (await fetch(`${prom}/api/v1/targets?state=active`)).json()) as Targets).data.activeTargets;
    await waitFor("every target up", async () => {
      const all = await targets();
      return all.length === targetCount(s) && all.every((t) => t.health === "up");
    }, 30_000, 250);
    hang.behaviour = { kind: "hang" };
    slow.behaviour = { kind: "slow", delayMs: 600 };
    page.behaviour = { kind: "slow", delayMs: 1_200 };
    const fault = Date.now();

    const down = bound(s, "ServiceDown", { job: "hang" });
    const probe = bound(s, "ProbeSlow", { job: "blackbox-slow-page" });
    const [d, p] = await Promise.all([
      delivered(s, "ServiceDown", { job: "hang" }, down + SLACK_MS + 5_000),
      delivered(s, "ProbeSlow", { job: "blackbox-slow-page" }, probe + SLACK_MS + 5_000),
    ]);
    measured("5", `hang → ServiceDown{job=hang} at ${d.receivers.join(", ")} (bound ${formatMs(down)})`, d.at - fault);
    measured("5", `slow page (1.2s) → ProbeSlow at ${p.receivers.join(", ")} (bound ${formatMs(probe)})`, p.at - fault);
    expect(d.at - fault).toBeLessThanOrEqual(down + SLACK_MS);
    expect(p.at - fault).toBeLessThanOrEqual(probe + SLACK_MS);

    const all = await targets();
    const h = all.find((t) => t.labels.job === "hang")!;
    const sl = all.find((t) => t.labels.job === "slow")!;
    measured("5", `hanging scrape ended after (timeout ${SCRAPE_TIMEOUT_S}s)`, h.lastScrapeDuration * 1000);
    measured("5", `slow scrape (600ms answer) took`, sl.lastScrapeDuration * 1000);
    expect(h.health).toBe("down");
    expect(h.lastError).toMatch(/context deadline exceeded|timeout/i);
    expect(h.lastScrapeDuration).toBeGreaterThanOrEqual(SCRAPE_TIMEOUT_S * 0.95);
    expect(h.lastScrapeDuration).toBeLessThan(SCRAPE_TIMEOUT_S + 0.9);
    expect(sl.health).toBe("up");
    expect(sl.lastScrapeDuration).toBeGreaterThanOrEqual(0.55);
    expect(sl.lastScrapeDuration).toBeLessThan(SCRAPE_TIMEOUT_S);
    expect((await query(prom, 'up{job="hang"}')).map((x) => x.value[1])).toEqual(["0"]);
    expect((await query(prom, 'up{job="slow"}')).map((x) => x.value[1])).toEqual(["1"]);
    expect((await query(prom, 'probe_success{job="blackbox-slow-page"}')).map((x) => x.value[1])).toEqual(["1"]);
    // Only the designed alerts: the slow target is not down, the slow page does not fail.
    expect(await query(prom, 'ALERTS{alertname="ServiceDown",job="slow"} or ALERTS{alertname="ProbeFailing"}')).toEqual([]);
    expect(firingAt(s, "ServiceDown", { job: "slow" })).toEqual([]);
  }, 120_000);
});

describe("drill 6: disk pressure, size-based retention over backfilled blocks", () => {
  let s: DrillStack;
  let app: Target;
  /** The size limit (Prometheus reads MB as MiB). */
  const LIMIT = "2MB";
  const LIMIT_BYTES = 2 * 2 ** 20;
  const BLOCKS = 10;
  const SERIES = 200;
  const blockBytes = (dir: string): number => readdirSync(dir, { withFileTypes: true }).reduce((n: number, e) => n + (e.isDirectory() ? blockBytes(join(dir, e.name)) : statSync(join(dir, e.name)).size), 0);
  const blocksIn = (data: string) =>
    readdirSync(data)
      .filter((d) => /^[0-9A-Z]{26}$/.test(d))
      .map((d) => ({ ulid: d, ...(JSON.parse(readFileSync(join(data, d, "meta.json"), "utf8")) as { minTime: number; maxTime: number }), bytes: blockBytes(join(data, d)) }))
      .map(({ ulid, minTime, maxTime, bytes }) => ({ ulid, minTime, maxTime, bytes }))
      .sort((a, b) => a.minTime - b.minTime);
  let before: ReturnType<typeof blocksIn> = [];
  let startedAt = 0;
  let backfillMs = 0;

  beforeAll(async () => {
    app = await startTarget(await freePort());
    s = await singleStack(app, {
      shortFor: { PrometheusTsdbRetentionSizeReached: "2s" },
      retentionSize: LIMIT,
      // promtool's backfill into the TSDB volume while Prometheus is not running: 10 two-hour blocks a day ago
      // (inside the 30d retention time), random values so they do not compress to nothing.
      beforeStart: ({ hostPath, render }) => {
        const data = hostPath("prometheus-0", "/prometheus");
        const end = Math.floor(Date.now() / 1000 / 7200) * 7200 - 86_400;
        const start = end - BLOCKS * 7200;
        const lines = ["# TYPE drill_backfill gauge"];
        for (let series = 0; series < SERIES; series++) for (let t = start; t < end; t += 15) lines.push(`drill_backfill{series="${series}"} ${Math.random().toFixed(6)} ${t}`);
        lines.push("# EOF", "");
        const om = join(data, "..", "..", "backfill.om");
        writeFileSync(om, lines.join("\n"));
        const t0 = Date.now();
        const r = spawnSync(tool("promtool"), ["tsdb", "create-blocks-from", "openmetrics", om, data], { encoding: "utf8", timeout: 120_000 });
        backfillMs = Date.now() - t0;
        if (r.status !== 0) throw new Error(`promtool backfill failed: ${r.stderr}${r.stdout}`);
        const uid = Number(render.prometheus.user);
        spawnSync("chown", ["-R", `${uid}:${uid}`, data]);
        before = blocksIn(data);
        startedAt = Date.now();
      },
    });
  }, 180_000);

  afterAll(async () => {
    await s?.stop();
    await app?.stop();
  });

  it("deletes the oldest blocks down to the limit, fires PrometheusTsdbRetentionSizeReached to its receivers, and keeps running", async () => {
    const [prom] = s.prometheus as [string];
    const data = s.hostPath("prometheus-0", "/prometheus");
    measured("6", `promtool backfill of ${before.length} blocks (${(before.reduce((n, b) => n + b.bytes, 0) / 2 ** 20).toFixed(1)} MiB) over a ${LIMIT} limit`, backfillMs);
    expect(before.length).toBe(BLOCKS);
    expect(before.reduce((n, b) => n + b.bytes, 0)).toBeGreaterThan(LIMIT_BYTES * 1.5);

    await waitFor("a size-based retention deletion", async () => ((await metric(prom, "prometheus_tsdb_size_retentions_total")) ?? 0) >= 1, 90_000, 250);
    measured("6", "Prometheus started → size retention applied", Date.now() - startedAt);
    const after = blocksIn(data);
    // By time range, not by id: compaction may merge the kept 2h blocks into larger ones.
    const covered = (b: (typeof before)[number]) => after.some((a) => a.minTime <= b.minTime && a.maxTime >= b.maxTime);
    const deleted = before.filter((b) => !covered(b));
    console.log(`drill 6: ${deleted.length} of ${before.length} blocks deleted, ${after.length} kept (${(after.reduce((n, b) => n + b.bytes, 0) / 2 ** 20).toFixed(2)} MiB)`);
    expect(deleted.length).toBeGreaterThan(0);
    // The oldest ones, and only those: every kept block is newer than every deleted one.
    expect(deleted.length).toBeLessThan(before.length);
    expect(Math.min(...before.filter(covered).map((b) => b.minTime))).toBeGreaterThan(Math.max(...deleted.map((b) => b.minTime)));
    expect(after.reduce((n, b) => n + b.bytes, 0)).toBeLessThanOrEqual(LIMIT_BYTES);
    expect(await metric(prom, "prometheus_tsdb_retention_limit_bytes")).toBe(LIMIT_BYTES);

    const { receivers, at } = await delivered(s, "PrometheusTsdbRetentionSizeReached", { job: "prometheus" }, 60_000);
    measured("6", `Prometheus started → PrometheusTsdbRetentionSizeReached at ${receivers.join(", ")}`, at - startedAt);

    // Nothing crashed: healthy, ready, still scraping and evaluating, no failed compaction.
    expect(s.programs.crashed()).toEqual([]);
    for (const path of ["/-/healthy", "/-/ready"]) expect((await fetch(`${prom}${path}`)).status).toBe(200);
    expect((await query(prom, 'up{job="api"}')).map((x) => x.value[1])).toEqual(["1"]);
    expect(await metric(prom, "prometheus_tsdb_compactions_failed_total")).toBe(0);
    // The backfilled data that is left is queryable.
    expect((await query(prom, "count(count_over_time(drill_backfill[3d]))")).map((x) => x.value[1])).toEqual([String(SERIES)]);
  }, 150_000);
});
