/** Our renderer and route evaluator against the real amtool of the pinned release: check-config, routes test, and a differential run. */
import { beforeAll, describe, expect, it } from "vitest";
import type { AlertmanagerConfig, Labels } from "../../../core/alertmanager/model";
import { renderAlertmanagerConfig } from "../../../core/alertmanager/render";
import { routeAlert } from "../../../core/alertmanager/matcher";
import { amtoolRouteTestArgs } from "../../../core/alertmanager/route-tests";
import { severityRouting } from "../../../routing/severity";
import { IMAGES, imageTag } from "../../../components/images";
import { AMTOOL, pool, run, tempDir, writeTemp } from "./tools";

/** A tree that exercises regex, negation, empty-value matchers, nested continue and inheritance. */
export const DIFF_TREE: AlertmanagerConfig = {
  route: {
    receiver: "root",
    groupBy: ["alertname"],
    routes: [
      { receiver: "crit", matchers: ['severity="critical"'], continue: true, repeatInterval: "30m" },
      {
        receiver: "team-a",
        matchers: ['team=~"a|a2|api-.*"'],
        routes: [
          { matchers: ['env="prod"', 'severity!="info"'], receiver: "a-prod", continue: true },
          { matchers: ['env=~"prod|staging"'], receiver: "a-nonprod" },
          { matchers: ['region!~"eu-.*"'], receiver: "a-far" },
        ],
      },
      { receiver: "team-b", matchers: ['team="b"'], continue: true },
      { receiver: "no-team", matchers: ['team=""', 'severity=~"warning|info"'], continue: true },
      { receiver: "b-dup", matchers: ['team=~"b|c"'], routes: [{ matchers: ['env!="prod"'], receiver: "b-dev" }] },
      { receiver: "ci", matchers: ['team=~"(?i)CI"'] },
      { receiver: "dotted", matchers: ['service=~"db\\\\..+"'] },
    ],
  },
  receivers: ["root", "crit", "team-a", "a-prod", "a-nonprod", "a-far", "team-b", "no-team", "b-dup", "b-dev", "ci", "dotted"].map((name) => ({ name })),
};

/** Deterministic label sets over the vocabulary the tree tests. */
export function generateLabelSets(n: number, seed = 42): Labels[] {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const vocab: Record<string, readonly string[]> = {
    severity: ["critical", "warning", "info", "", "page"],
    team: ["a", "a2", "api-gw", "api", "b", "c", "ci", "CI", ""],
    env: ["prod", "staging", "dev", ""],
    region: ["eu-west", "us-east", "eu", ""],
    component: ["api", "database", "worker", ""],
    service: ["db.main", "db", "dbx.y", "api", ""],
  };
  const out: Labels[] = [];
  for (let i = 0; i < n; i++) {
    const l: Record<string, string> = { alertname: pick(["ServiceDown", "HighLatency", "DiskFull"]) };
    for (const [k, vs] of Object.entries(vocab)) {
      const v = pick(vs);
      if (v !== "") l[k] = v;
    }
    out.push(l);
  }
  return out;
}

const preset = severityRouting({
  smtp: { smarthost: "smtp.example.com:587", from: "am@example.com", authUsername: "am", authPassword: { secret: "smtp-password" } },
  email: { to: "team@example.com" },
  slack: { apiUrl: { secret: "slack-webhook" } },
  pagerduty: { routingKey: { secret: "pagerduty-key" } },
  businessHours: { location: "Europe/Berlin" },
});

const dir = tempDir("amtool");
const files: Record<string, string> = {};

beforeAll(() => {
  files.tree = writeTemp(dir, "tree.yml", renderAlertmanagerConfig(DIFF_TREE, { secretsDir: "/s" }));
  files.preset = writeTemp(dir, "preset.yml", renderAlertmanagerConfig(preset.config, { secretsDir: "/etc/alertmanager/secrets" }));
});

describe("amtool check-config", () => {
  it("amtool is the pinned release (this suite fails, never skips, without it)", async () => {
    const r = await run(AMTOOL, ["--version"]);
    expect(r.stdout + r.stderr).toContain(`amtool, version ${imageTag(IMAGES.alertmanager).slice(1)} `);
  });
  it.each(["tree", "preset"])("accepts the rendered %s config", async (name) => {
    const r = await run(AMTOOL, ["check-config", files[name]!]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("SUCCESS");
  });
});

describe("amtool config routes test --verify.receivers", () => {
  it("passes for every label set with our answer, and exits 1 on a wrong expectation", async () => {
    const sets = generateLabelSets(20, 7);
    const results = await pool(sets, 8, (labels) => run(AMTOOL, amtoolRouteTestArgs(files.tree!, { labels, receivers: routeAlert(DIFF_TREE, labels) })));
    results.forEach((r, i) => expect(r.code, `${JSON.stringify(sets[i])}: ${r.stdout}${r.stderr}`).toBe(0));
    const wrong = await run(AMTOOL, amtoolRouteTestArgs(files.tree!, { labels: { team: "b" }, receivers: ["b-dup", "team-b"] }));
    expect(wrong.code).toBe(1);
  });
});

describe("differential: routeAlert equals amtool for generated label sets", () => {
  it.each([
    ["tree", DIFF_TREE, 250],
    ["preset", preset.config, 100],
  ] as const)("%s config", async (name, cfg, n) => {
    const sets = generateLabelSets(n, name.length);
    const answers = await pool(sets, 12, async (labels) => (await run(AMTOOL, amtoolRouteTestArgs(files[name]!, { labels }))).stdout.trim());
    const mismatches = sets
      .map((labels, i) => ({ labels, ours: routeAlert(cfg, labels).join(","), amtool: answers[i] }))
      .filter((x) => x.ours !== x.amtool);
    expect(mismatches).toEqual([]);
    // The generator must reach most receivers, or the comparison proves little.
    const reached = new Set(answers.flatMap((a) => (a ?? "").split(",")));
    expect(reached.size).toBeGreaterThanOrEqual(name === "tree" ? 10 : 6);
  });
});
