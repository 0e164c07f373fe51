import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubStandin, type GitHubStandin } from '../src/index.ts';
import { client, failure } from './helpers.ts';

describe('repositories, auth and faults', () => {
  let gh: GitHubStandin;
  beforeAll(async () => {
    gh = await startGitHubStandin({
      tokens: [
        { token: 'ghp_admin', login: 'platform-bot', scopes: ['repo', 'workflow', 'admin:org', 'delete_repo'] },
        { token: 'ghp_public', login: 'reader', scopes: ['public_repo'] },
        { token: 'ghp_none', login: 'nobody', scopes: [] },
      ],
    });
    gh.state.addOrg('acme', { name: 'Acme Inc.' });
    gh.state.addTeam('acme', 'platform', { name: 'Platform' });
  });
  afterAll(() => gh.close());

  it('answers GET /user, /users/{u}, /orgs/{org} with rate-limit and scope headers', async () => {
    const octokit = client(gh.url, 'ghp_admin');
    const me = await octokit.rest.users.getAuthenticated();
    expect(me.data.login).toBe('platform-bot');
    expect(me.headers['x-oauth-scopes']).toBe('repo, workflow, admin:org, delete_repo');
    expect(me.headers['x-ratelimit-limit']).toBe('5000');
    expect(Number(me.headers['x-ratelimit-remaining'])).toBeLessThan(5000);
    expect(Number(me.headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000);
    expect((await octokit.rest.users.getByUsername({ username: 'acme' })).data.type).toBe('Organization');
    expect((await octokit.rest.orgs.get({ org: 'acme' })).data.name).toBe('Acme Inc.');
    expect((await failure(octokit.rest.orgs.get({ org: 'nope' }))).status).toBe(404);
  });

  it('refuses a second repository with the same name with GitHub\'s exact 422 body', async () => {
    const octokit = client(gh.url, 'ghp_admin');
    await octokit.rest.repos.createInOrg({ org: 'acme', name: 'orders' });
    const err = await failure(octokit.rest.repos.createInOrg({ org: 'acme', name: 'Orders' }));
    expect(err.status).toBe(422);
    expect(err.response?.data).toMatchObject({
      message: 'Repository creation failed.',
      errors: [{ resource: 'Repository', code: 'custom', field: 'name', message: 'name already exists on this account' }],
    });
  });

  it('401 for unknown tokens, 404/403 for missing scopes with x-accepted-oauth-scopes', async () => {
    const bad = await failure(client(gh.url, 'ghp_wrong').rest.users.getAuthenticated());
    expect(bad.status).toBe(401);
    expect(bad.response?.data.message).toBe('Bad credentials');

    const anonymous = client(gh.url, null);
    expect((await anonymous.rest.repos.get({ owner: 'acme', repo: 'orders' })).status).toBe(200);
    const anonUser = await failure(anonymous.rest.users.getAuthenticated());
    expect([anonUser.status, anonUser.response?.data.message]).toEqual([401, 'Requires authentication']);
    expect(anonUser.response?.headers['x-ratelimit-limit']).toBe('60');

    const none = await failure(client(gh.url, 'ghp_none').rest.repos.createInOrg({ org: 'acme', name: 'x' }));
    expect(none.status).toBe(404);
    expect(none.response?.headers['x-accepted-oauth-scopes']).toBe('public_repo, repo');
    // public_repo is enough for a public repository but not for a private one.
    expect((await client(gh.url, 'ghp_public').rest.repos.createInOrg({ org: 'acme', name: 'pub' })).status).toBe(201);
    expect((await failure(client(gh.url, 'ghp_public').rest.repos.createInOrg({ org: 'acme', name: 'priv', private: true }))).status).toBe(404);

    await client(gh.url, 'ghp_admin').rest.repos.createInOrg({ org: 'acme', name: 'secret', visibility: 'private' });
    expect((await failure(client(gh.url, 'ghp_public').rest.repos.get({ owner: 'acme', repo: 'secret' }))).status).toBe(404);
    const del = await failure(client(gh.url, 'ghp_public').rest.repos.delete({ owner: 'acme', repo: 'pub' }));
    expect(del.status).toBe(403);
    expect(del.response?.headers['x-accepted-oauth-scopes']).toBe('delete_repo');
    expect((await client(gh.url, 'ghp_admin').rest.repos.delete({ owner: 'acme', repo: 'pub' })).status).toBe(204);
    expect(gh.state.repo('acme', 'pub')).toBeUndefined();

    // Writing a workflow file needs the `workflow` scope (GitHub answers 404 without it).
    gh.state.createRepo('acme', 'wf', { auto_init: true });
    const noWf = await failure(client(gh.url, 'ghp_public').rest.repos.createOrUpdateFileContents({ owner: 'acme', repo: 'wf', path: '.github/workflows/ci.yml', message: 'ci', content: 'b246IHB1c2g=' }));
    expect(noWf.status).toBe(404);
  });

  it('moving a branch to a commit that changes .github/workflows needs the workflow scope', async () => {
    gh.state.createRepo('acme', 'pipes', { auto_init: true });
    const push = async (token: string, path: string) => {
      const octokit = client(gh.url, token);
      const head = await octokit.rest.git.getRef({ owner: 'acme', repo: 'pipes', ref: 'heads/main' });
      const parent = await octokit.rest.git.getCommit({ owner: 'acme', repo: 'pipes', commit_sha: head.data.object.sha });
      const tree = await octokit.rest.git.createTree({ owner: 'acme', repo: 'pipes', base_tree: parent.data.tree.sha, tree: [{ path, mode: '100644', type: 'blob', content: 'on: push\n' }] });
      const commit = await octokit.rest.git.createCommit({ owner: 'acme', repo: 'pipes', message: `add ${path}`, tree: tree.data.sha, parents: [head.data.object.sha] });
      return octokit.rest.git.updateRef({ owner: 'acme', repo: 'pipes', ref: 'heads/main', sha: commit.data.sha });
    };
    expect((await push('ghp_public', 'docs/ci.yml')).status).toBe(200);
    const refused = await failure(push('ghp_public', '.github/workflows/ci.yml'));
    expect(refused.status).toBe(404);
    expect(refused.response?.headers['x-accepted-oauth-scopes']).toBe('repo, workflow');
    expect(Object.keys(gh.state.files('acme/pipes'))).not.toContain('.github/workflows/ci.yml');
    expect((await push('ghp_admin', '.github/workflows/ci.yml')).status).toBe(200);
    expect(Object.keys(gh.state.files('acme/pipes'))).toContain('.github/workflows/ci.yml');
  });

  it('topics are lower-cased and replaced; team access is granted; PATCH updates settings', async () => {
    const octokit = client(gh.url, 'ghp_admin');
    const topics = await octokit.rest.repos.replaceAllTopics({ owner: 'acme', repo: 'orders', names: ['Backend', 'payments'] });
    expect(topics.data.names).toEqual(['backend', 'payments']);
    expect((await failure(octokit.rest.repos.replaceAllTopics({ owner: 'acme', repo: 'orders', names: ['-bad topic'] }))).status).toBe(422);
    const team = await octokit.rest.teams.addOrUpdateRepoPermissionsInOrg({ org: 'acme', team_slug: 'platform', owner: 'acme', repo: 'orders', permission: 'admin' });
    expect(team.status).toBe(204);
    expect(gh.state.team('acme', 'platform')!.repos.get('acme/orders')).toBe('admin');
    const patched = await octokit.rest.repos.update({ owner: 'acme', repo: 'orders', description: 'Orders API', has_wiki: false });
    expect(patched.data.description).toBe('Orders API');
    expect(patched.data.has_wiki).toBe(false);
    const emptyDefault = await failure(octokit.rest.repos.update({ owner: 'acme', repo: 'orders', default_branch: 'develop' }));
    expect(emptyDefault.status).toBe(422);
    const list = await octokit.rest.repos.listForOrg({ org: 'acme', per_page: 1 });
    expect(list.data).toHaveLength(1);
    expect(list.headers.link).toContain('rel="next"');
    gh.assertNoValidationErrors();
  });

  it('injects 429 with retry-after, 5xx and 409 faults, then recovers', async () => {
    const octokit = client(gh.url, 'ghp_admin');
    gh.faults.secondaryRateLimit({ method: 'POST', path: '/orgs/{org}/repos', retryAfter: 2 });
    const limited = await failure(octokit.rest.repos.createInOrg({ org: 'acme', name: 'limited' }));
    expect(limited.status).toBe(429);
    expect(limited.response?.headers['retry-after']).toBe('2');
    expect(limited.response?.data.message).toMatch(/secondary rate limit/);
    expect(gh.state.repo('acme', 'limited')).toBeUndefined();
    expect((await octokit.rest.repos.createInOrg({ org: 'acme', name: 'limited' })).status).toBe(201);

    gh.faults.inject({ method: 'GET', path: '/repos/acme/limited', status: 502, times: 2 });
    expect((await failure(octokit.rest.repos.get({ owner: 'acme', repo: 'limited' }))).status).toBe(502);
    expect((await failure(octokit.rest.repos.get({ owner: 'acme', repo: 'limited' }))).status).toBe(502);
    expect((await octokit.rest.repos.get({ owner: 'acme', repo: 'limited' })).status).toBe(200);

    gh.faults.inject({ path: '/repos/*/git/refs/*', status: 409, times: 1, body: { message: 'Reference update failed', documentation_url: 'https://docs.github.com/rest' } });
    expect(gh.faults.pending).toHaveLength(1);
    gh.faults.clear();
    expect(gh.faults.pending).toHaveLength(0);

    gh.faults.exhaustRateLimit('ghp_none', 30);
    const primary = await failure(client(gh.url, 'ghp_none').rest.users.getAuthenticated());
    expect(primary.status).toBe(403);
    expect(primary.response?.headers['x-ratelimit-remaining']).toBe('0');

    const log = gh.requests.filter((r) => r.fault);
    expect(log.map((r) => r.status)).toEqual([429, 502, 502]);
    gh.assertNoValidationErrors();
  });
});
