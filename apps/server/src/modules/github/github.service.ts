import { AsyncLocalStorage } from 'node:async_hooks';
import type { Octokit } from '@octokit/rest';
import { createOctokit, type ClientHooks, type GitHubConfig } from './github.client.ts';
import { describeGitHubError, GitHubError, GITHUB_NOT_CONFIGURED } from './github.errors.ts';

export interface RepoInfo {
  owner: string;
  name: string;
  fullName: string;
  htmlUrl: string;
  cloneUrl: string;
  defaultBranch: string;
  private: boolean;
  /** true when the repository has no commit yet. */
  empty?: boolean;
}

export interface PushFile {
  path: string;
  content: Buffer;
  executable?: boolean;
}

export interface CallOptions {
  signal?: AbortSignal;
}

/** Who wants to hear about rate-limit waits of the requests made inside `fn` (a task's log). */
const rateLimitObservers = new AsyncLocalStorage<(message: string) => void>();
export function observeRateLimits<T>(onWait: (message: string) => void, fn: () => Promise<T>): Promise<T> {
  return rateLimitObservers.run(onWait, fn);
}

/**
 * Everything the portal does on GitHub. Built from config; without config every method fails with
 * a message saying what to set, and `configured` is false (dry-runs never call it).
 */
export class GitHubService {
  private readonly octokit: Octokit | null;

  constructor(readonly config: GitHubConfig | null, hooks: ClientHooks = {}) {
    this.octokit = config
      ? createOctokit(config, {
          ...hooks,
          onRateLimited: (wait, method, url, retryCount) => {
            hooks.onRateLimited?.(wait, method, url, retryCount);
            rateLimitObservers.getStore()?.(`GitHub rate limit hit (${method} ${url.replace(/\?.*$/, '')}): waiting ${wait} s as GitHub asked, then retrying (retry ${retryCount + 1})`);
          },
        })
      : null;
  }

  get configured(): boolean {
    return this.octokit !== null;
  }

  /** The web host repository links point at (github.com, or the GHES host). */
  get webUrl(): string {
    const api = this.config?.apiUrl ?? 'https://api.github.com';
    if (/^https:\/\/api\.github\.com\/?$/.test(api)) return 'https://github.com';
    return api.replace(/\/api\/v3\/?$/, '').replace(/\/+$/, '');
  }

  /** A token value to redact from logs (the PAT), when there is one. */
  get secretValues(): string[] {
    return this.config?.auth.kind === 'token' ? [this.config.auth.token] : this.config?.auth.kind === 'app' ? [this.config.auth.privateKey] : [];
  }

  private client(): Octokit {
    if (!this.octokit) throw new GitHubError('not_configured', GITHUB_NOT_CONFIGURED);
    return this.octokit;
  }

  private async call<T>(what: string, fn: (o: Octokit) => Promise<T>): Promise<T> {
    const octokit = this.client();
    try {
      return await fn(octokit);
    } catch (error) {
      throw describeGitHubError(error, what);
    }
  }

  /** 'Organization' or 'User'; a clear error when the account does not exist. */
  async ownerType(owner: string, opts: CallOptions = {}): Promise<'Organization' | 'User'> {
    try {
      const { data } = await this.client().rest.users.getByUsername({ username: owner, request: { signal: opts.signal } });
      return data.type === 'Organization' ? 'Organization' : 'User';
    } catch (error) {
      const e = describeGitHubError(error, `looking up the GitHub account "${owner}"`);
      if (e.kind === 'not_found') throw new GitHubError('owner_not_found', `GitHub organization or user "${owner}" not found (or not visible to the configured token)`, 404);
      throw e;
    }
  }

  async createRepo(input: { owner: string; ownerType: 'Organization' | 'User'; name: string; description?: string; visibility: 'public' | 'private' | 'internal'; homepage?: string }, opts: CallOptions = {}): Promise<RepoInfo> {
    const what = `creating repository ${input.owner}/${input.name}`;
    const common = {
      name: input.name,
      description: input.description,
      homepage: input.homepage,
      // A first commit (README) makes the Git Data API usable at once; our commit replaces it.
      auto_init: true,
      request: { signal: opts.signal },
    };
    const data = await this.call(what, async (o) => {
      try {
        if (input.ownerType === 'Organization') {
          return (await o.rest.repos.createInOrg({ org: input.owner, visibility: input.visibility as 'public' | 'private', ...common })).data;
        }
        return (await o.rest.repos.createForAuthenticatedUser({ private: input.visibility !== 'public', ...common })).data;
      } catch (error) {
        const status = (error as { status?: number }).status;
        if (status === 404 && input.ownerType === 'Organization') {
          const e = describeGitHubError(error, what);
          if (e.kind === 'missing_scope') throw e;
          throw new GitHubError('owner_not_found', `GitHub organization "${input.owner}" not found, or the token may not create repositories in it`, 404);
        }
        const e = describeGitHubError(error, what);
        if (e.kind === 'name_taken') throw new GitHubError('name_taken', `Repository name "${input.owner}/${input.name}" is already taken on GitHub; choose another name`, 422);
        throw e;
      }
    });
    if (data.owner.login.toLowerCase() !== input.owner.toLowerCase()) {
      throw new GitHubError('validation', `The repository was created for "${data.owner.login}", not "${input.owner}": a token can only create personal repositories for its own user`);
    }
    return toRepoInfo(data);
  }

  async getRepo(owner: string, name: string, opts: CallOptions = {}): Promise<RepoInfo | null> {
    try {
      const { data } = await this.client().rest.repos.get({ owner, repo: name, request: { signal: opts.signal } });
      return { ...toRepoInfo(data), empty: data.size === 0 && !data.pushed_at };
    } catch (error) {
      if ((error as { status?: number }).status === 404) return null;
      throw describeGitHubError(error, `reading repository ${owner}/${name}`);
    }
  }

  /**
   * Puts every file in ONE commit through the Git Data API: one tree request with the contents
   * inline (one blob request only per binary file), one commit, one ref update — the number of
   * requests does not grow with the number of text files. `replace` makes the commit the branch's
   * only history (for a repository we just created, whose auto-init README it drops).
   */
  async pushFiles(
    input: { owner: string; repo: string; branch: string; currentDefaultBranch: string; files: PushFile[]; message: string; author?: { name: string; email: string }; replace: boolean },
    opts: CallOptions = {},
  ): Promise<{ commitSha: string; treeSha: string }> {
    const { owner, repo } = input;
    const full = `${owner}/${repo}`;
    const o = this.client();
    const request = { signal: opts.signal };
    const entries: ({ path: string; mode: '100644' | '100755'; type: 'blob'; content: string } | { path: string; mode: '100644' | '100755'; type: 'blob'; sha: string })[] = [];
    for (const f of input.files) {
      const mode = f.executable ? ('100755' as const) : ('100644' as const);
      const text = isUtf8Text(f.content);
      if (text !== null) {
        entries.push({ path: f.path, mode, type: 'blob' as const, content: text });
      } else {
        const blob = await this.call(`uploading ${f.path} to ${full}`, (c) => c.rest.git.createBlob({ owner, repo, content: f.content.toString('base64'), encoding: 'base64', request }));
        entries.push({ path: f.path, mode, type: 'blob' as const, sha: blob.data.sha });
      }
    }
    let parent: string | null = null;
    if (!input.replace) {
      parent = await this.call(`reading branch ${input.branch} of ${full}`, async (c) => (await c.rest.git.getRef({ owner, repo, ref: `heads/${input.branch}`, request })).data.object.sha);
    }
    const createTree = () => o.rest.git.createTree({ owner, repo, tree: entries, request });
    let tree;
    try {
      tree = (await createTree()).data;
    } catch (error) {
      if ((error as { status?: number }).status !== 409) throw describeGitHubError(error, `creating the file tree in ${full}`);
      // An empty repository (no commit yet): GitHub's Git Data API refuses every call until a
      // first commit exists; the contents API can make one.
      await this.call(`initialising the empty repository ${full}`, (c) =>
        c.rest.repos.createOrUpdateFileContents({ owner, repo, path: '.gitkeep', message: 'Initialise repository', content: '', request }),
      );
      tree = await this.call(`creating the file tree in ${full}`, async () => (await createTree()).data);
    }
    const commit = await this.call(`creating the commit in ${full}`, async (c) =>
      (await c.rest.git.createCommit({ owner, repo, message: input.message, tree: tree.sha, parents: parent ? [parent] : [], ...(input.author ? { author: input.author } : {}), request })).data,
    );
    const what = `updating branch ${input.branch} of ${full}`;
    if (input.branch === input.currentDefaultBranch || !input.replace) {
      await this.call(what, (c) => c.rest.git.updateRef({ owner, repo, ref: `heads/${input.branch}`, sha: commit.sha, force: input.replace, request }));
    } else {
      // Another default branch than GitHub's: create it, make it the default, drop the old one.
      await this.call(what, (c) => c.rest.git.createRef({ owner, repo, ref: `refs/heads/${input.branch}`, sha: commit.sha, request }));
      await this.call(`making ${input.branch} the default branch of ${full}`, (c) => c.rest.repos.update({ owner, repo, default_branch: input.branch, request }));
      await this.call(`deleting the initial branch ${input.currentDefaultBranch} of ${full}`, (c) => c.rest.git.deleteRef({ owner, repo, ref: `heads/${input.currentDefaultBranch}`, request }));
    }
    return { commitSha: commit.sha, treeSha: tree.sha };
  }

  async setTopics(owner: string, repo: string, topics: string[], opts: CallOptions = {}): Promise<void> {
    await this.call(`setting the topics of ${owner}/${repo}`, (c) => c.rest.repos.replaceAllTopics({ owner, repo, names: topics.map((t) => t.toLowerCase()), request: { signal: opts.signal } }));
  }

  async grantTeam(org: string, team: string, owner: string, repo: string, permission: 'pull' | 'triage' | 'push' | 'maintain' | 'admin', opts: CallOptions = {}): Promise<void> {
    try {
      await this.client().rest.teams.addOrUpdateRepoPermissionsInOrg({ org, team_slug: team, owner, repo, permission, request: { signal: opts.signal } });
    } catch (error) {
      const e = describeGitHubError(error, `giving team ${org}/${team} ${permission} access to ${owner}/${repo}`);
      if (e.kind === 'not_found') throw new GitHubError('not_found', `GitHub team "${team}" not found in organization "${org}"`, 404);
      throw e;
    }
  }

  /**
   * workflow_dispatch. With `return_run_details` (github.com) the run id comes back at once; on
   * GitHub Enterprise Server, which refuses that key, the run is found in the run list instead.
   */
  async dispatchWorkflow(input: { owner: string; repo: string; workflowId: string; ref: string; inputs: Record<string, string> }, opts: CallOptions = {}): Promise<{ runId: number | null; htmlUrl: string | null }> {
    const what = `dispatching workflow ${input.workflowId} on ${input.owner}/${input.repo}@${input.ref}`;
    const o = this.client();
    const route = 'POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches';
    const base = { owner: input.owner, repo: input.repo, workflow_id: input.workflowId, ref: input.ref, inputs: input.inputs, request: { signal: opts.signal } };
    const since = new Date(Date.now() - 5000).toISOString();
    try {
      const res = await o.request(route, { ...base, return_run_details: true } as never);
      const data = res.data as unknown as { workflow_run_id?: number; html_url?: string } | '';
      if (data && typeof data === 'object' && data.workflow_run_id) return { runId: data.workflow_run_id, htmlUrl: data.html_url ?? null };
    } catch (error) {
      const message = JSON.stringify((error as { response?: { data?: unknown } }).response?.data ?? '');
      if (!((error as { status?: number }).status === 422 && message.includes('return_run_details'))) throw describeGitHubError(error, what);
      await this.call(what, () => o.request(route, base as never));
    }
    // Legacy path: the newest workflow_dispatch run of this workflow on this ref created since.
    for (let i = 0; i < 30; i++) {
      const { data } = await this.call(`finding the run of ${input.workflowId}`, (c) =>
        c.rest.actions.listWorkflowRuns({ owner: input.owner, repo: input.repo, workflow_id: input.workflowId, event: 'workflow_dispatch', branch: input.ref, created: `>=${since}`, per_page: 5, request: { signal: opts.signal } }),
      );
      const run = data.workflow_runs[0];
      if (run) return { runId: run.id, htmlUrl: run.html_url };
      await sleep(this.config?.runPollIntervalMs ?? 2000, opts.signal);
    }
    return { runId: null, htmlUrl: null };
  }

  async getRun(owner: string, repo: string, runId: number, opts: CallOptions = {}): Promise<{ status: string | null; conclusion: string | null; htmlUrl: string }> {
    const { data } = await this.call(`reading workflow run ${runId} of ${owner}/${repo}`, (c) => c.rest.actions.getWorkflowRun({ owner, repo, run_id: runId, request: { signal: opts.signal } }));
    return { status: data.status ?? null, conclusion: data.conclusion ?? null, htmlUrl: data.html_url };
  }

  /**
   * One workflow_dispatch for an action run, never followed by a guess: the run id when the
   * server supports `return_run_details`, else null (GHES), and the caller finds the run by the
   * correlation id its run-name shows (`findRunByTitle`).
   */
  async dispatchOnce(input: { owner: string; repo: string; workflowId: string; ref: string; inputs: Record<string, string> }, opts: CallOptions = {}): Promise<{ runId: number | null; htmlUrl: string | null }> {
    const what = `dispatching workflow ${input.workflowId} on ${input.owner}/${input.repo}@${input.ref}`;
    const o = this.client();
    const route = 'POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches';
    const base = { owner: input.owner, repo: input.repo, workflow_id: input.workflowId, ref: input.ref, inputs: input.inputs, request: { signal: opts.signal } };
    try {
      const res = await o.request(route, { ...base, return_run_details: true } as never);
      const data = res.data as unknown as { workflow_run_id?: number; html_url?: string } | '';
      if (data && typeof data === 'object' && data.workflow_run_id) return { runId: data.workflow_run_id, htmlUrl: data.html_url ?? null };
      return { runId: null, htmlUrl: null };
    } catch (error) {
      const message = JSON.stringify((error as { response?: { data?: unknown } }).response?.data ?? '');
      if (!((error as { status?: number }).status === 422 && message.includes('return_run_details'))) throw describeGitHubError(error, what);
      // The key was refused before anything ran: dispatching again without it is not a duplicate.
      await this.call(what, () => o.request(route, base as never));
      return { runId: null, htmlUrl: null };
    }
  }

  /** The workflow_dispatch run of a workflow created since `since` whose display title contains `needle`. */
  async findRunByTitle(owner: string, repo: string, workflowId: string, since: string, needle: string, opts: CallOptions = {}): Promise<{ runId: number; htmlUrl: string } | null> {
    const { data } = await this.call(`finding the run of ${workflowId} on ${owner}/${repo}`, (c) =>
      c.rest.actions.listWorkflowRuns({ owner, repo, workflow_id: workflowId, event: 'workflow_dispatch', created: `>=${since}`, per_page: 100, request: { signal: opts.signal } }),
    );
    const run = data.workflow_runs.find((r) => (r.display_title ?? '').includes(needle));
    return run ? { runId: run.id, htmlUrl: run.html_url } : null;
  }

  /** The jobs of a run with their steps, for the run's log. */
  async listRunJobs(owner: string, repo: string, runId: number, opts: CallOptions = {}): Promise<{ name: string; status: string; conclusion: string | null; steps: { name: string; conclusion: string | null }[] }[]> {
    const { data } = await this.call(`reading the jobs of workflow run ${runId}`, (c) => c.rest.actions.listJobsForWorkflowRun({ owner, repo, run_id: runId, per_page: 100, request: { signal: opts.signal } }));
    return data.jobs.map((j) => ({ name: j.name, status: j.status, conclusion: j.conclusion ?? null, steps: (j.steps ?? []).map((s) => ({ name: s.name, conclusion: s.conclusion ?? null })) }));
  }

  /** A file's text at a ref; undefined when the file (or the repository) does not exist. */
  async readFile(owner: string, repo: string, path: string, ref?: string, opts: CallOptions = {}): Promise<string | undefined> {
    try {
      const { data } = await this.client().rest.repos.getContent({ owner, repo, path, ...(ref ? { ref } : {}), request: { signal: opts.signal } });
      if (Array.isArray(data) || data.type !== 'file' || !('content' in data)) return undefined;
      return Buffer.from(data.content, 'base64').toString('utf8');
    } catch (error) {
      const e = describeGitHubError(error, `reading ${owner}/${repo}/${path}`);
      if (e.kind === 'not_found') return undefined;
      throw e;
    }
  }

  /** Every repository of an organization (name and default branch), for catalog discovery. */
  async listOrgRepos(org: string, opts: CallOptions = {}): Promise<{ name: string; defaultBranch: string; archived: boolean }[]> {
    return this.call(`listing the repositories of ${org}`, async (o) => {
      const repos = await o.paginate(o.rest.repos.listForOrg, { org, per_page: 100, request: { signal: opts.signal } });
      return repos.map((r) => ({ name: r.name, defaultBranch: r.default_branch ?? 'main', archived: Boolean(r.archived) }));
    });
  }
}

function toRepoInfo(data: { name: string; full_name: string; html_url: string; clone_url: string; default_branch?: string; private: boolean; owner: { login: string } }): RepoInfo {
  return { owner: data.owner.login, name: data.name, fullName: data.full_name, htmlUrl: data.html_url, cloneUrl: data.clone_url, defaultBranch: data.default_branch ?? 'main', private: data.private };
}

/** The text of a UTF-8 file without NUL bytes (what a tree entry's `content` can carry), else null. */
function isUtf8Text(buf: Buffer): string | null {
  if (buf.includes(0)) return null;
  const text = buf.toString('utf8');
  return Buffer.from(text, 'utf8').equals(buf) ? text : null;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason ?? new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
