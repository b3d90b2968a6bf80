import { readdirSync, readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function stat(pid: string): { self: number } | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
    return { self: Number(f[11]) + Number(f[12]) };
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds so far of the live Postgres backends connected to `database` (their title names it), from
 * `/proc`. Only this benchmark's connections are counted, so the other users of a shared server do not
 * skew it; the server's own background writers are left out. NaN where `/proc` is missing.
 * @example
 * const before = backendCpuSeconds("durable_bench_ab12");
 */
export function backendCpuSeconds(database: string): number {
  try {
    let ticks = 0;
    for (const pid of readdirSync("/proc")) {
      if (!/^\d+$/.test(pid)) continue;
      let title: string;
      try {
        title = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      } catch {
        continue;
      }
      if (!title.startsWith("postgres: ") || !title.includes(` ${database} `)) continue;
      ticks += stat(pid)?.self ?? 0;
    }
    return ticks / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/** CPU seconds spent over a window: this process (plus `extraNodeSeconds`) and the database's backends. */
export interface CpuSpent {
  nodeSeconds: number;
  postgresSeconds: number;
}

/**
 * Opens a CPU window on this process and `database`'s backends; the returned function closes it.
 * Backends that hang up inside the window take their CPU with them: the stores keep theirs open.
 * @example
 * const spent = cpuWindow(db.name); await work(); const { nodeSeconds } = spent();
 */
export function cpuWindow(database: string): (extraNodeSeconds?: number) => CpuSpent {
  const node0 = process.cpuUsage();
  const pg0 = backendCpuSeconds(database);
  return (extraNodeSeconds = 0) => {
    const node = process.cpuUsage(node0);
    return {
      nodeSeconds: (node.user + node.system) / 1e6 + extraNodeSeconds,
      postgresSeconds: backendCpuSeconds(database) - pg0,
    };
  };
}
