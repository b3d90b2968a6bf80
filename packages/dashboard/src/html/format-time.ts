function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/**
 * A time as `2030-01-01 09:30:05` in UTC (the dashboard shows every time in UTC).
 * @example
 * formatTime(new Date(Date.UTC(2030, 0, 1, 9, 30, 5))); // "2030-01-01 09:30:05"
 */
export function formatTime(date: Date): string {
  return (
    `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`
  );
}

/**
 * A span in milliseconds, short: `"350ms"`, `"1.53s"`, `"2m5s"`, `"90d4h"` (the largest two units; no
 * milliseconds past a minute).
 * @example
 * formatSpan(1_534); // "1.53s"
 * formatSpan(90 * 86_400_000 + 4 * 3_600_000 + 5_250); // "90d4h"
 */
export function formatSpan(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return "0s";
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${Number((ms / 1_000).toFixed(ms < 10_000 ? 2 : 1))}s`;
  const units: [string, number][] = [
    ["d", 86_400_000],
    ["h", 3_600_000],
    ["m", 60_000],
    ["s", 1_000],
  ];
  const first = units.findIndex(([, size]) => ms >= size);
  const [bigUnit, bigSize] = units[first] as [string, number];
  const [smallUnit, smallSize] = units[first + 1] as [string, number];
  const big = Math.floor(ms / bigSize);
  const small = Math.floor((ms - big * bigSize) / smallSize);
  return small === 0 ? `${big}${bigUnit}` : `${big}${bigUnit}${small}${smallUnit}`;
}
