import type {
  Client,
  EventRecord,
  JournalEntry,
  JournalExport,
  RunInfo,
  StepRetry,
  Store,
} from "@durable/core";
import { isTerminalStatus } from "@durable/core";

/** What a suspended run is waiting on, when the dashboard has the store to ask. */
export interface Waiting {
  /** Event names the run waits for. */
  events: string[];
  /** Steps waiting durably before their next attempt, by seq. */
  retries: { seq: number; retry: StepRetry }[];
  /** Events sent to the run and not consumed yet. */
  unconsumed: EventRecord[];
}

/** Everything the run page shows. */
export interface RunView {
  run: RunInfo;
  journal: JournalEntry[];
  children: RunInfo[];
  /** Present when the dashboard was given the store. */
  waiting?: Waiting;
  /** The store's clock when it is known (a virtual clock in tests), else this process's. */
  now: Date;
  /** The canonical export (`durable export`): the run and its journal as stored. */
  exported: JournalExport;
}

/**
 * Reads a run, its journal and its children (and, with the store, what it waits for), or `undefined`
 * for an unknown run.
 * @example
 * const view = await loadRunView(client, store, "order:42");
 */
export async function loadRunView(
  client: Client,
  store: Store | undefined,
  id: string,
): Promise<RunView | undefined> {
  const run = await client.get(id);
  if (!run) return undefined;
  const [exported, children, record, unconsumed, now] = await Promise.all([
    client.exportJournal(id),
    client.list({ parentId: id, limit: 1000 }),
    store?.getRun(id),
    store?.readEvents(id),
    store ? store.now() : Promise.resolve(new Date()),
  ]);
  const journal = exported.entries;
  const view: RunView = { run, journal, children: children.reverse(), now, exported };
  if (record) {
    view.waiting = {
      events: [...record.waitingFor],
      retries: Object.entries(record.retryState.steps ?? {})
        .map(([seq, retry]) => ({ seq: Number(seq), retry }))
        .sort((a, b) => a.seq - b.seq),
      unconsumed: unconsumed ?? [],
    };
  }
  return view;
}

/**
 * What changes on a run's page, as one string: the page embeds it, and the live stream sends it again
 * whenever it differs, so the page refreshes exactly when there is something new to show.
 * @example
 * liveKey(view); // "suspended|3|2030-01-04T09:00:00.000Z|1||approved|0|0"
 */
export function liveKey(view: RunView): string {
  const { run } = view;
  return [
    run.status,
    view.journal.length,
    run.wakeAt?.toISOString() ?? "",
    run.attempts,
    run.heldBy ?? "",
    (view.waiting?.events ?? []).join(","),
    view.waiting?.unconsumed.length ?? 0,
    view.children.filter((c) => !isTerminalStatus(c.status)).length,
  ].join("|");
}
