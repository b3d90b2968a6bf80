import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  CreateProjectError,
  createProject,
  DURABLE_VERSION,
  PUBLIC_PACKAGES,
  THIRD_PARTY_RANGES,
} from "./index.js";

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "create-durable-"));
});
afterEach(() => rm(root, { recursive: true, force: true }));

async function readJson(file: string): Promise<Record<string, Record<string, string>>> {
  return JSON.parse(await readFile(file, "utf8"));
}

describe("createProject", () => {
  it("makes a project with a config, one workflow, its tests, a .gitignore and the three scripts", async () => {
    const project = await createProject({ dir: join(root, "My App") });
    expect(project.name).toBe("my-app");
    expect(project.files).toEqual([
      ".gitignore",
      "README.md",
      "durable.config.ts",
      "package.json",
      "src/replay.test.ts",
      "src/workflows.test.ts",
      "src/workflows.ts",
      "tsconfig.json",
    ]);
    const pkg = await readJson(join(project.dir, "package.json"));
    expect(pkg.scripts).toMatchObject({ dev: "durable dev", worker: "durable worker", test: "vitest run" });
    expect(pkg.dependencies).toMatchObject({
      "@durable/core": `^${DURABLE_VERSION}`,
      "@durable/cli": `^${DURABLE_VERSION}`,
    });
    expect(pkg.devDependencies).toMatchObject({ "@durable/testing": `^${DURABLE_VERSION}` });
    expect(await readFile(join(project.dir, ".gitignore"), "utf8")).toMatch(/^\.durable\/$/m);
    const tests = await readFile(join(project.dir, "src/workflows.test.ts"), "utf8");
    expect(tests).toContain("createTestEnv");
    expect(await readFile(join(project.dir, "src/replay.test.ts"), "utf8")).toContain("replayProperty");
  });

  it("creates a missing directory and accepts one that holds only .git", async () => {
    await mkdir(join(root, "repo", ".git"), { recursive: true });
    const project = await createProject({ dir: join(root, "repo") });
    expect(project.files).not.toContain(".git");
    expect(existsSync(join(root, "repo", "durable.config.ts"))).toBe(true);
  });

  it("refuses a directory with files in it, names them and writes nothing", async () => {
    const dir = join(root, "taken");
    await mkdir(dir);
    await writeFile(join(dir, "notes.txt"), "mine");
    const refused = await createProject({ dir }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(CreateProjectError);
    expect(refused).toMatchObject({ code: "directory_not_empty" });
    expect((refused as Error).message).toMatch(
      /taken is not empty \(it has notes\.txt\).*nothing was written/,
    );
    expect(await readdir(dir)).toEqual(["notes.txt"]);
  });

  it("refuses a path that is a file", async () => {
    await writeFile(join(root, "file"), "");
    await expect(createProject({ dir: join(root, "file") })).rejects.toMatchObject({
      code: "not_a_directory",
    });
  });

  it("depends on every durable tarball of a directory with fromTarballs, and refuses one that lacks a package", async () => {
    const tarballs = join(root, "tarballs");
    await mkdir(tarballs);
    const missing = await createProject({ dir: join(root, "a"), fromTarballs: tarballs }).catch(
      (e: unknown) => e,
    );
    expect(missing).toMatchObject({ code: "missing_tarball" });
    expect((missing as Error).message).toContain(`durable-core-${DURABLE_VERSION}.tgz`);
    expect(existsSync(join(root, "a"))).toBe(false);

    for (const pkg of PUBLIC_PACKAGES) {
      await writeFile(join(tarballs, `${pkg.replace("@", "").replace("/", "-")}-${DURABLE_VERSION}.tgz`), "");
    }
    const project = await createProject({ dir: join(root, "b"), fromTarballs: tarballs });
    const pkg = await readJson(join(project.dir, "package.json"));
    const specs = { ...pkg.dependencies, ...pkg.devDependencies };
    for (const name of PUBLIC_PACKAGES) expect(specs[name]).toMatch(/^file:.*\.tgz$/);
  });
});

describe("the ranges a new project starts with", () => {
  it("are the ones this repository builds and tests with", async () => {
    const repo = await readJson(fileURLToPath(new URL("../../../package.json", import.meta.url)));
    const core = await readJson(fileURLToPath(new URL("../../core/package.json", import.meta.url)));
    const used: Record<string, string | undefined> = { ...repo.devDependencies, ...core.dependencies };
    for (const [name, range] of Object.entries(THIRD_PARTY_RANGES)) expect(used[name], name).toBe(range);
  });
});
