import type { StepAttemptInfo, StepAttemptInterceptor } from "@durable/core";
import { outsideBody } from "./simulated-process.js";

type Answer = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * The failure injected into a step attempt to simulate a transient outage (retried by the step's policy).
 * @example
 * if (error.name === "InjectedStepFailure") return; // planted by replayProperty
 */
export class InjectedStepFailure extends Error {
  constructor(info: StepAttemptInfo) {
    super(
      `injected transient failure of ${info.kind}("${info.name}") at seq ${info.seq}, attempt ${info.attempt}`,
    );
    this.name = "InjectedStepFailure";
  }
}

/**
 * The outside world as steps see it, the same in every simulated run of one case: what each step attempt
 * (by seq, kind, name and attempt) answered in the first run is what it answers in the later ones. Steps
 * still run every time (their executions are counted), but a step that reads the clock or a live API does
 * not make two runs differ; only the workflow body can.
 * @example
 * const world = new StepWorld();
 * new Worker({ store, workflows, interceptStepAttempt: world.interceptor({ record: true, ... }) });
 */
export class StepWorld {
  private readonly answers = new Map<string, Answer>();

  /** Injected failures so far. */
  injected = 0;

  /**
   * Wraps step attempts: injects the planned failures, runs the step, records or replays its answer, and
   * calls `onSuccess` for each attempt whose result goes to the journal as a success.
   */
  interceptor(options: {
    record: boolean;
    /** Seqs whose first attempt fails with `InjectedStepFailure` before the step runs. */
    failFirstAttempt: ReadonlySet<number>;
    onSuccess: (info: StepAttemptInfo) => void;
  }): StepAttemptInterceptor {
    return async (info, next) => {
      if (info.attempt === 1 && options.failFirstAttempt.has(info.seq)) {
        this.injected++;
        throw new InjectedStepFailure(info);
      }
      let actual: Answer;
      try {
        actual = { ok: true, value: await outsideBody(next) };
      } catch (error) {
        actual = { ok: false, error };
      }
      const key = `${info.runId}|${info.seq}|${info.kind}|${info.name}|${info.attempt}`;
      const known = this.answers.get(key);
      if (!known && options.record) this.answers.set(key, actual);
      const answer = known ?? actual;
      if (!answer.ok) throw answer.error;
      options.onSuccess(info);
      return answer.value;
    };
  }
}
