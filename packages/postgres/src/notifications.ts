import type { StoreNotification } from "@durable/core";

/**
 * Notification payloads on the schema's channel: `wake`, or `<type>:<runId>` for `finished`, `cancel` and
 * `event` (split at the first colon: run ids may hold colons).
 */
export function parseNotification(payload: string): StoreNotification | undefined {
  if (payload === "wake") return { type: "wake" };
  const colon = payload.indexOf(":");
  if (colon < 0) return undefined;
  const type = payload.slice(0, colon);
  const runId = payload.slice(colon + 1);
  if (type === "finished" || type === "cancel" || type === "event") return { type, runId };
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
