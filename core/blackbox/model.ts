/** blackbox_exporter modules: how a probe is made. Scrape jobs name a module and list the probed targets. */

export interface HttpProbe {
  readonly prober: "http";
  /** @default "5s" */
  readonly timeout?: string;
  /** @default [] (any 2xx) */
  readonly validStatusCodes?: readonly number[];
  /** @default "GET" */
  readonly method?: string;
  /** @default true */
  readonly followRedirects?: boolean;
  /** Fail unless the target is served over TLS. */
  readonly failIfNotSsl?: boolean;
  /** @default "ip4" — most container networks have no IPv6. */
  readonly preferredIpProtocol?: "ip4" | "ip6";
}

/** A blackbox module that probes by opening a TCP connection, optionally with a TLS handshake. */
export interface TcpProbe {
  readonly prober: "tcp";
  readonly timeout?: string;
  readonly tls?: boolean;
  readonly preferredIpProtocol?: "ip4" | "ip6";
}

/** A blackbox module that probes by ping (ICMP echo). */
export interface IcmpProbe {
  readonly prober: "icmp";
  readonly timeout?: string;
  readonly preferredIpProtocol?: "ip4" | "ip6";
}

/** One blackbox_exporter module: an HTTP, TCP or ICMP probe. */
export type ProbeModule = HttpProbe | TcpProbe | IcmpProbe;

/** Modules by name; the standard three are always available through `defaultBlackboxModules`. */
export type BlackboxModules = Readonly<Record<string, ProbeModule>>;

/** The standard modules `http_2xx`, `tcp_connect` and `icmp`, each with a 5s timeout over IPv4. */
export const defaultBlackboxModules: BlackboxModules = {
  http_2xx: { prober: "http", timeout: "5s", preferredIpProtocol: "ip4" },
  tcp_connect: { prober: "tcp", timeout: "5s", preferredIpProtocol: "ip4" },
  icmp: { prober: "icmp", timeout: "5s", preferredIpProtocol: "ip4" },
};
