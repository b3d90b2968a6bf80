/** What a worker reports as it works: the seam for metrics (see `durable worker --metrics-port`). */
export interface WorkerObserver {
  /** A claim returned `count` runs. */
  claimed?(count: number): void;
  /** An activation began; `firstStart` when the run had never run before. */
  activationStarted?(workflow: string, firstStart: boolean): void;
  /** An activation ended; `outcome` is completed, failed, cancelled, suspended, blocked, continued or released. */
  activationEnded?(workflow: string, outcome: string): void;
  /** A step attempt ended. */
  stepAttempt?(workflow: string, step: string, ok: boolean, durationMs: number): void;
  /** A journal entry was appended in `ms`. */
  journalAppended?(ms: number): void;
  /** A heartbeat renewed `count` leases. */
  leasesRenewed?(count: number): void;
}
