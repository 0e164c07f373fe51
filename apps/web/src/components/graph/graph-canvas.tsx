import { Background, Controls, Handle, MarkerType, Position, ReactFlow, type Edge, type Node, type NodeProps } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { Group, Loader, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { BlueprintAvatar } from '../entity-avatar.tsx';
import { layoutGraph } from './elk-layout.ts';

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

const NODE_W = 210;
const NODE_H = 58;

function CardNodeView({ data }: NodeProps<CardNode>) {
  const n = data.node;
  return (
    <div
      role="button"
      aria-label={`Open ${n.label}`}
      data-node-id={n.id}
      style={{
        width: NODE_W,
        height: NODE_H,
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

/** A laid-out, pannable, zoomable graph of cards; clicking a card calls onOpen. */
export function GraphCanvas({ nodes, edges, onOpen, height = 560, ariaLabel }: { nodes: CanvasNode[]; edges: CanvasEdge[]; onOpen?: (id: string) => void; height?: number; ariaLabel: string }) {
  const [laid, setLaid] = useState<{ nodes: CardNode[]; edges: Edge[] } | null>(null);
  const key = JSON.stringify([nodes, edges]);

  useEffect(() => {
    let cancelled = false;
    void layoutGraph(
      nodes.map((n) => ({ id: n.id, width: NODE_W, height: NODE_H })),
      edges,
    ).then((pos) => {
      if (cancelled) return;
      setLaid({
        nodes: nodes.map((n) => ({ id: n.id, type: 'card', position: pos.get(n.id) ?? { x: 0, y: 0 }, data: { node: n }, className: 'pt-node', draggable: true, connectable: false })),
        edges: edges.map((e) => ({
          id: e.id,
          source: e.source,
          target: e.target,
          label: e.label,
          type: 'default',
          markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
          style: { strokeWidth: 1.5 },
          labelStyle: { fontSize: 11 },
          labelBgStyle: { fill: 'white' },
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
        nodeTypes={nodeTypes}
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

