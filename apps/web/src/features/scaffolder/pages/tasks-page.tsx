import { Anchor, Button, Group, SegmentedControl, Select, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { Link, useSearchParams } from 'react-router-dom';
import { ErrorState } from '../../../components/error-pages.tsx';
import { useTasks } from '../api/get-tasks.ts';
import { duration, StatusBadge } from '../components/status-badge.tsx';
import { scaffolderPaths } from '../paths.ts';
import type { TaskStatus } from '../types.ts';

const STATUSES: TaskStatus[] = ['open', 'processing', 'completed', 'failed', 'cancelled'];

/** Task history: mine or everyone's, filtered by status, newest first. */
export default function TasksPage() {
  const [params, setParams] = useSearchParams();
  const owner = params.get('owner') === 'all' ? 'all' : 'me';
  const statusParam = params.get('status');
  const status = STATUSES.find((s) => s === statusParam);
  const tasks = useTasks({ owner, ...(status ? { status } : {}) });
  const rows = tasks.data?.pages.flatMap((p) => p.tasks) ?? [];
  const update = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  return (
    <Stack gap="md" maw={1200}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>Task history</Title>
          <Text size="sm" c="dimmed">Every run of a template, newest first.</Text>
        </div>
        <Button component={Link} to={scaffolderPaths.gallery()}>
          Create something
        </Button>
      </Group>
      <Group align="flex-end">
        <SegmentedControl
          aria-label="Whose tasks"
          value={owner}
          onChange={(v) => update('owner', v === 'all' ? 'all' : null)}
          data={[
            { value: 'me', label: 'My tasks' },
            { value: 'all', label: 'All' },
          ]}
        />
        <Select
          label="Status"
          placeholder="Any status"
          clearable
          w={200}
          data={STATUSES}
          value={status ?? null}
          onChange={(v) => update('status', v)}
        />
      </Group>
      {tasks.isPending && <Skeleton height={200} />}
      {tasks.isError && <ErrorState error={tasks.error} onRetry={() => void tasks.refetch()} />}
      {tasks.data && rows.length === 0 && (
        <Text c="dimmed" ta="center" py="xl">
          No tasks{status ? ` with status ${status}` : ''} yet.
        </Text>
      )}
      {rows.length > 0 && (
        <Table striped highlightOnHover data-testid="task-table" opacity={tasks.isPlaceholderData ? 0.6 : 1}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Template</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Started by</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th>Duration</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((t) => (
              <Table.Tr key={t.id} data-task={t.id}>
                <Table.Td>
                  <Anchor component={Link} to={scaffolderPaths.task(t.id)}>
                    {t.templateTitle ?? t.templateName}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <StatusBadge status={t.status} />
                </Table.Td>
                <Table.Td>{t.createdBy}</Table.Td>
                <Table.Td>{new Date(t.createdAt).toLocaleString('en-GB')}</Table.Td>
                <Table.Td>{duration(t.startedAt, t.finishedAt)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {tasks.hasNextPage && (
        <Group justify="center">
          <Button variant="default" onClick={() => void tasks.fetchNextPage()} loading={tasks.isFetchingNextPage}>
            Load more
          </Button>
        </Group>
      )}
    </Stack>
  );
}
