import type { ReplayResult } from "./workloads/replay-statements.js";
import type { StoreCallsResult } from "./workloads/store-calls.js";
import type { W1Result } from "./workloads/w1-steps.js";
import type { W2Result } from "./workloads/w2-burst.js";
import type { W3Result } from "./workloads/w3-lateness.js";

/** Every measured run of every workload, in order. */
export interface Results {
  ceiling1: number[];
  ceiling16: number[];
  /** The ceiling again, each INSERT sending a NOTIFY as the store's createRun and finishRun do. */
  notify1: number[];
  notify16: number[];
  w1: W1Result[];
  w2: W2Result[];
  w3: W3Result[];
  replay: ReplayResult[];
  /** The hot-path store calls alone, on 1 and on 10 lanes. */
  store: StoreCallsResult[];
  /** Worker and store warnings by message, over all runs. */
  warnings: Map<string, number>;
}

/** No runs yet. */
export function emptyResults(): Results {
  return {
    ceiling1: [],
    ceiling16: [],
    notify1: [],
    notify16: [],
    w1: [],
    w2: [],
    w3: [],
    replay: [],
    store: [],
    warnings: new Map(),
  };
}
