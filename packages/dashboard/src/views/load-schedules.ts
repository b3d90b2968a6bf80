import type { AnySchedule, Client, RunInfo, Store } from "@durable/core";

/**
 * One schedule as the schedules page lists it: the shape of `client.schedules.list()`'s `ScheduleInfo`
 * (name, spec, paused, nextAt, lastRunId), so schedules kept in the database can feed the page as they are.
 */
export interface ScheduleListing {
  name: string;
  /** The cron expression (or the interval, `every 10m`). */
  spec: string;
  timezone?: string;
  workflow: string;
  paused: boolean;
  /** The next tick, when there is one. */
  nextAt?: Date;
  lastRunId?: string;
  /** What happens to missed ticks: `once`, `skip`, `all`. */
  catchUp?: string;
}

/** Lists the schedules the dashboard knows, at the store's time `now`. */
export type ScheduleSource = (now: Date) => Promise<ScheduleListing[]>;

/** A schedule listing with its last run read. */
export interface ScheduleRow extends ScheduleListing {
  lastRun?: RunInfo;
}

// The scheduler tags each run it starts with its schedule's name (see Scheduler in @durable/core).
const SCHEDULE_TAG = "durable.schedule";

/**
 * A `ScheduleSource` over schedule definitions (`schedule({...})`, as `defineConfig({ schedules })` and
 * `new Worker({ schedules })` take them): the next tick from the expression, the last run from the
 * runs the scheduler tagged.
 * @example
 * const source = definedSchedules(config.schedules, client);
 */
export function definedSchedules(schedules: readonly AnySchedule[], client: Client): ScheduleSource {
  return async (now) =>
    Promise.all(
      schedules.map(async (s) => {
        const [last] = await client.list({ tags: { [SCHEDULE_TAG]: s.name }, limit: 1 });
        const next = s.nextTick(now);
        const row: ScheduleListing = {
          name: s.name,
          spec: s.options.cron,
          workflow: s.options.workflow.name,
          paused: false,
          catchUp: s.options.catchUp ?? "once",
        };
        if (s.options.timezone) row.timezone = s.options.timezone;
        if (next) row.nextAt = next;
        if (last) row.lastRunId = last.id;
        return row;
      }),
    );
}

/**
 * The schedules with their last runs, sorted by next tick (paused and finished schedules last).
 * @example
 * const rows = await loadSchedules(deps.schedules, client, store);
 */
export async function loadSchedules(
  source: ScheduleSource,
  client: Client,
  store: Store | undefined,
): Promise<{ rows: ScheduleRow[]; now: Date }> {
  const now = store ? await store.now() : new Date();
  const listed = await source(now);
  const rows = await Promise.all(
    listed.map(async (s): Promise<ScheduleRow> => {
      const lastRun = s.lastRunId === undefined ? undefined : await client.get(s.lastRunId);
      return lastRun ? { ...s, lastRun } : { ...s };
    }),
  );
  const key = (r: ScheduleRow) => (r.paused || !r.nextAt ? Number.POSITIVE_INFINITY : r.nextAt.getTime());
  rows.sort((a, b) => key(a) - key(b) || a.name.localeCompare(b.name));
  return { rows, now };
}
