import { type CommandDescription, NonDeterminismError } from "./errors.js";
import { describeCommand, type JournalEntry } from "./journal.js";

/** Why the code no longer replays its journal: what happened, and the commands involved. */
export interface Mismatch {
  message: string;
  recorded?: CommandDescription;
  issued?: CommandDescription;
}

function command(entry: JournalEntry): CommandDescription {
  return { seq: entry.seq, kind: entry.kind, name: entry.name };
}

/**
 * The code issued another command at a seq than the journal recorded.
 * @example
 * issuedMismatch({ seq: 3, kind: "call", name: "ship" }, recorded);
 */
export function issuedMismatch(issued: CommandDescription, recorded: JournalEntry): Mismatch {
  return {
    message: `seq ${issued.seq} was issued as ${describeCommand(issued)} but the journal has ${describeCommand(recorded)}`,
    recorded: command(recorded),
    issued,
  };
}

/**
 * The journal's next result is for a command the code has not issued.
 * @example
 * unissuedResult(entry, false, 2);
 */
export function unissuedResult(entry: JournalEntry, returned: boolean, issuedCount: number): Mismatch {
  const what = returned ? "the workflow returned without issuing it" : "the code has not issued it";
  return {
    message: `the journal's next result is seq ${entry.seq} ${describeCommand(entry)}, but ${what} (the code issued ${issuedCount} command${issuedCount === 1 ? "" : "s"})`,
    recorded: command(entry),
  };
}

/**
 * The journal delivered a cancellation at another seq than the code is at.
 * @example
 * misplacedCancel(entry, 4);
 */
export function misplacedCancel(entry: JournalEntry, nextSeq: number): Mismatch {
  return {
    message: `the journal delivered a cancellation at seq ${entry.seq}, but the code is at seq ${nextSeq}`,
    recorded: command(entry),
  };
}

/**
 * The body awaits something that is not a ctx call, so the run can neither go on nor suspend.
 * @example
 * foreignAwait(5);
 */
export function foreignAwait(nextSeq: number): Mismatch {
  return {
    message: `the workflow awaits something that is not a ctx call (a fetch, a timer or another promise in the workflow body) after seq ${nextSeq - 1}; move it into ctx.call`,
  };
}

/**
 * The error that parks the run as `blocked`, with what to do next.
 * @example
 * throw nonDeterminism("order:42", issuedMismatch(issued, recorded), 4);
 */
export function nonDeterminism(runId: string, mismatch: Mismatch, nextSeq: number): NonDeterminismError {
  const { message, ...detail } = mismatch;
  const seq = detail.recorded?.seq ?? detail.issued?.seq ?? nextSeq;
  return new NonDeterminismError(runId, {
    ...detail,
    message: `run ${runId} no longer replays: ${message}; deploy code that replays it and retry the run, or fork it (durable fork ${runId} --from ${seq})`,
  });
}
