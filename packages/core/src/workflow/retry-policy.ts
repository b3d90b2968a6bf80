import { type Duration, parseDuration } from "./parse-duration.js";

/** How a step is retried. Intervals take durations. */
export interface RetryPolicy {
  /** Attempts in all, the first included (default 3). */
  maxAttempts?: number;
  /** The wait after the first failure (default `"1s"`). */
  initialInterval?: Duration;
  /** Each wait is this much longer than the one before (default 2). */
  backoffCoefficient?: number;
  /** No wait is longer than this (default 100 times `initialInterval`). */
  maxInterval?: Duration;
  /** Error names that are never retried, or a predicate that says so. */
  nonRetryable?: readonly string[] | ((error: unknown) => boolean);
}

/** A policy with every field resolved to numbers. */
export interface ResolvedRetryPolicy {
  maxAttempts: number;
  initialIntervalMs: number;
  backoffCoefficient: number;
  maxIntervalMs: number;
  nonRetryable: readonly string[] | ((error: unknown) => boolean);
}

/**
 * Merges step, workflow and default policies (the first one that sets a field wins).
 * @example
 * resolveRetryPolicy({ maxAttempts: 5 }, undefined).initialIntervalMs; // 1000
 */
export function resolveRetryPolicy(...policies: (RetryPolicy | undefined)[]): ResolvedRetryPolicy {
  const pick = <K extends keyof RetryPolicy>(key: K): RetryPolicy[K] | undefined =>
    policies.find((p) => p?.[key] !== undefined)?.[key];
  const maxAttempts = pick("maxAttempts") ?? 3;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new RangeError(`retry.maxAttempts must be a whole number of at least 1, got ${maxAttempts}`);
  }
  const initialIntervalMs = parseDuration(pick("initialInterval") ?? "1s", "retry.initialInterval");
  const maxInterval = pick("maxInterval");
  return {
    maxAttempts,
    initialIntervalMs,
    backoffCoefficient: pick("backoffCoefficient") ?? 2,
    maxIntervalMs:
      maxInterval === undefined ? initialIntervalMs * 100 : parseDuration(maxInterval, "retry.maxInterval"),
    nonRetryable: pick("nonRetryable") ?? [],
  };
}

/**
 * The wait before the attempt after `failedAttempt` (1-based).
 * @example
 * retryDelayMs(resolveRetryPolicy({ initialInterval: "1s" }), 3); // 4000
 */
export function retryDelayMs(policy: ResolvedRetryPolicy, failedAttempt: number): number {
  const raw = policy.initialIntervalMs * policy.backoffCoefficient ** (failedAttempt - 1);
  return Math.min(raw, policy.maxIntervalMs);
}

/**
 * Whether a failed attempt may be retried under the policy.
 * @example
 * isRetryable(resolveRetryPolicy({ nonRetryable: ["CardDeclined"] }), declined); // false
 */
export function isRetryable(policy: ResolvedRetryPolicy, error: unknown): boolean {
  if ((error as { code?: unknown } | null)?.code === "unserializable") return false;
  if ((error as { code?: unknown } | null)?.code === "payload_too_large") return false;
  if ((error as { nonRetryable?: unknown } | null)?.nonRetryable === true) return false;
  if (typeof policy.nonRetryable === "function") return !policy.nonRetryable(error);
  const name = error instanceof Error ? error.name : undefined;
  return name === undefined || !policy.nonRetryable.includes(name);
}
