import { describe, expect, it } from "vitest";
import { runChaos } from "./chaos.js";
import { SMOKE } from "./chaos-configs.js";
import { FAULT_KINDS } from "./faults.js";
import { formatTable } from "./verdict.js";

const SEED = 20_261_204;

// The full-scale suite runs by command (`npm run chaos`); this is the same code at a size every test run
// can afford, so it cannot rot.
describe("chaos on real processes, smoke scale", () => {
  it("loses no run, journals nothing twice and parks the poison run alone through kills, stops and restarts", async () => {
    const result = await runChaos({ ...SMOKE, seed: SEED, log: () => {} });
    console.log(`chaos smoke, seed ${SEED}, ${result.seconds.toFixed(0)} s\n${formatTable(result.lines)}`);

    const { figures } = result;
    // Each phase deals the five kinds from a shuffled deck and lasts at least five faults.
    for (const kind of FAULT_KINDS) expect(figures.faults[kind]).toBeGreaterThanOrEqual(2);
    expect(figures.G1.list).toEqual([]);
    expect(figures.G2).toMatchObject({ duplicates: 0, unproven: 0 });
    expect(figures.G3).toMatchObject({ missing: 0, twice: 0 });
    expect(figures.G4.unexplained).toEqual([]);
    expect(figures.G5.stale).toBe(0);
    expect(figures.G6).toMatchObject({ early: 0, stepEarly: 0 });
    expect(result.lines.find((l) => l.id === "G7")?.ok).toBe(true);
    expect(figures.G8).toMatchObject({ unexpected: [], uncleanStops: 0 });
    expect(figures.G9.parked).toBe(SMOKE.poison);
    expect(figures.G9.collateral).toEqual([]);
  }, 600_000);
});
