/** Receiver checks: required fields per integration, secret references, and credentials pasted inline. */
import { finding, issue } from "../validation";
import type { ValidationIssue } from "../validation";
import { CREDENTIAL_HEADERS, looksLikeSecret } from "./secrets";
import { SECRET_NAME_RE } from "./model";
import type { AlertmanagerConfig, Receiver } from "./model";

/** Checks that a field holds a well-formed SecretRef (and not, say, a pasted string). */
export function checkSecretRef(item: string, field: string, ref: unknown, out: ValidationIssue[]): void {
  if (ref === undefined) return;
  if (typeof ref === "string") {
    out.push(finding("alertmanager/secret-inline", item, field, `holds an inline value: pass a secret reference { secret: "<name>" } instead; the value is mounted as a file and never written to alertmanager.yml`));
    return;
  }
  const name = (ref as { secret?: unknown } | null)?.secret;
  if (typeof name !== "string" || !SECRET_NAME_RE.test(name)) {
    out.push(issue(item, field, `secret name ${JSON.stringify(name)} must match ${SECRET_NAME_RE.source}`));
  }
}

/** Flags plain string fields that look like credentials. */
export function checkInline(item: string, field: string, value: string | undefined, out: ValidationIssue[]): void {
  if (value === undefined) return;
  const what = looksLikeSecret(value);
  if (what) out.push(finding("alertmanager/secret-inline", item, field, `looks like ${what} inline: reference a secret instead (it would be written in clear to alertmanager.yml)`));
}

function checkEmail(cfg: AlertmanagerConfig, r: Receiver, out: ValidationIssue[]): void {
  (r.email ?? []).forEach((c, i) => {
    const item = `receiver "${r.name}" > email[${i}]`;
    if (!c.to || !/^[^@\s]+@[^@\s]+$/.test(c.to.trim().split(/\s*,\s*/)[0] ?? "")) out.push(issue(item, "to", `must be an email address, got ${JSON.stringify(c.to)}`));
    const smarthost = c.smtp?.smarthost ?? cfg.global?.smtp?.smarthost;
    const from = c.smtp?.from ?? cfg.global?.smtp?.from;
    if (!smarthost) out.push(issue(item, "smtp.smarthost", "is not set here nor in global.smtp"));
    else if (!/^[^\s:]+:\d+$/.test(smarthost)) out.push(issue(item, "smtp.smarthost", `must be host:port, got ${JSON.stringify(smarthost)}`));
    if (!from) out.push(issue(item, "smtp.from", "is not set here nor in global.smtp"));
    checkSecretRef(item, "smtp.authPassword", c.smtp?.authPassword, out);
    // Alertmanager loads it, but with no username it skips SMTP AUTH (notify/email: "smtp_auth_username is not
    // configured. Attempting to send email without authenticating"): the password is never used.
    if (c.smtp?.authPassword && !(c.smtp.authUsername ?? cfg.global?.smtp?.authUsername)) {
      out.push(finding("alertmanager/smtp-password-without-username", item, "smtp.authUsername", "is not set here nor in global.smtp while smtp.authPassword is: Alertmanager sends without authenticating"));
    }
    for (const [k, v] of Object.entries(c.headers ?? {})) {
      if (CREDENTIAL_HEADERS.test(k)) out.push(finding("alertmanager/secret-inline", item, `headers.${k}`, "carries a credential inline: email headers are written in clear to alertmanager.yml"));
      else checkInline(item, `headers.${k}`, v, out);
    }
    for (const f of ["html", "text"] as const) checkInline(item, f, c[f], out);
  });
}

function checkSlack(cfg: AlertmanagerConfig, r: Receiver, out: ValidationIssue[]): void {
  (r.slack ?? []).forEach((c, i) => {
    const item = `receiver "${r.name}" > slack[${i}]`;
    checkSecretRef(item, "apiUrl", c.apiUrl, out);
    if (c.apiUrl === undefined && cfg.global?.slackApiUrl === undefined) out.push(issue(item, "apiUrl", "is not set here nor in global.slackApiUrl"));
    if (c.channel !== undefined && !/^[#@]?[^\s]+$/.test(c.channel)) out.push(issue(item, "channel", `${JSON.stringify(c.channel)} is not a channel name like "#alerts"`));
    for (const f of ["channel", "title", "text", "username"] as const) checkInline(item, f, c[f], out);
  });
}

function checkPagerDuty(r: Receiver, out: ValidationIssue[]): void {
  (r.pagerduty ?? []).forEach((c, i) => {
    const item = `receiver "${r.name}" > pagerduty[${i}]`;
    checkSecretRef(item, "routingKey", c.routingKey, out);
    checkSecretRef(item, "serviceKey", c.serviceKey, out);
    if ((c.routingKey === undefined) === (c.serviceKey === undefined)) out.push(issue(item, "routingKey", "set exactly one of routingKey (Events API v2) and serviceKey (v1)"));
    for (const f of ["severity", "description"] as const) checkInline(item, f, c[f], out);
  });
}

function checkWebhook(r: Receiver, out: ValidationIssue[]): void {
  (r.webhook ?? []).forEach((c, i) => {
    const item = `receiver "${r.name}" > webhook[${i}]`;
    if (typeof c.url !== "string") {
      if (c.url === undefined) out.push(issue(item, "url", "is required (a URL or a secret reference)"));
      else checkSecretRef(item, "url", c.url, out);
      checkSecretRef(item, "bearerToken", c.bearerToken, out);
      return;
    }
    let url: URL | undefined;
    try {
      url = new URL(c.url);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) out.push(issue(item, "url", `must be an http(s) URL, got ${JSON.stringify(c.url)}`));
    else {
      const what = looksLikeSecret(c.url);
      if (what) out.push(finding("alertmanager/secret-inline", item, "url", `looks like ${what}: make the URL a secret reference (url: { secret: "<name>" }, mounted as a file and rendered as url_file) or move the credential to bearerToken`));
    }
    checkSecretRef(item, "bearerToken", c.bearerToken, out);
    if (c.maxAlerts !== undefined && (!Number.isInteger(c.maxAlerts) || c.maxAlerts < 0)) out.push(issue(item, "maxAlerts", "must be a non-negative integer"));
  });
}

function checkOpsgenie(r: Receiver, out: ValidationIssue[]): void {
  (r.opsgenie ?? []).forEach((c, i) => {
    const item = `receiver "${r.name}" > opsgenie[${i}]`;
    if (c.apiKey === undefined) out.push(issue(item, "apiKey", "is required (a secret reference)"));
    checkSecretRef(item, "apiKey", c.apiKey, out);
    if (c.priority !== undefined && !c.priority.includes("{{") && !/^P[1-5]$/.test(c.priority)) out.push(issue(item, "priority", `must be P1…P5 or a template, got ${JSON.stringify(c.priority)}`));
    for (const f of ["message", "tags"] as const) checkInline(item, f, c[f], out);
  });
}

export function validateReceivers(cfg: AlertmanagerConfig, out: ValidationIssue[]): void {
  cfg.receivers.forEach((r, i) => {
    if (!r.name || r.name.trim() !== r.name) out.push(issue(`receivers[${i}]`, "name", `must be a non-empty name without surrounding spaces, got ${JSON.stringify(r.name)}`));
    checkEmail(cfg, r, out);
    checkSlack(cfg, r, out);
    checkPagerDuty(r, out);
    checkWebhook(r, out);
    checkOpsgenie(r, out);
  });
  const smtp = cfg.global?.smtp;
  if (smtp) {
    checkSecretRef("global.smtp", "authPassword", smtp.authPassword, out);
    if (smtp.authPassword && !smtp.authUsername) out.push(finding("alertmanager/smtp-password-without-username", "global.smtp", "authUsername", "is not set while authPassword is: Alertmanager sends without authenticating"));
    if (!/^[^\s:]+:\d+$/.test(smtp.smarthost ?? "")) out.push(issue("global.smtp", "smarthost", `must be host:port, got ${JSON.stringify(smtp.smarthost)}`));
    if (!smtp.from) out.push(issue("global.smtp", "from", "is required"));
    checkInline("global.smtp", "authUsername", smtp.authUsername, out);
  }
  checkSecretRef("global", "slackApiUrl", cfg.global?.slackApiUrl, out);
}
