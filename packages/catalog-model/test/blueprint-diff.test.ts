import type { BlueprintInput } from '@portolan/contract';
import { describe, expect, it } from 'vitest';
import { diffBlueprint } from '../src/index.ts';
import { blueprint } from './blueprint-fixtures.ts';

type Props = NonNullable<BlueprintInput['schema']['properties']>;

const def = (properties: Props, required: string[] = [], relations: BlueprintInput['relations'] = {}) =>
  blueprint({ identifier: 'Service', title: 'Service', schema: { properties, required }, relations });

describe('diffBlueprint: properties', () => {
  it('reports nothing for an identical or purely loosened blueprint', () => {
    const before = def(
      { a: { type: 'string', enum: ['x'], maxLength: 5, minLength: 2 }, n: { type: 'number', minimum: 1 } },
      ['a'],
    );
    expect(diffBlueprint(before, before)).toEqual([]);
    const after = def(
      {
        a: { type: 'string', enum: ['x', 'y'], maxLength: 10, title: 'A' },
        n: { type: 'number', minimum: 0 },
        added: { type: 'string' },
      },
      [],
    );
    expect(diffBlueprint(before, after)).toEqual([]);
  });

  it('reports type changes, including array item types', () => {
    const before = def({ a: { type: 'string' }, t: { type: 'array', items: { type: 'string' } } });
    const after = def({ a: { type: 'number' }, t: { type: 'array', items: { type: 'number' } } });
    expect(diffBlueprint(before, after)).toEqual([
      { kind: 'propertyTypeChanged', property: 'a', from: 'string', to: 'number' },
      { kind: 'propertyTypeChanged', property: 't', from: 'array<string>', to: 'array<number>' },
    ]);
  });

  it('reports removed properties', () => {
    expect(diffBlueprint(def({ a: { type: 'string' } }), def({}))).toEqual([{ kind: 'propertyRemoved', property: 'a' }]);
  });

  it('reports properties that became required, and new required ones, with hasDefault', () => {
    const before = def({ a: { type: 'string' } });
    const after = def({ a: { type: 'string', default: 'x' }, b: { type: 'string' } }, ['a', 'b']);
    expect(diffBlueprint(before, after)).toEqual([
      { kind: 'propertyBecameRequired', property: 'a', hasDefault: true },
      { kind: 'propertyAddedRequired', property: 'b', hasDefault: false },
    ]);
  });

  it('reports narrowed constraints with the keywords', () => {
    const before = def({
      s: { type: 'string', enum: ['x', 'y'], maxLength: 10 },
      f: { type: 'string' },
      n: { type: 'number', maximum: 10 },
      t: { type: 'array', items: { type: 'string' } },
      o: { type: 'object' },
    });
    const after = def({
      s: { type: 'string', enum: ['x'], maxLength: 5, minLength: 1, pattern: '^x' },
      f: { type: 'string', format: 'url' },
      n: { type: 'number', maximum: 5, exclusiveMinimum: 0 },
      t: { type: 'array', items: { type: 'string', format: 'email' }, maxItems: 3, uniqueItems: true },
      o: { type: 'object', additionalProperties: false },
    });
    expect(diffBlueprint(before, after)).toEqual([
      { kind: 'propertyConstraintsTightened', property: 's', keywords: ['enum', 'pattern', 'minLength', 'maxLength'] },
      { kind: 'propertyConstraintsTightened', property: 'f', keywords: ['format'] },
      { kind: 'propertyConstraintsTightened', property: 'n', keywords: ['exclusiveMinimum', 'maximum'] },
      { kind: 'propertyConstraintsTightened', property: 't', keywords: ['maxItems', 'uniqueItems', 'items.format'] },
      { kind: 'propertyConstraintsTightened', property: 'o', keywords: ['additionalProperties'] },
    ]);
  });

  it('treats a move to an any-string format as safe', () => {
    expect(diffBlueprint(def({ a: { type: 'string', format: 'url' } }), def({ a: { type: 'string', format: 'markdown' } }))).toEqual([]);
  });
});

describe('diffBlueprint: relations', () => {
  it('reports removed relations, target, many and required changes', () => {
    const before = def({}, [], {
      gone: { target: 'A' },
      moved: { target: 'A' },
      plural: { target: 'A' },
      needed: { target: 'A' },
      same: { target: 'A', required: true },
    });
    const after = def({}, [], {
      moved: { target: 'B' },
      plural: { target: 'A', many: true },
      needed: { target: 'A', required: true },
      same: { target: 'A', required: true },
      fresh: { target: 'A', required: true },
      optional: { target: 'A' },
    });
    expect(diffBlueprint(before, after)).toEqual([
      { kind: 'relationRemoved', relation: 'gone' },
      { kind: 'relationTargetChanged', relation: 'moved', from: 'A', to: 'B' },
      { kind: 'relationManyChanged', relation: 'plural', from: false, to: true },
      { kind: 'relationBecameRequired', relation: 'needed' },
      { kind: 'relationAddedRequired', relation: 'fresh' },
    ]);
  });

  it('reports nothing when a relation becomes optional', () => {
    expect(diffBlueprint(def({}, [], { r: { target: 'A', required: true } }), def({}, [], { r: { target: 'A' } }))).toEqual([]);
  });
});
