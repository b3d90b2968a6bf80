import type { AddressInfo } from "node:net";
import { ValidationError } from "@durable/core";
import { serve } from "@hono/node-server";
import { isLoopback } from "./auth/is-loopback.js";
import { createDashboard, type DashboardOptions } from "./create-dashboard.js";

/**
 * The port `serveDashboard` listens on unless told otherwise.
 * @example
 * await serveDashboard({ client, port: DEFAULT_DASHBOARD_PORT }); // http://127.0.0.1:4800/
 */
export const DEFAULT_DASHBOARD_PORT = 4800;

/** Options of `serveDashboard`: the dashboard's, plus where to listen. */
export interface ServeDashboardOptions extends DashboardOptions {
  /** Default 4800; 0 picks a free port. */
  port?: number;
  /** Default `127.0.0.1`. Anything but loopback requires a token. */
  host?: string;
}

/** A running dashboard. */
export interface DashboardServer {
  /** Where it listens, e.g. `http://127.0.0.1:4800/`. */
  url: string;
  /** With a token: the address that logs a browser in once (`url?token=...`); print it only to its owner. */
  loginUrl?: string;
  port: number;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

function urlHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

/**
 * Serves the dashboard over HTTP on Node (`@hono/node-server`). It binds `127.0.0.1` by default and
 * refuses any other address without a token, since whoever reaches it can cancel, retry and fork runs.
 * @example
 * const dashboard = await serveDashboard({ client, store, port: 4800 });
 * console.log(`dashboard on ${dashboard.url}`);
 * await dashboard.close();
 */
export async function serveDashboard(options: ServeDashboardOptions): Promise<DashboardServer> {
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? DEFAULT_DASHBOARD_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new ValidationError(`dashboard port must be a whole number from 0 to 65535, got ${port}`, [
      { path: "port", message: "must be 0-65535" },
    ]);
  }
  if (!isLoopback(host) && (options.token === undefined || options.token.trim() === "")) {
    throw new ValidationError(
      `refusing to serve the dashboard on ${host} without a token: anyone who can reach it could read runs and cancel, retry or fork them; pass --token <secret> (or set DURABLE_DASHBOARD_TOKEN), or bind 127.0.0.1`,
      [{ path: "token", message: `required to bind ${host}` }],
    );
  }
  const app = createDashboard(options);
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port, hostname: host }, () => resolve(s));
    s.once("error", (error: NodeJS.ErrnoException) => {
      const why =
        error.code === "EADDRINUSE"
          ? `port ${port} on ${host} is in use; pick another with --port`
          : error.message;
      reject(new Error(`the dashboard could not listen on ${host}:${port}: ${why}`, { cause: error }));
    });
  });
  const actual = (server.address() as AddressInfo).port;
  const url = `http://${urlHost(host)}:${actual}/`;
  const running: DashboardServer = {
    url,
    port: actual,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        if ("closeAllConnections" in server) server.closeAllConnections();
      }),
  };
  if (options.token !== undefined) running.loginUrl = `${url}?token=${encodeURIComponent(options.token)}`;
  return running;
}
