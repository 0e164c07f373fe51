import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { actionInputSchema, type Action, type ActionDefinition, type Run, type FieldProblem } from '@portolan/contract';
import type { ActionRow, ActionRunRow, Database, RunStatus } from '../../db/schema.ts';
import { ConflictError, ForbiddenError, InvalidError, NotFoundError, problemsFromZod } from '../../plugins/errors.ts';
import { insertAuditRecords } from '../audit/audit.repository.ts';
import type { Principal } from '../identity/principal.ts';
import type { Actor } from '../request-context.ts';
import type { Redactor } from '../secrets/redactor.ts';
import { checkInputDefinitions, hiddenInputs, validateInputs } from './action-inputs.ts';
import * as repo from './actions.repository.ts';
import { blueprintKey } from '../entities/entities.repository.ts';

const TERMINAL: RunStatus[] = ['SUCCESS', 'FAILURE', 'DECLINED'];
const RESERVED_IDENTIFIERS = new Set(['runs']);

export function toAction(row: ActionRow): Action {
  return {
    ...(row.definition as unknown as ActionDefinition),
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
    updatedAt: row.updated_at.toISOString(),
    updatedBy: row.updated_by,
  };
}

export function toRun(row: ActionRunRow, redactor?: Redactor): Run {
  const action = row.action as unknown as ActionDefinition;
  const approval = row.approval as Run['approval'];
  const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
  return {
    id: row.id,
    action: { identifier: row.action_identifier, title: action.title ?? null },
    blueprint: row.blueprint,
    entity: row.entity,
    properties: row.properties,
    status: row.status,
    statusLabel: row.status_label,
    link: row.link,
    summary: row.summary,
    externalRunId: row.external_run_id,
    source: row.source,
    requiredApproval: row.required_approval,
    approval: approval ?? null,
    payload: redactor ? redactor.redactDeep(row.payload ?? null) : (row.payload ?? null),
    response: redactor ? redactor.redactDeep(row.response ?? null) : (row.response ?? null),
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    endedAt: iso(row.ended_at),
  };
}

export function parseAction(value: unknown, where = 'action'): ActionDefinition {
  const parsed = actionInputSchema.safeParse(value);
  if (!parsed.success) throw new InvalidError(`Invalid ${where}`, problemsFromZod(parsed.error.issues));
  return parsed.data;
}

export interface ActionsServiceDeps {
  db: Kysely<Database>;
  redactor: Redactor;
}

export class ActionsService {
  constructor(private readonly deps: ActionsServiceDeps) {}

  private get db() {
    return this.deps.db;
  }

  async list(filter: { blueprint?: string; operation?: string }): Promise<Action[]> {
    return (await repo.listActions(this.db, filter)).map(toAction);
  }

  async get(identifier: string): Promise<Action> {
    const row = await repo.findAction(this.db, identifier);
    if (!row) throw new NotFoundError(`Action ${identifier} not found`);
    return toAction(row);
  }

  /** Every problem of a definition, including those zod cannot see (blueprints, input lists). */
  async validate(def: ActionDefinition): Promise<FieldProblem[]> {
    const problems: FieldProblem[] = [];
    if (RESERVED_IDENTIFIERS.has(def.identifier)) problems.push({ path: 'identifier', message: `"${def.identifier}" is reserved` });
    const bps = new Set((await this.db.selectFrom('blueprints').select('identifier').execute()).map((b) => b.identifier));
    const bp = def.trigger.blueprintIdentifier;
    if (bp && !bps.has(bp)) problems.push({ path: 'trigger.blueprintIdentifier', message: `blueprint "${bp}" does not exist` });
    if (!bp && def.trigger.operation !== 'CREATE') problems.push({ path: 'trigger.blueprintIdentifier', message: `a ${def.trigger.operation} action runs on an entity of a blueprint: name it` });
    for (const [name, prop] of Object.entries(def.trigger.userInputs.properties)) {
      const target = prop.blueprint ?? (prop.items as { blueprint?: string } | undefined)?.blueprint;
      if (target && !bps.has(target)) problems.push({ path: `trigger.userInputs.properties.${name}.blueprint`, message: `blueprint "${target}" does not exist` });
    }
    problems.push(...checkInputDefinitions(def));
    return problems;
  }

  async save(input: unknown, actor: Actor, opts: { identifier?: string; mode: 'create' | 'replace' | 'upsert' }): Promise<Action> {
    const def = parseAction(input);
    if (opts.identifier !== undefined && def.identifier !== opts.identifier) throw new InvalidError('The identifier in the body differs from the one in the URL', [{ path: 'identifier', message: `must be "${opts.identifier}"` }]);
    const problems = await this.validate(def);
    if (problems.length > 0) throw new InvalidError(`Invalid action: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`, problems);
    this.assertMayEdit(actor.principal, def.trigger.blueprintIdentifier);
    await this.db.transaction().execute(async (trx) => {
      const before = await repo.findAction(trx, def.identifier);
      if (before && opts.mode === 'create') throw new ConflictError(`Action ${def.identifier} already exists`);
      if (!before && opts.mode === 'replace') throw new NotFoundError(`Action ${def.identifier} not found`);
      if (before) this.assertMayEdit(actor.principal, before.blueprint ?? undefined);
      await repo.upsertAction(trx, { identifier: def.identifier, title: def.title ?? null, blueprint: def.trigger.blueprintIdentifier ?? null, operation: def.trigger.operation, definition: def, actor: actor.id });
      await insertAuditRecords(trx, [{ actor: actor.id, requestId: actor.requestId, action: before ? 'update' : 'create', resourceType: 'action', resourceId: def.identifier, blueprint: def.trigger.blueprintIdentifier ?? null, before: before?.definition, after: def }]);
    });
    return this.get(def.identifier);
  }

  async delete(identifier: string, actor: Actor): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const before = await repo.findAction(trx, identifier);
      if (!before) throw new NotFoundError(`Action ${identifier} not found`);
      this.assertMayEdit(actor.principal, before.blueprint ?? undefined);
      await repo.deleteAction(trx, identifier);
      await insertAuditRecords(trx, [{ actor: actor.id, requestId: actor.requestId, action: 'delete', resourceType: 'action', resourceId: identifier, blueprint: before.blueprint, before: before.definition }]);
    });
  }

  /** Admins edit every action; moderators those of the blueprints they moderate. */
  private assertMayEdit(p: Principal | undefined, blueprint: string | undefined): void {
    if (!p || p.role === 'admin') return;
    if (p.role === 'moderator' && blueprint && p.moderatedBlueprints.includes(blueprint)) return;
    throw new ForbiddenError(blueprint ? `Only admins and moderators of "${blueprint}" may edit this action` : 'Only admins may edit actions that belong to no blueprint');
  }

  // Runs

  /** Which inputs the form shows for these values (the `visible` rules, evaluated here with jq). */
  async visibleInputs(identifier: string, body: { entity?: string; properties: Record<string, unknown> }, actor: Actor): Promise<string[]> {
    const row = await repo.findAction(this.db, identifier);
    if (!row) throw new NotFoundError(`Action ${identifier} not found`);
    const def = row.definition as unknown as ActionDefinition;
    const hidden = await hiddenInputs(def, { form: body.properties, entity: await this.entityForRules(def.trigger.blueprintIdentifier ?? null, body.entity), user: userForRules(actor) });
    return Object.keys(def.trigger.userInputs.properties).filter((k) => !hidden.has(k));
  }

  private async entityForRules(blueprint: string | null, identifier: string | undefined): Promise<unknown> {
    if (!blueprint || !identifier) return null;
    const row = await this.db.selectFrom('entities').select(['identifier', 'title', 'team', 'properties', 'relations']).where('blueprint', '=', blueprintKey(blueprint)).where('identifier', '=', identifier).executeTakeFirst();
    return row ?? null;
  }

  async createRun(identifier: string, body: { entity?: string; properties: Record<string, unknown> }, actor: Actor, source: 'UI' | 'API'): Promise<Run> {
    const row = await repo.findAction(this.db, identifier);
    if (!row) throw new NotFoundError(`Action ${identifier} not found`);
    const def = row.definition as unknown as ActionDefinition;
    const bp = def.trigger.blueprintIdentifier ?? null;
    const problems: FieldProblem[] = [];
    let entityTeams: string[] = [];
    if (def.trigger.operation !== 'CREATE') {
      if (!body.entity) problems.push({ path: 'entity', message: `a ${def.trigger.operation} action runs on an entity: name it` });
      else {
        const e = await this.db.selectFrom('entities').select(['team']).where('blueprint', '=', blueprintKey(bp!)).where('identifier', '=', body.entity).executeTakeFirst();
        if (!e) problems.push({ path: 'entity', message: `no ${bp} entity "${body.entity}"` });
        else entityTeams = (e.team as string[] | null) ?? [];
      }
    }
    const hidden = await hiddenInputs(def, { form: body.properties, entity: await this.entityForRules(bp, body.entity), user: userForRules(actor) });
    const { inputs, problems: inputProblems } = validateInputs(def, body.properties, hidden);
    problems.push(...inputProblems);
    problems.push(...(await this.checkEntityInputs(def, inputs)));
    if (problems.length > 0) throw new InvalidError(`Invalid run: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`, problems);
    const denial = executeDenial(actor.principal, def, entityTeams);
    if (denial) throw new ForbiddenError(denial);

    const id = `r_${randomBytes(12).toString('base64url')}`;
    const needsApproval = def.requiredApproval !== false;
    const status: RunStatus = needsApproval ? 'WAITING_FOR_APPROVAL' : 'IN_PROGRESS';
    const p = actor.principal;
    await this.db.transaction().execute(async (trx) => {
      await repo.insertRun(trx, {
        id,
        action_identifier: identifier,
        action: def as unknown as Record<string, unknown>,
        blueprint: bp,
        entity: body.entity ?? null,
        properties: inputs,
        status,
        source,
        required_approval: needsApproval,
        created_by: actor.id,
        principal: p ? { kind: p.kind, id: p.id, actorId: p.actorId, email: p.email, name: p.name, role: p.role, teams: p.teams } : null,
      });
      await repo.insertLog(trx, id, needsApproval ? `Run created by ${actor.id}; waiting for approval` : `Run created by ${actor.id}`);
      await insertAuditRecords(trx, [{ actor: actor.id, requestId: actor.requestId, action: 'create', resourceType: 'action_run', resourceId: id, blueprint: bp, after: { action: identifier, entity: body.entity ?? null, status } }]);
      if (!needsApproval) await repo.enqueueInvoke(trx, id);
    });
    return this.getRun(id);
  }

  /** Entity pickers must name entities that exist in their blueprint. */
  private async checkEntityInputs(def: ActionDefinition, inputs: Record<string, unknown>): Promise<FieldProblem[]> {
    const problems: FieldProblem[] = [];
    for (const [name, prop] of Object.entries(def.trigger.userInputs.properties)) {
      const value = inputs[name];
      if (value === undefined) continue;
      const single = prop.format === 'entity' && typeof value === 'string';
      const items = prop.type === 'array' && (prop.items as { format?: string } | undefined)?.format === 'entity' && Array.isArray(value);
      const bp = prop.blueprint ?? (prop.items as { blueprint?: string } | undefined)?.blueprint;
      if (!bp || (!single && !items)) continue;
      const ids = (single ? [value] : (value as unknown[])).filter((v): v is string => typeof v === 'string');
      if (ids.length === 0) continue;
      const found = new Set((await this.db.selectFrom('entities').select('identifier').where('blueprint', '=', blueprintKey(bp)).where('identifier', 'in', ids).execute()).map((r) => r.identifier));
      ids.forEach((v, i) => {
        if (!found.has(v)) problems.push({ path: single ? `properties.${name}` : `properties.${name}.${i}`, message: `no ${bp} entity "${v}"` });
      });
    }
    return problems;
  }

  async getRun(id: string): Promise<Run> {
    const row = await repo.findRun(this.db, id);
    if (!row) throw new NotFoundError(`Run ${id} not found`);
    return toRun(row, this.deps.redactor);
  }

  async listRuns(filter: { action?: string; entity?: string; blueprint?: string; active?: boolean; mine?: boolean; limit: number }, actor: Actor): Promise<Run[]> {
    const rows = await repo.listRuns(this.db, { ...filter, createdBy: filter.mine ? actor.id : undefined });
    return rows.map((r) => toRun(r, this.deps.redactor));
  }

  /** Who may report on a run: its own token, the person who ran it, admins. */
  private assertMayReport(row: ActionRunRow, actor: Actor): void {
    const p = actor.principal;
    if (!p || p.role === 'admin' || p.runId === row.id || (p.runId === undefined && actor.id === row.created_by)) return;
    throw new ForbiddenError('Only the run itself (its token), the person who ran it and admins may report on this run');
  }

  async patchRun(id: string, body: { status?: 'SUCCESS' | 'FAILURE'; statusLabel?: string; link?: string | string[]; summary?: string; externalRunId?: string }, actor: Actor): Promise<Run> {
    await this.db.transaction().execute(async (trx) => {
      const row = await repo.findRun(trx, id, { forUpdate: true });
      if (!row) throw new NotFoundError(`Run ${id} not found`);
      this.assertMayReport(row, actor);
      if (body.status && TERMINAL.includes(row.status)) throw new ConflictError(`Run ${id} already ended with ${row.status}`);
      if (body.status && row.status === 'WAITING_FOR_APPROVAL') throw new ConflictError(`Run ${id} is waiting for approval`);
      const redact = (s: string | undefined) => (s === undefined ? undefined : this.deps.redactor.redact(s));
      await repo.updateRun(trx, id, {
        status: body.status,
        status_label: redact(body.statusLabel),
        link: body.link === undefined ? undefined : Array.isArray(body.link) ? body.link : [body.link],
        summary: redact(body.summary),
        external_run_id: body.externalRunId,
      });
      if (body.status) await repo.insertLog(trx, id, `Run ended: ${body.status} (reported by ${actor.id})`, { terminationStatus: body.status });
      await insertAuditRecords(trx, [{ actor: actor.id, requestId: actor.requestId, action: 'update', resourceType: 'action_run', resourceId: id, blueprint: row.blueprint, before: { status: row.status }, after: { ...body, summary: redact(body.summary) } }]);
    });
    return this.getRun(id);
  }

  async addLog(id: string, body: { message: string; terminationStatus?: 'SUCCESS' | 'FAILURE'; statusLabel?: string }, actor: Actor): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const row = await repo.findRun(trx, id, { forUpdate: true });
      if (!row) throw new NotFoundError(`Run ${id} not found`);
      this.assertMayReport(row, actor);
      if (body.terminationStatus && row.status !== 'IN_PROGRESS') throw new ConflictError(`Run ${id} is ${row.status}: terminationStatus can end only a run in progress`);
      const label = body.statusLabel === undefined ? undefined : this.deps.redactor.redact(body.statusLabel);
      await repo.insertLog(trx, id, this.deps.redactor.redact(body.message), { terminationStatus: body.terminationStatus ?? null, statusLabel: label ?? null });
      if (body.terminationStatus || label !== undefined) await repo.updateRun(trx, id, { status: body.terminationStatus, status_label: label });
      if (body.terminationStatus) await insertAuditRecords(trx, [{ actor: actor.id, requestId: actor.requestId, action: 'update', resourceType: 'action_run', resourceId: id, blueprint: row.blueprint, before: { status: row.status }, after: { status: body.terminationStatus } }]);
    });
  }

  async logs(id: string, limit: number, offset: number) {
    if (!(await repo.findRun(this.db, id))) throw new NotFoundError(`Run ${id} not found`);
    return (await repo.listLogs(this.db, id, limit, offset)).map((l) => ({ id: String(l.id), message: l.message, terminationStatus: l.termination_status, statusLabel: l.status_label, createdAt: l.created_at.toISOString() }));
  }

  async decide(id: string, body: { status: 'APPROVE' | 'DECLINE'; description?: string }, actor: Actor): Promise<Run> {
    await this.db.transaction().execute(async (trx) => {
      const row = await repo.findRun(trx, id, { forUpdate: true });
      if (!row) throw new NotFoundError(`Run ${id} not found`);
      const def = row.action as unknown as ActionDefinition;
      const denial = approveDenial(actor.principal, def);
      if (denial) throw new ForbiddenError(denial);
      if (row.status !== 'WAITING_FOR_APPROVAL') throw new ConflictError(`Run ${id} is ${row.status}, not waiting for approval`);
      const state = body.status === 'APPROVE' ? 'APPROVED' : 'DECLINED';
      const approval = { state, description: body.description ?? null, userId: actor.id };
      await repo.updateRun(trx, id, { status: state === 'APPROVED' ? 'IN_PROGRESS' : 'DECLINED', approval });
      await repo.insertLog(trx, id, `${state === 'APPROVED' ? 'Approved' : 'Declined'} by ${actor.id}${body.description ? `: ${this.deps.redactor.redact(body.description)}` : ''}`, state === 'DECLINED' ? { terminationStatus: 'DECLINED' } : {});
      await insertAuditRecords(trx, [{ actor: actor.id, requestId: actor.requestId, action: 'update', resourceType: 'action_run', resourceId: id, blueprint: row.blueprint, before: { status: row.status }, after: { approval } }]);
      if (state === 'APPROVED') await repo.enqueueInvoke(trx, id);
    });
    return this.getRun(id);
  }

  /** A log line on the run when an entity was written with `?run_id=` (Port's affected entities). */
  async noteEntityWrite(runId: string, blueprint: string, identifier: string, actor: Actor): Promise<void> {
    const row = await repo.findRun(this.db, runId);
    if (!row) return;
    await repo.insertLog(this.db, runId, `Entity ${blueprint}/${identifier} written by ${actor.id}`);
  }
}

/** Execute permission: admins always; else the action's rule, or any non-viewer without one. */
export function executeDenial(p: Principal | undefined, def: ActionDefinition, entityTeams: string[]): string | null {
  if (!p || p.role === 'admin') return null;
  if (p.role === 'viewer') return 'Read-only users cannot run actions';
  const rule = def.permissions?.execute;
  if (!rule) return null;
  if (rule.roles?.includes(p.role)) return null;
  if (p.email && rule.users?.includes(p.email)) return null;
  if (rule.teams?.some((t) => p.teams.includes(t))) return null;
  if (rule.ownedByTeam && entityTeams.some((t) => p.teams.includes(t))) return null;
  return `You may not run "${def.identifier}"${rule.ownedByTeam ? ': it runs only on entities your team owns' : ''}`;
}

/** Approve permission: admins always; else the action's approve rule (without one: admins only). */
export function approveDenial(p: Principal | undefined, def: ActionDefinition): string | null {
  if (!p || p.role === 'admin') return null;
  if (p.runId !== undefined) return 'A run token cannot approve runs';
  const rule = def.permissions?.approve;
  if (rule && (rule.roles?.includes(p.role) || (p.email && rule.users?.includes(p.email)) || rule.teams?.some((t) => p.teams.includes(t)))) return null;
  return `You may not approve runs of "${def.identifier}"`;
}

function userForRules(actor: Actor): unknown {
  const p = actor.principal;
  return p ? { email: p.email, name: p.name, role: p.role, teams: p.teams } : null;
}
