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
  location_id: ColumnType<string | null, string | null | undefined, string | null>;
  source_url: ColumnType<string | null, string | null | undefined, string | null>;
  orphaned_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
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

export type Role = 'admin' | 'moderator' | 'member' | 'viewer';

export interface UsersTable {
  id: Generated<string>;
  email: string;
  name: string | null;
  password_hash: string | null;
  role: ColumnType<Role, Role | undefined, Role>;
  moderated_blueprints: ColumnType<string[], string[] | undefined, string[]>;
  oidc_subject: string | null;
  disabled: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
  last_sign_in_at: Date | null;
}

export interface TeamsTable {
  identifier: string;
  title: string | null;
  description: string | null;
  source: ColumnType<'local' | 'sso', 'local' | 'sso' | undefined, 'local' | 'sso'>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface TeamMembersTable {
  team: string;
  user_id: string;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: Timestamp;
  expires_at: Date;
}

export interface OneTimeTokensTable {
  token_hash: string;
  user_id: string;
  purpose: string;
  expires_at: Date;
  used_at: Date | null;
}

export interface ApiClientsTable {
  client_id: string;
  name: string;
  secret_hash: string;
  role: ColumnType<Role, Role | undefined, Role>;
  teams: ColumnType<string[], string[] | undefined, string[]>;
  moderated_blueprints: ColumnType<string[], string[] | undefined, string[]>;
  created_at: Timestamp;
  created_by: string;
  last_used_at: Date | null;
}

export interface BlueprintPermissionsTable {
  blueprint: string;
  entities: Json<unknown>;
  updated_at: Timestamp;
  updated_by: string;
}

export interface SecretsTable {
  name: string;
  description: string | null;
  sealed: string;
  created_at: Timestamp;
  created_by: string;
  updated_at: Timestamp;
  updated_by: string;
}


export interface TemplatesTable {
  name: string;
  title: string | null;
  description: string | null;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  type: string;
  owner: string | null;
  source: string;
  document: Json<Record<string, unknown>>;
  files: Json<Record<string, { content: string; encoding: 'utf8' | 'base64' }>>;
  version: Generated<number>;
  created_at: Timestamp;
  created_by: string;
  updated_at: Timestamp;
  updated_by: string;
}

export type TaskStatus = 'open' | 'processing' | 'completed' | 'failed' | 'cancelled';
export type StepStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'cancelled';

export interface ScaffolderTasksTable {
  id: Generated<string>;
  template_name: string;
  template_title: string | null;
  template: Json<{ document: Record<string, unknown>; files: Record<string, { content: string; encoding: 'utf8' | 'base64' }>; version: number }>;
  parameters: Json<Record<string, unknown>>;
  status: ColumnType<TaskStatus, TaskStatus | undefined, TaskStatus>;
  created_by: string;
  principal: Json<unknown> | null;
  created_at: Timestamp;
  started_at: Date | null;
  finished_at: Date | null;
  error: string | null;
  output: Json<unknown> | null;
  cancel_requested: ColumnType<boolean, boolean | undefined, boolean>;
  lease_owner: string | null;
  heartbeat_at: Date | null;
  attempt: ColumnType<number, number | undefined, number>;
}

export interface ScaffolderTaskStepsTable {
  task_id: string;
  step_id: string;
  position: number;
  name: string;
  action: string;
  status: ColumnType<StepStatus, StepStatus | undefined, StepStatus>;
  started_at: Date | null;
  finished_at: Date | null;
  output: Json<Record<string, unknown>> | null;
  checkpoints: ColumnType<Record<string, unknown>, string | undefined, string>;
  error: string | null;
}

export interface ScaffolderTaskEventsTable {
  id: ColumnType<string, never, never>;
  task_id: string;
  type: string;
  step_id: string | null;
  body: Json<Record<string, unknown>>;
  created_at: Timestamp;
}

export interface LocationsTable {
  id: Generated<string>;
  url: string;
  origin: ColumnType<'registered' | 'discovered', 'registered' | 'discovered' | undefined, 'registered' | 'discovered'>;
  status: ColumnType<'pending' | 'ok' | 'error', 'pending' | 'ok' | 'error' | undefined, 'pending' | 'ok' | 'error'>;
  last_refreshed_at: Date | null;
  last_error: string | null;
  problems: ColumnType<unknown[], string | undefined, string>;
  files: ColumnType<string[], string | undefined, string>;
  created_at: Timestamp;
  created_by: string;
}

export interface Database {
  locations: LocationsTable;
  users: UsersTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  sessions: SessionsTable;
  one_time_tokens: OneTimeTokensTable;
  api_clients: ApiClientsTable;
  blueprint_permissions: BlueprintPermissionsTable;
  secrets: SecretsTable;
  settings: SettingsTable;
  blueprints: BlueprintsTable;
  entities: EntitiesTable;
  entity_relations: EntityRelationsTable;
  audit_log: AuditLogTable;
  templates: TemplatesTable;
  scaffolder_tasks: ScaffolderTasksTable;
  scaffolder_task_steps: ScaffolderTaskStepsTable;
  scaffolder_task_events: ScaffolderTaskEventsTable;
  actions: ActionsTable;
  action_runs: ActionRunsTable;
  action_run_logs: ActionRunLogsTable;
}

export type BlueprintRow = Selectable<BlueprintsTable>;
export type NewBlueprintRow = Insertable<BlueprintsTable>;
export type BlueprintRowUpdate = Updateable<BlueprintsTable>;
export type EntityRow = Selectable<EntitiesTable>;
export type NewEntityRow = Insertable<EntitiesTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
export type UserRow = Selectable<UsersTable>;
export type ApiClientRow = Selectable<ApiClientsTable>;

export interface ActionsTable {
  identifier: string;
  title: string | null;
  blueprint: string | null;
  operation: string;
  definition: Json<Record<string, unknown>>;
  created_at: Timestamp;
  created_by: string;
  updated_at: Timestamp;
  updated_by: string;
}

export type RunStatus = 'IN_PROGRESS' | 'WAITING_FOR_APPROVAL' | 'SUCCESS' | 'FAILURE' | 'DECLINED';
export type DispatchState = 'pending' | 'dispatching' | 'dispatched' | 'skipped';

export interface ActionRunsTable {
  id: string;
  action_identifier: string;
  action: Json<Record<string, unknown>>;
  blueprint: string | null;
  entity: string | null;
  properties: Json<Record<string, unknown>>;
  status: RunStatus;
  status_label: string | null;
  link: ColumnType<string[], string | undefined, string>;
  summary: string | null;
  external_run_id: string | null;
  source: string;
  required_approval: ColumnType<boolean, boolean | undefined, boolean>;
  approval: Json<Record<string, unknown>> | null;
  payload: Json<unknown> | null;
  response: Json<unknown> | null;
  created_by: string;
  principal: Json<unknown> | null;
  dispatch_state: ColumnType<DispatchState, DispatchState | undefined, DispatchState>;
  tracking: Json<Record<string, unknown>> | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  ended_at: Date | string | null;
}

export interface ActionRunLogsTable {
  id: Generated<string>;
  run_id: string;
  message: string;
  termination_status: string | null;
  status_label: string | null;
  created_at: Timestamp;
}

export type ActionRow = Selectable<ActionsTable>;
export type ActionRunRow = Selectable<ActionRunsTable>;
