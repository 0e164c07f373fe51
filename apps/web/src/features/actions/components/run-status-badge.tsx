import { Badge } from '@mantine/core';
import type { RunStatus } from '../types.ts';

const COLORS: Record<RunStatus, string> = {
  IN_PROGRESS: 'blue',
  WAITING_FOR_APPROVAL: 'yellow',
  SUCCESS: 'green',
  FAILURE: 'red',
  DECLINED: 'orange',
};
const LABELS: Record<RunStatus, string> = {
  IN_PROGRESS: 'In progress',
  WAITING_FOR_APPROVAL: 'Waiting for approval',
  SUCCESS: 'Success',
  FAILURE: 'Failure',
  DECLINED: 'Declined',
};

/** Every status, in display order (exhaustive: LABELS is a Record over the contract's RunStatus). */
export const RUN_STATUS_LIST = Object.keys(LABELS) as RunStatus[];

export const runStatusLabel = (s: RunStatus): string => LABELS[s] ?? s;

export function RunStatusBadge({ status, size }: { status: RunStatus; size?: 'sm' | 'md' | 'lg' }) {
  return (
    <Badge color={COLORS[status] ?? 'gray'} variant="light" size={size} data-status={status}>
      {runStatusLabel(status)}
    </Badge>
  );
}
