import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createProject } from "create-durable";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CliError } from "../cli-error.js";
import { createProgram } from "../program.js";

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "durable-init-"));
  vi.spyOn(process.stdout, "write").mockImplementation(() => true);
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(root, { recursive: true, force: true });
});

function init(...args: string[]) {
  return createProgram().parseAsync(["node", "durable", "init", ...args]);
}

describe("durable init", () => {
  it("makes the project create-durable makes, file for file", async () => {
    await init(join(root, "by-init"));
    const made = await createProject({ dir: join(root, "by-create") });
    const files = await readdir(join(root, "by-init"), { recursive: true });
    expect(files.sort()).toEqual((await readdir(made.dir, { recursive: true })).sort());
    for (const file of made.files.filter((f) => f !== "package.json")) {
      expect(await readFile(join(root, "by-init", file), "utf8"), file).toBe(
        await readFile(join(made.dir, file), "utf8"),
      );
    }
    const pkg = JSON.parse(await readFile(join(root, "by-init", "package.json"), "utf8"));
    expect(pkg.name).toBe("by-init");
    expect(pkg.scripts).toMatchObject({ dev: "durable dev", worker: "durable worker", test: "vitest run" });
  });

  it("refuses a non-empty directory with exit code 1, naming what is there, and writes nothing", async () => {
    await writeFile(join(root, "notes.txt"), "mine");
    const refused = await init(root).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(CliError);
    expect(refused).toMatchObject({ exitCode: 1 });
    expect((refused as Error).message).toMatch(/is not empty \(it has notes\.txt\)/);
    expect(existsSync(join(root, "durable.config.ts"))).toBe(false);
  });
});
