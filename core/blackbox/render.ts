/** Blackbox exporter config (`blackbox.yml`) from typed modules, plus its checks. */
import { parseDuration } from "../duration";
import { issue, type ValidationIssue } from "../validation";
import { compact, toYaml } from "../yaml";
import type { BlackboxModules, ProbeModule } from "./model";

function moduleDoc(m: ProbeModule): object {
  switch (m.prober) {
    case "http":
      return compact({
        prober: "http",
        timeout: m.timeout,
        http: compact({
          valid_status_codes: m.validStatusCodes ? [...m.validStatusCodes] : undefined,
          method: m.method,
          follow_redirects: m.followRedirects,
          fail_if_not_ssl: m.failIfNotSsl,
          preferred_ip_protocol: m.preferredIpProtocol,
        }),
      });
    case "tcp":
      return compact({ prober: "tcp", timeout: m.timeout, tcp: compact({ tls: m.tls, preferred_ip_protocol: m.preferredIpProtocol }) });
    case "icmp":
      return compact({ prober: "icmp", timeout: m.timeout, icmp: compact({ preferred_ip_protocol: m.preferredIpProtocol }) });
  }
}

/** The blackbox_exporter config file (blackbox.yml) of a set of modules, sorted by name. */
export function renderBlackboxConfig(modules: BlackboxModules): string {
  const names = Object.keys(modules).sort();
  return toYaml({ modules: Object.fromEntries(names.map((n) => [n, moduleDoc(modules[n]!)])) });
}

/** Checks blackbox modules: names of letters, digits, `_` and `-`, positive timeouts, valid HTTP status codes. */
export function validateBlackboxModules(modules: BlackboxModules): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const [name, m] of Object.entries(modules)) {
    const item = `blackbox module "${name}"`;
    if (!/^[a-zA-Z0-9_-]+$/.test(name)) out.push(issue(item, "", "name must use letters, digits, _ and -"));
    if (m.timeout !== undefined) {
      const ms = parseDuration(m.timeout);
      if (ms === undefined || ms === 0) out.push(issue(item, "timeout", `"${m.timeout}" is not a positive duration`));
    }
    if (m.prober === "http") {
      for (const c of m.validStatusCodes ?? []) {
        if (!Number.isInteger(c) || c < 100 || c > 599) out.push(issue(item, "http.valid_status_codes", `${c} is not an HTTP status code`));
      }
    }
  }
  return out;
}
