import { generateKeyPairSync } from 'node:crypto';
import { startGitHubStandin, type GitHubStandin } from '@portolan/github-standin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitHubService } from '../../src/modules/github/github.service.ts';

// GitHub App authentication end to end: our GitHub module signs a JWT with the app's private key,
// exchanges it for an installation token at the stand-in, and then acts with that token.

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
let gh: GitHubStandin;

beforeAll(async () => {
  gh = await startGitHubStandin({
    apps: [{ id: 4242, slug: 'portolan-test', publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(), installations: [{ id: 77, account: 'acme' }] }],
  });
  gh.state.addOrg('acme');
});
afterAll(async () => gh?.close());

const service = (key: string, installationId = 77) =>
  new GitHubService({ apiUrl: gh.url, auth: { kind: 'app', appId: '4242', privateKey: key, installationId }, minWriteIntervalMs: 0, retryAfterBaseMs: 100 });

describe('GitHub App authentication', () => {
  it('creates a repository and reads a file with an installation token', async () => {
    const github = service(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    const repo = await github.createRepo({ owner: 'acme', ownerType: 'Organization', name: 'from-app', visibility: 'private' });
    expect(repo.fullName).toBe('acme/from-app');
    gh.state.commitFiles('acme/from-app', { files: { 'catalog-info.yaml': 'kind: Component' } });
    expect(await github.readFile('acme', 'from-app', 'catalog-info.yaml')).toBe('kind: Component');
    const exchanges = gh.requests.filter((r) => r.path === '/app/installations/77/access_tokens');
    expect(exchanges.map((r) => r.status)).toEqual([201]);
    gh.assertNoValidationErrors();
  });

  it("is refused with a key that is not the app's", async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await expect(service(other).createRepo({ owner: 'acme', ownerType: 'Organization', name: 'nope', visibility: 'private' })).rejects.toThrow();
    expect(gh.state.repo('acme', 'nope')).toBeUndefined();
  });
});
