// biome-ignore-all assist/source/organizeImports: exports are grouped by tool, as the house style asks

// The test env: a worker on a virtual clock
export type { TestEnv, TestEnvOptions, TestRunHandle } from "./test-env.js";
export { createTestEnv } from "./test-env.js";

// Property-based replay tests
export type { ReplayPropertyOptions, ReplayPropertyStats, StepDouble } from "./replay-property.js";
export { ReplayPropertyError, replayProperty } from "./replay-property.js";
export type { SimulatedEvent, SimulatedMessage } from "./simulate-run.js";

// Recorded journals: parse, replay, diff
export type { ParsedJournalExport } from "./journal-export.js";
export { parseJournalExport } from "./journal-export.js";
export type { JournalSource, ReplayJournalOptions } from "./journal-source.js";
export type { JournalReplayReport, ReplayDiffRow, ReplayRowStatus } from "./replay-diff.js";
export { formatReplayDiff } from "./replay-diff.js";
export { checkJournal, replayJournal } from "./replay-journal.js";

// Determinism of a workflow body
export type { DeterminismOptions, DeterminismReport, NondeterministicCall } from "./assert-deterministic.js";
export { assertDeterministic, checkDeterminism, formatDeterminismReport } from "./assert-deterministic.js";

// Helpers for reading what happened
export type { LogLevel, LogRecord } from "./capture-logger.js";
export { captureLogger } from "./capture-logger.js";
export { formatJournal } from "./format-journal.js";
