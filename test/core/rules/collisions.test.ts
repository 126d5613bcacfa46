/**
 * When two recording rules of one name can write the same series: matcher pairs proven disjoint or not (every
 * operator pair, regex alternatives and prefixes), what the grouping keeps, unusable expressions, and the
 * bucketing of a fleet. Pure, so the mutation suite runs it.
 */
import { describe, expect, it } from "vitest";
import { collidingWith, provablyApart, recordingFacts } from "../../../core/rules/collisions";

const sum = (m: string, by = "code") => `sum by (${by}) (rate(http_requests_total{${m}}[5m]))`;
/** One case of a table: the two matchers, each in a `sum by (code)` of one selector, and whether they are apart. */
const apartOfSums = (a: string, b: string, want: boolean) => {
  expect(provablyApart(sum(a), sum(b))).toBe(want);
};

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
  ] as const)("%s vs %s: %s", apartOfSums);

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

describe("provablyApart: every pair of operators, on one value and on two", () => {
  const ops = ["=", "!=", "=~", "!~"] as const;
  // Apart when no value satisfies both: "=" pins one value, "!=" excludes one, a literal regex admits only itself.
  const apart: Record<string, [same: boolean, different: boolean]> = {
    "= =": [false, true], "= !=": [true, false], "= =~": [false, true], "= !~": [true, false],
    "!= =": [true, false], "!= !=": [false, false], "!= =~": [true, false], "!= !~": [false, false],
    "=~ =": [false, true], "=~ !=": [true, false], "=~ =~": [false, true], "=~ !~": [true, false],
    "!~ =": [true, false], "!~ !=": [false, false], "!~ =~": [true, false], "!~ !~": [false, false],
  };
  it.each(ops.flatMap((a) => ops.map((b) => [a, b] as const)))('code%s"…" vs code%s"…"', (a, b) => {
    const [same, different] = apart[`${a} ${b}`]!;
    expect(provablyApart(sum(`code${a}"200"`), sum(`code${b}"200"`)), "200 vs 200").toBe(same);
    expect(provablyApart(sum(`code${a}"200"`), sum(`code${b}"500"`)), "200 vs 500").toBe(different);
  });

  it.each([
    // "!=" against a regex: apart only when the regex admits nothing but the excluded value.
    ['code!="200"', 'code=~"200|200"', true],
    ['code!="200"', 'code=~"200|201"', false],
    ['code!="200"', 'code=~"2.."', false],
    ['code=~"(200"', 'code!="200"', false],
    ['code="a.b"', 'code!~"a.b"', true],
    ['code="axb"', 'code!~"a.b"', true],
    ['code="ab"', 'code!~"a.b"', false],
    ['code="a"', 'code!~"(a"', false],
  ] as const)("%s vs %s: %s", apartOfSums);
});

describe("provablyApart: reading a regex's alternatives and fixed prefixes", () => {
  it.each([
    // An escaped | is a literal, not an alternative.
    ['code=~"a\\\\|b"', 'code=~"b.*"', true],
    // | ( ) inside a class are literals; ] first in a class (after an optional ^) is one too.
    ['code=~"[(]"', 'code=~"200|201"', true],
    ['code=~"[a(]"', 'code=~"200|201"', true],
    ['code=~"[](]"', 'code=~"200|201"', true],
    ['code=~"[^](]"', 'code=~"200|201"', true],
    ['code=~"[|]x|y"', 'code=~"200|201"', true],
    // Parentheses group alternatives: a top-level | only splits outside them.
    ['code=~"(a|b)c"', 'code=~"200|201"', true],
    ['code=~"(ab|cd)x.*"', 'code=~"ab.*"', false],
    // Not well nested: nothing is proven.
    ['code=~"ab)(.*"', 'code=~"c.*"', false],
    ['code=~"a(b.*"', 'code=~"c.*"', false],
    ['code=~"a[b"', 'code=~"c.*"', false],
    // A + after a character keeps one of it in the prefix and ends the prefix there.
    ['code=~"a+b.*"', 'code=~"aa.*"', false],
    ['code=~"ab+c.*"', 'code=~"abb.*"', false],
    // Every alternative of each side must be apart from every one of the other.
    ['code=~"a.*|c.*"', 'code=~"c.*"', false],
    ['code=~"c.*"', 'code=~"a.*|c.*"', false],
    ['code=~"a.*|b.*"', 'code=~"c.*|d.*"', true],
    // A finite set on one side only when all its alternatives are literals.
    ['code=~"200|5.*"', 'code=~"50."', false],
    ['code=~"50."', 'code=~"200|5.*"', false],
    ['code=~"200|ab.*"', 'code=~"5.."', true],
  ] as const)("%s vs %s: %s", apartOfSums);
});

describe("provablyApart: selectors, groupings and labels", () => {
  it.each([
    // A label kept by one result only: nothing is proven on it.
    ['sum by (code) (x{code="200"})', 'sum by (job) (x{code="500"})', false],
    // Every selector of one rule against every selector of the other.
    ['sum by (code) (x{code="200"})', 'sum by (code) (x{code="500"} / y{code="200"})', false],
    ['sum by (code) (x{code="200"} / y{code="500"})', 'sum by (code) (x{code="500"})', false],
    ['sum by (code) (x{code="200"} / y{code="200"})', 'sum by (code) (x{code="500"})', true],
    // One matcher of a label disjoint from one of the other side is enough.
    ['x{code="200"}', 'x{code="500", code!="300"}', true],
    ['x{code!="300", code="200"}', 'x{code="500"}', true],
    // A usable rule against one that makes its own series: nothing is proven, in either order.
    ['x{code="500"}', 'label_replace(x{code="200"}, "a", "b", "c", "d")', false],
    ['x{code="500"}', "vector(1)", false],
    ['x{code="500"}', "1", false],
    ['1', 'x{code="500"}', false],
  ] as const)("%s vs %s: %s", (a, b, want) => {
    expect(provablyApart(a, b)).toBe(want);
  });

  it("reads an expression with no selector as unusable", () => {
    expect(recordingFacts("1")).toEqual({ broken: false, usable: false, grouping: { kind: "none", labels: [] }, selectors: [] });
    expect(recordingFacts("time()")).toMatchObject({ broken: false, usable: false, selectors: [] });
  });
});

describe("collidingWith: the bucket label is one the results keep", () => {
  it("does not bucket by the metric name: two metrics recorded under one name with the same kept labels collide", () => {
    const by = (metric: string, code: string) => `sum by (code) (rate(${metric}{code="${code}"}[5m]))`;
    expect(collidingWith([by("x", "1"), by("y", "1")].map(recordingFacts))).toEqual([-1, 0]);
    expect(collidingWith([by("x", "1"), by("y", "2")].map(recordingFacts))).toEqual([-1, -1]);
  });

  it("does not bucket by a label the results drop: rules that differ only in it collide", () => {
    const r = (job: string) => `sum by (code) (rate(x{job="${job}", code="200"}[5m]))`;
    expect(collidingWith([r("a"), r("b")].map(recordingFacts))).toEqual([-1, 0]);
    const w = (job: string) => `sum without (job) (rate(x{job="${job}", code="200"}[5m]))`;
    expect(collidingWith([w("a"), w("b")].map(recordingFacts))).toEqual([-1, 0]);
  });

  it("buckets only by a label pinned with = in every selector of every rule", () => {
    const two = (j1: string, j2: string) => `sum by (job) (rate(x{job="${j1}"}[5m])) / sum by (job) (rate(y{job="${j2}"}[5m]))`;
    // Pinned to different values in one rule's two selectors: not a bucket key, the pair is compared.
    expect(collidingWith([two("a", "a"), two("a", "b")].map(recordingFacts))).toEqual([-1, 0]);
    expect(collidingWith([two("a", "a"), two("b", "b")].map(recordingFacts))).toEqual([-1, -1]);
    const neq = 'sum by (job) (rate(x{job!="a"}[5m]))';
    expect(collidingWith([neq, neq].map(recordingFacts))).toEqual([-1, 0]);
    expect(collidingWith(["vector(1)", 'sum by (job) (x{job="a"})'].map(recordingFacts))).toEqual([-1, 0]);
  });
});
