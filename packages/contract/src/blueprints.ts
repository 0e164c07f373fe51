import { z } from 'zod';
import { blueprintIdentifier, fieldIdentifier, okTrue } from './common.ts';

export const PROPERTY_TYPES = ['string', 'number', 'boolean', 'object', 'array'] as const;
export const PROPERTY_FORMATS = [
  'date-time',
  'url',
  'email',
  'markdown',
  'yaml',
  'user',
  'team',
  'timer',
  'ipv4',
  'ipv6',
] as const;
export const PROPERTY_SPECS = ['open-api', 'async-api'] as const;
export const ENUM_COLORS = [
  'blue', 'turquoise', 'orange', 'purple', 'pink', 'yellow', 'green', 'red', 'gold', 'silver',
  'paleBlue', 'darkGray', 'lightGray', 'bronze', 'lime', 'olive', 'brown',
] as const;

/**
 * A property definition. The outer shape is checked here; the semantic rules (formats allowed per
 * type, enum values matching the type, regex patterns that compile, ...) live in
 * `@portolan/catalog-model` so every problem can be listed at once with its path.
 */
export const blueprintPropertySchema = z
  .object({
    type: z.string(),
    title: z.string().max(100).optional(),
    description: z.string().max(1000).optional(),
    icon: z.string().max(100).optional(),
    format: z.string().optional(),
    spec: z.string().optional(),
    enum: z.array(z.unknown()).optional(),
    enumColors: z.record(z.string(), z.string()).optional(),
    default: z.unknown().optional(),
    items: z.record(z.string(), z.unknown()).optional(),
  })
  .catchall(z.unknown());
export type BlueprintProperty = z.infer<typeof blueprintPropertySchema>;

export const blueprintRelationSchema = z.object({
  title: z.string().max(100).optional(),
  description: z.string().max(1000).optional(),
  target: z.string(),
  required: z.boolean().default(false),
  many: z.boolean().default(false),
});
export type BlueprintRelation = z.infer<typeof blueprintRelationSchema>;

export const mirrorPropertySchema = z.object({
  title: z.string().max(100).optional(),
  path: z.string().min(1),
});
export type MirrorProperty = z.infer<typeof mirrorPropertySchema>;

export const ownershipSchema = z.union([
  z.object({ type: z.literal('Direct'), title: z.string().optional() }),
  z.object({ type: z.literal('Inherited'), path: z.string().min(1), title: z.string().optional() }),
]);

/** What a client sends to create or replace a blueprint. */
export const blueprintInputSchema = z.object({
  identifier: blueprintIdentifier,
  title: z.string().min(1).max(100),
  icon: z.string().max(100).optional(),
  description: z.string().max(1000).optional(),
  schema: z.object({
    properties: z.record(fieldIdentifier, blueprintPropertySchema).default({}),
    required: z.array(z.string()).default([]),
  }),
  relations: z.record(fieldIdentifier, blueprintRelationSchema).default({}),
  mirrorProperties: z.record(fieldIdentifier, mirrorPropertySchema).default({}),
  /** Accepted and stored for Port compatibility; not evaluated yet. */
  calculationProperties: z.record(fieldIdentifier, z.unknown()).default({}),
  /** Accepted and stored for Port compatibility; not evaluated yet. */
  aggregationProperties: z.record(fieldIdentifier, z.unknown()).default({}),
  ownership: ownershipSchema.optional(),
});
export type BlueprintInput = z.input<typeof blueprintInputSchema>;
export type BlueprintDefinition = z.output<typeof blueprintInputSchema>;

/** PATCH: top-level fields sent replace the stored ones; fields left out are kept (no defaults). */
export const blueprintPatchSchema = z.object({
  title: z.string().min(1).max(100).optional(),
  icon: z.string().max(100).optional(),
  description: z.string().max(1000).optional(),
  schema: z
    .object({
      properties: z.record(fieldIdentifier, blueprintPropertySchema).default({}),
      required: z.array(z.string()).default([]),
    })
    .optional(),
  relations: z.record(fieldIdentifier, blueprintRelationSchema).optional(),
  mirrorProperties: z.record(fieldIdentifier, mirrorPropertySchema).optional(),
  calculationProperties: z.record(fieldIdentifier, z.unknown()).optional(),
  aggregationProperties: z.record(fieldIdentifier, z.unknown()).optional(),
  ownership: ownershipSchema.optional(),
});
export type BlueprintPatch = z.infer<typeof blueprintPatchSchema>;

export const blueprintSchema = blueprintInputSchema.extend({
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
});
export type Blueprint = z.infer<typeof blueprintSchema>;

export const blueprintParamsSchema = z.object({ blueprint: blueprintIdentifier });

export const blueprintResponseSchema = z.object({ ok: okTrue, blueprint: blueprintSchema });
export const blueprintListResponseSchema = z.object({ ok: okTrue, blueprints: z.array(blueprintSchema) });

export const deleteBlueprintQuerySchema = z.object({
  /** Delete the blueprint's entities too; without it a blueprint that has entities is refused. */
  delete_entities: z.enum(['true', 'false']).optional().transform((v) => v === 'true'),
});

/** Counts a UI shows before a destructive change ("this touches 1,204 entities"). */
export const blueprintStatsResponseSchema = z.object({
  ok: okTrue,
  entityCount: z.number().int(),
  /** Blueprints whose relations point at this one. */
  relatedFrom: z.array(z.object({ blueprint: z.string(), relation: z.string() })),
});
