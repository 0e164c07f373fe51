import { describe, expect, it } from 'vitest';
import { layoutGraph, splinePath, type Box } from '../../src/components/graph/elk-layout.ts';

// The relation graph's layout (real ELK): cards, routes and labels must not pile up where edges
// converge on one node, cross, or run back against the layers.

const overlaps = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

describe('layoutGraph', () => {
  it('gives every label a place clear of other labels and of every card', async () => {
    const card = (id: string) => ({ id, width: 210, height: 58 });
    const nodes = ['api', 'svc', 'lib1', 'lib2', 'db', 'sys', 'dom'].map(card);
    const edges = [
      { id: 'e1', source: 'svc', target: 'api', label: 'providesApi' },
      { id: 'e2', source: 'api', target: 'svc', label: 'provider' }, // back against the first
      { id: 'e3', source: 'svc', target: 'lib1', label: 'components' },
      { id: 'e4', source: 'svc', target: 'lib2', label: 'components' },
      { id: 'e5', source: 'svc', target: 'db', label: 'resources' },
      // Five edges converging on one System, one of them skipping a layer.
      { id: 'e6', source: 'svc', target: 'sys', label: 'system' },
      { id: 'e7', source: 'lib1', target: 'sys', label: 'system' },
      { id: 'e8', source: 'lib2', target: 'sys', label: 'system' },
      { id: 'e9', source: 'db', target: 'sys', label: 'system' },
      { id: 'e10', source: 'sys', target: 'dom', label: 'domain' },
      { id: 'gone', source: 'sys', target: 'not-drawn', label: 'x' },
    ];
    const layout = await layoutGraph(nodes, edges);
    expect([...layout.nodes.keys()].sort()).toEqual(nodes.map((n) => n.id).sort());
    expect(layout.edges.has('gone')).toBe(false);
    const cards = nodes.map((n) => ({ ...layout.nodes.get(n.id)!, w: n.width, h: n.height }));
    const labels = edges.filter((e) => e.id !== 'gone').map((e) => layout.edges.get(e.id)!.label!);
    expect(labels).toHaveLength(10);
    for (const [i, a] of labels.entries()) {
      expect(a.w).toBeGreaterThan(0);
      for (const b of labels.slice(i + 1)) expect(overlaps(a, b), JSON.stringify([a, b])).toBe(false);
      for (const c of cards) expect(overlaps(a, c), JSON.stringify([a, c])).toBe(false);
    }
    // Cards do not overlap either.
    for (const [i, a] of cards.entries()) for (const b of cards.slice(i + 1)) expect(overlaps(a, b)).toBe(false);
    for (const e of layout.edges.values()) expect(e.path).toMatch(/^M[\d.-]+,[\d.-]+ C/);
  });

  it('draws ELK spline sections as cubic segments, and other point lists as lines', () => {
    const p = (x: number, y: number) => ({ x, y });
    expect(splinePath(p(0, 0), [p(1, 0), p(2, 1)], p(3, 1))).toBe('M0,0 C1,0 2,1 3,1');
    expect(splinePath(p(0, 0), [p(1, 0), p(2, 1), p(3, 1), p(4, 1), p(5, 2)], p(6, 2))).toBe('M0,0 C1,0 2,1 3,1 C4,1 5,2 6,2');
    expect(splinePath(p(0, 0), [p(1, 1)], p(2, 0))).toBe('M0,0 L1,1 L2,0');
  });
});
