#!/usr/bin/env node
// The `durable` bin. It lives outside dist/ so that npm links it on a fresh clone before the build has run
// (npm skips bins whose file is missing at install time); the command itself is dist/bin.js.
try {
  await import("../dist/bin.js");
} catch (error) {
  if (error?.code !== "ERR_MODULE_NOT_FOUND" || !String(error.message).includes("dist/bin.js")) throw error;
  process.stderr.write("error: @durable/cli is not built yet; run `npm run build` at the repository root\n");
  process.exit(1);
}
