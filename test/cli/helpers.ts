import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import pg from "pg";

const here = fileURLToPath(new URL(".", import.meta.url));

/** The built `durable` bin, run with node directly (never through npx, which reports its own exit status). */
export const BIN = resolve(here, "../../packages/cli/dist/bin.js");
/** The fixture workflows every test project registers. */
export const FIXTURES = resolve(here, "fixtures/workflows.ts");
/** The hello example. */
export const HELLO = resolve(here, "../../examples/hello/src/workflows.ts");

/** What a finished `durable` process left. */
export interface Result {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A throwaway project directory with its own durable.config.ts. */
export interface Project {
  dir: string;
  /** The environment its commands run with. */
  env: NodeJS.ProcessEnv;
  remove(): Promise<void>;
}

/**
 * Makes a project in a temp directory whose config registers the fixtures (and whatever `config` adds).
 * `databaseUrl` unset means the embedded database; DATABASE_URL is removed from its commands' environment.
 */
export async function makeProject(options: { databaseUrl?: string; config?: string } = {}): Promise<Project> {
  const dir = await mkdtemp(join(tmpdir(), "durable-cli-"));
  const config = `export default {
  workflows: [${JSON.stringify(FIXTURES)}, ${JSON.stringify(HELLO)}],
  worker: { concurrency: 5 },
  ${options.config ?? ""}
};
`;
  await writeFile(join(dir, "durable.config.ts"), config);
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", DURABLE_LOG_LEVEL: undefined };
  delete env.DATABASE_URL;
  delete env.FORCE_COLOR;
  if (options.databaseUrl !== undefined) env.DATABASE_URL = options.databaseUrl;
  return { dir, env, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Starts `durable <args>` in the project; collects its output. */
export function spawnCli(
  project: Project,
  args: string[],
): { child: ChildProcess; done: Promise<Result>; output: () => Result } {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: project.dir,
    env: project.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const result: Result = { code: null, signal: null, stdout: "", stderr: "" };
  child.stdout?.on("data", (chunk: Buffer) => {
    result.stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    result.stderr += chunk.toString();
  });
  const done = new Promise<Result>((resolveDone) => {
    child.on("close", (code, signal) => {
      result.code = code;
      result.signal = signal;
      resolveDone(result);
    });
  });
  return { child, done, output: () => result };
}

/** Runs `durable <args>` to its end. */
export async function cli(project: Project, ...args: string[]): Promise<Result> {
  return spawnCli(project, args).done;
}

/** Runs `durable <args>`, expects exit 0, returns stdout parsed as JSON. */
export async function cliJson<T>(project: Project, ...args: string[]): Promise<T> {
  const result = await cli(project, ...args);
  if (result.code !== 0) throw new Error(`durable ${args.join(" ")} exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

/** Polls `check` until it returns something other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await delay(200);
  }
}

/** A run as `durable show --json` and `runs --json` print it (dates as strings). */
export interface RunJson {
  id: string;
  workflow: string;
  status: string;
  output?: unknown;
  error?: { name: string; message: string };
  tags: Record<string, string>;
}

/** A journal entry as `durable show --json` prints it. */
export interface EntryJson {
  seq: number;
  kind: string;
  name: string;
  outcome: string;
}

/** Waits until `durable show --json` reports the run in one of `statuses`. */
export function runReaches(project: Project, runId: string, statuses: string[], timeoutMs = 60_000) {
  return eventually(
    `run ${runId} to be ${statuses.join(" or ")}`,
    async () => {
      const shown = await cliJson<{ run: RunJson; journal: EntryJson[] }>(project, "show", runId, "--json");
      return statuses.includes(shown.run.status) ? shown : undefined;
    },
    timeoutMs,
  );
}

/** Starts `durable worker` and waits until it is ready (it logs JSON lines on stderr when piped). */
export async function startWorker(project: Project, ...args: string[]) {
  const worker = spawnCli(project, ["worker", "--log-level", "info", ...args]);
  await eventually("the worker to be ready", async () => {
    const { stderr, code } = worker.output();
    if (code !== null) throw new Error(`the worker exited ${code}: ${stderr}`);
    return stderr.includes('"msg":"worker ready"') ? true : undefined;
  });
  return worker;
}

/** A throwaway database `durable_cli_<random>` on the DATABASE_URL's server. */
export async function createDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `durable_cli_${randomBytes(6).toString("hex")}`;
  await sql(serverUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => sql(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).then(() => {}),
  };
}

/** Runs one statement with a short-lived connection. */
export async function sql<R extends pg.QueryResultRow>(url: string, text: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text)).rows;
  } finally {
    await client.end();
  }
}
