import { memoryStore } from "@durable/core";
import { describeStoreContract } from "./store-contract.js";

describeStoreContract("memoryStore", async () => memoryStore());
