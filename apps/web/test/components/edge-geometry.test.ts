import { describe, expect, it } from 'vitest';
import { CARD, edgePath, labelWidth, placeEdgeLabels, pointOnEdge, type Point } from '../../src/components/graph/edge-geometry.ts';

// Relation graph labels: each slides along its own edge until it covers no other label and no node.

type E = { id: string; source: Point; target: Point; label: string };
const boxOf = (e: E, u: number) => {
  const p = pointOnEdge(e.source, e.target, u);
  const w = labelWidth(e.label);
  return { x: p.x - w / 2, y: p.y - 8, w, h: 16 };
};
const overlaps = (a: ReturnType<typeof boxOf>, b: ReturnType<typeof boxOf>) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
const anyOverlap = (boxes: ReturnType<typeof boxOf>[]) => boxes.some((a, i) => boxes.some((b, j) => i < j && overlaps(a, b)));

describe('placeEdgeLabels', () => {
  it('runs from the source (0) to the target (1)', () => {
    const s = { x: 10, y: 20 };
    const t = { x: 300, y: 140 };
    expect(pointOnEdge(s, t, 0)).toEqual(s);
    expect(pointOnEdge(s, t, 1)).toEqual(t);
  });

  it('draws a backward edge below the cards, from bottom to bottom, not through them', () => {
    // Source card at x 400..610, target card at x 0..210, both at y 0..58: handles at mid-height.
    const s = { x: 400 + CARD.width, y: CARD.height / 2 };
    const t = { x: 0, y: CARD.height / 2 };
    expect(edgePath(s, t).startsWith(`M${400 + CARD.width / 2},${CARD.height}`)).toBe(true);
    expect(pointOnEdge(s, t, 1)).toEqual({ x: CARD.width / 2, y: CARD.height });
    // Every point of it lies below the cards.
    for (let u = 0; u <= 1; u += 0.05) expect(pointOnEdge(s, t, u).y).toBeGreaterThanOrEqual(CARD.height - 1e-9);
  });

  it('moves apart labels that would meet where edges cross or converge', () => {
    // Two edges crossing between two layers (their midpoints coincide), and three more edges
    // converging on one node from nearby sources.
    const edges: E[] = [
      { id: 'a', source: { x: 0, y: 0 }, target: { x: 300, y: 120 }, label: 'providesApi' },
      { id: 'b', source: { x: 0, y: 120 }, target: { x: 300, y: 0 }, label: 'consumesApi' },
      { id: 'c', source: { x: 0, y: 300 }, target: { x: 300, y: 330 }, label: 'system' },
      { id: 'd', source: { x: 0, y: 330 }, target: { x: 300, y: 330 }, label: 'system' },
      { id: 'e', source: { x: 0, y: 360 }, target: { x: 300, y: 330 }, label: 'system' },
    ];
    // The midpoints really collide: the case this exists for.
    expect(anyOverlap(edges.map((e) => boxOf(e, 0.5)))).toBe(true);
    const at = placeEdgeLabels(edges, []);
    expect([...at.keys()]).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(anyOverlap(edges.map((e) => boxOf(e, at.get(e.id)!)))).toBe(false);
    // The first label keeps the middle; the others stay on their edges, away from the ends.
    expect(at.get('a')).toBe(0.5);
    for (const u of at.values()) expect(u).toBeGreaterThan(0.1);
  });

  it('keeps labels off the nodes', () => {
    const edge: E = { id: 'a', source: { x: 0, y: 0 }, target: { x: 400, y: 0 }, label: 'dependsOn' };
    const node = { x: 150, y: -30, w: 100, h: 60 }; // a card lying across the edge's middle
    const u = placeEdgeLabels([edge], [node]).get('a')!;
    expect(u).not.toBe(0.5);
    expect(overlaps(boxOf(edge, u), node)).toBe(false);
  });
});
