import { z } from 'zod';

/** One failing field: `path` is dotted from the body root (`properties.port`), or names the param/query. */
export const fieldProblemSchema = z.object({
  path: z.string(),
  message: z.string(),
});
export type FieldProblem = z.infer<typeof fieldProblemSchema>;

export const errorCodeSchema = z.enum([
  'invalid_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'precondition_failed',
  'payload_too_large',
  'unsupported_media_type',
  'unprocessable',
  'rate_limited',
  'internal_error',
]);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

/** The one error shape every route answers with. */
export const errorBodySchema = z.object({
  ok: z.literal(false),
  error: errorCodeSchema,
  message: z.string(),
  details: z.array(fieldProblemSchema).optional(),
  /** For 409s: the other resources that stand in the way (dependents, relating blueprints). */
  conflicts: z.array(z.string()).optional(),
  requestId: z.string().optional(),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
