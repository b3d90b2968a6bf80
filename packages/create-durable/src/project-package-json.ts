import { readFileSync } from "node:fs";

/**
 * The version of every durable package: they are released together, so this package's version is theirs.
 * @example
 * `@durable/core@^${DURABLE_VERSION}`; // "@durable/core@^0.1.0"
 */
export const DURABLE_VERSION = (
  JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }
).version;

/**
 * Every package of durable that is published, in the order a project lists them.
 * @example
 * for (const name of PUBLIC_PACKAGES) console.log(name); // "@durable/core", ...
 */
export const PUBLIC_PACKAGES = [
  "@durable/core",
  "@durable/cli",
  "@durable/testing",
  "@durable/postgres",
  "@durable/dashboard",
  "create-durable",
] as const;

/**
 * The third-party ranges a new project starts with: the ones durable itself is built and tested with.
 * @example
 * THIRD_PARTY_RANGES.zod; // "^4.6.7"
 */
export const THIRD_PARTY_RANGES = {
  zod: "^4.6.7",
  "@types/node": "^20.19.43",
  "fast-check": "^4.10.2",
  typescript: "^5.9.3",
  vitest: "^3.2.7",
} as const;

/** A package.json's dependency maps. */
type Dependencies = Record<string, string>;

/**
 * The new project's package.json: `@durable/*` at this release (`^0.1.0`), or at the given `file:` specs.
 * The CLI is a dependency, not a dev dependency: `npm run worker` is how the project runs in production.
 * @example
 * projectPackageJson("my-app"); // { name: "my-app", scripts: { dev: "durable dev", ... }, ... }
 */
export function projectPackageJson(name: string, specs: ReadonlyMap<string, string> = new Map()) {
  const durable = (pkg: string) => specs.get(pkg) ?? `^${DURABLE_VERSION}`;
  const dependencies: Dependencies = {
    "@durable/cli": durable("@durable/cli"),
    "@durable/core": durable("@durable/core"),
    zod: THIRD_PARTY_RANGES.zod,
  };
  const devDependencies: Dependencies = {
    "@durable/testing": durable("@durable/testing"),
    "@types/node": THIRD_PARTY_RANGES["@types/node"],
    "fast-check": THIRD_PARTY_RANGES["fast-check"],
    typescript: THIRD_PARTY_RANGES.typescript,
    vitest: THIRD_PARTY_RANGES.vitest,
  };
  // Packages installed from tarballs must all be named, or npm looks the missing ones up in the registry.
  for (const [pkg, spec] of specs) {
    if (!(pkg in dependencies) && !(pkg in devDependencies)) devDependencies[pkg] = spec;
  }
  return {
    name,
    version: "0.1.0",
    private: true,
    type: "module",
    scripts: {
      dev: "durable dev",
      worker: "durable worker",
      test: "vitest run",
      typecheck: "tsc",
    },
    engines: { node: ">=20.12" },
    dependencies: sorted(dependencies),
    devDependencies: sorted(devDependencies),
  };
}

function sorted(deps: Dependencies): Dependencies {
  return Object.fromEntries(Object.entries(deps).sort(([a], [b]) => (a < b ? -1 : 1)));
}
