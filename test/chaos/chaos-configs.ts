import type { ChaosConfig } from "./chaos.js";

type Preset = Omit<ChaosConfig, "seed" | "log">;

/** Issue 10's scale: 5,000 orders on 3 workers (lease 5 s), a fault every 5–10 s, two poison runs. */
export const FULL_SCALE: Preset = {
  runs: 5_000,
  poison: 2,
  workers: 3,
  leaseMs: 5_000,
  concurrency: 20,
  stepMs: [5, 30],
  startsPerSecond: 0,
  faultEveryMs: [5_000, 10_000],
  minFaultsPerPhase: 5,
  stallMs: 45_000,
  phaseCapMs: 12 * 60_000,
  // Longer than a poison run's last backoff before it is parked (1 s doubled per recovery, plus the lease).
  settleMs: 90_000,
};

/**
 * The same code, small enough for every test run: 300 orders whose longer steps on fewer slots make each
 * phase last about forty seconds, with a fault every 3–6 s (each kind at least once a phase).
 */
export const SMOKE: Preset = {
  ...FULL_SCALE,
  runs: 300,
  poison: 1,
  concurrency: 4,
  stepMs: [100, 300],
  // Below the capacity of 12 slots with these steps (about 6 a second), so claims stay near due times.
  startsPerSecond: 5,
  faultEveryMs: [3_000, 6_000],
  stallMs: 30_000,
  phaseCapMs: 3 * 60_000,
};
