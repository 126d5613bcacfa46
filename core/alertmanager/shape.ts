/**
 * Runtime shape of the Alertmanager model (see core/shape.ts). Secret references are left to the validators, which
 * explain a pasted credential without echoing it.
 */
import { arr, lazy, obj, oneOf, rec, req, values, type Shape } from "../shape";
import type {
  AlertmanagerConfig,
  EmailConfig,
  GlobalConfig,
  InhibitRule,
  Matcher,
  OpsgenieConfig,
  PagerDutyConfig,
  Receiver,
  Route,
  SlackConfig,
  SmtpSettings,
  TimeInterval,
  TimeOfDayRange,
  TimePeriod,
  WebhookConfig,
} from "./model";

const SECRET: Shape = "unknown";
const strings = arr("string");
const matcher: Shape = oneOf('a matcher (`label="value"` or { label, op, value })', "string", obj<Matcher>({ label: req("string"), op: req(values("=", "!=", "=~", "!~")), value: req("string") }));
const matchers = arr(matcher);
const smtpFields = { smarthost: "string", from: "string", authUsername: "string", authPassword: SECRET, requireTls: "boolean" } as const;
const smtp = obj<SmtpSettings>({ ...smtpFields, smarthost: req("string"), from: req("string") });

export const receiverShape: Shape = obj<Receiver>({
  name: req("string"),
  email: arr(
    obj<EmailConfig>({ to: req("string"), smtp: obj<Partial<SmtpSettings>>(smtpFields), headers: rec("string"), html: "string", text: "string", sendResolved: "boolean" }),
  ),
  slack: arr(obj<SlackConfig>({ apiUrl: SECRET, channel: "string", title: "string", text: "string", username: "string", sendResolved: "boolean" })),
  pagerduty: arr(obj<PagerDutyConfig>({ routingKey: SECRET, serviceKey: SECRET, severity: "string", description: "string", sendResolved: "boolean" })),
  webhook: arr(obj<WebhookConfig>({ url: req("unknown"), bearerToken: SECRET, maxAlerts: "number", sendResolved: "boolean" })),
  opsgenie: arr(obj<OpsgenieConfig>({ apiKey: req(SECRET), message: "string", priority: "string", tags: "string", sendResolved: "boolean" })),
});

export const routeShape: Shape = obj<Route>({
  receiver: "string",
  matchers,
  groupBy: strings,
  groupWait: "string",
  groupInterval: "string",
  repeatInterval: "string",
  continue: "boolean",
  muteTimeIntervals: strings,
  activeTimeIntervals: strings,
  heartbeat: "boolean",
  routes: arr(lazy(() => routeShape)),
});

const range = (of: Shape): Shape => oneOf("a value or a [from, to] pair", of, arr(of));

export const alertmanagerConfigShape: Shape = obj<AlertmanagerConfig>({
  global: obj<GlobalConfig>({ resolveTimeout: "string", smtp, slackApiUrl: SECRET }),
  route: req(routeShape),
  receivers: req(arr(receiverShape)),
  inhibitRules: arr(obj<InhibitRule>({ name: "string", sourceMatchers: req(matchers), targetMatchers: req(matchers), equal: strings })),
  timeIntervals: arr(
    obj<TimeInterval>({
      name: req("string"),
      periods: req(
        arr(
          obj<TimePeriod>({
            times: arr(obj<TimeOfDayRange>({ start: req("string"), end: req("string") })),
            weekdays: arr(range("string")),
            daysOfMonth: arr(range("number")),
            months: arr(range(oneOf("a month name or number", "string", "number"))),
            years: arr(range("number")),
            location: "string",
          }),
        ),
      ),
    }),
  ),
  templates: strings,
});
