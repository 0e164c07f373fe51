import { applyNodeChanges, Background, BaseEdge, Controls, EdgeLabelRenderer, Handle, MarkerType, Position, ReactFlow, useInternalNode, type Edge, type EdgeProps, type Node, type NodeProps } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { Group, Loader, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { BlueprintAvatar } from '../entity-avatar.tsx';
import { CARD, edgePath, pointOnEdge } from './edge-geometry.ts';
import { layoutGraph, type Point, type RoutedEdge } from './elk-layout.ts';

export interface CanvasNode {
  id: string;
  label: string;
  sublabel?: string;
  blueprint: string;
  highlight?: boolean;
}
export interface CanvasEdge {
  id: string;
  source: string;
  target: string;
  label?: string;
}

type CardNode = Node<{ node: CanvasNode }, 'card'>;
type LabeledEdge = Edge<{ text?: string; route: RoutedEdge | null; laidOut: { source: Point; target: Point } }, 'labeled'>;

function CardNodeView({ data }: NodeProps<CardNode>) {
  const n = data.node;
  return (
    <div
      role="button"
      aria-label={`Open ${n.label}`}
      data-node-id={n.id}
      style={{
        width: CARD.width,
        height: CARD.height,
        boxSizing: 'border-box',
        borderRadius: 10,
        padding: '8px 10px',
        background: n.highlight ? 'var(--mantine-color-indigo-0)' : 'white',
        border: `${n.highlight ? 2 : 1}px solid ${n.highlight ? 'var(--mantine-color-indigo-5)' : 'var(--mantine-color-gray-4)'}`,
        boxShadow: '0 1px 3px rgba(0,0,0,0.08)',
        cursor: 'pointer',
      }}
    >
      <Handle type="target" position={Position.Left} style={{ opacity: 0 }} />
      <Group gap={8} wrap="nowrap">
        <BlueprintAvatar blueprint={n.blueprint} size="md" />
        <div style={{ minWidth: 0 }}>
          <Text size="sm" fw={600} truncate>{n.label}</Text>
          {n.sublabel && <Text size="xs" c="dimmed" truncate>{n.sublabel}</Text>}
        </div>
      </Group>
      <Handle type="source" position={Position.Right} style={{ opacity: 0 }} />
    </div>
  );
}

const nodeTypes = { card: CardNodeView };

/**
 * An edge along the layout's route, its label where the layout kept room for it; once one of its
 * cards has been dragged elsewhere, a curve between the cards' sides with the label at its middle.
 */
function LabeledEdgeView({ id, source, target, sourceX, sourceY, targetX, targetY, data, markerEnd, style }: EdgeProps<LabeledEdge>) {
  const from = useInternalNode(source)?.internals.positionAbsolute;
  const to = useInternalNode(target)?.internals.positionAbsolute;
  const same = (a: Point | undefined, b: Point | undefined) => !!a && !!b && Math.abs(a.x - b.x) < 0.5 && Math.abs(a.y - b.y) < 0.5;
  const routed = data?.route && same(from, data.laidOut.source) && same(to, data.laidOut.target) ? data.route : null;
  let path: string;
  let label: Point;
  if (routed) {
    path = routed.path;
    label = routed.label ? { x: routed.label.x + routed.label.w / 2, y: routed.label.y + routed.label.h / 2 } : { x: 0, y: 0 };
  } else {
    const s = { x: sourceX, y: sourceY };
    const t = { x: targetX, y: targetY };
    path = edgePath(s, t);
    label = pointOnEdge(s, t, 0.5);
  }
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} style={style} />
      {data?.text && (
        <EdgeLabelRenderer>
          <div className="pt-edge-label nodrag nopan" data-edge-label={id} style={{ transform: `translate(-50%, -50%) translate(${label.x}px, ${label.y}px)` }}>
            {data.text}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}

const edgeTypes = { labeled: LabeledEdgeView };

/** A laid-out, pannable, zoomable graph of cards; clicking a card calls onOpen. */
export function GraphCanvas({ nodes, edges, onOpen, height = 560, ariaLabel }: { nodes: CanvasNode[]; edges: CanvasEdge[]; onOpen?: (id: string) => void; height?: number; ariaLabel: string }) {
  const [laid, setLaid] = useState<{ nodes: CardNode[]; edges: LabeledEdge[] } | null>(null);
  const key = JSON.stringify([nodes, edges]);

  useEffect(() => {
    let cancelled = false;
    void layoutGraph(
      nodes.map((n) => ({ id: n.id, width: CARD.width, height: CARD.height })),
      edges,
    ).then((layout) => {
      if (cancelled) return;
      const at = (id: string) => layout.nodes.get(id) ?? { x: 0, y: 0 };
      setLaid({
        nodes: nodes.map((n) => ({ id: n.id, type: 'card', position: at(n.id), data: { node: n }, className: 'pt-node', draggable: true, connectable: false })),
        edges: edges.map((e) => ({
          id: e.id,
          source: e.source,
          target: e.target,
          type: 'labeled',
          data: { text: e.label, route: layout.edges.get(e.id) ?? null, laidOut: { source: at(e.source), target: at(e.target) } },
          markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
          style: { strokeWidth: 1.5 },
        })),
      });
    });
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  if (!laid) {
    return (
      <Group justify="center" h={height} aria-busy="true">
        <Loader />
      </Group>
    );
  }
  return (
    <div style={{ height, border: '1px solid var(--mantine-color-gray-3)', borderRadius: 8 }} role="figure" aria-label={ariaLabel} data-testid="graph-canvas">
      <ReactFlow
        nodes={laid.nodes}
        edges={laid.edges}
        // Controlled nodes: without applying React Flow's changes a card could not be dragged.
        onNodesChange={(changes) => setLaid((l) => l && { ...l, nodes: applyNodeChanges(changes, l.nodes) })}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        fitView
        fitViewOptions={{ padding: 0.15, maxZoom: 1.2 }}
        minZoom={0.1}
        onNodeClick={(_, node) => onOpen?.(node.id)}
        proOptions={{ hideAttribution: true }}
        nodesConnectable={false}
      >
        <Background gap={20} size={1} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}

