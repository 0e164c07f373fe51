import { Badge } from '@mantine/core';
import type { StepStatus, TaskStatus } from '../types.ts';

const COLORS: Record<TaskStatus | StepStatus, string> = {
  open: 'gray',
  pending: 'gray',
  processing: 'blue',
  running: 'blue',
  completed: 'green',
  succeeded: 'green',
  failed: 'red',
  cancelled: 'orange',
  skipped: 'gray',
};

export function StatusBadge({ status }: { status: TaskStatus | StepStatus }) {
  return (
    <Badge color={COLORS[status]} variant={status === 'pending' || status === 'skipped' ? 'outline' : 'light'} data-status={status}>
      {status}
    </Badge>
  );
}

/** "1.2 s", "3 min 4 s"; running steps count up to now. */
export function duration(startedAt: string | null, finishedAt: string | null, now = Date.now()): string {
  if (!startedAt) return '';
  const ms = (finishedAt ? Date.parse(finishedAt) : now) - Date.parse(startedAt);
  if (ms < 1000) return `${Math.max(0, ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
