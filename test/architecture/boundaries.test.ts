import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The boundaries are Biome rules (biome.json, lint/no-wall-clock.grit) and CI runs the tests, so the tests
// run the rules: the tree must pass them, and each rule must still catch what it is there to catch (probed
// in a scratch tree linted with the same configuration).
const root = fileURLToPath(new URL("../..", import.meta.url));
const biome = join(root, "node_modules/@biomejs/biome/bin/biome");
const run = promisify(execFile);

async function lint(cwd: string, paths: string[]): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [biome, "lint", "--max-diagnostics=none", ...paths],
      {
        cwd,
      },
    );
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    return { ok: false, output: stdout + stderr };
  }
}

let scratch: string;
const probes: Record<string, string> = {
  "packages/core/src/workflow/imports-node.ts":
    'import { readFileSync } from "node:fs";\nexport const f = readFileSync;\n',
  "packages/core/src/workflow/imports-runtime.ts":
    'import { Worker } from "../runtime/worker.js";\nexport const w = Worker;\n',
  "packages/core/src/workflow/imports-store.ts":
    'import { memoryStore } from "../store/memory-store.js";\nexport const m = memoryStore;\n',
  "packages/core/src/workflow/imports-driver.ts": 'import { Pool } from "pg";\nexport const p = Pool;\n',
  "packages/core/src/workflow/uses-timer.ts": "export const t = () => setTimeout(() => {}, 1);\n",
  "packages/core/src/workflow/uses-date-now.ts": "export const v = () => Date.now();\n",
  "packages/core/src/workflow/uses-random.ts": "export const v = () => Math.random();\n",
  "packages/core/src/workflow/uses-new-date.ts": "export const v = () => new Date();\n",
  "packages/core/src/workflow/clean.ts": "export const v = (at: number) => new Date(at);\n",
  "packages/core/src/workflow/clean.test.ts": "export const v = () => [Date.now(), setTimeout];\n",
  "packages/core/src/runtime/clock.ts":
    'import { readFileSync } from "node:fs";\nexport const now = () => [Date.now(), readFileSync];\n',
  "packages/any/src/a.ts": 'import type { B } from "./b.js";\nexport interface A { b?: B }\n',
  "packages/any/src/b.ts": 'import type { A } from "./a.js";\nexport interface B { a?: A }\n',
};

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "durable-boundaries-"));
  const config = JSON.parse(await readFile(join(root, "biome.json"), "utf8"));
  config.vcs = { enabled: false };
  config.files = { includes: ["**"] };
  config.plugins = config.plugins.map((p: { path: string }) => ({ ...p, path: join(root, p.path) }));
  await writeFile(join(scratch, "biome.json"), JSON.stringify(config));
  for (const [path, source] of Object.entries(probes)) {
    await mkdir(dirname(join(scratch, path)), { recursive: true });
    await writeFile(join(scratch, path), source);
  }
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

function findings(output: string, file: string): string[] {
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return [...output.matchAll(new RegExp(`${escaped}:\\d+:\\d+ (\\S+)`, "g"))].map((m) => m[1] as string);
}

describe("architecture boundaries", () => {
  it("keeps every package free of import cycles and workflow/ free of I/O, timers and clocks", async () => {
    const result = await lint(root, ["packages", "examples", "test"]);
    expect(result.output).not.toMatch(/noImportCycles|noRestrictedImports|noRestrictedGlobals|plugin/);
    expect(result.ok).toBe(true);
  });

  it("refuses node:*, runtime/, store/ and driver imports, timers and the wall clock in workflow/ only", async () => {
    const { output } = await lint(scratch, ["."]);
    for (const what of ["node", "runtime", "store", "driver"]) {
      expect(findings(output, `imports-${what}.ts`), what).toContain("lint/style/noRestrictedImports");
    }
    expect(findings(output, "uses-timer.ts")).toContain("lint/style/noRestrictedGlobals");
    for (const what of ["date-now", "random", "new-date"]) {
      expect(findings(output, `uses-${what}.ts`), what).toContain("plugin");
    }
    expect(findings(output, "workflow/clean.ts")).toEqual([]);
    expect(findings(output, "workflow/clean.test.ts")).toEqual([]);
    expect(findings(output, "runtime/clock.ts")).toEqual([]);
  });

  it("reports an import cycle, type-only imports included", async () => {
    const { output } = await lint(scratch, ["."]);
    expect(findings(output, "any/src/a.ts")).toContain("lint/suspicious/noImportCycles");
  });
});
