/**
 * A module namespace loaded on first property access. Start-up cost matters here: every `pulumi preview` of a
 * user's program pays for what importing the library loads, so heavy parts load when first used.
 */
export function lazyNamespace<T extends object>(load: () => T): T {
  let mod: T | undefined;
  const get = (): T => (mod ??= load());
  return new Proxy({} as T, {
    get: (_t, key) => Reflect.get(get(), key),
    has: (_t, key) => Reflect.has(get(), key),
    ownKeys: () => Reflect.ownKeys(get()),
    getOwnPropertyDescriptor: (_t, key) => {
      const d = Reflect.getOwnPropertyDescriptor(get(), key);
      return d ? { ...d, configurable: true } : undefined;
    },
  });
}
