import { Anchor, Badge, Card, Group, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import type { Blueprint, Entity } from '@portolan/contract';
import type { GraphNode } from '../../../lib/contract-types.ts';
import { paths } from '../../../lib/paths.ts';
import { useEntityGraph } from '../api/get-entity-graph.ts';

interface RelatedGroup {
  key: string;
  label: string;
  direction: 'outgoing' | 'incoming';
  items: { blueprint: string; identifier: string; title: string | null }[];
}

/** Groups the depth-1 graph's edges into "this entity → others" and "others → this entity". */
export function groupRelations(entity: Entity, blueprint: Blueprint, nodes: GraphNode[], edges: { source: string; target: string; relation: string }[], blueprintTitles: Record<string, string>): RelatedGroup[] {
  const self = `${entity.blueprint}/${entity.identifier}`;
  const byId = new Map(nodes.map((n) => [`${n.blueprint}/${n.identifier}`, n]));
  const groups = new Map<string, RelatedGroup>();

  // Outgoing relations come from the entity itself, so a relation with no target still shows.
  for (const [name, def] of Object.entries(blueprint.relations)) {
    const value = entity.relations[name];
    const ids = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
    groups.set(`out:${name}`, {
      key: `out:${name}`,
      label: def.title ?? name,
      direction: 'outgoing',
      items: ids.map((id) => ({ blueprint: def.target, identifier: id, title: byId.get(`${def.target}/${id}`)?.title ?? null })),
    });
  }
  for (const edge of edges) {
    if (edge.target !== self || edge.source === self) continue;
    const node = byId.get(edge.source);
    if (!node) continue;
    const key = `in:${node.blueprint}:${edge.relation}`;
    let group = groups.get(key);
    if (!group) {
      group = { key, label: `${blueprintTitles[node.blueprint] ?? node.blueprint} (${edge.relation})`, direction: 'incoming', items: [] };
      groups.set(key, group);
    }
    group.items.push({ blueprint: node.blueprint, identifier: node.identifier, title: node.title });
  }
  return [...groups.values()];
}

export function EntityRelations({ entity, blueprint, blueprintTitles }: { entity: Entity; blueprint: Blueprint; blueprintTitles: Record<string, string> }) {
  const graph = useEntityGraph(entity.blueprint, entity.identifier, { depth: 1, direction: 'both', maxNodes: 500 });
  const groups = groupRelations(entity, blueprint, graph.data?.nodes ?? [], graph.data?.edges ?? [], blueprintTitles);
  const outgoing = groups.filter((g) => g.direction === 'outgoing');
  const incoming = groups.filter((g) => g.direction === 'incoming');

  const section = (title: string, list: RelatedGroup[], emptyText: string) => (
    <Card withBorder>
      <Title order={4} mb="sm">{title}</Title>
      {list.length === 0 ? (
        <Text size="sm" c="dimmed">{emptyText}</Text>
      ) : (
        <Table verticalSpacing={6} aria-label={title}>
          <Table.Tbody>
            {list.map((g) => (
              <Table.Tr key={g.key}>
                <Table.Th w={200} style={{ verticalAlign: 'top' }}>
                  <Text size="sm" fw={600}>{g.label}</Text>
                </Table.Th>
                <Table.Td>
                  {g.items.length === 0 ? (
                    <Text size="sm" c="dimmed">—</Text>
                  ) : (
                    <Group gap="xs">
                      {g.items.map((it) => (
                        <Anchor key={`${it.blueprint}/${it.identifier}`} component={Link} to={paths.entity(it.blueprint, it.identifier)} size="sm">
                          {it.title ?? it.identifier}
                        </Anchor>
                      ))}
                    </Group>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );

  return (
    <Stack gap="md">
      {section('Relations', outgoing, 'This blueprint defines no relations.')}
      {graph.isPending ? (
        <Skeleton height={80} />
      ) : graph.isError ? (
        <Card withBorder><Text size="sm" c="red">Could not load related entities: {(graph.error as Error).message}</Text></Card>
      ) : (
        section('Related from', incoming, 'No entity points at this one.')
      )}
      {graph.data?.truncated && <Badge color="yellow" variant="light">Only the first {graph.data.nodes.length} related entities are shown</Badge>}
    </Stack>
  );
}
