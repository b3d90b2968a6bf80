import { type Duration, parseDuration } from "../workflow/parse-duration.js";

/** Where the runtime reads the time and sets timers; injected so tests can run months in milliseconds. */
export interface Clock {
  now(): number;
  /** Calls `fn` at `at` (ms since epoch); returns a function that cancels the timer. */
  setTimer(at: number, fn: () => void): () => void;
}

const realNow = Date.now.bind(Date);
const realSetTimeout = globalThis.setTimeout.bind(globalThis);
const realClearTimeout = globalThis.clearTimeout.bind(globalThis);
const MAX_TIMEOUT = 2_147_483_647;

/**
 * The real clock.
 * @example
 * new Worker({ store, workflows, clock: systemClock });
 */
export const systemClock: Clock = {
  now: realNow,
  setTimer(at, fn) {
    let handle: ReturnType<typeof setTimeout>;
    const arm = () => {
      const delay = at - realNow();
      handle = realSetTimeout(delay > MAX_TIMEOUT ? arm : fn, Math.max(0, Math.min(delay, MAX_TIMEOUT)));
    };
    arm();
    return () => realClearTimeout(handle);
  },
};

/**
 * A virtual clock: time moves only when told to, and timers fire in order as it does.
 * @example
 * const clock = new TestClock(); clock.advance("90d");
 */
export class TestClock implements Clock {
  private current: number;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();
  private nextId = 0;

  constructor(start: Date | number = Date.UTC(2030, 0, 1)) {
    this.current = typeof start === "number" ? start : start.getTime();
  }

  now(): number {
    return this.current;
  }

  setTimer(at: number, fn: () => void): () => void {
    const id = this.nextId++;
    if (at <= this.current) {
      queueMicrotask(fn);
      return () => {};
    }
    this.timers.set(id, { at, fn });
    return () => this.timers.delete(id);
  }

  /** The time of the earliest pending timer, if any. */
  nextTimerAt(): number | undefined {
    let earliest: number | undefined;
    for (const t of this.timers.values()) if (earliest === undefined || t.at < earliest) earliest = t.at;
    return earliest;
  }

  /** Moves time forward by `duration`, firing due timers in order. */
  advance(duration: Duration): void {
    this.setTime(this.current + parseDuration(duration, "advance"));
  }

  /** Moves time forward to `at` (never backwards), firing due timers in order. */
  setTime(at: number | Date): void {
    const target = typeof at === "number" ? at : at.getTime();
    for (;;) {
      const due = [...this.timers.entries()]
        .filter(([, t]) => t.at <= target)
        .sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.current = Math.max(this.current, due[1].at);
      due[1].fn();
    }
    this.current = Math.max(this.current, target);
  }
}
