// The chaos suite from the command line: `npm run chaos -- [--seed N] [--runs N] [--poison N] [--rate N] [--smoke] [--out DIR]`.
// Prints the seed first, then faults and progress, then the G1–G9 table; writes the figures as JSON; exits 1
// when an invariant was violated.
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { runChaos } from "./chaos.js";
import { FULL_SCALE, SMOKE } from "./chaos-configs.js";
import { formatTable } from "./verdict.js";

const { values } = parseArgs({
  options: {
    seed: { type: "string" },
    runs: { type: "string" },
    poison: { type: "string" },
    rate: { type: "string" },
    smoke: { type: "boolean", default: false },
    out: { type: "string" },
  },
});
const base = values.smoke ? SMOKE : FULL_SCALE;
const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
const started = new Date();
console.log(`chaos: seed ${seed} (replay the same plan with --seed ${seed})`);
const result = await runChaos({
  ...base,
  seed,
  ...(values.runs !== undefined ? { runs: Number(values.runs) } : {}),
  ...(values.poison !== undefined ? { poison: Number(values.poison) } : {}),
  ...(values.rate !== undefined ? { startsPerSecond: Number(values.rate) } : {}),
  log: (line) => console.log(`${new Date().toISOString().slice(11, 23)} ${line}`),
});
const dir = values.out ?? join(tmpdir(), "durable-chaos");
mkdirSync(dir, { recursive: true });
const file = join(dir, `chaos-${seed}-${started.toISOString().replace(/[:.]/g, "-")}.json`);
writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
console.log(`\nchaos: seed ${seed}, ${result.config.runs} runs, ${result.seconds.toFixed(0)} s\n`);
console.log(formatTable(result.lines));
console.log(`\nfigures: ${file}`);
console.log(
  result.ok
    ? "chaos: every invariant held"
    : `chaos: violated ${result.lines
        .filter((l) => !l.ok)
        .map((l) => l.id)
        .join(", ")} (seed ${seed})`,
);
process.exit(result.ok ? 0 : 1);
