import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { GrafanaWithDashboards, resolveGrafana, grafanaEnv, type GrafanaArgs } from "../../components/grafana";
import { IMAGES } from "../../components/images";
import { RECORDING_RULES } from "../../core/conventions";
import { buildDashboards } from "../../dashboards";
import { CONTAINER, one, recordResources, upload, uploads, sidecarOf, secretUpload } from "../helpers/pulumi";

const platform = { kind: "docker" as const, namePrefix: "t", network: "t-net" };
const dashboards = buildDashboards({ include: { customerSuccess: false, onboarding: false } });
const args = (over: Partial<GrafanaArgs> = {}): GrafanaArgs => ({
  platform,
  dashboards,
  prometheusUrl: "http://prometheus:9090",
  alertmanagerUrl: "http://alertmanager:9093",
  recordingRules: Object.values(RECORDING_RULES),
  adminPassword: "admin-pw",
  secretKey: "sk",
  ...over,
});

describe("Grafana settings", () => {
  it("turns sign-up, anonymous access and phoning home off and reads credentials from files", () => {
    const env = grafanaEnv({});
    expect(env).toMatchObject({
      GF_SECURITY_ADMIN_USER: "admin",
      GF_SECURITY_ADMIN_PASSWORD__FILE: "/run/secrets/grafana/admin-password",
      GF_SECURITY_SECRET_KEY__FILE: "/run/secrets/grafana/secret-key",
      GF_USERS_ALLOW_SIGN_UP: "false",
      GF_AUTH_ANONYMOUS_ENABLED: "false",
      GF_ANALYTICS_REPORTING_ENABLED: "false",
      GF_SECURITY_COOKIE_SECURE: "false",
      // A read-only root filesystem (Kubernetes) refuses Grafana's default log file.
      GF_LOG_MODE: "console",
    });
    expect(Object.keys(env).some((k) => k === "GF_SECURITY_ADMIN_PASSWORD")).toBe(false);
  });

  it("uses secure SameSite=strict cookies when served over https", () => {
    expect(grafanaEnv({ rootUrl: "https://grafana.example.com/" })).toMatchObject({ GF_SECURITY_COOKIE_SECURE: "true", GF_SECURITY_COOKIE_SAMESITE: "strict", GF_SERVER_ROOT_URL: "https://grafana.example.com/" });
  });

  it("refuses a dashboard that queries a recording rule the stack does not define, naming it", () => {
    expect(() => resolveGrafana(args({ recordingRules: [] }))).toThrow(/dashboard "moncode-service-overview" > panel .*job:http_requests:rate5m/s);
  });

  it("provisions dashboards read-only unless UI updates are allowed", () => {
    const providers = (over: Partial<GrafanaArgs>) => {
      const r = resolveGrafana(args(over));
      const file = r.files.find((f) => f.path === "grafana/provisioning/dashboards/dashboards.yml")?.content ?? "";
      const uploaded = r.spec.files.find((f) => f.path === "/etc/grafana/provisioning/dashboards/dashboards.yml")?.content;
      expect(uploaded).toBe(file);
      return (parse(file) as { providers: { name: string; allowUiUpdates: boolean; disableDeletion: boolean }[] }).providers;
    };
    const off = providers({});
    expect(off.map((p) => p.name)).toEqual(["moncode-infrastructure", "moncode-kpis", "moncode-monitoring", "moncode-services"]);
    expect(off.every((p) => p.allowUiUpdates === false && p.disableDeletion)).toBe(true);
    const on = providers({ allowUiUpdates: true });
    expect(on.every((p) => p.allowUiUpdates === true && p.disableDeletion)).toBe(true);
    expect(providers({ allowUiUpdates: false }).every((p) => p.allowUiUpdates === false)).toBe(true);
  });
});

describe("GrafanaWithDashboards on Docker (mocks)", () => {
  it("uploads provisioning and dashboards unchanged, keeps credentials secret, re-applies the password on start", async () => {
    const { resources, result } = await recordResources(
      () => new GrafanaWithDashboards("g", args({ adminPassword: pulumi.secret("admin-pw-1"), secretKey: pulumi.secret("secret-key-1") })),
    );
    const c = one(resources, CONTAINER, "g-grafana");
    expect(c.inputs).toMatchObject({ image: IMAGES.grafana, user: "472", entrypoints: ["/bin/sh", "/etc/grafana/moncode-entrypoint.sh"], ports: [{ internal: 3000, external: 3000, ip: "127.0.0.1", protocol: "tcp" }] });
    for (const f of result.files) {
      const inContainer = f.path.startsWith("grafana/dashboards/")
        ? `/etc/grafana/dashboards/${f.path.slice("grafana/dashboards/".length)}`
        : `/etc/grafana/provisioning/${f.path.slice("grafana/provisioning/".length)}`;
      expect(upload(c, inContainer).content).toBe(f.content);
    }
    expect(result.files.filter((f) => f.path.endsWith(".json"))).toHaveLength(dashboards.length);
    expect(secretUpload(resources, c, "/run/secrets/grafana/admin-password")).toMatchObject({ content: "admin-pw-1", permissions: "0400", owner: "472" });
    expect(secretUpload(resources, c, "/run/secrets/grafana/secret-key")).toMatchObject({ content: "secret-key-1", permissions: "0400" });
    // Config uploads plain and reviewable; the credentials only in the side-car's (secret) uploads.
    expect(c.inputs.uploads).not.toBe("[secret]");
    expect(sidecarOf(resources, c).inputs.uploads).toBe("[secret]");
    expect(String(upload(c, "/etc/grafana/moncode-entrypoint.sh").content)).toContain("reset-admin-password --password-from-stdin < /run/secrets/grafana/admin-password");
    expect(JSON.stringify(c.inputs)).not.toMatch(/admin-pw-1|secret-key-1/);
    expect((c.inputs.envs as string[]).join("\n")).not.toMatch(/admin-pw-1/);
    expect(uploads(c).length).toBe(result.files.length + 1);
  });
});
