#!/usr/bin/env node
// The `create-durable` bin (`npm create durable@latest my-app`). It lives outside dist/ so that npm links it on
// a fresh clone before the build has run; the command itself is dist/bin.js.
try {
  await import("../dist/bin.js");
} catch (error) {
  if (error?.code !== "ERR_MODULE_NOT_FOUND" || !String(error.message).includes("dist/bin.js")) throw error;
  process.stderr.write(
    "error: create-durable is not built yet; run `npm run build` at the repository root\n",
  );
  process.exit(1);
}
