import { execFile } from "node:child_process";
import { readdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { BIN } from "./helpers.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const run = promisify(execFile);

async function replay(...files: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, "replay", ...files], { cwd: root });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

// The journals in test/fixtures/journals/ were recorded from real runs of the examples
// (test/fixtures/record-journals.ts): today's code must still replay every one of them.
describe("recorded journals of the examples", () => {
  it("all replay with today's code", async () => {
    const dir = join(root, "test/fixtures/journals");
    const files = (await readdir(dir))
      .filter((f) => f.endsWith(".json"))
      .map((f) => join("test/fixtures/journals", f));
    expect(files.length).toBeGreaterThanOrEqual(5);
    const result = await replay(...files);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout.match(/^ok {4}/gm)).toHaveLength(files.length);
  });

  it("refuses a journal from an older version whose step was renamed, with a readable diff", async () => {
    const result = await replay("test/fixtures/journals-older/order-fulfilment-charge-card.json");
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('✗  1    call("charge-card")    call("charge")');
    expect(result.stdout).toContain(
      'MISMATCH at seq 1: run order:o-old no longer replays: seq 1 was issued as call("charge") but the journal has call("charge-card")',
    );
    expect(result.stderr.trim()).toBe("error: 1 of 1 journal no longer replays with today's code");
  });
});
