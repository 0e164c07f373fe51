import { z } from 'zod';
import { okTrue } from './common.ts';

/** A problem in a catalog file, with the line it is about. */
export const fileProblemSchema = z.object({
  file: z.string(),
  line: z.number().int(),
  column: z.number().int(),
  message: z.string(),
  severity: z.enum(['error', 'warning']),
  ref: z.string().optional(),
});
export type FileProblem = z.infer<typeof fileProblemSchema>;

/** A registered catalog file in Git and the state of its last refresh. */
export const locationSchema = z.object({
  id: z.string(),
  url: z.string(),
  origin: z.enum(['registered', 'discovered']),
  status: z.enum(['pending', 'ok', 'error']),
  lastRefreshedAt: z.string().nullable(),
  lastError: z.string().nullable(),
  problems: z.array(fileProblemSchema),
  files: z.array(z.string()),
  entityCount: z.number().int(),
  orphanCount: z.number().int(),
  createdAt: z.string(),
  createdBy: z.string(),
});
export type Location = z.infer<typeof locationSchema>;

export const locationRefreshSchema = z.object({
  status: z.enum(['ok', 'error']),
  files: z.array(z.string()),
  entities: z.number().int(),
  orphaned: z.number().int(),
  deleted: z.number().int(),
  problems: z.array(fileProblemSchema),
});
export type LocationRefresh = z.infer<typeof locationRefreshSchema>;

export const registerLocationSchema = z.object({ url: z.url().max(2000) });
export const discoverLocationsSchema = z.object({
  org: z.string().min(1).max(100).regex(/^[A-Za-z0-9-]+$/, 'a GitHub organization name'),
  fileName: z.string().min(1).max(300).default('catalog-info.yaml'),
});
export const locationListResponseSchema = z.object({ ok: okTrue, locations: z.array(locationSchema) });
export const locationRefreshResponseSchema = z.object({ ok: okTrue, location: locationSchema, refresh: locationRefreshSchema });
export const discoverLocationsResponseSchema = z.object({ ok: okTrue, registered: z.array(locationSchema) });
