// GitHub's errors, turned into messages a person can act on. Octokit's RequestError carries the
// status, GitHub's body and the response headers (x-oauth-scopes, x-accepted-oauth-scopes,
// x-accepted-github-permissions, retry-after).

export type GitHubErrorKind =
  | 'not_configured'
  | 'bad_credentials'
  | 'missing_scope'
  | 'name_taken'
  | 'owner_not_found'
  | 'not_found'
  | 'rate_limited'
  | 'validation'
  | 'server'
  | 'other';

export class GitHubError extends Error {
  constructor(readonly kind: GitHubErrorKind, message: string, readonly status?: number) {
    super(message);
    this.name = 'GitHubError';
  }
}

export const GITHUB_NOT_CONFIGURED =
  'GitHub is not configured: set GITHUB_TOKEN (a personal access token with the repo and workflow scopes), or GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY and GITHUB_APP_INSTALLATION_ID for a GitHub App; GITHUB_API_URL for GitHub Enterprise Server (https://HOST/api/v3)';

interface OctokitLikeError {
  status?: number;
  message?: string;
  response?: { data?: unknown; headers?: Record<string, string | number | undefined> };
}

function header(e: OctokitLikeError, name: string): string | undefined {
  const v = e.response?.headers?.[name];
  return v === undefined ? undefined : String(v);
}

function bodyMessage(e: OctokitLikeError): string {
  const data = e.response?.data as { message?: string; errors?: { message?: string; code?: string; field?: string }[] } | undefined;
  const parts = [data?.message ?? e.message ?? 'GitHub request failed'];
  for (const err of data?.errors ?? []) if (err?.message) parts.push(err.message);
  return parts.join(': ');
}

/** What the token is missing, when GitHub's scope headers tell (classic PATs). */
function missingScopes(e: OctokitLikeError): string[] | null {
  const accepted = header(e, 'x-accepted-oauth-scopes');
  const has = header(e, 'x-oauth-scopes');
  if (!accepted || has === undefined) return null;
  const acceptedList = accepted.split(',').map((s) => s.trim()).filter(Boolean);
  const hasList = has.split(',').map((s) => s.trim()).filter(Boolean);
  if (acceptedList.length === 0) return null;
  const implied = (s: string) => hasList.includes(s) || (s === 'public_repo' && hasList.includes('repo')) || (s === 'read:org' && (hasList.includes('admin:org') || hasList.includes('write:org')));
  // "repo, workflow" means both are needed for a workflow-file push; "public_repo, repo" means either.
  if (acceptedList.includes('workflow') && !hasList.includes('workflow')) return ['workflow'];
  if (acceptedList.some(implied)) return null;
  return acceptedList;
}

/**
 * Maps an Octokit error to a GitHubError. `what` says what we were doing ("creating repository
 * acme/cart"), so the message reads as a sentence in the task log.
 */
export function describeGitHubError(error: unknown, what: string): GitHubError {
  if (error instanceof GitHubError) return error;
  const e = error as OctokitLikeError;
  const status = e.status;
  if (status === undefined) return new GitHubError('other', `GitHub could not be reached while ${what}: ${e.message ?? String(error)}`);
  const msg = bodyMessage(e);
  if (status === 401) return new GitHubError('bad_credentials', `GitHub rejected the credentials while ${what} (401 ${msg}): check GITHUB_TOKEN or the GitHub App settings`, status);
  if ((status === 403 || status === 429) && (header(e, 'x-ratelimit-remaining') === '0' || /rate limit/i.test(msg))) {
    const reset = header(e, 'x-ratelimit-reset');
    const retryAfter = header(e, 'retry-after');
    const when = retryAfter ? ` (GitHub asked to wait ${retryAfter} s)` : reset ? ` until ${new Date(Number(reset) * 1000).toISOString()}` : '';
    return new GitHubError('rate_limited', `GitHub's rate limit was hit while ${what}${when}, and retrying did not help; retry the task later`, status);
  }
  const missing = missingScopes(e);
  if ((status === 403 || status === 404) && missing) {
    return new GitHubError('missing_scope', `The GitHub token lacks the ${missing.map((s) => `"${s}"`).join(' or ')} scope needed for ${what} (GitHub answered ${status} ${msg}); give the token that scope`, status);
  }
  if (status === 403 && /not accessible by integration|permission/i.test(msg)) {
    const perms = header(e, 'x-accepted-github-permissions');
    return new GitHubError('missing_scope', `The GitHub App or token may not do this (${what}): ${msg}${perms ? ` — needs ${perms}` : ''}`, status);
  }
  if (status === 422 && /already exists/i.test(msg)) return new GitHubError('name_taken', `${what}: the name is already taken (${msg}); choose another name`, status);
  if (status === 422) return new GitHubError('validation', `GitHub refused ${what}: ${msg}`, status);
  if (status === 404) return new GitHubError('not_found', `GitHub answered 404 Not Found while ${what}: it does not exist, or the token cannot see it`, status);
  if (status >= 500) return new GitHubError('server', `GitHub failed while ${what} (${status} ${msg}); retry the task`, status);
  return new GitHubError('other', `GitHub answered ${status} while ${what}: ${msg}`, status);
}
