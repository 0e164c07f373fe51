import type { z } from 'zod';
import type {
  blueprintListResponseSchema,
  blueprintResponseSchema,
  blueprintStatsResponseSchema,
  entityListResponseSchema,
  entityResponseSchema,
  facetsBodySchema,
  facetsResponseSchema,
  graphQuerySchema,
  graphResponseSchema,
  blueprintSearchBodySchema,
  globalSearchBodySchema,
  searchResponseSchema,
  apiClientSchema,
  apiClientCreatedResponseSchema,
  auditEntrySchema,
  auditListResponseSchema,
  auditQuerySchema,
  createApiClientSchema,
  createTeamSchema,
  createUserSchema,
  putSecretSchema,
  secretMetaSchema,
  updateTeamSchema,
  updateUserSchema,
} from '@portolan/contract';

// Response and request types inferred from the shared contract's schemas (type-only: no zod at run time).
export type BlueprintListResponse = z.infer<typeof blueprintListResponseSchema>;
export type BlueprintResponse = z.infer<typeof blueprintResponseSchema>;
export type BlueprintStatsResponse = z.infer<typeof blueprintStatsResponseSchema>;
export type EntityResponse = z.infer<typeof entityResponseSchema>;
export type EntityListResponse = z.infer<typeof entityListResponseSchema>;
export type SearchBody = z.input<typeof blueprintSearchBodySchema>;
export type GlobalSearchBody = z.input<typeof globalSearchBodySchema>;
export type SearchResponse = z.infer<typeof searchResponseSchema>;
export type FacetsBody = z.input<typeof facetsBodySchema>;
export type FacetsResponse = z.infer<typeof facetsResponseSchema>;
export type FacetValue = FacetsResponse['facets'][string][number];
/** The graph's query string as the client sends it (the schema coerces strings, so its input type is unknown). */
export type GraphQuery = { [K in keyof z.output<typeof graphQuerySchema>]?: z.output<typeof graphQuerySchema>[K] };
export type GraphResponse = z.infer<typeof graphResponseSchema>;
export type GraphNode = GraphResponse['nodes'][number];
export type GraphEdge = GraphResponse['edges'][number];

// Identity, audit and secrets.
export type CreateUserBody = z.input<typeof createUserSchema>;
export type UpdateUserBody = z.input<typeof updateUserSchema>;
export type CreateTeamBody = z.input<typeof createTeamSchema>;
export type UpdateTeamBody = z.input<typeof updateTeamSchema>;
export type ApiClient = z.infer<typeof apiClientSchema>;
export type CreateApiClientBody = z.input<typeof createApiClientSchema>;
export type ApiClientCreatedResponse = z.infer<typeof apiClientCreatedResponseSchema>;
export type AuditEntry = z.infer<typeof auditEntrySchema>;
export type AuditListResponse = z.infer<typeof auditListResponseSchema>;
/** The audit log's filters as the client sends them (limit and cursor are added per page). */
export type AuditFilters = Omit<z.input<typeof auditQuerySchema>, 'limit' | 'cursor'>;
export type SecretMeta = z.infer<typeof secretMetaSchema>;
export type PutSecretBody = z.input<typeof putSecretSchema>;
