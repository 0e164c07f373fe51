import { Octokit } from '@octokit/rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { createAppAuth } from '@octokit/auth-app';
import Bottleneck from 'bottleneck';

// The one place that builds an Octokit. Everything GitHub goes through GitHubService, which uses
// this client: PAT or GitHub App auth, GitHub Enterprise Server base URL, throttling (GitHub asks
// for mutations to be spaced) and retries (5xx, rate limits honouring retry-after).

export type GitHubAuthConfig =
  | { kind: 'token'; token: string }
  | { kind: 'app'; appId: string; privateKey: string; installationId: number };

export interface GitHubConfig {
  /** https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server. */
  apiUrl: string;
  auth: GitHubAuthConfig;
  /** Least time between two mutating requests (GitHub's guidance: 1 s). */
  minWriteIntervalMs?: number;
  /** Multiplies retry-after seconds (1000 in production; tests shrink it). */
  retryAfterBaseMs?: number;
  /** How many times a rate-limited request is retried before the step fails. */
  maxRateLimitRetries?: number;
  /** Waits longer than this (seconds) are not worth it: the step fails with "rate limited until …". */
  maxRateLimitWaitSeconds?: number;
  /** How often a waited-for workflow run is polled. */
  runPollIntervalMs?: number;
}

export interface ClientHooks {
  /** Called for every HTTP request sent to GitHub (retries included). */
  onRequest?: (method: string, url: string) => void;
  /** Called when a request is held back by a rate limit, with the wait in seconds. */
  onRateLimited?: (waitSeconds: number, method: string, url: string, retryCount: number) => void;
}

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

export function createOctokit(config: GitHubConfig, hooks: ClientHooks = {}): Octokit {
  const Client = Octokit.plugin(throttling, retry);
  const maxRetries = config.maxRateLimitRetries ?? 3;
  const maxWait = config.maxRateLimitWaitSeconds ?? 15 * 60;
  const onLimit = (retryAfter: number, options: { method?: string; url?: string }, _o: unknown, retryCount: number) => {
    if (retryCount >= maxRetries || retryAfter > maxWait) return false;
    hooks.onRateLimited?.(retryAfter, String(options.method), String(options.url), retryCount);
    return true;
  };
  // Our own limiter groups, not the plugin's process-wide ones: each client (and each test app)
  // is throttled on its own.
  const minTime = config.minWriteIntervalMs ?? 1000;
  const auth =
    config.auth.kind === 'token'
      ? { auth: config.auth.token }
      : { authStrategy: createAppAuth, auth: { appId: config.auth.appId, privateKey: config.auth.privateKey, installationId: config.auth.installationId } };
  const octokit = new Client({
    baseUrl: config.apiUrl.replace(/\/+$/, ''),
    ...auth,
    userAgent: 'portolan-scaffolder',
    log: quiet,
    request: { timeout: 60_000 },
    throttle: {
      onRateLimit: onLimit,
      onSecondaryRateLimit: onLimit,
      retryAfterBaseValue: config.retryAfterBaseMs ?? 1000,
      fallbackSecondaryRateRetryAfter: 60,
      global: new Bottleneck.Group({ maxConcurrent: 10, minTime: 0 }),
      auth: new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 }),
      search: new Bottleneck.Group({ maxConcurrent: 1, minTime: 2000 }),
      write: new Bottleneck.Group({ maxConcurrent: 1, minTime }),
      notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: Math.max(minTime, 0) }),
    } as never,
    retry: {
      // 409 (empty repository, conflicts) and the 4xx GitHub means are not retried; 5xx are.
      doNotRetry: [400, 401, 403, 404, 409, 410, 422, 451],
      retries: 3,
      retryAfterBaseValue: Math.min(config.retryAfterBaseMs ?? 1000, 1000),
    },
  });
  octokit.hook.before('request', (options) => {
    hooks.onRequest?.(String(options.method), String(options.url));
  });
  return octokit;
}
