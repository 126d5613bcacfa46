/**
 * Lets `require()` load TypeScript sources in tests, as it does under tsx and in the built package: the library
 * loads heavy parts lazily with `require` (lib.ts's `dashboards`), which Vitest's own module loader does not serve.
 */
import { register } from "tsx/cjs/api";

register();
