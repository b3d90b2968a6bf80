import { parseArgs } from "node:util";
import type { StoreKind } from "./sim-stores.js";
import { type SimulationResult, simulate } from "./simulate.js";

const usage = `usage: npm run sim -w @durable/sim -- [--seed N | --seeds COUNT [--from N]] [--store memory|pglite|both] [--trace] [--keep-going]

  --seed N        replay one seed exactly (prints its whole trace with --trace)
  --seeds COUNT   run COUNT seeds from --from (default 1)
  --store         memory (default), pglite, or both
  --trace         print the whole trace of each failing seed (default: its last 80 lines)
  --keep-going    run every seed even after a failure, and count the failures
  --find TEXT     count as failures only seeds with a violation containing TEXT (to measure how soon a
                  particular bug is found while others are known)`;

function report(result: SimulationResult, fullTrace: boolean): void {
  const lines = fullTrace ? result.trace : result.trace.slice(-80);
  console.log(`\nFAILED seed ${result.seed} on the ${result.store} store (${result.end}):`);
  for (const v of result.violations) console.log(`  - ${v}`);
  console.log(`faults injected:\n${result.faults.map((f) => `  ${f}`).join("\n") || "  none"}`);
  console.log(`trace (${fullTrace ? "all" : "last"} ${lines.length} of ${result.trace.length} steps):`);
  for (const line of lines) console.log(`  ${line}`);
  console.log(`replay: npm run sim -w @durable/sim -- --seed ${result.seed} --store ${result.store} --trace`);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      seed: { type: "string" },
      seeds: { type: "string" },
      from: { type: "string", default: "1" },
      store: { type: "string", default: "memory" },
      trace: { type: "boolean", default: false },
      "keep-going": { type: "boolean", default: false },
      find: { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const stores: StoreKind[] =
    values.store === "both" ? ["memory", "pglite"] : values.store === "pglite" ? ["pglite"] : ["memory"];
  if (!["memory", "pglite", "both"].includes(values.store))
    throw new Error(`--store ${values.store}: ${usage}`);
  const first = Number(values.seed ?? values.from);
  const count = values.seed !== undefined ? 1 : Number(values.seeds ?? 1);
  if (!Number.isInteger(first) || !Number.isInteger(count) || count < 1) throw new Error(usage);
  let failures = 0;
  for (const store of stores) {
    const started = performance.now();
    let ran = 0;
    let firstFailure: number | undefined;
    for (let seed = first; seed < first + count; seed++) {
      const result = await simulate({ seed, store });
      ran++;
      if (values.seed !== undefined && values.trace && result.violations.length === 0)
        console.log(result.trace.join("\n"));
      const find = values.find;
      if (find !== undefined) result.violations = result.violations.filter((v) => v.includes(find));
      if (result.violations.length === 0) continue;
      failures++;
      firstFailure ??= seed;
      report(result, values.trace);
      if (!values["keep-going"]) break;
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const found =
      firstFailure === undefined ? "" : `, first at seed ${firstFailure} (seed #${firstFailure - first + 1})`;
    console.log(`${store}: ${ran} seeds from ${first} in ${seconds} s, ${failures} failed${found}`);
  }
  return failures > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
