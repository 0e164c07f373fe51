import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toEntity } from '../../src/modules/entities/entities.mapper.ts';
import { findEntities } from '../../src/modules/entities/entities.repository.ts';
import { entityDocumentTextSql } from '../../src/modules/entities/entity-document-sql.ts';
import { createTestApp, type TestApp } from '../../../../test-support/test-app.ts';

// Search pages answer documents the database writes (entityDocumentTextSql); they must be
// what toEntity makes of the same row in Node, for any stored values: unicode and escapes, numbers
// jsonb keeps exactly, nulls, timestamps with microseconds, a file origin, the orphaned mark.

let t: TestApp;
let location: string;
beforeAll(async () => {
  t = await createTestApp({ examples: true });
  location = (await t.db.insertInto('locations').values({ url: 'https://github.com/acme/cat/blob/main/c.yaml', created_by: 'test' }).returning('id').executeTakeFirstOrThrow()).id;
});
afterAll(async () => t?.close());

const text = fc.string({ unit: 'grapheme', maxLength: 12 }).filter((s) => !s.includes('\u0000') && s !== '__proto__');
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(text, tie('value'), { maxKeys: 3 })),
})).value;
const instant = fc.integer({ min: Date.UTC(1990, 0, 1) * 1000, max: Date.UTC(2090, 0, 1) * 1000 }); // microseconds

describe('entity documents written by the database', () => {
  it('equal toEntity of the same row, mirror values merged over the properties', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          title: fc.option(text, { nil: null }),
          icon: fc.option(text, { nil: null }),
          team: fc.array(text, { maxLength: 3 }),
          properties: fc.dictionary(text, json, { maxKeys: 4 }),
          mirrored: fc.option(fc.dictionary(text, json, { maxKeys: 2 }), { nil: null }),
          created: instant,
          updated: instant,
          managed: fc.boolean(),
          sourceUrl: fc.option(fc.webUrl(), { nil: null }),
          orphaned: fc.boolean(),
        }),
        async (e) => {
          const identifier = `doc-${n++}`;
          const ts = (us: number) => sql`to_timestamp(${us}::float8 / 1000000)`;
          await sql`insert into entities (blueprint, identifier, title, icon, team, properties, relations, created_by, updated_by, created_at, updated_at, location_id, source_url, orphaned_at)
            values ('Domain', ${identifier}, ${e.title}, ${e.icon}, ${e.team}, ${JSON.stringify(e.properties)}::jsonb, '{}'::jsonb, 'a"b', 'c\\d',
              ${ts(e.created)}, ${ts(e.updated)}, ${e.managed ? location : null}, ${e.managed ? e.sourceUrl : null}, ${e.orphaned ? sql`now()` : null})`.execute(t.db);
          const [row] = await findEntities(t.db, 'Domain', [identifier]);
          const merged = e.mirrored ? sql`coalesce(e.properties || ${JSON.stringify(e.mirrored)}::jsonb, e.properties)` : sql`e.properties`;
          const { rows } = await sql<{ doc: string }>`select ${entityDocumentTextSql('e', merged)} as doc from entities e where e.blueprint = 'Domain' and e.identifier = ${identifier}`.execute(t.db);
          const expected = toEntity(row!);
          // The mirror values as the database holds them (JSON has no -0, which toEqual tells apart).
          if (e.mirrored) Object.assign(expected.properties, JSON.parse(JSON.stringify(e.mirrored)));
          expect(JSON.parse(rows[0]!.doc)).toEqual(expected);
          expect(Object.keys(JSON.parse(rows[0]!.doc))).toEqual(Object.keys(expected));
        },
      ),
      { numRuns: Number(process.env.DOC_RUNS ?? 200) },
    );
  }, 60_000);
});
