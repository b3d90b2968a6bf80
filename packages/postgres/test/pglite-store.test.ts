import { PGlite } from "@electric-sql/pglite";
import { afterAll } from "vitest";
import { pgliteStore } from "../src/index.js";
import { describeStoreContract } from "./store-contract.js";

// One PGlite for the file (starting one takes a while); every test gets its own schema in it.
const pglite = new PGlite();
let schemas = 0;
afterAll(() => pglite.close());

describeStoreContract("pgliteStore", async () => pgliteStore({ pglite, schema: `contract_${++schemas}` }));
