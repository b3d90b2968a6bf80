import type { Client } from "@durable/core";
import type { AdminPool } from "./admin-pool.js";
import { retryingConnection } from "./admin-pool.js";
import { GO_EVENT } from "./chaos-workflows.js";

/**
 * When a run's `go` event is sent: at once after the start (before the run waits), close to the end of
 * its sleep (while the run is being claimed for it — the race the suite hunts), or once it waits.
 */
export type SendMode = "early" | "near-wake" | "waiting";

interface Pending {
  mode: SendMode;
  /** Offset from `wake_at` for `near-wake`, in milliseconds (negative: before the wake). */
  jitterMs: number;
  scheduled: boolean;
}

/** Sends every order run's `go` event, each at the moment its mode asks for. */
export class EventSender {
  sent = 0;
  failed: string[] = [];
  private readonly pending = new Map<string, Pending>();
  private readonly sends = new Set<Promise<void>>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private ticking = false;

  constructor(
    private readonly client: Client,
    private readonly admin: AdminPool,
  ) {}

  add(runId: string, mode: SendMode, jitterMs: number): void {
    if (mode === "early") this.send(runId);
    else this.pending.set(runId, { mode, jitterMs, scheduled: false });
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), 200);
  }

  get unsent(): number {
    return this.pending.size;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.sends);
  }

  private async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      const ids = [...this.pending].filter(([, p]) => !p.scheduled).map(([id]) => id);
      if (ids.length === 0) return;
      const rows = await this.admin.query<{ id: string; wakeIn: number | null; waiting: boolean }>(
        `SELECT id, extract(epoch FROM wake_at - clock_timestamp()) * 1000 AS "wakeIn",
           $2 = ANY(waiting_for) AS waiting
         FROM durable.runs WHERE id = ANY($1) AND status = 'suspended'`,
        [ids, GO_EVENT],
      );
      for (const row of rows)
        this.consider(row.id, row.wakeIn === null ? null : Number(row.wakeIn), row.waiting);
    } catch {
      // The next tick asks again.
    } finally {
      this.ticking = false;
    }
  }

  private consider(runId: string, wakeIn: number | null, waiting: boolean): void {
    const pending = this.pending.get(runId);
    if (!pending) return;
    if (waiting) {
      pending.scheduled = true;
      this.send(runId);
    } else if (pending.mode === "near-wake" && wakeIn !== null) {
      pending.scheduled = true;
      setTimeout(() => this.send(runId), Math.max(0, wakeIn + pending.jitterMs));
    }
  }

  private send(runId: string): void {
    this.pending.delete(runId);
    const send = retryingConnection(() => this.client.sendEvent(runId, GO_EVENT, { at: Date.now() })).then(
      () => {
        this.sent++;
      },
      (error: unknown) => {
        this.failed.push(`${runId}: ${String(error).slice(0, 200)}`);
      },
    );
    this.sends.add(send);
    void send.then(() => this.sends.delete(send));
  }
}
