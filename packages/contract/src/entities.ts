import { z } from 'zod';
import { blueprintIdentifier, entityIdentifier, okTrue, queryFlag } from './common.ts';
import { fieldProblemSchema } from './errors.ts';

/** A relation value: one target identifier, several, or null (cleared). */
export const relationValueSchema = z.union([entityIdentifier, z.array(entityIdentifier), z.null()]);
export type RelationValue = z.infer<typeof relationValueSchema>;

/** What a client sends to create, replace or merge an entity (Port's shape). */
export const entityInputSchema = z.object({
  identifier: entityIdentifier,
  title: z.string().max(1000).nullish(),
  icon: z.string().max(100).nullish(),
  team: z.union([z.array(z.string().min(1).max(200)), z.string().min(1).max(200)]).optional(),
  properties: z.record(z.string(), z.unknown()).default({}),
  relations: z.record(z.string(), relationValueSchema).default({}),
  /** Port clients send the blueprint in the body too; if present it must match the route. */
  blueprint: z.string().optional(),
});
export type EntityInput = z.input<typeof entityInputSchema>;

/** PUT/PATCH bodies: the identifier comes from the path (a body identifier renames). */
export const entityUpdateSchema = entityInputSchema.extend({ identifier: entityIdentifier.optional() });
export const entityPatchSchema = z.object({
  identifier: entityIdentifier.optional(),
  title: z.string().max(1000).nullish(),
  icon: z.string().max(100).nullish(),
  team: z.union([z.array(z.string().min(1).max(200)), z.string().min(1).max(200)]).optional(),
  properties: z.record(z.string(), z.unknown()).optional(),
  relations: z.record(z.string(), relationValueSchema).optional(),
  blueprint: z.string().optional(),
});

export const entitySchema = z.object({
  identifier: z.string(),
  title: z.string().nullable(),
  icon: z.string().nullable(),
  blueprint: z.string(),
  team: z.array(z.string()),
  properties: z.record(z.string(), z.unknown()),
  relations: z.record(z.string(), relationValueSchema),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
  /** Set when the entity comes from a catalog file in Git: edit it there (the portal refuses edits). */
  managedBy: z.object({ location: z.string(), url: z.string() }).nullable().optional(),
  /** Its file no longer declares it (kept, not deleted, until someone decides). */
  orphaned: z.boolean().optional(),
});
export type Entity = z.infer<typeof entitySchema>;

export const entityParamsSchema = z.object({ blueprint: blueprintIdentifier, entity: entityIdentifier });

export const createEntityQuerySchema = z.object({
  upsert: queryFlag,
  merge: queryFlag,
  validation_only: queryFlag,
  create_missing_related_entities: queryFlag,
  /** Port's affected entities: the action run this write belongs to. */
  run_id: z.string().min(1).max(100).optional(),
});
export const updateEntityQuerySchema = z.object({
  validation_only: queryFlag,
  create_missing_related_entities: queryFlag,
});
export const deleteEntityQuerySchema = z.object({ delete_dependents: queryFlag });

export const entityResponseSchema = z.object({ ok: okTrue, entity: entitySchema });
export const entityValidationResponseSchema = z.object({ ok: okTrue, valid: z.literal(true) });

export const listEntitiesQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  /** Opaque cursor from the previous page's `next`. */
  from: z.string().max(2000).optional(),
});
export const entityListResponseSchema = z.object({
  ok: okTrue,
  entities: z.array(entitySchema),
  next: z.string().nullable(),
});

export const BULK_MAX_ENTITIES = 1000;
export const bulkUpsertBodySchema = z.object({
  entities: z.array(z.unknown()).min(1).max(BULK_MAX_ENTITIES),
});
export const bulkUpsertQuerySchema = z.object({
  merge: queryFlag,
  create_missing_related_entities: queryFlag,
});
export const bulkUpsertResponseSchema = z.object({
  ok: z.boolean(),
  entities: z.array(z.object({ identifier: z.string(), index: z.number().int(), created: z.boolean() })),
  errors: z.array(
    z.object({
      identifier: z.string().nullable(),
      index: z.number().int(),
      statusCode: z.number().int(),
      error: z.string(),
      message: z.string(),
      details: z.array(fieldProblemSchema).optional(),
    }),
  ),
});
export type BulkUpsertResponse = z.infer<typeof bulkUpsertResponseSchema>;
