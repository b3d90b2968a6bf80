import { silentLogger } from "@durable/core";
import { afterAll, beforeAll, describe } from "vitest";
import { postgresStore } from "../src/index.js";
import { createTestDatabase, DATABASE_URL, type TestDatabase } from "./databases.js";
import { describeStoreContract } from "./store-contract.js";

describe.runIf(DATABASE_URL)("postgresStore", () => {
  let database: TestDatabase;
  let schemas = 0;
  beforeAll(async () => {
    database = await createTestDatabase(DATABASE_URL ?? "");
  });
  afterAll(() => database.drop());

  describeStoreContract("postgresStore", async () =>
    postgresStore({
      connectionString: database.url,
      schema: `contract_${++schemas}`,
      poolSize: 4,
      logger: silentLogger,
    }),
  );
});
