import Table from "cli-table3";

// No borders: columns separated by two spaces, so the output reads well and greps well.
const NO_BORDERS = {
  top: "",
  "top-mid": "",
  "top-left": "",
  "top-right": "",
  bottom: "",
  "bottom-mid": "",
  "bottom-left": "",
  "bottom-right": "",
  left: "",
  "left-mid": "",
  mid: "",
  "mid-mid": "",
  right: "",
  "right-mid": "",
  middle: "  ",
};

/**
 * Lays out rows under a header as aligned columns (cli-table3, ANSI-aware widths).
 * @example
 * renderTable(["ID", "STATUS"], [["r1", "completed"]]);
 */
export function renderTable(head: string[], rows: string[][]): string {
  const table = new Table({
    head,
    chars: NO_BORDERS,
    style: { head: [], border: [], "padding-left": 0, "padding-right": 0, compact: true },
  });
  table.push(...rows);
  return `${table
    .toString()
    .split("\n")
    .map((line) => line.trimEnd())
    .join("\n")}\n`;
}
