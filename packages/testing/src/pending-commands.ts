import type { CommandDescription, ReplayEngine } from "@durable/core";

/** A command an activation issued: its seq, kind and name, whether its result arrived, and its timer. */
export interface IssuedCommand extends CommandDescription {
  settled: boolean;
  /** When its timer is due (a sleep, or a step waiting to retry), in ms since epoch. */
  dueAt?: number;
}

/**
 * Every command an activation has issued so far, by seq, read through the engine's public view.
 * @example
 * const waiting = issuedCommands(engine).filter((c) => !c.settled);
 */
export function issuedCommands(engine: ReplayEngine): IssuedCommand[] {
  return engine.commands().map((c) => {
    const command: IssuedCommand = { seq: c.seq, kind: c.kind, name: c.name, settled: c.settled };
    if (c.dueAt !== undefined) command.dueAt = c.dueAt;
    return command;
  });
}
