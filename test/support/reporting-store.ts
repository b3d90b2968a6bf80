import type { Store } from "@durable/core";

/** What a worker process reports on stdout, one JSON line each. */
export type WorkerReport =
  | { event: "ready"; pid: number; workerId: string }
  | { event: "claimed"; pid: number; runs: string[]; epochs: number[]; at: number }
  | {
      event: "refused";
      pid: number;
      call: "appendJournal" | "finishRun";
      runId: string;
      seq?: number;
      error: string;
      code?: string;
    }
  | { event: "lost"; pid: number; runs: string[]; epochs: number[]; sentAt: number; at: number }
  | { event: "stopped"; pid: number };

/** Writes one report line to stdout. */
export function report(line: WorkerReport): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/**
 * Wraps a store so the worker process reports what the tests check from outside: which runs it claimed,
 * every journal write or finish the store refused (a lost lease, a duplicate seq, a lost connection), and the
 * leases a renewal found lost. `renewDelayMs` holds each renewal back before it is sent: a heartbeat
 * statement slowed by load.
 * @example
 * const store = reportingStore(postgresStore({ connectionString }), { renewDelayMs: 190 });
 */
export function reportingStore(store: Store, options: { renewDelayMs?: number } = {}): Store {
  const pid = process.pid;
  const wrapped: Partial<Store> = {
    claimRuns: async (request) => {
      const claimed = await store.claimRuns(request);
      if (claimed.length > 0)
        report({
          event: "claimed",
          pid,
          runs: claimed.map((c) => c.run.id),
          epochs: claimed.map((c) => c.lease.epoch),
          at: Date.now(),
        });
      return claimed;
    },
    renewLeases: async (owner, leases, leaseMs) => {
      const sentAt = Date.now();
      if (options.renewDelayMs) await new Promise((resolve) => setTimeout(resolve, options.renewDelayMs));
      const renewal = await store.renewLeases(owner, leases, leaseMs);
      if (renewal.lost.length > 0) {
        const epochs = renewal.lost.map((id) => leases.find((l) => l.runId === id)?.epoch ?? -1);
        report({ event: "lost", pid, runs: renewal.lost, epochs, sentAt, at: Date.now() });
      }
      return renewal;
    },
    appendJournal: (lease, entry, options) =>
      store.appendJournal(lease, entry, options).catch((error: unknown) => {
        report({
          event: "refused",
          pid,
          call: "appendJournal",
          runId: lease.runId,
          seq: entry.seq,
          ...describeError(error),
        });
        throw error;
      }),
    finishRun: (lease, outcome) =>
      store.finishRun(lease, outcome).catch((error: unknown) => {
        report({ event: "refused", pid, call: "finishRun", runId: lease.runId, ...describeError(error) });
        throw error;
      }),
  };
  return new Proxy(store, {
    get(target, key, receiver) {
      if (typeof key === "string" && key in wrapped) return wrapped[key as keyof Store];
      const value = Reflect.get(target, key, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

function describeError(error: unknown): { error: string; code?: string } {
  const name = error instanceof Error ? error.name : "unknown";
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;
  return { error: `${name}: ${message}`, ...(typeof code === "string" ? { code } : {}) };
}
