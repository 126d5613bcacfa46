/**
 * Time interval semantics at their boundaries, and every load-time check of a period with its exact message. Pure, so
 * the mutation suite runs it.
 */
import { describe, expect, it } from "vitest";
import type { TimePeriod } from "../../../core/alertmanager/model";
import {
  intervalContains, isKnownTimeZone, monthNumber, parseTimeOfDay, periodContains, periodProblems, rangeText, zonedInstant,
} from "../../../core/alertmanager/time-intervals";

describe("parseTimeOfDay, monthNumber, rangeText, isKnownTimeZone", () => {
  it.each([["00:00", 0], ["09:05", 545], ["19:59", 1199], ["23:59", 1439], ["24:00", 1440], ["24:01", undefined], ["9:05", undefined], ["09:60", undefined], ["x09:05", undefined], ["09:05x", undefined], ["30:00", undefined]])("%s → %s", (t, m) => {
    expect(parseTimeOfDay(t)).toBe(m);
  });
  it("months by name or number", () => {
    expect([monthNumber("january"), monthNumber("december"), monthNumber(7)]).toEqual([1, 12, 7]);
  });
  it("ranges as a:b, single values as themselves", () => {
    expect([rangeText(["monday", "friday"]), rangeText("sunday"), rangeText([3, 3]), rangeText([-3, -1]), rangeText(5)]).toEqual(["monday:friday", "sunday", "3", "-3:-1", "5"]);
  });
  it("zones", () => {
    expect([isKnownTimeZone("Europe/Berlin"), isKnownTimeZone("UTC"), isKnownTimeZone(""), isKnownTimeZone("Local"), isKnownTimeZone("Mars/Olympus")]).toEqual([true, true, false, false, false]);
  });
  it("zonedInstant: the instant a wall clock shows, across DST", () => {
    expect(zonedInstant("Europe/Berlin", 2026, 1, 15, 9, 30).toISOString()).toBe("2026-01-15T08:30:00.000Z");
    expect(zonedInstant("Europe/Berlin", 2026, 7, 15, 9, 30).toISOString()).toBe("2026-07-15T07:30:00.000Z");
    expect(zonedInstant("UTC", 2026, 2, 28).toISOString()).toBe("2026-02-28T00:00:00.000Z");
    expect(zonedInstant("America/New_York", 2026, 12, 31, 23, 59).toISOString()).toBe("2027-01-01T04:59:00.000Z");
  });
});

describe("periodContains", () => {
  const at = (iso: string) => new Date(iso);
  it("times are [start, end)", () => {
    const p: TimePeriod = { times: [{ start: "09:00", end: "17:00" }] };
    expect(["08:59", "09:00", "16:59", "17:00"].map((t) => periodContains(p, at(`2026-03-04T${t}:00Z`)))).toEqual([false, true, true, false]);
    expect(periodContains({ times: [{ start: "22:00", end: "24:00" }] }, at("2026-03-04T23:59:00Z"))).toBe(true);
    expect(periodContains({ times: [{ start: "xx", end: "24:00" }] }, at("2026-03-04T23:59:00Z"))).toBe(false);
  });
  it("any of several time ranges", () => {
    const p: TimePeriod = { times: [{ start: "00:00", end: "01:00" }, { start: "12:00", end: "13:00" }] };
    expect(["00:30", "06:00", "12:30"].map((t) => periodContains(p, at(`2026-03-04T${t}:00Z`)))).toEqual([true, false, true]);
  });
  it("weekdays are inclusive (2026-03-02 is a Monday)", () => {
    const p: TimePeriod = { weekdays: [["tuesday", "thursday"]] };
    expect(["01", "02", "03", "05", "06", "07"].map((d) => periodContains(p, at(`2026-03-${d}T12:00:00Z`)))).toEqual([false, false, true, true, false, false]);
    expect(periodContains({ weekdays: ["sunday"] }, at("2026-03-01T12:00:00Z"))).toBe(true);
    expect(periodContains({ weekdays: ["saturday"] }, at("2026-03-07T12:00:00Z"))).toBe(true);
  });
  it("days of month: inclusive, negative from the month's end, out of range never matches", () => {
    const day = (p: TimePeriod, d: string, m = "02") => periodContains(p, at(`2026-${m}-${d}T12:00:00Z`));
    expect(["04", "05", "10", "11"].map((d) => day({ daysOfMonth: [[5, 10]] }, d))).toEqual([false, true, true, false]);
    // February 2026 has 28 days: -1 is the 28th, -3:-1 the 26th to 28th.
    expect(["25", "26", "28"].map((d) => day({ daysOfMonth: [[-3, -1]] }, d))).toEqual([false, true, true]);
    expect(day({ daysOfMonth: [-1] }, "28")).toBe(true);
    expect(day({ daysOfMonth: [-1] }, "30", "03")).toBe(false);
    expect(day({ daysOfMonth: [-1] }, "31", "03")).toBe(true);
    expect(day({ daysOfMonth: [[30, 31]] }, "28")).toBe(false);
    expect(day({ daysOfMonth: [[25, 31]] }, "28")).toBe(true);
    expect(day({ daysOfMonth: [[1, -1]] }, "01")).toBe(true);
  });
  it("months and years are inclusive", () => {
    expect(["01", "03", "04", "05"].map((m) => periodContains({ months: [["march", "april"]] }, at(`2026-${m}-10T12:00:00Z`)))).toEqual([false, true, true, false]);
    expect(periodContains({ months: [2] }, at("2026-02-10T12:00:00Z"))).toBe(true);
    expect([2025, 2026, 2027, 2028].map((y) => periodContains({ years: [[2026, 2027]] }, at(`${y}-06-01T12:00:00Z`)))).toEqual([false, true, true, false]);
  });
  it("every field must match, on the location's wall clock", () => {
    const p: TimePeriod = { weekdays: ["monday"], times: [{ start: "09:00", end: "10:00" }], location: "Europe/Berlin" };
    expect(periodContains(p, at("2026-03-02T08:30:00Z"))).toBe(true);
    expect(periodContains(p, at("2026-03-02T09:30:00Z"))).toBe(false);
    expect(periodContains(p, at("2026-03-03T08:30:00Z"))).toBe(false);
    expect(periodContains({}, at("2026-03-03T08:30:00Z"))).toBe(true);
  });
  it("an interval contains what any of its periods does", () => {
    const ti = { name: "n", periods: [{ weekdays: ["monday" as const] }, { weekdays: ["friday" as const] }] };
    expect(["02", "04", "06"].map((d) => intervalContains(ti, at(`2026-03-${d}T12:00:00Z`)))).toEqual([true, false, true]);
  });
});

describe("periodProblems", () => {
  it.each([
    [{ times: [{ start: "09:00", end: "24:00" }], weekdays: ["monday", ["tuesday", "friday"]], daysOfMonth: [1, [-3, -1], [1, 31], [-31, -1], [3, -1]], months: ["january", [3, 4], ["may", "june"]], years: [2026, [2026, 2030]], location: "UTC" }, []],
    [{ times: [{ start: "24:00", end: "24:00" }] }, [["times[0].start", '"24:00" is not a HH:MM time'], ["times[0]", "start 24:00 must be before end 24:00 (ranges cannot wrap midnight: split them)"]]],
    [{ times: [{ start: "9:00", end: "25:00" }] }, [["times[0].start", '"9:00" is not a HH:MM time'], ["times[0].end", '"25:00" is not a HH:MM time (24:00 allowed)']]],
    [{ times: [{ start: "10:00", end: "10:00" }] }, [["times[0]", "start 10:00 must be before end 10:00 (ranges cannot wrap midnight: split them)"]]],
    [{ times: [{ start: "00:00", end: "01:00" }, { start: "11:00", end: "10:00" }] }, [["times[1]", "start 11:00 must be before end 10:00 (ranges cannot wrap midnight: split them)"]]],
    [{ weekdays: ["Monday"] }, [["weekdays[0]", '"Monday" is not a lowercase weekday name']]],
    [{ weekdays: [["monday", "funday"]] }, [["weekdays[0]", '["monday","funday"] is not a lowercase weekday name']]],
    [{ weekdays: [["friday", "monday"]] }, [["weekdays[0]", 'friday:monday wraps the week (Sunday is day 0): list ["friday", "saturday"] and ["sunday", "monday"] instead']]],
    [{ daysOfMonth: [0] }, [["daysOfMonth[0]", "0: days must be integers in 1…31 or -31…-1"]]],
    [{ daysOfMonth: [32] }, [["daysOfMonth[0]", "32: days must be integers in 1…31 or -31…-1"]]],
    [{ daysOfMonth: [-32] }, [["daysOfMonth[0]", "-32: days must be integers in 1…31 or -31…-1"]]],
    [{ daysOfMonth: [[1, 1.5]] }, [["daysOfMonth[0]", "[1,1.5]: days must be integers in 1…31 or -31…-1"]]],
    [{ daysOfMonth: [[-1, 1]] }, [["daysOfMonth[0]", "-1:1: the end must be negative when the start is"]]],
    [{ daysOfMonth: [[10, 5]] }, [["daysOfMonth[0]", "10:5: the end is always before the start"]]],
    [{ daysOfMonth: [[-1, -3]] }, [["daysOfMonth[0]", "-1:-3: the end is always before the start"]]],
    // Alertmanager compares negative days as if the month had 28 days (timeinterval.DayOfMonthRange), so 28:-1 is refused.
    [{ daysOfMonth: [[27, -1]] }, []],
    [{ daysOfMonth: [[28, -1]] }, [["daysOfMonth[0]", "28:-1: the end is always before the start"]]],
    [{ months: [0] }, [["months[0]", "0 is not a month (1…12 or a lowercase name)"]]],
    [{ months: [13] }, [["months[0]", "13 is not a month (1…12 or a lowercase name)"]]],
    [{ months: [[1, 12.5]] }, [["months[0]", "[1,12.5] is not a month (1…12 or a lowercase name)"]]],
    [{ months: ["March"] }, [["months[0]", '"March" is not a month (1…12 or a lowercase name)']]],
    [{ months: [["april", "march"]] }, [["months[0]", '["april","march"]: the end month is before the start month']]],
    [{ years: [0] }, [["years[0]", "0 is not a year"]]],
    [{ years: [[2026, 2026.5]] }, [["years[0]", "[2026,2026.5] is not a year"]]],
    [{ years: [[2027, 2026]] }, [["years[0]", "2027:2026: the end year is before the start year"]]],
    [{ location: "Local" }, [["location", '"Local" is not an IANA time zone (e.g. "Europe/Berlin"; "Local" is not reproducible)']]],
  ] as [TimePeriod, [string, string][]][])("%j", (p, expected) => {
    expect(periodProblems(p)).toEqual(expected);
  });
});
