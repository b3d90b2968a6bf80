import type { Store } from "../store/store.js";
import type { Logger } from "../workflow/context.js";
import { flowFields } from "../workflow/flow-control.js";
import { encode } from "../workflow/serialize.js";
import { validateWith } from "../workflow/validate-with.js";
import type { AnyWorkflow } from "../workflow/workflow.js";
import type { Clock } from "./clock.js";
import { type AnySchedule, type Schedule, scheduledRunId } from "./schedule.js";
import { toNewRunFlow } from "./to-new-run-flow.js";

/** Tags every scheduled run carries, so the last tick can be found after downtime. */
export const SCHEDULE_TAG = "durable.schedule";
export const TICK_TAG = "durable.tick";
const MAX_CATCH_UP = 1_000;

/**
 * Starts the runs of a worker's schedules: at each tick, and once on start for ticks missed while no
 * worker ran (as each schedule's `catchUp` says). Run ids derive from the schedule and the tick, so any
 * number of workers start each tick once.
 */
export class Scheduler {
  private readonly timers = new Map<string, () => void>();
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly schedules: readonly AnySchedule[],
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    const names = new Set<string>();
    for (const s of schedules) {
      if (names.has(s.name))
        throw new TypeError(`two schedules are named "${s.name}"; schedule names must be unique`);
      names.add(s.name);
    }
  }

  async start(): Promise<void> {
    const now = new Date(this.clock.now());
    for (const s of this.schedules) {
      await this.catchUp(s, now);
      this.arm(s, now);
    }
  }

  stop(): void {
    this.stopped = true;
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
  }

  private async catchUp(s: Schedule, now: Date): Promise<void> {
    const [last] = await this.store.listRuns({ tags: { [SCHEDULE_TAG]: s.name }, limit: 1 });
    const lastTick = last?.tags[TICK_TAG];
    if (lastTick === undefined || s.options.catchUp === "skip") return;
    const missed: Date[] = [];
    for (
      let t = s.nextTick(new Date(lastTick));
      t && t <= now && missed.length < MAX_CATCH_UP;
      t = s.nextTick(t)
    ) {
      missed.push(t);
    }
    const due = s.options.catchUp === "all" ? missed : missed.slice(-1);
    if (due.length > 0)
      this.logger.info({ schedule: s.name, missed: missed.length, starting: due.length }, "catching up");
    for (const tick of due) await this.startTick(s, tick);
  }

  private arm(s: Schedule, after: Date): void {
    if (this.stopped) return;
    const tick = s.nextTick(after);
    if (!tick) return;
    const cancel = this.clock.setTimer(tick.getTime(), () => {
      this.startTick(s, tick)
        .catch((error) =>
          this.logger.error({ err: error, schedule: s.name }, "could not start a scheduled run"),
        )
        .finally(() => this.arm(s, tick));
    });
    this.timers.set(s.name, cancel);
  }

  private async startTick(s: Schedule, tick: Date): Promise<void> {
    const wf = s.options.workflow;
    const id = scheduledRunId(s.name, tick);
    const input = wf.options.input
      ? validateWith(wf.options.input, s.options.input, `schedule "${s.name}" input`)
      : s.options.input;
    const { created } = await this.store.createRun({
      id,
      workflow: wf.name,
      version: wf.version,
      input: encode(input, `input of scheduled run ${id}`),
      ...toNewRunFlow(flowFields(wf as AnyWorkflow, input)),
      tags: { [SCHEDULE_TAG]: s.name, [TICK_TAG]: tick.toISOString() },
      startAt: tick,
    });
    if (created) this.logger.info({ schedule: s.name, runId: id }, "started a scheduled run");
  }
}
