import { randomBytes } from 'node:crypto';
/** Operation handlers, keyed by GitHub operationId. */
import type { Account, Repo, Run, StandinState, WorkflowDef } from './state.ts';
import { isoNow } from './state.ts';
import type { TreeEntry } from './git.ts';
import {
  base64Lines,
  blobJson,
  commitJson,
  fullRepoJson,
  jobsJson,
  minimalRepoJson,
  orgJson,
  privateUserJson,
  publicUserJson,
  refJson,
  runJson,
  teamJson,
  treeEntryJson,
  workflowJson,
  type Urls,
} from './represent.ts';

export const DOCS = 'https://docs.github.com/rest';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body === 'object' && body && 'message' in body ? String((body as { message: unknown }).message) : `HTTP ${status}`);
  }
}

export const ghError = (status: number, message: string, extra: Record<string, unknown> = {}) =>
  new HttpError(status, { message, documentation_url: DOCS, status: String(status), ...extra });

const notFound = (message = 'Not Found') => ghError(404, message);
const emptyRepo = () => ghError(409, 'Git Repository is empty.');

export interface Auth {
  token: string;
  login: string;
  scopes: string[];
  account: Account;
  /** Set when the caller authenticated as a GitHub App (a JWT signed with the app's key). */
  app?: AppSpec;
}

/** A GitHub App the stand-in knows: its id, slug, public key (PEM) and installations. */
export interface AppSpec {
  id: number;
  slug: string;
  publicKey: string;
  installations: { id: number; account: string }[];
}

export interface Ctx {
  state: StandinState;
  urls: Urls;
  params: Record<string, any>;
  query: Record<string, any>;
  body: any;
  headers: Record<string, string | string[] | undefined>;
  auth: Auth | null;
  /** Path and query of the request as received, for Link headers. */
  rawPath: string;
  returnRunDetails: boolean;
  /** Sent back as x-accepted-oauth-scopes. */
  acceptedScopes: string;
  /** Registers a new token (installation access tokens). */
  issueToken: (token: string, login: string, scopes: string[]) => void;
}

export interface Result {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Raw (non-JSON) body, e.g. application/vnd.github.raw */
  raw?: { contentType: string; data: Buffer };
}

const IMPLIED: Record<string, string[]> = {
  repo: ['public_repo', 'repo:status', 'repo_deployment', 'repo:invite', 'security_events'],
  'admin:org': ['write:org', 'read:org'],
  'write:org': ['read:org'],
  user: ['read:user', 'user:email', 'user:follow'],
  workflow: [],
  delete_repo: [],
};

export function hasScope(auth: Auth | null, scope: string): boolean {
  if (!auth) return false;
  return auth.scopes.some((s) => s === scope || (IMPLIED[s] ?? []).includes(scope));
}

function requireAuth(ctx: Ctx): Auth {
  if (!ctx.auth) throw ghError(401, 'Requires authentication');
  return ctx.auth;
}

/** Looks up the repository and checks the classic-PAT scopes GitHub documents for it. */
function repoFor(ctx: Ctx, access: 'read' | 'write', owner = ctx.params.owner, name = ctx.params.repo): Repo {
  ctx.acceptedScopes = 'repo';
  const r = ctx.state.repo(owner, name);
  if (!r) throw notFound();
  // GitHub answers 404, not 403, when a classic token lacks the scope for a private repository.
  if (r.private && !hasScope(ctx.auth, 'repo')) throw notFound();
  if (access === 'write') {
    requireAuth(ctx);
    if (!(hasScope(ctx.auth, 'repo') || (!r.private && hasScope(ctx.auth, 'public_repo')))) throw notFound();
    if (r.archived) throw ghError(403, 'Repository was archived so is read-only.');
  }
  return r;
}

function nonEmpty(r: Repo) {
  if (r.refs.size === 0) throw emptyRepo();
}

function paginate<T>(ctx: Ctx, items: T[]): { items: T[]; headers: Record<string, string> } {
  const perPage = Math.min(Math.max(Number(ctx.query.per_page ?? 30), 1), 100);
  const page = Math.max(Number(ctx.query.page ?? 1), 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const link = (p: number) => {
    const u = new URL(ctx.rawPath, 'http://x');
    u.searchParams.set('page', String(p));
    u.searchParams.set('per_page', String(perPage));
    const base = new URL(ctx.urls.api);
    return `<${base.origin}${u.pathname}${u.search}>`;
  };
  const rels: string[] = [];
  if (page > 1) rels.push(`${link(page - 1)}; rel="prev"`, `${link(1)}; rel="first"`);
  if (page < last) rels.push(`${link(page + 1)}; rel="next"`, `${link(last)}; rel="last"`);
  return { items: slice, headers: rels.length ? { link: rels.join(', ') } : {} };
}

function counts(state: StandinState, owner: Account) {
  const repos = [...state.repos.values()].filter((r) => r.owner === owner);
  const priv = repos.filter((r) => r.private).length;
  return { publicRepos: repos.length - priv, privateRepos: priv };
}

function identity(ctx: Ctx, given: any, fallback?: { name: string; email: string; date: string }) {
  const now = isoNow();
  if (given && typeof given === 'object') {
    return { name: String(given.name), email: String(given.email), date: typeof given.date === 'string' ? given.date : now };
  }
  if (fallback) return fallback;
  const a = ctx.auth?.account;
  return { name: a?.name ?? a?.login ?? 'ghost', email: a?.email ?? `${a?.id ?? 0}+${a?.login ?? 'ghost'}@users.noreply.github.com`, date: now };
}

function workflowTreeSha(r: Repo, commitSha: string | undefined): string | undefined {
  if (!commitSha) return undefined;
  const c = r.git.commit(commitSha);
  return c ? r.git.lookup(c.data.tree, '.github/workflows')?.sha : undefined;
}

/** Moving a ref to a commit that changes .github/workflows needs the `workflow` scope (404 without). */
function checkWorkflowScope(ctx: Ctx, r: Repo, from: string | undefined, to: string) {
  if (workflowTreeSha(r, from) === workflowTreeSha(r, to)) return;
  if (!hasScope(ctx.auth, 'workflow')) {
    ctx.acceptedScopes = 'repo, workflow';
    throw notFound();
  }
}

const createRepoCommon = (ctx: Ctx, owner: Account, opId: 'org' | 'user'): Result => {
  const auth = requireAuth(ctx);
  const b = ctx.body ?? {};
  const visibility: 'public' | 'private' = b.visibility ?? (b.private ? 'private' : 'public');
  ctx.acceptedScopes = 'public_repo, repo';
  if (!(hasScope(auth, 'repo') || (visibility === 'public' && hasScope(auth, 'public_repo')))) throw notFound();
  // GitHub replaces characters it does not allow in names with '-'.
  const name = String(b.name).replace(/[^A-Za-z0-9._-]/g, '-');
  if (ctx.state.repo(owner.login, name)) {
    throw new HttpError(422, {
      message: 'Repository creation failed.',
      errors: [{ resource: 'Repository', code: 'custom', field: 'name', message: 'name already exists on this account' }],
      documentation_url: `${DOCS}/repos/repos#${opId === 'org' ? 'create-an-organization-repository' : 'create-a-repository-for-the-authenticated-user'}`,
      status: '422',
    });
  }
  if (!/[A-Za-z0-9]/.test(name)) {
    throw new HttpError(422, { message: 'Repository creation failed.', errors: [{ resource: 'Repository', code: 'custom', field: 'name', message: 'name is invalid' }], documentation_url: DOCS, status: '422' });
  }
  const r = ctx.state.createRepo(owner.login, name, {
    description: b.description ?? null,
    homepage: b.homepage ?? null,
    visibility,
    has_issues: b.has_issues,
    has_projects: b.has_projects,
    has_wiki: b.has_wiki,
    has_discussions: b.has_discussions,
    is_template: b.is_template,
    auto_init: b.auto_init === true,
    allow_squash_merge: b.allow_squash_merge,
    allow_merge_commit: b.allow_merge_commit,
    allow_rebase_merge: b.allow_rebase_merge,
    allow_auto_merge: b.allow_auto_merge,
    delete_branch_on_merge: b.delete_branch_on_merge,
    custom_properties: b.custom_properties,
  });
  if (typeof b.team_id === 'number') {
    const team = [...ctx.state.teams.values()].find((t) => t.id === b.team_id && t.org.toLowerCase() === owner.login.toLowerCase());
    team?.repos.set(`${owner.login}/${name}`.toLowerCase(), 'pull');
  }
  return { status: 201, body: fullRepoJson(r, ctx.urls), headers: { location: `${ctx.urls.api}/repos/${owner.login}/${name}` } };
};

function runVisible(run: Run): boolean {
  return run.hiddenPolls <= 0 && Date.now() >= run.hiddenUntil;
}

function dateMatcher(expr: string): (iso: string) => boolean {
  const parse = (s: string, end: boolean) => {
    if (s === '*') return end ? Infinity : -Infinity;
    const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(s);
    const ms = Date.parse(dateOnly ? `${s}T00:00:00Z` : s);
    if (Number.isNaN(ms)) throw ghError(422, `Invalid created filter: ${expr}`);
    return dateOnly && end ? ms + 86_399_999 : ms;
  };
  const range = /^(.+)\.\.(.+)$/.exec(expr);
  if (range) {
    const [a, b] = [parse(range[1]!, false), parse(range[2]!, true)];
    return (iso) => Date.parse(iso) >= a && Date.parse(iso) <= b;
  }
  const m = /^(>=|<=|>|<)?(.+)$/.exec(expr)!;
  const op = m[1] ?? '';
  const v = m[2]!;
  if (op === '>=') return (iso) => Date.parse(iso) >= parse(v, false);
  if (op === '>') return (iso) => Date.parse(iso) > parse(v, true);
  if (op === '<=') return (iso) => Date.parse(iso) <= parse(v, true);
  if (op === '<') return (iso) => Date.parse(iso) < parse(v, false);
  return (iso) => Date.parse(iso) >= parse(v, false) && Date.parse(iso) <= parse(v, true);
}

const COMPLETED_STATUS_FILTERS = new Set(['action_required', 'cancelled', 'failure', 'neutral', 'skipped', 'stale', 'success', 'timed_out', 'startup_failure']);

function listRuns(ctx: Ctx, r: Repo, workflow?: WorkflowDef): Result {
  const q = ctx.query;
  const created = typeof q.created === 'string' ? dateMatcher(q.created) : undefined;
  const matching = r.runs
    .filter((run) => !workflow || run.workflowId === workflow.id)
    .filter((run) => q.actor === undefined || run.actor.login.toLowerCase() === String(q.actor).toLowerCase())
    .filter((run) => q.branch === undefined || run.head_branch === q.branch)
    .filter((run) => q.event === undefined || run.event === q.event)
    .filter((run) => q.head_sha === undefined || run.head_sha === q.head_sha)
    .filter((run) => q.check_suite_id === undefined || run.id + 1 === Number(q.check_suite_id))
    .filter((run) => !created || created(run.created_at))
    .filter((run) => {
      if (q.status === undefined) return true;
      if (COMPLETED_STATUS_FILTERS.has(q.status)) return run.conclusion === q.status;
      return run.status === q.status;
    });
  const visible: Run[] = [];
  for (const run of matching) {
    // A run that "appears late" costs one poll each time a list would have shown it.
    if (run.hiddenPolls > 0) run.hiddenPolls--;
    else if (runVisible(run)) visible.push(run);
  }
  visible.sort((a, b) => b.id - a.id);
  const page = paginate(ctx, visible);
  return { status: 200, body: { total_count: visible.length, workflow_runs: page.items.map((run) => runJson(run, ctx.urls)) }, headers: page.headers };
}

function findWorkflow(ctx: Ctx, r: Repo): WorkflowDef {
  const id = String(ctx.params.workflow_id);
  const wf = ctx.state.workflows(r).find((w) => String(w.id) === id || w.path === id || w.path === `.github/workflows/${id}`);
  if (!wf) throw notFound();
  return wf;
}

function runFor(ctx: Ctx): Run {
  const r = repoFor(ctx, 'read');
  const run = r.runs.find((x) => x.id === Number(ctx.params.run_id));
  if (!run) throw notFound();
  return run;
}

function contentItem(ctx: Ctx, r: Repo, path: string, e: TreeEntry, ref: string, withContent: boolean) {
  const full = `${r.owner.login}/${r.name}`;
  const type = e.type === 'tree' ? 'dir' : e.type === 'commit' ? 'submodule' : e.mode === '120000' ? 'symlink' : 'file';
  const enc = path.split('/').map(encodeURIComponent).join('/');
  const encRef = ref.split('/').map(encodeURIComponent).join('/');
  const url = `${ctx.urls.api}/repos/${full}/contents/${enc}?ref=${encodeURIComponent(ref)}`;
  const git_url = `${ctx.urls.api}/repos/${full}/git/${e.type === 'tree' ? 'trees' : 'blobs'}/${e.sha}`;
  const html_url = `${ctx.urls.web}/${full}/${e.type === 'tree' ? 'tree' : 'blob'}/${encRef}/${enc}`;
  const blob = e.type === 'blob' ? r.git.blob(e.sha) : undefined;
  const item: Record<string, unknown> = {
    type,
    size: blob?.content.length ?? 0,
    name: path.split('/').pop() ?? path,
    path,
    sha: e.sha,
    url,
    git_url,
    html_url,
    download_url: type === 'file' ? `${ctx.urls.web}/raw/${full}/${encRef}/${enc}` : null,
    _links: { self: url, git: git_url, html: html_url },
  };
  if (withContent && blob) {
    item.content = base64Lines(blob.content);
    item.encoding = 'base64';
  }
  return item;
}

function fileCommitBody(ctx: Ctx, r: Repo, commitSha: string, path: string | null, branch: string) {
  const c = r.git.commit(commitSha)!;
  let content: unknown = null;
  if (path !== null) {
    const e = r.git.lookup(c.data.tree, path)!;
    const { content: _omit, encoding: _enc, ...rest } = contentItem(ctx, r, path, e, branch, false) as Record<string, unknown>;
    content = rest;
  }
  return { content, commit: commitJson(r, c, ctx.urls) };
}

/** The contents path of the request; writing under .github/workflows needs the `workflow` scope
 * (GitHub answers 404 without it). */
function workflowSafePath(ctx: Ctx): string {
  const path = String(ctx.params.path).replace(/^\/+/, '');
  if (path.startsWith('.github/workflows/') && !hasScope(ctx.auth, 'workflow')) {
    ctx.acceptedScopes = 'repo, workflow';
    throw notFound();
  }
  return path;
}

function branchName(ref: string): string {
  return ref.replace(/^refs\/heads\//, '').replace(/^refs\/tags\//, '');
}

export const handlers: Record<string, (ctx: Ctx) => Result> = {
  // A GitHub App exchanges its JWT for an installation token, which then acts like any token.
  'apps/create-installation-access-token': (ctx) => {
    const app = ctx.auth?.app;
    if (!app) throw new HttpError(401, { message: 'A JSON web token could not be decoded', documentation_url: DOCS, status: '401' });
    const installation = app.installations.find((i) => i.id === Number(ctx.params.installation_id));
    if (!installation) throw notFound();
    const token = `ghs_${randomBytes(18).toString('base64url')}`;
    ctx.issueToken(token, `${app.slug}[bot]`, ['repo', 'workflow', 'read:org', 'delete_repo', 'user']);
    return { status: 201, body: { token, expires_at: new Date(Date.now() + 3600_000).toISOString(), permissions: { contents: 'write', metadata: 'read', actions: 'write', administration: 'write' }, repository_selection: 'all' } };
  },

  'rate-limit/get': (ctx) => {
    const reset = Math.floor(Date.now() / 1000) + 3600;
    const rate = { limit: 5000, used: 0, remaining: 5000, reset };
    void ctx;
    return { status: 200, body: { resources: { core: rate, search: { ...rate, limit: 30, remaining: 30 }, graphql: rate }, rate } };
  },

  'users/get-authenticated': (ctx) => {
    const auth = requireAuth(ctx);
    const c = counts(ctx.state, auth.account);
    const body = hasScope(auth, 'user') || hasScope(auth, 'read:user')
      ? privateUserJson(auth.account, ctx.urls, c)
      : publicUserJson(auth.account, ctx.urls, c.publicRepos);
    return { status: 200, body };
  },

  'users/get-by-username': (ctx) => {
    const a = ctx.state.account(ctx.params.username);
    if (!a) throw notFound();
    return { status: 200, body: publicUserJson(a, ctx.urls, counts(ctx.state, a).publicRepos) };
  },

  'orgs/get': (ctx) => {
    const a = ctx.state.account(ctx.params.org);
    if (!a || a.type !== 'Organization') throw notFound();
    return { status: 200, body: orgJson(a, ctx.urls, counts(ctx.state, a)) };
  },

  'teams/get-by-name': (ctx) => {
    requireAuth(ctx);
    ctx.acceptedScopes = 'read:org';
    const org = ctx.state.account(ctx.params.org);
    const t = ctx.state.team(ctx.params.org, ctx.params.team_slug);
    if (!org || !t || !hasScope(ctx.auth, 'read:org')) throw notFound();
    const c = counts(ctx.state, org);
    return { status: 200, body: teamJson(t, org, ctx.urls, { orgRepos: c.publicRepos + c.privateRepos, orgPrivate: c.privateRepos }) };
  },

  'teams/add-or-update-repo-permissions-in-org': (ctx) => {
    requireAuth(ctx);
    ctx.acceptedScopes = 'admin:org, repo';
    if (!hasScope(ctx.auth, 'admin:org') && !hasScope(ctx.auth, 'repo')) throw notFound();
    const t = ctx.state.team(ctx.params.org, ctx.params.team_slug);
    if (!t) throw notFound();
    const r = ctx.state.repo(ctx.params.owner, ctx.params.repo);
    if (!r) throw notFound();
    if (r.owner.login.toLowerCase() !== t.org.toLowerCase()) {
      throw ghError(422, 'Validation Failed', { errors: [{ resource: 'TeamRepository', code: 'custom', message: 'Repository must be owned by the organization' }] });
    }
    t.repos.set(`${r.owner.login}/${r.name}`.toLowerCase(), ctx.body?.permission ?? 'push');
    return { status: 204 };
  },

  'repos/list-for-org': (ctx) => {
    const org = ctx.state.account(ctx.params.org);
    if (!org || org.type !== 'Organization') throw notFound();
    const type = ctx.query.type ?? 'all';
    const repos = [...ctx.state.repos.values()]
      .filter((r) => r.owner === org)
      .filter((r) => !r.private || hasScope(ctx.auth, 'repo'))
      .filter((r) => type === 'all' || (type === 'public' ? !r.private : type === 'private' ? r.private : true))
      .sort((a, b) => (ctx.query.sort === 'full_name' ? a.name.localeCompare(b.name) : a.id - b.id));
    const page = paginate(ctx, repos);
    return { status: 200, body: page.items.map((r) => minimalRepoJson(r, ctx.urls)), headers: page.headers };
  },

  'repos/list-for-authenticated-user': (ctx) => {
    const auth = requireAuth(ctx);
    const repos = [...ctx.state.repos.values()].filter((r) => r.owner === auth.account && (!r.private || hasScope(auth, 'repo')));
    const page = paginate(ctx, repos);
    return { status: 200, body: page.items.map((r) => fullRepoJson(r, ctx.urls)), headers: page.headers };
  },

  'repos/create-in-org': (ctx) => {
    const org = ctx.state.account(ctx.params.org);
    if (!org || org.type !== 'Organization') throw notFound();
    return createRepoCommon(ctx, org, 'org');
  },

  'repos/create-for-authenticated-user': (ctx) => createRepoCommon(ctx, requireAuth(ctx).account, 'user'),

  'repos/get': (ctx) => ({ status: 200, body: fullRepoJson(repoFor(ctx, 'read'), ctx.urls) }),

  'repos/update': (ctx) => {
    const r = repoFor(ctx, 'write');
    const b = ctx.body ?? {};
    if (b.default_branch !== undefined && b.default_branch !== r.default_branch) {
      if (r.refs.size === 0) throw ghError(422, 'Validation Failed', { errors: [{ resource: 'Repository', code: 'custom', field: 'default_branch', message: 'Cannot update default branch for an empty repository. Please init the repository and push first.' }] });
      if (!r.refs.has(`refs/heads/${b.default_branch}`)) throw ghError(422, 'Validation Failed', { errors: [{ resource: 'Repository', code: 'invalid', field: 'default_branch' }] });
      r.default_branch = b.default_branch;
    }
    if (b.name !== undefined && b.name !== r.name) {
      if (ctx.state.repo(r.owner.login, b.name)) throw ghError(422, 'Validation Failed', { errors: [{ resource: 'Repository', code: 'custom', field: 'name', message: 'name already exists on this account' }] });
      ctx.state.renameRepo(r, b.name);
    }
    for (const k of ['description', 'homepage', 'has_issues', 'has_projects', 'has_wiki', 'has_discussions', 'is_template', 'archived', 'allow_squash_merge', 'allow_merge_commit', 'allow_rebase_merge', 'allow_auto_merge', 'delete_branch_on_merge'] as const) {
      if (b[k] !== undefined) (r as any)[k] = b[k];
    }
    if (b.visibility !== undefined || b.private !== undefined) {
      r.visibility = b.visibility ?? (b.private ? 'private' : 'public');
      r.private = r.visibility !== 'public';
    }
    r.updated_at = isoNow();
    return { status: 200, body: fullRepoJson(r, ctx.urls) };
  },

  'repos/delete': (ctx) => {
    const r = repoFor(ctx, 'read');
    requireAuth(ctx);
    ctx.acceptedScopes = 'delete_repo';
    if (!hasScope(ctx.auth, 'delete_repo')) throw ghError(403, 'Must have admin rights to Repository.');
    ctx.state.deleteRepo(r);
    return { status: 204 };
  },

  'repos/get-all-topics': (ctx) => ({ status: 200, body: { names: repoFor(ctx, 'read').topics } }),

  'repos/replace-all-topics': (ctx) => {
    const r = repoFor(ctx, 'write');
    const names = (ctx.body.names as string[]).map((n) => n.toLowerCase());
    const bad = names.filter((n) => !/^[a-z0-9][a-z0-9-]{0,49}$/.test(n));
    if (bad.length) {
      throw ghError(422, 'Validation Failed', {
        // This operation documents `validation-error-simple`: errors are plain strings.
        errors: [`${bad.map((b) => `"${b}"`).join(', ')} ${bad.length > 1 ? 'are not valid topics' : 'is not a valid topic'}. Topics must start with a lowercase letter or number, consist of 50 characters or less, and can include hyphens.`],
      });
    }
    r.topics = [...new Set(names)];
    r.updated_at = isoNow();
    return { status: 200, body: { names: r.topics } };
  },

  // ---- git data -------------------------------------------------------------------------------

  'git/create-blob': (ctx) => {
    const r = repoFor(ctx, 'write');
    nonEmpty(r);
    const enc = ctx.body.encoding ?? 'utf-8';
    if (enc !== 'utf-8' && enc !== 'utf8' && enc !== 'base64') throw ghError(422, `encoding must be "utf-8" or "base64"`);
    const content = Buffer.from(String(ctx.body.content), enc === 'base64' ? 'base64' : 'utf8');
    const sha = r.git.writeBlob(content);
    const url = `${ctx.urls.api}/repos/${r.owner.login}/${r.name}/git/blobs/${sha}`;
    return { status: 201, body: { url, sha }, headers: { location: url } };
  },

  'git/get-blob': (ctx) => {
    const r = repoFor(ctx, 'read');
    nonEmpty(r);
    const b = r.git.blob(ctx.params.file_sha);
    if (!b) throw notFound();
    return { status: 200, body: blobJson(r, b.sha, b.content, ctx.urls) };
  },

  'git/create-tree': (ctx) => {
    const r = repoFor(ctx, 'write');
    nonEmpty(r);
    const b = ctx.body;
    let base: string | undefined;
    if (b.base_tree !== undefined) {
      const t = r.git.tree(b.base_tree) ?? (r.git.commit(b.base_tree) ? r.git.tree(r.git.commit(b.base_tree)!.data.tree) : undefined);
      if (!t) throw ghError(422, 'Invalid tree info', { errors: [`base_tree ${b.base_tree} is not a valid tree oid`] });
      base = t.sha;
    }
    const edits = (b.tree as any[]).map((e, i) => {
      const path = String(e.path ?? '');
      if (!path || path.startsWith('/') || path.endsWith('/') || path.split('/').some((p: string) => p === '' || p === '.' || p === '..' || p === '.git')) {
        throw ghError(422, `tree.path contains a malformed path component`, { errors: [`tree.${i}.path`] });
      }
      if (e.sha !== undefined && e.content !== undefined) throw ghError(422, 'Must supply either tree.sha or tree.content. Request will be rejected if both are present.');
      if (e.sha === undefined && e.content === undefined) throw ghError(422, 'Must supply either tree.sha or tree.content.');
      const type = (e.type ?? 'blob') as TreeEntry['type'];
      const mode = e.mode ?? (type === 'tree' ? '040000' : '100644');
      if (e.sha === null) return { path, mode, type, sha: null };
      if (e.content !== undefined) return { path, mode, type: 'blob' as const, sha: r.git.writeBlob(Buffer.from(String(e.content), 'utf8')) };
      const obj = r.git.get(String(e.sha));
      if (type !== 'commit' && (!obj || obj.type !== type)) throw ghError(422, `tree.sha ${e.sha} is not a valid ${type}`);
      return { path, mode, type, sha: String(e.sha).toLowerCase() };
    });
    const sha = r.git.applyEdits(base, edits);
    const tree = r.git.tree(sha)!;
    const url = `${ctx.urls.api}/repos/${r.owner.login}/${r.name}/git/trees/${sha}`;
    return { status: 201, body: { sha, url, truncated: false, tree: tree.entries.map((e) => treeEntryJson(r, e.name, e, ctx.urls)) }, headers: { location: url } };
  },

  'git/get-tree': (ctx) => {
    const r = repoFor(ctx, 'read');
    nonEmpty(r);
    const id = String(ctx.params.tree_sha);
    let sha: string | undefined = r.git.tree(id)?.sha;
    if (!sha) {
      const c = ctx.state.resolveCommit(r, id);
      if (c) sha = r.git.commit(c)!.data.tree;
    }
    if (!sha) throw notFound();
    // GitHub treats any value of `recursive` as true.
    const entries = ctx.query.recursive !== undefined ? r.git.walk(sha) : r.git.tree(sha)!.entries.map((e) => ({ path: e.name, entry: e }));
    return { status: 200, body: { sha, url: `${ctx.urls.api}/repos/${r.owner.login}/${r.name}/git/trees/${sha}`, truncated: false, tree: entries.map(({ path, entry }) => treeEntryJson(r, path, entry, ctx.urls)) } };
  },

  'git/create-commit': (ctx) => {
    const r = repoFor(ctx, 'write');
    nonEmpty(r);
    const b = ctx.body;
    if (!r.git.tree(b.tree)) throw ghError(422, 'Tree SHA does not exist');
    const parents = ((b.parents ?? []) as string[]).map((p) => p.toLowerCase());
    for (const p of parents) if (!r.git.commit(p)) throw ghError(422, 'Parent SHA does not exist or is not a commit object');
    const author = identity(ctx, b.author);
    const committer = identity(ctx, b.committer, b.author ? author : undefined);
    const sha = r.git.writeCommit({ tree: b.tree.toLowerCase(), parents, author, committer, message: String(b.message) });
    const body = commitJson(r, r.git.commit(sha)!, ctx.urls);
    return { status: 201, body, headers: { location: body.url } };
  },

  'git/get-commit': (ctx) => {
    const r = repoFor(ctx, 'read');
    nonEmpty(r);
    const c = r.git.commit(ctx.params.commit_sha);
    if (!c) throw notFound();
    return { status: 200, body: commitJson(r, c, ctx.urls) };
  },

  'git/get-ref': (ctx) => {
    const r = repoFor(ctx, 'read');
    nonEmpty(r);
    const ref = `refs/${ctx.params.ref}`;
    const sha = r.refs.get(ref);
    if (!sha) throw notFound();
    return { status: 200, body: refJson(r, ref, sha, ctx.urls) };
  },

  'git/create-ref': (ctx) => {
    const r = repoFor(ctx, 'write');
    nonEmpty(r);
    const ref = String(ctx.body.ref);
    const sha = String(ctx.body.sha).toLowerCase();
    if (!ref.startsWith('refs/') || ref.split('/').length < 3) throw ghError(422, `${ref} is not a valid ref name.`);
    if (r.refs.has(ref)) throw ghError(422, 'Reference already exists');
    if (!r.git.get(sha)) throw ghError(422, 'Object does not exist');
    checkWorkflowScope(ctx, r, r.refs.get(`refs/heads/${r.default_branch}`), sha);
    r.refs.set(ref, sha);
    r.pushed_at = isoNow();
    const body = refJson(r, ref, sha, ctx.urls);
    return { status: 201, body, headers: { location: body.url } };
  },

  'git/update-ref': (ctx) => {
    const r = repoFor(ctx, 'write');
    nonEmpty(r);
    const ref = `refs/${ctx.params.ref}`;
    const current = r.refs.get(ref);
    if (!current) throw ghError(422, 'Reference does not exist');
    const sha = String(ctx.body.sha).toLowerCase();
    if (!r.git.get(sha)) throw ghError(422, 'Object does not exist');
    if (!ctx.body.force && !r.git.isAncestor(current, sha)) throw ghError(422, 'Update is not a fast forward');
    checkWorkflowScope(ctx, r, current, sha);
    r.refs.set(ref, sha);
    r.pushed_at = isoNow();
    return { status: 200, body: refJson(r, ref, sha, ctx.urls) };
  },

  'git/delete-ref': (ctx) => {
    const r = repoFor(ctx, 'write');
    nonEmpty(r);
    const ref = `refs/${ctx.params.ref}`;
    if (!r.refs.has(ref)) throw ghError(422, 'Reference does not exist');
    r.refs.delete(ref);
    return { status: 204 };
  },

  // ---- contents -------------------------------------------------------------------------------

  'repos/get-content': (ctx) => {
    const r = repoFor(ctx, 'read');
    if (r.refs.size === 0) throw notFound('This repository is empty.');
    const ref = ctx.query.ref ?? r.default_branch;
    const sha = ctx.state.resolveCommit(r, ref);
    if (!sha) throw notFound(`No commit found for the ref ${ref}`);
    const path = String(ctx.params.path ?? '').replace(/^\/+|\/+$/g, '');
    const tree = r.git.commit(sha)!.data.tree;
    const e = path === '' ? { name: '', mode: '040000', type: 'tree' as const, sha: tree } : r.git.lookup(tree, path);
    if (!e) throw notFound();
    const accept = String(ctx.headers.accept ?? '');
    if (e.type === 'blob' && accept.includes('raw')) {
      return { status: 200, raw: { contentType: 'application/vnd.github.raw+json; charset=utf-8', data: r.git.blob(e.sha)!.content } };
    }
    if (e.type === 'tree') {
      const items = r.git.tree(e.sha)!.entries.map((x) => contentItem(ctx, r, path ? `${path}/${x.name}` : x.name, x, ref, false));
      return { status: 200, body: items };
    }
    return { status: 200, body: contentItem(ctx, r, path, e, ref, true) };
  },

  'repos/create-or-update-file-contents': (ctx) => {
    const r = repoFor(ctx, 'write');
    const b = ctx.body;
    const path = workflowSafePath(ctx);
    const branch = b.branch ?? r.default_branch;
    const parent = r.refs.get(`refs/heads/${branch}`);
    if (!parent && r.refs.size > 0) throw notFound(`Branch ${branch} not found`);
    const baseTree = parent ? r.git.commit(parent)!.data.tree : undefined;
    const existing = baseTree ? r.git.lookup(baseTree, path) : undefined;
    if (existing && existing.type === 'tree') throw ghError(422, `${path} is a directory`);
    if (existing && b.sha === undefined) throw ghError(422, 'Invalid request.\n\n"sha" wasn\'t supplied.');
    if (existing && b.sha !== existing.sha) throw ghError(409, `${path} does not match ${b.sha}`);
    if (!existing && b.sha !== undefined && r.refs.size > 0) throw ghError(409, `${path} does not match ${b.sha}`);
    const blob = r.git.writeBlob(Buffer.from(String(b.content), 'base64'));
    const tree = r.git.applyEdits(baseTree, [{ path, mode: '100644', type: 'blob', sha: blob }]);
    const author = identity(ctx, b.author ?? b.committer);
    const committer = identity(ctx, b.committer, b.author ? author : undefined);
    const sha = r.git.writeCommit({ tree, parents: parent ? [parent] : [], author, committer, message: String(b.message) });
    r.refs.set(`refs/heads/${branch}`, sha);
    r.pushed_at = isoNow();
    return { status: existing ? 200 : 201, body: fileCommitBody(ctx, r, sha, path, branch) };
  },

  'repos/delete-file': (ctx) => {
    const r = repoFor(ctx, 'write');
    const b = ctx.body;
    const path = workflowSafePath(ctx);
    const branch = b.branch ?? r.default_branch;
    const parent = r.refs.get(`refs/heads/${branch}`);
    if (!parent) throw notFound();
    const baseTree = r.git.commit(parent)!.data.tree;
    const existing = r.git.lookup(baseTree, path);
    if (!existing || existing.type !== 'blob') throw notFound();
    if (b.sha !== existing.sha) throw ghError(409, `${path} does not match ${b.sha}`);
    const tree = r.git.applyEdits(baseTree, [{ path, mode: '100644', type: 'blob', sha: null }]);
    const author = identity(ctx, b.author ?? b.committer);
    const committer = identity(ctx, b.committer, b.author ? author : undefined);
    const sha = r.git.writeCommit({ tree, parents: [parent], author, committer, message: String(b.message) });
    r.refs.set(`refs/heads/${branch}`, sha);
    r.pushed_at = isoNow();
    return { status: 200, body: fileCommitBody(ctx, r, sha, null, branch) };
  },

  // ---- actions --------------------------------------------------------------------------------

  'actions/list-repo-workflows': (ctx) => {
    const r = repoFor(ctx, 'read');
    const wfs = ctx.state.workflows(r);
    const page = paginate(ctx, wfs);
    return { status: 200, body: { total_count: wfs.length, workflows: page.items.map((w) => workflowJson(r, w, ctx.urls)) }, headers: page.headers };
  },

  'actions/get-workflow': (ctx) => {
    const r = repoFor(ctx, 'read');
    return { status: 200, body: workflowJson(r, findWorkflow(ctx, r), ctx.urls) };
  },

  'actions/create-workflow-dispatch': (ctx) => {
    const r = repoFor(ctx, 'write');
    const auth = requireAuth(ctx);
    const b = ctx.body;
    if (!ctx.returnRunDetails && 'return_run_details' in b) throw ghError(422, '"return_run_details" is not a permitted key.');
    const wf = findWorkflow(ctx, r);
    const ref = String(b.ref);
    const sha = ctx.state.resolveCommit(r, ref);
    if (!sha || /^[0-9a-f]{40}$/i.test(ref)) throw ghError(422, `No ref found for: ${ref}`);
    // The inputs that count are those of the workflow file at the dispatched ref.
    const def = ctx.state.workflowsAt(r, ref).find((w) => w.path === wf.path);
    if (!def || !def.dispatchable || !wf.dispatchable) throw ghError(422, "Workflow does not have 'workflow_dispatch' trigger");
    const given = (b.inputs ?? {}) as Record<string, unknown>;
    const unexpected = Object.keys(given).filter((k) => !def.inputs.some((i) => i.name === k));
    if (unexpected.length) throw ghError(422, `Unexpected inputs provided: ${JSON.stringify(unexpected)}`);
    if (JSON.stringify(given).length > 65_535) throw ghError(422, 'inputs are too large');
    const inputs: Record<string, string> = {};
    for (const i of def.inputs) {
      const v = given[i.name] ?? i.default;
      if (i.required && (v === undefined || v === '')) throw ghError(422, `Required input '${i.name}' not provided`);
      if (v === undefined) continue;
      const s = typeof v === 'string' ? v : JSON.stringify(v);
      if (i.type === 'choice' && i.options && !i.options.includes(s)) throw ghError(422, `Provided value '${s}' for input '${i.name}' not in the list of allowed values`);
      if (i.type === 'boolean' && s !== 'true' && s !== 'false') throw ghError(422, `Provided value '${s}' for input '${i.name}' is not a valid boolean`);
      if (i.type === 'number' && Number.isNaN(Number(s))) throw ghError(422, `Provided value '${s}' for input '${i.name}' is not a valid number`);
      inputs[i.name] = s;
    }
    const run = ctx.state.createRun(r, def, { branch: branchName(ref), sha, actor: auth.account, inputs });
    if (b.return_run_details === true) {
      const j = runJson(run, ctx.urls);
      return { status: 200, body: { workflow_run_id: run.id, run_url: j.url, html_url: j.html_url } };
    }
    return { status: 204 };
  },

  'actions/list-workflow-runs-for-repo': (ctx) => listRuns(ctx, repoFor(ctx, 'read')),

  'actions/list-workflow-runs': (ctx) => {
    const r = repoFor(ctx, 'read');
    return listRuns(ctx, r, findWorkflow(ctx, r));
  },

  'actions/get-workflow-run': (ctx) => ({ status: 200, body: runJson(runFor(ctx), ctx.urls) }),

  'actions/list-jobs-for-workflow-run': (ctx) => {
    const run = runFor(ctx);
    const jobs = jobsJson(run, ctx.urls);
    const page = paginate(ctx, jobs);
    return { status: 200, body: { total_count: jobs.length, jobs: page.items }, headers: page.headers };
  },

  'actions/cancel-workflow-run': (ctx) => {
    repoFor(ctx, 'write');
    const run = runFor(ctx);
    if (run.status === 'completed') throw ghError(409, 'Cannot cancel a workflow run that is completed.');
    run.outcome = 'cancelled';
    ctx.state.advanceRun(run, 'completed');
    return { status: 202, body: {} };
  },
};
