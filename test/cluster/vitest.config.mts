import { defineConfig } from "vitest/config";

// `npm run test:cluster`: the prod stack through the real Pulumi engine against a real kube-apiserver (etcd and the
// API server started by the test). Kept out of the default suite; one file, one control plane.
export default defineConfig({
  test: {
    root: new URL("../..", import.meta.url).pathname,
    include: ["test/cluster/**/*.test.ts"],
    testTimeout: 900_000,
    hookTimeout: 900_000,
    pool: "forks",
    setupFiles: [new URL("../helpers/require-ts.ts", import.meta.url).pathname],
    fileParallelism: false,
  },
});
