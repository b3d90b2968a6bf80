/** How a `Batcher` groups calls. */
export interface BatcherOptions {
  /** The most items one flush takes. */
  maxSize: number;
  /** The most flushes running at once (e.g. the connections of the pool); more items wait and join later flushes. */
  maxInFlight: number;
}

interface Waiting<T, R> {
  item: T;
  resolve: (value: R) => void;
  reject: (reason: unknown) => void;
}

/**
 * Group commit: collects the calls that arrive within one turn of the event loop and hands them to `flush`
 * together, so many callers share one statement and one commit. Each caller still gets its own result:
 * `flush` settles every item on its own (a failed flush rejects all of its items). While `maxInFlight`
 * flushes run, new items wait, and the next flush takes them all (up to `maxSize`): the busier the store,
 * the bigger the batches.
 * @example
 * const appends = new Batcher((items) => appendEntries(ctx, items), { maxSize: 500, maxInFlight: 10 });
 * const completedAt = await appends.add({ lease, entry });
 */
export class Batcher<T, R> {
  private queue: Waiting<T, R>[] = [];
  private scheduled = false;
  private inFlight = 0;

  constructor(
    private readonly flush: (items: T[]) => Promise<PromiseSettledResult<R>[]>,
    private readonly options: BatcherOptions,
  ) {}

  /** Queues an item for the next flush; resolves or rejects with that item's own result. */
  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.queue.length === 0 || this.inFlight >= this.options.maxInFlight) return;
    this.scheduled = true;
    // setImmediate runs after this turn's I/O callbacks: every call they make joins the batch.
    setImmediate(() => {
      this.scheduled = false;
      while (this.queue.length > 0 && this.inFlight < this.options.maxInFlight) {
        this.run(this.queue.splice(0, this.options.maxSize));
      }
    });
  }

  private run(batch: Waiting<T, R>[]): void {
    this.inFlight++;
    void this.flush(batch.map((waiting) => waiting.item))
      .then(
        (results) =>
          batch.forEach((waiting, i) => {
            const result = results[i];
            if (result?.status === "fulfilled") waiting.resolve(result.value);
            else
              waiting.reject(
                result ? result.reason : new Error("the batch returned no result for this item"),
              );
          }),
        (error: unknown) => {
          for (const waiting of batch) waiting.reject(error);
        },
      )
      .finally(() => {
        this.inFlight--;
        this.schedule();
      });
  }
}
