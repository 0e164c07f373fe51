// How the relation graph draws its edges and where their labels go.
//
// Edges run from a card's right side to a later card's left side. A backward edge (a cycle, or a
// relation back to an earlier layer, such as an API's provider next to the Component's
// providesApi) drawn the same way would run straight through both cards, so it leaves the source
// card's bottom and enters the target card's bottom, bowing below them.
//
// Every label at its edge's midpoint piles labels on one another where edges cross or converge
// on one node (several Components pointing at one System), so each label slides along its own
// curve to the first spot where it covers no label placed before it and no card.

export interface Point {
  x: number;
  y: number;
}

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The size of a card of the graph. */
export const CARD = { width: 210, height: 58 };

/**
 * The edge's cubic curve (start, two control points, end), given the positions of its source
 * handle `s` (the source card's right side, at mid-height) and target handle `t` (the target
 * card's left side, at mid-height).
 */
function curve(s: Point, t: Point): [Point, Point, Point, Point] {
  if (t.x >= s.x + 10) {
    const bend = (t.x - s.x) / 2;
    return [s, { x: s.x + bend, y: s.y }, { x: t.x - bend, y: t.y }, t];
  }
  const start = { x: s.x - CARD.width / 2, y: s.y + CARD.height / 2 };
  const end = { x: t.x + CARD.width / 2, y: t.y + CARD.height / 2 };
  const bow = 40 + 0.15 * Math.abs(start.x - end.x);
  return [start, { x: start.x, y: Math.max(start.y, end.y) + bow }, { x: end.x, y: Math.max(start.y, end.y) + bow }, end];
}

/** The SVG path of the edge between handles `s` and `t`. */
export function edgePath(s: Point, t: Point): string {
  const [a, b, c, d] = curve(s, t);
  return `M${a.x},${a.y} C${b.x},${b.y} ${c.x},${c.y} ${d.x},${d.y}`;
}

/** The point at `u` (0 at the source, 1 at the target) on edgePath(s, t). */
export function pointOnEdge(s: Point, t: Point, u: number): Point {
  const [p0, p1, p2, p3] = curve(s, t);
  const v = 1 - u;
  const k = [v * v * v, 3 * v * v * u, 3 * v * u * u, u * u * u] as const;
  return { x: k[0] * p0.x + k[1] * p1.x + k[2] * p2.x + k[3] * p3.x, y: k[0] * p0.y + k[1] * p1.y + k[2] * p2.y + k[3] * p3.y };
}

const LABEL_HEIGHT = 16;
/** An 11px label's width: about 6.2px per character plus its padding. */
export const labelWidth = (text: string) => Math.ceil(text.length * 6.2) + 8;

/** Positions tried along an edge, the middle first. */
const CANDIDATES = [0.5, 0.38, 0.62, 0.28, 0.72, 0.2, 0.8, 0.14, 0.86];

const overlap = (a: Box, b: Box) => Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x)) * Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));

/**
 * For each labelled edge, the position along it (see pointOnEdge) of its label: the first
 * candidate whose box overlaps no label placed before it and no node, else the least covered one.
 */
export function placeEdgeLabels(edges: { id: string; source: Point; target: Point; label: string }[], nodes: Box[]): Map<string, number> {
  const placed: Box[] = [];
  const out = new Map<string, number>();
  for (const e of edges) {
    const w = labelWidth(e.label);
    let best = { u: 0.5, cost: Number.POSITIVE_INFINITY, box: null as Box | null };
    for (const u of CANDIDATES) {
      const p = pointOnEdge(e.source, e.target, u);
      const box = { x: p.x - w / 2, y: p.y - LABEL_HEIGHT / 2, w, h: LABEL_HEIGHT };
      const cost = [...placed, ...nodes].reduce((sum, other) => sum + overlap(box, other), 0);
      if (cost < best.cost) best = { u, cost, box };
      if (cost === 0) break;
    }
    placed.push(best.box!);
    out.set(e.id, best.u);
  }
  return out;
}
