import { sql, type Kysely } from 'kysely';

// Each entity keeps its own content as the API's JSON text (`content_json`): identifier, title,
// icon, blueprint, team, properties and relations, in the Entity schema's order. Reading one
// entity then sends stored text instead of rebuilding a document from jsonb in PostgreSQL or in
// Node; what is not stored is added at read time: the timestamps and authors, managedBy and
// orphaned (columns of the same row), and mirror values (other rows, through the edge table).
// Nothing stored depends on another row, so no write elsewhere can leave it stale.
//
// Triggers write it, so every write path (upserts, renames, rewritten links, a hand-written
// UPDATE) keeps it current without knowing about it:
// - on insert, always;
// - on update, when a content column changed and the statement did not set the text itself. The
//   bulk upsert sets it to `excluded.content_json`, which the insert trigger rendered from the
//   same content columns for the proposed row, so an update is rendered once, not twice.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create function entity_content_json(identifier text, title text, icon text, blueprint text, team text[], properties jsonb, relations jsonb)
    returns text language sql immutable parallel safe
    return (select row_to_json(d)::text from (select identifier, title, icon, blueprint, team, properties, relations) d)`.execute(db);
  await sql`alter table entities add column content_json text`.execute(db);
  await sql`update entities set content_json = entity_content_json(identifier, title, icon, blueprint, team, properties, relations)`.execute(db);
  await sql`alter table entities alter column content_json set not null`.execute(db);
  await sql`create function entities_render_content_json() returns trigger language plpgsql as $$
    begin
      new.content_json := entity_content_json(new.identifier, new.title, new.icon, new.blueprint, new.team, new.properties, new.relations);
      return new;
    end $$`.execute(db);
  await sql`create trigger entities_content_json_on_insert before insert on entities
    for each row execute function entities_render_content_json()`.execute(db);
  await sql`create trigger entities_content_json_on_update before update on entities
    for each row when (
      new.content_json is not distinct from old.content_json
      and (new.identifier, new.title, new.icon, new.blueprint, new.team, new.properties, new.relations)
        is distinct from (old.identifier, old.title, old.icon, old.blueprint, old.team, old.properties, old.relations))
    execute function entities_render_content_json()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger entities_content_json_on_update on entities`.execute(db);
  await sql`drop trigger entities_content_json_on_insert on entities`.execute(db);
  await sql`drop function entities_render_content_json()`.execute(db);
  await sql`alter table entities drop column content_json`.execute(db);
  await sql`drop function entity_content_json(text, text, text, text, text[], jsonb, jsonb)`.execute(db);
}
