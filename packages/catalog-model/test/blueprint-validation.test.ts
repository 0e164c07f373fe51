import type { BlueprintDefinition, BlueprintInput } from '@portolan/contract';
import { describe, expect, it } from 'vitest';
import { validateBlueprint } from '../src/index.ts';
import { blueprint, mapOf, seedBlueprints, withProperties } from './blueprint-fixtures.ts';

type PropertyInput = NonNullable<BlueprintInput['schema']['properties']>[string];

const noOthers = { blueprints: mapOf() };
/** Problems of a one-property blueprint `Service` whose property is `p`. */
const propertyProblems = (p: Record<string, unknown>): ReturnType<typeof validateBlueprint> =>
  validateBlueprint(withProperties({ p: p as PropertyInput }), noOthers);
const at = (suffix = ''): string => `schema.properties.p${suffix}`;

describe('validateBlueprint: seed blueprints', () => {
  it('accepts Domain, System, Component, API and Resource with zero problems', () => {
    const seeds = seedBlueprints();
    for (const def of seeds) {
      const others = mapOf(...seeds.filter((other) => other !== def));
      expect(validateBlueprint(def, { blueprints: others }), def.identifier).toEqual([]);
    }
  });

  it('reports a seed relation whose target blueprint is missing', () => {
    const system = seedBlueprints().find((d) => d.identifier === 'System') as BlueprintDefinition;
    expect(validateBlueprint(system, noOthers)).toEqual([
      { path: 'relations.domain.target', message: 'blueprint "Domain" does not exist' },
    ]);
  });
});

describe('validateBlueprint: property type', () => {
  it.each(['string', 'number', 'boolean', 'object', 'array'])('accepts type %s', (type) => {
    expect(propertyProblems({ type })).toEqual([]);
  });

  it('rejects an unknown type', () => {
    expect(propertyProblems({ type: 'integer' })).toEqual([
      { path: at('.type'), message: 'must be one of: string, number, boolean, object, array' },
    ]);
  });
});

describe('validateBlueprint: format', () => {
  it.each(['date-time', 'url', 'email', 'markdown', 'yaml', 'user', 'team', 'timer', 'ipv4', 'ipv6'])(
    'accepts format %s on a string',
    (format) => {
      expect(propertyProblems({ type: 'string', format })).toEqual([]);
    },
  );

  it('rejects an unknown format', () => {
    expect(propertyProblems({ type: 'string', format: 'uri' })).toEqual([
      {
        path: at('.format'),
        message: 'must be one of: date-time, url, email, markdown, yaml, user, team, timer, ipv4, ipv6',
      },
    ]);
  });

  it('rejects a format on a number', () => {
    expect(propertyProblems({ type: 'number', format: 'email' })).toEqual([
      { path: at('.format'), message: 'format is only allowed on string properties' },
    ]);
  });

  it('rejects a format on the array itself but accepts it on string items', () => {
    expect(propertyProblems({ type: 'array', format: 'email' })).toEqual([
      {
        path: at('.format'),
        message: 'format is only allowed on string properties (put it on "items" for an array of strings)',
      },
    ]);
    expect(propertyProblems({ type: 'array', items: { type: 'string', format: 'email' } })).toEqual([]);
  });

  it('rejects a format on number items', () => {
    expect(propertyProblems({ type: 'array', items: { type: 'number', format: 'url' } })).toEqual([
      { path: at('.items.format'), message: 'format is only allowed on string properties' },
    ]);
  });
});

describe('validateBlueprint: spec', () => {
  it.each([
    { type: 'object', spec: 'open-api' },
    { type: 'object', spec: 'async-api' },
    { type: 'string', format: 'url', spec: 'open-api' },
    { type: 'string', format: 'yaml', spec: 'async-api' },
  ])('accepts %o', (p) => {
    expect(propertyProblems(p)).toEqual([]);
  });

  it('rejects spec on a string without format url or yaml', () => {
    expect(propertyProblems({ type: 'string', format: 'markdown', spec: 'open-api' })).toEqual([
      {
        path: at('.spec'),
        message: 'spec is only allowed on object properties or string properties with format url or yaml',
      },
    ]);
  });

  it('rejects an unknown spec', () => {
    expect(propertyProblems({ type: 'object', spec: 'embedded-url' })).toEqual([
      { path: at('.spec'), message: 'must be one of: open-api, async-api' },
    ]);
  });
});

describe('validateBlueprint: enum and enumColors', () => {
  it('accepts string and number enums with colors', () => {
    expect(propertyProblems({ type: 'string', enum: ['a', 'b'], enumColors: { a: 'red', b: 'paleBlue' } })).toEqual(
      [],
    );
    expect(propertyProblems({ type: 'number', enum: [1, 2.5], enumColors: { '1': 'green' } })).toEqual([]);
  });

  it('rejects an empty enum', () => {
    expect(propertyProblems({ type: 'string', enum: [] })).toEqual([
      { path: at('.enum'), message: 'must contain at least one value' },
    ]);
  });

  it('rejects duplicate values and values of the wrong type', () => {
    expect(propertyProblems({ type: 'string', enum: ['a', 1, 'a'] })).toEqual([
      { path: at('.enum.1'), message: "must be a string (the property's type)" },
      { path: at('.enum.2'), message: 'duplicate value "a"' },
    ]);
    expect(propertyProblems({ type: 'number', enum: [1, '2'] })).toEqual([
      { path: at('.enum.1'), message: "must be a number (the property's type)" },
    ]);
  });

  it('rejects an enum on a boolean', () => {
    expect(propertyProblems({ type: 'boolean', enum: [true] })).toEqual([
      { path: at('.enum'), message: 'enum is only allowed on string and number properties' },
    ]);
  });

  it('rejects enumColors without enum', () => {
    expect(propertyProblems({ type: 'string', enumColors: { a: 'red' } })).toEqual([
      { path: at('.enumColors'), message: 'enumColors requires enum' },
    ]);
  });

  it('rejects enumColors keys that are not enum values and unknown colors', () => {
    expect(propertyProblems({ type: 'string', enum: ['a'], enumColors: { b: 'red', a: 'magenta' } })).toEqual([
      { path: at('.enumColors.b'), message: '"b" is not one of the enum values' },
      {
        path: at('.enumColors.a'),
        message:
          'unknown color "magenta" (one of: blue, turquoise, orange, purple, pink, yellow, green, red, gold, silver, paleBlue, darkGray, lightGray, bronze, lime, olive, brown)',
      },
    ]);
  });
});

describe('validateBlueprint: string keywords', () => {
  it('accepts minLength, maxLength and a unicode pattern', () => {
    expect(propertyProblems({ type: 'string', minLength: 0, maxLength: 5, pattern: '^\\p{L}+$' })).toEqual([]);
  });

  it('rejects negative or fractional lengths', () => {
    expect(propertyProblems({ type: 'string', minLength: -1, maxLength: 1.5 })).toEqual([
      { path: at('.minLength'), message: 'must be a non-negative integer' },
      { path: at('.maxLength'), message: 'must be a non-negative integer' },
    ]);
  });

  it('rejects minLength greater than maxLength', () => {
    expect(propertyProblems({ type: 'string', minLength: 5, maxLength: 3 })).toEqual([
      { path: at('.minLength'), message: 'must not be greater than maxLength (3)' },
    ]);
  });

  it('rejects a pattern that does not compile as a u regex', () => {
    const problems = propertyProblems({ type: 'string', pattern: '(' });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toBe(at('.pattern'));
    expect(problems[0]?.message).toMatch(/^is not a valid regular expression: /);
    // Valid without `u`, invalid with it: ajv compiles with `u`, so this must be refused.
    expect(propertyProblems({ type: 'string', pattern: '\\-' })[0]?.path).toBe(at('.pattern'));
  });

  it('rejects a string keyword on another type', () => {
    expect(propertyProblems({ type: 'number', maxLength: 3 })).toEqual([
      { path: at('.maxLength'), message: '"maxLength" is only allowed on string properties' },
    ]);
  });
});

describe('validateBlueprint: number keywords', () => {
  it('accepts consistent bounds', () => {
    expect(propertyProblems({ type: 'number', minimum: 0, maximum: 10, exclusiveMaximum: 11 })).toEqual([]);
    expect(propertyProblems({ type: 'number', minimum: 3, maximum: 3 })).toEqual([]);
  });

  it('rejects non-numbers', () => {
    expect(propertyProblems({ type: 'number', minimum: '1', exclusiveMaximum: true })).toEqual([
      { path: at('.minimum'), message: 'must be a number' },
      { path: at('.exclusiveMaximum'), message: 'must be a number' },
    ]);
  });

  it('rejects bounds that leave no number', () => {
    expect(propertyProblems({ type: 'number', minimum: 5, maximum: 1 })).toEqual([
      { path: at('.minimum'), message: 'must not be greater than maximum (1)' },
    ]);
    expect(propertyProblems({ type: 'number', exclusiveMinimum: 2, exclusiveMaximum: 2 })).toEqual([
      { path: at('.exclusiveMinimum'), message: 'must be less than exclusiveMaximum (2)' },
    ]);
    expect(propertyProblems({ type: 'number', minimum: 2, exclusiveMaximum: 2 })).toEqual([
      { path: at('.minimum'), message: 'must be less than exclusiveMaximum (2)' },
    ]);
    expect(propertyProblems({ type: 'number', exclusiveMinimum: 2, maximum: 2 })).toEqual([
      { path: at('.exclusiveMinimum'), message: 'must be less than maximum (2)' },
    ]);
  });

  it('rejects a number keyword on a string', () => {
    expect(propertyProblems({ type: 'string', minimum: 1 })).toEqual([
      { path: at('.minimum'), message: '"minimum" is only allowed on number properties' },
    ]);
  });
});

describe('validateBlueprint: array keywords', () => {
  it('accepts items with rules, minItems, maxItems, uniqueItems', () => {
    expect(
      propertyProblems({
        type: 'array',
        items: { type: 'string', enum: ['x', 'y'], enumColors: { x: 'red' }, maxLength: 3 },
        minItems: 1,
        maxItems: 3,
        uniqueItems: true,
      }),
    ).toEqual([]);
    expect(propertyProblems({ type: 'array' })).toEqual([]);
  });

  it('rejects an invalid item type, arrays of arrays and item enum problems', () => {
    expect(propertyProblems({ type: 'array', items: { type: 'date' } })).toEqual([
      { path: at('.items.type'), message: 'must be one of: string, number, boolean, object' },
    ]);
    expect(propertyProblems({ type: 'array', items: { type: 'array' } })).toEqual([
      {
        path: at('.items.type'),
        message: 'must be one of: string, number, boolean, object (arrays of arrays are not supported)',
      },
    ]);
    expect(propertyProblems({ type: 'array', items: { type: 'number', enum: [1, 'x'], enumColors: { 2: 'red' } } })).toEqual([
      { path: at('.items.enum.1'), message: "must be a number (the property's type)" },
      { path: at('.items.enumColors.2'), message: '"2" is not one of the enum values' },
    ]);
  });

  it('rejects default and spec on items', () => {
    expect(propertyProblems({ type: 'array', items: { type: 'string', default: 'a', spec: 'open-api' } })).toEqual([
      { path: at('.items.default'), message: '"default" is not allowed on array items' },
      { path: at('.items.spec'), message: '"spec" is not allowed on array items' },
    ]);
  });

  it('rejects bad minItems/maxItems/uniqueItems', () => {
    expect(propertyProblems({ type: 'array', minItems: 4, maxItems: 2, uniqueItems: 'yes' })).toEqual([
      { path: at('.minItems'), message: 'must not be greater than maxItems (2)' },
      { path: at('.uniqueItems'), message: 'must be a boolean' },
    ]);
  });

  it('rejects items on a non-array', () => {
    expect(propertyProblems({ type: 'string', items: { type: 'string' } })).toEqual([
      { path: at('.items'), message: '"items" is only allowed on array properties' },
    ]);
  });
});

describe('validateBlueprint: object keywords', () => {
  it('accepts properties, patternProperties and additionalProperties as JSON Schema', () => {
    expect(
      propertyProblems({
        type: 'object',
        properties: { name: { type: 'string' } },
        patternProperties: { '^x-': { type: 'number' } },
        additionalProperties: false,
      }),
    ).toEqual([]);
  });

  it('rejects a nested schema the JSON-Schema meta-schema refuses', () => {
    expect(propertyProblems({ type: 'object', properties: { a: { minLength: -1 } } })).toEqual([
      { path: at('.properties.a.minLength'), message: 'must be >= 0' },
    ]);
  });

  it('rejects wrong shapes and patternProperties keys that are not regexes', () => {
    const problems = propertyProblems({
      type: 'object',
      properties: [],
      patternProperties: { '[': {} },
      additionalProperties: 1,
    });
    expect(problems.map((p) => p.path)).toEqual([
      at('.properties'),
      at('.patternProperties.['),
      at('.additionalProperties'),
    ]);
    expect(problems[0]?.message).toBe('must be an object');
    expect(problems[1]?.message).toMatch(/^is not a valid regular expression: /);
    expect(problems[2]?.message).toBe('must be a boolean or an object');
  });

  it('rejects object keywords on other types', () => {
    expect(propertyProblems({ type: 'string', additionalProperties: false })).toEqual([
      { path: at('.additionalProperties'), message: '"additionalProperties" is only allowed on object properties' },
    ]);
  });
});

describe('validateBlueprint: unknown keywords', () => {
  it('accepts the annotation keywords', () => {
    expect(propertyProblems({ type: 'string', title: 'T', description: 'D', icon: 'Docs' })).toEqual([]);
  });

  it('names an unknown keyword', () => {
    expect(propertyProblems({ type: 'string', minlength: 3, specAuthentication: {} })).toEqual([
      { path: at('.minlength'), message: 'unknown keyword "minlength"' },
      { path: at('.specAuthentication'), message: 'unknown keyword "specAuthentication"' },
    ]);
  });
});

describe('validateBlueprint: default', () => {
  it('accepts defaults that are valid values', () => {
    expect(propertyProblems({ type: 'string', enum: ['a', 'b'], default: 'b' })).toEqual([]);
    expect(propertyProblems({ type: 'array', items: { type: 'string' }, default: ['x'] })).toEqual([]);
    expect(propertyProblems({ type: 'string', format: 'url', default: 'https://example.com' })).toEqual([]);
    expect(propertyProblems({ type: 'boolean', default: false })).toEqual([]);
  });

  it('checks the default with the entity validator', () => {
    expect(propertyProblems({ type: 'string', enum: ['a', 'b'], default: 'c' })).toEqual([
      { path: at('.default'), message: 'must be one of: a, b' },
    ]);
    expect(propertyProblems({ type: 'array', items: { type: 'string' }, default: ['x', 2] })).toEqual([
      { path: at('.default.1'), message: 'must be a string' },
    ]);
    expect(propertyProblems({ type: 'string', maxLength: 2, default: 'abc' })).toEqual([
      { path: at('.default'), message: 'must be at most 2 characters' },
    ]);
    expect(propertyProblems({ type: 'number', default: '1' })).toEqual([
      { path: at('.default'), message: 'must be a number' },
    ]);
  });

  it('rejects a null default', () => {
    expect(propertyProblems({ type: 'string', default: null })).toEqual([
      { path: at('.default'), message: 'must not be null (leave it out for no default)' },
    ]);
  });

  it('does not judge the default of a property that is itself invalid', () => {
    expect(propertyProblems({ type: 'string', enum: [], default: 'x' })).toEqual([
      { path: at('.enum'), message: 'must contain at least one value' },
    ]);
  });
});

describe('validateBlueprint: schema.required', () => {
  it('accepts existing properties', () => {
    expect(validateBlueprint(withProperties({ a: { type: 'string' } }, ['a']), noOthers)).toEqual([]);
  });

  it('rejects unknown and duplicate entries', () => {
    expect(
      validateBlueprint(withProperties({ a: { type: 'string' }, b: { type: 'string' } }, ['a', 'nope', 'a']), noOthers),
    ).toEqual([
      { path: 'schema.required.1', message: '"nope" is not a property of this blueprint' },
      { path: 'schema.required.2', message: 'duplicate entry "a"' },
    ]);
  });

  it('does not take inherited object keys for properties', () => {
    expect(validateBlueprint(withProperties({}, ['constructor']), noOthers)).toEqual([
      { path: 'schema.required.0', message: '"constructor" is not a property of this blueprint' },
    ]);
  });
});

const domain = blueprint({
  identifier: 'Domain',
  title: 'Domain',
  schema: { properties: { name: { type: 'string' } } },
  relations: { owners: { target: 'Team', many: true } },
});
const team = blueprint({ identifier: 'Team', title: 'Team', schema: { properties: {} } });
const system = blueprint({
  identifier: 'System',
  title: 'System',
  schema: { properties: {} },
  relations: { domain: { target: 'Domain', required: true } },
});
const ctx = { blueprints: mapOf(domain, team, system) };

describe('validateBlueprint: relations', () => {
  it('accepts existing targets and self-relations', () => {
    const def = blueprint({
      identifier: 'Service',
      title: 'Service',
      schema: { properties: {} },
      relations: { system: { target: 'System' }, dependsOn: { target: 'Service', many: true } },
    });
    expect(validateBlueprint(def, ctx)).toEqual([]);
  });

  it('rejects a missing target', () => {
    const def = blueprint({
      identifier: 'Service',
      title: 'Service',
      schema: { properties: {} },
      relations: { system: { target: 'Sys' } },
    });
    expect(validateBlueprint(def, ctx)).toEqual([
      { path: 'relations.system.target', message: 'blueprint "Sys" does not exist' },
    ]);
  });

  it('rejects many together with required', () => {
    const def = blueprint({
      identifier: 'Service',
      title: 'Service',
      schema: { properties: {} },
      relations: { systems: { target: 'System', many: true, required: true } },
    });
    expect(validateBlueprint(def, ctx)).toEqual([
      { path: 'relations.systems', message: 'a relation cannot be both many and required' },
    ]);
  });

  it('rejects a relation id that is a property id', () => {
    const def = blueprint({
      identifier: 'Service',
      title: 'Service',
      schema: { properties: { system: { type: 'string' } } },
      relations: { system: { target: 'System' } },
    });
    expect(validateBlueprint(def, ctx)).toEqual([
      { path: 'relations.system', message: 'identifier "system" is already used by a property' },
    ]);
  });
});

const service = (mirrorProperties: Record<string, { path: string }>, extra: Partial<BlueprintInput> = {}): BlueprintDefinition =>
  blueprint({
    identifier: 'Service',
    title: 'Service',
    schema: { properties: { lang: { type: 'string' } } },
    relations: { system: { target: 'System' }, parent: { target: 'Service' }, systems: { target: 'System', many: true } },
    mirrorProperties,
    ...extra,
  });

describe('validateBlueprint: mirror properties', () => {
  it('accepts single and multi-hop paths, meta-properties and self-relations', () => {
    const def = service({
      domainName: { path: 'system.domain.name' },
      systemTitle: { path: 'system.$title' },
      domainId: { path: 'system.domain.$identifier' },
      parentLang: { path: 'parent.lang' },
      grandParentSystem: { path: 'parent.parent.system.$blueprint' },
    });
    expect(validateBlueprint(def, ctx)).toEqual([]);
  });

  it('resolves self-relations against def, not a stored copy of it', () => {
    const stored = blueprint({ identifier: 'Service', title: 'Service', schema: { properties: {} } });
    const def = service({ parentLang: { path: 'parent.lang' } });
    expect(validateBlueprint(def, { blueprints: mapOf(domain, team, system, stored) })).toEqual([]);
  });

  it('names the blueprint that lacks the final property', () => {
    expect(validateBlueprint(service({ domainName: { path: 'system.domain.nope' } }), ctx)).toEqual([
      {
        path: 'mirrorProperties.domainName.path',
        message: 'path "system.domain.nope": blueprint "Domain" has no property "nope"',
      },
    ]);
  });

  it('rejects a segment that is not a relation', () => {
    expect(validateBlueprint(service({ m: { path: 'lang.name' } }), ctx)).toEqual([
      { path: 'mirrorProperties.m.path', message: 'path "lang.name": blueprint "Service" has no relation "lang"' },
    ]);
    expect(validateBlueprint(service({ m: { path: 'system.nope.name' } }), ctx)).toEqual([
      {
        path: 'mirrorProperties.m.path',
        message: 'path "system.nope.name": blueprint "System" has no relation "nope"',
      },
    ]);
  });

  it('rejects a path through a many relation', () => {
    expect(validateBlueprint(service({ m: { path: 'systems.$title' } }), ctx)).toEqual([
      {
        path: 'mirrorProperties.m.path',
        message:
          'path "systems.$title": relation "systems" of blueprint "Service" is many; only single relations can be followed',
      },
    ]);
  });

  it('rejects a path without a relation, an empty segment and an unknown meta-property', () => {
    expect(validateBlueprint(service({ a: { path: 'lang' }, b: { path: 'system..name' }, c: { path: 'system.$foo' } }), ctx)).toEqual([
      {
        path: 'mirrorProperties.a.path',
        message: 'path "lang": must be relation(s) followed by a property, e.g. "relation.property"',
      },
      { path: 'mirrorProperties.b.path', message: 'path "system..name": has an empty segment' },
      {
        path: 'mirrorProperties.c.path',
        message:
          'path "system.$foo": "$foo" is not a meta-property (one of $identifier, $title, $team, $icon, $createdAt, $updatedAt, $createdBy, $updatedBy, $blueprint)',
      },
    ]);
  });

  it('rejects a path through a relation whose target is missing', () => {
    const def = blueprint({
      identifier: 'Service',
      title: 'Service',
      schema: { properties: {} },
      relations: { ghost: { target: 'Ghost' } },
      mirrorProperties: { g: { path: 'ghost.$title' } },
    });
    expect(validateBlueprint(def, ctx)).toEqual([
      { path: 'relations.ghost.target', message: 'blueprint "Ghost" does not exist' },
      {
        path: 'mirrorProperties.g.path',
        message: 'path "ghost.$title": blueprint "Ghost" (target of relation "ghost" of "Service") does not exist',
      },
    ]);
  });

  it('rejects mirror ids that collide with a property or a relation', () => {
    expect(validateBlueprint(service({ lang: { path: 'system.$title' }, system: { path: 'system.$title' } }), ctx)).toEqual([
      { path: 'mirrorProperties.lang', message: 'identifier "lang" is already used by a property' },
      { path: 'mirrorProperties.system', message: 'identifier "system" is already used by a relation' },
    ]);
  });

  it('rejects calculation/aggregation ids that collide with other fields', () => {
    const def = service(
      { m: { path: 'system.$title' } },
      { calculationProperties: { m: {}, ok: {} }, aggregationProperties: { lang: {}, ok: {} } },
    );
    expect(validateBlueprint(def, ctx)).toEqual([
      { path: 'calculationProperties.m', message: 'identifier "m" is already used by a mirror property' },
      { path: 'aggregationProperties.lang', message: 'identifier "lang" is already used by a property' },
      { path: 'aggregationProperties.ok', message: 'identifier "ok" is already used by a calculation property' },
    ]);
  });
});

describe('validateBlueprint: ownership', () => {
  it('accepts Direct and an Inherited path through single relations', () => {
    expect(validateBlueprint(service({}, { ownership: { type: 'Direct' } }), ctx)).toEqual([]);
    expect(validateBlueprint(service({}, { ownership: { type: 'Inherited', path: 'system.domain' } }), ctx)).toEqual(
      [],
    );
  });

  it('rejects an Inherited path through a many relation or a missing relation', () => {
    expect(validateBlueprint(service({}, { ownership: { type: 'Inherited', path: 'systems' } }), ctx)).toEqual([
      {
        path: 'ownership.path',
        message: 'path "systems": relation "systems" of blueprint "Service" is many; only single relations can be followed',
      },
    ]);
    expect(validateBlueprint(service({}, { ownership: { type: 'Inherited', path: 'system.owner' } }), ctx)).toEqual([
      { path: 'ownership.path', message: 'path "system.owner": blueprint "System" has no relation "owner"' },
    ]);
  });
});

describe('validateBlueprint: lists every problem', () => {
  it('does not stop at the first one', () => {
    const def = blueprint({
      identifier: 'Service',
      title: 'Service',
      schema: {
        properties: {
          port: { type: 'integer' },
          kind: { type: 'string', enum: ['a'], default: 'b' },
          url: { type: 'number', format: 'url' },
        },
        required: ['port', 'missing'],
      },
      relations: { system: { target: 'Nope', many: true, required: true } },
      mirrorProperties: { m: { path: 'system.$title' } },
    });
    expect(validateBlueprint(def, ctx)).toEqual([
      { path: 'schema.properties.port.type', message: 'must be one of: string, number, boolean, object, array' },
      { path: 'schema.properties.url.format', message: 'format is only allowed on string properties' },
      { path: 'schema.properties.kind.default', message: 'must be one of: a' },
      { path: 'schema.required.1', message: '"missing" is not a property of this blueprint' },
      { path: 'relations.system.target', message: 'blueprint "Nope" does not exist' },
      { path: 'relations.system', message: 'a relation cannot be both many and required' },
      {
        path: 'mirrorProperties.m.path',
        message: 'path "system.$title": relation "system" of blueprint "Service" is many; only single relations can be followed',
      },
    ]);
  });
});
