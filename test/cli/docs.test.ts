// Every `durable` command in README.md and docs/*.md, run against a project (the embedded database, and
// Postgres for the commands the docs show with a DATABASE_URL): keep the docs and the CLI in step.
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allDocCommands, type DocCommand } from "./doc-commands.js";
import {
  cli,
  cliJson,
  createDatabase,
  eventually,
  FIXTURES,
  makeProject,
  type Project,
  type RunJson,
  runReaches,
  spawnCli,
} from "./helpers.js";

const ROOT = resolve(fileURLToPath(new URL(".", import.meta.url)), "../..");
const SERVER = process.env.DATABASE_URL;

/** How a doc command is run: on which database, what it prints when it is up (long-running ones), what changes. */
interface Case {
  db: "embedded" | "postgres";
  /** A long-running command: up when its output matches; then Ctrl-C must stop it with exit 0. */
  until?: RegExp;
  /** Values for the placeholders (`<id>`, `<seq>`...). */
  fill?: Record<string, string>;
  /** Arguments swapped for this machine (a fixed port another test may hold). */
  swap?: Record<string, string>;
  /** Extra arguments. */
  add?: string[];
  /** Only its --help: a name in a sentence, not a command line. */
  help?: boolean;
}

const READY = /"msg":"worker ready"/;
const DASHBOARD = /^dashboard on http:\/\/127\.0\.0\.1:\d+\/$/m;

const CASES: Record<string, Case> = {
  "durable dev": { db: "embedded", until: /^worker running /m },
  "durable dashboard": { db: "embedded", until: DASHBOARD },
  'durable send-event dev:approval:2 approved \'{"by":"ann","approve":true}\'': { db: "embedded" },
  "durable dashboard --port 4800": { db: "embedded", until: DASHBOARD, swap: { "4800": "0" } },
  "durable dashboard --host 0.0.0.0": {
    db: "embedded",
    until: /^dashboard on http:\/\/0\.0\.0\.0:\d+\/$/m,
    add: ["--port", "0"],
  },
  "durable prune --older-than 30d": { db: "embedded" },
  "durable migrate --print": { db: "embedded" },
  "durable runs --status blocked": { db: "embedded" },
  "durable show <id>": { db: "embedded", fill: { "<id>": "dev:hello" } },
  "durable start <workflow> --wait": {
    db: "embedded",
    fill: { "<workflow>": "greet" },
    add: ["--input", '{"name":"Ann"}'],
  },
  "durable show <id> --follow": { db: "embedded", fill: { "<id>": "dev:hello" } },
  "durable retry <id>": { db: "embedded", fill: { "<id>": "docs:fails" } },
  "durable fork <id> --from <seq>": { db: "embedded", fill: { "<id>": "dev:hello", "<seq>": "2" } },
  "durable export <id> -o test/fixtures/journals/<name>.json": {
    db: "embedded",
    fill: { "<id>": "dev:hello", "<name>": "hello" },
  },
  "durable replay test/fixtures/journals/*.json": {
    db: "embedded",
    swap: { "test/fixtures/journals/*.json": "test/fixtures/journals/hello.json" },
  },
  "durable export <runId>": { db: "embedded", fill: { "<runId>": "dev:hello" } },
  "durable replay <file>": { db: "embedded", fill: { "<file>": "test/fixtures/journals/hello.json" } },
  "durable fork": { db: "embedded", help: true },
  "durable export": { db: "embedded", help: true },
  "durable replay": { db: "embedded", help: true },
  "durable replay --database": { db: "embedded" },
  "durable replay --database --workflow order-fulfilment --sample 200 --json": { db: "embedded" },
  'durable replay --database "$PRODUCTION_DATABASE_URL" --sample 50': { db: "postgres" },
  "durable migrate": { db: "postgres" },
  "durable worker": { db: "postgres", until: READY },
  "durable worker --concurrency 100": { db: "postgres", until: READY },
  "durable worker --concurrency 100 --grace 30s": { db: "postgres", until: READY },
  "durable worker --concurrency 100 --grace 30s --metrics-port 9464": {
    db: "postgres",
    until: READY,
    swap: { "9464": "0" },
  },
  "durable worker --metrics-port 9464": { db: "postgres", until: READY, swap: { "9464": "0" } },
};

/** Splits a command line as sh does for these docs: spaces, and single or double quotes. */
function words(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? "");
}

function argsOf(command: DocCommand, c: Case): string[] {
  let text = command.text;
  for (const [from, to] of Object.entries(c.fill ?? {})) text = text.replaceAll(from, to);
  const args = words(text)
    .slice(1)
    .map((w) => c.swap?.[w] ?? w);
  return [...args, ...(c.add ?? [])];
}

async function runCase(project: Project, command: DocCommand, c: Case, env: NodeJS.ProcessEnv = {}) {
  // A database URL the docs leave to the reader (`"$PRODUCTION_DATABASE_URL"`) is the test's.
  const args = argsOf(command, c).map((a) => (a.startsWith("$") ? (env.DATABASE_URL ?? a) : a));
  const where = `${command.where}: ${command.text}`;
  const target = { ...project, env: { ...project.env, ...env } };
  if (c.help) {
    const help = await cli(target, args[0] ?? "", "--help");
    expect(help.code, where).toBe(0);
    return;
  }
  if (!c.until) {
    const result = await cli(target, ...args);
    expect(result.code, `${where}\n${result.stderr}`).toBe(0);
    return result;
  }
  const running = spawnCli(target, args);
  try {
    await eventually(where, async () => {
      const { stdout, stderr, code } = running.output();
      if (code !== null) throw new Error(`exited ${code}: ${stderr}`);
      return c.until?.test(`${stdout}\n${stderr}`) ? true : undefined;
    });
    running.child.kill("SIGINT");
    expect((await running.done).code, where).toBe(0);
  } finally {
    if (running.output().code === null) running.child.kill("SIGKILL");
  }
}

const commands = allDocCommands(ROOT);
const runnable = [...new Map(commands.filter((c) => !c.synopsis).map((c) => [c.text, c])).values()];

describe("the durable commands of README.md and docs/*.md", () => {
  it("are each covered here (a new command in the docs needs a case)", () => {
    expect(runnable.map((c) => c.text).sort()).toEqual(Object.keys(CASES).sort());
  });

  it("name only commands and flags that exist, in the README's command table", async () => {
    const project = await makeProject();
    try {
      const synopses = commands.filter((c) => c.synopsis);
      expect(synopses.length).toBeGreaterThan(10);
      const helps = new Map<string, string>();
      for (const synopsis of synopses) {
        const name = words(synopsis.text)[1] ?? "";
        if (!helps.has(name)) {
          const help = await cli(project, name, "--help");
          expect(help.code, `${synopsis.where}: ${name}`).toBe(0);
          helps.set(name, help.stdout);
        }
        for (const flag of synopsis.text.match(/--[a-z-]+|-o\b/g) ?? []) {
          expect(helps.get(name), `${synopsis.where}: ${flag}`).toContain(flag);
        }
      }
    } finally {
      await project.remove();
    }
  });
});

describe("the docs' commands on the embedded database, beside durable dev with the repository's config", () => {
  let project: Project;
  let dev: ReturnType<typeof spawnCli>;

  beforeAll(async () => {
    // The repository's own durable.config.ts (the examples and their dev.runs), plus the test fixtures.
    project = await makeProject({
      config: `...root, workflows: [...root.workflows.map((w) => ${JSON.stringify(ROOT)} + "/" + w), ${JSON.stringify(FIXTURES)}],`,
    });
    const { writeFile, readFile } = await import("node:fs/promises");
    const file = join(project.dir, "durable.config.ts");
    const text = await readFile(file, "utf8");
    await writeFile(
      file,
      `import root from ${JSON.stringify(join(ROOT, "durable.config.ts"))};\n${text.replace(/workflows: \[[^\n]*\],\n/, "")}`,
    );
    await mkdir(join(project.dir, "test", "fixtures", "journals"), { recursive: true });
    const devCase = CASES["durable dev"] as Case;
    dev = spawnCli(project, ["dev"]);
    await eventually("durable dev", async () => {
      const { stdout, stderr, code } = dev.output();
      if (code !== null) throw new Error(`dev exited ${code}: ${stderr}`);
      return devCase.until?.test(stdout) ? true : undefined;
    });
    await runReaches(project, "dev:hello", ["completed"]);
    await runReaches(project, "dev:approval:2", ["suspended"]);
    expect((await cli(project, "start", "always-fails", "--id", "docs:fails", "--wait")).code).toBe(1);
  });

  afterAll(async () => {
    if (dev && dev.output().code === null) {
      dev.child.kill("SIGINT");
      await dev.done;
    }
    await project?.remove();
  });

  it("runs each of them with exit 0, while durable dev holds the database", async () => {
    const sendEvent = runnable.find((c) => c.text.startsWith("durable send-event"));
    expect(sendEvent?.where).toMatch(/^README\.md:/);
    for (const command of runnable) {
      const c = CASES[command.text];
      if (c?.db !== "embedded" || command.text === "durable dev") continue;
      await runCase(project, command, c, command.env);
    }
    // The README's event is the one the approval example's schema accepts, and it completes the run.
    const shown = await cliJson<{ run: RunJson }>(project, "show", "dev:approval:2", "--json");
    expect(shown.run.status).toBe("completed");
    expect(shown.run.output).toEqual({ status: "approved", by: "ann" });
  });

  it("stops durable dev with Ctrl-C, and a restart carries on with the same runs", async () => {
    const before = (await cliJson<RunJson[]>(project, "runs", "--json", "--limit", "1000")).map((r) => r.id);
    dev.child.kill("SIGINT");
    expect((await dev.done).code).toBe(0);
    await runCase(
      project,
      runnable.find((c) => c.text === "durable dev") as DocCommand,
      CASES["durable dev"] as Case,
    );
    const after = (await cliJson<RunJson[]>(project, "runs", "--json", "--limit", "1000")).map((r) => r.id);
    expect(after.sort()).toEqual(before.sort());
  });
});

describe.runIf(SERVER)("the docs' commands on Postgres", () => {
  let database: Awaited<ReturnType<typeof createDatabase>>;
  let project: Project;

  beforeAll(async () => {
    database = await createDatabase(SERVER ?? "");
    project = await makeProject();
  });

  afterAll(async () => {
    await project?.remove();
    await database?.drop();
  });

  it("runs each of them with the test server in place of the docs' DATABASE_URL", async () => {
    const onPostgres = runnable.filter((c) => CASES[c.text]?.db === "postgres");
    expect(onPostgres.length).toBeGreaterThan(3);
    expect(onPostgres.filter((c) => c.env.DATABASE_URL?.startsWith("postgres://")).length).toBeGreaterThan(2);
    for (const command of onPostgres) {
      await runCase(project, command, CASES[command.text] as Case, {
        ...command.env,
        DATABASE_URL: database.url,
      });
    }
  });
});
