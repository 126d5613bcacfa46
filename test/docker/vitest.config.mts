import { defineConfig } from "vitest/config";

// `npm run test:docker`: the dev stack on a real Docker engine (root, dockerd, image builds). Kept out of the
// default suite; one file at a time, since each starts its own engine.
export default defineConfig({
  test: {
    root: new URL("../..", import.meta.url).pathname,
    include: ["test/docker/**/*.test.ts"],
    testTimeout: 180_000,
    hookTimeout: 600_000,
    pool: "forks",
    setupFiles: [new URL("../helpers/require-ts.ts", import.meta.url).pathname],
    fileParallelism: false,
  },
});
