import { LeaseLostError } from "../workflow/errors.js";
import { crashLoopError } from "../workflow/run-messages.js";
import { type FlowCandidate, type FlowGroupCount, FlowLimits } from "./flow-limits.js";
import { clone, type MemoryState, unconsumed } from "./memory-state.js";
import type { ClaimedRun, ClaimRequest, Lease, LeaseRenewal, RunRecord } from "./store.js";

/**
 * Claims due runs of the request's workflows, highest priority and earliest due first, judged by the same
 * flow-limit rules as the Postgres stores (`FlowLimits`, fed with counts of the store's own runs).
 * @example
 * const claimed = claimRuns(state, { owner: "w1", limit: 10, leaseMs: 30_000, workflows: ["onboarding"] });
 */
export function claimRuns(state: MemoryState, request: ClaimRequest): ClaimedRun[] {
  const now = state.clock.now();
  const due = [...state.runs.values()]
    .filter((r) => request.workflows.includes(r.workflow) && isDue(state, r, now))
    .sort((a, b) => b.priority - a.priority || dueTime(a) - dueTime(b));
  const limits = request.limits ?? [];
  const flow = new FlowLimits(limits, now * 1_000);
  if (limits.length > 0) flow.addCounts(groupCounts(state, due.map(toCandidate), request, now));
  const claimed: ClaimedRun[] = [];
  let suspects = Math.min(request.limit, request.suspects ?? 1);
  for (const run of due) {
    if (claimed.length >= request.limit) break;
    const risky = run.isolated === true || (run.status === "running" && run.suspect === true);
    if (risky && suspects <= 0) continue;
    const verdict = flow.judge(toCandidate(run));
    if (verdict.action === "hold") {
      run.heldBy = verdict.heldBy;
      if (verdict.wakeAtUs !== undefined) run.wakeAt = new Date(verdict.wakeAtUs / 1_000);
      continue;
    }
    delete run.heldBy;
    if (risky) suspects--;
    if (run.status === "running" && takeOver(state, run, request)) {
      park(run, now);
      continue;
    }
    if (run.isolated) {
      state.recoveryDelays.set(run.id, (request.recoveryBackoffMs ?? 0) * 2 ** Math.min(run.recoveries, 6));
    }
    claimed.push(claim(state, run, request, now));
  }
  return claimed;
}

/**
 * A takeover from an expired lease: the run becomes a suspect, a suspect becomes isolated; when it was
 * isolated already, the crash is charged to it (starting again at 1 when its journal grew since the last
 * charge). True when it is charged more than `maxRecoveries` times and must be parked.
 */
function takeOver(state: MemoryState, run: RunRecord, request: ClaimRequest): boolean {
  const charged = run.isolated === true;
  if (run.suspect) run.isolated = true;
  run.suspect = true;
  if (!charged) return false;
  const length = state.journals.get(run.id)?.length ?? 0;
  const mark = state.crashMarks.get(run.id);
  run.recoveries = mark !== undefined && length > mark ? 1 : run.recoveries + 1;
  state.crashMarks.set(run.id, length);
  return request.maxRecoveries !== undefined && run.recoveries > request.maxRecoveries;
}

function claim(state: MemoryState, run: RunRecord, request: ClaimRequest, now: number): ClaimedRun {
  run.status = "running";
  run.leaseOwner = request.owner;
  run.leaseExpiresAt = new Date(now + request.leaseMs);
  run.leaseEpoch++;
  run.attempts++;
  run.startedAt ??= new Date(now);
  run.updatedAt = new Date(now);
  run.waitingFor = [];
  delete run.wakeAt;
  state.wakePending.delete(run.id);
  return {
    run: clone(run),
    journal: (state.journals.get(run.id) ?? []).map(clone),
    events: unconsumed(state, run.id),
    lease: { runId: run.id, owner: request.owner, epoch: run.leaseEpoch },
    now: new Date(now),
  };
}

function toCandidate(run: RunRecord): FlowCandidate {
  return {
    id: run.id,
    status: run.status as FlowCandidate["status"],
    queue: run.queue ?? run.workflow,
    concurrencyKey: run.concurrencyKey ?? null,
    rateKey: run.rateKey ?? null,
    attempts: run.attempts,
    recoveries: run.recoveries,
    suspect: run.suspect === true,
    isolated: run.isolated === true,
  };
}

/** What the Postgres claim reads in SQL, counted here: running runs and recent first starts per group. */
function groupCounts(
  state: MemoryState,
  candidates: readonly FlowCandidate[],
  request: ClaimRequest,
  now: number,
): FlowGroupCount[] {
  const counts = new Map<string, FlowGroupCount>();
  const runs = [...state.runs.values()];
  const queueOf = (r: RunRecord) => r.queue ?? r.workflow;
  for (const c of candidates) {
    const limit = request.limits?.find((l) => l.queue === c.queue);
    if (limit?.concurrency && c.status !== "running") {
      const key = limit.concurrency.perKey ? c.concurrencyKey : null;
      const id = JSON.stringify(["concurrency", c.queue, key]);
      const running = runs.filter(
        (r) => r.status === "running" && queueOf(r) === c.queue && (key === null || r.concurrencyKey === key),
      ).length;
      if (!counts.has(id)) counts.set(id, { kind: "concurrency", queue: c.queue, key, running });
    }
    if (limit?.rateLimit && c.attempts === 0) {
      const { periodMs } = limit.rateLimit;
      const key = limit.rateLimit.perKey ? c.rateKey : null;
      const id = JSON.stringify(["rateLimit", c.queue, key]);
      const starts = runs
        .filter((r) => queueOf(r) === c.queue && (key === null || r.rateKey === key))
        .flatMap((r) =>
          r.startedAt && r.startedAt.getTime() > now - periodMs ? [r.startedAt.getTime()] : [],
        )
        .sort((a, b) => b - a)
        .map((ms) => ms * 1_000);
      if (!counts.has(id)) counts.set(id, { kind: "rateLimit", queue: c.queue, key, starts });
    }
  }
  return [...counts.values()];
}

function park(run: RunRecord, now: number): void {
  run.status = "blocked";
  run.error = crashLoopError(run.id, run.recoveries);
  delete run.leaseOwner;
  delete run.leaseExpiresAt;
  delete run.wakeAt;
  run.updatedAt = new Date(now);
}

/** Due now; a suspect whose lease expired only after its backoff (see `ClaimRequest.recoveryBackoffMs`). */
function isDue(state: MemoryState, run: RunRecord, now: number): boolean {
  if (run.status === "pending" || run.status === "suspended") {
    return run.wakeAt !== undefined && run.wakeAt.getTime() <= now;
  }
  const takeover = takeoverAt(state, run);
  return takeover !== undefined && takeover <= now;
}

/** When a running run may be taken over: its lease's expiry, after the backoff for a suspect. */
function takeoverAt(state: MemoryState, run: RunRecord): number | undefined {
  if (run.status !== "running" || run.leaseExpiresAt === undefined) return undefined;
  return run.leaseExpiresAt.getTime() + (run.isolated ? (state.recoveryDelays.get(run.id) ?? 0) : 0);
}

function dueTime(run: RunRecord): number {
  return (run.wakeAt ?? run.leaseExpiresAt ?? new Date(0)).getTime();
}

/**
 * Renews the leases `owner` still holds; names the ones it lost and the held runs asked to cancel.
 * @example
 * const { lost, cancelled } = renewLeases(state, "w1", leases, 30_000);
 */
export function renewLeases(
  state: MemoryState,
  owner: string,
  leases: readonly Lease[],
  leaseMs: number,
): LeaseRenewal {
  const now = state.clock.now();
  const renewal: LeaseRenewal = { lost: [], cancelled: [] };
  for (const lease of leases) {
    const run = state.runs.get(lease.runId);
    if (!run || !holds(run, lease, now) || run.leaseOwner !== owner) {
      renewal.lost.push(lease.runId);
      continue;
    }
    run.leaseExpiresAt = new Date(now + leaseMs);
    if (run.cancelReason !== undefined) renewal.cancelled.push({ runId: run.id, reason: run.cancelReason });
  }
  return renewal;
}

function holds(run: RunRecord, lease: Lease, now: number): boolean {
  return (
    run.status === "running" &&
    run.leaseEpoch === lease.epoch &&
    run.leaseOwner === lease.owner &&
    run.leaseExpiresAt !== undefined &&
    run.leaseExpiresAt.getTime() > now
  );
}

/**
 * The run a lease still holds, for a write fenced by it; `LeaseLostError` when it holds it no longer.
 * @example
 * const run = fenced(state, lease);
 */
export function fenced(state: MemoryState, lease: Lease): RunRecord {
  const run = state.runs.get(lease.runId);
  if (!run || !holds(run, lease, state.clock.now())) throw new LeaseLostError(lease.runId);
  return run;
}

/**
 * Hands held runs back (a worker's graceful stop): each is due again at once.
 * @example
 * releaseRuns(state, leases);
 */
export function releaseRuns(state: MemoryState, leases: readonly Lease[]): void {
  const now = state.clock.now();
  for (const lease of leases) {
    const run = state.runs.get(lease.runId);
    if (!run || run.leaseEpoch !== lease.epoch || run.status !== "running") continue;
    run.status = "pending";
    run.wakeAt = new Date(now);
    delete run.leaseOwner;
    delete run.leaseExpiresAt;
    run.updatedAt = new Date(now);
  }
}

/**
 * The earliest time a run of these workflows becomes due (a run held by a concurrency limit has none: it is
 * due when a slot frees).
 * @example
 * const at = nextWakeAt(state, ["onboarding"]);
 */
export function nextWakeAt(state: MemoryState, workflows: readonly string[]): Date | undefined {
  let earliest: number | undefined;
  for (const run of state.runs.values()) {
    if (!workflows.includes(run.workflow) || run.heldBy?.startsWith("concurrency:")) continue;
    const at =
      run.status === "pending" || run.status === "suspended" ? run.wakeAt?.getTime() : takeoverAt(state, run);
    if (at !== undefined && (earliest === undefined || at < earliest)) earliest = at;
  }
  return earliest === undefined ? undefined : new Date(earliest);
}

/**
 * How many runs of these workflows are due now, and since when the oldest of them is.
 * @example
 * dueStats(state, ["onboarding"]); // { count: 3, oldestDueAt }
 */
export function dueStats(
  state: MemoryState,
  workflows: readonly string[],
): { count: number; oldestDueAt?: Date } {
  const now = state.clock.now();
  const due = [...state.runs.values()].filter((r) => workflows.includes(r.workflow) && isDue(state, r, now));
  const oldest = Math.min(...due.map((r) => dueTime(r)));
  return due.length === 0 ? { count: 0 } : { count: due.length, oldestDueAt: new Date(oldest) };
}
