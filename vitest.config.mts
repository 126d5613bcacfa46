import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Pulumi's runtime keeps module-level state (mocks, config); isolate test files in forks.
    pool: "forks",
  },
});
