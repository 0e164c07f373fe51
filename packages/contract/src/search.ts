import { z } from 'zod';
import { blueprintIdentifier, entityIdentifier, okTrue } from './common.ts';
import { entitySchema } from './entities.ts';

// Port's query language ({combinator, rules}) plus what the portal's catalog pages need:
// free-text search, sort, keyset cursors, facets and a relation graph.

export const SEARCH_OPERATORS = [
  '=', '!=', '>', '>=', '<', '<=',
  'contains', 'doesNotContains', 'containsAny', 'beginsWith', 'endsWith',
  'in', 'notIn', 'isEmpty', 'isNotEmpty', 'between',
  // Port's negated forms, accepted so Port queries work unchanged.
  'doesNotBeginsWith', 'doesNotEndsWith', 'notBetween',
] as const;
export type SearchOperator = (typeof SEARCH_OPERATORS)[number];

export const META_SEARCH_PROPERTIES = ['$identifier', '$title', '$team', '$blueprint', '$createdAt', '$updatedAt'] as const;

export const DATE_PRESETS = [
  'today', 'tomorrow', 'yesterday', 'lastDay', 'lastWeek', 'last2Weeks', 'lastMonth', 'last3Months',
  'last6Months', 'last12Months', 'last2Years', 'last3Years',
] as const;
export type DatePreset = (typeof DATE_PRESETS)[number];

export const searchValueSchema = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.null(),
  z.array(z.union([z.string(), z.number(), z.boolean()])),
  z.object({ from: z.string(), to: z.string() }),
  /** Port's relative date ranges for between/notBetween, resolved against the server clock. */
  z.object({ preset: z.enum(DATE_PRESETS) }),
]);

export const propertyRuleSchema = z.object({
  property: z.string().min(1).max(200),
  operator: z.string(),
  value: searchValueSchema.optional(),
});

export const relatedToRuleSchema = z.object({
  operator: z.literal('relatedTo'),
  blueprint: blueprintIdentifier,
  value: z.union([entityIdentifier, z.array(entityIdentifier).min(1).max(1000)]),
  direction: z.enum(['upstream', 'downstream']).optional(),
  required: z.boolean().optional(),
});

export interface SearchQuery {
  combinator: 'and' | 'or';
  rules: SearchRule[];
}
export type SearchRule = z.infer<typeof propertyRuleSchema> | z.infer<typeof relatedToRuleSchema> | SearchQuery;

export const searchQuerySchema: z.ZodType<SearchQuery> = z.lazy(() =>
  z.object({
    combinator: z.enum(['and', 'or']),
    rules: z.array(z.union([relatedToRuleSchema, propertyRuleSchema, searchQuerySchema])).max(100),
  }),
);

export const sortSchema = z.object({
  /** A property of the blueprint or a meta-property ($identifier, $title, $updatedAt, ...). */
  property: z.string().min(1).max(200),
  order: z.enum(['asc', 'desc']).default('asc'),
});

export const SEARCH_MAX_LIMIT = 1000;

/** Body of POST /v1/blueprints/{bp}/entities/search (Port's, plus search and sort). */
export const blueprintSearchBodySchema = z.object({
  query: searchQuerySchema.optional(),
  /** Free text matched against identifier, title and string properties (substring, ranked). */
  search: z.string().max(200).optional(),
  sort: sortSchema.optional(),
  limit: z.number().int().min(1).max(SEARCH_MAX_LIMIT).default(200),
  /** Opaque cursor: `next` of the previous page. */
  from: z.string().max(4000).optional(),
  include: z.array(z.string()).optional(),
});

export const searchResponseSchema = z.object({
  ok: okTrue,
  entities: z.array(entitySchema),
  next: z.string().nullable(),
});

/** Body of POST /v1/entities/search: a query over every blueprint. */
export const globalSearchBodySchema = blueprintSearchBodySchema.extend({
  query: searchQuerySchema.optional(),
});

/** Body of POST /v1/blueprints/{bp}/entities/facets: value counts under the current query. */
export const facetsBodySchema = z.object({
  query: searchQuerySchema.optional(),
  search: z.string().max(200).optional(),
  /** Properties or meta-properties ($team, $blueprint) to count values of. */
  properties: z.array(z.string().min(1).max(200)).min(1).max(20),
  /** Values per property, most frequent first. */
  limit: z.number().int().min(1).max(500).default(50),
});

export const facetsResponseSchema = z.object({
  ok: okTrue,
  total: z.number().int(),
  facets: z.record(z.string(), z.array(z.object({ value: z.union([z.string(), z.number(), z.boolean(), z.null()]), count: z.number().int() }))),
});

export const graphQuerySchema = z.object({
  depth: z.coerce.number().int().min(1).max(6).default(2),
  direction: z.enum(['upstream', 'downstream', 'both']).default('both'),
  maxNodes: z.coerce.number().int().min(1).max(2000).default(300),
});

export const graphResponseSchema = z.object({
  ok: okTrue,
  root: z.object({ blueprint: z.string(), identifier: z.string() }),
  nodes: z.array(z.object({ blueprint: z.string(), identifier: z.string(), title: z.string().nullable(), icon: z.string().nullable(), depth: z.number().int() })),
  edges: z.array(z.object({ source: z.string(), target: z.string(), relation: z.string() })),
  /** True when maxNodes cut the graph short. */
  truncated: z.boolean(),
});
