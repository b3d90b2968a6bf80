import { existsSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { execOk, listFiles, PUBLIC_PACKAGES, REPO, readJson } from "./npm-project.js";

/** One package's tarball, unpacked. */
export interface Packed {
  name: string;
  /** The workspace directory under packages/. */
  workspace: string;
  /** The .tgz, absolute. */
  tarball: string;
  /** Where it was unpacked (its `package/` folder). */
  root: string;
  /** Its files, relative to `root`. */
  files: string[];
  manifest: Manifest;
}

/** The package.json fields the checks read. */
export interface Manifest {
  name: string;
  version: string;
  license?: string;
  keywords?: string[];
  homepage?: string;
  bugs?: { url?: string };
  repository?: { type?: string; url?: string; directory?: string };
  publishConfig?: { access?: string };
  files?: string[];
  types?: string;
  exports?: Record<string, { types?: string; default?: string }>;
  engines?: { node?: string };
  bin?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

/** `npm pack`s every public package into `dir` (from the built workspaces) and unpacks each. */
export async function packAll(dir: string): Promise<Packed[]> {
  const workspaces = Object.keys(PUBLIC_PACKAGES).flatMap((w) => ["-w", `packages/${w}`]);
  const out = await execOk(REPO, "npm", ["pack", "--json", "--pack-destination", dir, ...workspaces]);
  const packed = JSON.parse(out) as { name: string; filename: string }[];
  return Promise.all(
    Object.entries(PUBLIC_PACKAGES).map(async ([workspace, name]) => {
      const entry = packed.find((p) => p.name === name);
      if (!entry) throw new Error(`npm pack did not pack ${name}`);
      const tarball = join(dir, entry.filename);
      const into = join(dir, "unpacked", workspace);
      await mkdir(into, { recursive: true });
      await execOk(into, "tar", ["-xzf", tarball]);
      const root = join(into, "package");
      return {
        name,
        workspace,
        tarball,
        root,
        files: await listFiles(root),
        manifest: await readJson<Manifest>(join(root, "package.json")),
      };
    }),
  );
}

/** Source maps of a package whose `sources` are not in the tarball: `map -> missing source`. */
export async function unshippedSources(pkg: Packed): Promise<string[]> {
  const missing: string[] = [];
  for (const file of pkg.files.filter((f) => f.endsWith(".map"))) {
    const map = JSON.parse(await readFile(join(pkg.root, file), "utf8")) as { sources: string[] };
    for (const source of map.sources) {
      if (!existsSync(resolve(pkg.root, dirname(file), source))) missing.push(`${file} -> ${source}`);
    }
  }
  return missing;
}

/** Dependencies that no shipped JavaScript file imports (so they do not run at run time). */
export async function unusedDependencies(pkg: Packed): Promise<string[]> {
  const code = await Promise.all(
    pkg.files.filter((f) => /\.(js|mjs)$/.test(f)).map((f) => readFile(join(pkg.root, f), "utf8")),
  );
  const all = code.join("\n");
  return Object.keys(pkg.manifest.dependencies ?? {}).filter((dep) => {
    const quoted = dep.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    return !new RegExp(`["']${quoted}(/[^"']*)?["']`).test(all);
  });
}
