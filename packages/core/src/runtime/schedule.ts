import { Cron } from "croner";
import { ValidationError } from "../workflow/errors.js";
import type { Workflow } from "../workflow/workflow.js";

/** What happens to ticks missed while no worker ran: one run for the latest, none, or one each. */
export type CatchUp = "once" | "skip" | "all";

/** Options of `schedule()`. */
export interface ScheduleOptions<I> {
  /** Unique and stable: run ids derive from it and the tick (`<name>@<tick ISO time>`). */
  name: string;
  /** A cron expression: five fields (`"0 9 * * MON"`), or six with seconds first. */
  cron: string;
  /** An IANA time zone for the expression (default UTC). */
  timezone?: string;
  // biome-ignore lint/suspicious/noExplicitAny: any output and events
  workflow: Workflow<I, any, any>;
  input: I;
  /** Default `"once"`. */
  catchUp?: CatchUp;
}

/** A schedule: register it with `new Worker({ schedules })`. */
export interface Schedule<I = unknown> {
  readonly kind: "schedule";
  readonly name: string;
  readonly options: ScheduleOptions<I>;
  /** The first tick strictly after `after`. */
  nextTick(after: Date): Date | undefined;
}

/** A schedule of any input, for collections of schedules. */
// biome-ignore lint/suspicious/noExplicitAny: schedules of every input type
export type AnySchedule = Schedule<any>;

/**
 * Declares a schedule: the worker starts one run per tick, with an id derived from the schedule and the
 * tick, so many workers still start it once.
 * @example
 * export const weekly = schedule({ name: "weekly-report", cron: "0 9 * * MON", timezone: "Europe/Paris",
 *   workflow: report, input: { team: "ops" } });
 */
export function schedule<I>(options: ScheduleOptions<I>): Schedule<I> {
  if (typeof options.name !== "string" || options.name.trim() === "") {
    throw new ValidationError("schedule(): name must be a non-empty string", [
      { path: "name", message: "required" },
    ]);
  }
  let cron: Cron;
  try {
    cron = new Cron(options.cron, {
      paused: true,
      ...(options.timezone ? { timezone: options.timezone } : {}),
    });
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new ValidationError(`schedule "${options.name}": cron "${options.cron}" is invalid: ${why}`, [
      { path: "cron", message: why },
    ]);
  }
  const catchUp = options.catchUp ?? "once";
  if (!["once", "skip", "all"].includes(catchUp)) {
    throw new ValidationError(`schedule "${options.name}": catchUp must be "once", "skip" or "all"`, [
      { path: "catchUp", message: `is ${String(catchUp)}` },
    ]);
  }
  return Object.freeze({
    kind: "schedule",
    name: options.name,
    options: { ...options, catchUp },
    nextTick: (after: Date) => cron.nextRun(after) ?? undefined,
  });
}

/**
 * The run id of a schedule's tick: derived from the schedule and the tick, so every worker starts it once.
 * @example
 * await client.get(scheduledRunId("nightly-report", new Date("2030-01-01T03:00:00Z")));
 */
export function scheduledRunId(name: string, tick: Date): string {
  return `${name}@${tick.toISOString()}`;
}
