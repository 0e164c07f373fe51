import { describe, expect, it } from 'vitest';
import { CARD, edgePath, pointOnEdge } from '../../src/components/graph/edge-geometry.ts';

// The relation graph's edges once a card has been dragged off the layout's route.

describe('edge geometry for dragged cards', () => {
  it('runs from the source handle (0) to the target handle (1)', () => {
    const s = { x: 10, y: 20 };
    const t = { x: 300, y: 140 };
    expect(pointOnEdge(s, t, 0)).toEqual(s);
    expect(pointOnEdge(s, t, 1)).toEqual(t);
    expect(edgePath(s, t)).toBe('M10,20 C155,20 155,140 300,140');
  });

  it('draws a backward edge below the cards, from bottom to bottom, not through them', () => {
    // Source card at x 400..610, target card at x 0..210, both at y 0..58: handles at mid-height.
    const s = { x: 400 + CARD.width, y: CARD.height / 2 };
    const t = { x: 0, y: CARD.height / 2 };
    expect(edgePath(s, t).startsWith(`M${400 + CARD.width / 2},${CARD.height}`)).toBe(true);
    expect(pointOnEdge(s, t, 1)).toEqual({ x: CARD.width / 2, y: CARD.height });
    for (let u = 0; u <= 1; u += 0.05) expect(pointOnEdge(s, t, u).y).toBeGreaterThanOrEqual(CARD.height - 1e-9);
  });
});
