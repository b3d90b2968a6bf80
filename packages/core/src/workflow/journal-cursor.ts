import type { JournalEntry } from "./journal.js";

/**
 * A run's recorded journal as the engine reads it: entries by seq (to match issued commands) and in delivery
 * order (to re-deliver results as they first arrived), and the delivery order the next write gets.
 */
export class JournalCursor {
  readonly #byOrder: JournalEntry[];
  readonly #bySeq = new Map<number, JournalEntry>();
  #next = 0;
  #nextOrder = 0;
  /** The highest recorded seq, -1 for an empty journal. */
  readonly maxSeq: number = -1;

  constructor(journal: readonly JournalEntry[]) {
    this.#byOrder = [...journal].sort((a, b) => a.order - b.order);
    let maxSeq = -1;
    for (const entry of this.#byOrder) {
      this.#bySeq.set(entry.seq, entry);
      if (entry.seq > maxSeq) maxSeq = entry.seq;
      if (entry.order >= this.#nextOrder) this.#nextOrder = entry.order + 1;
    }
    this.maxSeq = maxSeq;
  }

  /** The next recorded result to re-deliver, if any remain. */
  peek(): JournalEntry | undefined {
    return this.#byOrder[this.#next];
  }

  /** Marks the entry `peek` returned as delivered. */
  advance(): void {
    this.#next++;
  }

  /** True while recorded results remain to re-deliver. */
  get delivering(): boolean {
    return this.#next < this.#byOrder.length;
  }

  /** The recorded entry of `seq`, if the journal has one. */
  at(seq: number): JournalEntry | undefined {
    return this.#bySeq.get(seq);
  }

  /** The delivery order of the next entry written. */
  takeOrder(): number {
    return this.#nextOrder++;
  }
}
