import type { Logger } from "@durable/core";
import type pg from "pg";
import { quoteIdentifier } from "./identifiers.js";
import type { NotificationSource } from "./notifications.js";

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5_000;

/**
 * LISTENs on one channel over a dedicated connection taken from the pool. When the connection is lost
 * (a restart, `pg_terminate_backend`, a network cut) it reconnects with backoff; after each (re)connect
 * it calls `onConnected`, so the store can tell workers to look for work they may have missed meanwhile.
 *
 * Notifications reach the store through `deliver`, which the store calls for every connection of its pool
 * (see `relayNotifications`): on Postgres only this connection gets any, but a pglite-socket server is one
 * session and hands a notification to whichever connection ran the statement that sent it.
 */
export class PgListener implements NotificationSource {
  private client: pg.PoolClient | undefined;
  private started = false;
  private closed = false;
  private failures = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private onPayload: (payload: string) => void = () => {};
  private onConnected: () => void = () => {};

  constructor(
    private readonly pool: pg.Pool,
    private readonly channel: string,
    private readonly logger: Logger,
  ) {}

  start(onPayload: (payload: string) => void, onConnected: () => void): void {
    if (this.started || this.closed) return;
    this.started = true;
    this.onPayload = onPayload;
    this.onConnected = onConnected;
    this.connect();
  }

  /** A notification on this store's channel, heard on any connection of the pool. */
  deliver(payload: string): void {
    if (this.started && !this.closed) this.onPayload(payload);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    client?.release(true);
  }

  /** Passes notifications on the channel from every connection of `pool` to `deliver`. */
  relayNotifications(): void {
    const relayed = new WeakSet<object>();
    this.pool.on("acquire", (client) => {
      if (relayed.has(client)) return;
      relayed.add(client);
      client.on("notification", (message) => {
        if (message.channel === this.channel && message.payload !== undefined) this.deliver(message.payload);
      });
    });
  }

  private connect(): void {
    this.retryTimer = undefined;
    if (this.closed) return;
    this.pool
      .connect()
      .then((client) => this.listen(client))
      .catch((error: unknown) => this.retry(error));
  }

  private async listen(client: pg.PoolClient): Promise<void> {
    if (this.closed) {
      client.release(true);
      return;
    }
    const lost = (error: unknown) => {
      if (this.client !== client) return;
      this.client = undefined;
      client.release(true);
      this.retry(error);
    };
    client.on("error", lost);
    client.on("end", () => lost(new Error("the listening connection ended")));
    this.client = client;
    try {
      await client.query(`LISTEN ${quoteIdentifier(this.channel)}`);
    } catch (error) {
      lost(error);
      return;
    }
    if (this.client !== client) return;
    if (this.failures > 0)
      this.logger.info({ channel: this.channel }, "listening again for durable notifications");
    this.failures = 0;
    this.onConnected();
  }

  private retry(error: unknown): void {
    if (this.closed || this.retryTimer) return;
    const delay = Math.min(FIRST_RETRY_MS * 2 ** this.failures, MAX_RETRY_MS);
    this.failures++;
    this.logger.warn(
      { err: error, channel: this.channel, retryInMs: delay },
      "lost the connection that listens for durable notifications; reconnecting (workers poll meanwhile)",
    );
    this.retryTimer = setTimeout(() => this.connect(), delay);
    this.retryTimer.unref();
  }
}
