/**
 * Grafana unit ids (packages/grafana-data valueFormats, as enumerated by grafana/dashboard-linter's units rule),
 * limited to the families a monitoring dashboard uses. A typo here shows raw numbers without any unit.
 */
export const VALID_UNITS: ReadonlySet<string> = new Set([
  "none", "string", "short", "percent", "percentunit", "sci", "locale",
  "bytes", "decbytes", "bits", "decbits", "kbytes", "deckbytes", "mbytes", "decmbytes", "gbytes", "decgbytes",
  "pps", "binBps", "Bps", "binbps", "bps", "KiBs", "KBs", "MiBs", "MBs", "GiBs", "GBs", "Kbits", "Mbits", "Gbits",
  "dateTimeAsIso", "dateTimeAsIsoNoDateIfToday", "dateTimeAsLocal", "dateTimeAsLocalNoDateIfToday", "dateTimeAsSystem", "dateTimeFromNow",
  "hertz", "ns", "µs", "ms", "s", "m", "h", "d", "dtdurationms", "dtdurations", "dthms", "dtdhms", "timeticks", "clockms", "clocks",
  "cps", "ops", "reqps", "rps", "wps", "iops", "cpm", "opm", "rpm", "wpm",
  "bool", "bool_yes_no", "bool_on_off",
  "currencyUSD", "currencyEUR", "currencyGBP",
  "celsius", "watt",
]);
