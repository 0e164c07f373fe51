import path from 'node:path';
import { z } from 'zod';

// Every setting comes from the environment and is checked here, once, at start.
// A bad value stops the process with a list of what is wrong instead of failing later.

const port = z.coerce.number().int().min(1).max(65535);

const configSchema = z.object({
  /** Use this PostgreSQL server; when unset, an embedded PostgreSQL is started. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  /** Where the embedded PostgreSQL keeps its data (and later, the generated secret key). */
  PORTOLAN_DATA_DIR: z.string().min(1).default('.data'),
  PORTOLAN_EMBEDDED_PG_PORT: port.default(54329),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(7007),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Load catalog-examples/ into an empty catalog on start. */
  PORTOLAN_LOAD_EXAMPLES: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  PORTOLAN_EXAMPLES_DIR: z.string().min(1).optional(),
  /** Largest accepted request body, in bytes (Port's limit is 1 MiB; bulk upserts need more). */
  PORTOLAN_BODY_LIMIT: z.coerce.number().int().min(1024).max(100 * 1024 * 1024).default(5 * 1024 * 1024),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

export function parseConfig(env: NodeJS.ProcessEnv): Config {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}

export const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
