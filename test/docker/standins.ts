/**
 * What the dev stack expects on the Docker host, run by the test on the stack network's gateway address (an address
 * of this machine that containers reach as host.docker.internal): the example application's metrics endpoints
 * (the `services` of Pulumi.dev.yaml) and a Slack-compatible webhook that records Alertmanager's notifications.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface WebhookCall {
  readonly path: string;
  readonly body: Record<string, unknown>;
  /** When it arrived (ms since the epoch). */
  readonly at: number;
}

export interface StandIns {
  /** Requests the metrics stand-ins answered, by port. */
  readonly scrapes: Map<number, number>;
  readonly webhook: { readonly port: number; readonly calls: WebhookCall[] };
  /** Stops the metrics stand-in on `port` (the service goes down). */
  stop(port: number): Promise<void>;
  close(): Promise<void>;
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

/** Metrics endpoints on `ports` (e.g. the API's 3000 and the worker's 9464) plus a webhook on `webhookPort`. */
export async function startStandIns(host: string, ports: readonly number[], webhookPort: number): Promise<StandIns> {
  const servers: Server[] = [];
  const byPort = new Map<number, Server>();
  const scrapes = new Map<number, number>();
  for (const port of ports) {
    const s = createServer((req, res) => {
      scrapes.set(port, (scrapes.get(port) ?? 0) + 1);
      if (req.url === "/health") {
        res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
      } else if (req.url?.startsWith("/metrics")) {
        res
          .writeHead(200, { "content-type": "text/plain; version=0.0.4" })
          .end(`# TYPE moncode_standin_up gauge\nmoncode_standin_up{port="${port}"} 1\n# TYPE http_requests_total counter\nhttp_requests_total{code="200"} ${scrapes.get(port)}\n`);
      } else {
        res.writeHead(404).end();
      }
    });
    servers.push(s);
    byPort.set(port, s);
    await listen(s, host, port);
  }
  const calls: WebhookCall[] = [];
  const hook = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      try {
        calls.push({ path: req.url ?? "", body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>, at: Date.now() });
      } catch {
        calls.push({ path: req.url ?? "", body: { unparsed: Buffer.concat(chunks).toString("utf8") }, at: Date.now() });
      }
      res.writeHead(200).end("ok");
    });
  });
  servers.push(hook);
  const hookPort = await listen(hook, host, webhookPort);
  return {
    scrapes,
    webhook: { port: hookPort, calls },
    stop: async (port) => {
      const s = byPort.get(port);
      if (!s) throw new Error(`no stand-in on port ${port}`);
      s.closeAllConnections();
      await new Promise<void>((r) => s.close(() => r()));
    },
    close: async () => {
      for (const s of servers) s.closeAllConnections();
      await Promise.all(servers.filter((s) => s.listening).map((s) => new Promise<void>((r) => s.close(() => r()))));
    },
  };
}

/** Free TCP ports on 127.0.0.1 (bound to port 0, then released), for the published ports of the test variant. */
export async function freePorts(n: number): Promise<number[]> {
  const held: Server[] = [];
  const ports: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = createServer();
    held.push(s);
    ports.push(await listen(s, "127.0.0.1", 0));
  }
  await Promise.all(held.map((s) => new Promise<void>((r) => s.close(() => r()))));
  return ports;
}
