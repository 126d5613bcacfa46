/**
 * Time interval semantics of Alertmanager's `timeinterval` package: a period matches when every field it sets
 * matches, evaluated in its `location` (IANA zone); `times` are [start, end) minutes of the day; weekday, month and
 * year ranges are inclusive; negative days of month count from the month's end (-1 = last day) and are clamped.
 */
import { MONTHS, WEEKDAYS } from "./model";
import type { Month, RangeOf, TimeInterval, TimePeriod, Weekday } from "./model";

interface WallClock {
  readonly year: number;
  readonly month: number; // 1..12
  readonly day: number;
  readonly weekday: number; // 0 = Sunday
  readonly minuteOfDay: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      weekday: "long",
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Whether the IANA zone name is known to this runtime (Go's LoadLocation reads the same tz database). */
export function isKnownTimeZone(zone: string): boolean {
  if (zone === "" || zone === "Local") return false;
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

function wallClock(at: Date, zone: string): WallClock {
  const parts: Record<string, string> = {};
  for (const p of formatterFor(zone).formatToParts(at)) parts[p.type] = p.value;
  const hour = Number(parts.hour) % 24;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: WEEKDAYS.indexOf((parts.weekday ?? "").toLowerCase() as Weekday),
    minuteOfDay: hour * 60 + Number(parts.minute),
  };
}

/** The instant at which the wall clock in `zone` reads the given local date and time (DST gaps resolve forward). */
export function zonedInstant(zone: string, year: number, month: number, day: number, hour = 0, minute = 0): Date {
  const want = Date.UTC(year, month - 1, day, hour, minute);
  let guess = want;
  for (let i = 0; i < 3; i++) {
    const w = wallClock(new Date(guess), zone);
    const seen = Date.UTC(w.year, w.month - 1, w.day, Math.floor(w.minuteOfDay / 60), w.minuteOfDay % 60);
    if (seen === want) break;
    guess += want - seen;
  }
  return new Date(guess);
}

/** Minutes since midnight of `HH:MM` (`24:00` allowed), or undefined. */
export function parseTimeOfDay(text: string): number | undefined {
  if (text === "24:00") return 1440;
  const m = /^([01][0-9]|2[0-3]):([0-5][0-9])$/.exec(text);
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

function bounds<T>(r: RangeOf<T>): readonly [T, T] {
  return Array.isArray(r) ? (r as readonly [T, T]) : [r as T, r as T];
}

/** The month's number, 1…12, of a month name (a number is returned as is). */
export function monthNumber(m: Month | number): number {
  return typeof m === "number" ? m : MONTHS.indexOf(m) + 1;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function clamp(n: number, min: number, max: number): number {
  return n <= min ? min : n >= max ? max : n;
}

/**
 * Whether the instant `at` falls in the time period, read on the wall clock of the period's `location` (UTC when
 * unset).
 */
export function periodContains(p: TimePeriod, at: Date): boolean {
  const t = wallClock(at, p.location ?? "UTC");
  if (p.times && !p.times.some((r) => {
    const s = parseTimeOfDay(r.start) ?? NaN;
    const e = parseTimeOfDay(r.end) ?? NaN;
    return t.minuteOfDay >= s && t.minuteOfDay < e;
  })) return false;
  if (p.daysOfMonth) {
    const dim = daysInMonth(t.year, t.month);
    const hit = p.daysOfMonth.some((r) => {
      const [b0, e0] = bounds(r);
      let b = b0 < 0 ? dim + b0 + 1 : b0;
      let e = e0 < 0 ? dim + e0 + 1 : e0;
      if (b > dim) return false;
      b = clamp(b, -dim, dim);
      e = clamp(e, -dim, dim);
      return t.day >= b && t.day <= e;
    });
    if (!hit) return false;
  }
  if (p.months && !p.months.some((r) => {
    const [b, e] = bounds(r);
    return t.month >= monthNumber(b) && t.month <= monthNumber(e);
  })) return false;
  if (p.weekdays && !p.weekdays.some((r) => {
    const [b, e] = bounds(r);
    return t.weekday >= WEEKDAYS.indexOf(b) && t.weekday <= WEEKDAYS.indexOf(e);
  })) return false;
  if (p.years && !p.years.some((r) => {
    const [b, e] = bounds(r);
    return t.year >= b && t.year <= e;
  })) return false;
  return true;
}

/** Whether the instant `at` falls in the named time interval, i.e. in any of its periods. */
export function intervalContains(ti: TimeInterval, at: Date): boolean {
  return ti.periods.some((p) => periodContains(p, at));
}

/** Problems in one period, as `[field, message]` pairs, mirroring Alertmanager's load-time checks. */
export function periodProblems(p: TimePeriod): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  (p.times ?? []).forEach((r, i) => {
    const s = parseTimeOfDay(r.start);
    const e = parseTimeOfDay(r.end);
    if (s === undefined || s === 1440) out.push([`times[${i}].start`, `${JSON.stringify(r.start)} is not a HH:MM time`]);
    if (e === undefined) out.push([`times[${i}].end`, `${JSON.stringify(r.end)} is not a HH:MM time (24:00 allowed)`]);
    if (s !== undefined && e !== undefined && s >= e) out.push([`times[${i}]`, `start ${r.start} must be before end ${r.end} (ranges cannot wrap midnight: split them)`]);
  });
  (p.weekdays ?? []).forEach((r, i) => {
    const [b, e] = bounds(r);
    const bi = WEEKDAYS.indexOf(b);
    const ei = WEEKDAYS.indexOf(e);
    if (bi < 0 || ei < 0) out.push([`weekdays[${i}]`, `${JSON.stringify(r)} is not a lowercase weekday name`]);
    else if (bi > ei) out.push([`weekdays[${i}]`, `${b}:${e} wraps the week (Sunday is day 0): list ["${b}", "saturday"] and ["sunday", "${e}"] instead`]);
  });
  (p.daysOfMonth ?? []).forEach((r, i) => {
    const [b, e] = bounds(r);
    const ok = (n: number) => Number.isInteger(n) && n !== 0 && n >= -31 && n <= 31;
    if (!ok(b) || !ok(e)) out.push([`daysOfMonth[${i}]`, `${JSON.stringify(r)}: days must be integers in 1…31 or -31…-1`]);
    else if (b < 0 && e > 0) out.push([`daysOfMonth[${i}]`, `${b}:${e}: the end must be negative when the start is`]);
    else if ((b < 0 ? 28 + b : b) > (e < 0 ? 28 + e : e)) out.push([`daysOfMonth[${i}]`, `${b}:${e}: the end is always before the start`]);
  });
  (p.months ?? []).forEach((r, i) => {
    const [b, e] = bounds(r);
    const bn = monthNumber(b);
    const en = monthNumber(e);
    if (!(bn >= 1 && bn <= 12 && en >= 1 && en <= 12 && Number.isInteger(bn) && Number.isInteger(en))) out.push([`months[${i}]`, `${JSON.stringify(r)} is not a month (1…12 or a lowercase name)`]);
    else if (bn > en) out.push([`months[${i}]`, `${JSON.stringify(r)}: the end month is before the start month`]);
  });
  (p.years ?? []).forEach((r, i) => {
    const [b, e] = bounds(r);
    if (!Number.isInteger(b) || !Number.isInteger(e) || b < 1) out.push([`years[${i}]`, `${JSON.stringify(r)} is not a year`]);
    else if (b > e) out.push([`years[${i}]`, `${b}:${e}: the end year is before the start year`]);
  });
  if (p.location !== undefined && !isKnownTimeZone(p.location)) {
    out.push(["location", `${JSON.stringify(p.location)} is not an IANA time zone (e.g. "Europe/Berlin"; "Local" is not reproducible)`]);
  }
  return out;
}

/** The YAML form of a range: `"monday:friday"`, `"1:5"`, `"-3:-1"`, or a single value. */
export function rangeText<T extends string | number>(r: RangeOf<T>): string {
  const [b, e] = bounds(r);
  return b === e ? String(b) : `${String(b)}:${String(e)}`;
}
