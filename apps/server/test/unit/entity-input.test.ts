import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entityInputSchema } from '@portolan/contract';
import { fastEntityInput } from '../../src/modules/entities/entity-input.ts';

// The hand-written fast path of the bulk write must never accept what the schema refuses, nor
// return anything else than the schema would.

// Mostly valid values (so the fast path is reached often) with invalid ones mixed in.
const mostly = <T, U>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<U>) => fc.oneof({ arbitrary: valid, weight: 6 }, { arbitrary: invalid, weight: 1 });
const identifier = mostly(
  fc.oneof(fc.constantFrom('cart-service', 'a', 'Ünïcode.id', 'x/y:z=1', 'a'.repeat(1000)), fc.stringMatching(/^[a-z0-9.-]{1,12}$/)),
  fc.oneof(fc.constantFrom('', '.', '..', 'a b', 'a'.repeat(1001), 'semi;colon'), fc.string({ maxLength: 6 }), fc.integer()),
);
const text = (max: number) => mostly(fc.oneof(fc.string({ maxLength: 8 }), fc.constant('t'.repeat(max)), fc.constant(null)), fc.oneof(fc.constant('t'.repeat(max + 1)), fc.integer()));
const team = mostly(
  fc.oneof(fc.constantFrom('cart-team', 'x'.repeat(200)), fc.array(fc.constantFrom('cart-team', 'ops', 'x'.repeat(200)), { maxLength: 3 })),
  fc.oneof(fc.constantFrom('', 't'.repeat(201)), fc.constant(['ok', '']), fc.integer()),
);
const relationValue = mostly(fc.oneof(identifier, fc.array(identifier, { maxLength: 3 }), fc.constant(null)), fc.boolean());
const body = fc
  .tuple(
    fc.record(
      {
        identifier,
        title: text(1000),
        icon: text(100),
        team,
        properties: mostly(fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }), fc.oneof(fc.array(fc.integer()), fc.constant(null))),
        relations: mostly(fc.dictionary(fc.string({ maxLength: 5 }), relationValue, { maxKeys: 3 }), fc.constant('x')),
        blueprint: mostly(fc.constant('Component'), fc.integer()),
      },
      { requiredKeys: [] },
    ),
    fc.boolean(),
  )
  // Now and then a key the schema does not know (zod drops it; the fast path leaves it to zod).
  .map(([b, extra]) => JSON.parse(JSON.stringify(extra && Math.abs(JSON.stringify(b).length % 5) === 0 ? { ...b, extra: 1 } : b)) as unknown);

describe('fast entity input parsing', () => {
  it('accepts only what the schema accepts, with the same result', () => {
    let fast = 0;
    fc.assert(
      fc.property(body, (b) => {
        const mine = fastEntityInput(b);
        if (mine === null) return;
        fast++;
        const zod = entityInputSchema.safeParse(b);
        expect(zod.success).toBe(true);
        expect(mine).toEqual(zod.data);
      }),
      { numRuns: 3000 },
    );
    // The generator must reach the fast path often enough for the property to mean something.
    expect(fast).toBeGreaterThan(30);
  });

  it('takes a typical catalog entity', () => {
    const b = { identifier: 'cart-service', title: 'Cart', team: ['cart-team'], properties: { language: 'Go' }, relations: { system: 'cart', resources: ['db'], gone: null } };
    expect(fastEntityInput(b)).toEqual(entityInputSchema.parse(b));
  });
});
