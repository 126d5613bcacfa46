/**
 * When two recording rules of one name can write the same series: matcher pairs proven disjoint or not (every
 * operator pair, regex alternatives and prefixes), what the grouping keeps, unusable expressions, and the
 * bucketing of a fleet. Pure, so the mutation suite runs it.
 */
import { describe, expect, it } from "vitest";
import { collidingWith, provablyApart, recordingFacts } from "../../../core/rules/collisions";

const sum = (m: string, by = "code") => `sum by (${by}) (rate(http_requests_total{${m}}[5m]))`;

describe("provablyApart", () => {
  it.each([
    ['code="200"', 'code="500"', true],
    ['code="200"', 'code="200"', false],
    ['code="200"', 'code!="200"', true],
    ['code!="200"', 'code="200"', true],
    ['code="200"', 'code!="500"', false],
    ['code!="200"', 'code!="500"', false],
    ['code=~"2.."', 'code!~"2.."', true],
    ['code!~"2.."', 'code=~"2.."', true],
    ['code=~"2.."', 'code!~"5.."', false],
    ['code="200"', 'code=~"5.."', true],
    ['code="500"', 'code=~"5.."', false],
    ['code=~"5.."', 'code="200"', true],
    ['code=~"5.."', 'code="503"', false],
    ['code=~"2..|3.."', 'code=~"5.."', true],
    ['code=~"200|201"', 'code=~"5.."', true],
    ['code=~"200|500"', 'code=~"5.."', false],
    ['code=~"5.."', 'code=~"200|201"', true],
    ['code=~"5.."', 'code=~"200|503"', false],
    ['code=~"ab.*"', 'code=~"cd.*"', true],
    ['code=~"ab.*"', 'code=~"abc.*"', false],
    ['code=~"abc.*"', 'code=~"ab.*"', false],
    ['code=~".*x"', 'code=~"ab.*"', false],
    ['code=~"a+b.*"', 'code=~"b.*"', true],
    ['code=~"a+b.*"', 'code=~"a.*"', false],
    ['code=~"a+b.*"', 'code=~"c.*"', true],
    ['code=~"a?b.*"', 'code=~"b.*"', false],
    ['code=~"a{2}.*"', 'code=~"b.*"', false],
    ['code=~"\\\\.x.*"', 'code=~"\\\\.y.*"', true],
    ['code=~"\\\\d1.*"', 'code=~"\\\\d2.*"', false],
    ['code=~"(a|b)c.*"', 'code=~"d.*"', false],
    ['code=~"[ab]c.*"', 'code=~"d.*"', false],
    ['code=~"(a"', 'code=~"b"', false],
    ['code=~"a)"', 'code=~"b.*"', false],
    ['code=~"[a"', 'code=~"b.*"', false],
    ['code=~"[]a]x.*"', 'code=~"b.*"', false],
    ['code=~"[^]a]x.*"', 'code=~"b.*"', false],
  ] as const)("%s vs %s: %s", (a, b, apart) => {
    expect(provablyApart(sum(a), sum(b))).toBe(apart);
  });

  it("counts only labels the result keeps, in every selector of both rules", () => {
    expect(provablyApart(sum('code="200"', "job"), sum('code="500"', "job"))).toBe(false);
    expect(provablyApart('sum without (code) (x{code="200"})', 'sum without (code) (x{code="500"})')).toBe(false);
    expect(provablyApart('sum without (job) (x{code="200"})', 'sum without (job) (x{code="500"})')).toBe(true);
    expect(provablyApart('x{code="200"}', 'x{code="500"}')).toBe(true);
    expect(provablyApart('{__name__="a"}', '{__name__="b"}')).toBe(false);
    expect(provablyApart('sum by (code) (x{code="200"} / y)', 'sum by (code) (x{code="500"} / y{code="500"})')).toBe(false);
    expect(provablyApart('sum by (code) (x{code="200"} / y{code="200"})', 'sum by (code) (x{code="500"} / y{code="500"})')).toBe(true);
  });

  it("proves nothing of expressions whose series are not made by selectors, and calls broken ones apart (reported elsewhere)", () => {
    expect(provablyApart('label_replace(x{code="200"}, "a", "b", "c", "d")', 'x{code="500"}')).toBe(false);
    expect(provablyApart("vector(1)", "vector(2)")).toBe(false);
    expect(provablyApart("1", "2")).toBe(false);
    expect(provablyApart("sum(", 'x{code="500"}')).toBe(true);
    expect(recordingFacts("vector(1)")).toEqual({ broken: false, usable: false, grouping: { kind: "none", labels: [] }, selectors: [] });
    expect(recordingFacts("sum(").broken).toBe(true);
    expect(recordingFacts("sum by (a) (x)")).toMatchObject({ broken: false, usable: true, grouping: { kind: "by", labels: ["a"] } });
  });
});

describe("collidingWith", () => {
  const facts = (...exprs: string[]) => exprs.map(recordingFacts);
  it("names the earlier rule each one may collide with", () => {
    expect(collidingWith(facts(sum('code="200"'), sum('code="500"'), sum('code="200"'), sum('code=~"5.."')))).toEqual([-1, -1, 0, 1]);
    expect(collidingWith([])).toEqual([]);
  });
  it("buckets a fleet by a pinned label, comparing only within a bucket", () => {
    const svc = (j: string, c: string) => `sum by (job, code) (rate(x{job="${j}", code="${c}"}[5m]))`;
    expect(collidingWith(facts(svc("a", "200"), svc("b", "200"), svc("a", "200"), svc("b", "500"), svc("b", "200")))).toEqual([-1, -1, 0, -1, 1]);
    // A rule whose job is not pinned puts every rule in one bucket.
    expect(collidingWith(facts(svc("a", "200"), 'sum by (job, code) (rate(x{job=~"a|b", code="200"}[5m]))'))).toEqual([-1, 0]);
    expect(collidingWith(facts("vector(1)", "vector(1)"))).toEqual([-1, 0]);
  });
});
