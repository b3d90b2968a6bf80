import { lstat, readFile, realpath, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  background,
  exec,
  execOk,
  listFiles,
  npmInstall,
  outsideDir,
  REPO,
  readJson,
} from "./npm-project.js";
import { type Packed, packAll, unshippedSources, unusedDependencies } from "./tarballs.js";

// npm installs and whole processes: generous, for a loaded machine (about a minute each on an idle one).
const SLOW = 300_000;

// The third-party packages a project adds itself, at the ranges this repository tests with.
const THIRD_PARTY = ["zod@^4.6.7", "vitest@^3.2.7", "fast-check@^4.10.2"];

const WORKFLOW = `import { workflow } from "@durable/core";
import { z } from "zod";

export const greet = workflow(
  { name: "greet", input: z.object({ name: z.string() }) },
  async (ctx, { name }) => {
    const greeting = await ctx.call("greet", () => \`Hello, \${name}!\`);
    await ctx.sleep("1s");
    return greeting;
  },
);
`;

const CONFIG = `import { defineConfig } from "@durable/cli";

export default defineConfig({ workflows: ["./src/workflows.ts"] });
`;

const TEST = `import { createTestEnv } from "@durable/testing";
import { expect, it } from "vitest";
import { greet } from "./workflows.js";

it("greets after a second of virtual time", async () => {
  const env = createTestEnv({ workflows: [greet] });
  const started = env.clock.now();
  expect(await env.run(greet, { name: "Ada" })).toBe("Hello, Ada!");
  expect(env.clock.now() - started).toBeGreaterThanOrEqual(1_000);
  await env.idle();
});
`;

let packDir: Awaited<ReturnType<typeof outsideDir>>;
let packed: Packed[];

beforeAll(async () => {
  packDir = await outsideDir("durable-pack-");
  packed = await packAll(packDir.dir);
});
afterAll(() => packDir?.remove());

describe("the npm pack tarballs", () => {
  it("share one version, and range every durable dependency at it and PGlite alike", () => {
    const version = packed[0]?.manifest.version;
    const pglite = new Set<string>();
    for (const { manifest } of packed) {
      expect(manifest.version, manifest.name).toBe(version);
      for (const deps of [manifest.dependencies, manifest.devDependencies, manifest.peerDependencies]) {
        for (const [dep, range] of Object.entries(deps ?? {})) {
          if (dep.startsWith("@durable/") || dep === "create-durable")
            expect(range, `${manifest.name} -> ${dep}`).toBe(`^${version}`);
          if (dep === "@electric-sql/pglite") pglite.add(range);
        }
      }
    }
    expect([...pglite]).toHaveLength(1);
  });

  it("carry the metadata the registry shows: repository, homepage, bugs, keywords, license, access, engines", async () => {
    const repository = packed[0]?.manifest.repository?.url;
    expect(repository).toMatch(/^git\+https:\/\/.+\.git$/);
    for (const { manifest, workspace, root } of packed) {
      expect(manifest.repository, manifest.name).toEqual({
        type: "git",
        url: repository,
        directory: `packages/${workspace}`,
      });
      expect(manifest.homepage, manifest.name).toMatch(/^https:\/\//);
      expect(manifest.bugs?.url, manifest.name).toMatch(/^https:\/\//);
      expect(manifest.keywords?.length, manifest.name).toBeGreaterThan(2);
      expect(manifest.license, manifest.name).toBe("MIT");
      expect(manifest.publishConfig, manifest.name).toEqual({ access: "public" });
      expect(manifest.engines?.node, manifest.name).toBe(">=20.12");
      expect(manifest.files, manifest.name).toContain("dist");
      const entry = manifest.exports?.["."];
      expect(entry?.types, manifest.name).toBe(manifest.types);
      for (const file of [manifest.types, entry?.default, ...Object.values(manifest.bin ?? {})]) {
        expect(
          await lstat(join(root, String(file))).then((s) => s.isFile()),
          `${manifest.name}: ${file}`,
        ).toBe(true);
      }
    }
  });

  it("each hold the LICENSE and a README, no build info, no tests, and every source their maps point at", async () => {
    const license = await readFile(join(REPO, "LICENSE"), "utf8");
    expect(license).toMatch(/^MIT License/);
    for (const pkg of packed) {
      expect(await readFile(join(pkg.root, "LICENSE"), "utf8"), pkg.name).toBe(license);
      expect(pkg.files, pkg.name).toContain("README.md");
      // create-durable's template holds the new project's tests: those are what it ships.
      const shipped = pkg.files.filter((f) => !f.startsWith("template/"));
      expect(
        shipped.filter((f) => /\.tsbuildinfo$|\.test\.[cm]?[jt]s$|__tests__|__fixtures__/.test(f)),
        pkg.name,
      ).toEqual([]);
      expect(
        pkg.files.some((f) => f.endsWith(".map")),
        pkg.name,
      ).toBe(true);
      expect(await unshippedSources(pkg), pkg.name).toEqual([]);
    }
  });

  it("depend only on what their shipped code imports; the CLI takes the test tools as an optional peer", async () => {
    for (const pkg of packed) expect(await unusedDependencies(pkg), pkg.name).toEqual([]);
    const cli = packed.find((p) => p.name === "@durable/cli")?.manifest;
    expect(Object.keys(cli?.dependencies ?? {})).not.toContain("@durable/testing");
    expect(Object.keys(cli?.dependencies ?? {})).not.toContain("fast-check");
    expect(cli?.peerDependenciesMeta?.["@durable/testing"]).toEqual({ optional: true });
    expect(cli?.bin).toEqual({ durable: "./bin/durable.js" });
  });
});

describe("a project outside the repository that installs the tarballs alone", () => {
  let project: Awaited<ReturnType<typeof outsideDir>>;
  let dir: string;

  beforeAll(async () => {
    project = await outsideDir("durable-project-");
    dir = project.dir;
    await writeFile(
      join(dir, "package.json"),
      '{ "name": "tarball-project", "private": true, "type": "module" }\n',
    );
    await npmInstall(dir, [...packed.map((p) => p.tarball), ...THIRD_PARTY]);
    await execOk(dir, "mkdir", ["src"]);
    await writeFile(join(dir, "src/workflows.ts"), WORKFLOW);
    await writeFile(join(dir, "src/workflows.test.ts"), TEST);
    await writeFile(join(dir, "durable.config.ts"), CONFIG);
  }, SLOW);
  afterAll(() => project?.remove());

  it("has every durable package as a real directory in its own node_modules, not a link into the repository", async () => {
    for (const { name } of packed) {
      const installed = join(dir, "node_modules", name);
      expect((await lstat(installed)).isSymbolicLink(), name).toBe(false);
      expect(await realpath(installed), name).toBe(await realpath(installed).then(() => installed));
    }
    const resolved = await execOk(dir, "node", [
      "--input-type=module",
      "-e",
      'console.log(import.meta.resolve("@durable/core"))',
    ]);
    expect(resolved.trim()).toBe(
      `file://${join(await realpath(dir), "node_modules/@durable/core/dist/index.js")}`,
    );
  });

  it(
    "runs the installed CLI: a worker on the embedded database in the background, start --wait, then show",
    async () => {
      // The worker runs from its bin so that SIGTERM reaches it (npx would report its own signal instead).
      const durable = join(dir, "node_modules/.bin/durable");
      const worker = background(dir, durable, ["worker", "--log-level", "info"]);
      try {
        await eventually("the worker to be ready", () => {
          const { stderr, code } = worker.output();
          if (code !== null) throw new Error(`the worker exited ${code}: ${stderr}`);
          return stderr.includes('"msg":"worker ready"');
        });
        const args = ["durable", "start", "greet", "--input", '{"name":"Ann"}', "--wait", "--json"];
        const waited = await exec(dir, "npx", args);
        expect(waited.code, waited.stderr).toBe(0);
        const run = JSON.parse(waited.stdout) as { id: string; status: string; output: unknown };
        expect(run).toMatchObject({ status: "completed", output: "Hello, Ann!" });
        const { id } = run;
        const timeline = await execOk(dir, "npx", ["durable", "show", id]);
        expect(timeline).toMatch(/^status\s+completed$/m);
        expect(timeline).toMatch(/^0\s+call\s+greet\s+ok/m);
      } finally {
        const code = await worker.stop();
        expect(code, worker.output().stderr).toBe(0);
      }
    },
    SLOW,
  );

  it("runs a @durable/testing test with vitest", async () => {
    const out = await execOk(dir, "npx", ["vitest", "run", "src"]);
    expect(out).toMatch(/1 passed/);
  });

  it("runs durable replay only with @durable/testing installed, and says how to add it when it is not", async () => {
    const testing = join(dir, "node_modules/@durable/testing");
    await rename(testing, `${testing}.away`);
    try {
      const replay = await exec(dir, join(dir, "node_modules/.bin/durable"), ["replay", "journal.json"]);
      expect(replay.code).toBe(1);
      expect(replay.stderr).toBe(
        "error: durable replay needs @durable/testing, which is not installed next to @durable/cli; add it (npm install --save-dev @durable/testing) and run durable replay again\n",
      );
    } finally {
      await rename(`${testing}.away`, testing);
    }
  });

  it("resolves npx @durable/cli to the installed durable command", async () => {
    const help = await execOk(dir, "npx", ["@durable/cli", "--help"]);
    expect(help).toMatch(/^Usage: durable /m);
    expect(help).toMatch(/^\s+init \[options\] \[dir\]/m);
  });

  it("makes the same project with durable init as with create-durable, and refuses to make it twice", async () => {
    await execOk(dir, "npx", ["durable", "init", "by-init"]);
    await execOk(dir, "npx", ["create-durable", "by-create"]);
    const files = await listFiles(join(dir, "by-init"));
    expect(await listFiles(join(dir, "by-create"))).toEqual(files);
    for (const file of files.filter((f) => f !== "package.json")) {
      expect(await readFile(join(dir, "by-create", file), "utf8"), file).toBe(
        await readFile(join(dir, "by-init", file), "utf8"),
      );
    }
    const again = await exec(dir, "npx", ["durable", "init", "by-init"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error: by-init is not empty \(it has .*\); .*nothing was written$/m);
  });
});

describe("npm create durable from the tarballs", () => {
  let parent: Awaited<ReturnType<typeof outsideDir>>;

  beforeAll(async () => {
    parent = await outsideDir("durable-create-");
  });
  afterAll(() => parent?.remove());

  it(
    "makes a project whose npm install, npm test and typecheck pass straight away",
    async () => {
      const create = packed.find((p) => p.name === "create-durable")?.tarball ?? "";
      // What `npm create durable@latest my-app` runs, with the package from its tarball.
      const made = await execOk(parent.dir, "npm", [
        "exec",
        "--yes",
        "--prefer-offline",
        "--package",
        create,
        "--",
        "create-durable",
        "my-app",
        "--from-tarballs",
        packDir.dir,
      ]);
      expect(made).toContain("npm install");
      const app = join(parent.dir, "my-app");
      const pkg = await readJson<{ scripts: Record<string, string> }>(join(app, "package.json"));
      expect(pkg.scripts).toMatchObject({ dev: "durable dev", worker: "durable worker", test: "vitest run" });
      await npmInstall(app, []);
      const tested = await execOk(app, "npm", ["test"]);
      expect(tested).toMatch(/Tests\s+4 passed/);
      await execOk(app, "npm", ["run", "typecheck"]);
    },
    SLOW,
  );
});

async function eventually<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
): Promise<T> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after 120 s waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 200));
  }
}
