import { describe, expect, it } from 'vitest';
import { resolveMirrorPath, resolveRelationPath } from '../src/index.ts';
import { blueprint, mapOf } from './blueprint-fixtures.ts';

const domain = blueprint({ identifier: 'Domain', title: 'Domain', schema: { properties: { lead: { type: 'string' } } } });
const system = blueprint({
  identifier: 'System',
  title: 'System',
  schema: { properties: {} },
  relations: { domain: { target: 'Domain', required: true } },
});
const component = blueprint({
  identifier: 'Component',
  title: 'Component',
  schema: { properties: {} },
  relations: { system: { target: 'System' }, parts: { target: 'Component', many: true } },
});
const all = mapOf(domain, system, component);

describe('resolveMirrorPath', () => {
  it('returns the relations to walk and the field to read', () => {
    expect(resolveMirrorPath('system.domain.lead', component, all)).toEqual({
      relations: ['system', 'domain'],
      field: 'lead',
    });
    expect(resolveMirrorPath('system.$title', component, all)).toEqual({ relations: ['system'], field: '$title' });
  });

  it('explains why a path does not resolve', () => {
    expect(resolveMirrorPath('system.domain.nope', component, all)).toEqual({
      error: 'path "system.domain.nope": blueprint "Domain" has no property "nope"',
    });
    expect(resolveMirrorPath('parts.$title', component, all)).toEqual({
      error: 'path "parts.$title": relation "parts" of blueprint "Component" is many; only single relations can be followed',
    });
    expect(resolveMirrorPath('system.domain.', component, all)).toEqual({
      error: 'path "system.domain.": has an empty segment',
    });
    expect(resolveMirrorPath('system.domain.lead', component, mapOf(system))).toEqual({
      error: 'path "system.domain.lead": blueprint "Domain" (target of relation "domain" of "System") does not exist',
    });
  });
});

describe('resolveRelationPath', () => {
  it('walks single relations to the final blueprint', () => {
    const result = resolveRelationPath('system.domain', component, all);
    expect('error' in result).toBe(false);
    if (!('error' in result)) {
      expect(result.relations).toEqual(['system', 'domain']);
      expect(result.blueprints.map((b) => b.identifier)).toEqual(['Component', 'System']);
      expect(result.target.identifier).toBe('Domain');
    }
  });

  it('rejects a missing relation', () => {
    expect(resolveRelationPath('owner', component, all)).toEqual({
      error: 'path "owner": blueprint "Component" has no relation "owner"',
    });
  });
});
