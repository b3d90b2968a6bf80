// The test env: a worker on a virtual clock

export type { DeterminismOptions, DeterminismReport, NondeterministicCall } from "./assert-deterministic.js";
// Determinism of a workflow body
export { assertDeterministic, checkDeterminism, formatDeterminismReport } from "./assert-deterministic.js";
export type { LogLevel, LogRecord } from "./capture-logger.js";
export { captureLogger } from "./capture-logger.js";
export { formatJournal } from "./format-journal.js";
// Recorded journals: parse, replay, diff
export { parseJournalExport } from "./journal-export.js";
export type { JournalReplayReport, ReplayDiffRow, ReplayRowStatus } from "./replay-diff.js";
export { formatReplayDiff } from "./replay-diff.js";
export { checkJournal, replayJournal } from "./replay-journal.js";
export type { ReplayPropertyOptions, ReplayPropertyStats, StepDouble } from "./replay-property.js";
// Property-based replay tests
export { ReplayPropertyError, replayProperty } from "./replay-property.js";
export type { SimulatedEvent } from "./simulate-run.js";
export type { TestEnv, TestEnvOptions, TestRunHandle } from "./test-env.js";
export { createTestEnv } from "./test-env.js";
