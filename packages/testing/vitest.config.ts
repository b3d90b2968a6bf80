import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // The docs' examples import the package by name; here it is the source under test.
  resolve: { alias: { "@durable/testing": fileURLToPath(new URL("./src/index.ts", import.meta.url)) } },
  test: { include: ["src/**/*.test.ts"], testTimeout: 60_000 },
});
