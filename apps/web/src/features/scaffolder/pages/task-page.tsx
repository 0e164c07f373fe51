import { Alert, Anchor, Box, Button, Card, Group, ScrollArea, Stack, Text, Title, Tooltip } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ErrorState } from '../../../components/error-pages.tsx';
import { PageSkeleton } from '../../../components/page-skeleton.tsx';
import { useCancelTask } from '../api/cancel-task.ts';
import { useActions } from '../api/get-actions.ts';
import { useTask } from '../api/get-task.ts';
import { useRetryTask } from '../api/retry-task.ts';
import { useTaskEventStream, type StreamState } from '../api/task-event-stream.ts';
import { duration, StatusBadge } from '../components/status-badge.tsx';
import { scaffolderPaths } from '../paths.ts';
import type { Task, TaskEvent } from '../types.ts';

const ACTIVE = new Set(['open', 'processing']);
const GITHUB_ACTIONS = /^(publish:github|github:)/;

/** Re-renders every second while something is running, so durations count up. */
function useNow(ticking: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [ticking]);
  return now;
}

function Steps({ task }: { task: Task }) {
  const now = useNow(task.steps.some((s) => s.status === 'running'));
  return (
    <Card withBorder padding="md" component="section" aria-label="Steps">
      <Title order={4} mb="sm">Steps</Title>
      <Stack gap={8}>
        {task.steps.map((step, i) => (
          <Box key={step.id} data-step={step.id}>
            <Group justify="space-between" wrap="nowrap">
              <Group gap="sm" wrap="nowrap">
                <Text size="sm" c="dimmed" w={18} ta="right">{i + 1}</Text>
                <div>
                  <Text size="sm" fw={500}>{step.name}</Text>
                  <Text size="xs" c="dimmed" ff="monospace">{step.action}</Text>
                </div>
              </Group>
              <Group gap="sm" wrap="nowrap">
                <Text size="xs" c="dimmed" data-testid="step-duration">{duration(step.startedAt, step.finishedAt, now)}</Text>
                <StatusBadge status={step.status} />
              </Group>
            </Group>
            {step.error && (
              <Text size="xs" c="red" ml={30} mt={2}>{step.error}</Text>
            )}
          </Box>
        ))}
      </Stack>
    </Card>
  );
}

const time = (iso: string) => new Date(iso).toLocaleTimeString('en-GB', { hour12: false });

function Log({ events, state }: { events: TaskEvent[]; state: StreamState }) {
  const viewport = useRef<HTMLDivElement>(null);
  useEffect(() => {
    viewport.current?.scrollTo({ top: viewport.current.scrollHeight });
  }, [events.length]);
  return (
    <Card withBorder padding="md" component="section" aria-label="Log">
      <Group justify="space-between" mb="sm">
        <Title order={4}>Log</Title>
        <Text size="xs" c={state === 'live' ? 'green' : 'dimmed'} data-testid="stream-state">
          {state === 'live' ? '● live' : state === 'ended' ? 'finished' : state === 'reconnecting' ? 'reconnecting…' : 'connecting…'}
        </Text>
      </Group>
      <ScrollArea h={320} type="auto" viewportRef={viewport} bg="dark.8" style={{ borderRadius: 6 }}>
        <Box p="sm" ff="monospace" fz={12} c="gray.2" data-testid="task-log" role="log">
          {events.length === 0 && <Text size="xs" c="gray.5">Waiting for events…</Text>}
          {events.map((e) => {
            const level = String(e.body.level ?? '');
            const color = level === 'error' || e.body.status === 'failed' ? 'red.4' : level === 'warn' ? 'yellow.4' : e.type === 'log' ? 'gray.2' : 'blue.3';
            return (
              <Text key={e.id} fz={12} ff="monospace" c={color} style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                <Text span c="gray.6" fz={12} ff="monospace">{time(e.createdAt)} </Text>
                {e.stepId && <Text span c="gray.5" fz={12} ff="monospace">[{e.stepId}] </Text>}
                {String(e.body.message ?? JSON.stringify(e.body))}
              </Text>
            );
          })}
        </Box>
      </ScrollArea>
    </Card>
  );
}

function Output({ task }: { task: Task }) {
  const links = (task.output?.links ?? []).filter((l) => l.url);
  const texts = task.output?.text ?? [];
  if (links.length === 0 && texts.length === 0) return null;
  return (
    <Card withBorder padding="md" component="section" aria-label="Output">
      <Title order={4} mb="sm">Output</Title>
      <Group gap="sm">
        {links.map((l) =>
          l.url!.startsWith('/') ? (
            <Button key={l.url} component={Link} to={l.url!} variant="light">
              {l.title ?? l.url}
            </Button>
          ) : (
            <Button key={l.url} component="a" href={l.url} target="_blank" rel="noreferrer" variant="light">
              {l.title ?? l.url}
            </Button>
          ),
        )}
      </Group>
      {texts.map((t, i) => (
        <Box key={i} mt="sm">
          {t.title && <Text fw={500} size="sm">{t.title}</Text>}
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{t.content}</Text>
        </Box>
      ))}
    </Card>
  );
}

export default function TaskPage() {
  const { id = '' } = useParams();
  const task = useTask(id);
  // A retry raises the attempt: a new stream continues after the last event seen.
  const stream = useTaskEventStream(id, task.data ? task.data.attempt : null);
  const cancel = useCancelTask();
  const retry = useRetryTask();
  const actions = useActions();

  if (task.isPending) return <PageSkeleton />;
  if (task.isError) return <ErrorState error={task.error} onRetry={() => void task.refetch()} />;
  const t = task.data;
  const active = ACTIVE.has(t.status);
  const githubStepFailed = t.steps.some((s) => s.status === 'failed' && GITHUB_ACTIONS.test(s.action));
  const mutationError = cancel.error ?? retry.error;

  return (
    <Stack gap="md" maw={1100}>
      <div>
        <Anchor component={Link} to={scaffolderPaths.tasks()} size="sm">
          ← Task history
        </Anchor>
        <Group justify="space-between" align="flex-start">
          <div>
            <Group gap="sm">
              <Title order={2}>{t.templateTitle ?? t.templateName}</Title>
              <span data-testid="task-status">
                <StatusBadge status={t.status} />
              </span>
            </Group>
            <Text size="sm" c="dimmed">
              Started by {t.createdBy} · {new Date(t.createdAt).toLocaleString('en-GB')}
              {t.finishedAt && ` · took ${duration(t.startedAt ?? t.createdAt, t.finishedAt)}`}
              {t.attempt > 1 && ` · attempt ${t.attempt}`}
            </Text>
          </div>
          <Group gap="xs">
            {active && (
              <Tooltip label="Cancellation requested" disabled={!t.cancelRequested}>
                <Button color="red" variant="light" onClick={() => cancel.mutate(t.id)} loading={cancel.isPending} disabled={t.cancelRequested}>
                  Cancel
                </Button>
              </Tooltip>
            )}
            {(t.status === 'failed' || t.status === 'cancelled') && (
              <Button onClick={() => retry.mutate(t.id)} loading={retry.isPending}>
                Retry
              </Button>
            )}
            <Button variant="default" component={Link} to={scaffolderPaths.wizard(t.templateName)}>
              Run again
            </Button>
          </Group>
        </Group>
      </div>
      {mutationError && (
        <Alert color="red" title="Could not do that" role="alert">
          <Text size="sm">{mutationError.message}</Text>
        </Alert>
      )}
      {t.status === 'failed' && t.error && (
        <Alert color="red" title="The task failed" role="alert" data-testid="task-error">
          <Text size="sm">{t.error}</Text>
        </Alert>
      )}
      {githubStepFailed && actions.data?.githubNotConfigured && (
        <Alert color="yellow" title="Configure GitHub" data-testid="github-not-configured">
          <Text size="sm">{actions.data.githubNotConfigured}. Then press Retry: the steps that succeeded are not repeated.</Text>
        </Alert>
      )}
      <Output task={t} />
      <Steps task={t} />
      <Log events={stream.events} state={stream.state} />
    </Stack>
  );
}
