import type { AnyWorkflow, Client, Logger, Store } from "@durable/core";
import type { DurableConfig } from "../config/define-config.js";

/** What `durable dev` hands each of its services. */
export interface DevContext {
  store: Store;
  client: Client;
  workflows: readonly AnyWorkflow[];
  config: DurableConfig;
  logger: Logger;
  /** Options of `durable dev` (services read theirs, e.g. a dashboard's `port`). */
  options: Record<string, unknown>;
  /** Writes a line to stdout. */
  print: (line: string) => void;
}

/** Something `durable dev` runs beside its worker until Ctrl-C. */
export interface DevService {
  name: string;
  start(context: DevContext): Promise<{ stop(): Promise<void> }>;
}

/**
 * The services `durable dev` starts beside its worker, in order, and stops in reverse order. The progress
 * printer is one; the dashboard (`@durable/dashboard`) joins here when it lands.
 * @example
 * const services = devServices(); // [progress]
 */
export function devServices(extra: readonly DevService[] = []): DevService[] {
  return [...extra];
}
