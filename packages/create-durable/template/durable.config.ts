import { defineConfig } from "@durable/cli";

// `npm run dev` and `npm run worker` read this file. With no database URL the runs live in an embedded
// Postgres (PGlite) in .durable/; set DATABASE_URL to use a real server.
export default defineConfig({
  workflows: ["./src/workflows.ts"],
  databaseUrl: process.env.DATABASE_URL,
  dev: { runs: [{ workflow: "welcome", input: { email: "ada@example.com" } }] },
});
