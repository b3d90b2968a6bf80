import type { Clock } from "@durable/core";
import { Prng } from "./prng.js";

/** A simulated process (a worker or a client) or the store itself. */
export interface SimNode {
  readonly id: string;
  readonly kind: "worker" | "client" | "store";
  state: "up" | "dead";
  /** While the global time is before this, the node is stopped (SIGSTOP): nothing of it runs. */
  pausedUntil: number;
  /** This node's clock minus the global virtual time (clock drift). */
  offset: number;
}

/** Something a node will do when the scheduler picks it: start a store call, deliver its result... */
interface Op {
  seq: number;
  node: SimNode;
  label: string;
  readyAt: number;
  run: () => void;
  /** What happens to this call when its node's connection drops. */
  fail?: (error: Error) => void;
  /** A call not started when its node dies: runs anyway (it was on the wire), its result unseen. */
  orphan?: () => void;
}

interface Timer {
  seq: number;
  node: SimNode;
  at: number;
  fn: () => void;
}

/** How `Scheduler.run` ended. */
export type RunEnd = "done" | "stuck" | "horizon";

/** What drives a simulation: when to stop, and hooks called between steps. */
export interface DriveOptions {
  done: () => Promise<boolean>;
  /** Global virtual time past which runs still going count as stranded. */
  horizon: number;
  /** Before each step (fault injection). */
  beforeStep?: () => void;
}

// Turns of the event loop without news after which every process has run as far as it can.
const QUIET_TURNS = 4;
const MAX_TURNS = 200_000;
// Chance, at each step, that time moves on although work is ready (a slow machine).
const DAWDLE = 0.04;

const realSetImmediate = globalThis.setImmediate;
const turn = () => new Promise<void>((resolve) => realSetImmediate(resolve));

/**
 * One seeded scheduler for a whole simulated system: every store call, result, notification, step and
 * timer is an op, and at each step the PRNG picks which ready op goes next; time is virtual and moves
 * only when the scheduler moves it. Same seed, same choices, same trace.
 * @example
 * const sched = new Scheduler(7); const node = sched.node("w1", "worker");
 * sched.enqueue(node, "hello", () => {}); await sched.run({ done: async () => true, horizon: 1e6 });
 */
export class Scheduler {
  now: number;
  readonly start: number;
  readonly rng: Prng;
  readonly trace: string[] = [];
  /** Set once the simulation is over: store calls then fail at once (teardown). */
  closed = false;
  private ops: Op[] = [];
  private readonly timers = new Map<number, Timer>();
  private inflight = 0;
  private activity = 0;
  private nextSeq = 0;

  constructor(seed: number, start = Date.UTC(2030, 0, 1)) {
    this.rng = new Prng(seed);
    this.now = start;
    this.start = start;
  }

  node(id: string, kind: SimNode["kind"], offset = 0): SimNode {
    return { id, kind, state: "up", pausedUntil: 0, offset };
  }

  /** The clock a node reads: the global time plus its drift; its timers are scheduler timers. */
  clock(node: SimNode): Clock {
    return {
      now: () => this.now + node.offset,
      setTimer: (at, fn) => this.setTimer(node, at - node.offset, fn),
    };
  }

  log(node: SimNode, text: string): void {
    this.trace.push(`${String(this.now - this.start).padStart(8)} ${node.id.padEnd(4)} ${text}`);
  }

  enqueue(
    node: SimNode,
    label: string,
    run: () => void,
    extra: { readyAt?: number; fail?: (error: Error) => void; orphan?: () => void } = {},
  ): void {
    if (node.state === "dead") return;
    const op: Op = { seq: this.nextSeq++, node, label, readyAt: extra.readyAt ?? this.now, run };
    if (extra.fail) op.fail = extra.fail;
    if (extra.orphan) op.orphan = extra.orphan;
    this.ops.push(op);
    this.activity++;
  }

  /** Counts a call into the real store as in flight until it settles: the scheduler waits for it. */
  track<T>(promise: Promise<T>): Promise<T> {
    this.inflight++;
    const settled = () => {
      this.inflight--;
      this.activity++;
    };
    promise.then(settled, settled);
    return promise;
  }

  setTimer(node: SimNode, at: number, fn: () => void): () => void {
    const seq = this.nextSeq++;
    this.timers.set(seq, { seq, node, at: Math.max(at, this.now), fn });
    this.activity++;
    return () => this.timers.delete(seq);
  }

  /** SIGKILL: the node's queued work is gone (a call already on the wire may still run), its timers too. */
  kill(node: SimNode): void {
    if (node.state === "dead") return;
    node.state = "dead";
    this.log(node, "KILLED");
    const mine = this.ops.filter((op) => op.node === node);
    this.ops = this.ops.filter((op) => op.node !== node);
    for (const op of mine) if (op.orphan && this.rng.chance(0.5)) op.orphan();
    for (const [seq, timer] of this.timers) if (timer.node === node) this.timers.delete(seq);
  }

  /** SIGSTOP until `until`, then SIGCONT: everything of the node stalls meanwhile. */
  pause(node: SimNode, until: number): void {
    node.pausedUntil = Math.max(node.pausedUntil, until);
    this.log(node, `PAUSED until +${until - this.start}`);
  }

  /** The node's connection is terminated: its calls in flight fail (some after their commit). */
  dropConnection(node: SimNode): void {
    this.log(node, "CONNECTION DROPPED");
    const error = new Error(`simulated fault: the connection of ${node.id} was terminated`);
    for (const op of this.ops) {
      if (op.node !== node || !op.fail) continue;
      const fail = op.fail;
      op.run = () => fail(error);
      op.label = `${op.label} (connection dropped)`;
      delete op.fail;
      delete op.orphan;
    }
  }

  /** Drives the system until `done`, the horizon, or nothing can ever happen again. */
  async run(options: DriveOptions): Promise<RunEnd> {
    for (;;) {
      await this.settle();
      if (this.closed) return "done";
      options.beforeStep?.();
      const ready = this.readyOps();
      const due = this.dueTimers();
      const total = ready.length + due.length;
      if (total > 0 && !this.rng.chance(DAWDLE)) {
        const index = this.rng.int(total);
        if (index < ready.length) this.runOp(ready[index] as Op);
        else this.fireTimer(due[index - ready.length] as Timer);
        continue;
      }
      if (await options.done()) return "done";
      const next = this.nextTime();
      if (next === undefined) {
        if (total > 0) continue;
        return "stuck";
      }
      this.now = total > 0 ? Math.min(next, this.now + this.rng.between(1, 250)) : next;
      if (this.now > options.horizon) return "horizon";
    }
  }

  private eligible(node: SimNode): boolean {
    return node.state === "up" && node.pausedUntil <= this.now;
  }

  private readyOps(): Op[] {
    return this.ops.filter((op) => op.readyAt <= this.now && this.eligible(op.node));
  }

  private dueTimers(): Timer[] {
    return [...this.timers.values()]
      .filter((t) => t.at <= this.now && this.eligible(t.node))
      .sort((a, b) => a.at - b.at || a.seq - b.seq);
  }

  private runOp(op: Op): void {
    this.ops.splice(this.ops.indexOf(op), 1);
    this.log(op.node, op.label);
    op.run();
  }

  private fireTimer(timer: Timer): void {
    this.timers.delete(timer.seq);
    timer.fn();
  }

  /** The earliest time something not ready now becomes ready. */
  private nextTime(): number | undefined {
    let next: number | undefined;
    const consider = (node: SimNode, at: number) => {
      if (node.state === "dead") return;
      const when = Math.max(at, node.pausedUntil, this.now + 1);
      if (next === undefined || when < next) next = when;
    };
    for (const op of this.ops) consider(op.node, op.readyAt);
    for (const timer of this.timers.values()) consider(timer.node, timer.at);
    return next;
  }

  private async settle(): Promise<void> {
    for (let quiet = 0, turns = 0; quiet < QUIET_TURNS; turns++) {
      if (turns > MAX_TURNS) throw new Error("the simulated system never went quiet (a busy loop?)");
      const before = this.activity;
      await turn();
      if (this.inflight > 0 || this.activity !== before) quiet = 0;
      else quiet++;
    }
  }
}
