import { sql, type RawBuilder } from 'kysely';
import { resolveMirrorPath } from '@portolan/catalog-model';
import type { BlueprintDefinition } from '@portolan/contract';

type Sql = RawBuilder<unknown>;

/** The column behind each meta-property a mirror can read. */
const META_COLUMNS: Record<string, string> = {
  $identifier: 'identifier',
  $title: 'title',
  $team: 'team',
  $icon: 'icon',
  $blueprint: 'blueprint',
  $createdAt: 'created_at',
  $updatedAt: 'updated_at',
  $createdBy: 'created_by',
  $updatedBy: 'updated_by',
};

/**
 * The mirror properties of a row of `def` (alias `row`) as one jsonb object: a correlated
 * subquery per mirror, so reading an entity with mirrors is still one statement. Relation and
 * field names are identifiers the blueprint rules restrict to [A-Za-z0-9@_=-], and are passed as
 * literals. Null when the blueprint has no mirrors.
 *
 * Each hop follows the row's stored relation value (mirrors only follow single relations, stored
 * as an identifier or null) to the target through the unique (blueprint, identifier) index,
 * rather than through the edge table. Both are kept in step by every write, rename and delete;
 * the difference is which pages a read touches. The hops land on the few upstream entities
 * (systems, domains) whose pages stay cached, while the edge rows of the entities being read are
 * as scattered as the entities: at 1M entities the edge walk read cold pages for most rows of a
 * search page (6 of its 9 ms). The target blueprint is hidden from the planner as in blueprintKey.
 */
export function mirrorObjectSql(def: BlueprintDefinition, blueprints: ReadonlyMap<string, BlueprintDefinition>, row: string): Sql | null {
  const pairs: Sql[] = [];
  for (const [name, mirror] of Object.entries(def.mirrorProperties)) {
    const resolved = resolveMirrorPath(mirror.path, def, blueprints);
    if ('error' in resolved || resolved.relations.length === 0) continue;
    const targets = targetBlueprints(def, blueprints, resolved.relations);
    if (!targets) continue;
    const hop = (i: number, from: string) =>
      sql`${sql.ref(`h${i}.blueprint`)} = (select ${sql.lit(targets[i]!)}::text) and ${sql.ref(`h${i}.identifier`)} = (${sql.ref(`${from}.relations`)} ->> ${sql.lit(resolved.relations[i]!)})`;
    const joins = resolved.relations.slice(1).map((_, j) => sql`join entities ${sql.ref(`h${j + 1}`)} on ${hop(j + 1, `h${j}`)}`);
    const last = `h${resolved.relations.length - 1}`;
    const column = META_COLUMNS[resolved.field];
    const value = column ? sql`to_jsonb(${sql.ref(`${last}.${column}`)})` : sql`(${sql.ref(`${last}.properties`)} -> ${sql.lit(resolved.field)})`;
    pairs.push(sql`${sql.lit(name)}, (select ${value} from entities h0 ${sql.join(joins, sql` `)} where ${hop(0, row)} limit 1)`);
  }
  return pairs.length > 0 ? sql`jsonb_strip_nulls(jsonb_build_object(${sql.join(pairs)}))` : null;
}

/** The blueprint each hop of a (valid, single-relation) path lands on. */
function targetBlueprints(def: BlueprintDefinition, blueprints: ReadonlyMap<string, BlueprintDefinition>, relations: string[]): string[] | null {
  const out: string[] = [];
  let current: BlueprintDefinition | undefined = def;
  for (const rel of relations) {
    const target: string | undefined = current?.relations[rel]?.target;
    if (target === undefined) return null;
    out.push(target);
    current = target === def.identifier ? def : blueprints.get(target);
  }
  return out;
}
