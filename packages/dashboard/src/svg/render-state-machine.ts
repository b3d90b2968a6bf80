import { html, type SafeHtml } from "../html/escape-html.js";
import type { NodeShape, PathModel, PathNode } from "./state-machine.js";

const WIDTH = 460;
const CX = 176;
const NODE_W = 232;
const GAP = 38;
const TOP = 16;

const HEIGHTS: Record<NodeShape, number> = {
  start: 22,
  end: 44,
  compute: 48,
  delay: 48,
  decision: 68,
  event: 48,
  child: 48,
  patch: 34,
  cancel: 48,
  waiting: 48,
};

function cut(text: string, max: number): string {
  const line = text.replace(/\s+/g, " ");
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

function shapeOf(node: PathNode, y: number, h: number): SafeHtml {
  const l = CX - NODE_W / 2;
  const r = CX + NODE_W / 2;
  const mid = y + h / 2;
  switch (node.shape) {
    case "start":
      return html`<circle class="shape" cx="${CX}" cy="${mid}" r="${h / 2}"/>`;
    case "decision":
      return html`<polygon class="shape" points="${CX},${y} ${r},${mid} ${CX},${y + h} ${l},${mid}"/>`;
    case "delay":
      return html`<rect class="shape" x="${l}" y="${y}" width="${NODE_W}" height="${h}" rx="${h / 2}"/>
<g class="glyph"><circle cx="${l + 22}" cy="${mid}" r="9"/><path d="M${l + 22} ${mid - 5}V${mid}h4"/></g>`;
    case "event":
      return html`<polygon class="shape" points="${l},${y} ${r},${y} ${r},${y + h} ${l},${y + h} ${l + 14},${mid}"/>`;
    case "child":
      return html`<rect class="shape" x="${l}" y="${y}" width="${NODE_W}" height="${h}" rx="6"/>
<rect class="shape-inner" x="${l + 4}" y="${y + 4}" width="${NODE_W - 8}" height="${h - 8}" rx="4"/>`;
    case "cancel": {
      const c = 12;
      return html`<polygon class="shape" points="${l + c},${y} ${r - c},${y} ${r},${y + c} ${r},${y + h - c} ${r - c},${y + h} ${l + c},${y + h} ${l},${y + h - c} ${l},${y + c}"/>`;
    }
    case "end":
      return html`<rect class="shape" x="${l}" y="${y}" width="${NODE_W}" height="${h}" rx="${h / 2}"/>
<rect class="shape-inner" x="${l + 3}" y="${y + 3}" width="${NODE_W - 6}" height="${h - 6}" rx="${h / 2 - 3}"/>`;
    default:
      return html`<rect class="shape" x="${l}" y="${y}" width="${NODE_W}" height="${h}" rx="8"/>`;
  }
}

function labelOf(node: PathNode, y: number, h: number): SafeHtml {
  if (node.shape === "start") return html``;
  const inset = node.shape === "delay" ? 14 : 0;
  const room = node.shape === "decision" ? 22 : 30;
  const title = cut(node.title, room);
  const subtitle = cut(node.subtitle, node.shape === "decision" ? 26 : 36);
  const mid = y + h / 2;
  return html`<text class="title" x="${CX + inset}" y="${subtitle ? mid - 3 : mid + 4}" text-anchor="middle">${title}</text>${
    subtitle
      ? html`<text class="subtitle" x="${CX + inset}" y="${mid + 13}" text-anchor="middle">${subtitle}</text>`
      : ""
  }`;
}

function nodeMarkup(node: PathNode, y: number, h: number): SafeHtml {
  const seq =
    node.seq === undefined
      ? ""
      : html`<text class="seq" x="${CX - NODE_W / 2 - 8}" y="${y + h / 2 + 4}" text-anchor="end">#${node.seq}</text>`;
  const tip = [node.title, node.detail].filter(Boolean).join("\n");
  return html`<g class="node node-${node.shape} tone-${node.tone}"${
    node.seq === undefined ? "" : html` data-seq="${node.seq}"`
  }><title>${tip}</title>${shapeOf(node, y, h)}${labelOf(node, y, h)}${seq}</g>`;
}

/**
 * Draws the path as inline SVG: a vertical flow from the start to the end (or to what the run waits for
 * now), compute nodes as boxes, delays as rounded pills with a clock, decisions as diamonds with their
 * value on the edge they leave by, events as flags, children as double boxes; a loop the run went round
 * several times is drawn once with an arrow back and how often. Every text is escaped.
 * @example
 * const svg = renderStateMachine(buildPath(view), `path of run ${view.run.id}`);
 */
export function renderStateMachine(model: PathModel, label: string): SafeHtml {
  const tops: number[] = [];
  let y = TOP;
  for (const node of model.nodes) {
    tops.push(y);
    y += HEIGHTS[node.shape] + GAP;
  }
  const height = y - GAP + TOP + (model.omitted > 0 ? 24 : 0);
  const bottom = (i: number) => (tops[i] as number) + HEIGHTS[(model.nodes[i] as PathNode).shape];
  const edges = model.edges.map((edge) => {
    const y1 = bottom(edge.from);
    const y2 = (tops[edge.to] as number) - 2;
    const labelY = (y1 + y2) / 2 + 4;
    return html`<g class="edge${edge.tone ? ` tone-${edge.tone}` : ""}"><line x1="${CX}" y1="${y1}" x2="${CX}" y2="${y2}" marker-end="url(#arrow)"/>${
      edge.label
        ? html`<text class="edge-label" x="${CX + 9}" y="${labelY}">${cut(edge.label, 20)}</text>`
        : ""
    }</g>`;
  });
  const loops = model.loops.map((loop, i) => {
    const x = CX + NODE_W / 2 + 22 + (i % 2) * 10;
    const from = bottom(loop.last) - HEIGHTS[(model.nodes[loop.last] as PathNode).shape] / 2;
    const to = (tops[loop.first] as number) + HEIGHTS[(model.nodes[loop.first] as PathNode).shape] / 2;
    const start = CX + NODE_W / 2;
    const path =
      loop.first === loop.last
        ? `M${start} ${from + 8} C${x + 24} ${from + 18}, ${x + 24} ${to - 18}, ${start + 2} ${to - 8}`
        : `M${start} ${from} H${x} V${to} H${start + 4}`;
    return html`<g class="loop"><path d="${path}" marker-end="url(#arrow)"/><text class="loop-label" x="${x + 8}" y="${(from + to) / 2 + 4}">×${loop.times}</text></g>`;
  });
  const nodes = model.nodes.map((node, i) => nodeMarkup(node, tops[i] as number, HEIGHTS[node.shape]));
  const omitted =
    model.omitted > 0
      ? html`<text class="subtitle" x="${CX}" y="${height - 10}" text-anchor="middle">… and ${model.omitted} more entries</text>`
      : "";
  return html`<svg class="state-machine" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${label}" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z"/></marker></defs>
${edges}${loops}${nodes}${omitted}</svg>`;
}
