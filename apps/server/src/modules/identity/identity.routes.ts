import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  apiClientCreatedResponseSchema,
  apiClientListResponseSchema,
  blueprintParamsSchema,
  blueprintPermissionsResponseSchema,
  blueprintPermissionsSchema,
  createApiClientSchema,
  createTeamSchema,
  createUserSchema,
  errorBodySchema,
  teamListResponseSchema,
  teamParamsSchema,
  teamResponseSchema,
  updateTeamSchema,
  updateUserSchema,
  userListResponseSchema,
  userParamsSchema,
  userResponseSchema,
} from '@portolan/contract';
import type { AuthService } from './auth.service.ts';
import type { PermissionsService } from './permissions.service.ts';
import type { UsersService } from './users.service.ts';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };
const ok = z.object({ ok: z.literal(true) });
const admin = { access: { kind: 'admin' as const } };
const signedIn = { access: { kind: 'signedIn' as const } };

export interface IdentityRoutesOptions {
  users: UsersService;
  auth: AuthService;
  permissions: PermissionsService;
  publicUrl: string;
}

export const identityRoutes: FastifyPluginAsyncZod<IdentityRoutesOptions> = async (app, { users, auth, permissions, publicUrl }) => {
  // Users: everyone signed in can look people up (owner pickers); admins manage them.
  app.get('/v1/users', { config: signedIn, schema: { tags: ['users'], summary: 'List users', response: { 200: userListResponseSchema, ...errors } } },
    async () => ({ ok: true as const, users: await users.list() }));
  app.get('/v1/users/:id', { config: signedIn, schema: { tags: ['users'], summary: 'Get a user', params: userParamsSchema, response: { 200: userResponseSchema, ...errors } } },
    async (req) => ({ ok: true as const, user: await users.get(req.params.id) }));
  app.post('/v1/users', { config: admin, schema: { tags: ['users'], summary: 'Create a user', body: createUserSchema, response: { 201: userResponseSchema, ...errors } } },
    async (req, reply) => reply.status(201).send({ ok: true as const, user: await users.create(req.body, req.actor) }));
  app.patch('/v1/users/:id', { config: admin, schema: { tags: ['users'], summary: "Change a user's role, teams, password or status", params: userParamsSchema, body: updateUserSchema, response: { 200: userResponseSchema, ...errors } } },
    async (req) => ({ ok: true as const, user: await users.update(req.params.id, req.body, req.actor) }));
  app.delete('/v1/users/:id', { config: admin, schema: { tags: ['users'], summary: 'Delete a user', params: userParamsSchema, response: { 200: ok, ...errors } } },
    async (req) => {
      await users.delete(req.params.id, req.actor);
      return { ok: true as const };
    });
  app.post('/v1/users/:id/sign-in-link', { config: admin, schema: { tags: ['users'], summary: 'A one-time sign-in link for this user (valid 24 hours)', params: userParamsSchema, response: { 200: z.object({ ok: z.literal(true), url: z.string() }), ...errors } } },
    async (req) => {
      await users.get(req.params.id);
      const token = await auth.createSignInLink(req.params.id);
      return { ok: true as const, url: new URL(`/v1/auth/sign-in-link/${token}`, publicUrl).toString() };
    });

  app.get('/v1/teams', { config: signedIn, schema: { tags: ['teams'], summary: 'List teams with their members', response: { 200: teamListResponseSchema, ...errors } } },
    async () => ({ ok: true as const, teams: await users.listTeams() }));
  app.get('/v1/teams/:team', { config: signedIn, schema: { tags: ['teams'], summary: 'Get a team', params: teamParamsSchema, response: { 200: teamResponseSchema, ...errors } } },
    async (req) => ({ ok: true as const, team: await users.getTeam(req.params.team) }));
  app.post('/v1/teams', { config: admin, schema: { tags: ['teams'], summary: 'Create a team', body: createTeamSchema, response: { 201: teamResponseSchema, ...errors } } },
    async (req, reply) => reply.status(201).send({ ok: true as const, team: await users.createTeam(req.body, req.actor) }));
  app.patch('/v1/teams/:team', { config: admin, schema: { tags: ['teams'], summary: "Change a team's title, description or members", params: teamParamsSchema, body: updateTeamSchema, response: { 200: teamResponseSchema, ...errors } } },
    async (req) => ({ ok: true as const, team: await users.updateTeam(req.params.team, req.body, req.actor) }));
  app.delete('/v1/teams/:team', { config: admin, schema: { tags: ['teams'], summary: 'Delete a team', params: teamParamsSchema, response: { 200: ok, ...errors } } },
    async (req) => {
      await users.deleteTeam(req.params.team, req.actor);
      return { ok: true as const };
    });

  app.get('/v1/api-clients', { config: admin, schema: { tags: ['api clients'], summary: 'List API clients (secrets are never shown again)', response: { 200: apiClientListResponseSchema, ...errors } } },
    async () => ({ ok: true as const, clients: await auth.listClients() }));
  app.post('/v1/api-clients', { config: admin, schema: { tags: ['api clients'], summary: 'Create an API client; the secret is in this response only', body: createApiClientSchema, response: { 201: apiClientCreatedResponseSchema, ...errors } } },
    async (req, reply) => reply.status(201).send({ ok: true as const, ...(await auth.createClient(req.body, req.actor)) }));
  app.post('/v1/api-clients/:clientId/rotate', { config: admin, schema: { tags: ['api clients'], summary: 'Replace the secret of an API client', params: z.object({ clientId: z.string().min(1).max(200) }), response: { 200: apiClientCreatedResponseSchema, ...errors } } },
    async (req) => ({ ok: true as const, ...(await auth.rotateClientSecret(req.params.clientId, req.actor)) }));
  app.delete('/v1/api-clients/:clientId', { config: admin, schema: { tags: ['api clients'], summary: 'Delete an API client', params: z.object({ clientId: z.string().min(1).max(200) }), response: { 200: ok, ...errors } } },
    async (req) => {
      await auth.deleteClient(req.params.clientId, req.actor);
      return { ok: true as const };
    });

  app.get('/v1/blueprints/:blueprint/permissions', { config: signedIn, schema: { tags: ['blueprints'], summary: "Who may create, change and delete this blueprint's entities", params: blueprintParamsSchema, response: { 200: blueprintPermissionsResponseSchema, ...errors } } },
    async (req) => ({ ok: true as const, permissions: await permissions.get(req.params.blueprint) }));
  app.put('/v1/blueprints/:blueprint/permissions', { config: { access: { kind: 'moderator', param: 'blueprint' } }, schema: { tags: ['blueprints'], summary: "Set who may create, change and delete this blueprint's entities", params: blueprintParamsSchema, body: blueprintPermissionsSchema, response: { 200: blueprintPermissionsResponseSchema, ...errors } } },
    async (req) => ({ ok: true as const, permissions: await permissions.put(req.params.blueprint, req.body, req.actor) }));
};
