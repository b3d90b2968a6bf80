import type { ChaosFigures } from "./figures.js";

/**
 * Takeovers later than the lease plus this are counted as slow. They are shown, not judged: claims go by due
 * time, so a crashed run whose lease ends behind a backlog of older due runs waits for them.
 */
export const TAKEOVER_SLACK_MS = 10_000;
/** The most healthy throughput may drop in the phase with poison runs. */
export const MAX_THROUGHPUT_DROP = 0.1;

/** One line of the table: the figure, what it measured, and whether its invariant held. */
export interface FigureLine {
  id: string;
  what: string;
  figure: string;
  ok: boolean;
}

/**
 * The table of G1–G9, each judged against its invariant.
 * @example
 * const lines = judge(figures, 5_000); lines.every((l) => l.ok);
 */
export function judge(f: ChaosFigures, leaseMs: number): FigureLine[] {
  const lateKills = f.G7.filter((k) => k.maxMs !== null && k.maxMs > leaseMs + TAKEOVER_SLACK_MS).length;
  const lost = f.G7.reduce((sum, k) => sum + k.unrecovered, 0);
  const maxTakeover = Math.max(0, ...f.G7.map((k) => k.maxMs ?? 0));
  const held = f.G7.reduce((sum, k) => sum + k.held, 0);
  const medians = f.G7.flatMap((k) => (k.medianMs === null ? [] : [k.medianMs])).sort((a, b) => a - b);
  const median = medians[Math.floor(medians.length / 2)] ?? "-";
  const causes =
    Object.entries(f.G4.byCause)
      .map(([cause, n]) => `${cause} ${n}`)
      .join(", ") || "none";
  const drop = f.G9.throughputDrop;
  const [healthy, withPoison] = f.G9.phases;
  const perSecond = (p: typeof healthy) =>
    p ? `${p.perSecond.toFixed(2)}/s (load ${p.loadAverage.toFixed(1)})` : "-";
  return [
    {
      id: "G1",
      what: "healthy runs lost or stranded (not completed)",
      figure: `${f.G1.notTerminal} stranded, ${f.G1.endedBadly} failed/cancelled of ${f.G1.runs} runs`,
      ok: f.G1.notTerminal + f.G1.endedBadly === 0,
    },
    {
      id: "G2",
      what: "duplicate (run_id, seq) journal rows",
      figure: `${f.G2.duplicates} of ${f.G2.journalRows} rows (${f.G2.unproven} results without their execution)`,
      ok: f.G2.duplicates + f.G2.unproven === 0,
    },
    {
      id: "G3",
      what: "keyed effects exactly once",
      figure: `${f.G3.missing} missing, ${f.G3.twice} under two keys, of ${f.G3.keyed} keyed steps (${f.G3.absorbed} repeats absorbed by key)`,
      ok: f.G3.missing + f.G3.twice === 0,
    },
    {
      id: "G4",
      what: "re-executions, each explained by a fault near it",
      figure: `${f.G4.reExecuted} of ${f.G4.steps} steps: ${causes}`,
      ok: f.G4.unexplained.length === 0,
    },
    {
      id: "G5",
      what: "stale writes accepted from paused workers",
      figure: `${f.G5.stale} from ${f.G5.pausedWorkers} paused workers`,
      ok: f.G5.stale === 0,
    },
    {
      id: "G6",
      what: "early timers",
      figure: `${f.G6.early} sleeps and ${f.G6.stepEarly} next steps early of ${f.G6.sleeps} sleeps (earliest ${f.G6.minLateMs?.toFixed(0) ?? "-"} ms after due)`,
      ok: f.G6.early + f.G6.stepEarly === 0,
    },
    {
      id: "G7",
      what: "takeover of every run a killed worker held",
      figure: `${f.G7.length} kills of ${held} held runs: ${lost} never taken over; median ${median} ms, max ${maxTakeover} ms (${lateKills} over lease + ${TAKEOVER_SLACK_MS / 1000} s)`,
      ok: lost === 0,
    },
    {
      id: "G8",
      what: "worker exits not caused by the test",
      figure: `${f.G8.unexpected.length} of ${f.G8.exits} exits (${f.G8.byTest} by the test, ${f.G8.byPoison} by poison), ${f.G8.uncleanStops} unclean stops`,
      ok: f.G8.unexpected.length + f.G8.uncleanStops === 0,
    },
    {
      id: "G9",
      what: `poison parked blocked, none beside it, throughput drop <= ${MAX_THROUGHPUT_DROP * 100} %`,
      figure: `${f.G9.parked}/${f.G9.poisonCount} parked, ${f.G9.collateral.length} healthy blocked, ${perSecond(healthy)} -> ${perSecond(withPoison)} (${drop === null ? "-" : `${(drop * 100).toFixed(1)} %`} drop)`,
      ok:
        f.G9.parked === f.G9.poisonCount &&
        f.G9.collateral.length === 0 &&
        drop !== null &&
        drop <= MAX_THROUGHPUT_DROP,
    },
  ];
}

/** The lines as a fixed-width table. */
export function formatTable(lines: readonly FigureLine[]): string {
  const width = Math.max(...lines.map((l) => l.what.length));
  return lines
    .map((l) => `${l.id}  ${l.ok ? "ok  " : "FAIL"}  ${l.what.padEnd(width)}  ${l.figure}`)
    .join("\n");
}
