import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ActionEditor } from '../../src/features/actions/pages/actions-page.tsx';
import { NEW_ACTION, parseJson, readForm, toJson, writeForm } from '../../src/features/actions/action-editor-model.ts';
import { renderAt, stubFetch } from './render.tsx';

describe('action editor model', () => {
  it('edits form fields in place and keeps everything else in the document', () => {
    const doc = { ...NEW_ACTION, permissions: { execute: { roles: ['admin'] } }, trigger: { ...(NEW_ACTION.trigger as object), userInputs: { properties: { env: { type: 'string' } }, required: ['env'] } } };
    const next = writeForm(writeForm(doc, 'operation', 'DELETE'), 'url', 'https://hooks.example.com/x');
    expect(readForm(next)).toMatchObject({ operation: 'DELETE', url: 'https://hooks.example.com/x', invocation: 'WEBHOOK' });
    expect(next.permissions).toEqual({ execute: { roles: ['admin'] } });
    expect((next.trigger as { userInputs: unknown }).userInputs).toEqual({ properties: { env: { type: 'string' } }, required: ['env'] });
    // Switching backends starts the new one's settings afresh (the old keys would be invalid there).
    expect(writeForm(next, 'invocation', 'GITHUB').invocationMethod).toEqual({ type: 'GITHUB', org: '', repo: '', workflow: '', reportWorkflowStatus: true });
    expect(parseJson(toJson(next))).toEqual(next);
    expect(parseJson('[1]')).toBeNull();
    expect(parseJson('{"a":')).toBeNull();
  });
});

describe('ActionEditor', () => {
  it('sends the form and the JSON as one action, and lists the server errors by path', async () => {
    let refuse = true;
    const calls = stubFetch((call) => {
      if (call.url.startsWith('/v1/blueprints')) return [200, { ok: true, blueprints: [] }];
      if (call.method === 'POST' && call.url === '/v1/actions') {
        if (refuse) return [400, { ok: false, error: 'invalid_request', message: 'Invalid action', details: [{ path: 'trigger.blueprintIdentifier', message: 'blueprint "Nope" not found' }] }];
        return [201, { ok: true, action: { ...(call.body as object), createdAt: '', createdBy: '', updatedAt: '', updatedBy: '' } }];
      }
      return [404, { ok: false, error: 'not_found', message: 'nope' }];
    });
    let done = 0;
    renderAt('/', [{ path: '/', element: <ActionEditor action={null} onDone={() => done++} /> }]);
    fireEvent.change(await screen.findByLabelText(/^Identifier/), { target: { value: 'restart' } });
    fireEvent.change(screen.getByLabelText(/^Title/), { target: { value: 'Restart' } });
    // The JSON view follows the form, and the form follows the JSON.
    const json = screen.getByLabelText('Action JSON') as HTMLTextAreaElement;
    expect(JSON.parse(json.value)).toMatchObject({ identifier: 'restart', title: 'Restart' });
    const edited = { ...JSON.parse(json.value), trigger: { type: 'self-service', operation: 'DAY-2', blueprintIdentifier: 'Nope', userInputs: { properties: { reason: { type: 'string' } }, required: [] } } };
    fireEvent.change(json, { target: { value: JSON.stringify(edited) } });
    expect((screen.getByLabelText(/^Title/) as HTMLInputElement).value).toBe('Restart');

    fireEvent.click(screen.getByRole('button', { name: 'Create action' }));
    await screen.findByText('trigger.blueprintIdentifier: blueprint "Nope" not found');
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post.body).toMatchObject({ identifier: 'restart', title: 'Restart', trigger: { blueprintIdentifier: 'Nope', userInputs: { properties: { reason: { type: 'string' } } } } });
    expect(done).toBe(0);

    refuse = false;
    fireEvent.click(screen.getByRole('button', { name: 'Create action' }));
    await waitFor(() => expect(done).toBe(1));

    // Broken JSON blocks saving until it is an object again.
    fireEvent.change(json, { target: { value: '{"identifier": ' } });
    expect(screen.getByText('Not a JSON object yet')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Create action' }) as HTMLButtonElement).disabled).toBe(true);
  });
});
