import type { Point } from './elk-layout.ts';

// How the relation graph draws an edge once someone has dragged one of its cards away from where
// the layout put it (the layout's route no longer fits; see elk-layout.ts for the routed edges).
//
// Edges run from a card's right side to a later card's left side. A backward edge (a cycle, or a
// relation back to an earlier layer, such as an API's provider next to the Component's
// providesApi) drawn the same way would run straight through both cards, so it leaves the source
// card's bottom and enters the target card's bottom, bowing below them.

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
