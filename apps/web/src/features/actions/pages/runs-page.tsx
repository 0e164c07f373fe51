import { Anchor, Card, Group, Select, Skeleton, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { Link, useSearchParams } from 'react-router-dom';
import { ErrorState } from '../../../components/error-pages.tsx';
import { paths } from '../../../lib/paths.ts';
import { formatDate } from '../../entities/components/property-value.tsx';
import { useRuns } from '../api/get-runs.ts';
import { RUN_STATUS_LIST, RunStatusBadge, runStatusLabel } from '../components/run-status-badge.tsx';
import { actionPaths } from '../paths.ts';
import type { RunStatus } from '../types.ts';

/** "My runs" (the default) and all runs, filtered by status; the choice is kept in the URL. */
export default function RunsPage() {
  const [params, setParams] = useSearchParams();
  const scope = params.get('scope') === 'all' ? 'all' : 'mine';
  const statusParam = params.get('status');
  const status = (RUN_STATUS_LIST as string[]).includes(statusParam ?? '') ? (statusParam as RunStatus) : null;
  const runs = useRuns({ mine: scope === 'mine', active: status === 'IN_PROGRESS' || status === 'WAITING_FOR_APPROVAL' ? true : undefined });
  const shown = (runs.data ?? []).filter((r) => !status || r.status === status);
  const set = (next: { scope?: string; status?: string | null }) => {
    const p = new URLSearchParams(params);
    if (next.scope !== undefined) (next.scope === 'all' ? p.set('scope', 'all') : p.delete('scope'));
    if (next.status !== undefined) (next.status ? p.set('status', next.status) : p.delete('status'));
    setParams(p, { replace: true });
  };

  return (
    <Stack gap="md">
      <div>
        <Title order={1} fz={28}>Action runs</Title>
        <Text size="sm" c="dimmed">Self-service actions run from entity and catalog pages; each run is followed to its end.</Text>
      </div>
      <Group justify="space-between" align="flex-end">
        <Tabs value={scope} onChange={(v) => set({ scope: v ?? 'mine' })}>
          <Tabs.List>
            <Tabs.Tab value="mine">My runs</Tabs.Tab>
            <Tabs.Tab value="all">All runs</Tabs.Tab>
          </Tabs.List>
        </Tabs>
        <Select
          label="Status"
          placeholder="Any status"
          clearable
          w={240}
          data={RUN_STATUS_LIST.map((s) => ({ value: s, label: runStatusLabel(s) }))}
          value={status}
          onChange={(v) => set({ status: v })}
        />
      </Group>
      {runs.isError && <ErrorState error={runs.error} onRetry={() => void runs.refetch()} title="Could not load runs" />}
      {runs.isPending && <Skeleton height={200} />}
      {runs.data && (
        <Card withBorder p={0}>
          {shown.length === 0 ? (
            <Text p="lg" c="dimmed" size="sm">{status ? `No ${runStatusLabel(status).toLowerCase()} runs.` : scope === 'mine' ? 'You have not run any action yet.' : 'No runs yet.'}</Text>
          ) : (
            <Table highlightOnHover verticalSpacing="sm" aria-label="Runs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Action</Table.Th>
                  <Table.Th>Entity</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Run by</Table.Th>
                  <Table.Th>Started</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {shown.map((r) => (
                  <Table.Tr key={r.id} data-run={r.id}>
                    <Table.Td><Anchor component={Link} to={actionPaths.run(r.id)}>{r.action.title ?? r.action.identifier}</Anchor></Table.Td>
                    <Table.Td>{r.entity && r.blueprint ? <Anchor component={Link} to={paths.entity(r.blueprint, r.entity)} size="sm">{r.entity}</Anchor> : <Text size="sm" c="dimmed">—</Text>}</Table.Td>
                    <Table.Td>
                      <Group gap={6} wrap="nowrap">
                        <RunStatusBadge status={r.status} />
                        {r.statusLabel && <Text size="xs" c="dimmed" lineClamp={1}>{r.statusLabel}</Text>}
                      </Group>
                    </Table.Td>
                    <Table.Td><Text size="sm">{r.createdBy}</Text></Table.Td>
                    <Table.Td><Text size="sm">{formatDate(r.createdAt)}</Text></Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Card>
      )}
    </Stack>
  );
}
