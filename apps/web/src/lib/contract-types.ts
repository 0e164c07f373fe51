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
