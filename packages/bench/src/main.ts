// `npm run bench`: each workload BENCH_REPEATS times (at least 3), each run on a fresh database.
// BENCH_ONLY=ceiling,store,w1,w1shared,w1easy,w2,w3,w5,replay picks workloads (for profiling one with `node --cpu-prof`).
import { loadavg } from "node:os";
import { type BenchDatabase, createBenchDatabase, SERVER_URL, WORKER_POOL_SIZE } from "./bench-database.js";
import { WORKER_SETTINGS } from "./bench-worker.js";
import { insertCommitRate } from "./ceiling.js";
import { fmt } from "./report.js";
import { emptyResults } from "./results.js";
import { summary } from "./summary.js";
import { measureReplay } from "./workloads/replay-statements.js";
import { measureStoreCalls } from "./workloads/store-calls.js";
import { runW1Interleaved } from "./workloads/w1-interleaved.js";
import { runW1 } from "./workloads/w1-steps.js";
import { runW2 } from "./workloads/w2-burst.js";
import { runW3 } from "./workloads/w3-lateness.js";
import { runW5 } from "./workloads/w5-producers.js";

const REPEATS = Math.max(3, Number(process.env.BENCH_REPEATS ?? 3));
const ONLY = new Set(
  (process.env.BENCH_ONLY ?? "ceiling,store,w1,w1shared,w1easy,w2,w3,w5,replay").split(","),
);
const CEILING_MS = 3_000;
const results = emptyResults();

async function onFreshDatabase<T>(fn: (db: BenchDatabase) => Promise<T>): Promise<T> {
  const db = await createBenchDatabase(results.warnings);
  try {
    return await fn(db);
  } finally {
    await db.drop();
  }
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
console.log(`durable bench on ${new URL(SERVER_URL).host}: ${REPEATS} runs of ${[...ONLY].join(", ")}`);
console.log(
  `one worker in this process (concurrency ${WORKER_SETTINGS.concurrency}, pollMs ${WORKER_SETTINGS.pollMs}, pool ${WORKER_POOL_SIZE} + 1 LISTEN); load average before: ${load()}`,
);
for (let i = 1; i <= REPEATS; i++) {
  const line: string[] = [];
  if (ONLY.has("ceiling")) {
    await onFreshDatabase(async (db) => {
      results.ceiling1.push(await insertCommitRate(db.url, 1, CEILING_MS));
      results.ceiling16.push(await insertCommitRate(db.url, 16, CEILING_MS));
      results.notify1.push(await insertCommitRate(db.url, 1, CEILING_MS, { notify: true }));
      results.notify16.push(await insertCommitRate(db.url, 16, CEILING_MS, { notify: true }));
    });
    line.push(
      `ceiling ${fmt(results.ceiling1.at(-1) ?? 0)} / ${fmt(results.ceiling16.at(-1) ?? 0)} commits/s`,
    );
  }
  if (ONLY.has("store")) {
    for (const lanes of [1, 10])
      results.store.push(await onFreshDatabase((db) => measureStoreCalls(db, lanes)));
    line.push(`appends ${fmt(results.store.at(-1)?.appendsPerSecond ?? 0)}/s`);
  }
  if (ONLY.has("w1")) {
    results.w1Interleaved.push(await onFreshDatabase(runW1Interleaved));
    line.push(`W1 ${fmt(results.w1Interleaved.at(-1)?.stepsPerSecond ?? 0)} steps/s`);
  }
  if (ONLY.has("w1shared")) {
    results.w1SharedStore.push(await onFreshDatabase((db) => runW1Interleaved(db, true)));
    line.push(`W1 one store ${fmt(results.w1SharedStore.at(-1)?.stepsPerSecond ?? 0)} steps/s`);
  }
  if (ONLY.has("w1easy")) {
    results.w1.push(await onFreshDatabase(runW1));
    line.push(`W1 precreated ${fmt(results.w1.at(-1)?.stepsPerSecond ?? 0)} steps/s`);
  }
  if (ONLY.has("w2")) {
    results.w2.push(await onFreshDatabase(runW2));
    line.push(`W2 ${fmt(results.w2.at(-1)?.workflowsPerSecond ?? 0)} workflows/s`);
  }
  if (ONLY.has("w3")) {
    results.w3.push(await onFreshDatabase(runW3));
    line.push(`W3 p99 ${fmt(results.w3.at(-1)?.p99 ?? 0)} ms`);
  }
  if (ONLY.has("w5")) {
    results.w5x1.push(await onFreshDatabase((db) => runW5(db, 1)));
    results.w5x3.push(await onFreshDatabase((db) => runW5(db, 3)));
    line.push(
      `W5 ${fmt(results.w5x1.at(-1)?.stepsPerSecond ?? 0)} / ${fmt(results.w5x3.at(-1)?.stepsPerSecond ?? 0)} steps/s`,
    );
  }
  if (ONLY.has("replay")) {
    results.replay.push(await onFreshDatabase(measureReplay));
    line.push(`replay ${fmt(results.replay.at(-1)?.perReplayedStep ?? 0, 3)} statements/step`);
  }
  console.log(`run ${i}: ${line.join(" · ")}`);
}
console.log(summary(results, REPEATS).join("\n"));
console.log(`\nload average after: ${load()} (2 cores; other processes on this machine skew every figure)`);
