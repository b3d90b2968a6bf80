// The simulation

// Its parts
export { planClients } from "./clients.js";
export { Cluster, WORKER_SETTINGS } from "./cluster.js";
export type { FaultRates } from "./faults.js";
export { chooseFaults, nodeFaults, simStore } from "./faults.js";
export { checkInvariants } from "./invariants.js";
export { Ledger } from "./ledger.js";
export { Prng } from "./prng.js";
export type { DriveOptions, RunEnd, SimNode } from "./scheduler.js";
export { Scheduler } from "./scheduler.js";
export type { StoreKind } from "./sim-stores.js";
export type { SimulateOptions, SimulationResult } from "./simulate.js";
export { simulate } from "./simulate.js";
export type { Command, Plan, Workload } from "./workload.js";
export { expectedOutput, generateWorkload, simWorkflow } from "./workload.js";
