import { sql, type RawBuilder } from 'kysely';
import { resolveMirrorPath } from '@portolan/catalog-model';
import type { BlueprintDefinition } from '@portolan/contract';

type Sql = RawBuilder<unknown>;

const MIRROR_META: Record<string, Sql> = {
  $identifier: sql`to_jsonb(t.identifier)`,
  $title: sql`to_jsonb(t.title)`,
  $team: sql`to_jsonb(t.team)`,
  $icon: sql`to_jsonb(t.icon)`,
  $blueprint: sql`to_jsonb(t.blueprint)`,
  $createdAt: sql`to_jsonb(t.created_at)`,
  $updatedAt: sql`to_jsonb(t.updated_at)`,
  $createdBy: sql`to_jsonb(t.created_by)`,
  $updatedBy: sql`to_jsonb(t.updated_by)`,
};

/**
 * The mirror properties of a row of `def` (alias `row`) as one jsonb object, resolved in SQL
 * through the edge table: a correlated subquery per mirror, so reading an entity with mirrors is
 * still one statement. Relation and field names are identifiers the blueprint rules restrict to
 * [A-Za-z0-9@_=-], and are passed as literals. Null when the blueprint has no mirrors.
 */
export function mirrorObjectSql(def: BlueprintDefinition, blueprints: ReadonlyMap<string, BlueprintDefinition>, row: string): Sql | null {
  const pairs: Sql[] = [];
  for (const [name, mirror] of Object.entries(def.mirrorProperties)) {
    const resolved = resolveMirrorPath(mirror.path, def, blueprints);
    if ('error' in resolved || resolved.relations.length === 0) continue;
    const hops = resolved.relations;
    const joins = hops
      .slice(1)
      .map((rel, i) => sql`join entity_relations ${sql.ref(`x${i + 1}`)} on ${sql.ref(`x${i + 1}.source_id`)} = ${sql.ref(`x${i}.target_id`)} and ${sql.ref(`x${i + 1}.relation`)} = ${sql.lit(rel)}`);
    const lastHop = sql.ref(`x${hops.length - 1}.target_id`);
    const value = MIRROR_META[resolved.field] ?? sql`(t.properties -> ${sql.lit(resolved.field)})`;
    pairs.push(sql`${sql.lit(name)}, (select ${value} from entity_relations x0 ${sql.join(joins, sql` `)} join entities t on t.id = ${lastHop}
      where x0.source_id = ${sql.ref(`${row}.id`)} and x0.relation = ${sql.lit(hops[0]!)} limit 1)`);
  }
  return pairs.length > 0 ? sql`jsonb_strip_nulls(jsonb_build_object(${sql.join(pairs)}))` : null;
}
