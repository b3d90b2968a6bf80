import type { StoreNotification } from "@durable/core";

/** A `wake` that is due later: work becomes due in `inMs` milliseconds (`wake:<ms>`). */
export interface LaterWake {
  type: "wake-later";
  inMs: number;
}

/**
 * Notification payloads on the schema's channel: `wake`, `wake:<ms>` (due in that many milliseconds, counted
 * on the database's clock, so the listener's clock does not matter), or `<type>:<runId>` for `finished`,
 * `cancel` and `event` (split at the first colon: run ids may hold colons).
 */
export function parseNotification(payload: string): StoreNotification | LaterWake | undefined {
  if (payload === "wake") return { type: "wake" };
  const colon = payload.indexOf(":");
  if (colon < 0) return undefined;
  const type = payload.slice(0, colon);
  const rest = payload.slice(colon + 1);
  if (type === "wake") {
    const inMs = Number(rest);
    return Number.isFinite(inMs) ? { type: "wake-later", inMs } : undefined;
  }
  if (type === "finished" || type === "cancel" || type === "event") return { type, runId: rest };
  return undefined;
}

/** The listeners of one store; each notification reaches them outside the caller's stack. */
export class ListenerSet {
  private readonly listeners = new Set<(notification: StoreNotification) => void>();

  get size(): number {
    return this.listeners.size;
  }

  add(listener: (notification: StoreNotification) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit(notification: StoreNotification): void {
    for (const listener of this.listeners) queueMicrotask(() => listener(notification));
  }

  clear(): void {
    this.listeners.clear();
  }
}

/** Where a store's notifications come from: a LISTEN connection, opened on the first subscriber. */
export interface NotificationSource {
  /** Starts listening (idempotent); every payload on the channel goes to `onPayload`. */
  start(onPayload: (payload: string) => void, onReconnect: () => void): void;
  close(): Promise<void>;
}

/** How many announced wake-ups a store keeps timers for; later ones are left to the workers' polling. */
const MAX_LATER_WAKES = 100;
const MAX_TIMEOUT_MS = 2_147_483_647;

/** Emits `wake` at each announced later wake-up, from one timer that never holds the process open. */
export class LaterWakes {
  private due: number[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly fire: () => void) {}

  arm(inMs: number): void {
    const at = Date.now() + inMs;
    const index = this.due.findIndex((t) => t > at);
    this.due.splice(index < 0 ? this.due.length : index, 0, at);
    this.due.length = Math.min(this.due.length, MAX_LATER_WAKES);
    if (index === 0 || this.due.length === 1) this.schedule();
  }

  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.due = [];
  }

  private schedule(): void {
    clearTimeout(this.timer);
    const next = this.due[0];
    if (next === undefined) return;
    // setTimeout fires at once for a delay past 2^31 - 1 ms (24.8 days), so a far wake-up waits in steps.
    this.timer = setTimeout(
      () => {
        const now = Date.now();
        if (next > now) return this.schedule();
        this.due = this.due.filter((t) => t > now);
        this.fire();
        this.schedule();
      },
      Math.min(next - Date.now(), MAX_TIMEOUT_MS),
    );
    this.timer.unref();
  }
}
