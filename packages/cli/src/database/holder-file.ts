import { randomBytes } from "node:crypto";
import { link, mkdir, readFile, rename, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** Who holds an embedded database directory, as recorded in `<dir>/server.json`. */
export interface HolderInfo {
  pid: number;
  /** `serving`: a worker or dev serves it on `port`; `direct`: a short command has it open for a moment. */
  role: "serving" | "direct";
  /** The `durable` command that holds it. */
  command: string;
  port?: number;
  since: string;
}

/** A claim on the directory, held until released. */
export interface HolderClaim {
  /** Records the port the database is served on. */
  setPort(port: number): Promise<void>;
  release(): Promise<void>;
}

/** The file that records the holder. */
export function holderFile(dir: string): string {
  return join(dir, "server.json");
}

/**
 * True when a process with this id exists (it may belong to someone else).
 * @example
 * isAlive(process.pid); // true
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

function parse(text: string): HolderInfo | undefined {
  try {
    const value = JSON.parse(text) as Partial<HolderInfo>;
    return typeof value.pid === "number" ? (value as HolderInfo) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The live holder of `dir`, if any. A record left by a process that has died (or an unreadable one) is
 * removed.
 * @example
 * const holder = await readHolder(".durable"); // { pid: 4242, role: "serving", port: 51234, ... }
 */
export async function readHolder(dir: string): Promise<HolderInfo | undefined> {
  const file = holderFile(dir);
  const text = await readText(file);
  if (text === undefined) return undefined;
  const holder = parse(text);
  if (holder && isAlive(holder.pid)) return holder;
  // Re-read right before removing, so a record that a new holder has just put in its place survives.
  if ((await readText(file)) === text) await unlink(file).catch(() => {});
  return undefined;
}

async function writeAtomically(file: string, info: HolderInfo, replace: boolean): Promise<boolean> {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(temp, `${JSON.stringify(info)}\n`);
  try {
    if (replace) await rename(temp, file);
    else await link(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    if (!replace) await unlink(temp).catch(() => {});
  }
}

/**
 * Claims `dir` for this process: creates `server.json` atomically (a hard link of a complete file), or
 * returns the live holder that has it.
 * @example
 * const claim = await claimHolder(".durable", { role: "serving", command: "worker" });
 * if ("holder" in claim) console.error(`held by pid ${claim.holder.pid}`);
 */
export async function claimHolder(
  dir: string,
  wanted: { role: HolderInfo["role"]; command: string },
): Promise<HolderClaim | { holder: HolderInfo }> {
  await mkdir(dir, { recursive: true });
  const file = holderFile(dir);
  let info: HolderInfo = { pid: process.pid, ...wanted, since: new Date().toISOString() };
  for (;;) {
    if (await writeAtomically(file, info, false)) break;
    const holder = await readHolder(dir);
    if (holder) return { holder };
  }
  return {
    setPort: async (port) => {
      info = { ...info, port };
      await writeAtomically(file, info, true);
    },
    release: async () => {
      const current = await readText(file);
      if (current !== undefined && parse(current)?.pid === process.pid) await unlink(file).catch(() => {});
    },
  };
}
