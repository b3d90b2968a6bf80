// Deletes what `tsc -b` left in dist/ for sources that no longer exist (it never removes an output), so a
// package's tarball ships only the build of its current src/. Run by each package's `prepack`.
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join, relative } from "node:path";

const OUTPUT = /\.(d\.ts\.map|d\.ts|js\.map|js)$/;

for (const entry of readdirSync("dist", { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !OUTPUT.test(entry.name)) continue;
  const output = join(entry.parentPath, entry.name);
  const source = join("src", relative("dist", output).replace(OUTPUT, ".ts"));
  if (!existsSync(source)) {
    rmSync(output);
    process.stderr.write(`removed ${output}: no ${source}\n`);
  }
}
