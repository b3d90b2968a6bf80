import type { Clock } from "./clock.js";

const MAX_KNOWN = 100_000;

/**
 * The wake-up times a worker knows of (its own runs' sleeps, the store's earliest), with one clock timer
 * on the earliest: when it fires the worker claims, and the timer moves to the next time, so every sleep
 * ends on time rather than at the next poll.
 */
export class WakeTimers {
  private readonly times: number[] = [];
  private armed: { at: number; cancel: () => void } | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly onWake: () => void,
  ) {}

  /** Remembers a wake-up time (kept sorted, without duplicates). */
  add(at: number): void {
    let low = 0;
    let high = this.times.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.times[mid] as number) < at) low = mid + 1;
      else high = mid;
    }
    if (this.times[low] === at) return;
    this.times.splice(low, 0, at);
    // Far-future times beyond the cap are dropped; the fallback poll finds them again.
    if (this.times.length > MAX_KNOWN) this.times.pop();
    this.arm();
  }

  stop(): void {
    this.armed?.cancel();
    this.armed = undefined;
    this.times.length = 0;
  }

  private arm(): void {
    const next = this.times[0];
    if (next === undefined || this.armed?.at === next) return;
    this.armed?.cancel();
    this.armed = {
      at: next,
      cancel: this.clock.setTimer(next, () => this.fire()),
    };
  }

  private fire(): void {
    this.armed = undefined;
    const now = this.clock.now();
    while (this.times.length > 0 && (this.times[0] as number) <= now) this.times.shift();
    this.onWake();
    this.arm();
  }
}
