import { formatDuration } from "@durable/core";

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
 * A span in milliseconds as a duration: `"1d2h"`, `"350ms"`, `"0s"`; the largest two units only.
 * @example
 * formatSpan(90 * 86_400_000 + 5_250); // "90d5s"
 */
export function formatSpan(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return "0s";
  const parts = formatDuration(ms).match(/\d+(?:ms|[dhms])/g) ?? [];
  return parts.slice(0, 2).join("") || "0s";
}
