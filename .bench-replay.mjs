const dist = process.argv[2];
const core = await import(`${dist}/index.js`);
const { workflow, encode, silentLogger } = core;
const N = 10_000;
const wf = workflow({ name: "long" }, async (ctx) => {
  let sum = 0;
  for (let i = 0; i < N; i++) sum += await ctx.call(`s${i % 10}`, () => i);
  return sum;
});
const t0 = Date.UTC(2030, 0, 1);
const journal = Array.from({ length: N }, (_, i) => ({
  kind: "call", runId: "r", seq: i, name: `s${i % 10}`, order: i, attempts: 1,
  startedAt: new Date(t0), completedAt: new Date(t0 + i), outcome: "ok", result: encode(i),
}));
const host = {
  runId: "r", workflow: wf, input: undefined, startedAt: new Date(t0), journal, retryState: {},
  now: () => t0 + N, append: async () => { throw new Error("no write"); }, setTimer: () => () => {},
  logger: silentLogger,
};
const make = core.createActivation ? () => core.createActivation(host) : () => new core.ReplayEngine(host);
const times = [];
for (let r = 0; r < 7; r++) {
  const start = performance.now();
  const outcome = await make().run().catch((e) => ({ type: "threw", e: String(e) }));
  times.push(performance.now() - start);
  if (r === 0) console.log(outcome.type);
}
times.sort((a, b) => a - b);
console.log(dist.includes("main") ? "main" : "engine", "median ms", times[3].toFixed(1), "min", times[0].toFixed(1), "heap MB", (process.memoryUsage().heapUsed / 1e6).toFixed(1));
