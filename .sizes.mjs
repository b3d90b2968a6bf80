import ts from "typescript";
import { readFileSync } from "node:fs";
import { execSync } from "node:child_process";
const files = execSync("git ls-files 'packages/*/src/**.ts' 'packages/*/src/*.ts'", { encoding: "utf8" }).split("\n").filter((f) => f && !f.includes(".test.") && !f.endsWith(".d.ts") && !f.includes("__tests__"));
const bigFiles = [], bigFns = [];
for (const f of files) {
  const text = readFileSync(f, "utf8");
  const lines = text.split("\n").length;
  if (lines > 400) bigFiles.push([f, lines]);
  const sf = ts.createSourceFile(f, text, ts.ScriptTarget.Latest, true);
  const visit = (n) => {
    if (ts.isFunctionLike(n) && n.body) {
      const a = sf.getLineAndCharacterOfPosition(n.getStart()).line, b = sf.getLineAndCharacterOfPosition(n.end).line;
      const len = b - a + 1;
      if (len > Number(process.argv[2] ?? 80)) bigFns.push([f, a + 1, len, n.name?.getText?.() ?? "(anon)"]);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
}
console.log("files > 400:", bigFiles);
console.log("functions >", process.argv[2] ?? 80, ":", bigFns);
