import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGitHubStandin, type GitHubStandin } from '../src/index.ts';
import { client, failure } from './helpers.ts';

const FILES: Record<string, string> = {
  'README.md': '# cart\n\nThe cart service.\n',
  'src/index.ts': 'export const answer = 42;\n',
  'src/lib/util.ts': "export function hello(name: string) {\n  return `hello ${name}`;\n}\n",
};

function git(cwd: string, args: string[], input?: string, env: Record<string, string> = {}): string {
  return execFileSync('git', args, { cwd, input, env: { ...process.env, ...env }, encoding: 'utf8' }).trim();
}

describe('git data API against an empty org repository', () => {
  let gh: GitHubStandin;
  let tmp: string;
  beforeAll(async () => {
    gh = await startGitHubStandin();
    gh.state.addOrg('acme');
    tmp = mkdtempSync(join(tmpdir(), 'standin-git-'));
  });
  afterAll(async () => {
    await gh.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('creates the repo, answers 409 while empty, then pushes one 3-file commit with git-exact SHAs', async () => {
    const octokit = client(gh.url);
    const created = await octokit.rest.repos.createInOrg({ org: 'acme', name: 'cart', description: 'Cart service', visibility: 'private' });
    expect(created.status).toBe(201);
    expect(created.data.full_name).toBe('acme/cart');
    expect(created.data.private).toBe(true);
    expect(created.headers.location).toBe(`${gh.url}/repos/acme/cart`);

    // An empty repository has no commits: the Git Data API refuses, as GitHub does.
    for (const call of [
      octokit.rest.git.getRef({ owner: 'acme', repo: 'cart', ref: 'heads/main' }),
      octokit.rest.git.createBlob({ owner: 'acme', repo: 'cart', content: 'x' }),
      octokit.rest.git.createTree({ owner: 'acme', repo: 'cart', tree: [{ path: 'a', mode: '100644', type: 'blob', content: 'a' }] }),
    ]) {
      const err = await failure(call);
      expect(err.status).toBe(409);
      expect(err.response?.data.message).toBe('Git Repository is empty.');
    }
    expect((await failure(octokit.rest.repos.getContent({ owner: 'acme', repo: 'cart', path: 'README.md' }))).response?.data.message).toBe('This repository is empty.');

    // The way out GitHub offers: the Contents API creates the first commit and the default branch.
    const first = await octokit.rest.repos.createOrUpdateFileContents({
      owner: 'acme', repo: 'cart', path: '.gitkeep', message: 'Initialise', content: '',
      committer: { name: 'Portolan', email: 'portolan@example.com', date: '2026-01-01T00:00:00Z' },
      author: { name: 'Portolan', email: 'portolan@example.com', date: '2026-01-01T00:00:00Z' },
    });
    expect(first.status).toBe(201);
    const head = await octokit.rest.git.getRef({ owner: 'acme', repo: 'cart', ref: 'heads/main' });
    expect(head.data.object.sha).toBe(first.data.commit.sha);
    const base = await octokit.rest.git.getCommit({ owner: 'acme', repo: 'cart', commit_sha: head.data.object.sha });

    // Blobs (one base64, two utf-8), a tree on top of the base tree that drops .gitkeep, a commit.
    const blobs = await Promise.all(
      Object.entries(FILES).map(async ([path, text], i) => {
        const { data } = await octokit.rest.git.createBlob(
          i === 0 ? { owner: 'acme', repo: 'cart', content: Buffer.from(text).toString('base64'), encoding: 'base64' } : { owner: 'acme', repo: 'cart', content: text, encoding: 'utf-8' },
        );
        return { path, sha: data.sha };
      }),
    );
    const tree = await octokit.rest.git.createTree({
      owner: 'acme', repo: 'cart', base_tree: base.data.tree.sha,
      tree: [...blobs.map((b) => ({ path: b.path, mode: '100644' as const, type: 'blob' as const, sha: b.sha })), { path: '.gitkeep', mode: '100644' as const, type: 'blob' as const, sha: null }],
    });
    const who = { name: 'Portolan Scaffolder', email: 'scaffolder@example.com', date: '2026-01-02T03:04:05Z' };
    const commit = await octokit.rest.git.createCommit({ owner: 'acme', repo: 'cart', message: 'Scaffold cart\n', tree: tree.data.sha, parents: [head.data.object.sha], author: who, committer: who });
    const moved = await octokit.rest.git.updateRef({ owner: 'acme', repo: 'cart', ref: 'heads/main', sha: commit.data.sha });
    expect(moved.data.object.sha).toBe(commit.data.sha);

    // The same content committed by real git gives the same SHAs.
    const work = join(tmp, 'work');
    mkdirSync(work);
    git(work, ['init', '-q']);
    const env0 = { GIT_AUTHOR_NAME: 'Portolan', GIT_AUTHOR_EMAIL: 'portolan@example.com', GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z', GIT_COMMITTER_NAME: 'Portolan', GIT_COMMITTER_EMAIL: 'portolan@example.com', GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z' };
    writeFileSync(join(work, '.gitkeep'), '');
    git(work, ['add', '.gitkeep']);
    writeFileSync(join(tmp, 'msg0'), 'Initialise');
    expect(git(work, ['commit-tree', git(work, ['write-tree']), '-F', join(tmp, 'msg0')], undefined, env0)).toBe(first.data.commit.sha);
    git(work, ['rm', '-q', '--cached', '.gitkeep']);
    rmSync(join(work, '.gitkeep'));
    for (const [path, text] of Object.entries(FILES)) {
      mkdirSync(join(work, path, '..'), { recursive: true });
      writeFileSync(join(work, path), text);
      expect(git(work, ['hash-object', path])).toBe(blobs.find((b) => b.path === path)!.sha);
    }
    git(work, ['add', '.']);
    const gitTree = git(work, ['write-tree']);
    expect(tree.data.sha).toBe(gitTree);
    const env = { GIT_AUTHOR_NAME: who.name, GIT_AUTHOR_EMAIL: who.email, GIT_AUTHOR_DATE: '2026-01-02T03:04:05Z', GIT_COMMITTER_NAME: who.name, GIT_COMMITTER_EMAIL: who.email, GIT_COMMITTER_DATE: '2026-01-02T03:04:05Z' };
    writeFileSync(join(tmp, 'msg'), 'Scaffold cart\n');
    const gitCommit = git(work, ['commit-tree', gitTree, '-p', head.data.object.sha, '-F', join(tmp, 'msg')], undefined, env);
    expect(commit.data.sha).toBe(gitCommit);

    // Reading back: recursive tree, file contents.
    const listed = await octokit.rest.git.getTree({ owner: 'acme', repo: 'cart', tree_sha: commit.data.sha, recursive: '1' });
    expect(listed.data.tree.filter((e) => e.type === 'blob').map((e) => e.path).sort()).toEqual(Object.keys(FILES).sort());
    const file = await octokit.rest.repos.getContent({ owner: 'acme', repo: 'cart', path: 'src/lib/util.ts' });
    const fileData = file.data as { type: string; content: string; encoding: string };
    expect([fileData.type, fileData.encoding]).toEqual(['file', 'base64']);
    expect(Buffer.from(fileData.content, 'base64').toString()).toBe(FILES['src/lib/util.ts']);
    expect(gh.state.files('acme/cart')).toEqual(FILES);

    // A non-fast-forward update is refused unless forced.
    const err = await failure(octokit.rest.git.updateRef({ owner: 'acme', repo: 'cart', ref: 'heads/main', sha: head.data.object.sha }));
    expect(err.status).toBe(422);
    expect(err.response?.data.message).toBe('Update is not a fast forward');
    gh.assertNoValidationErrors();
  });

  it('auto_init gives a README commit; refs can be created and contents updated with sha', async () => {
    const octokit = client(gh.url);
    await octokit.rest.repos.createForAuthenticatedUser({ name: 'notes', auto_init: true });
    const main = await octokit.rest.git.getRef({ owner: 'octocat', repo: 'notes', ref: 'heads/main' });
    const branch = await octokit.rest.git.createRef({ owner: 'octocat', repo: 'notes', ref: 'refs/heads/feature/x', sha: main.data.object.sha });
    expect(branch.status).toBe(201);
    const viaEncoded = await octokit.rest.git.getRef({ owner: 'octocat', repo: 'notes', ref: 'heads/feature/x' });
    expect(viaEncoded.data.ref).toBe('refs/heads/feature/x');
    expect((await failure(octokit.rest.git.createRef({ owner: 'octocat', repo: 'notes', ref: 'refs/heads/feature/x', sha: main.data.object.sha }))).response?.data.message).toBe('Reference already exists');

    const readme = await octokit.rest.repos.getContent({ owner: 'octocat', repo: 'notes', path: 'README.md' });
    const sha = Array.isArray(readme.data) ? '' : readme.data.sha;
    const noSha = await failure(octokit.rest.repos.createOrUpdateFileContents({ owner: 'octocat', repo: 'notes', path: 'README.md', message: 'm', content: Buffer.from('x').toString('base64') }));
    expect(noSha.status).toBe(422);
    const stale = await failure(octokit.rest.repos.createOrUpdateFileContents({ owner: 'octocat', repo: 'notes', path: 'README.md', message: 'm', content: 'eA==', sha: 'a'.repeat(40) }));
    expect(stale.status).toBe(409);
    const updated = await octokit.rest.repos.createOrUpdateFileContents({ owner: 'octocat', repo: 'notes', path: 'README.md', message: 'Update', content: Buffer.from('# Notes\n').toString('base64'), sha });
    expect(updated.status).toBe(200);
    expect(gh.state.files('octocat/notes')['README.md']).toBe('# Notes\n');
    gh.assertNoValidationErrors();
  });
});
