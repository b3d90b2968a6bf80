import { Client, type Store, type Workflow } from "@durable/core";

/**
 * Starts `count` runs with ids `<prefix>-<n>`, `parallel` at a time; resolves with each start's latency
 * in ms once all are created.
 * @example
 * const latencies = await startRuns(store, trivialSteps, { steps: 10 }, 500, 1);
 */
export async function startRuns<I>(
  store: Store,
  wf: Workflow<I, unknown>,
  input: I,
  count: number,
  parallel = 64,
  prefix = wf.name,
  paceMs = 0,
): Promise<number[]> {
  const client = new Client({ store });
  const latencies: number[] = [];
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const n = next++;
      const started = performance.now();
      await client.start(wf, input, { id: `${prefix}-${n}` });
      const ms = performance.now() - started;
      latencies.push(ms);
      if (paceMs > ms) await new Promise((resolve) => setTimeout(resolve, paceMs - ms));
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, lane));
  return latencies;
}
