import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

// Row types of the tables in migrations/. Repositories speak these; services map them to contract types.

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T = unknown> = ColumnType<T, string | T, string | T>;

export interface BlueprintsTable {
  identifier: string;
  title: string;
  icon: string | null;
  description: string | null;
  schema: Json<{ properties: Record<string, unknown>; required: string[] }>;
  relations: Json<Record<string, unknown>>;
  mirror_properties: Json<Record<string, unknown>>;
  calculation_properties: Json<Record<string, unknown>>;
  aggregation_properties: Json<Record<string, unknown>>;
  ownership: Json<unknown> | null;
  version: Generated<number>;
  created_at: Timestamp;
  created_by: string;
  updated_at: Timestamp;
  updated_by: string;
}

export interface EntitiesTable {
  id: ColumnType<string, never, never>;
  blueprint: string;
  identifier: string;
  title: string | null;
  icon: string | null;
  team: ColumnType<string[], string[] | undefined, string[]>;
  properties: Json<Record<string, unknown>>;
  relations: Json<Record<string, string | string[] | null>>;
  search_text: string;
  version: Generated<number>;
  created_at: Timestamp;
  created_by: string;
  updated_at: Timestamp;
  updated_by: string;
}

export interface EntityRelationsTable {
  source_id: string;
  relation: string;
  target_id: string;
}

export interface AuditLogTable {
  id: ColumnType<string, never, never>;
  at: Timestamp;
  actor: string;
  request_id: string | null;
  action: string;
  resource_type: string;
  resource_id: string;
  blueprint: string | null;
  before: Json<unknown> | null;
  after: Json<unknown> | null;
}

export interface SettingsTable {
  key: string;
  value: Json<unknown>;
  updated_at: Timestamp;
}

export interface Database {
  settings: SettingsTable;
  blueprints: BlueprintsTable;
  entities: EntitiesTable;
  entity_relations: EntityRelationsTable;
  audit_log: AuditLogTable;
}

export type BlueprintRow = Selectable<BlueprintsTable>;
export type NewBlueprintRow = Insertable<BlueprintsTable>;
export type BlueprintRowUpdate = Updateable<BlueprintsTable>;
export type EntityRow = Selectable<EntitiesTable>;
export type NewEntityRow = Insertable<EntitiesTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
