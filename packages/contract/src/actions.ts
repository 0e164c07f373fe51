import { z } from 'zod';
import { blueprintIdentifier, entityIdentifier, fieldIdentifier, okTrue } from './common.ts';
import { roleSchema } from './identity.ts';

// Self-service actions, Port-shaped (shared/research/port.md §4): action JSON written for Port
// loads unchanged. String values of an invocation method are `{{ jq }}` templates over the run's
// trigger data (.inputs, .entity, .trigger, .action, .run).

export const ACTION_OPERATIONS = ['CREATE', 'DAY-2', 'DELETE'] as const;
export const RUN_STATUSES = ['IN_PROGRESS', 'WAITING_FOR_APPROVAL', 'SUCCESS', 'FAILURE', 'DECLINED'] as const;
export const runStatusSchema = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof runStatusSchema>;

export const actionIdentifier = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9@_=-]+$/, 'may contain A-Z a-z 0-9 @ _ = - only');

/** One input: a JSON-Schema property plus Port's keys (format entity + blueprint, visible, …). */
export const userInputPropertySchema = z
  .object({
    type: z.enum(['string', 'number', 'boolean', 'object', 'array']),
    title: z.string().max(200).optional(),
    description: z.string().max(2000).optional(),
    format: z.string().max(50).optional(),
    blueprint: blueprintIdentifier.optional(),
    enum: z.array(z.unknown()).optional(),
    default: z.unknown().optional(),
    visible: z.union([z.boolean(), z.object({ jqQuery: z.string() })]).optional(),
  })
  .loose();
export type UserInputProperty = z.infer<typeof userInputPropertySchema>;

export const userInputsSchema = z
  .object({
    properties: z.record(fieldIdentifier, userInputPropertySchema).default({}),
    required: z.array(z.string()).default([]),
    order: z.array(z.string()).optional(),
  })
  .loose();

export const actionTriggerSchema = z
  .object({
    type: z.literal('self-service'),
    operation: z.enum(ACTION_OPERATIONS),
    blueprintIdentifier: blueprintIdentifier.optional(),
    userInputs: userInputsSchema.default({ properties: {}, required: [] }),
  })
  .loose();

export const webhookInvocationSchema = z
  .object({
    type: z.literal('WEBHOOK'),
    url: z.string().min(1).max(2000),
    agent: z.boolean().optional(),
    synchronized: z.boolean().default(false),
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('POST'),
    headers: z.record(z.string(), z.string()).optional(),
    body: z.unknown().optional(),
  })
  .strict();

export const githubInvocationSchema = z
  .object({
    type: z.literal('GITHUB'),
    org: z.string().min(1).max(200),
    repo: z.string().min(1).max(200),
    workflow: z.string().min(1).max(300),
    workflowInputs: z.record(z.string(), z.unknown()).optional(),
    reportWorkflowStatus: z.boolean().default(true),
  })
  .strict();

export const invocationMethodSchema = z.discriminatedUnion('type', [webhookInvocationSchema, githubInvocationSchema]);
export type InvocationMethod = z.infer<typeof invocationMethodSchema>;

const whoSchema = z
  .object({
    roles: z.array(roleSchema).optional(),
    users: z.array(z.string()).optional(),
    teams: z.array(z.string()).optional(),
  })
  .strict();

/** Who may execute and approve. Absent: every signed-in writer executes; admins approve. */
export const actionPermissionsSchema = z
  .object({
    execute: whoSchema.extend({ ownedByTeam: z.boolean().optional() }).optional(),
    approve: whoSchema.optional(),
  })
  .strict();
export type ActionPermissions = z.infer<typeof actionPermissionsSchema>;

export const actionInputSchema = z
  .object({
    identifier: actionIdentifier,
    title: z.string().max(200).optional(),
    icon: z.string().max(100).optional(),
    description: z.string().max(2000).optional(),
    trigger: actionTriggerSchema,
    invocationMethod: invocationMethodSchema,
    requiredApproval: z.union([z.boolean(), z.object({ type: z.enum(['ANY', 'ALL']) })]).default(false),
    permissions: actionPermissionsSchema.optional(),
  })
  .strict();
export type ActionDefinition = z.output<typeof actionInputSchema>;

export const actionSchema = actionInputSchema.extend({
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
});
export type Action = z.infer<typeof actionSchema>;

export const actionResponseSchema = z.object({ ok: okTrue, action: actionSchema });
export const actionListResponseSchema = z.object({ ok: okTrue, actions: z.array(actionSchema) });
export const actionListQuerySchema = z.object({ blueprint: blueprintIdentifier.optional(), operation: z.enum(ACTION_OPERATIONS).optional() });

// Runs

export const createRunBodySchema = z
  .object({
    entity: entityIdentifier.optional(),
    properties: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

export const runSchema = z.object({
  id: z.string(),
  action: z.object({ identifier: z.string(), title: z.string().nullable() }),
  blueprint: z.string().nullable(),
  entity: z.string().nullable(),
  properties: z.record(z.string(), z.unknown()),
  status: runStatusSchema,
  statusLabel: z.string().nullable(),
  link: z.array(z.string()),
  summary: z.string().nullable(),
  externalRunId: z.string().nullable(),
  source: z.string(),
  requiredApproval: z.boolean(),
  approval: z.object({ state: z.enum(['APPROVED', 'DECLINED']), description: z.string().nullable(), userId: z.string() }).nullable(),
  payload: z.unknown().nullable(),
  response: z.unknown().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  endedAt: z.string().nullable(),
});
export type Run = z.infer<typeof runSchema>;

export const runResponseSchema = z.object({ ok: okTrue, run: runSchema });
/** The run's scoped token is returned once, to the caller who created it (and to the backend). */
export const createRunResponseSchema = z.object({ ok: okTrue, run: runSchema });
/** The inputs an action's form shows for the values entered so far. */
export const visibleInputsResponseSchema = z.object({ ok: okTrue, visible: z.array(z.string()) });
export const runListQuerySchema = z.object({
  action: actionIdentifier.optional(),
  entity: entityIdentifier.optional(),
  blueprint: blueprintIdentifier.optional(),
  active: z.enum(['true', 'false']).optional(),
  mine: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export const runListResponseSchema = z.object({ ok: okTrue, runs: z.array(runSchema) });

export const patchRunBodySchema = z
  .object({
    status: z.enum(['SUCCESS', 'FAILURE']).optional(),
    statusLabel: z.string().max(200).optional(),
    link: z.union([z.string().max(2000), z.array(z.string().max(2000)).max(20)]).optional(),
    summary: z.string().max(10_000).optional(),
    externalRunId: z.string().max(300).optional(),
  })
  .strict();

export const runLogBodySchema = z
  .object({
    message: z.string().min(1).max(100_000),
    terminationStatus: z.enum(['SUCCESS', 'FAILURE']).optional(),
    statusLabel: z.string().max(200).optional(),
  })
  .strict();

export const runLogSchema = z.object({ id: z.string(), message: z.string(), terminationStatus: z.string().nullable(), statusLabel: z.string().nullable(), createdAt: z.string() });
export const runLogsQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(200), offset: z.coerce.number().int().min(0).default(0) });
export const runLogsResponseSchema = z.object({ ok: okTrue, logs: z.array(runLogSchema) });

export const approvalBodySchema = z.object({ status: z.enum(['APPROVE', 'DECLINE']), description: z.string().max(2000).optional() }).strict();
