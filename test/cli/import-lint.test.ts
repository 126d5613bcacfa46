/**
 * The `moncode lint` and `moncode import` commands: files and folders in, located findings out, exit 0 / 1 / 2,
 * `--format json`, `--level`, and for import the modules written (or nothing, when anything is an error).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runImportCli } from "../../cli/import";
import { runLintCli } from "../../cli/lint";
import { ROOT } from "../helpers/imported";

const dir = mkdtempSync(join(tmpdir(), "moncode-cli-content-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { env: {}, out: (t: string) => out.push(t), err: (t: string) => err.push(t), cwd: dir } };
}

function write(path: string, text: string): void {
  mkdirSync(join(dir, path, ".."), { recursive: true });
  writeFileSync(join(dir, path), text);
}

const GOOD = "groups:\n- name: api\n  rules:\n  - alert: ApiDown\n    expr: up{job=\"api\"} == 0\n    for: 5m\n    labels: { severity: critical }\n    annotations: { summary: API down, description: The API target is down. }\n";
const HOUSE = "groups:\n- name: Api.Rules\n  rules:\n  - alert: api_down\n    expr: up == 0\n    labels: { severity: page }\n";
const BAD = "groups:\n- name: api\n  rules:\n  - alert: ApiSlow\n    expr: histogram_quantile(0.9, rate(http_seconds_bucket[5m]) > 1\n";
const DASH = (uid: string) => JSON.stringify({ uid, title: uid, schemaVersion: 39, templating: { list: [] }, annotations: { list: [] }, panels: [{ id: 1, type: "stat", title: "Up", gridPos: { h: 4, w: 6, x: 0, y: 0 }, targets: [{ expr: "sum(up)" }] }] });

describe("moncode lint", () => {
  write("lint/good.yml", GOOD);
  write("lint/house.yml", HOUSE);

  it("passes content Prometheus accepts, warning about the house style, exit 0", () => {
    const c = io();
    expect(runLintCli(["lint"], c.io)).toBe(0);
    expect(c.out).toContainEqual(expect.stringMatching(/^lint\/house\.yml:4: warning: rule group "Api\.Rules" > alert "api_down": alert "api_down" should be PascalCase.*\[rules\/alert-name-pascal-case\]$/));
    expect(c.out.at(-1)).toMatch(/^lint: 2 files, 2 rule packs, 0 dashboards: 0 errors, \d+ warnings$/);
  });

  it("exits 1 on an error, naming file, line and item", () => {
    write("lint-bad/bad.yml", BAD);
    const c = io();
    expect(runLintCli(["lint-bad/bad.yml"], c.io)).toBe(1);
    expect(c.out[0]).toMatch(/^lint-bad\/bad\.yml:4: rule group "api" > alert "ApiSlow": expr syntax error .*\[promql\/invalid\]$/);
  });

  it("raises a house rule to error with --level, and reports JSON with --format json", () => {
    const c = io();
    expect(runLintCli(["lint/house.yml", "--level", "rules/alert-name-pascal-case=error", "--format", "json"], c.io)).toBe(1);
    const report = JSON.parse(c.out.join("\n")) as { errors: number; issues: { level: string; rule: string; file: string; line: number }[] };
    expect(report.errors).toBe(1);
    expect(report.issues).toContainEqual(expect.objectContaining({ level: "error", rule: "rules/alert-name-pascal-case", file: "lint/house.yml", line: 4 }));
    expect(report.issues).toContainEqual(expect.objectContaining({ level: "warn", rule: "rules/severity-unknown" }));
  });

  it.each([
    [["lint", "--level", "rules/nope=error"], '"rules/nope" is not a lint rule'],
    [["lint", "--level", "promql/invalid=off"], "cannot be changed"],
    [["lint", "--fromat", "json"], "unknown flag --fromat"],
    [["missing-folder"], "no such file or folder: missing-folder"],
    [[], "give at least one file or folder"],
  ])("refuses %j with exit 2", (argv, message) => {
    const c = io();
    expect(runLintCli(argv, c.io)).toBe(2);
    expect(c.err.join("\n")).toContain(message);
  });

  it("is wired into the moncode command", () => {
    const r = spawnSync(join(ROOT, "node_modules", ".bin", "tsx"), [join(ROOT, "cli", "main.ts"), "lint", join(dir, "lint-bad")], { encoding: "utf8", timeout: 120_000 });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("[promql/invalid]");
  }, 120_000);
});

describe("moncode import", () => {
  write("dash/a.json", DASH("a"));
  write("dash/api-export.json", JSON.stringify({ dashboard: JSON.parse(DASH("b")), meta: { slug: "b" } }));
  write("dash/cm.yaml", `kind: ConfigMap\nmetadata: { name: boards, annotations: { grafana_folder: Team Boards } }\ndata:\n  c.json: '${DASH("c")}'\n`);
  write("rules/good.yml", GOOD);

  it("writes one module per source under --out, mirroring the folders", () => {
    const c = io();
    expect(runImportCli(["dash", "rules", "--out", "out"], c.io)).toBe(0);
    const files = readdirSync(join(dir, "out"), { recursive: true }).map(String).filter((f) => f.endsWith(".ts")).sort();
    expect(files).toEqual(["dashboards/dash/a.ts", "dashboards/dash/api-export.ts", "dashboards/dash/cm.ts", "rules/rules/good.ts"]);
    const cm = readFileSync(join(dir, "out", "dashboards/dash/cm.ts"), "utf8");
    expect(cm).toContain('folder: "team-boards"');
    expect(cm).toContain("const cModel: dashboard.Dashboard = {");
    expect(c.out.at(-1)).toMatch(/^import: 4 modules → .*out: 1 rule packs \(1 groups\), 0 Prometheus configs, 0 Alertmanager configs, 3 dashboards; \d+ warnings$/);
  });

  it("writes nothing and exits 1 when anything is an error; --dry-run writes nothing either", () => {
    write("mixed/good.yml", GOOD);
    write("mixed/bad.yml", BAD);
    const c = io();
    expect(runImportCli(["mixed", "--out", "out-mixed"], c.io)).toBe(1);
    expect(existsSync(join(dir, "out-mixed"))).toBe(false);
    expect(c.err).toEqual(["import: 1 errors; nothing written"]);
    const d = io();
    expect(runImportCli(["rules", "--out", "out-dry", "--dry-run"], d.io)).toBe(0);
    expect(existsSync(join(dir, "out-dry"))).toBe(false);
  });
});
