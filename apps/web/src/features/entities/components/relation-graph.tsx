import { Alert, Group, SegmentedControl, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { GraphCanvas } from '../../../components/graph/graph-canvas.tsx';
import { ErrorState } from '../../../components/error-pages.tsx';
import { paths } from '../../../lib/paths.ts';
import { useEntityGraph } from '../api/get-entity-graph.ts';

type Direction = 'both' | 'upstream' | 'downstream';

/** The entity's neighbourhood as a graph: depth and direction controls; a click opens the entity. */
export default function RelationGraph({ blueprint, identifier, blueprintTitles }: { blueprint: string; identifier: string; blueprintTitles: Record<string, string> }) {
  const [depth, setDepth] = useState('2');
  const [direction, setDirection] = useState<Direction>('both');
  const navigate = useNavigate();
  const graph = useEntityGraph(blueprint, identifier, { depth: Number(depth), direction, maxNodes: 200 });
  const root = `${blueprint}/${identifier}`;
  const byId = new Map((graph.data?.nodes ?? []).map((n) => [`${n.blueprint}/${n.identifier}`, n]));

  return (
    <Stack gap="sm">
      <Group gap="lg">
        <Group gap="xs">
          <Text size="sm" fw={600} id="graph-depth-label">Depth</Text>
          <SegmentedControl aria-labelledby="graph-depth-label" size="xs" value={depth} onChange={setDepth} data={['1', '2', '3', '4']} />
        </Group>
        <Select
          size="xs"
          label="Direction"
          aria-label="Direction"
          w={220}
          value={direction}
          onChange={(v) => setDirection((v as Direction) ?? 'both')}
          allowDeselect={false}
          data={[
            { value: 'both', label: 'Both directions' },
            { value: 'downstream', label: 'What it relates to' },
            { value: 'upstream', label: 'What relates to it' },
          ]}
        />
        {graph.data && (
          <Text size="xs" c="dimmed">
            {graph.data.nodes.length} entities, {graph.data.edges.length} relations
          </Text>
        )}
      </Group>
      {graph.data?.truncated && <Alert color="yellow" variant="light">The graph was cut at {graph.data.nodes.length} entities; lower the depth to see all of a smaller neighbourhood.</Alert>}
      {graph.isError ? (
        <ErrorState error={graph.error} onRetry={() => void graph.refetch()} title="Could not load the graph" />
      ) : graph.data ? (
        <GraphCanvas
          ariaLabel="Relation graph"
          nodes={graph.data.nodes.map((n) => {
            const id = `${n.blueprint}/${n.identifier}`;
            return { id, label: n.title ?? n.identifier, sublabel: blueprintTitles[n.blueprint] ?? n.blueprint, blueprint: n.blueprint, highlight: id === root };
          })}
          edges={graph.data.edges.map((e, i) => ({ id: `${e.source}-${e.relation}-${e.target}-${i}`, source: e.source, target: e.target, label: e.relation }))}
          onOpen={(id) => {
            const n = byId.get(id);
            if (n && id !== root) navigate(paths.entity(n.blueprint, n.identifier, 'graph'));
          }}
        />
      ) : (
        <Text size="sm" c="dimmed">Loading graph…</Text>
      )}
    </Stack>
  );
}
