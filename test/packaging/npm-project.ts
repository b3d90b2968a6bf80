import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

/** The repository's root. */
export const REPO = resolve(fileURLToPath(new URL(".", import.meta.url)), "../..");

/** The published packages, by workspace directory. */
export const PUBLIC_PACKAGES = {
  core: "@durable/core",
  postgres: "@durable/postgres",
  testing: "@durable/testing",
  dashboard: "@durable/dashboard",
  cli: "@durable/cli",
  "create-durable": "create-durable",
} as const;

/** What a finished command left. */
export interface Output {
  code: number;
  stdout: string;
  stderr: string;
}

const run = promisify(execFile);

/**
 * The environment of a command in a project outside the repository: none of the `npm_*` variables that
 * `npm test` set for the monorepo (they would point npm back at the workspace), no DATABASE_URL (the
 * project uses its embedded database), no colour.
 */
export function outsideEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { NO_COLOR: "1" };
  for (const [key, value] of Object.entries(process.env)) {
    const kept = ["npm_config_cache", "npm_config_registry", "npm_config_userconfig"].includes(key);
    if (key.startsWith("npm_") && !kept) continue;
    if (
      ["DATABASE_URL", "FORCE_COLOR", "DURABLE_LOG_LEVEL", "INIT_CWD", "VITEST", "NODE_ENV"].includes(key)
    ) {
      continue;
    }
    if (key.startsWith("VITEST_") || key.startsWith("TURBO_")) continue;
    env[key] = value;
  }
  return env;
}

/** Runs a command to its end; never throws for a non-zero exit. */
export async function exec(
  cwd: string,
  command: string,
  args: string[],
  timeoutMs = 120_000,
): Promise<Output> {
  try {
    const { stdout, stderr } = await run(command, args, { cwd, env: outsideEnv(), timeout: timeoutMs });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number | string; stdout?: string; stderr?: string; message: string };
    const code = typeof failed.code === "number" ? failed.code : 1;
    return { code, stdout: failed.stdout ?? "", stderr: failed.stderr ?? failed.message };
  }
}

/** Runs a command and fails, with its output, unless it exits 0. */
export async function execOk(
  cwd: string,
  command: string,
  args: string[],
  timeoutMs?: number,
): Promise<string> {
  const result = await exec(cwd, command, args, timeoutMs);
  if (result.code !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} in ${cwd} exited ${result.code}\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result.stdout;
}

/** A temp directory outside the repository, refused if the system's temp directory is inside it. */
export async function outsideDir(prefix: string): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  if (!relative(REPO, dir).startsWith("..")) throw new Error(`${dir} is inside the repository ${REPO}`);
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** `npm install` that takes what the local cache has: only third-party packages come from the registry. */
export function npmInstall(cwd: string, specs: string[]): Promise<string> {
  return execOk(cwd, "npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", ...specs], 180_000);
}

/** A process started in the background, in its own process group (whatever it spawns is stopped with it). */
export interface Background {
  child: ChildProcess;
  output(): { stdout: string; stderr: string; code: number | null };
  /** SIGTERM, then waits for the exit (SIGKILL to the whole group after `graceMs`). */
  stop(graceMs?: number): Promise<number | null>;
}

/** Starts `command args` in `cwd` in the background, collecting its output. */
export function background(cwd: string, command: string, args: string[]): Background {
  const child = spawn(command, args, {
    cwd,
    env: outsideEnv(),
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const seen = { stdout: "", stderr: "", code: null as number | null };
  child.stdout?.on("data", (chunk: Buffer) => {
    seen.stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    seen.stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((done) => {
    child.on("close", (code) => {
      seen.code = code;
      done(code);
    });
  });
  const signal = (name: NodeJS.Signals, group: boolean) => {
    if (child.pid !== undefined && seen.code === null) {
      try {
        process.kill(group ? -child.pid : child.pid, name);
      } catch {
        // The group is gone already.
      }
    }
  };
  return {
    child,
    output: () => seen,
    async stop(graceMs = 20_000) {
      // A graceful stop first, so the exit code says whether it drained; the group is killed only if it hangs.
      signal("SIGTERM", false);
      const timer = setTimeout(() => signal("SIGKILL", true), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** Every file under `dir`, relative to it, sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

/** A JSON file's contents. */
export async function readJson<T = Record<string, unknown>>(file: string): Promise<T> {
  return JSON.parse(await readFile(file, "utf8")) as T;
}
