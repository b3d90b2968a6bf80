import { type ChildProcess, spawn } from "node:child_process";

/**
 * Starts a TypeScript script in its own Node process (through tsx) and resolves once it prints `ready`;
 * rejects if it exits first.
 * @example
 * const worker = await spawnReady(fileURLToPath(new URL("./ledger-worker.ts", import.meta.url)), url);
 */
export function spawnReady(script: string, ...args: string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => chunk.toString().includes("ready") && resolve(child));
    child.on("exit", (code) => reject(new Error(`${script} exited ${code} before it was ready`)));
  });
}
