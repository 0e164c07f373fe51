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

  /** Master key (32+ characters). Unset: generated once into PORTOLAN_DATA_DIR/secret.key. */
  PORTOLAN_SECRET_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  /** The portal's URL as browsers reach it (sign-in links, SSO callback). Default http://HOST:PORT. */
  PORTOLAN_PUBLIC_URL: z.url().optional(),
  PORTOLAN_ADMIN_EMAIL: z.email().default('admin@portolan.local'),
  /** First admin's password; without it the first start prints a one-time sign-in link. */
  PORTOLAN_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  PORTOLAN_ADMIN_CLIENT_ID: z.string().min(3).max(200).regex(/^[\w.-]+$/, 'letters, digits, _ . - only').optional(),
  PORTOLAN_ADMIN_CLIENT_SECRET: z.string().min(24, 'must be at least 24 characters').optional(),
  PORTOLAN_SESSION_TTL_HOURS: z.coerce.number().min(0.1).max(24 * 30).default(12),
  /** 'always' when the portal is only reached over TLS (behind a proxy that terminates it). */
  PORTOLAN_SECURE_COOKIES: z.enum(['auto', 'always']).default('auto'),
  /** Trust X-Forwarded-* from a reverse proxy (client address for rate limits, https detection). */
  TRUST_PROXY: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  PORTOLAN_OIDC_ISSUER: z.url().optional(),
  PORTOLAN_OIDC_CLIENT_ID: z.string().min(1).optional(),
  PORTOLAN_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  PORTOLAN_OIDC_TEAMS_CLAIM: z.string().min(1).default('groups'),
  PORTOLAN_OIDC_NAME: z.string().min(1).default('Single sign-on'),
}).superRefine((c, ctx) => {
  if (Boolean(c.PORTOLAN_ADMIN_CLIENT_ID) !== Boolean(c.PORTOLAN_ADMIN_CLIENT_SECRET)) {
    ctx.addIssue({ code: 'custom', path: ['PORTOLAN_ADMIN_CLIENT_SECRET'], message: 'set PORTOLAN_ADMIN_CLIENT_ID and PORTOLAN_ADMIN_CLIENT_SECRET together' });
  }
  const oidc = [c.PORTOLAN_OIDC_ISSUER, c.PORTOLAN_OIDC_CLIENT_ID, c.PORTOLAN_OIDC_CLIENT_SECRET];
  if (oidc.some(Boolean) && !oidc.every(Boolean)) {
    ctx.addIssue({ code: 'custom', path: ['PORTOLAN_OIDC_ISSUER'], message: 'single sign-on needs PORTOLAN_OIDC_ISSUER, PORTOLAN_OIDC_CLIENT_ID and PORTOLAN_OIDC_CLIENT_SECRET' });
  }
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
