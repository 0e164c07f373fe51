import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ActionForm } from '../../src/features/actions/components/action-form.tsx';
import { formInputs, initialValues, missingRequired, runErrorsFromDetails, toRunProperties } from '../../src/features/actions/action-form-model.ts';
import type { Action } from '../../src/features/actions/types.ts';
import { entity } from './fixtures.ts';
import { renderAt, stubFetch } from './render.tsx';

const action: Action = {
  identifier: 'provision',
  title: 'Provision',
  description: 'Provisions a resource',
  trigger: {
    type: 'self-service',
    operation: 'DAY-2',
    blueprintIdentifier: 'Component',
    userInputs: {
      properties: {
        notes: { type: 'string', title: 'Notes' },
        name: { type: 'string', title: 'Name', pattern: '^[a-z]+$' },
        kind: { type: 'string', title: 'Kind', enum: ['postgres', 'kafka'], default: 'kafka' },
        system: { type: 'string', title: 'System', format: 'entity', blueprint: 'System' },
        ttl: { type: 'number', title: 'Days', default: 5 },
        secret: { type: 'string', title: 'Hidden', visible: false },
      },
      required: ['name', 'kind', 'system'],
      order: ['name', 'kind', 'system'],
    },
  },
  invocationMethod: { type: 'WEBHOOK', url: 'http://x', synchronized: true, method: 'POST' },
  requiredApproval: false,
  createdAt: '2026-01-01T00:00:00.000Z',
  createdBy: 'test',
  updatedAt: '2026-01-01T00:00:00.000Z',
  updatedBy: 'test',
};
const run = { id: 'r_1', action: { identifier: 'provision', title: 'Provision' }, blueprint: 'Component', entity: 'svc', properties: {}, status: 'IN_PROGRESS', statusLabel: null, link: [], summary: null, externalRunId: null, source: 'UI', requiredApproval: false, approval: null, payload: null, response: null, createdBy: 'u', createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', endedAt: null };

describe('action form model', () => {
  it('orders inputs by `order` then declaration, marks required, hides visible:false, picks widgets', () => {
    const inputs = formInputs(action.trigger.userInputs);
    expect(inputs.map((i) => i.name)).toEqual(['name', 'kind', 'system', 'notes', 'ttl']);
    expect(inputs.filter((i) => i.required).map((i) => i.name)).toEqual(['name', 'kind', 'system']);
    expect(inputs.map((i) => i.kind)).toEqual(['text', 'select', 'entity', 'text', 'number']);
    expect(inputs.find((i) => i.name === 'system')!.blueprint).toBe('System');
    expect(initialValues(inputs)).toEqual({ kind: 'kafka', ttl: 5 });
  });

  it('leaves blanks out, checks required inputs, and maps server problems to fields', () => {
    const inputs = formInputs(action.trigger.userInputs);
    expect(missingRequired(inputs, { kind: 'kafka' })).toEqual({ name: 'is required', system: 'is required' });
    expect(toRunProperties(inputs, { name: ' db ', kind: 'kafka', notes: '', system: 'Cart' }).properties).toEqual({ name: 'db', kind: 'kafka', system: 'Cart' });
    const errors = runErrorsFromDetails([{ path: 'properties.name', message: 'must match pattern' }, { path: 'entity', message: 'no Component "x"' }, { path: 'properties.other', message: 'is not an input of this action' }], inputs);
    expect(errors).toEqual({ fields: { name: 'must match pattern' }, entity: 'no Component "x"', general: ['properties.other: is not an input of this action'] });
  });
});

describe('action form', () => {
  it('renders the inputs in order with defaults and an entity picker, shows the 400 beside the field, then posts the run', async () => {
    let refuse = true;
    const calls = stubFetch((call) => {
      if (call.url.includes('/entities/search')) return [200, { ok: true, entities: [entity({ identifier: 'Cart', blueprint: 'System', title: 'Cart' })], next: null }];
      if (call.method === 'POST' && call.url === '/v1/actions/provision/runs') {
        if (refuse) return [400, { ok: false, error: 'invalid_request', message: 'Invalid run', details: [{ path: 'properties.name', message: 'must match pattern "^[a-z]+$"' }] }];
        return [201, { ok: true, run }];
      }
      return [404, { ok: false, error: 'not_found', message: 'nope' }];
    });
    const started: string[] = [];
    renderAt('/', [{ path: '/', element: <ActionForm action={action} entity="svc" onStarted={(r) => started.push(r.id)} /> }]);
    const form = await screen.findByRole('form', { name: 'Provision' });

    const order = [...form.querySelectorAll('[data-input], [data-relation]')].map((e) => e.getAttribute('data-input') ?? e.getAttribute('data-relation'));
    expect(order).toEqual(['name', 'kind', 'system', 'notes', 'ttl']);
    expect(screen.queryByText('Hidden')).toBeNull();
    const name = within(form).getByRole('textbox', { name: /^Name/ });
    expect(name.closest('[class*=InputWrapper]')?.textContent ?? name.parentElement?.parentElement?.textContent).toContain('*');
    expect((within(form).getByRole('textbox', { name: /^Days/ }) as HTMLInputElement).value).toBe('5');
    const kind = within(form).getByRole('combobox', { name: /^Kind/ }) as HTMLInputElement;
    expect(kind.value).toBe('kafka');

    // Required inputs left empty: marked, nothing sent.
    fireEvent.click(within(form).getByRole('button', { name: 'Run Provision' }));
    expect(await within(form).findAllByText('is required')).toHaveLength(2);
    expect(calls.filter((c) => c.method === 'POST' && c.url.includes('/runs'))).toHaveLength(0);

    // The enum offers its values; the entity picker searches the named blueprint.
    fireEvent.click(kind);
    const listOf = (input: HTMLElement) => document.getElementById(input.getAttribute('aria-controls') ?? '')!;
    await waitFor(() => expect(listOf(kind)).not.toBeNull());
    expect(within(listOf(kind)).getAllByRole('option', { hidden: true }).map((o) => o.textContent)).toEqual(['postgres', 'kafka']);
    fireEvent.click(within(listOf(kind)).getByRole('option', { name: 'postgres', hidden: true }));
    const system = within(form).getByRole('combobox', { name: /^System/ });
    fireEvent.click(system);
    await waitFor(() => expect(listOf(system)).not.toBeNull());
    fireEvent.click(await within(listOf(system)).findByRole('option', { name: 'Cart', hidden: true }));
    await waitFor(() => expect(calls.some((c) => c.url.includes('/v1/blueprints/System/entities/search'))).toBe(true));
    fireEvent.change(name, { target: { value: 'Bad Name' } });

    fireEvent.click(within(form).getByRole('button', { name: 'Run Provision' }));
    await within(form).findByText('must match pattern "^[a-z]+$"');
    expect(within(form).getByRole('alert').textContent).toContain('The server refused the inputs');
    const sent = calls.find((c) => c.method === 'POST' && c.url.includes('/runs'))!;
    expect(sent.body).toEqual({ entity: 'svc', properties: { name: 'Bad Name', kind: 'postgres', system: 'Cart', ttl: 5 } });

    refuse = false;
    fireEvent.change(name, { target: { value: 'good' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Run Provision' }));
    await waitFor(() => expect(started).toEqual(['r_1']));
  });
});
