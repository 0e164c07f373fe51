import { z } from 'zod';
import { blueprintIdentifier, okTrue } from './common.ts';

export const ROLES = ['admin', 'moderator', 'member', 'viewer'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

/** Team identifiers: Port's team-name rule (no ; # / ? and no surrounding whitespace). */
export const teamIdentifier = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^;#/?\s](?:[^;#/?]*[^;#/?\s])?$/, 'may not contain ; # / ? or start/end with whitespace');

export const emailSchema = z.string().trim().toLowerCase().pipe(z.email().max(320));

export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  role: roleSchema,
  moderatedBlueprints: z.array(z.string()),
  teams: z.array(z.string()),
  hasPassword: z.boolean(),
  sso: z.boolean(),
  disabled: z.boolean(),
  createdAt: z.string(),
  lastSignInAt: z.string().nullable(),
});
export type User = z.infer<typeof userSchema>;

export const createUserSchema = z.object({
  email: emailSchema,
  name: z.string().max(200).optional(),
  role: roleSchema.default('member'),
  moderatedBlueprints: z.array(blueprintIdentifier).max(500).default([]),
  teams: z.array(teamIdentifier).max(500).default([]),
  /** Optional: without it the user signs in through SSO or a one-time link an admin creates. */
  password: z.string().min(12, 'must be at least 12 characters').max(512).optional(),
});
export const updateUserSchema = z.object({
  name: z.string().max(200).nullable().optional(),
  role: roleSchema.optional(),
  moderatedBlueprints: z.array(blueprintIdentifier).max(500).optional(),
  teams: z.array(teamIdentifier).max(500).optional(),
  disabled: z.boolean().optional(),
  password: z.string().min(12, 'must be at least 12 characters').max(512).optional(),
});
export const userParamsSchema = z.object({ id: z.uuid() });
export const userResponseSchema = z.object({ ok: okTrue, user: userSchema });
export const userListResponseSchema = z.object({ ok: okTrue, users: z.array(userSchema) });

export const teamSchema = z.object({
  identifier: z.string(),
  title: z.string().nullable(),
  description: z.string().nullable(),
  source: z.enum(['local', 'sso']),
  members: z.array(z.object({ id: z.string(), email: z.string(), name: z.string().nullable() })),
});
export type Team = z.infer<typeof teamSchema>;
export const createTeamSchema = z.object({
  identifier: teamIdentifier,
  title: z.string().max(200).optional(),
  description: z.string().max(1000).optional(),
  members: z.array(z.uuid()).max(5000).default([]),
});
export const updateTeamSchema = z.object({
  title: z.string().max(200).nullable().optional(),
  description: z.string().max(1000).nullable().optional(),
  members: z.array(z.uuid()).max(5000).optional(),
});
export const teamParamsSchema = z.object({ team: teamIdentifier });
export const teamResponseSchema = z.object({ ok: okTrue, team: teamSchema });
export const teamListResponseSchema = z.object({ ok: okTrue, teams: z.array(teamSchema) });

/** Who the caller is, and what the UI should offer them. */
export const meResponseSchema = z.object({
  ok: okTrue,
  user: userSchema,
  /** Send it as `x-csrf-token` on every unsafe request made with the session cookie. */
  csrfToken: z.string(),
});

export const signInBodySchema = z.object({ email: emailSchema, password: z.string().min(1).max(512) });

/** Port's token exchange. */
export const accessTokenBodySchema = z.object({ clientId: z.string().min(1).max(200), clientSecret: z.string().min(1).max(500) });
export const accessTokenResponseSchema = z.object({
  ok: okTrue,
  accessToken: z.string(),
  expiresIn: z.number().int(),
  tokenType: z.literal('Bearer'),
});

export const apiClientSchema = z.object({
  clientId: z.string(),
  name: z.string(),
  role: roleSchema,
  teams: z.array(z.string()),
  moderatedBlueprints: z.array(z.string()),
  createdAt: z.string(),
  createdBy: z.string(),
  lastUsedAt: z.string().nullable(),
});
export const createApiClientSchema = z.object({
  name: z.string().min(1).max(200),
  role: roleSchema.default('member'),
  teams: z.array(teamIdentifier).max(500).default([]),
  moderatedBlueprints: z.array(blueprintIdentifier).max(500).default([]),
});
export const apiClientListResponseSchema = z.object({ ok: okTrue, clients: z.array(apiClientSchema) });
/** The secret is shown once, at creation; only its hash is stored. */
export const apiClientCreatedResponseSchema = z.object({ ok: okTrue, client: apiClientSchema, clientSecret: z.string() });

/** Who may register (create), update and unregister (delete) a blueprint's entities. */
export const entityPermissionRuleSchema = z.object({
  roles: z.array(roleSchema).default([]),
  teams: z.array(teamIdentifier).default([]),
  /** Members of a team the entity belongs to (for register: a team the new entity names). */
  ownedByTeam: z.boolean().default(false),
});
export const blueprintPermissionsSchema = z.object({
  entities: z.object({
    register: entityPermissionRuleSchema,
    update: entityPermissionRuleSchema,
    unregister: entityPermissionRuleSchema,
  }),
});
export type BlueprintPermissions = z.infer<typeof blueprintPermissionsSchema>;
export const blueprintPermissionsResponseSchema = z.object({ ok: okTrue, permissions: blueprintPermissionsSchema });

export const auditEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.string(),
  requestId: z.string().nullable(),
  action: z.string(),
  resourceType: z.string(),
  resourceId: z.string(),
  blueprint: z.string().nullable(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
});
export const auditQuerySchema = z.object({
  resourceType: z.string().max(50).optional(),
  resourceId: z.string().max(1000).optional(),
  blueprint: z.string().max(100).optional(),
  actor: z.string().max(300).optional(),
  action: z.string().max(50).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(200).optional(),
});
export const auditListResponseSchema = z.object({
  ok: okTrue,
  entries: z.array(auditEntrySchema),
  next: z.string().nullable(),
  /** Entries older than this many days are deleted (PORTOLAN_AUDIT_RETENTION_DAYS); null: kept forever. */
  retentionDays: z.number().int().nullable(),
});

export const secretNameSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,99}$/, 'letters, digits and _ only, not starting with a digit');
export const secretMetaSchema = z.object({
  name: z.string(),
  description: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
});
export const putSecretSchema = z.object({ value: z.string().min(1).max(64 * 1024), description: z.string().max(500).optional() });
export const secretListResponseSchema = z.object({ ok: okTrue, secrets: z.array(secretMetaSchema) });
export const secretResponseSchema = z.object({ ok: okTrue, secret: secretMetaSchema });
