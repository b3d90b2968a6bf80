import type { OfferedEvent } from "./activation-host.js";

/** The events sent to a run and not consumed yet, and which of them this activation has taken. */
export class EventInbox {
  readonly #events: OfferedEvent[];
  readonly #taken = new Set<string>();

  constructor(events: readonly OfferedEvent[]) {
    this.#events = [...events];
  }

  /** Adds events that arrived while the run is active (each once). */
  offer(events: readonly OfferedEvent[]): void {
    for (const event of events) {
      if (!this.#events.some((e) => e.id === event.id)) this.#events.push(event);
    }
  }

  /** Takes the oldest event of `name` not taken yet. */
  take(name: string): OfferedEvent | undefined {
    const event = this.#events.find((e) => e.name === name && !this.#taken.has(e.id));
    if (event) this.#taken.add(event.id);
    return event;
  }
}
