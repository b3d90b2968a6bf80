// A run and the runs it continued as (continue-as-new) form one chain: `<id>`, `<id>~1`, `<id>~2`...

/**
 * Names a step across the runs of a chain: its run and seq.
 * @example
 * stepKey({ runId: "replay:order~1", seq: 2 }); // "replay:order~1#2"
 */
export function stepKey(step: { runId: string; seq: number }): string {
  return `${step.runId}#${step.seq}`;
}

/**
 * Whether `id` is `runId` or one of the runs it continued as (`<runId>~1`, `<runId>~2`...), not a child.
 * @example
 * inChain("r", "r~2"); // true
 */
export function inChain(runId: string, id: string): boolean {
  return id === runId || (id.startsWith(`${runId}~`) && /^\d+$/.test(id.slice(runId.length + 1)));
}

/**
 * Where a run stands in its chain: 0 for the first, n for `<id>~n`.
 * @example
 * chainIndex("replay:order~2"); // 2
 */
export function chainIndex(id: string): number {
  return Number(/~(\d+)$/.exec(id)?.[1] ?? 0);
}

/**
 * A step's seq for messages, with its run when it is not the chain's first.
 * @example
 * describeSeq({ runId: "replay:order~1", seq: 2 }); // "seq 2 of run replay:order~1"
 */
export function describeSeq(step: { runId: string; seq: number }): string {
  return chainIndex(step.runId) === 0 ? `seq ${step.seq}` : `seq ${step.seq} of run ${step.runId}`;
}

/**
 * Orders entries of a chain run by run, then by `field`.
 * @example
 * [...journal].sort(byChain("seq"));
 */
export function byChain(field: "seq" | "order") {
  return (
    a: { runId: string; seq: number; order: number },
    b: { runId: string; seq: number; order: number },
  ) => chainIndex(a.runId) - chainIndex(b.runId) || a[field] - b[field];
}
