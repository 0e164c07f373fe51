import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { User, Team } from '@portolan/contract';
import type { createTeamSchema, createUserSchema, updateTeamSchema, updateUserSchema } from '@portolan/contract';
import type { Database } from '../../db/schema.ts';
import { ConflictError, InvalidError, NotFoundError } from '../../plugins/errors.ts';
import { insertAuditRecords } from '../audit/audit.repository.ts';
import type { Actor } from '../request-context.ts';
import { toUser } from './identity.mapper.ts';
import * as repo from './identity.repository.ts';
import { hashPassword } from './passwords.ts';

type CreateUser = z.output<typeof createUserSchema>;
type UpdateUser = z.output<typeof updateUserSchema>;
type CreateTeam = z.output<typeof createTeamSchema>;
type UpdateTeam = z.output<typeof updateTeamSchema>;

const audit = (actor: Actor, action: 'create' | 'update' | 'delete', resourceType: 'user' | 'team', resourceId: string, before: unknown, after: unknown) => ({
  actor: actor.id, requestId: actor.requestId, action, resourceType, resourceId, before, after,
});

export class UsersService {
  constructor(private readonly db: Kysely<Database>) {}

  async list(): Promise<User[]> {
    return (await repo.findUsers(this.db)).map(toUser);
  }

  async get(id: string): Promise<User> {
    const row = await repo.findUserById(this.db, id);
    if (!row) throw new NotFoundError(`User ${id} not found`);
    return toUser(row);
  }

  async create(input: CreateUser, actor: Actor): Promise<User> {
    return this.db.transaction().execute(async (trx) => {
      if (await repo.findUserByEmail(trx, input.email)) throw new ConflictError(`A user with email ${input.email} already exists`);
      const id = await repo.insertUser(trx, {
        email: input.email,
        name: input.name ?? null,
        role: input.role,
        moderated_blueprints: input.moderatedBlueprints,
        password_hash: input.password ? await hashPassword(input.password) : null,
      });
      await repo.setUserTeams(trx, id, input.teams);
      const user = toUser((await repo.findUserById(trx, id))!);
      await insertAuditRecords(trx, [audit(actor, 'create', 'user', user.email, null, user)]);
      return user;
    });
  }

  async update(id: string, input: UpdateUser, actor: Actor): Promise<User> {
    return this.db.transaction().execute(async (trx) => {
      const current = await repo.findUserById(trx, id);
      if (!current) throw new NotFoundError(`User ${id} not found`);
      const demotes = (input.role !== undefined && input.role !== 'admin') || input.disabled === true;
      if (current.role === 'admin' && demotes && (await repo.countAdmins(trx)) <= 1) {
        throw new ConflictError('This is the last active admin; make someone else admin first');
      }
      await repo.updateUser(trx, id, {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.role !== undefined ? { role: input.role } : {}),
        ...(input.moderatedBlueprints !== undefined ? { moderated_blueprints: input.moderatedBlueprints } : {}),
        ...(input.disabled !== undefined ? { disabled: input.disabled } : {}),
        ...(input.password !== undefined ? { password_hash: await hashPassword(input.password) } : {}),
      });
      if (input.teams !== undefined) await repo.setUserTeams(trx, id, input.teams);
      // A new password or a disabled account ends every open session of that user.
      if (input.password !== undefined || input.disabled === true) await repo.deleteSessionsOf(trx, id);
      const after = toUser((await repo.findUserById(trx, id))!);
      await insertAuditRecords(trx, [audit(actor, 'update', 'user', after.email, toUser(current), after)]);
      return after;
    });
  }

  async delete(id: string, actor: Actor): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const current = await repo.findUserById(trx, id);
      if (!current) throw new NotFoundError(`User ${id} not found`);
      if (current.role === 'admin' && (await repo.countAdmins(trx)) <= 1) throw new ConflictError('This is the last active admin; make someone else admin first');
      await repo.deleteUser(trx, id);
      await insertAuditRecords(trx, [audit(actor, 'delete', 'user', current.email, toUser(current), null)]);
    });
  }

  async listTeams(): Promise<Team[]> {
    return repo.findTeams(this.db);
  }

  async getTeam(identifier: string): Promise<Team> {
    const [team] = await repo.findTeams(this.db, identifier);
    if (!team) throw new NotFoundError(`Team "${identifier}" not found`);
    return team;
  }

  async createTeam(input: CreateTeam, actor: Actor): Promise<Team> {
    return this.db.transaction().execute(async (trx) => {
      if ((await repo.findTeams(trx, input.identifier)).length > 0) throw new ConflictError(`Team "${input.identifier}" already exists`);
      await repo.insertTeam(trx, { identifier: input.identifier, title: input.title ?? null, description: input.description ?? null });
      await this.assertUsersExist(trx, input.members);
      await repo.setTeamMembers(trx, input.identifier, input.members);
      const [team] = await repo.findTeams(trx, input.identifier);
      await insertAuditRecords(trx, [audit(actor, 'create', 'team', input.identifier, null, team)]);
      return team!;
    });
  }

  async updateTeam(identifier: string, input: UpdateTeam, actor: Actor): Promise<Team> {
    return this.db.transaction().execute(async (trx) => {
      const [before] = await repo.findTeams(trx, identifier);
      if (!before) throw new NotFoundError(`Team "${identifier}" not found`);
      await repo.updateTeam(trx, identifier, {
        ...(input.title !== undefined ? { title: input.title } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
      });
      if (input.members !== undefined) {
        await this.assertUsersExist(trx, input.members);
        await repo.setTeamMembers(trx, identifier, input.members);
      }
      const [after] = await repo.findTeams(trx, identifier);
      await insertAuditRecords(trx, [audit(actor, 'update', 'team', identifier, before, after)]);
      return after!;
    });
  }

  async deleteTeam(identifier: string, actor: Actor): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const [before] = await repo.findTeams(trx, identifier);
      if (!before) throw new NotFoundError(`Team "${identifier}" not found`);
      await repo.deleteTeam(trx, identifier);
      await insertAuditRecords(trx, [audit(actor, 'delete', 'team', identifier, before, null)]);
    });
  }

  private async assertUsersExist(trx: Kysely<Database>, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const found = new Set((await trx.selectFrom('users').select('id').where('id', 'in', ids).execute()).map((r) => r.id));
    const missing = ids.map((id, i) => ({ id, i })).filter(({ id }) => !found.has(id));
    if (missing.length > 0) throw new InvalidError('Unknown users', missing.map(({ id, i }) => ({ path: `members.${i}`, message: `user ${id} not found` })));
  }
}
