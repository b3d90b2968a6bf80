import type { CommandDescription, ReplayEngine } from "@durable/core";

/** A command an activation issued: its seq, kind and name, whether its result arrived, and its timer. */
export interface IssuedCommand extends CommandDescription {
  settled: boolean;
  /** When its timer is due (a sleep, or a step waiting to retry), in ms since epoch. */
  dueAt?: number;
}

interface PendingShape {
  seq: unknown;
  kind: unknown;
  name: unknown;
  settled: unknown;
  dueAt?: unknown;
}

/**
 * Every command an activation has issued so far, by seq; `undefined` if this version of core keeps them
 * elsewhere. Core has no public view of the commands an activation waits on (a suspended outcome names
 * only awaited events), and saying "seq 3 waits for event("approved")" needs their seq, kind and name, so
 * this reads the engine's `@internal` table of issued commands, checking its shape rather than trusting it.
 * @example
 * const waiting = issuedCommands(engine)?.filter((c) => !c.settled);
 */
export function issuedCommands(engine: ReplayEngine): IssuedCommand[] | undefined {
  const table = (engine as unknown as { issued?: unknown }).issued;
  if (!(table instanceof Map)) return undefined;
  const commands: IssuedCommand[] = [];
  for (const value of table.values()) {
    const p = value as PendingShape;
    if (typeof p.seq !== "number" || typeof p.kind !== "string" || typeof p.name !== "string")
      return undefined;
    const command: IssuedCommand = { seq: p.seq, kind: p.kind, name: p.name, settled: p.settled === true };
    if (typeof p.dueAt === "number") command.dueAt = p.dueAt;
    commands.push(command);
  }
  return commands.sort((a, b) => a.seq - b.seq);
}
