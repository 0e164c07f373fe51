import { Alert, Anchor, Button, Card, Code, Group, Loader, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ErrorState } from '../../../components/error-pages.tsx';
import { PageSkeleton } from '../../../components/page-skeleton.tsx';
import { isApiError } from '../../../lib/api-client.ts';
import { paths } from '../../../lib/paths.ts';
import { useMe } from '../../auth/api/get-me.ts';
import { formatDate } from '../../entities/components/property-value.tsx';
import { useDecideRun } from '../api/decide-run.ts';
import { useAction } from '../api/get-action.ts';
import { isActive, useRun } from '../api/get-run.ts';
import { useRunLogs } from '../api/get-run-logs.ts';
import { RunStatusBadge } from '../components/run-status-badge.tsx';
import { mayApprove } from '../may-approve.ts';
import { actionPaths } from '../paths.ts';
import { formInputs } from '../action-form-model.ts';
import type { Action, Run } from '../types.ts';

const linkLabel = (url: string): string => {
  try {
    const host = new URL(url).hostname;
    return /(^|\.)github\.com$/.test(host) || /\/actions\/runs\/\d+/.test(url) ? 'Open the GitHub run' : `Open ${host}`;
  } catch {
    return url;
  }
};
const safeHref = (url: string): string | undefined => (/^https?:\/\//i.test(url) ? url : undefined);

/** The run's input values, titled and ordered as the action's form shows them (when it still exists). */
function inputRows(run: Run, action: Action | undefined): [string, string, unknown][] {
  const inputs = action ? formInputs(action.trigger.userInputs) : [];
  const known = inputs.filter((i) => i.name in run.properties).map((i): [string, string, unknown] => [i.name, i.label, run.properties[i.name]]);
  const rest = Object.keys(run.properties).filter((k) => !known.some(([n]) => n === k)).sort().map((k): [string, string, unknown] => [k, k, run.properties[k]]);
  return [...known, ...rest];
}

function ApprovalCard({ run }: { run: Run }) {
  const [reason, setReason] = useState('');
  const decide = useDecideRun();
  const act = (status: 'APPROVE' | 'DECLINE') => decide.mutate({ id: run.id, body: { status, ...(reason.trim() ? { description: reason.trim() } : {}) } });
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={4}>Approval</Title>
        <Text size="sm">This run waits for approval before it starts.</Text>
        <Textarea label="Reason" placeholder="Why you approve or decline (kept with the run)" value={reason} onChange={(e) => setReason(e.currentTarget.value)} autosize minRows={2} maw={600} />
        {decide.error && (
          <Alert color="red" title={isApiError(decide.error, 403) ? 'Not allowed' : 'Could not record the decision'}>
            {decide.error.message}
          </Alert>
        )}
        <Group>
          <Button color="green" loading={decide.isPending && decide.variables?.body.status === 'APPROVE'} disabled={decide.isPending} onClick={() => act('APPROVE')}>
            Approve
          </Button>
          <Button color="red" variant="light" loading={decide.isPending && decide.variables?.body.status === 'DECLINE'} disabled={decide.isPending} onClick={() => act('DECLINE')}>
            Decline
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

function RunLogs({ run }: { run: Run }) {
  const active = isActive(run.status);
  const logs = useRunLogs(run.id, active);
  const qc = useQueryClient();
  // One more read when the run ends: its last lines were written with the final status.
  useEffect(() => {
    if (!active) void qc.invalidateQueries({ queryKey: ['actions', 'runs', 'logs', run.id] });
  }, [active, qc, run.id]);
  return (
    <Card withBorder>
      <Group justify="space-between" mb="sm">
        <Title order={4}>Log</Title>
        {active && <Loader size="xs" aria-label="Following the run" />}
      </Group>
      {logs.isError && <ErrorState error={logs.error} onRetry={() => void logs.refetch()} title="Could not load the log" />}
      {logs.data && logs.data.length === 0 && <Text size="sm" c="dimmed">No log lines yet.</Text>}
      {logs.data && logs.data.length > 0 && (
        <ol aria-label="Run log" style={{ listStyle: 'none', margin: 0, padding: 0, fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 }}>
          {logs.data.map((l) => (
            <li key={l.id} data-termination={l.terminationStatus ?? undefined} style={{ display: 'flex', gap: 12, padding: '2px 0', whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
              <time dateTime={l.createdAt} style={{ color: 'var(--mantine-color-dimmed)', flex: 'none' }}>{new Date(l.createdAt).toISOString().slice(11, 19)}</time>
              <span style={{ color: l.terminationStatus === 'FAILURE' ? 'var(--mantine-color-red-7)' : l.terminationStatus === 'SUCCESS' ? 'var(--mantine-color-green-8)' : undefined }}>{l.message}</span>
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}

export default function RunPage() {
  const { id = '' } = useParams();
  const run = useRun(id);
  const me = useMe().data?.user;
  const waiting = run.data?.status === 'WAITING_FOR_APPROVAL';
  // The action's inputs give titles and order to the run's values, and its approve rule.
  const action = useAction(run.data?.action.identifier ?? '');

  if (run.isPending) return <PageSkeleton />;
  if (run.isError) return <ErrorState error={run.error} onRetry={() => void run.refetch()} title={isApiError(run.error, 404) ? `No run “${id}”` : undefined} />;
  const r = run.data;
  const canApprove = waiting && mayApprove(me, action.data);

  return (
    <Stack gap="lg" maw={1100}>
      <div>
        <Anchor component={Link} to={actionPaths.runs()} size="sm">← Runs</Anchor>
        <Group gap="sm" mt={4} align="center">
          <Title order={1} fz={28}>{r.action.title ?? r.action.identifier}</Title>
          <RunStatusBadge status={r.status} size="lg" />
        </Group>
        {r.statusLabel && <Text mt={4} data-testid="status-label">{r.statusLabel}</Text>}
        <Text size="sm" c="dimmed" mt={4}>
          Run <Code>{r.id}</Code> by {r.createdBy}, {formatDate(r.createdAt)}
          {r.endedAt ? `, ended ${formatDate(r.endedAt)}` : ''}
        </Text>
      </div>
      <Card withBorder>
        <Table verticalSpacing={6} aria-label="Run details">
          <Table.Tbody>
            {r.entity && r.blueprint && (
              <Table.Tr>
                <Table.Th w={180}>Entity</Table.Th>
                <Table.Td><Anchor component={Link} to={paths.entity(r.blueprint, r.entity)}>{r.blueprint} / {r.entity}</Anchor></Table.Td>
              </Table.Tr>
            )}
            {r.link.length > 0 && (
              <Table.Tr>
                <Table.Th w={180}>Link</Table.Th>
                <Table.Td>
                  <Stack gap={2}>
                    {r.link.map((l) => (
                      <Anchor key={l} href={safeHref(l)} target="_blank" rel="noreferrer" data-testid="run-link">{linkLabel(l)}</Anchor>
                    ))}
                  </Stack>
                </Table.Td>
              </Table.Tr>
            )}
            {inputRows(r, action.data).map(([k, label, v]) => (
              <Table.Tr key={k} data-input={k}>
                <Table.Th w={180}>{label}</Table.Th>
                <Table.Td><Text size="sm" ff={typeof v === 'string' ? undefined : 'monospace'}>{typeof v === 'string' ? v : JSON.stringify(v)}</Text></Table.Td>
              </Table.Tr>
            ))}
            {r.approval && (
              <Table.Tr>
                <Table.Th w={180}>{r.approval.state === 'APPROVED' ? 'Approved by' : 'Declined by'}</Table.Th>
                <Table.Td><Text size="sm">{r.approval.userId}{r.approval.description ? ` — “${r.approval.description}”` : ''}</Text></Table.Td>
              </Table.Tr>
            )}
            <Table.Tr>
              <Table.Th w={180}>Source</Table.Th>
              <Table.Td><Text size="sm">{r.source}</Text></Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      </Card>
      {r.summary && (
        <Card withBorder>
          <Title order={4} mb="xs">Summary</Title>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{r.summary}</Text>
        </Card>
      )}
      {canApprove && <ApprovalCard run={r} />}
      {waiting && !canApprove && (me?.role === 'admin' || action.isFetched) && (
        <Alert color="yellow" title="Waiting for approval">Someone allowed to approve runs of this action must approve it before it starts.</Alert>
      )}
      <RunLogs run={r} />
    </Stack>
  );
}
