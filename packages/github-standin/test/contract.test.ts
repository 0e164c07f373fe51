import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { OPERATION_IDS, startGitHubStandin, type GitHubStandin } from '../src/index.ts';
import { Contract } from '../src/contract.ts';
import { handlers } from '../src/handlers.ts';
import { client, failure } from './helpers.ts';

describe('contract gate (OpenAPI slice of @octokit/openapi)', () => {
  let gh: GitHubStandin;
  beforeAll(async () => {
    gh = await startGitHubStandin();
    gh.state.addOrg('acme');
    gh.state.createRepo('acme', 'svc', { auto_init: true });
  });
  afterAll(() => gh.close());

  it('the committed slices hold every served operation, and every operation has a handler', () => {
    for (const flavour of ['api.github.com', 'ghes-3.19'] as const) {
      const spec = JSON.parse(readFileSync(fileURLToPath(new URL(`../spec/${flavour}.slice.json`, import.meta.url)), 'utf8'));
      expect(spec['x-standin-source']).toBe('@octokit/openapi@23.0.2');
      const ids = Object.values(spec.paths as Record<string, Record<string, { operationId: string }>>).flatMap((item) => Object.values(item).map((op) => op.operationId));
      expect(ids.sort()).toEqual([...OPERATION_IDS].sort());
    }
    expect(Object.keys(handlers).sort()).toEqual([...OPERATION_IDS].sort());
    // GHES 3.19 does not know return_run_details; api.github.com does.
    const dispatchBody = (f: 'api.github.com' | 'ghes-3.19') => Contract.for(f).operation('actions/create-workflow-dispatch')!.op.requestBody.content['application/json'].schema.properties;
    expect(Object.keys(dispatchBody('api.github.com'))).toContain('return_run_details');
    expect(Object.keys(dispatchBody('ghes-3.19'))).not.toContain('return_run_details');
  });

  it('answers malformed requests with 422 and records them', async () => {
    const octokit = client(gh.url);
    const badEnum = await failure(octokit.rest.repos.createInOrg({ org: 'acme', name: 'x', visibility: 'secret' as 'private' }));
    expect(badEnum.status).toBe(422);
    expect(badEnum.response?.data.message).toContain('visibility');
    const unknownKey = await failure(octokit.rest.repos.createInOrg({ org: 'acme', name: 'y', privat: true } as never));
    expect(unknownKey.response?.data.message).toBe('"privat" is not a permitted key.');
    const badMode = await failure(octokit.rest.git.createTree({ owner: 'acme', repo: 'svc', tree: [{ path: 'a', mode: '100777' as '100644', type: 'blob', content: 'a' }] }));
    expect(badMode.status).toBe(422);
    const missing = await failure(octokit.request('POST /repos/{owner}/{repo}/git/commits', { owner: 'acme', repo: 'svc', message: 'no tree' } as never));
    expect(missing.status).toBe(422);
    expect(missing.response?.data.message).toContain('"tree" wasn\'t supplied');
    const badQuery = await failure(octokit.request('GET /repos/{owner}/{repo}/actions/runs?per_page=lots', { owner: 'acme', repo: 'svc' }));
    expect(badQuery.status).toBe(422);
    const noRoute = await failure(octokit.request('GET /repos/{owner}/{repo}/no-such-thing', { owner: 'acme', repo: 'svc' }));
    expect(noRoute.status).toBe(404);

    expect(gh.validationErrors.map((e) => [e.kind, e.operationId])).toEqual([
      ['request', 'repos/create-in-org'],
      ['request', 'repos/create-in-org'],
      ['request', 'git/create-tree'],
      ['request', 'git/create-commit'],
      ['request', 'actions/list-workflow-runs-for-repo'],
      ['route', undefined],
    ]);
    expect(() => gh.assertNoValidationErrors()).toThrow(/6 contract violation/);
    expect(gh.state.repo('acme', 'x')).toBeUndefined();
    gh.validationErrors.length = 0;
  });

  it('a response of ours that drifts from the schema fails loudly (500 + recorded)', async () => {
    const original = handlers['repos/get']!;
    handlers['repos/get'] = (ctx) => {
      const res = original(ctx);
      const { default_branch: _drop, ...rest } = res.body as Record<string, unknown>;
      return { ...res, body: { ...rest, private: 'no' } };
    };
    try {
      const err = await failure(client(gh.url).rest.repos.get({ owner: 'acme', repo: 'svc' }));
      expect(err.status).toBe(500);
      expect(err.response?.data.message).toMatch(/does not match GitHub's OpenAPI description/);
      expect(gh.validationErrors).toHaveLength(1);
      expect(gh.validationErrors[0]!.messages.join('\n')).toMatch(/default_branch/);
      expect(gh.validationErrors[0]!.messages.join('\n')).toMatch(/private/);
    } finally {
      handlers['repos/get'] = original;
      gh.validationErrors.length = 0;
    }
  });

  it('decodes percent-encoded path parameters (contents paths, git refs) as Octokit sends them', async () => {
    const octokit = client(gh.url);
    gh.state.commitFiles('acme/svc', { files: { 'docs/a dir/file name.md': 'hi\n' } });
    const res = await octokit.rest.repos.getContent({ owner: 'acme', repo: 'svc', path: 'docs/a dir/file name.md' });
    expect(gh.requests.at(-1)!.path).toBe('/repos/acme/svc/contents/docs/a dir/file name.md');
    expect(Array.isArray(res.data) ? null : res.data.path).toBe('docs/a dir/file name.md');
    const dir = await octokit.rest.repos.getContent({ owner: 'acme', repo: 'svc', path: 'docs' });
    expect(Array.isArray(dir.data) && dir.data.map((d) => [d.name, d.type])).toEqual([['a dir', 'dir']]);
    const raw = await octokit.rest.repos.getContent({ owner: 'acme', repo: 'svc', path: 'docs/a dir/file name.md', mediaType: { format: 'raw' } });
    expect(String(raw.data)).toBe('hi\n');
    gh.assertNoValidationErrors();
  });

  it('validate: false turns the gate off', async () => {
    const loose = await startGitHubStandin({ validate: false });
    try {
      loose.state.addOrg('acme');
      const res = await client(loose.url).rest.repos.createInOrg({ org: 'acme', name: 'z', visibility: 'secret' as 'private' });
      expect(res.status).toBe(201);
      expect(loose.validationErrors).toHaveLength(0);
    } finally {
      await loose.close();
    }
  });
});
