import { describe, expect, it } from "vitest";
import { defaultBlackboxModules, renderBlackboxConfig, validateBlackboxModules, type BlackboxModules } from "../../core/blackbox";
import { formatIssue } from "../../core/validation";

describe("renderBlackboxConfig", () => {
  it("renders modules sorted by name, each prober's options under its own key", () => {
    expect(renderBlackboxConfig(defaultBlackboxModules)).toBe(`modules:
  http_2xx:
    prober: http
    timeout: 5s
    http:
      preferred_ip_protocol: ip4
  icmp:
    prober: icmp
    timeout: 5s
    icmp:
      preferred_ip_protocol: ip4
  tcp_connect:
    prober: tcp
    timeout: 5s
    tcp:
      preferred_ip_protocol: ip4
`);
  });

  it("renders every HTTP and TCP option it has, and leaves out what a module does not set", () => {
    const text = renderBlackboxConfig({
      https: { prober: "http", timeout: "10s", validStatusCodes: [200, 204], method: "POST", followRedirects: false, failIfNotSsl: true, preferredIpProtocol: "ip6" },
      tls: { prober: "tcp", tls: true },
      bare: { prober: "icmp" },
    });
    expect(text).toBe(`modules:
  bare:
    prober: icmp
    icmp: {}
  https:
    prober: http
    timeout: 10s
    http:
      valid_status_codes:
        - 200
        - 204
      method: POST
      follow_redirects: false
      fail_if_not_ssl: true
      preferred_ip_protocol: ip6
  tls:
    prober: tcp
    tcp:
      tls: true
`);
  });
});

describe("validateBlackboxModules", () => {
  it("accepts the default modules and sound custom ones", () => {
    expect(validateBlackboxModules(defaultBlackboxModules)).toEqual([]);
    expect(validateBlackboxModules({ "http-ok_2": { prober: "http", timeout: "1s", validStatusCodes: [100, 599] } })).toEqual([]);
  });

  it.each<[string, BlackboxModules, string]>([
    ["a module name with a space", { "http 2xx": { prober: "http" } }, 'blackbox module "http 2xx" name must use letters, digits, _ and -'],
    ["a timeout that is not a duration", { slow: { prober: "tcp", timeout: "5 s" } }, 'blackbox module "slow": timeout "5 s" is not a positive duration'],
    ["a zero timeout", { zero: { prober: "icmp", timeout: "0s" } }, 'blackbox module "zero": timeout "0s" is not a positive duration'],
    ["a status code below 100", { web: { prober: "http", validStatusCodes: [99] } }, 'blackbox module "web": http.valid_status_codes 99 is not an HTTP status code'],
    ["a status code above 599", { web: { prober: "http", validStatusCodes: [600] } }, 'blackbox module "web": http.valid_status_codes 600 is not an HTTP status code'],
    ["a fractional status code", { web: { prober: "http", validStatusCodes: [200.5] } }, 'blackbox module "web": http.valid_status_codes 200.5 is not an HTTP status code'],
  ])("refuses %s, naming the module and field", (_n, modules, message) => {
    expect(validateBlackboxModules(modules).map(formatIssue)).toEqual([expect.stringContaining(message)]);
  });
});
