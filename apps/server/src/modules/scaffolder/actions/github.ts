import { sleep } from '../../github/github.service.ts';
import { GitHubError } from '../../github/github.errors.ts';
import { parseRepoUrl } from '../templating.ts';
import { safeRelative } from './fetch.ts';
import { ActionInputError, optStr, str, strList, type ActionContext, type ActionDefinition } from './types.ts';

// publish:github and github:actions:dispatch. Every GitHub effect is checkpointed: a step that
// resumes after a crash, or is retried after a failure, continues where it was and never creates
// a second repository or dispatches a second run.

function repoTarget(input: Record<string, unknown>): { owner: string; repo: string } {
  const repoUrl = str(input, 'repoUrl');
  const { owner, repo } = parseRepoUrl(repoUrl);
  if (!owner || !repo) throw new ActionInputError(`repoUrl "${repoUrl}" must look like "github.com?owner=acme&repo=cart"`);
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(repo)) throw new ActionInputError(`repository name "${repo}" may contain letters, digits, ".", "_" and "-" only`);
  return { owner, repo };
}

const EXECUTABLE = /(^|\/)(gradlew|mvnw|[^/]+\.sh)$/;

interface TeamAccess {
  team: string;
  permission: 'pull' | 'triage' | 'push' | 'maintain' | 'admin';
}

function teamAccess(input: Record<string, unknown>, owner: string): TeamAccess[] {
  const out: TeamAccess[] = [];
  const access = optStr(input, 'access');
  // Backstage's `access: acme/platform` gives that team admin.
  if (access) {
    const [org, team] = access.includes('/') ? access.split('/', 2) : [owner, access];
    if (org!.toLowerCase() === owner.toLowerCase() && team) out.push({ team, permission: 'admin' });
  }
  const collaborators = input.collaborators;
  if (collaborators !== undefined) {
    if (!Array.isArray(collaborators)) throw new ActionInputError('input "collaborators" must be a list of {team, access}');
    for (const c of collaborators as Record<string, unknown>[]) {
      if (typeof c?.team !== 'string') continue;
      const permission = String(c.access ?? 'push');
      if (!['pull', 'triage', 'push', 'maintain', 'admin'].includes(permission)) throw new ActionInputError(`collaborator access "${permission}" must be pull, triage, push, maintain or admin`);
      out.push({ team: c.team.includes('/') ? c.team.split('/')[1]! : c.team, permission: permission as TeamAccess['permission'] });
    }
  }
  return out;
}

export const publishGithub: ActionDefinition = {
  id: 'publish:github',
  description: 'Creates a GitHub repository (organisation or user; visibility, description, topics, default branch, team access) and pushes the workspace in one commit',
  kind: 'effect',
  needsGitHub: true,
  describe(input, { githubWebUrl }) {
    const { owner, repo } = repoTarget(input);
    const branch = optStr(input, 'defaultBranch') ?? 'main';
    const html = `${githubWebUrl}/${owner}/${repo}`;
    return {
      description: `Would create the ${optStr(input, 'repoVisibility') ?? 'private'} repository ${owner}/${repo} and push the workspace to ${branch} in one commit`,
      output: { remoteUrl: html, repoContentsUrl: `${html}/blob/${branch}`, cloneUrl: `${html}.git`, commitHash: '0000000000000000000000000000000000000000', owner, repo, defaultBranch: branch },
    };
  },
  async run(ctx) {
    const { owner, repo } = repoTarget(ctx.input);
    const visibility = (optStr(ctx.input, 'repoVisibility') ?? 'private') as 'public' | 'private' | 'internal';
    if (!['public', 'private', 'internal'].includes(visibility)) throw new ActionInputError('repoVisibility must be public, private or internal');
    const branch = optStr(ctx.input, 'defaultBranch') ?? 'main';
    const description = optStr(ctx.input, 'description');
    const topics = strList(ctx.input, 'topics');
    const teams = teamAccess(ctx.input, owner);
    const sourcePath = safeRelative(optStr(ctx.input, 'sourcePath') ?? '.', 'sourcePath');
    const gh = ctx.github;
    if (!gh.configured) throw new GitHubError('not_configured', (await import('../../github/github.errors.ts')).GITHUB_NOT_CONFIGURED);
    const signal = ctx.signal;

    const files = [...ctx.workspace.entries()]
      .filter(([p]) => !sourcePath || p.startsWith(`${sourcePath}/`))
      .map(([p, content]) => {
        const rel = sourcePath ? p.slice(sourcePath.length + 1) : p;
        return { path: rel, content, executable: EXECUTABLE.test(rel) };
      });
    if (files.length === 0) throw new ActionInputError('the workspace is empty: nothing to publish (run fetch:template first)');

    const created = await ctx.checkpoint('repository', async () => {
      const ownerType = await gh.ownerType(owner, { signal });
      // Written before the create call and cleared when GitHub answers with an error: if it is
      // still there, the server stopped while GitHub may have been creating the repository, and
      // a repository of that name is this task's own.
      const interrupted = ctx.checkpoints['creating'] !== undefined;
      await ctx.setCheckpoint('creating', { at: new Date().toISOString() });
      try {
        const r = await gh.createRepo({ owner, ownerType, name: repo, description, visibility }, { signal });
        await ctx.log(`publish:github: created ${visibility} repository ${r.fullName}`);
        return r;
      } catch (error) {
        if (interrupted && error instanceof GitHubError && error.kind === 'name_taken') {
          const existing = await gh.getRepo(owner, repo, { signal });
          if (existing) {
            await ctx.log(`publish:github: ${existing.fullName} was created by this task before the interruption; continuing with it`);
            return existing;
          }
        }
        await ctx.clearCheckpoint('creating');
        throw error;
      }
    });

    const pushed = await ctx.checkpoint('push', async () => {
      const result = await gh.pushFiles(
        {
          owner,
          repo: created.name,
          branch,
          currentDefaultBranch: created.defaultBranch,
          files,
          message: optStr(ctx.input, 'gitCommitMessage') ?? 'Initial commit',
          ...(optStr(ctx.input, 'gitAuthorName') ? { author: { name: optStr(ctx.input, 'gitAuthorName')!, email: optStr(ctx.input, 'gitAuthorEmail') ?? 'scaffolder@portolan.local' } } : {}),
          replace: true,
        },
        { signal },
      );
      await ctx.log(`publish:github: pushed ${files.length} file(s) to ${created.fullName}@${branch} in one commit (${result.commitSha.slice(0, 7)})`);
      return result;
    });

    if (topics.length) {
      await ctx.checkpoint('topics', async () => {
        await gh.setTopics(owner, created.name, topics, { signal });
        await ctx.log(`publish:github: topics ${topics.join(', ')}`);
        return true;
      });
    }
    for (const t of teams) {
      await ctx.checkpoint(`team:${t.team}`, async () => {
        await gh.grantTeam(owner, t.team, owner, created.name, t.permission, { signal });
        await ctx.log(`publish:github: team ${t.team} has ${t.permission} access`);
        return true;
      });
    }
    return {
      remoteUrl: created.htmlUrl,
      repoContentsUrl: `${created.htmlUrl}/blob/${branch}`,
      cloneUrl: created.cloneUrl,
      commitHash: pushed.commitSha,
      owner,
      repo: created.name,
      defaultBranch: branch,
    };
  },
};

export const githubActionsDispatch: ActionDefinition = {
  id: 'github:actions:dispatch',
  description: 'Triggers a workflow_dispatch run of a GitHub Actions workflow, optionally waiting for it to finish',
  kind: 'effect',
  needsGitHub: true,
  describe(input) {
    const { owner, repo } = repoTarget(input);
    return {
      description: `Would dispatch ${str(input, 'workflowId')} on ${owner}/${repo}@${optStr(input, 'branchOrTagName') ?? 'main'}${input.waitForCompletion ? ' and wait for it' : ''}`,
      output: { runId: 0, runHtmlUrl: '', conclusion: input.waitForCompletion ? 'success' : null },
    };
  },
  async run(ctx: ActionContext) {
    const { owner, repo } = repoTarget(ctx.input);
    const workflowId = str(ctx.input, 'workflowId');
    const ref = optStr(ctx.input, 'branchOrTagName') ?? 'main';
    const rawInputs = (ctx.input.workflowInputs ?? {}) as Record<string, unknown>;
    // Dispatch inputs are strings on GitHub's side.
    const inputs = Object.fromEntries(Object.entries(rawInputs).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
    const gh = ctx.github;
    if (!gh.configured) throw new GitHubError('not_configured', (await import('../../github/github.errors.ts')).GITHUB_NOT_CONFIGURED);
    const run = await ctx.checkpoint('dispatched', async () => {
      const r = await gh.dispatchWorkflow({ owner, repo, workflowId, ref, inputs }, { signal: ctx.signal });
      await ctx.log(`github:actions:dispatch: dispatched ${workflowId} on ${owner}/${repo}@${ref}${r.runId ? ` (run ${r.runId})` : ''}`);
      return r;
    });
    if (!ctx.input.waitForCompletion || !run.runId) return { runId: run.runId, runHtmlUrl: run.htmlUrl, conclusion: null };
    const timeoutMs = Number(ctx.input.timeoutMinutes ?? 30) * 60_000;
    const deadline = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      const state = await gh.getRun(owner, repo, run.runId, { signal: ctx.signal });
      if (state.status !== last) {
        last = state.status ?? '';
        await ctx.log(`github:actions:dispatch: run ${run.runId} is ${state.status}`);
      }
      if (state.status === 'completed') {
        if (state.conclusion !== 'success' && state.conclusion !== 'skipped' && state.conclusion !== 'neutral') {
          throw new Error(`Workflow run ${run.runId} finished with conclusion "${state.conclusion}": ${state.htmlUrl}`);
        }
        return { runId: run.runId, runHtmlUrl: state.htmlUrl, conclusion: state.conclusion };
      }
      if (Date.now() > deadline) throw new Error(`Workflow run ${run.runId} did not finish within ${timeoutMs / 60_000} minutes: ${state.htmlUrl}`);
      await sleep(gh.config?.runPollIntervalMs ?? 3000, ctx.signal);
    }
  },
};
