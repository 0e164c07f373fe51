import type { RelationValue } from '@portolan/contract';
import { describe, expect, it } from 'vitest';
import { normalizeRelations, validateEntityRelations } from '../src/index.ts';
import { blueprint } from './blueprint-fixtures.ts';

const api = blueprint({
  identifier: 'API',
  title: 'API',
  schema: { properties: {} },
  relations: {
    provider: { target: 'Component', required: true },
    system: { target: 'System' },
    consumers: { target: 'Component', many: true },
  },
});
const strict = { requireRequired: true };
const lenient = { requireRequired: false };

describe('validateEntityRelations', () => {
  it('accepts singles, lists, lone strings for many, and null for optional', () => {
    expect(validateEntityRelations(api, { provider: 'cart', system: null, consumers: ['a', 'b'] }, strict)).toEqual([]);
    expect(validateEntityRelations(api, { provider: 'cart', consumers: 'a' }, strict)).toEqual([]);
  });

  it('rejects unknown relation names', () => {
    expect(validateEntityRelations(api, { provider: 'cart', owner: 'x' }, strict)).toEqual([
      { path: 'relations.owner', message: 'unknown relation (blueprint "API" has no relation "owner")' },
    ]);
  });

  it('rejects a list for a single relation', () => {
    expect(validateEntityRelations(api, { provider: 'cart', system: ['a'] }, strict)).toEqual([
      { path: 'relations.system', message: 'must be a single identifier or null, not a list (relation "system" is not many)' },
    ]);
  });

  it('requires required relations only when asked', () => {
    const missing: Record<string, RelationValue>[] = [{}, { provider: null }, { provider: [] }];
    for (const relations of missing) {
      expect(validateEntityRelations(api, relations, strict)).toContainEqual({
        path: 'relations.provider',
        message: 'is required',
      });
    }
    expect(validateEntityRelations(api, {}, lenient)).toEqual([]);
    expect(validateEntityRelations(api, { provider: null }, lenient)).toEqual([]);
  });
});

describe('normalizeRelations', () => {
  it('turns every given relation into a de-duplicated list, keeping order', () => {
    expect(
      normalizeRelations(api, { provider: 'cart', system: null, consumers: ['b', 'a', 'b'] }),
    ).toEqual({ provider: ['cart'], system: [], consumers: ['b', 'a'] });
    expect(normalizeRelations(api, { consumers: 'a' })).toEqual({ consumers: ['a'] });
  });

  it('leaves out relations not given and relations the blueprint lacks', () => {
    expect(normalizeRelations(api, { nope: 'x' })).toEqual({});
  });
});
