import { describe, expect, it } from 'vitest';
import type { BlueprintDefinition, SearchQuery } from '@portolan/contract';
import { presetRange, QueryProblems, resolveQuery, type QueryScope } from '../../src/modules/search/query-model.ts';
import { escapeLike } from '../../src/modules/search/query-compiler.ts';
import { evaluator, type MemoryEntity } from '../../src/modules/search/query-evaluator.ts';

const bp = (identifier: string, properties: Record<string, object>, relations: Record<string, object> = {}, mirrorProperties: Record<string, object> = {}) =>
  ({ identifier, title: identifier, schema: { properties, required: [] }, relations, mirrorProperties, calculationProperties: {}, aggregationProperties: {} }) as unknown as BlueprintDefinition;

const service = bp(
  'Service',
  { language: { type: 'string' }, replicas: { type: 'number' }, public: { type: 'boolean' }, tags: { type: 'array' }, releasedAt: { type: 'string', format: 'date-time' }, meta: { type: 'object' } },
  { system: { target: 'System', required: true, many: false } },
  { domain: { path: 'system.domain.$title' } },
);
const system = bp('System', { language: { type: 'number' } });
const now = new Date('2026-11-22T12:00:00Z');
const scoped: QueryScope = { blueprint: 'Service', blueprints: new Map([['Service', service], ['System', system]]), now };
const global: QueryScope = { ...scoped, blueprint: null };

const q = (...rules: unknown[]): SearchQuery => ({ combinator: 'and', rules: rules as SearchQuery['rules'] });
const problems = (query: SearchQuery, scope = scoped) => {
  try {
    resolveQuery(query, scope);
  } catch (error) {
    if (error instanceof QueryProblems) return error.problems;
    throw error;
  }
  return [];
};

describe('resolveQuery: every problem named, with its path', () => {
  it.each([
    [{ property: 'colour', operator: '=', value: 'x' }, 'property', 'unknown property "colour" of blueprint "Service"'],
    [{ property: 'system', operator: '=', value: 'x' }, 'property', '"system" is a relation of blueprint "Service", not a property: filter on it with the relatedTo operator'],
    [{ property: 'domain', operator: '=', value: 'x' }, 'property', '"domain" is a mirror property of blueprint "Service": mirror properties cannot be filtered or sorted on yet'],
    [{ property: 'language', operator: 'matches', value: 'x' }, 'operator', 'unknown operator "matches"'],
    [{ property: 'language', operator: '=', value: 3 }, 'value', 'needs a string value, got number (property "language" (string), operator "=")'],
    [{ property: 'replicas', operator: '>', value: '3' }, 'value', 'needs a number'],
    [{ property: 'language', operator: '>', value: 'b' }, 'value', 'needs a number or date-time property'],
    [{ property: 'replicas', operator: 'contains', value: '3' }, 'value', 'needs a string property'],
    [{ property: 'language', operator: 'containsAny', value: ['a'] }, 'value', 'needs an array property or $team'],
    [{ property: 'tags', operator: 'containsAny', value: [] }, 'value', 'needs at least 1 value'],
    [{ property: 'releasedAt', operator: 'between', value: { from: '2020-01-01', to: 'later' } }, 'value', 'ISO 8601'],
    [{ property: 'replicas', operator: 'between', value: { from: '2020-01-01', to: '2021-01-01' } }, 'value', 'needs a date-time property'],
    [{ property: 'public', operator: 'in', value: [true, 'yes'] }, 'value', 'value 1 needs a boolean value, got string'],
    [{ property: 'language', operator: '=' }, 'value', 'needs a value'],
    [{ property: 'meta', operator: '=', value: 'x' }, 'value', 'isEmpty'],
    [{ property: '$createdAt', operator: 'in', value: ['2020-01-01'] }, 'value', 'use between'],
  ])('%j', (rule, where, message) => {
    expect(problems(q(rule))).toEqual([{ path: `query.rules.0.${where}`, message: expect.stringContaining(message) }]);
  });

  it('names an unknown blueprint in relatedTo', () => {
    expect(problems(q({ operator: 'relatedTo', blueprint: 'Nope', value: 'x' }))).toEqual([{ path: 'query.rules.0.blueprint', message: 'unknown blueprint "Nope"' }]);
  });

  it('accepts a property of any blueprint in a global search, with the union of its types', () => {
    expect(problems(q({ property: 'language', operator: '>', value: 3 }), global)).toEqual([]);
    expect(problems(q({ property: 'language', operator: '=', value: 'go' }), global)).toEqual([]);
    expect(problems(q({ property: 'language', operator: '=', value: true }), global)[0]!.message).toContain('needs a string or number value, got boolean');
  });
});

describe('semantics (in-memory evaluator)', () => {
  const entity = (properties: Record<string, unknown>, extra: Partial<MemoryEntity> = {}): MemoryEntity => ({
    id: '1', blueprint: 'Service', identifier: 'svc', title: null, team: [], properties, createdAt: now, updatedAt: now, ...extra,
  });
  const matches = (rule: unknown, e: MemoryEntity) => evaluator(resolveQuery(q(rule), scoped), { entities: [e], edges: [] })(e);

  it('treats an absent value as not equal, not containing and empty', () => {
    const e = entity({});
    expect(matches({ property: 'language', operator: '=', value: 'go' }, e)).toBe(false);
    expect(matches({ property: 'language', operator: '!=', value: 'go' }, e)).toBe(true);
    expect(matches({ property: 'language', operator: 'doesNotContains', value: 'go' }, e)).toBe(true);
    expect(matches({ property: 'language', operator: 'isEmpty' }, e)).toBe(true);
    expect(matches({ property: 'language', operator: '=', value: null }, e)).toBe(true);
    expect(matches({ property: 'replicas', operator: '<', value: 5 }, e)).toBe(false);
  });

  it('matches strings case-insensitively for contains/beginsWith/endsWith, exactly for =', () => {
    const e = entity({ language: 'TypeScript' });
    expect(matches({ property: 'language', operator: 'contains', value: 'pesc' }, e)).toBe(true);
    expect(matches({ property: 'language', operator: 'beginsWith', value: 'type' }, e)).toBe(true);
    expect(matches({ property: 'language', operator: 'endsWith', value: 'SCRIPT' }, e)).toBe(true);
    expect(matches({ property: 'language', operator: '=', value: 'typescript' }, e)).toBe(false);
  });

  it('reads contains on an array as element membership, and between on instants', () => {
    expect(matches({ property: 'tags', operator: 'contains', value: 'a' }, entity({ tags: ['a', 'b'] }))).toBe(true);
    expect(matches({ property: 'tags', operator: 'contains', value: 'ab' }, entity({ tags: ['a', 'b'] }))).toBe(false);
    const e = entity({ releasedAt: '2026-11-22T13:00:00+02:00' });
    expect(matches({ property: 'releasedAt', operator: 'between', value: { from: '2026-11-22T10:30:00Z', to: '2026-11-22T11:00:00Z' } }, e)).toBe(true);
    expect(matches({ property: 'releasedAt', operator: 'notBetween', value: { preset: 'lastDay' } }, e)).toBe(false);
  });

  it('resolves date presets against the clock', () => {
    expect(presetRange('today', now)).toEqual({ from: Date.parse('2026-11-22T00:00:00Z'), to: Date.parse('2026-11-22T23:59:59.999Z') });
    expect(presetRange('lastWeek', now)).toEqual({ from: Date.parse('2026-11-15T12:00:00Z'), to: now.getTime() });
    expect(presetRange('last3Months', now).from).toBe(Date.parse('2026-08-22T12:00:00Z'));
  });
});

describe('escapeLike', () => {
  it('escapes LIKE metacharacters so they match literally', () => {
    expect(escapeLike('50%_a\\b')).toBe('50\\%\\_a\\\\b');
  });
});
