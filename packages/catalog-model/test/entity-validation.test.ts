import { describe, expect, it } from 'vitest';
import { applyDefaults, compileEntityValidator } from '../src/index.ts';
import { blueprint, seedBlueprints, withProperties } from './blueprint-fixtures.ts';

const service = withProperties(
  {
    type: { type: 'string', enum: ['service', 'library'] },
    name: { type: 'string', minLength: 2, maxLength: 10, pattern: '^[a-z]+$' },
    port: { type: 'number', minimum: 1, exclusiveMaximum: 65536 },
    ratio: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
    public: { type: 'boolean' },
    homepage: { type: 'string', format: 'url' },
    tags: { type: 'array', items: { type: 'string', enum: ['a', 'b'] }, minItems: 1, maxItems: 2, uniqueItems: true },
    meta: { type: 'object', properties: { owner: { type: 'string' } }, additionalProperties: false },
  },
  ['type'],
);
const validate = compileEntityValidator(service);

describe('compileEntityValidator', () => {
  it('accepts a valid entity', () => {
    expect(
      validate({
        type: 'service',
        name: 'cart',
        port: 8080,
        ratio: 0.5,
        public: true,
        homepage: 'https://example.com/x',
        tags: ['a', 'b'],
        meta: { owner: 'me' },
      }),
    ).toEqual([]);
  });

  it('reports required properties', () => {
    expect(validate({})).toEqual([{ path: 'properties.type', message: 'is required' }]);
  });

  it('treats null as cleared: fine when optional, missing when required', () => {
    expect(validate({ type: 'library', name: null, tags: null })).toEqual([]);
    expect(validate({ type: null })).toEqual([{ path: 'properties.type', message: 'is required' }]);
  });

  it('reports unknown properties', () => {
    expect(validate({ type: 'service', foo: 1 })).toEqual([
      { path: 'properties.foo', message: 'unknown property (blueprint "Service" has no property "foo")' },
    ]);
  });

  it('reports type, enum and only the type error when both fail', () => {
    expect(validate({ type: 'app', port: '80', public: 'yes', meta: [], tags: 'a' })).toEqual([
      { path: 'properties.type', message: 'must be one of: service, library' },
      { path: 'properties.port', message: 'must be a number' },
      { path: 'properties.public', message: 'must be a boolean' },
      { path: 'properties.tags', message: 'must be an array' },
      { path: 'properties.meta', message: 'must be an object' },
    ]);
    expect(validate({ type: 5 })).toEqual([{ path: 'properties.type', message: 'must be a string' }]);
  });

  it('reports string constraints', () => {
    expect(validate({ type: 'service', name: 'a' })).toEqual([
      { path: 'properties.name', message: 'must be at least 2 characters' },
    ]);
    expect(validate({ type: 'service', name: 'abcdefghijk' })).toEqual([
      { path: 'properties.name', message: 'must be at most 10 characters' },
    ]);
    expect(validate({ type: 'service', name: 'AB' })).toEqual([
      { path: 'properties.name', message: 'must match pattern "^[a-z]+$"' },
    ]);
  });

  it('reports number bounds', () => {
    expect(validate({ type: 'service', port: 0, ratio: 0 })).toEqual([
      { path: 'properties.port', message: 'must be >= 1' },
      { path: 'properties.ratio', message: 'must be > 0' },
    ]);
    expect(validate({ type: 'service', port: 65536, ratio: 1.5 })).toEqual([
      { path: 'properties.port', message: 'must be < 65536' },
      { path: 'properties.ratio', message: 'must be <= 1' },
    ]);
  });

  it('reports array items by index and array constraints', () => {
    expect(validate({ type: 'service', tags: ['a', 'c'] })).toEqual([
      { path: 'properties.tags.1', message: 'must be one of: a, b' },
    ]);
    expect(validate({ type: 'service', tags: [] })).toEqual([
      { path: 'properties.tags', message: 'must have at least 1 item' },
    ]);
    expect(validate({ type: 'service', tags: ['a', 'b', 'a'] })).toEqual([
      { path: 'properties.tags', message: 'must have at most 2 items' },
      { path: 'properties.tags', message: 'must not contain duplicates (items 0 and 2 are equal)' },
    ]);
  });

  it('reports nested object problems', () => {
    expect(validate({ type: 'service', meta: { owner: 1, extra: true } })).toEqual([
      { path: 'properties.meta.extra', message: 'is not allowed' },
      { path: 'properties.meta.owner', message: 'must be a string' },
    ]);
  });

  it('lists problems of several properties at once', () => {
    expect(validate({ name: 'X', port: -1, bar: 1 })).toEqual([
      { path: 'properties.type', message: 'is required' },
      { path: 'properties.bar', message: 'unknown property (blueprint "Service" has no property "bar")' },
      { path: 'properties.name', message: 'must be at least 2 characters' },
      { path: 'properties.name', message: 'must match pattern "^[a-z]+$"' },
      { path: 'properties.port', message: 'must be >= 1' },
    ]);
  });
});

describe('compileEntityValidator: formats', () => {
  const formats = compileEntityValidator(
    withProperties({
      url: { type: 'string', format: 'url' },
      email: { type: 'string', format: 'email' },
      when: { type: 'string', format: 'date-time' },
      timer: { type: 'string', format: 'timer' },
      ip4: { type: 'string', format: 'ipv4' },
      ip6: { type: 'string', format: 'ipv6' },
      md: { type: 'string', format: 'markdown' },
      yaml: { type: 'string', format: 'yaml' },
      user: { type: 'string', format: 'user' },
      team: { type: 'string', format: 'team' },
      emails: { type: 'array', items: { type: 'string', format: 'email' } },
    }),
  );

  it('accepts valid values of every format', () => {
    expect(
      formats({
        url: 'ftp://files.example.com/a',
        email: 'a@example.com',
        when: '2026-01-02T03:04:05Z',
        timer: '2026-01-02T03:04:05.123+02:00',
        ip4: '10.0.0.1',
        ip6: '::1',
        md: '# anything',
        yaml: 'a: [',
        user: 'whoever',
        team: 'platform',
        emails: ['a@example.com'],
      }),
    ).toEqual([]);
  });

  it('rejects invalid values of every checked format', () => {
    expect(
      formats({
        url: 'example.com/relative',
        email: 'not-an-email',
        when: '2026-01-02',
        timer: 'tomorrow',
        ip4: '300.0.0.1',
        ip6: 'nope',
        emails: ['a@example.com', 'x'],
      }),
    ).toEqual([
      { path: 'properties.url', message: 'must be a valid url' },
      { path: 'properties.email', message: 'must be a valid email' },
      { path: 'properties.when', message: 'must be a valid date-time' },
      { path: 'properties.timer', message: 'must be a valid date-time' },
      { path: 'properties.ip4', message: 'must be a valid ipv4' },
      { path: 'properties.ip6', message: 'must be a valid ipv6' },
      { path: 'properties.emails.1', message: 'must be a valid email' },
    ]);
  });
});

describe('compileEntityValidator: robustness', () => {
  it('compiles blueprints that carry Port annotations and nested $id', () => {
    const def = withProperties({
      api: { type: 'object', spec: 'open-api', icon: 'Docs', title: 'API', description: 'd' },
      nested: { type: 'object', properties: { a: { $id: 'https://x/a', type: 'string', icon: 'x' } } },
    });
    // Compiling twice proves nothing is registered in ajv between compiles.
    expect(compileEntityValidator(def)({ api: { openapi: '3.0.0' }, nested: { a: 'x' } })).toEqual([]);
    expect(compileEntityValidator(def)({ nested: { a: 1 } })).toEqual([
      { path: 'properties.nested.a', message: 'must be a string' },
    ]);
  });

  it('compiles the seed blueprints and validates the seed entities', () => {
    const byId = new Map(seedBlueprints().map((d) => [d.identifier, compileEntityValidator(d)]));
    expect(byId.get('Component')?.({ type: 'service' })).toEqual([]);
    expect(byId.get('Resource')?.({ type: 'postgress' })).toEqual([]);
    expect(byId.get('API')?.({ type: 'Open API' })).toEqual([]);
    expect(byId.get('Domain')?.({})).toEqual([]);
    expect(byId.get('Component')?.({ type: 'app' })).toEqual([
      { path: 'properties.type', message: 'must be one of: service, library' },
    ]);
  });
});

describe('applyDefaults', () => {
  const def = blueprint({
    identifier: 'Service',
    title: 'Service',
    schema: {
      properties: {
        tier: { type: 'string', default: 'gold' },
        tags: { type: 'array', items: { type: 'string' }, default: ['a'] },
        name: { type: 'string' },
      },
    },
  });

  it('fills missing properties and leaves given and cleared ones', () => {
    const input = { name: 'x', tags: null };
    const out = applyDefaults(def, input);
    expect(out).toEqual({ name: 'x', tags: null, tier: 'gold' });
    expect(input).toEqual({ name: 'x', tags: null });
    expect(applyDefaults(def, { tier: 'silver' })).toEqual({ tier: 'silver', tags: ['a'] });
  });

  it('copies mutable defaults', () => {
    const first = applyDefaults(def, {});
    (first.tags as string[]).push('b');
    expect(applyDefaults(def, {}).tags).toEqual(['a']);
  });
});
