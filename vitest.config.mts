import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The real-Docker tests (root, dockerd, image builds) run with `npm run test:docker` only, the real-engine
    // cluster proof (kube-apiserver, etcd, the Pulumi CLI) with `npm run test:cluster` only.
    exclude: [...configDefaults.exclude, "test/docker/**", "test/cluster/**"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Pulumi's runtime keeps module-level state (mocks, config); isolate test files in forks.
    pool: "forks",
    setupFiles: [new URL("./test/helpers/require-ts.ts", import.meta.url).pathname],
  },
});
