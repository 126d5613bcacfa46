/**
 * Helpers the code `moncode import` writes for dashboards: the JSON typed with the Grafana Foundation SDK's types
 * where it fits them, and the rest kept as Grafana wrote it (core/import/grafana-typed.ts decides which is which).
 */

/**
 * `typed` (checked against `T` by the compiler) with the fields the SDK's type does not describe merged back in, so
 * the rendered JSON is the dashboard as it was.
 */
export function withRaw<T extends object>(typed: T, raw: Readonly<Record<string, unknown>>): T {
  return { ...typed, ...raw } as T;
}

/** JSON kept whole where the SDK's type `T` cannot describe it (a field it requires is missing); not checked. */
export function untyped<T>(json: unknown): T {
  return json as T;
}

/** The SDK's type `T` with the required fields `K` optional: a dashboard that lacks them (Grafana reads them as empty). */
export type Lacking<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;
