import { startGitHubStandin, type GitHubStandin, type StandinOptions } from '@portolan/github-standin';
import type { GitHubConfig } from '../apps/server/src/modules/github/github.client.ts';

/** The GitHub stand-in plus the portal's GitHub settings pointing at it (no write spacing; short
 * retry-after units so rate-limit tests wait milliseconds, not seconds). */
export async function startTestGitHub(options: StandinOptions = {}, config: Partial<GitHubConfig> = {}): Promise<{ gh: GitHubStandin; config: GitHubConfig }> {
  const gh = await startGitHubStandin(options);
  const token = options.tokens?.[0]?.token ?? 'ghp_standin';
  return {
    gh,
    config: { apiUrl: gh.url, auth: { kind: 'token', token }, minWriteIntervalMs: 0, retryAfterBaseMs: 100, runPollIntervalMs: 50, ...config },
  };
}
