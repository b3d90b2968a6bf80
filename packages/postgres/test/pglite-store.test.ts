import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, describe, expect, it } from "vitest";
import { pgliteStore } from "../src/index.js";
import { newRun } from "./helpers.js";
import { describeStoreContract } from "./store-contract.js";

// One PGlite for the file (starting one takes a while); every test gets its own schema in it.
const pglite = new PGlite();
let schemas = 0;
afterAll(() => pglite.close());

describeStoreContract("pgliteStore", async () => pgliteStore({ pglite, schema: `contract_${++schemas}` }));

describe("pgliteStore on disk", () => {
  it("keeps runs and journals across restarts of the embedded database", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "durable-pglite-"));
    try {
      const first = pgliteStore({ dataDir });
      await first.createRun(newRun("r1", { tags: { kept: "yes" } }));
      await first.close();
      const second = pgliteStore({ dataDir });
      expect(await second.getRun("r1")).toMatchObject({ id: "r1", status: "pending", tags: { kept: "yes" } });
      await second.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
