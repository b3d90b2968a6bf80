// `npm run bench:peers`: ../shared/peers-bench/side-by-side.mjs against this checkout, then durable ÷ the
// best peer per workload from the medians of that one run. The peers' folder is never written: without
// node_modules it is copied to a temporary directory and installed there with `npm ci`.
// Flags: --reps=N (default 3) · --from=<log> (only summarise a saved side-by-side output)
// PEERS_BENCH names the peers' folder (default: the nearest shared/peers-bench beside the checkout or a parent).
import { execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { peerRatios } from "./peer-ratios.js";

const checkout = resolve(fileURLToPath(new URL("../../..", import.meta.url)));
const flag = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

/** PEERS_BENCH, else the nearest `shared/peers-bench` beside the checkout or one of its parents. */
function peersFolder(): string {
  if (process.env.PEERS_BENCH) return resolve(process.env.PEERS_BENCH);
  for (let dir = dirname(checkout); ; dir = dirname(dir)) {
    const candidate = join(dir, "shared", "peers-bench");
    if (existsSync(candidate) || dirname(dir) === dir) return candidate;
  }
}

function preparedPeers(): { dir: string; cleanup: () => void } {
  const source = peersFolder();
  if (!existsSync(join(source, "side-by-side.mjs")))
    throw new Error(`no side-by-side.mjs in ${source}: set PEERS_BENCH to the peers-bench folder`);
  if (existsSync(join(source, "node_modules"))) return { dir: source, cleanup: () => {} };
  const copy = mkdtempSync(join(tmpdir(), "peers-bench-"));
  cpSync(source, copy, { recursive: true });
  console.log(`peers-bench has no node_modules: installing a copy in ${copy}`);
  execFileSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: copy, stdio: "inherit" });
  return { dir: copy, cleanup: () => rmSync(copy, { recursive: true, force: true }) };
}

function sideBySide(dir: string, reps: string): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(dir, "side-by-side.mjs"), `--reps=${reps}`], {
      env: { ...process.env, DURABLE_ROOT: checkout },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      process.stdout.write(chunk);
    });
    child.on("error", fail);
    child.on("close", (code) =>
      code === 0 ? done(out) : fail(new Error(`side-by-side.mjs exited with ${code}`)),
    );
  });
}

const from = flag("from");
let log: string;
if (from) log = readFileSync(from, "utf8");
else {
  execFileSync("npm", ["run", "build"], { cwd: checkout, stdio: "inherit" });
  const peers = preparedPeers();
  try {
    log = await sideBySide(peers.dir, flag("reps") ?? "3");
  } finally {
    peers.cleanup();
  }
}
console.log(peerRatios(log).join("\n"));
