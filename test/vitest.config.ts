import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["**/node_modules/**", "fixtures/**"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Real processes and real databases: one file at a time keeps a 2-core machine honest.
    fileParallelism: false,
  },
});
