import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const packages = readdirSync(join(root, "packages")).filter((p) =>
  existsSync(join(root, "packages", p, "src/index.ts")),
);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory())
      return entry.name === "__tests__" || entry.name === "__fixtures__" ? [] : sources(path);
    return entry.name.endsWith(".ts") && !entry.name.includes(".test.") && !entry.name.endsWith(".d.ts")
      ? [path]
      : [];
  });
}

describe("the public API and the size of the code", () => {
  it("documents every exported value of every package's index.ts with an @example", () => {
    const entries = packages.map((p) => join(root, "packages", p, "src/index.ts"));
    const program = ts.createProgram(entries, {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      strict: true,
      noEmit: true,
    });
    const checker = program.getTypeChecker();
    const missing: string[] = [];
    let values = 0;
    for (const entry of entries) {
      const file = program.getSourceFile(entry);
      const module = file && checker.getSymbolAtLocation(file);
      expect(module, entry).toBeDefined();
      for (const exported of checker.getExportsOfModule(module as ts.Symbol)) {
        const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
        if (!(symbol.flags & ts.SymbolFlags.Value)) continue;
        values++;
        if (!symbol.getJsDocTags(checker).some((tag) => tag.name === "example")) {
          missing.push(`${relative(root, entry)}: ${exported.name}`);
        }
      }
    }
    expect(values).toBeGreaterThan(50);
    expect(missing).toEqual([]);
  });

  it("keeps every package's source files at 400 lines or fewer", () => {
    const long = packages
      .flatMap((p) => sources(join(root, "packages", p, "src")))
      .map((path) => ({ path: relative(root, path), lines: readFileSync(path, "utf8").split("\n").length }))
      .filter((f) => f.lines > 400);
    expect(long).toEqual([]);
  });

  it("keeps every function in every package's source at 80 lines or fewer", () => {
    const long: string[] = [];
    const files = readdirSync(join(root, "packages"))
      .filter((p) => existsSync(join(root, "packages", p, "src")))
      .flatMap((p) => sources(join(root, "packages", p, "src")));
    expect(files.length).toBeGreaterThan(50);
    for (const path of files) {
      const file = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node): void => {
        if (ts.isFunctionLike(node) && "body" in node && node.body) {
          const from = file.getLineAndCharacterOfPosition(node.getStart()).line;
          const to = file.getLineAndCharacterOfPosition(node.end).line;
          if (to - from + 1 > 80) long.push(`${relative(root, path)}:${from + 1} (${to - from + 1} lines)`);
        }
        ts.forEachChild(node, visit);
      };
      visit(file);
    }
    expect(long).toEqual([]);
  });
});
