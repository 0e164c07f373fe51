import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ActionForm } from '../../src/features/actions/components/action-form.tsx';
import type { Action } from '../../src/features/actions/types.ts';
import { renderAt, stubFetch } from './render.tsx';

const action: Action = {
  identifier: 'scale',
  title: 'Scale',
  trigger: {
    type: 'self-service',
    operation: 'DAY-2',
    blueprintIdentifier: 'Component',
    userInputs: {
      properties: {
        env: { type: 'string', title: 'Environment' },
        approver: { type: 'string', title: 'Approver', visible: { jqQuery: '.form.env == "prod"' } },
      },
      required: ['env', 'approver'],
    },
  },
  invocationMethod: { type: 'WEBHOOK', url: 'http://x', synchronized: true, method: 'POST' },
  requiredApproval: false,
  createdAt: '',
  createdBy: '',
  updatedAt: '',
  updatedBy: '',
};

describe('conditional action inputs', () => {
  it('shows an input when the server says its rule holds for the values entered, and sends only what is shown', async () => {
    const calls = stubFetch((call) => {
      if (call.url === '/v1/actions/scale/visible-inputs') {
        const env = (call.body as { properties: { env?: string } }).properties.env;
        return [200, { ok: true, visible: env === 'prod' ? ['env', 'approver'] : ['env'] }];
      }
      if (call.url === '/v1/actions/scale/runs') return [201, { ok: true, run: { id: 'r_1' } }];
      return [404, { ok: false, error: 'not_found', message: 'nope' }];
    });
    const started: string[] = [];
    renderAt('/', [{ path: '/', element: <ActionForm action={action} entity="svc" onStarted={(r) => started.push(r.id)} /> }]);
    const env = await screen.findByLabelText(/^Environment/);
    expect(screen.queryByLabelText(/^Approver/)).toBeNull();

    fireEvent.change(env, { target: { value: 'prod' } });
    await screen.findByLabelText(/^Approver/);
    fireEvent.change(env, { target: { value: 'dev' } });
    await waitFor(() => expect(screen.queryByLabelText(/^Approver/)).toBeNull());

    fireEvent.click(screen.getByRole('button', { name: 'Run Scale' }));
    await waitFor(() => expect(started).toEqual(['r_1']));
    expect(calls.find((c) => c.url === '/v1/actions/scale/runs')!.body).toEqual({ entity: 'svc', properties: { env: 'dev' } });
  });
});
