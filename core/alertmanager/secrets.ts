/**
 * Secrets are referenced, never held: every credential field is a `SecretRef` that renders as a `*_file` path.
 * This module lists the references and recognises values that look like credentials pasted inline.
 */
import type { AlertmanagerConfig, SecretRef } from "./model";

/** Every `[fieldPath, ref]` a config references, in document order. */
export function secretFields(cfg: AlertmanagerConfig): Array<[string, SecretRef]> {
  const out: Array<[string, SecretRef]> = [];
  const add = (where: string, ref: SecretRef | undefined) => {
    if (ref !== undefined) out.push([where, ref]);
  };
  add("global.smtp.authPassword", cfg.global?.smtp?.authPassword);
  add("global.slackApiUrl", cfg.global?.slackApiUrl);
  for (const r of cfg.receivers) {
    const p = `receiver "${r.name}"`;
    r.email?.forEach((c, i) => add(`${p} > email[${i}].smtp.authPassword`, c.smtp?.authPassword));
    r.slack?.forEach((c, i) => add(`${p} > slack[${i}].apiUrl`, c.apiUrl));
    r.pagerduty?.forEach((c, i) => {
      add(`${p} > pagerduty[${i}].routingKey`, c.routingKey);
      add(`${p} > pagerduty[${i}].serviceKey`, c.serviceKey);
    });
    r.webhook?.forEach((c, i) => {
      if (typeof c.url !== "string") add(`${p} > webhook[${i}].url`, c.url);
      add(`${p} > webhook[${i}].bearerToken`, c.bearerToken);
    });
    r.opsgenie?.forEach((c, i) => add(`${p} > opsgenie[${i}].apiKey`, c.apiKey));
  }
  return out;
}

/** Sorted unique secret names the config references; the deployer mounts each at `${secretsDir}/${name}`. */
export function secretRefs(cfg: AlertmanagerConfig): string[] {
  const names = new Set<string>();
  for (const [, ref] of secretFields(cfg)) if (typeof ref === "object" && ref !== null) names.add(ref.secret);
  return [...names].sort();
}

/** Where the deployer mounts a secret, and what the rendered `*_file` field says. */
export function secretPath(secretsDir: string, ref: SecretRef): string {
  return `${secretsDir.replace(/\/+$/, "")}/${ref.secret}`;
}

const SECRET_PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  [/https?:\/\/hooks\.slack\.com\//i, "a Slack incoming-webhook URL"],
  [/\bxox[abposr]-[A-Za-z0-9-]+/, "a Slack token"],
  [/https?:\/\/[^/\s:@]+:[^/\s@]+@/i, "a URL with a password in it"],
  [/[?&](?:token|access_token|api[_-]?key|apikey|key|secret|password|sig|signature|code)=[^&\s]+/i, "a URL with a credential in its query"],
  [/\b(?:bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/i, "an Authorization header value"],
  [/\b(?:pass(?:word)?|passwd|pwd|secret|token|api[_-]?key)\s*[:=]\s*\S{4,}/i, "a password or token assignment"],
  [/^(?=[A-Za-z0-9_-]*[0-9])(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{32,}$/, "a long random key"],
];

/** Why a plain string looks like an inline credential, or undefined. Templates (`{{ … }}`) are never flagged. */
export function looksLikeSecret(value: string): string | undefined {
  if (value.includes("{{")) return undefined;
  for (const [re, what] of SECRET_PATTERNS) if (re.test(value)) return what;
  return undefined;
}

/** Header names whose values are credentials by definition. */
export const CREDENTIAL_HEADERS = /^(?:authorization|proxy-authorization|x-api-key|api-key|x-auth-token|cookie)$/i;
