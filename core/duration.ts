/**
 * Prometheus/Alertmanager durations (`model.Duration`): units y w d h m s ms, largest first, each at most once,
 * integers only, e.g. `1h30m`, `15s`, `500ms`, `0s`.
 */

const UNIT_MS: ReadonlyArray<readonly [string, number]> = [
  ["y", 365 * 24 * 3600_000],
  ["w", 7 * 24 * 3600_000],
  ["d", 24 * 3600_000],
  ["h", 3600_000],
  ["m", 60_000],
  ["s", 1000],
  ["ms", 1],
];

const DURATION_RE = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** A duration string as Prometheus writes it. */
export type Duration = string;

/** Milliseconds of a Prometheus duration, or undefined when the text is not one. */
export function parseDuration(text: string): number | undefined {
  if (text === "0") return 0;
  if (text === "") return undefined;
  const m = DURATION_RE.exec(text);
  if (!m) return undefined;
  let total = 0;
  for (let i = 0; i < UNIT_MS.length; i++) {
    const v = m[i + 1];
    if (v !== undefined) total += Number(v) * UNIT_MS[i]![1];
  }
  return total;
}

export function isDuration(text: string): boolean {
  return parseDuration(text) !== undefined;
}

/** Formats milliseconds as the shortest Prometheus duration (`90000` → `1m30s`). */
export function formatDuration(ms: number): Duration {
  if (!Number.isInteger(ms) || ms < 0) throw new RangeError(`cannot format ${ms} ms as a duration`);
  if (ms === 0) return "0s";
  let rest = ms;
  let out = "";
  for (const [unit, size] of UNIT_MS) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}
