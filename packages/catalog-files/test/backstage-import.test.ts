import { readFileSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { blueprintInputSchema } from '@portolan/contract';
import { checkCatalog, parseEntityRef, readCatalogFiles, readWithLocations, resolveTarget } from '../src/index.ts';

const examples = path.resolve(import.meta.dirname, '../../../catalog-examples');
const fsRead = async (p: string) => readFile(p, 'utf8').catch(() => undefined);
const defaultBlueprints = async () =>
  Promise.all((await readdir(path.join(examples, 'blueprints'))).map(async (f) => blueprintInputSchema.parse(JSON.parse(await readFile(path.join(examples, 'blueprints', f), 'utf8')))));

describe('entity references', () => {
  it('apply Backstage defaulting rules', () => {
    expect(parseEntityRef('payments-team', { kind: 'group', namespace: 'default' })).toEqual({ kind: 'group', namespace: 'default', name: 'payments-team' });
    expect(parseEntityRef('component:ops/ledger', { namespace: 'default' })).toEqual({ kind: 'component', namespace: 'ops', name: 'ledger' });
    expect(parseEntityRef('ops/ledger', { kind: 'component', namespace: 'default' })).toEqual({ kind: 'component', namespace: 'ops', name: 'ledger' });
    expect(parseEntityRef('API:Default/Fraud', { namespace: 'x' })).toEqual({ kind: 'api', namespace: 'default', name: 'Fraud' });
    expect(parseEntityRef({ kind: 'Group', name: 'a:b' }, { namespace: 'default' })).toEqual({ kind: 'group', namespace: 'default', name: 'a:b' });
    expect(parseEntityRef('just-a-name', { namespace: 'default' })).toEqual({ error: '"just-a-name" needs a kind here (e.g. component:just-a-name)' });
    expect(parseEntityRef('a:b:c', { namespace: 'default' })).toHaveProperty('error');
  });

  it('resolve location targets against paths and URLs', () => {
    expect(resolveTarget('/repo/all.yaml', './payments/catalog-info.yaml')).toBe('/repo/payments/catalog-info.yaml');
    expect(resolveTarget('/repo/a/b.yaml', '../c.yaml')).toBe('/repo/c.yaml');
    expect(resolveTarget('https://github.com/o/r/blob/main/catalog-info.yaml', './api.yaml')).toBe('https://github.com/o/r/blob/main/api.yaml');
  });
});

describe('the Backstage corpus in catalog-examples/backstage', () => {
  it('imports every kind through a Location, with refs resolved and the referenced definition read', async () => {
    const set = await readWithLocations([path.join(examples, 'backstage/all.yaml')], fsRead);
    expect(set.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(set.files.map((f) => path.relative(examples, f)).sort()).toEqual(['backstage/all.yaml', 'backstage/org.yaml', 'backstage/payments/catalog-info.yaml']);
    expect(set.teams).toEqual([expect.objectContaining({ identifier: 'payments-team', title: 'Payments', memberRefs: ['user:default/ada'] })]);
    expect(set.users).toEqual([expect.objectContaining({ email: 'ada@example.com', name: 'Ada Lovelace', teams: ['payments-team'] })]);
    const byId = Object.fromEntries(set.entities.map((e) => [`${e.blueprint}/${e.entity.identifier}`, e.entity]));
    expect(Object.keys(byId).sort()).toEqual(['API/fraud-api', 'API/payments-api', 'Component/fraud-scorer', 'Component/ledger-lib', 'Component/payments-service', 'Domain/commerce', 'Resource/payments-db', 'System/payments']);
    expect(byId['Component/payments-service']).toEqual({
      identifier: 'payments-service',
      title: 'Payments Service',
      team: ['payments-team'],
      properties: {
        description: 'Charges cards and records payments.',
        tags: ['java', 'payments'],
        links: ['https://dashboards.example.com/payments'],
        annotations: { 'github.com/project-slug': 'example-org/payments-service', 'backstage.io/techdocs-ref': 'dir:.' },
        type: 'service',
        lifecycle: 'production',
      },
      relations: { system: 'payments', providesApi: 'payments-api', consumesApi: ['fraud-api'], components: ['ledger-lib'], resources: ['payments-db'] },
    });
    expect(byId['Component/ledger-lib']!.relations).toEqual({ system: 'payments', subcomponentOf: 'payments-service' });
    expect(byId['API/payments-api']!.properties.definition).toContain('title: Payments API');
    expect(byId['API/payments-api']!.relations.provider).toBe('payments-service');
    expect(byId['API/fraud-api']!.properties).toMatchObject({ type: 'grpc', definition: expect.stringContaining('service Fraud') });
    expect(byId['API/fraud-api']!.relations.provider).toBe('fraud-scorer');
    expect(byId['System/payments']!.relations).toEqual({ domain: 'commerce' });

    const problems = checkCatalog(set, await defaultBlueprints());
    expect(problems).toEqual([]);
  });

  it.each(Object.entries(JSON.parse(readFileSync(path.join(examples, 'backstage/invalid/expected.json'), 'utf8')) as Record<string, { line: number; message: string }>))(
    'refuses %s at the right line',
    async (file, want) => {
      const p = path.join(examples, 'backstage/invalid', file);
      const set = await readCatalogFiles([{ path: p, text: (await fsRead(p))! }]);
      const problems = [...set.problems, ...checkCatalog(set, await defaultBlueprints())].filter((x) => x.severity === 'error');
      expect(problems.length).toBeGreaterThan(0);
      expect(problems).toContainEqual(expect.objectContaining({ file: p, line: want.line, message: expect.stringContaining(want.message) }));
    },
  );

  it('reports a missing required Location target at the Location line, and skips optional ones', async () => {
    const files: Record<string, string> = {
      '/r/catalog-info.yaml': 'apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: l\nspec:\n  targets:\n    - ./gone.yaml\n',
      '/r/opt.yaml': 'apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: o\nspec:\n  presence: optional\n  target: ./gone.yaml\n',
    };
    const read = async (p: string) => files[p];
    const required = await readWithLocations(['/r/catalog-info.yaml'], read);
    expect(required.problems).toEqual([expect.objectContaining({ file: '/r/catalog-info.yaml', line: 7, message: 'Location target ./gone.yaml was not found' })]);
    const optional = await readWithLocations(['/r/opt.yaml'], read);
    expect(optional.problems).toEqual([]);
  });

  it('reads Portolan/Port JSON and YAML: blueprints, entities and actions, with line-precise errors', async () => {
    const yaml = [
      'identifier: Team',
      'title: Team',
      'schema:',
      '  properties:',
      '    size: { type: number }',
      '---',
      'blueprint: Component',
      'entities:',
      '  - identifier: svc',
      '    properties:',
      '      type: gizmo',
      '---',
      'identifier: deploy',
      'trigger: { type: self-service, operation: DAY-2, blueprintIdentifier: Component, userInputs: { properties: {} } }',
      'invocationMethod: { type: WEBHOOK, url: "https://example.com" }',
    ].join('\n');
    const set = await readCatalogFiles([{ path: 'model.yaml', text: yaml }]);
    expect(set.blueprints.map((b) => b.definition.identifier)).toEqual(['Team']);
    expect(set.actions.map((a) => a.value.identifier)).toEqual(['deploy']);
    const problems = checkCatalog(set, await defaultBlueprints());
    expect(problems).toContainEqual(expect.objectContaining({ file: 'model.yaml', line: 11, message: 'Component:svc: properties.type must be one of: service, library, website' }));
  });
});
