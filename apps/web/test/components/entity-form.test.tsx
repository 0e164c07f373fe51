import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { EntityForm } from '../../src/features/entities/pages/entity-form-page.tsx';
import { formErrorsFromDetails, propertiesFormSchema, toEntityInput, emptyFormValues, type ErrorSchema } from '../../src/features/entities/entity-form-model.ts';
import { componentBlueprint as bp, entity } from './fixtures.ts';
import { renderAt, stubFetch } from './render.tsx';

const required = { ...bp, schema: { ...bp.schema, required: ['language'] }, relations: { ...bp.relations, system: { ...bp.relations.system!, required: true } } };

describe('entity form model', () => {
  it('builds a JSON Schema from the blueprint: enums, required, standard formats only', () => {
    const { schema, uiSchema } = propertiesFormSchema(required);
    const props = schema.properties as Record<string, Record<string, unknown>>;
    expect(props.type!.enum).toEqual(['service', 'library']);
    expect(props.repository!.format).toBe('uri');
    expect(props.readme!.format).toBeUndefined();
    expect(props.type!.enumColors).toBeUndefined();
    expect(schema.required).toEqual(['language']);
    expect((uiSchema.readme as Record<string, unknown>)['ui:widget']).toBe('textarea');
  });

  it('leaves blank optional fields out of the request body', () => {
    const values = { ...emptyFormValues(bp), identifier: ' svc ', title: '', properties: { language: 'Go', repository: '' } };
    const input = toEntityInput(bp, values);
    expect(input.identifier).toBe('svc');
    expect(input.title).toBeUndefined();
    expect(input.properties).toEqual({ language: 'Go' });
    expect(input.relations).toMatchObject({ system: null, resources: [] });
  });

  it('places every server field error beside its field', () => {
    const errors = formErrorsFromDetails([
      { path: 'properties.repository', message: 'must be a URL' },
      { path: 'relations.system', message: 'System "Nope" does not exist' },
      { path: 'identifier', message: 'is too long' },
      { path: 'properties.meta.owner', message: 'is required' },
      { path: 'blueprint', message: 'does not match' },
    ]);
    expect((errors.properties.repository as ErrorSchema).__errors).toEqual(['must be a URL']);
    expect((errors.properties.meta as { owner: { __errors: string[] } }).owner.__errors).toEqual(['is required']);
    expect(errors.relations.system).toBe('System "Nope" does not exist');
    expect(errors.identifier).toBe('is too long');
    expect(errors.general).toEqual(['blueprint: does not match']);
  });
});

describe('entity form', () => {
  it('marks required fields, offers enum values, and shows the server\'s 400 field errors beside the fields', async () => {
    const calls = stubFetch((call) => {
      if (call.url.includes('/entities/search')) return [200, { ok: true, entities: [entity({ identifier: 'Cart', blueprint: 'System', title: 'Cart' })], next: null }];
      if (call.method === 'POST' && call.url === '/v1/blueprints/Component/entities') {
        return [400, { ok: false, error: 'invalid_request', message: 'Invalid entity', details: [
          { path: 'properties.repository', message: 'must be a URL (http or https)' },
          { path: 'relations.system', message: 'is required' },
        ] }];
      }
      return [404, { ok: false, error: 'not_found', message: 'nope' }];
    });
    renderAt('/new', [{ path: '/new', element: <EntityForm blueprint={required} entity={null} etag={null} /> }]);

    const language = await screen.findByLabelText(/Language/);
    const labelOf = (el: HTMLElement) => document.querySelector(`label[for="${el.id}"]`)?.textContent ?? '';
    expect(labelOf(language)).toContain('*');
    expect(labelOf(screen.getByLabelText(/Repository/))).not.toContain('*');
    expect(screen.getAllByLabelText(/^System/).some((el) => labelOf(el).includes('*'))).toBe(true);
    // An enum property is a select of its values.
    expect(screen.getAllByLabelText(/Lifecycle/).some((el) => el.getAttribute('aria-haspopup') === 'listbox')).toBe(true);
    expect(screen.getAllByLabelText(/Language/).some((el) => el.getAttribute('aria-haspopup') === 'listbox')).toBe(false);

    fireEvent.change(screen.getByLabelText(/Identifier/), { target: { value: 'new-svc' } });
    fireEvent.change(screen.getByLabelText(/Repository/), { target: { value: 'not a url' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create Component' }));

    const urlError = await screen.findAllByText('must be a URL (http or https)');
    // Beside the field: inside the repository input's own wrapper.
    const repoInput = screen.getByLabelText(/Repository/);
    expect(urlError.some((el) => repoInput.closest('.mantine-InputWrapper-root')?.contains(el) || el.closest('[id*="repository"]'))).toBe(true);
    expect(screen.getAllByText('is required').length).toBeGreaterThan(0);
    expect(screen.getByRole('alert').textContent).toContain('2 fields');
    const post = calls.find((c) => c.method === 'POST' && c.url === '/v1/blueprints/Component/entities')!;
    expect(post.body).toMatchObject({ identifier: 'new-svc', properties: { repository: 'not a url' } });
  });

  it('sends the loaded version as If-Match and explains a 412 with a way to reload', async () => {
    const calls = stubFetch((call) => {
      if (call.url.includes('/entities/search')) return [200, { ok: true, entities: [], next: null }];
      if (call.method === 'PUT') return [412, { ok: false, error: 'precondition_failed', message: 'The entity changed since version 3' }];
      return [404, { ok: false, error: 'not_found', message: 'nope' }];
    });
    let reloaded = 0;
    const e = entity({ identifier: 'CartService', title: 'Cart Service', properties: { language: 'TypeScript' } });
    renderAt('/edit', [{ path: '/edit', element: <EntityForm blueprint={bp} entity={e} etag={'"3"'} onReload={() => reloaded++} /> }]);
    fireEvent.change(await screen.findByLabelText(/Language/), { target: { value: 'Rust' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    const alert = await screen.findByTestId('conflict-alert');
    expect(alert.textContent).toContain('Someone else changed this entity');
    const put = calls.find((c) => c.method === 'PUT')!;
    expect(put.url).toBe('/v1/blueprints/Component/entities/CartService');
    expect(put.headers['if-match']).toBe('"3"');
    expect(put.headers['x-csrf-token']).toBe('test-csrf-token');
    fireEvent.click(within(alert).getByRole('button', { name: 'Reload latest version' }));
    await waitFor(() => expect(reloaded).toBe(1));
  });
});
