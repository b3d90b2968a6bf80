import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { claimHolder, holderFile, isAlive, readHolder } from "./holder-file.js";

describe("the holder of an embedded database directory", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "durable-holder-"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("records this process with its port, and removes the record on release", async () => {
    const claim = await claimHolder(dir, { role: "serving", command: "worker" });
    if ("holder" in claim) throw new Error("expected the claim");
    await claim.setPort(5433);
    expect(await readHolder(dir)).toMatchObject({
      pid: process.pid,
      role: "serving",
      command: "worker",
      port: 5433,
    });
    await claim.release();
    expect(await readHolder(dir)).toBeUndefined();
  });

  it("answers a second claim with the live holder", async () => {
    const first = await claimHolder(dir, { role: "serving", command: "worker" });
    const second = await claimHolder(dir, { role: "direct", command: "runs" });
    expect(second).toEqual({ holder: expect.objectContaining({ pid: process.pid, command: "worker" }) });
    if (!("holder" in first)) await first.release();
  });

  it("removes a record left by a process that has died, and an unreadable one", async () => {
    await writeFile(
      holderFile(dir),
      JSON.stringify({ pid: 2 ** 22 + 1, role: "serving", command: "worker" }),
    );
    expect(isAlive(2 ** 22 + 1)).toBe(false);
    expect(await readHolder(dir)).toBeUndefined();
    await writeFile(holderFile(dir), "{half");
    const claim = await claimHolder(dir, { role: "direct", command: "runs" });
    expect("holder" in claim).toBe(false);
    expect(JSON.parse(await readFile(holderFile(dir), "utf8"))).toMatchObject({
      pid: process.pid,
      role: "direct",
    });
  });

  it("leaves another holder's record alone on release", async () => {
    const claim = await claimHolder(dir, { role: "direct", command: "runs" });
    if ("holder" in claim) throw new Error("expected the claim");
    await writeFile(
      holderFile(dir),
      JSON.stringify({ pid: process.ppid, role: "serving", command: "worker" }),
    );
    await claim.release();
    expect(await readHolder(dir)).toMatchObject({ pid: process.ppid });
  });
});
