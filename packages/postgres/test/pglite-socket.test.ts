import { silentLogger } from "@durable/core";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pgliteSocketStore, pgliteStore, postgresStore } from "../src/index.js";
import { claim, newRun } from "./helpers.js";
import { describeStoreContract } from "./store-contract.js";

// A worker's embedded database served to other processes, as `durable dev` does: one PGlite, a socket server.
const pglite = new PGlite();
const server = new PGLiteSocketServer({ db: pglite, host: "127.0.0.1", port: 0, maxConnections: 16 });
let url = "";
let schemas = 0;

beforeAll(async () => {
  await server.start();
  url = `postgres://postgres@${server.getServerConn()}/postgres`;
});
afterAll(async () => {
  await server.stop();
  await pglite.close();
});

describe("postgresStore over a pglite-socket server", () => {
  describeStoreContract("postgresStore on pglite-socket", async () =>
    postgresStore({
      connectionString: url,
      schema: `socket_${++schemas}`,
      poolSize: 1,
      logger: silentLogger,
    }),
  );

  it("shares the embedded database with the in-process store that owns it", async () => {
    const local = pgliteStore({ pglite, schema: "shared" });
    const remote = pgliteSocketStore({ connectionString: url, schema: "shared", logger: silentLogger });
    try {
      await remote.createRun(newRun("from-another-terminal"));
      const [claimed] = await claim(local);
      expect(claimed?.run.id).toBe("from-another-terminal");
      expect((await remote.getRun("from-another-terminal"))?.status).toBe("running");
    } finally {
      await remote.close();
      await local.close();
    }
  });
});
