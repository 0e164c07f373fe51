import { fireEvent, screen, waitFor } from '@testing-library/react';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import TemplateWizardPage from '../../src/features/scaffolder/pages/template-wizard-page.tsx';
import { orderedParameterPages, reviewRows, splitUi, wizardPages } from '../../src/features/scaffolder/wizard-model.ts';
import { renderAt, stubFetch } from './render.tsx';

const yaml = readFileSync(path.resolve(import.meta.dirname, '../../../../catalog-examples/templates/nodejs-service/template.yaml'), 'utf8');
const doc = parse(yaml) as { spec: { parameters: Record<string, unknown>[] } };

describe('wizard model', () => {
  it('moves ui:* keys into the uiSchema and keeps the YAML field order', () => {
    const { schema, uiSchema } = splitUi(doc.spec.parameters[0]!);
    expect((schema.properties as Record<string, Record<string, unknown>>).owner).toEqual({ title: 'Owner team', type: 'string' });
    expect(uiSchema.owner).toEqual({ 'ui:field': 'OwnerPicker', 'ui:options': { catalogFilter: { kind: 'Group' } } });
    // A jsonb round trip sorts keys by length: the YAML's order wins.
    const shuffled = doc.spec.parameters.map((p) => ({ ...p, properties: Object.fromEntries(Object.entries(p.properties as object).reverse()) }));
    const pages = wizardPages(orderedParameterPages(yaml, shuffled, parse));
    expect(Object.keys(pages[0]!.schema.properties as object)).toEqual(['name', 'description', 'owner', 'system', 'port']);
    expect(reviewRows(pages, { name: 'x', port: 8080, repoOwner: 'acme' }).map((r) => r.label)).toEqual(['Name', 'Port', 'GitHub organisation or user']);
  });
});

describe('template wizard', () => {
  it('keeps the person on a page until its fields are valid', async () => {
    stubFetch(({ url }) => {
      if (url.startsWith('/v1/scaffolder/templates/nodejs-service')) {
        return [200, { ok: true, template: { name: 'nodejs-service', title: 'Node.js service', description: null, tags: [], type: 'service', owner: null, version: 1, createdAt: '', createdBy: '', updatedAt: '', updatedBy: '', yaml, document: {}, parameterPages: doc.spec.parameters, filePaths: [] } }];
      }
      if (url.startsWith('/v1/teams')) return [200, { ok: true, teams: [] }];
      if (url.startsWith('/v1/scaffolder/actions')) return [200, { ok: true, actions: [], githubNotConfigured: null }];
      return [200, { ok: true, entities: [], next: null, total: 0 }];
    });
    renderAt('/create/templates/nodejs-service', [{ path: '/create/templates/:name', element: <TemplateWizardPage /> }]);
    const name = await screen.findByLabelText(/^Name/);
    fireEvent.change(name, { target: { value: 'Not Valid' } });
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(screen.getAllByText(/must match pattern/).length).toBeGreaterThan(0));
    expect(screen.getAllByText(/is required/).length).toBeGreaterThan(0);
    expect(screen.queryByRole('region', { name: 'Repository' })).toBeNull();
    fireEvent.change(name, { target: { value: 'checkout-api' } });
    await waitFor(() => expect(screen.queryByText(/must match pattern/)).toBeNull());
  });
});
