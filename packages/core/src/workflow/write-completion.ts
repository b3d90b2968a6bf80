import type { ActivationHost } from "./activation-host.js";
import { toErrorData } from "./errors.js";
import type { NewJournalEntry } from "./journal.js";
import type { Completion } from "./pending.js";
import { encode } from "./serialize.js";

/**
 * Journals one completion under delivery order `order`: appended (consuming its event), or for
 * `ctx.transaction` committed with the user's writes (a failed transaction journals its error instead).
 * Resolves to the entry as written and its recorded time; rejects when the lease is lost.
 * @example
 * const { entry, completedAt } = await writeCompletion(host, completion, 7, limit);
 */
export async function writeCompletion(
  host: ActivationHost,
  completion: Completion,
  order: number,
  limit: number,
): Promise<{ entry: NewJournalEntry; completedAt: Date }> {
  const entry = { ...completion.entry, order } as NewJournalEntry;
  if (!completion.transaction || !host.transaction) {
    const options =
      completion.consumeEvent === undefined ? undefined : { consumeEvent: completion.consumeEvent };
    return { entry, completedAt: await host.append(entry, options) };
  }
  const what = `run ${host.runId} transaction "${entry.name}" (seq ${entry.seq}) result`;
  try {
    let written: NewJournalEntry | undefined;
    const done = await host.transaction(completion.transaction, (value) => {
      written = { ...entry, outcome: "ok", result: encode(value, what, limit) } as NewJournalEntry;
      return written;
    });
    return { entry: written as NewJournalEntry, completedAt: done.completedAt };
  } catch (error) {
    if ((error as { code?: unknown }).code === "lease_lost") throw error;
    const failed = { ...entry, outcome: "error", error: toErrorData(error) } as NewJournalEntry;
    return { entry: failed, completedAt: await host.append(failed) };
  }
}
