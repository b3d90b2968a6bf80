import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { BIN } from "./helpers.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const run = promisify(execFile);

// The examples' workflows and the export-format fixtures' (test/fixtures/workflows.ts).
const CONFIG = "test/fixtures/durable.config.ts";

async function replay(...files: string[]) {
  try {
    const args = [BIN, "replay", "--config", CONFIG, ...files];
    const { stdout, stderr } = await run(process.execPath, args, { cwd: root });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function journalsIn(folder: string): Promise<string[]> {
  const files = await readdir(join(root, folder));
  return files.filter((f) => f.endsWith(".json")).map((f) => join(folder, f));
}

// The journals in test/fixtures/journals/ were recorded from real runs of the examples and of the
// export-format fixtures (test/fixtures/record-journals.ts): today's code must still replay every one.
describe("recorded journals of the examples", () => {
  it("all replay with today's code", async () => {
    const files = await journalsIn("test/fixtures/journals");
    expect(files.length).toBeGreaterThanOrEqual(7);
    const result = await replay(...files);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout.match(/^ok {4}/gm)).toHaveLength(files.length);
    expect(result.stdout).toContain(
      "test/fixtures/journals/billing.json: run billing:fixture (3 entries, completed)",
    );
    expect(result.stdout).toContain(
      "test/fixtures/journals/heartbeat.json: run heartbeat:fixture (2 entries, completed)",
    );
  });

  it("still replays the journals recorded in the first format, durable.journal/1", async () => {
    const files = await journalsIn("test/fixtures/journals/v1");
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const file of files)
      expect((await readFile(join(root, file), "utf8")).includes('"durable.journal/1"')).toBe(true);
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
