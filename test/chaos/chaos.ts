import { loadavg } from "node:os";
import { Client, type Store, silentLogger } from "@durable/core";
import { postgresStore } from "@durable/postgres";
import { type PrivateCluster, startPrivateCluster } from "../support/private-cluster.js";
import { createProcessEnv, type ProcessEnv } from "../support/process-env.js";
import { KEYED_EFFECTS_DDL } from "../support/step-executions.js";
import { type AdminPool, adminPool, retryingConnection } from "./admin-pool.js";
import { type ChaosOrderInput, chaosWorkflows, ORDER_WORKFLOW } from "./chaos-workflows.js";
import { EventSender, type SendMode } from "./event-sender.js";
import { FaultInjector, planFaults } from "./faults.js";
import { type ChaosFigures, chaosFigures, type Observed } from "./figures.js";
import { type Random, seededRandom } from "./random.js";
import { type FigureLine, judge } from "./verdict.js";
import { WorkerFleet } from "./worker-fleet.js";

/** The shape of one chaos run. */
export interface ChaosConfig {
  seed: number;
  /** Order runs in all, half in each phase. */
  runs: number;
  /** Poison runs, started during the second phase. */
  poison: number;
  workers: number;
  leaseMs: number;
  /** Runs each worker executes at once. */
  concurrency: number;
  /**
   * Order runs started per second (0: all at once, so each phase is bound by the workers' capacity and its
   * throughput is theirs). A rate below capacity keeps claims close to their due times, where the races
   * between an event and the claim that wakes a run for its sleep live.
   */
  startsPerSecond: number;
  /** Each step's work, drawn per step from this range of milliseconds. */
  stepMs: readonly [number, number];
  /** A fault every this many milliseconds (a range, drawn per fault). */
  faultEveryMs: readonly [number, number];
  /** A phase lasts until this many faults were injected in it, however soon its runs are done. */
  minFaultsPerPhase: number;
  /** A phase ends when its runs are done, after this long without a completion, or at `phaseCapMs`. */
  stallMs: number;
  phaseCapMs: number;
  /** After the phases, without faults: how long to wait for the remaining runs to end. */
  settleMs: number;
  log: (line: string) => void;
}

/** The figures, the judged table, and whether every invariant held. */
export interface ChaosResult {
  config: Omit<ChaosConfig, "log">;
  figures: ChaosFigures;
  lines: FigureLine[];
  ok: boolean;
  seconds: number;
}

const POISON_INPUT = {};
const TERMINAL = "('completed', 'failed', 'cancelled', 'blocked')";

/** Everything one chaos run sets up, torn down together. */
interface Rig {
  cluster: PrivateCluster;
  env: ProcessEnv;
  store: Store;
  client: Client;
  admin: AdminPool;
  fleet: WorkerFleet;
  injector: FaultInjector;
  sender: EventSender;
  observed: Observed;
}

/**
 * Runs the chaos suite: a private cluster, a fleet of worker processes, two phases of order runs (the second
 * with poison runs) under a seeded plan of faults, then G1–G9 over what happened.
 * @example
 * const result = await runChaos({ ...FULL_SCALE, seed: 42, log: console.log });
 * process.exitCode = result.ok ? 0 : 1;
 */
export async function runChaos(config: ChaosConfig): Promise<ChaosResult> {
  const began = Date.now();
  const rig = await openRig(config);
  try {
    await rig.fleet.start();
    config.log(`seed ${config.seed}: ${config.workers} workers on ${rig.env.database.url}`);
    rig.sender.start();
    await runPhases(rig, config);
    await settle(rig.admin, config, config.log);
    await rig.sender.stop();
    rig.observed.stopCodes = await rig.fleet.stopAll();
    rig.observed.claims = rig.fleet.claims();
    await rig.env.reconnect();
    const figures = await chaosFigures(rig.env.admin, rig.observed);
    const lines = judge(figures, config.leaseMs);
    const { log: _, ...rest } = config;
    const seconds = (Date.now() - began) / 1000;
    return { config: rest, figures, lines, ok: lines.every((l) => l.ok), seconds };
  } finally {
    await closeRig(rig);
  }
}

async function openRig(config: ChaosConfig): Promise<Rig> {
  const cluster = await startPrivateCluster();
  const env = await createProcessEnv(cluster.url);
  await env.admin.query(KEYED_EFFECTS_DDL);
  const { url, name } = env.database;
  const store = postgresStore({ connectionString: url, listen: false, poolSize: 4, logger: silentLogger });
  const client = new Client({ store });
  const admin = adminPool(url, name);
  let injector: FaultInjector | undefined;
  const fleet = new WorkerFleet(
    config.workers,
    { databaseUrl: url, concurrency: config.concurrency, leaseMs: config.leaseMs, pollMs: 500 },
    () => injector?.databaseUp() ?? Promise.resolve(),
  );
  injector = new FaultInjector(fleet, cluster, admin, config.leaseMs, config.log);
  const sender = new EventSender(client, admin);
  const observed: Observed = {
    leaseMs: config.leaseMs,
    faults: injector.records,
    claims: [],
    exits: fleet.exits,
    stopCodes: [],
    startFailures: fleet.startFailures,
    phases: [],
  };
  return { cluster, env, store, client, admin, fleet, injector, sender, observed };
}

async function closeRig(rig: Rig): Promise<void> {
  await rig.sender.stop();
  await rig.fleet.killAll();
  await rig.admin.close().catch(() => {});
  await rig.store.close().catch(() => {});
  await rig.env.close().catch(() => {});
  await rig.cluster.destroy();
}

/** Both phases run the same fault plan from its start; the poison runs spread over the first phase's length. */
async function runPhases(rig: Rig, config: ChaosConfig): Promise<void> {
  const workload = seededRandom(config.seed ^ 0x5bd1e995);
  const planLength = Math.ceil(config.phaseCapMs / config.faultEveryMs[0]) + 1;
  const plan = planFaults(seededRandom(config.seed), planLength, config.faultEveryMs);
  const half = Math.ceil(config.runs / 2);
  const phases = [
    { name: "healthy", prefix: "a-", runs: half, poison: 0 },
    { name: "with poison", prefix: "b-", runs: config.runs - half, poison: config.poison },
  ];
  let healthySeconds = 0;
  for (const phase of phases) {
    const startedAt = Date.now();
    const record = { name: phase.name, prefix: phase.prefix, startedAt, runs: phase.runs, loadAverage: 0 };
    rig.observed.phases.push(record);
    const loads: number[] = [];
    const sampling = setInterval(() => loads.push(loadavg()[0] ?? 0), 5_000);
    let done = false;
    const faulting = rig.injector.run(plan, phase.name, () => done);
    const { poison } = chaosWorkflows(noRecorder);
    const poisoning = startPoison(rig.client, poison, phase.poison, healthySeconds * 700, () => done);
    await startOrders(rig.client, rig.sender, workload, phase.prefix, phase.runs, config);
    await waitForPhase(rig.admin, phase.prefix, phase.runs, config, config.log);
    const faults = rig.injector.records;
    while (faults.filter((f) => f.phase === phase.name).length < config.minFaultsPerPhase) await sleep(500);
    done = true;
    await Promise.all([faulting, poisoning]);
    clearInterval(sampling);
    record.loadAverage = loads.reduce((sum, l) => sum + l, 0) / Math.max(1, loads.length);
    healthySeconds = (Date.now() - startedAt) / 1000;
    config.log(`phase ${phase.name} over after ${healthySeconds.toFixed(0)} s`);
  }
}

const noRecorder = {
  record: () => Promise.reject(new Error("steps run in the worker processes, never in the driver")),
  applyEffect: () => Promise.reject(new Error("steps run in the worker processes, never in the driver")),
};

async function startOrders(
  client: Client,
  sender: EventSender,
  rng: Random,
  prefix: string,
  count: number,
  { stepMs, startsPerSecond }: Pick<ChaosConfig, "stepMs" | "startsPerSecond">,
) {
  const began = Date.now();
  const size = startsPerSecond > 0 ? Math.min(50, Math.max(1, Math.round(startsPerSecond / 4))) : 50;
  const { order } = chaosWorkflows(noRecorder);
  for (let i = 0; i < count; i += size) {
    if (startsPerSecond > 0) await sleep(began + (i / startsPerSecond) * 1_000 - Date.now());
    const batch = Array.from({ length: Math.min(size, count - i) }, (_, j) => {
      const index = i + j;
      const input: ChaosOrderInput = {
        stepMs: Array.from({ length: 5 }, () => rng.int(stepMs[0], stepMs[1])),
        sleepMs: rng.int(1_000, 3_000),
        child: index % 10 === 0,
      };
      const draw = rng.next();
      const mode: SendMode = draw < 0.2 ? "early" : draw < 0.8 ? "near-wake" : "waiting";
      return { id: `${prefix}${String(index).padStart(5, "0")}`, input, mode, jitterMs: rng.int(-100, 150) };
    });
    await Promise.all(batch.map((b) => retryingConnection(() => client.start(order, b.input, { id: b.id }))));
    for (const b of batch) sender.add(b.id, b.mode, b.jitterMs);
  }
}

/** Starts the poison runs one after another across the first `spreadMs` of the phase. */
async function startPoison(
  client: Client,
  poison: ReturnType<typeof chaosWorkflows>["poison"],
  count: number,
  spreadMs: number,
  over: () => boolean,
) {
  for (let i = 0; i < count && !over(); i++) {
    await retryingConnection(() =>
      client.start(poison, POISON_INPUT as Record<string, never>, { id: `poison-${i}` }),
    );
    if (i < count - 1) await new Promise((resolve) => setTimeout(resolve, spreadMs / count));
  }
}

async function waitForPhase(
  admin: AdminPool,
  prefix: string,
  runs: number,
  config: ChaosConfig,
  log: (line: string) => void,
) {
  const deadline = Date.now() + config.phaseCapMs;
  let last = -1;
  let lastChange = Date.now();
  let lastLog = 0;
  for (;;) {
    const rows = await admin.query<{ ended: number; completed: number }>(
      `SELECT count(*) FILTER (WHERE status IN ${TERMINAL})::int AS ended,
         count(*) FILTER (WHERE status = 'completed')::int AS completed
       FROM durable.runs WHERE workflow = $2 AND id LIKE $1`,
      [`${prefix}%`, ORDER_WORKFLOW],
    );
    const { ended = 0, completed = 0 } = rows[0] ?? {};
    if (completed !== last) [last, lastChange] = [completed, Date.now()];
    if (Date.now() - lastLog > 15_000) {
      lastLog = Date.now();
      log(`  ${prefix}*: ${completed} completed, ${ended} ended of ${runs}`);
    }
    if (ended >= runs) return;
    if (Date.now() - lastChange > config.stallMs)
      return log(
        `  ${prefix}*: no completion for ${config.stallMs / 1000} s, phase ends with ${runs - ended} runs not ended`,
      );
    if (Date.now() > deadline)
      return log(`  ${prefix}*: phase cap reached with ${runs - ended} runs not ended`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

/** Without faults, waits until every run (poison and children too) has ended, or nothing changes for `settleMs`. */
async function settle(admin: AdminPool, config: ChaosConfig, log: (line: string) => void) {
  let last = -1;
  let lastChange = Date.now();
  for (;;) {
    const rows = await admin.query<{ open: number }>(
      `SELECT count(*)::int AS open FROM durable.runs WHERE status NOT IN ${TERMINAL}`,
    );
    const open = rows[0]?.open ?? 0;
    if (open === 0) return;
    if (open !== last) [last, lastChange] = [open, Date.now()];
    if (Date.now() - lastChange > config.settleMs) return log(`settled with ${open} runs not ended`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
