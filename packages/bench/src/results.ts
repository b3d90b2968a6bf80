import type { ShapeResult } from "./shape.js";
import type { ReplayResult } from "./workloads/replay-statements.js";
import type { StoreCallsResult } from "./workloads/store-calls.js";
import type { W3Result } from "./workloads/w3-lateness.js";

/** Every measured run of every workload, in order. */
export interface Results {
  ceiling1: number[];
  ceiling16: number[];
  /** The ceiling again, each INSERT sending a NOTIFY as the store's createRun and finishRun do. */
  notify1: number[];
  notify16: number[];
  /** W1, easy shape: every run created before the worker starts. */
  w1: ShapeResult[];
  /** W1, users' shape: starts awaited one by one while the worker runs. */
  w1Interleaved: ShapeResult[];
  /** The same, the starts sharing the worker's store. */
  w1SharedStore: ShapeResult[];
  w2: ShapeResult[];
  /** W5 with 1 and with 3 worker processes. */
  w5x1: ShapeResult[];
  w5x3: ShapeResult[];
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
    w1Interleaved: [],
    w1SharedStore: [],
    w2: [],
    w5x1: [],
    w5x3: [],
    w3: [],
    replay: [],
    store: [],
    warnings: new Map(),
  };
}
