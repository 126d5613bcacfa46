/** The severityRouting option sets the routing tests run: every branch of the policy at least once. */
import type { SeverityRoutingOptions } from "../../routing/severity";

export const common: SeverityRoutingOptions = {
  smtp: { smarthost: "smtp.example.com:587", from: "alertmanager@example.com", authUsername: "alertmanager", authPassword: { secret: "smtp-password" } },
  email: { to: "team@example.com", critical: "oncall@example.com" },
  slack: { apiUrl: { secret: "slack-webhook" } },
  pagerduty: { routingKey: { secret: "pagerduty-routing-key" } },
};

export const variants: Record<string, SeverityRoutingOptions> = {
  "prod": common,
  "prod-business-hours": { ...common, businessHours: { location: "Europe/Berlin" } },
  "prod-email-only": { smtp: common.smtp, email: { to: "team@example.com" }, severities: ["critical", "warning"] },
  "prod-custom-components": { ...common, components: { api: { slackChannel: "#api" }, database: { email: "dba@example.com" }, worker: {} } },
  "dev": { ...common, environment: "dev", dev: { slackChannel: "#dev-alerts" } },
  "dev-prod-routing": { ...common, environment: "dev", dev: { prodRouting: true } },
};
