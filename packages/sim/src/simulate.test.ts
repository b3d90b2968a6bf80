import type { Store } from "@durable/core";
import { describe, expect, it } from "vitest";
import type { StoreKind } from "./sim-stores.js";
import { type SimulationResult, simulate } from "./simulate.js";

/** The seeds CI runs on each store (the soak: `npm run sim -- --seeds 2000`). */
const CI_SEEDS = { memory: 40, pglite: 3 };

function failures(results: SimulationResult[]): string[] {
  return results
    .filter((r) => r.violations.length > 0)
    .map(
      (r) =>
        `seed ${r.seed} (${r.store}): ${r.violations.join("; ")}\n  replay: npm run sim -w @durable/sim -- --seed ${r.seed} --store ${r.store} --trace`,
    );
}

// Each CI seed runs once; the replay check reuses the first seed's run.
const runs = new Map<string, Promise<SimulationResult>>();
function ciRun(seed: number, store: StoreKind): Promise<SimulationResult> {
  const key = `${store}:${seed}`;
  const run = runs.get(key) ?? simulate({ seed, store });
  runs.set(key, run);
  return run;
}

describe("the simulator", () => {
  it("replays a seed exactly: the same seed gives the same trace, on each store", async () => {
    // On PGlite a seed without a poison run: the poison's crash loop makes a seed there several times dearer.
    for (const [store, seed] of [
      ["memory", 1],
      ["pglite", 3],
    ] as const) {
      const first = await ciRun(seed, store);
      const again = await simulate({ seed, store });
      expect(first.trace.length).toBeGreaterThan(100);
      expect(again.trace).toEqual(first.trace);
      expect(again.violations).toEqual(first.violations);
    }
  });

  it("chooses other interleavings, workloads and faults for other seeds", async () => {
    const one = await ciRun(1, "memory");
    const two = await ciRun(2, "memory");
    expect(two.trace).not.toEqual(one.trace);
    expect(two.workload).not.toEqual(one.workload);
  });

  it("holds every invariant on the CI seeds over the memory store", async () => {
    const results: SimulationResult[] = [];
    for (let seed = 1; seed <= CI_SEEDS.memory; seed++) results.push(await ciRun(seed, "memory"));
    expect(failures(results)).toEqual([]);
    // The seeds do what they are for: faults struck, poison runs were parked, steps ran again after crashes.
    expect(results.filter((r) => r.faults.length > 0).length).toBeGreaterThan(CI_SEEDS.memory / 2);
    expect(results.filter((r) => r.workload.poison !== undefined).length).toBeGreaterThan(5);
    expect(results.reduce((n, r) => n + r.reexecuted, 0)).toBeGreaterThan(0);
  });

  it("holds every invariant on the CI seeds over the SQL store on PGlite", async () => {
    const results: SimulationResult[] = [];
    for (let seed = 1; seed <= CI_SEEDS.pglite; seed++) results.push(await ciRun(seed, "pglite"));
    expect(failures(results)).toEqual([]);
  });

  it("catches a store that renews leases its worker had lost", async () => {
    // A planted bug at the Store interface: every renewal reports success, whoever holds the run now.
    const renewsLostLeases = (store: Store): Store =>
      new Proxy(store, {
        get(target, prop, receiver) {
          if (prop !== "renewLeases") return Reflect.get(target, prop, receiver);
          return async (...args: Parameters<Store["renewLeases"]>) => {
            const renewal = await target.renewLeases(...args);
            return { ...renewal, lost: [] };
          };
        },
      });
    let caught: SimulationResult | undefined;
    for (let seed = 1; seed <= 40 && !caught; seed++) {
      const result = await simulate({ seed, store: "memory", wrapStore: renewsLostLeases });
      if (result.violations.some((v) => v.includes("renewal") && v.includes("lost lease"))) caught = result;
    }
    expect(caught?.violations.join("\n")).toMatch(
      /a lease renewal of run .* was accepted at \+\d+ from a lost lease/,
    );
  });
});
