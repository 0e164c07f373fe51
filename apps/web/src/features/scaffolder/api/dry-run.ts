import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import type { DryRunBody, DryRunResult } from '../types.ts';

/** Renders a stored template (or YAML being edited) with parameters: files, steps, output; no side effects. */
export const dryRun = (body: DryRunBody) => api<DryRunResult>('/v1/scaffolder/dry-run', { method: 'POST', body });

export const useDryRun = () => useMutation({ mutationFn: dryRun });
