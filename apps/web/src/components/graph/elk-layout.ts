import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkNode } from 'elkjs/lib/elk-api';

export interface LayoutNode {
  id: string;
  width: number;
  height: number;
}
export interface LayoutEdge {
  id: string;
  source: string;
  target: string;
  label?: string;
}
export interface Point {
  x: number;
  y: number;
}
export interface Box extends Point {
  w: number;
  h: number;
}
/** An edge as the layout routed it: around the cards, its label in a spot kept free for it. */
export interface RoutedEdge {
  /** SVG path data. */
  path: string;
  label: Box | null;
}
export interface Layout {
  nodes: Map<string, Point>;
  edges: Map<string, RoutedEdge>;
}

const elk = new ELK();

export const LABEL_HEIGHT = 16;
/** An 11px label's width: about 6.2px per character plus its padding. */
export const labelWidth = (text: string) => Math.ceil(text.length * 6.2) + 8;

/**
 * A layered left-to-right drawing (relations read as arrows from source to target). ELK routes
 * the edges as splines around the cards, edges that run against the layers included, and gives
 * each label a place of its own (a label is laid out like a small node in the middle of its edge),
 * so neither lines nor labels pile up where many edges meet one node.
 */
export async function layoutGraph(nodes: LayoutNode[], edges: LayoutEdge[]): Promise<Layout> {
  const ids = new Set(nodes.map((n) => n.id));
  const drawn = edges.filter((e) => ids.has(e.source) && ids.has(e.target));
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.spacing.nodeNode': '28',
      'elk.layered.spacing.nodeNodeBetweenLayers': '50',
      'elk.spacing.edgeLabel': '4',
      'elk.edgeRouting': 'SPLINES',
      'elk.edgeLabels.placement': 'CENTER',
    },
    children: nodes.map((n) => ({ id: n.id, width: n.width, height: n.height })),
    edges: drawn.map((e) => ({
      id: e.id,
      sources: [e.source],
      targets: [e.target],
      labels: e.label ? [{ id: `${e.id}:label`, text: e.label, width: labelWidth(e.label), height: LABEL_HEIGHT }] : [],
    })),
  };
  const result = await elk.layout(graph);
  const out: Layout = { nodes: new Map(), edges: new Map() };
  for (const c of result.children ?? []) out.nodes.set(c.id, { x: c.x ?? 0, y: c.y ?? 0 });
  for (const e of result.edges ?? []) {
    const section = e.sections?.[0];
    if (!section) continue;
    const l = e.labels?.[0];
    out.edges.set(e.id, {
      path: splinePath(section.startPoint, section.bendPoints ?? [], section.endPoint),
      label: l ? { x: l.x ?? 0, y: l.y ?? 0, w: l.width ?? 0, h: l.height ?? 0 } : null,
    });
  }
  return out;
}

/**
 * SVG path data of an ELK spline section: its bend points are the control points of cubic
 * Bézier segments, two per segment followed by the segment's end (the last end is `end`). A
 * count that does not fit that pattern is drawn through the points as straight lines.
 */
export function splinePath(start: Point, bends: Point[], end: Point): string {
  const p = (q: Point) => `${round(q.x)},${round(q.y)}`;
  if (bends.length % 3 !== 2) return `M${p(start)} ${[...bends, end].map((q) => `L${p(q)}`).join(' ')}`;
  const points = [...bends, end];
  const segments: string[] = [];
  for (let i = 0; i < points.length; i += 3) segments.push(`C${p(points[i]!)} ${p(points[i + 1]!)} ${p(points[i + 2]!)}`);
  return `M${p(start)} ${segments.join(' ')}`;
}

const round = (n: number) => Math.round(n * 10) / 10;
