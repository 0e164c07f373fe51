import { sql } from 'kysely';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idArrayLiteral, textArrayLiteral } from '../../src/db/array-literal.ts';
import { createTestDatabase, type TestDatabase } from '../../../../test-support/test-database.ts';

// The bulk write's arrays travel as literals built in Node (db/array-literal.ts); PostgreSQL must
// read back exactly the values that were sent, whatever characters an identifier holds.

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

const roundTrip = async (literal: string, type: 'text' | 'bigint') =>
  (await sql<{ v: string[] }>`select ${literal}::${sql.raw(type)}[]::text[] as v`.execute(database.db)).rows[0]!.v;

describe('array literals', () => {
  it('text values come back as sent, including the ones array syntax gives a meaning to', async () => {
    const tricky = ['NULL', 'null', '', ' padded ', 'a,b', '{x}', 'say "hi"', 'back\\slash', 'trail\\', '"', 'ünïcødé/π', 'tab\there', 'line\nbreak'];
    expect(await roundTrip(textArrayLiteral(tricky), 'text')).toEqual(tricky);
    expect(await roundTrip(textArrayLiteral([]), 'text')).toEqual([]);
  });

  it('random strings come back as sent', async () => {
    // No NUL: PostgreSQL text cannot hold it, whatever the encoding of the array.
    const value = fc.string({ unit: 'binary', maxLength: 12 }).filter((s) => !s.includes('\u0000'));
    await fc.assert(
      fc.asyncProperty(fc.array(value, { maxLength: 20 }), async (values) => {
        expect(await roundTrip(textArrayLiteral(values), 'text')).toEqual(values);
      }),
      { numRuns: 100 },
    );
  });

  it('ids come back as sent, and anything but a decimal integer is refused before it reaches SQL', async () => {
    const ids = ['1', '42', '9007199254740993', '-7'];
    expect(await roundTrip(idArrayLiteral(ids), 'bigint')).toEqual(ids);
    expect(await roundTrip(idArrayLiteral([]), 'bigint')).toEqual([]);
    for (const bad of ['1,2', '', ' 1', '1}', 'NULL', '1.5']) expect(() => idArrayLiteral(['3', bad])).toThrow(/not an id/);
  });
});
