import { Anchor, Badge, Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useQueries } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router-dom';
import { BlueprintAvatar } from '../../../components/entity-avatar.tsx';
import { EmptyState, ErrorState } from '../../../components/error-pages.tsx';
import { GraphCanvas } from '../../../components/graph/graph-canvas.tsx';
import { PageSkeleton } from '../../../components/page-skeleton.tsx';
import { paths } from '../../../lib/paths.ts';
import { canModerate } from '@portolan/contract/permissions';
import { useMe } from '../../auth/api/get-me.ts';
import { getBlueprintStatsQueryOptions } from '../api/get-blueprint-stats.ts';
import { useBlueprints } from '../api/get-blueprints.ts';

/** The platform team's view: every blueprint and relation as a diagram, and the list to edit them. */
export default function DataModelPage() {
  const blueprints = useBlueprints();
  const navigate = useNavigate();
  const user = useMe().data?.user;
  // The editor is for admins and the blueprint's moderators; everyone else opens the catalog.
  const open = (bp: string) => (canModerate(user, bp) ? paths.editBlueprint(bp) : paths.catalog(bp));
  const stats = useQueries({ queries: (blueprints.data ?? []).map((b) => getBlueprintStatsQueryOptions(b.identifier)) });
  if (blueprints.isPending) return <PageSkeleton />;
  if (blueprints.isError) return <ErrorState error={blueprints.error} onRetry={() => void blueprints.refetch()} />;
  const list = blueprints.data;
  const known = new Set(list.map((b) => b.identifier));

  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <div>
          <Title order={2}>Data model</Title>
          <Text size="sm" c="dimmed">Blueprints are the kinds of things in the catalog; arrows are their relations. Click a blueprint to open it.</Text>
        </div>
        {user?.role === 'admin' && <Button component={Link} to={paths.newBlueprint()}>New blueprint</Button>}
      </Group>
      {list.length === 0 ? (
        <EmptyState title="No blueprints yet">Create the first one to start the catalog.</EmptyState>
      ) : (
        <>
          <GraphCanvas
            ariaLabel="Data model diagram"
            height={440}
            nodes={list.map((b) => ({ id: b.identifier, label: b.title, sublabel: `${Object.keys(b.schema.properties).length} properties · ${Object.keys(b.relations).length} relations`, blueprint: b.identifier }))}
            edges={list.flatMap((b) =>
              Object.entries(b.relations)
                .filter(([, r]) => known.has(r.target))
                .map(([id, r]) => ({ id: `${b.identifier}.${id}`, source: b.identifier, target: r.target, label: `${r.title ?? id}${r.many ? ' (many)' : ''}${r.required ? ' *' : ''}` })),
            )}
            onOpen={(id) => navigate(open(id))}
          />
          <Card withBorder padding={0}>
            <Table highlightOnHover aria-label="Blueprints" verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Blueprint</Table.Th>
                  <Table.Th>Properties</Table.Th>
                  <Table.Th>Relations</Table.Th>
                  <Table.Th>Entities</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.map((b, i) => (
                  <Table.Tr key={b.identifier}>
                    <Table.Td>
                      <Group gap="sm" wrap="nowrap">
                        <BlueprintAvatar blueprint={b.identifier} title={b.title} />
                        <div>
                          <Anchor component={Link} to={open(b.identifier)} fw={600} size="sm">{b.title}</Anchor>
                          <Text size="xs" c="dimmed">{b.description}</Text>
                        </div>
                      </Group>
                    </Table.Td>
                    <Table.Td><Text size="sm">{Object.keys(b.schema.properties).join(', ') || '—'}</Text></Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {Object.entries(b.relations).map(([id, r]) => <Badge key={id} variant="light" color="gray" tt="none">{id} → {r.target}</Badge>)}
                      </Group>
                    </Table.Td>
                    <Table.Td><Text size="sm">{stats[i]?.data?.entityCount.toLocaleString() ?? '…'}</Text></Table.Td>
                    <Table.Td>
                      <Group gap="xs" justify="flex-end" wrap="nowrap">
                        {canModerate(user, b.identifier) && <Button size="xs" variant="default" component={Link} to={paths.editBlueprint(b.identifier)}>Edit</Button>}
                        <Button size="xs" variant="subtle" component={Link} to={paths.catalog(b.identifier)}>Catalog</Button>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Card>
        </>
      )}
    </Stack>
  );
}
