import { Client, type Store, type Workflow } from "@durable/core";

/**
 * Starts `count` runs with ids `<prefix>-<n>`, `parallel` at a time; resolves when all are created.
 * @example
 * await startRuns(store, trivialSteps, { steps: 10 }, 500);
 */
export async function startRuns<I>(
  store: Store,
  wf: Workflow<I, unknown>,
  input: I,
  count: number,
  parallel = 64,
  prefix = wf.name,
): Promise<void> {
  const client = new Client({ store });
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const n = next++;
      await client.start(wf, input, { id: `${prefix}-${n}` });
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, lane));
}
