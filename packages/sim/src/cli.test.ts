import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const cli = fileURLToPath(new URL("./cli.ts", import.meta.url));

async function sim(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(process.execPath, ["--import", "tsx", cli, ...args], {
      maxBuffer: 64 << 20,
    });
    return { code: 0, out: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, out: failed.stdout };
  }
}

describe("npm run sim", () => {
  it("replays one seed with --seed: the same trace twice, then the summary", async () => {
    const first = await sim("--seed", "3", "--trace");
    const again = await sim("--seed", "3", "--trace");
    expect(first.out.split("\n").length).toBeGreaterThan(100);
    // Only the wall-clock seconds in the summary line may differ.
    const steady = (out: string) => out.replace(/ in [\d.]+ s,/, " in … s,");
    expect(steady(again.out)).toEqual(steady(first.out));
    expect(first.out).toMatch(/^memory: 1 seeds from 3 in [\d.]+ s, [01] failed/m);
  });
});
