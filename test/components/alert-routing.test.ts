import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { AlertRouting, resolveAlertRouting, type AlertRoutingArgs } from "../../components/alert-routing";
import { IMAGES } from "../../components/images";
import { expectRoute } from "../../core/alertmanager/route-tests";
import { severityRouting } from "../../routing";
import { CONTAINER, byType, one, recordResources, upload, workloadContainers, sidecarOf, secretUpload } from "../helpers/pulumi";

const platform = { kind: "docker" as const, namePrefix: "t", network: "t-net" };
const preset = severityRouting({
  environment: "prod",
  smtp: { smarthost: "smtp.example.com:587", from: "am@example.com", authUsername: "am", authPassword: { secret: "smtp-password" } },
  email: { to: "team@example.com", critical: "oncall@example.com" },
  slack: { apiUrl: { secret: "slack-webhook" } },
  pagerduty: { routingKey: { secret: "pagerduty-key" } },
});
const secrets = { "smtp-password": "smtp-pw", "slack-webhook": "https://hooks.slack.com/services/T/B/X", "pagerduty-key": "pd-key" };
const args = (over: Partial<AlertRoutingArgs> = {}): AlertRoutingArgs => ({ platform, config: preset.config, tests: preset.tests, secrets, ...over });

describe("resolveAlertRouting", () => {
  it("renders alertmanager.yml with *_file secret paths and the routing tests for amtool", () => {
    const r = resolveAlertRouting(args());
    const yml = r.files.find((f) => f.path === "alertmanager/alertmanager.yml")?.content ?? "";
    expect(yml).toContain("smtp_auth_password_file: /etc/alertmanager/secrets/smtp-password");
    expect(yml).toContain("api_url_file: /etc/alertmanager/secrets/slack-webhook");
    expect(yml).toContain("routing_key_file: /etc/alertmanager/secrets/pagerduty-key");
    for (const v of Object.values(secrets)) expect(yml).not.toContain(v);
    const tests = JSON.parse(r.files.find((f) => f.path === "alertmanager/route-tests.json")?.content ?? "[]") as unknown[];
    expect(tests.length).toBeGreaterThan(3);
    expect(r.spec.args).toContain("--cluster.listen-address=");
  });

  it("runs a single Alertmanager with its config, data dir and retention, clustering off, health on /-/healthy", () => {
    const r = resolveAlertRouting(args({ dataRetention: "240h", externalUrl: "https://am.example.com" }));
    expect(r.spec.args).toEqual([
      "--config.file=/etc/alertmanager/alertmanager.yml",
      "--storage.path=/alertmanager",
      "--data.retention=240h",
      "--web.listen-address=:9093",
      "--cluster.listen-address=",
      "--web.external-url=https://am.example.com",
    ]);
    expect(r.spec.volumes).toEqual([{ name: "data", mountPath: "/alertmanager", sizeGb: 1 }]);
    expect(r.spec.healthcheck).toEqual({ path: "/-/healthy", port: 9093, readyPath: "/-/ready" });
    expect(r.spec.ports.map((p) => p.name)).toEqual(["web"]);
    expect(resolveAlertRouting(args()).spec.args).toContain("--data.retention=120h");
  });

  it("clusters replicas: gossip on 9094, advertises the pod IP, one --cluster.peer per replica", () => {
    const r = resolveAlertRouting(args({ platform: { kind: "kubernetes", namespace: "monitoring", instance: "prod" }, replicas: 3 }));
    expect(r.spec.args.filter((a) => a.startsWith("--cluster."))).toEqual([
      "--cluster.listen-address=0.0.0.0:9094",
      "--cluster.advertise-address=[$(POD_IP)]:9094",
      "--cluster.peer=alertmanager-0.alertmanager-headless.monitoring.svc:9094",
      "--cluster.peer=alertmanager-1.alertmanager-headless.monitoring.svc:9094",
      "--cluster.peer=alertmanager-2.alertmanager-headless.monitoring.svc:9094",
    ]);
    expect(r.spec.instanceIpEnv).toBe("POD_IP");
    expect(r.spec.ports.find((p) => p.name === "cluster")).toEqual({ name: "cluster", port: 9094, udp: true, peerOnly: true });
    expect(r.spec.replicas).toBe(3);
  });

  it.each<[string, Partial<AlertRoutingArgs>, string]>([
    ["a referenced secret without a value", { secrets: { "smtp-password": "x", "slack-webhook": "y" } }, 'secret "pagerduty-key" is referenced by the routing config but no value was given'],
    ["a failing routing test", { tests: [expectRoute("criticals go to the dev null receiver", { severity: "critical", alertname: "X" }, ["nobody"])] }, "criticals go to the dev null receiver"],
  ])("refuses %s, naming it", (_n, over, message) => {
    expect(() => resolveAlertRouting(args(over))).toThrow(message);
  });
});

describe("AlertRouting on Docker (mocks)", () => {
  it("declares Alertmanager with its config uploaded unchanged and plain, each secret a 0400 file of its side-car, secret in state", async () => {
    const secretArgs = args({ secrets: Object.fromEntries(Object.entries(secrets).map(([k, v]) => [k, pulumi.secret(v)])) });
    const { resources, result } = await recordResources(() => new AlertRouting("am", secretArgs));
    expect(workloadContainers(resources)).toHaveLength(1);
    const c = one(resources, CONTAINER, "am-alertmanager");
    expect(c.inputs).toMatchObject({
      image: IMAGES.alertmanager,
      user: "65534",
      memory: 256,
      cpus: "0.5",
      ports: [{ internal: 9093, external: 9093, ip: "127.0.0.1", protocol: "tcp" }],
      volumes: [
        { volumeName: "t-alertmanager-data", containerPath: "/alertmanager" },
        { volumeName: "t-alertmanager-secrets", containerPath: "/etc/alertmanager/secrets", readOnly: true },
      ],
    });
    expect(c.inputs.command).toEqual(["--config.file=/etc/alertmanager/alertmanager.yml", "--storage.path=/alertmanager", "--data.retention=120h", "--web.listen-address=:9093", "--cluster.listen-address="]);
    expect(c.inputs.healthcheck).toMatchObject({ tests: ["CMD", "wget", "-q", "--spider", "http://127.0.0.1:9093/-/healthy"] });
    expect(c.inputs.securityOpts).toEqual(["no-new-privileges:true"]);
    expect(c.inputs.capabilities).toEqual({ drops: ["ALL"] });
    expect(upload(c, "/etc/alertmanager/alertmanager.yml").content).toBe(result.files[0]?.content);
    for (const [name, value] of Object.entries(secrets)) {
      expect(secretUpload(resources, c, `/etc/alertmanager/secrets/${name}`)).toMatchObject({ content: value, permissions: "0400", owner: "65534" });
    }
    // The workload's uploads are plain (a config change shows in `pulumi preview`); the side-car's are secret.
    expect(c.inputs.uploads).not.toBe("[secret]");
    expect(sidecarOf(resources, c).inputs.uploads).toBe("[secret]");
    expect(c.dependsOn).toEqual(["am-alertmanager-secrets"]);
    expect(JSON.stringify(c.inputs)).not.toMatch(/smtp-pw|hooks\.slack|pd-key/);
    expect(result.address).toBe("alertmanager:9093");
    expect(result.scrapeJobs).toEqual([{ name: "alertmanager", staticConfigs: [{ targets: ["alertmanager:9093"] }] }]);
  });
});
