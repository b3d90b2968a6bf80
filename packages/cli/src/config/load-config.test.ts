import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { databaseTarget } from "../database/database-target.js";
import { loadConfig } from "./load-config.js";
import { loadWorkflows } from "./load-workflows.js";

const workflowModule = (names: string[]) =>
  names
    .map(
      (name, i) =>
        `export const w${i}: { kind: "workflow"; name: string } = { kind: "workflow", name: ${JSON.stringify(name)} };`,
    )
    .join("\n");

describe("loading durable.config.ts", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "durable-config-"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("loads a TypeScript config and registers every exported workflow of its modules", async () => {
    await writeFile(join(dir, "a.ts"), `${workflowModule(["one", "two"])}\nexport const other = 42;\n`);
    await writeFile(
      join(dir, "b.ts"),
      `export { w0 } from "./a.ts";\n${workflowModule(["three"]).replace("w0", "w9")}\n`,
    );
    await writeFile(
      join(dir, "durable.config.ts"),
      `const schema: string = "app";\nexport default { workflows: ["./a.ts", "./b.ts"], schema, worker: { grace: "10s" } };\n`,
    );
    const loaded = await loadConfig({ cwd: dir });
    expect(loaded.config).toEqual({
      workflows: ["./a.ts", "./b.ts"],
      schema: "app",
      worker: { grace: "10s" },
    });
    expect((await loadWorkflows(loaded)).map((w) => w.name)).toEqual(["one", "two", "three"]);
  });

  it("names the field and the file when the config does not validate", async () => {
    await writeFile(
      join(dir, "durable.config.ts"),
      `export default { workflows: ["./a.ts"], worker: { grace: "soon" } };\n`,
    );
    await expect(loadConfig({ cwd: dir })).rejects.toThrow(/^durable\.config\.ts: worker\.grace: /);
    await writeFile(join(dir, "durable.config.ts"), `export default { workflows: [], databseUrl: "x" };\n`);
    await expect(loadConfig({ cwd: dir })).rejects.toThrow(/durable\.config\.ts: /);
  });

  it("refuses two different workflows with one name, naming both modules", async () => {
    await writeFile(join(dir, "a.ts"), workflowModule(["same"]));
    await writeFile(join(dir, "b.ts"), workflowModule(["same"]));
    await writeFile(join(dir, "durable.config.ts"), `export default { workflows: ["./a.ts", "./b.ts"] };\n`);
    await expect(loadWorkflows(await loadConfig({ cwd: dir }))).rejects.toThrow(
      /two workflows are named "same" \(in \.\/a\.ts and \.\/b\.ts\)/,
    );
  });

  it("names a workflow module that does not exist", async () => {
    await writeFile(join(dir, "durable.config.ts"), `export default { workflows: ["./missing.ts"] };\n`);
    await expect(loadWorkflows(await loadConfig({ cwd: dir }))).rejects.toThrow(/workflows\.0: no such file/);
  });

  it("takes --config over the current directory, and says where it looked when there is none", async () => {
    await writeFile(join(dir, "other.config.ts"), `export default { workflows: ["./x.ts"] };\n`);
    expect((await loadConfig({ cwd: dir, config: "other.config.ts" })).config.workflows).toEqual(["./x.ts"]);
    await expect(loadConfig({ cwd: dir })).rejects.toThrow(`no durable.config.ts in ${dir}`);
    await expect(loadConfig({ cwd: dir, config: "nope.ts" })).rejects.toThrow(
      "--config nope.ts: no such file",
    );
  });
});

describe("choosing the database", () => {
  it("prefers --database-url, then DATABASE_URL, then the config, then the embedded directory", () => {
    const saved = process.env.DATABASE_URL;
    try {
      const config = { workflows: ["x"], databaseUrl: "postgres://config/db", schema: "s" };
      process.env.DATABASE_URL = "postgres://env/db";
      expect(databaseTarget({ root: "/app", flag: "postgres://flag/db", config })).toEqual({
        kind: "postgres",
        url: "postgres://flag/db",
        schema: "s",
        source: "--database-url",
      });
      expect(databaseTarget({ root: "/app", config })).toMatchObject({
        url: "postgres://env/db",
        source: "DATABASE_URL",
      });
      delete process.env.DATABASE_URL;
      expect(databaseTarget({ root: "/app", config, configFile: "/app/durable.config.mts" })).toMatchObject({
        url: "postgres://config/db",
        source: "durable.config.mts",
      });
      expect(databaseTarget({ root: "/app", config: { workflows: ["x"] } })).toEqual({
        kind: "embedded",
        dir: "/app/.durable",
        schema: "durable",
      });
    } finally {
      if (saved === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved;
    }
  });
});
