import type { AnyWorkflow, Client, Store } from "@durable/core";
import type { ScheduleSource } from "./views/load-schedules.js";

/** What the pages and the API read and change runs through, and where the dashboard is mounted. */
export interface DashboardDeps {
  client: Client;
  store?: Store;
  /** Where the app is mounted ("" for the root). */
  base: string;
  /** The workflows the dashboard was given, by name. */
  workflows: ReadonlyMap<string, AnyWorkflow>;
  /** Lists the schedules the dashboard knows. */
  schedules: ScheduleSource;
}
