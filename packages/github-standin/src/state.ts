/**
 * The stand-in's state: accounts, teams, repositories (each with a real git object store and
 * refs), workflows and workflow runs. Tests read it and seed it through `gh.state`.
 */
import { parse as parseYaml } from 'yaml';
import { GitStore, type GitIdentity } from './git.ts';

export const isoNow = (ms = Date.now()) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export type RunStatus = 'queued' | 'in_progress' | 'completed';
export type RunConclusion = 'success' | 'failure' | 'cancelled' | 'skipped' | 'neutral' | 'timed_out' | 'action_required' | 'startup_failure';

export interface Account {
  id: number;
  node_id: string;
  login: string;
  type: 'User' | 'Organization';
  name: string | null;
  email: string | null;
  description: string | null;
  created_at: string;
  updated_at: string;
}

export interface Team {
  id: number;
  node_id: string;
  org: string;
  slug: string;
  name: string;
  description: string | null;
  privacy: 'closed' | 'secret';
  /** repo full_name (lower case) → permission */
  repos: Map<string, string>;
  created_at: string;
}

export interface WorkflowInput {
  name: string;
  type: string;
  required: boolean;
  default?: string | boolean | number;
  options?: string[];
}

export interface WorkflowDef {
  id: number;
  path: string;
  name: string;
  runName: string | undefined;
  dispatchable: boolean;
  inputs: WorkflowInput[];
  jobs: { key: string; name: string; steps: string[] }[];
  created_at: string;
}

export interface Job {
  id: number;
  name: string;
  steps: string[];
}

export interface Run {
  id: number;
  node_id: string;
  repo: Repo;
  workflowId: number;
  workflowPath: string;
  workflowName: string;
  display_title: string;
  run_number: number;
  event: string;
  status: RunStatus;
  conclusion: RunConclusion | null;
  head_branch: string;
  head_sha: string;
  actor: Account;
  inputs: Record<string, string>;
  created_at: string;
  updated_at: string;
  run_started_at: string;
  started_at: string | null;
  completed_at: string | null;
  /** The conclusion the run will reach when it completes. */
  outcome: RunConclusion;
  jobs: Job[];
  /** Late appearance: the run is missing from run lists until both are past. */
  hiddenPolls: number;
  hiddenUntil: number;
  lastChange: number;
}

export interface Repo {
  id: number;
  node_id: string;
  owner: Account;
  name: string;
  description: string | null;
  homepage: string | null;
  private: boolean;
  visibility: 'public' | 'private' | 'internal';
  default_branch: string;
  topics: string[];
  has_issues: boolean;
  has_projects: boolean;
  has_wiki: boolean;
  has_discussions: boolean;
  is_template: boolean;
  archived: boolean;
  allow_squash_merge: boolean;
  allow_merge_commit: boolean;
  allow_rebase_merge: boolean;
  allow_auto_merge: boolean;
  delete_branch_on_merge: boolean;
  custom_properties: Record<string, unknown>;
  created_at: string;
  updated_at: string;
  pushed_at: string | null;
  git: GitStore;
  /** 'refs/heads/main' → commit sha */
  refs: Map<string, string>;
  workflowIds: Map<string, number>;
  /** workflow path → conclusion its runs reach (default success) */
  workflowOutcomes: Map<string, RunConclusion>;
  runs: Run[];
}

export interface CommitFilesInput {
  branch?: string;
  message?: string;
  /** path → content (string: utf-8) or null to delete */
  files: Record<string, string | Buffer | null>;
  author?: Partial<GitIdentity>;
}

let nodeCounter = 0;
const nodeId = (prefix: string, id: number) => `${prefix}_kgDO${Buffer.from(`${id}:${++nodeCounter}`).toString('base64url')}`;

export class StandinState {
  readonly accounts = new Map<string, Account>();
  readonly teams = new Map<string, Team>();
  readonly repos = new Map<string, Repo>();
  private nextId = 1000;
  private nextRunId = 10_000_000_000; // above 2^32: catches int32 assumptions
  private nextJobId = 30_000_000_000;
  /** Applied to each new run (see gh.faults.lateRuns). */
  lateRuns: { polls: number; ms: number } = { polls: 0, ms: 0 };

  private id() {
    return ++this.nextId;
  }

  account(login: string): Account | undefined {
    return this.accounts.get(login.toLowerCase());
  }

  private addAccount(login: string, type: Account['type'], extra: Partial<Account>): Account {
    const existing = this.account(login);
    if (existing) return existing;
    const id = this.id();
    const now = isoNow();
    const a: Account = {
      id,
      node_id: nodeId(type === 'User' ? 'U' : 'O', id),
      login,
      type,
      name: null,
      email: null,
      description: null,
      created_at: now,
      updated_at: now,
      ...extra,
    };
    this.accounts.set(login.toLowerCase(), a);
    return a;
  }

  addUser(login: string, extra: Partial<Pick<Account, 'name' | 'email'>> = {}): Account {
    return this.addAccount(login, 'User', extra);
  }

  addOrg(login: string, extra: Partial<Pick<Account, 'name' | 'email' | 'description'>> = {}): Account {
    return this.addAccount(login, 'Organization', extra);
  }

  addTeam(org: string, slug: string, extra: Partial<Pick<Team, 'name' | 'description' | 'privacy'>> = {}): Team {
    const o = this.account(org);
    if (!o || o.type !== 'Organization') throw new Error(`no organization ${org}`);
    const key = `${org}/${slug}`.toLowerCase();
    const existing = this.teams.get(key);
    if (existing) return existing;
    const id = this.id();
    const t: Team = { id, node_id: nodeId('T', id), org: o.login, slug, name: extra.name ?? slug, description: extra.description ?? null, privacy: extra.privacy ?? 'closed', repos: new Map(), created_at: isoNow() };
    this.teams.set(key, t);
    return t;
  }

  team(org: string, slug: string): Team | undefined {
    return this.teams.get(`${org}/${slug}`.toLowerCase());
  }

  repo(owner: string, name: string): Repo | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  /** Creates a repository. With auto_init it gets one commit with a README, as GitHub does. */
  createRepo(
    owner: string,
    name: string,
    opts: Partial<Pick<Repo, 'description' | 'homepage' | 'private' | 'visibility' | 'has_issues' | 'has_projects' | 'has_wiki' | 'has_discussions' | 'is_template' | 'default_branch' | 'allow_squash_merge' | 'allow_merge_commit' | 'allow_rebase_merge' | 'allow_auto_merge' | 'delete_branch_on_merge' | 'custom_properties'>> & { auto_init?: boolean } = {},
  ): Repo {
    const o = this.account(owner);
    if (!o) throw new Error(`no account ${owner}`);
    if (this.repo(owner, name)) throw new Error(`repository ${owner}/${name} exists`);
    const id = this.id();
    const now = isoNow();
    const visibility = opts.visibility ?? (opts.private ? 'private' : 'public');
    const r: Repo = {
      id,
      node_id: nodeId('R', id),
      owner: o,
      name,
      description: opts.description ?? null,
      homepage: opts.homepage ?? null,
      private: visibility !== 'public',
      visibility,
      default_branch: opts.default_branch ?? 'main',
      topics: [],
      has_issues: opts.has_issues ?? true,
      has_projects: opts.has_projects ?? true,
      has_wiki: opts.has_wiki ?? true,
      has_discussions: opts.has_discussions ?? false,
      is_template: opts.is_template ?? false,
      archived: false,
      allow_squash_merge: opts.allow_squash_merge ?? true,
      allow_merge_commit: opts.allow_merge_commit ?? true,
      allow_rebase_merge: opts.allow_rebase_merge ?? true,
      allow_auto_merge: opts.allow_auto_merge ?? false,
      delete_branch_on_merge: opts.delete_branch_on_merge ?? false,
      custom_properties: opts.custom_properties ?? {},
      created_at: now,
      updated_at: now,
      pushed_at: now,
      git: new GitStore(),
      refs: new Map(),
      workflowIds: new Map(),
      workflowOutcomes: new Map(),
      runs: [],
    };
    this.repos.set(`${owner}/${name}`.toLowerCase(), r);
    if (opts.auto_init) {
      const body = r.description ? `# ${name}\n${r.description}\n` : `# ${name}\n`;
      this.commitFiles(r, { message: 'Initial commit', files: { 'README.md': body } });
    }
    return r;
  }

  renameRepo(r: Repo, newName: string) {
    this.repos.delete(`${r.owner.login}/${r.name}`.toLowerCase());
    r.name = newName;
    this.repos.set(`${r.owner.login}/${r.name}`.toLowerCase(), r);
  }

  deleteRepo(r: Repo) {
    this.repos.delete(`${r.owner.login}/${r.name}`.toLowerCase());
    for (const t of this.teams.values()) t.repos.delete(`${r.owner.login}/${r.name}`.toLowerCase());
  }

  /** Seeds a commit (like a push) on a branch: path → content, null deletes. Returns the commit sha. */
  commitFiles(repoOrName: Repo | string, input: CommitFilesInput): string {
    const r = typeof repoOrName === 'string' ? this.mustRepo(repoOrName) : repoOrName;
    const branch = input.branch ?? r.default_branch;
    const parent = r.refs.get(`refs/heads/${branch}`);
    const baseTree = parent ? r.git.commit(parent)?.data.tree : undefined;
    const edits = Object.entries(input.files).map(([path, content]) => ({
      path,
      mode: '100644',
      type: 'blob' as const,
      sha: content === null ? null : r.git.writeBlob(Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8')),
    }));
    const tree = r.git.applyEdits(baseTree, edits);
    const date = isoNow();
    const who = { name: input.author?.name ?? 'Portolan Stand-in', email: input.author?.email ?? 'standin@example.com', date: input.author?.date ?? date };
    const sha = r.git.writeCommit({ tree, parents: parent ? [parent] : [], author: who, committer: who, message: input.message ?? 'Update files' });
    r.refs.set(`refs/heads/${branch}`, sha);
    r.pushed_at = date;
    return sha;
  }

  private mustRepo(fullName: string): Repo {
    const [o, n] = fullName.split('/');
    const r = o && n ? this.repo(o, n) : undefined;
    if (!r) throw new Error(`no repository ${fullName}`);
    return r;
  }

  /** Resolves a branch, tag, full ref or commit sha to a commit sha. */
  resolveCommit(r: Repo, ref: string | undefined): string | undefined {
    const name = ref ?? r.default_branch;
    for (const candidate of [name, `refs/heads/${name}`, `refs/tags/${name}`]) {
      const sha = r.refs.get(candidate);
      if (sha) return sha;
    }
    if (/^[0-9a-f]{40}$/i.test(name) && r.git.commit(name)) return name.toLowerCase();
    return undefined;
  }

  /** All files at a ref, as path → utf-8 text. */
  files(fullName: string, ref?: string): Record<string, string> {
    const r = this.mustRepo(fullName);
    const sha = this.resolveCommit(r, ref);
    if (!sha) return {};
    const tree = r.git.commit(sha)!.data.tree;
    const out: Record<string, string> = {};
    for (const { path, entry } of r.git.walk(tree)) {
      if (entry.type === 'blob') out[path] = r.git.blob(entry.sha)!.content.toString('utf8');
    }
    return out;
  }

  /** Workflows declared on the default branch under .github/workflows. */
  workflows(r: Repo): WorkflowDef[] {
    return this.workflowsAt(r, undefined);
  }

  workflowsAt(r: Repo, ref: string | undefined): WorkflowDef[] {
    const sha = this.resolveCommit(r, ref);
    if (!sha) return [];
    const tree = r.git.commit(sha)!.data.tree;
    const dir = r.git.lookup(tree, '.github/workflows');
    if (!dir || dir.type !== 'tree') return [];
    const out: WorkflowDef[] = [];
    for (const e of r.git.tree(dir.sha)!.entries) {
      if (e.type !== 'blob' || !/\.ya?ml$/.test(e.name)) continue;
      const path = `.github/workflows/${e.name}`;
      let id = r.workflowIds.get(path);
      if (id === undefined) {
        id = this.id();
        r.workflowIds.set(path, id);
      }
      out.push(parseWorkflow(id, path, r.git.blob(e.sha)!.content.toString('utf8'), r.created_at));
    }
    return out;
  }

  setWorkflowOutcome(fullName: string, workflowFile: string, conclusion: RunConclusion) {
    const r = this.mustRepo(fullName);
    const path = workflowFile.includes('/') ? workflowFile : `.github/workflows/${workflowFile}`;
    r.workflowOutcomes.set(path, conclusion);
  }

  createRun(r: Repo, wf: WorkflowDef, input: { branch: string; sha: string; actor: Account; inputs: Record<string, string> }): Run {
    const id = this.nextRunId++;
    const now = Date.now();
    const ctx = { inputs: input.inputs, actor: input.actor.login, ref_name: input.branch, workflow: wf.name };
    const run: Run = {
      id,
      node_id: nodeId('WFR', id),
      repo: r,
      workflowId: wf.id,
      workflowPath: wf.path,
      workflowName: wf.name,
      display_title: wf.runName !== undefined ? interpolate(wf.runName, ctx) : wf.name,
      run_number: r.runs.filter((x) => x.workflowId === wf.id).length + 1,
      event: 'workflow_dispatch',
      status: 'queued',
      conclusion: null,
      head_branch: input.branch,
      head_sha: input.sha,
      actor: input.actor,
      inputs: input.inputs,
      created_at: isoNow(now),
      updated_at: isoNow(now),
      run_started_at: isoNow(now),
      started_at: null,
      completed_at: null,
      outcome: r.workflowOutcomes.get(wf.path) ?? 'success',
      jobs: wf.jobs.map((j) => ({ id: this.nextJobId++, name: j.name, steps: j.steps })),
      hiddenPolls: this.lateRuns.polls,
      hiddenUntil: now + this.lateRuns.ms,
      lastChange: now,
    };
    r.runs.push(run);
    return run;
  }

  allRuns(): Run[] {
    return [...this.repos.values()].flatMap((r) => r.runs);
  }

  run(id: number): Run | undefined {
    return this.allRuns().find((r) => r.id === id);
  }

  /** Moves one run a step: queued → in_progress → completed (with its configured outcome). */
  advanceRun(run: Run, to?: RunStatus) {
    const now = Date.now();
    const target: RunStatus = to ?? (run.status === 'queued' ? 'in_progress' : 'completed');
    if (run.status === 'completed') return;
    if (target === 'in_progress' || (target === 'completed' && run.status === 'queued')) {
      run.status = 'in_progress';
      run.started_at = isoNow(now);
    }
    if (target === 'completed') {
      run.status = 'completed';
      run.conclusion = run.outcome;
      run.completed_at = isoNow(now);
    }
    run.updated_at = isoNow(now);
    run.lastChange = now;
  }
}

function interpolate(template: string, ctx: { inputs: Record<string, string>; actor: string; ref_name: string; workflow: string }): string {
  return template.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_m, expr: string) => {
    for (const alt of expr.split('||').map((s) => s.trim())) {
      const lit = /^'(.*)'$/.exec(alt);
      if (lit) return lit[1]!;
      let v: string | undefined;
      const m = /^(?:inputs|github\.event\.inputs)\.([\w-]+)$/.exec(alt);
      if (m) v = ctx.inputs[m[1]!];
      else if (alt === 'github.actor' || alt === 'github.triggering_actor') v = ctx.actor;
      else if (alt === 'github.ref_name') v = ctx.ref_name;
      else if (alt === 'github.ref') v = `refs/heads/${ctx.ref_name}`;
      else if (alt === 'github.event_name') v = 'workflow_dispatch';
      else if (alt === 'github.workflow') v = ctx.workflow;
      if (v !== undefined && v !== '') return v;
    }
    return '';
  });
}

export function parseWorkflow(id: number, path: string, text: string, created_at: string): WorkflowDef {
  let doc: any;
  try {
    doc = parseYaml(text);
  } catch {
    doc = undefined;
  }
  const on = doc?.on ?? doc?.true; // YAML 1.1 readers turn `on` into true
  let dispatch: any;
  let dispatchable = false;
  if (typeof on === 'string') dispatchable = on === 'workflow_dispatch';
  else if (Array.isArray(on)) dispatchable = on.includes('workflow_dispatch');
  else if (on && typeof on === 'object' && 'workflow_dispatch' in on) {
    dispatchable = true;
    dispatch = on.workflow_dispatch;
  }
  const inputs: WorkflowInput[] = Object.entries((dispatch?.inputs ?? {}) as Record<string, any>).map(([name, d]) => ({
    name,
    type: String(d?.type ?? 'string'),
    required: d?.required === true,
    ...(d?.default !== undefined ? { default: d.default } : {}),
    ...(Array.isArray(d?.options) ? { options: d.options.map(String) } : {}),
  }));
  const jobs = Object.entries((doc?.jobs ?? {}) as Record<string, any>).map(([key, j]) => ({
    key,
    name: typeof j?.name === 'string' ? j.name : key,
    steps: ((j?.steps ?? []) as any[]).map((s, i) => (typeof s?.name === 'string' ? s.name : s?.uses ? `Run ${s.uses}` : s?.run ? `Run ${String(s.run).split('\n')[0]}` : `Step ${i + 1}`)),
  }));
  return {
    id,
    path,
    name: typeof doc?.name === 'string' ? doc.name : path,
    runName: typeof doc?.['run-name'] === 'string' ? doc['run-name'] : undefined,
    dispatchable,
    inputs,
    jobs: jobs.length ? jobs : [{ key: 'build', name: 'build', steps: [] }],
    created_at,
  };
}
