import { screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Task } from '@portolan/contract';
import TaskPage from '../../src/features/scaffolder/pages/task-page.tsx';
import { renderAt, stubFetch } from './render.tsx';

const NOT_CONFIGURED = 'GitHub is not configured: set GITHUB_TOKEN';
const ID = '00000000-0000-4000-8000-000000000001';

/** A stand-in EventSource that replays the given events then ends, as the server does for a finished task. */
class FakeEventSource extends EventTarget {
  static CLOSED = 2;
  readyState = 1;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {
    super();
    setTimeout(() => {
      this.onopen?.();
      const e = { id: '1', taskId: ID, type: 'status', stepId: null, body: { status: 'failed', message: 'Step "Create the GitHub repository" failed: GitHub is not configured' }, createdAt: '2026-01-01T00:00:00Z' };
      this.dispatchEvent(new MessageEvent('status', { data: JSON.stringify(e) }));
      this.dispatchEvent(new MessageEvent('end', { data: '{}' }));
    }, 10);
  }
  close() {
    this.readyState = 2;
  }
}

afterEach(() => vi.unstubAllGlobals());

describe('task page', () => {
  it('says what to configure when a GitHub step failed, and offers Retry', async () => {
    vi.stubGlobal('EventSource', FakeEventSource);
    const task: Task = {
      id: ID, templateName: 'nodejs-service', templateTitle: 'Node.js service', status: 'failed', parameters: {}, createdBy: 'user:dana', createdAt: '2026-01-01T00:00:00Z',
      startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:00:01Z', error: 'Step "Create the GitHub repository" failed: GitHub is not configured', output: null, cancelRequested: false, attempt: 1,
      steps: [
        { id: 'fetch', name: 'Render the skeleton', action: 'fetch:template', status: 'succeeded', startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:00:00.020Z', error: null, output: {} },
        { id: 'publish', name: 'Create the GitHub repository', action: 'publish:github', status: 'failed', startedAt: '2026-01-01T00:00:00.020Z', finishedAt: '2026-01-01T00:00:00.030Z', error: 'GitHub is not configured', output: null },
      ],
    };
    stubFetch(({ url }) => {
      if (url.startsWith(`/v1/scaffolder/tasks/${ID}`)) return [200, { ok: true, task }];
      if (url.startsWith('/v1/scaffolder/actions')) return [200, { ok: true, actions: [], githubNotConfigured: NOT_CONFIGURED }];
      return [404, { ok: false, error: 'not_found', message: 'no' }];
    });
    renderAt(`/create/tasks/${ID}`, [{ path: '/create/tasks/:id', element: <TaskPage /> }]);
    const alert = await screen.findByTestId('github-not-configured');
    expect(alert.textContent).toContain(NOT_CONFIGURED);
    expect(screen.getByRole('button', { name: 'Retry' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
    await waitFor(() => expect(screen.getByTestId('task-log').textContent).toContain('failed: GitHub is not configured'));
    expect(screen.getByTestId('stream-state').textContent).toBe('finished');
  });
});
