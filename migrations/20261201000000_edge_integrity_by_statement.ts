import { sql, type Kysely } from 'kysely';

// Edge integrity per statement instead of per row. The two foreign keys of entity_relations ran a
// check (a lookup and a KEY SHARE row lock) for every edge inserted: about as costly as the
// insert itself in a bulk write, and concurrent batches linking to the same entities turned those
// locks into multixacts. Instead, one advisory lock (key 7033411234) orders edge writes and
// entity deletes:
// - a transaction that writes edges holds it shared (many at once) from before it looks its
//   targets up until it commits;
// - deleting entities takes it exclusively, so a delete waits for the edge writes in flight, and
//   writes that start later wait for the delete and then find their target missing;
// - the source of a new edge is a row the writer has just inserted or updated (locked by it);
// - deleting entities deletes their edges, both directions, in one statement-level trigger (what
//   ON DELETE CASCADE did, row by row). Its queries see edges committed while it waited for the
//   lock (each statement of a volatile function takes a new snapshot under READ COMMITTED).

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table entity_relations
    drop constraint entity_relations_source_id_fkey,
    drop constraint entity_relations_target_id_fkey`.execute(db);
  await sql`create function entity_relations_delete_with_entities() returns trigger language plpgsql as $$
    begin
      if not exists (select 1 from deleted_entities) then
        return null;
      end if;
      perform pg_advisory_xact_lock(7033411234);
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
