import path from 'node:path';
import { z } from 'zod';
import type { GitHubConfig } from './modules/github/github.client.ts';

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
  /** Catalog locations are read again this often (0: only when asked). */
  PORTOLAN_LOCATION_REFRESH_MINUTES: z.coerce.number().min(0).max(7 * 24 * 60).default(30),
  /** A refresh deletes the entities whose files disappeared only if at most this many vanish at once (0: never delete; they stay, marked orphaned). */
  PORTOLAN_LOCATION_ORPHAN_DELETE_LIMIT: z.coerce.number().int().min(0).default(0),
  /** Audit entries older than this many days are deleted (hourly); unset: kept forever. */
  PORTOLAN_AUDIT_RETENTION_DAYS: z.coerce.number().int('must be a whole number of days').min(1).max(36500).optional(),

  /** GitHub for the scaffolder: a token (PAT: scopes repo, workflow; read:org for teams)… */
  GITHUB_TOKEN: z.string().min(1).optional(),
  /** …or a GitHub App (id, PEM private key with real or \n-escaped newlines, installation id). */
  GITHUB_APP_ID: z.string().regex(/^\d+$/, 'must be the numeric app id').optional(),
  GITHUB_APP_PRIVATE_KEY: z.string().includes('PRIVATE KEY', { message: 'must be a PEM private key' }).optional(),
  GITHUB_APP_INSTALLATION_ID: z.coerce.number().int().positive().optional(),
  /** https://HOST/api/v3 for GitHub Enterprise Server. */
  GITHUB_API_URL: z.url().default('https://api.github.com'),
  /** Tasks one server runs at a time. */
  PORTOLAN_SCAFFOLDER_CONCURRENCY: z.coerce.number().int().min(1).max(50).default(4),
}).superRefine((c, ctx) => {
  const app = [c.GITHUB_APP_ID, c.GITHUB_APP_PRIVATE_KEY, c.GITHUB_APP_INSTALLATION_ID];
  if (app.some((v) => v !== undefined) && !app.every((v) => v !== undefined)) {
    ctx.addIssue({ code: 'custom', path: ['GITHUB_APP_ID'], message: 'a GitHub App needs GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY and GITHUB_APP_INSTALLATION_ID' });
  }
  if (c.GITHUB_TOKEN && c.GITHUB_APP_ID) {
    ctx.addIssue({ code: 'custom', path: ['GITHUB_TOKEN'], message: 'set either GITHUB_TOKEN or the GITHUB_APP_* settings, not both' });
  }
  if (Boolean(c.PORTOLAN_ADMIN_CLIENT_ID) !== Boolean(c.PORTOLAN_ADMIN_CLIENT_SECRET)) {
    ctx.addIssue({ code: 'custom', path: ['PORTOLAN_ADMIN_CLIENT_SECRET'], message: 'set PORTOLAN_ADMIN_CLIENT_ID and PORTOLAN_ADMIN_CLIENT_SECRET together' });
  }
  const oidc = [c.PORTOLAN_OIDC_ISSUER, c.PORTOLAN_OIDC_CLIENT_ID, c.PORTOLAN_OIDC_CLIENT_SECRET];
  if (oidc.some(Boolean) && !oidc.every(Boolean)) {
    ctx.addIssue({ code: 'custom', path: ['PORTOLAN_OIDC_ISSUER'], message: 'single sign-on needs PORTOLAN_OIDC_ISSUER, PORTOLAN_OIDC_CLIENT_ID and PORTOLAN_OIDC_CLIENT_SECRET' });
  }
});

export type Config = z.infer<typeof configSchema>;

/** The GitHub settings, or null when GitHub is not configured (the portal still runs). */
export function githubConfig(c: Config): GitHubConfig | null {
  if (c.GITHUB_TOKEN) return { apiUrl: c.GITHUB_API_URL, auth: { kind: 'token', token: c.GITHUB_TOKEN } };
  if (c.GITHUB_APP_ID && c.GITHUB_APP_PRIVATE_KEY && c.GITHUB_APP_INSTALLATION_ID) {
    return { apiUrl: c.GITHUB_API_URL, auth: { kind: 'app', appId: c.GITHUB_APP_ID, privateKey: c.GITHUB_APP_PRIVATE_KEY.replace(/\\n/g, '\n'), installationId: c.GITHUB_APP_INSTALLATION_ID } };
  }
  return null;
}

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
