import { Badge, Button, Card, Group, Stack, Text } from '@mantine/core';
import { EmptyState, ErrorState } from '../../../components/error-pages.tsx';
import { PageSkeleton } from '../../../components/page-skeleton.tsx';
import { useAuditLog } from '../../audit/api/get-audit-log.ts';
import { actorLabel, AuditDiff } from '../../audit/components/audit-diff.tsx';
import { formatDate } from './property-value.tsx';

const VERB: Record<string, string> = { create: 'created', update: 'changed', delete: 'deleted' };
const COLOR: Record<string, string> = { create: 'green', update: 'blue', delete: 'red' };

/** Who changed this entity, when, and which fields: its audit entries, newest first. */
export function EntityHistory({ blueprint, identifier }: { blueprint: string; identifier: string }) {
  const log = useAuditLog({ resourceType: 'entity', blueprint, resourceId: identifier }, 20);
  if (log.isPending) return <PageSkeleton rows={4} />;
  if (log.isError) return <ErrorState error={log.error} onRetry={() => void log.refetch()} title="Could not load the history" />;
  const entries = log.data.pages.flatMap((p) => p.entries);
  if (entries.length === 0) return <EmptyState title="No recorded changes">Changes made from now on show here.</EmptyState>;
  return (
    <Stack gap="sm" role="list" aria-label="History">
      {entries.map((e) => (
        <Card key={e.id} withBorder role="listitem" data-audit-id={e.id}>
          <Group justify="space-between" mb="xs">
            <Group gap="xs">
              <Badge color={COLOR[e.action] ?? 'gray'} variant="light">{VERB[e.action] ?? e.action}</Badge>
              <Text size="sm" fw={600}>{actorLabel(e.actor)}</Text>
            </Group>
            <Text size="sm" c="dimmed" title={e.at}>{formatDate(e.at)}</Text>
          </Group>
          <AuditDiff entry={e} />
        </Card>
      ))}
      {log.hasNextPage && (
        <Group justify="center">
          <Button variant="default" onClick={() => void log.fetchNextPage()} loading={log.isFetchingNextPage}>Load older changes</Button>
        </Group>
      )}
    </Stack>
  );
}
