import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** A `durable` command as a doc shows it. */
export interface DocCommand {
  /** The command as written, without `npx`, environment assignments or a trailing comment. */
  text: string;
  /** Where: `README.md:12`. */
  where: string;
  /** From a row of a command table (a synopsis with `[options]`), rather than a command to run as is. */
  synopsis: boolean;
  /** The environment assignments written before it (`DATABASE_URL=...`). */
  env: Record<string, string>;
}

// `durable` and a subcommand, maybe after `npx` and environment assignments (the bare name is the project's).
const COMMAND = /^(?:(?:[A-Z_]+=\S+\s+)*)(?:npx\s+)?durable\s+[a-z].*$/;

function normalise(raw: string): { text: string; env: Record<string, string> } | undefined {
  const line = raw
    .replace(/\s+#\s.*$/, "")
    .replace(/\s+/g, " ")
    .trim();
  if (!COMMAND.test(line)) return undefined;
  const env: Record<string, string> = {};
  let rest = line;
  for (let m = /^([A-Z_]+)=(\S+)\s+/.exec(rest); m; m = /^([A-Z_]+)=(\S+)\s+/.exec(rest)) {
    env[m[1] as string] = m[2] as string;
    rest = rest.slice(m[0].length);
  }
  return { text: rest.replace(/^npx /, ""), env };
}

/**
 * The `durable` commands in a markdown file: each line of a `sh` code block, and each inline code span
 * (in prose or in a table) that is a `durable` command.
 */
export function docCommands(file: string, name: string): DocCommand[] {
  const text = readFileSync(file, "utf8");
  const found: DocCommand[] = [];
  const lines = text.split("\n");
  let fence: string | undefined;
  let exported: Record<string, string> = {};
  for (const [index, line] of lines.entries()) {
    const where = `${name}:${index + 1}`;
    const opening = /^```(\w*)/.exec(line);
    if (opening) {
      fence = fence === undefined ? (opening[1] ?? "") : undefined;
      exported = {};
      continue;
    }
    if (fence !== undefined) {
      if (fence !== "sh") continue;
      const assignment = /^export ([A-Z_]+)=(\S+)/.exec(line);
      if (assignment) exported[assignment[1] as string] = assignment[2] as string;
      const command = normalise(line);
      if (command) found.push({ ...command, env: { ...exported, ...command.env }, where, synopsis: false });
    }
  }
  // Inline code, which may wrap across lines; fenced blocks removed first.
  const prose = text.replace(/^```[\s\S]*?^```/gm, (block) => block.replace(/[^\n]/g, " "));
  // Code spans stay within a paragraph: an unmatched backtick must not pair with one further on.
  let offset = 0;
  for (const paragraph of prose.split(/(\n\s*\n)/)) {
    for (const match of paragraph.matchAll(/`([^`]+)`/g)) {
      const command = normalise(match[1] ?? "");
      if (!command) continue;
      const lineNo = prose.slice(0, offset + (match.index ?? 0)).split("\n").length;
      const row = lines[lineNo - 1]?.startsWith("|") ?? false;
      found.push({ ...command, where: `${name}:${lineNo}`, synopsis: row });
    }
    offset += paragraph.length;
  }
  return found;
}

/** The commands of README.md and docs/*.md. */
export function allDocCommands(root: string): DocCommand[] {
  const docs = readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md"));
  return [
    ...docCommands(join(root, "README.md"), "README.md"),
    ...docs.flatMap((f) => docCommands(join(root, "docs", f), `docs/${f}`)),
  ];
}
