/**
 * A STAND-IN for Grafana: Grafana is AGPL-licensed Go that this project does not build, and no other build of it
 * exists on this machine (not in Debian, not on npm). No claim about Grafana itself rests on it. It is
 * faithful where `moncode verify` and the stack look: it reads the provisioning the way Grafana does (the
 * `GF_PATHS_PROVISIONING` folder: `datasources/*.yml`, `dashboards/*.yml` providers whose `options.path` holds the
 * dashboard JSON), checks basic auth against `GF_SECURITY_ADMIN_USER` and the password file named by
 * `GF_SECURITY_ADMIN_PASSWORD__FILE`, and answers the HTTP API endpoints verify uses with Grafana 12's shapes:
 *   GET /api/health                            (no auth)  { database: "ok", version, commit }
 *   GET /api/search?type=dash-db               dashboards with uid, title, folderUid, folderTitle, url
 *   GET /api/dashboards/uid/:uid               { dashboard, meta }
 *   GET /api/datasources                       provisioned datasources
 *   GET /api/datasources/uid/:uid/health       Prometheus: queries `1+1` at the datasource URL
 *   GET /metrics                               grafana_build_info, grafana_http_request_duration_seconds
 * It renders nothing and stores nothing. What it cannot show: that Grafana 12 itself accepts the dashboard JSON.
 */
import { readdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { parse } from "yaml";

export interface StandInOptions {
  /** Grafana's environment (from the WorkloadSpec, paths remapped). */
  readonly env: Readonly<Record<string, string>>;
  /** 0 picks a free one (see `url`). */
  readonly port: number;
  /** Maps a path written in the provisioning files (a container path) to this host; identity by default. */
  readonly hostPath?: (containerPath: string) => string;
  /** Answer /api/health with `database: "failing"` (for verify's failure path). */
  readonly unhealthy?: boolean;
}

interface Datasource {
  readonly name: string;
  readonly type: string;
  readonly uid: string;
  readonly url?: string;
  readonly access?: string;
  readonly isDefault?: boolean;
}

interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly tags: readonly string[];
  readonly folderUid: string;
  readonly folderTitle: string;
  readonly json: unknown;
}

function yamlFiles(dir: string): unknown[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((n) => /\.ya?ml$/.test(n)).sort().map((n) => parse(readFileSync(join(dir, n), "utf8")) as unknown);
}

/** What Grafana would provision from `GF_PATHS_PROVISIONING`. */
export function loadProvisioning(provisioningDir: string, hostPath: (p: string) => string = (p) => p): { datasources: Datasource[]; dashboards: Dashboard[] } {
  const datasources = yamlFiles(join(provisioningDir, "datasources")).flatMap((d) => (d as { datasources?: Datasource[] }).datasources ?? []);
  const dashboards: Dashboard[] = [];
  for (const doc of yamlFiles(join(provisioningDir, "dashboards"))) {
    for (const p of (doc as { providers?: { folder?: string; folderUid?: string; options?: { path?: string } }[] }).providers ?? []) {
      if (!p.options?.path) continue;
      const dir = hostPath(p.options.path);
      for (const f of readdirSync(dir).filter((n) => n.endsWith(".json")).sort()) {
        const json = JSON.parse(readFileSync(join(dir, f), "utf8")) as { uid?: string; title?: string; tags?: string[] };
        if (!json.uid || !json.title) throw new Error(`dashboard ${join(dir, f)} has no uid or title (Grafana would reject it)`);
        dashboards.push({ uid: json.uid, title: json.title, tags: json.tags ?? [], folderUid: p.folderUid ?? "", folderTitle: p.folder ?? "General", json });
      }
    }
  }
  return { datasources, dashboards };
}

export interface StandIn {
  readonly url: string;
  readonly dashboards: readonly Dashboard[];
  readonly datasources: readonly Datasource[];
  close(): Promise<void>;
}

export async function startGrafanaStandIn(opts: StandInOptions): Promise<StandIn> {
  const env = opts.env;
  const provisioning = env.GF_PATHS_PROVISIONING;
  if (!provisioning) throw new Error("GF_PATHS_PROVISIONING is not set");
  const { datasources, dashboards } = loadProvisioning(provisioning, opts.hostPath);
  const user = env.GF_SECURITY_ADMIN_USER ?? "admin";
  const passwordFile = env.GF_SECURITY_ADMIN_PASSWORD__FILE;
  const password = passwordFile ? readFileSync(passwordFile, "utf8") : (env.GF_SECURITY_ADMIN_PASSWORD ?? "admin");
  const requests = new Map<string, number>();
  const count = (status: number) => requests.set(String(status), (requests.get(String(status)) ?? 0) + 1);

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const send = (status: number, body: unknown) => {
      count(status);
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === "/metrics") {
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
      const lines = ['grafana_build_info{edition="oss",version="12.1.1-standin"} 1', "# TYPE grafana_http_request_duration_seconds_count counter"];
      for (const [code, n] of requests) lines.push(`grafana_http_request_duration_seconds_count{handler="/api/",method="GET",status_code="${code}"} ${n}`);
      res.end(`${lines.join("\n")}\n`);
      return;
    }
    if (url.pathname === "/api/health") {
      send(opts.unhealthy ? 503 : 200, { commit: "standin", database: opts.unhealthy ? "failing" : "ok", version: "12.1.1-standin" });
      return;
    }
    const auth = req.headers.authorization ?? "";
    const given = auth.startsWith("Basic ") ? Buffer.from(auth.slice(6), "base64").toString("utf8") : "";
    if (given !== `${user}:${password}`) {
      send(401, { message: "Invalid username or password" });
      return;
    }
    if (url.pathname === "/api/search") {
      const type = url.searchParams.get("type");
      const list = type === null || type === "dash-db" ? dashboards : [];
      send(200, list.map((d, i) => ({ id: i + 1, uid: d.uid, title: d.title, type: "dash-db", tags: d.tags, folderUid: d.folderUid, folderTitle: d.folderTitle, url: `/d/${d.uid}`, uri: `db/${d.uid}` })));
      return;
    }
    const dash = /^\/api\/dashboards\/uid\/([^/]+)$/.exec(url.pathname);
    if (dash) {
      const d = dashboards.find((x) => x.uid === dash[1]);
      if (d) send(200, { dashboard: d.json, meta: { folderUid: d.folderUid, folderTitle: d.folderTitle, provisioned: true } });
      else send(404, { message: "Dashboard not found" });
      return;
    }
    if (url.pathname === "/api/datasources") {
      send(200, datasources.map((d, i) => ({ id: i + 1, orgId: 1, uid: d.uid, name: d.name, type: d.type, url: d.url ?? "", access: d.access ?? "proxy", isDefault: d.isDefault ?? false, readOnly: true })));
      return;
    }
    const dsHealth = /^\/api\/datasources\/uid\/([^/]+)\/health$/.exec(url.pathname);
    if (dsHealth) {
      const d = datasources.find((x) => x.uid === dsHealth[1]);
      if (!d) return send(404, { message: "Data source not found" });
      if (d.type !== "prometheus") return send(200, { status: "OK", message: "Data source is working" });
      fetch(`${d.url ?? ""}/api/v1/query?query=1%2B1`, { signal: AbortSignal.timeout(5_000) })
        .then(async (r) => {
          if (!r.ok) throw new Error(`HTTP ${r.status}`);
          await r.json();
          send(200, { status: "OK", message: "Successfully queried the Prometheus API." });
        })
        .catch((e: unknown) => send(400, { status: "ERROR", message: `Post "${d.url}/api/v1/query": ${String(e)}` }));
      return;
    }
    send(404, { message: "Not found" });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, "127.0.0.1", () => resolve());
  });
  const bound = server.address();
  const port = bound !== null && typeof bound === "object" ? bound.port : opts.port;
  return {
    url: `http://127.0.0.1:${port}`,
    dashboards,
    datasources,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
