import pg from "pg";

/** Statements seen by kind: how many, and the milliseconds from send to result, added up. */
export interface StatementTally {
  total: number;
  byKind: Map<string, { count: number; ms: number }>;
}

/**
 * A `pg.Pool` that counts (and times) every statement its clients run, into the current tally. Handed to
 * `postgresStore({ pool })`, it measures what the store sends, with no access to the server's statistics.
 * @example
 * const pool = new CountingPool({ connectionString, max: 11 });
 * pool.reset(); await work(); pool.tally.total;
 */
export class CountingPool extends pg.Pool {
  tally: StatementTally = { total: 0, byKind: new Map() };

  constructor(config: pg.PoolConfig) {
    super(config);
    this.on("connect", (client) => this.watch(client));
  }

  /** Starts a new tally. */
  reset(): StatementTally {
    const previous = this.tally;
    this.tally = { total: 0, byKind: new Map() };
    return previous;
  }

  private watch(client: pg.PoolClient): void {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    const counted = (...args: unknown[]): unknown => {
      const text = typeof args[0] === "string" ? args[0] : ((args[0] as { text?: string }).text ?? "");
      const started = performance.now();
      const result = query(...args);
      const tally = this.tally;
      const record = () => {
        tally.total++;
        const kind = statementKind(text);
        const entry = tally.byKind.get(kind) ?? { count: 0, ms: 0 };
        entry.count++;
        entry.ms += performance.now() - started;
        tally.byKind.set(kind, entry);
      };
      if (result instanceof Promise) result.then(record, record);
      else record();
      return result;
    };
    (client as unknown as { query: typeof counted }).query = counted;
  }
}

const KINDS: [string, RegExp][] = [
  ["claim", /FOR UPDATE SKIP LOCKED/],
  ["append journal", /INSERT INTO "[^"]+"\."journal"/],
  ["finish run", /\bfin AS \(/],
  ["renew leases", /renewed AS/],
  ["release runs", /released AS/],
  ["next wake-up", /SELECT least\(/],
  ["create run", /INSERT INTO "[^"]+"\."runs"/],
  ["listen", /^LISTEN/],
];

/** A short name for a statement of the store. */
export function statementKind(text: string): string {
  for (const [kind, pattern] of KINDS) if (pattern.test(text)) return kind;
  return text.replace(/\s+/g, " ").trim().slice(0, 40);
}
