import { sql, type Kysely } from 'kysely';

// Edge integrity per statement instead of per row. The two foreign keys of entity_relations ran a
// check (a lookup and a row lock) for every edge inserted, which cost about as much as the insert
// itself in a bulk write. Instead:
// - the entity writer locks the distinct target entities of a batch once (FOR KEY SHARE, the lock
//   a foreign-key check takes), so a target cannot be deleted while edges to it are written, and
//   a target deleted first is reported missing;
// - the source of a new edge is a row the writer has just inserted or updated (locked);
// - deleting entities deletes their edges, both directions, in one statement-level trigger (what
//   ON DELETE CASCADE did, row by row).

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table entity_relations
    drop constraint entity_relations_source_id_fkey,
    drop constraint entity_relations_target_id_fkey`.execute(db);
  await sql`create function entity_relations_delete_with_entities() returns trigger language plpgsql as $$
    begin
      delete from entity_relations r using deleted_entities d where r.source_id = d.id;
      delete from entity_relations r using deleted_entities d where r.target_id = d.id;
      return null;
    end $$`.execute(db);
  await sql`create trigger entities_delete_edges after delete on entities
    referencing old table as deleted_entities
    for each statement execute function entity_relations_delete_with_entities()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger entities_delete_edges on entities`.execute(db);
  await sql`drop function entity_relations_delete_with_entities()`.execute(db);
  await sql`delete from entity_relations r where not exists (select 1 from entities e where e.id = r.source_id)
    or not exists (select 1 from entities e where e.id = r.target_id)`.execute(db);
  await sql`alter table entity_relations
    add constraint entity_relations_source_id_fkey foreign key (source_id) references entities (id) on delete cascade,
    add constraint entity_relations_target_id_fkey foreign key (target_id) references entities (id) on delete cascade`.execute(db);
}
