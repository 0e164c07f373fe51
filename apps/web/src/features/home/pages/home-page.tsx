import { Anchor, Badge, Card, Group, Loader, SimpleGrid, Skeleton, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQueries } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { BlueprintAvatar } from '../../../components/entity-avatar.tsx';
import { EmptyState, ErrorState } from '../../../components/error-pages.tsx';
import { paths } from '../../../lib/paths.ts';
import { getBlueprintStatsQueryOptions } from '../../blueprints/api/get-blueprint-stats.ts';
import { SetPasswordPrompt } from '../../auth/components/set-password-prompt.tsx';
import { useBlueprints } from '../../blueprints/api/get-blueprints.ts';
import { useSearchAllEntities } from '../../entities/api/search-all-entities.ts';
import { formatDate } from '../../entities/components/property-value.tsx';

function EntitySearch() {
  const [text, setText] = useState('');
  const [term] = useDebouncedValue(text.trim(), 150);
  const results = useSearchAllEntities({ search: term, limit: 12 }, term.length > 0);
  const list = term ? (results.data?.entities ?? []) : [];
  return (
    <Stack gap="xs">
      <TextInput
        size="lg"
        placeholder="Find any entity by identifier or title"
        aria-label="Find an entity"
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        rightSection={results.isFetching ? <Loader size="sm" /> : null}
      />
      {term && (
        <Card withBorder padding={0} role="region" aria-label="Search results">
          {results.isError ? (
            <Text c="red" p="md" size="sm">
              Search failed: {(results.error as Error).message}
            </Text>
          ) : list.length === 0 && !results.isFetching ? (
            <Text c="dimmed" p="md" size="sm">
              No entity matches “{term}”.
            </Text>
          ) : (
            <Stack gap={0}>
              {list.map((e) => (
                <Anchor key={`${e.blueprint}/${e.identifier}`} component={Link} to={paths.entity(e.blueprint, e.identifier)} underline="never" c="inherit" px="md" py={8} className="pt-table-row">
                  <Group justify="space-between" wrap="nowrap">
                    <Group gap="sm" wrap="nowrap">
                      <BlueprintAvatar blueprint={e.blueprint} size="sm" />
                      <Text size="sm" fw={500}>{e.title ?? e.identifier}</Text>
                      <Text size="xs" c="dimmed">{e.identifier}</Text>
                    </Group>
                    <Badge variant="light" color="gray">{e.blueprint}</Badge>
                  </Group>
                </Anchor>
              ))}
            </Stack>
          )}
        </Card>
      )}
    </Stack>
  );
}

function BlueprintCounts() {
  const blueprints = useBlueprints();
  const stats = useQueries({ queries: (blueprints.data ?? []).map((b) => getBlueprintStatsQueryOptions(b.identifier)) });
  if (blueprints.isError) return <ErrorState error={blueprints.error} onRetry={() => void blueprints.refetch()} />;
  if (blueprints.isPending) return <SimpleGrid cols={{ base: 2, md: 5 }}>{Array.from({ length: 5 }, (_, i) => <Skeleton key={i} height={84} />)}</SimpleGrid>;
  if (blueprints.data.length === 0) return <EmptyState title="No blueprints yet">The platform team defines them on the Data model page.</EmptyState>;
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }} aria-label="Entities per blueprint">
      {blueprints.data.map((b, i) => (
        <Card key={b.identifier} withBorder component={Link} to={paths.catalog(b.identifier)} padding="md">
          <Group gap="sm" wrap="nowrap">
            <BlueprintAvatar blueprint={b.identifier} title={b.title} size="lg" />
            <div>
              <Text size="xl" fw={700} data-testid={`count-${b.identifier}`}>
                {stats[i]?.data ? stats[i].data.entityCount.toLocaleString() : '…'}
              </Text>
              <Text size="sm" c="dimmed">{b.title}</Text>
            </div>
          </Group>
        </Card>
      ))}
    </SimpleGrid>
  );
}

function RecentlyChanged() {
  const recent = useSearchAllEntities({ sort: { property: '$updatedAt', order: 'desc' }, limit: 10 });
  if (recent.isError) return <ErrorState error={recent.error} onRetry={() => void recent.refetch()} title="Could not load recent changes" />;
  if (recent.isPending) return <Stack gap={6}>{Array.from({ length: 5 }, (_, i) => <Skeleton key={i} height={24} />)}</Stack>;
  if (recent.data.entities.length === 0) return <EmptyState title="Nothing has changed yet" />;
  return (
    <Table highlightOnHover aria-label="Recently changed entities">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Entity</Table.Th>
          <Table.Th>Blueprint</Table.Th>
          <Table.Th>Updated</Table.Th>
          <Table.Th>By</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {recent.data.entities.map((e) => (
          <Table.Tr key={`${e.blueprint}/${e.identifier}`}>
            <Table.Td>
              <Anchor component={Link} to={paths.entity(e.blueprint, e.identifier)} size="sm">
                {e.title ?? e.identifier}
              </Anchor>
            </Table.Td>
            <Table.Td><Badge variant="light" color="gray">{e.blueprint}</Badge></Table.Td>
            <Table.Td><Text size="sm">{formatDate(e.updatedAt)}</Text></Table.Td>
            <Table.Td><Text size="sm" c="dimmed">{e.updatedBy}</Text></Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function HomePage() {
  return (
    <Stack gap="xl" maw={1100}>
      <Stack gap={4}>
        <Title order={1}>Software catalog</Title>
        <Text c="dimmed">Every service, API, system and resource your teams run, with who owns it and how it connects.</Text>
      </Stack>
      <SetPasswordPrompt />
      <EntitySearch />
      <BlueprintCounts />
      <Stack gap="xs">
        <Title order={3}>Recently changed</Title>
        <RecentlyChanged />
      </Stack>
    </Stack>
  );
}
