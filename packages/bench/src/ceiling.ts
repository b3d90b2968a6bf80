import pg from "pg";

const INSERT = "INSERT INTO ceiling (v) VALUES ($1)";
// What every createRun and finishRun of the store does: a NOTIFY in the writing transaction.
const NOTIFYING_INSERT =
  "WITH ins AS (INSERT INTO ceiling (v) VALUES ($1) RETURNING id) SELECT pg_notify('ceiling', id::text) FROM ins";

/**
 * The machine's ceiling: single-row `INSERT`s, each its own transaction (so each one commits), per second
 * through `pg` on `connections` connections for `ms` milliseconds; with `notify`, each also sends a NOTIFY
 * (Postgres serialises the commits of notifying transactions on one lock).
 * @example
 * const perSecond = await insertCommitRate(url, 16, 3_000);
 */
export async function insertCommitRate(
  url: string,
  connections: number,
  ms: number,
  options: { notify?: boolean } = {},
): Promise<number> {
  const clients = Array.from({ length: connections }, () => new pg.Client({ connectionString: url }));
  await Promise.all(clients.map((c) => c.connect()));
  try {
    await clients[0]?.query(
      "CREATE TABLE IF NOT EXISTS ceiling (id bigserial PRIMARY KEY, v integer NOT NULL)",
    );
    let count = 0;
    const started = performance.now();
    const end = started + ms;
    await Promise.all(
      clients.map(async (client) => {
        while (performance.now() < end) {
          await client.query(options.notify ? NOTIFYING_INSERT : INSERT, [count]);
          count++;
        }
      }),
    );
    return count / ((performance.now() - started) / 1000);
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}
