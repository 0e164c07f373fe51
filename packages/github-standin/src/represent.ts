/** JSON representations in GitHub's shapes (checked against the OpenAPI slice on every response). */
import type { Account, Repo, Run, Team, WorkflowDef } from './state.ts';
import type { GitObject, TreeEntry } from './git.ts';

export interface Urls {
  /** API root, e.g. http://127.0.0.1:4567 or http://127.0.0.1:4567/api/v3 */
  api: string;
  /** Web root for html_url, e.g. http://127.0.0.1:4567 */
  web: string;
  host: string;
}

export function userJson(a: Account, u: Urls) {
  const url = `${u.api}/users/${a.login}`;
  return {
    login: a.login,
    id: a.id,
    node_id: a.node_id,
    avatar_url: `${u.web}/avatars/${a.login}`,
    gravatar_id: '',
    url,
    html_url: `${u.web}/${a.login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: a.type,
    user_view_type: 'public',
    site_admin: false,
  };
}

export function publicUserJson(a: Account, u: Urls, publicRepos: number) {
  return {
    ...userJson(a, u),
    name: a.name,
    company: null,
    blog: '',
    location: null,
    email: a.email,
    hireable: null,
    bio: null,
    twitter_username: null,
    public_repos: publicRepos,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: a.created_at,
    updated_at: a.updated_at,
  };
}

export function privateUserJson(a: Account, u: Urls, counts: { publicRepos: number; privateRepos: number }) {
  return {
    ...publicUserJson(a, u, counts.publicRepos),
    private_gists: 0,
    total_private_repos: counts.privateRepos,
    owned_private_repos: counts.privateRepos,
    disk_usage: 0,
    collaborators: 0,
    two_factor_authentication: true,
    plan: { collaborators: 0, name: 'pro', space: 976562499, private_repos: 9999 },
  };
}

export function orgJson(a: Account, u: Urls, counts: { publicRepos: number; privateRepos: number }) {
  const url = `${u.api}/orgs/${a.login}`;
  return {
    login: a.login,
    id: a.id,
    node_id: a.node_id,
    url,
    repos_url: `${url}/repos`,
    events_url: `${url}/events`,
    hooks_url: `${url}/hooks`,
    issues_url: `${url}/issues`,
    members_url: `${url}/members{/member}`,
    public_members_url: `${url}/public_members{/member}`,
    avatar_url: `${u.web}/avatars/${a.login}`,
    description: a.description,
    ...(a.name !== null ? { name: a.name } : {}),
    ...(a.email !== null ? { email: a.email } : {}),
    is_verified: false,
    has_organization_projects: true,
    has_repository_projects: true,
    public_repos: counts.publicRepos,
    public_gists: 0,
    followers: 0,
    following: 0,
    html_url: `${u.web}/${a.login}`,
    type: 'Organization',
    total_private_repos: counts.privateRepos,
    owned_private_repos: counts.privateRepos,
    created_at: a.created_at,
    updated_at: a.updated_at,
    archived_at: null,
    default_repository_permission: 'read',
    members_can_create_repositories: true,
  };
}

export function teamJson(t: Team, org: Account, u: Urls, counts: { orgRepos: number; orgPrivate: number }) {
  const url = `${u.api}/organizations/${org.id}/team/${t.id}`;
  return {
    id: t.id,
    node_id: t.node_id,
    url,
    html_url: `${u.web}/orgs/${org.login}/teams/${t.slug}`,
    name: t.name,
    slug: t.slug,
    description: t.description,
    privacy: t.privacy,
    notification_setting: 'notifications_enabled',
    permission: 'pull',
    members_url: `${url}/members{/member}`,
    repositories_url: `${url}/repos`,
    type: 'organization',
    parent: null,
    members_count: 0,
    repos_count: t.repos.size,
    created_at: t.created_at,
    updated_at: t.created_at,
    organization: orgJson(org, u, { publicRepos: counts.orgRepos - counts.orgPrivate, privateRepos: counts.orgPrivate }),
  };
}

function repoUrls(r: Repo, u: Urls) {
  const full = `${r.owner.login}/${r.name}`;
  const url = `${u.api}/repos/${full}`;
  return {
    full_name: full,
    html_url: `${u.web}/${full}`,
    url,
    archive_url: `${url}/{archive_format}{/ref}`,
    assignees_url: `${url}/assignees{/user}`,
    blobs_url: `${url}/git/blobs{/sha}`,
    branches_url: `${url}/branches{/branch}`,
    collaborators_url: `${url}/collaborators{/collaborator}`,
    comments_url: `${url}/comments{/number}`,
    commits_url: `${url}/commits{/sha}`,
    compare_url: `${url}/compare/{base}...{head}`,
    contents_url: `${url}/contents/{+path}`,
    contributors_url: `${url}/contributors`,
    deployments_url: `${url}/deployments`,
    downloads_url: `${url}/downloads`,
    events_url: `${url}/events`,
    forks_url: `${url}/forks`,
    git_commits_url: `${url}/git/commits{/sha}`,
    git_refs_url: `${url}/git/refs{/sha}`,
    git_tags_url: `${url}/git/tags{/sha}`,
    git_url: `git://${u.host}/${full}.git`,
    issue_comment_url: `${url}/issues/comments{/number}`,
    issue_events_url: `${url}/issues/events{/number}`,
    issues_url: `${url}/issues{/number}`,
    keys_url: `${url}/keys{/key_id}`,
    labels_url: `${url}/labels{/name}`,
    languages_url: `${url}/languages`,
    merges_url: `${url}/merges`,
    milestones_url: `${url}/milestones{/number}`,
    notifications_url: `${url}/notifications{?since,all,participating}`,
    pulls_url: `${url}/pulls{/number}`,
    releases_url: `${url}/releases{/id}`,
    ssh_url: `git@${u.host}:${full}.git`,
    stargazers_url: `${url}/stargazers`,
    statuses_url: `${url}/statuses/{sha}`,
    subscribers_url: `${url}/subscribers`,
    subscription_url: `${url}/subscription`,
    tags_url: `${url}/tags`,
    teams_url: `${url}/teams`,
    trees_url: `${url}/git/trees{/sha}`,
    clone_url: `${u.web}/${full}.git`,
    mirror_url: null,
    hooks_url: `${url}/hooks`,
    svn_url: `${u.web}/${full}`,
  };
}

export function repoSize(r: Repo): number {
  let bytes = 0;
  for (const o of r.git.objects.values()) if (o.type === 'blob') bytes += o.content.length;
  return Math.ceil(bytes / 1024);
}

const permissions = { admin: true, maintain: true, push: true, triage: true, pull: true };

export function minimalRepoJson(r: Repo, u: Urls) {
  const urls = repoUrls(r, u);
  return {
    id: r.id,
    node_id: r.node_id,
    name: r.name,
    ...urls,
    owner: userJson(r.owner, u),
    private: r.private,
    description: r.description,
    fork: false,
    homepage: r.homepage,
    language: null,
    forks_count: 0,
    stargazers_count: 0,
    watchers_count: 0,
    size: repoSize(r),
    default_branch: r.default_branch,
    open_issues_count: 0,
    is_template: r.is_template,
    topics: r.topics,
    has_issues: r.has_issues,
    has_projects: r.has_projects,
    has_wiki: r.has_wiki,
    has_pages: false,
    has_discussions: r.has_discussions,
    archived: r.archived,
    disabled: false,
    visibility: r.visibility,
    pushed_at: r.pushed_at,
    created_at: r.created_at,
    updated_at: r.updated_at,
    permissions,
    license: null,
    forks: 0,
    open_issues: 0,
    watchers: 0,
  };
}

export function fullRepoJson(r: Repo, u: Urls) {
  return {
    ...minimalRepoJson(r, u),
    has_downloads: true,
    allow_rebase_merge: r.allow_rebase_merge,
    allow_squash_merge: r.allow_squash_merge,
    allow_merge_commit: r.allow_merge_commit,
    allow_auto_merge: r.allow_auto_merge,
    delete_branch_on_merge: r.delete_branch_on_merge,
    allow_update_branch: false,
    use_squash_pr_title_as_default: false,
    squash_merge_commit_title: 'COMMIT_OR_PR_TITLE',
    squash_merge_commit_message: 'COMMIT_MESSAGES',
    merge_commit_title: 'MERGE_MESSAGE',
    merge_commit_message: 'PR_TITLE',
    allow_forking: true,
    web_commit_signoff_required: false,
    network_count: 0,
    subscribers_count: 0,
    custom_properties: r.custom_properties,
    ...(r.owner.type === 'Organization' ? { organization: userJson(r.owner, u) } : {}),
  };
}

export function blobJson(r: Repo, sha: string, content: Buffer, u: Urls) {
  return {
    sha,
    node_id: `B_${sha.slice(0, 20)}`,
    size: content.length,
    url: `${u.api}/repos/${r.owner.login}/${r.name}/git/blobs/${sha}`,
    content: base64Lines(content),
    encoding: 'base64',
  };
}

/** GitHub wraps base64 content at 60 characters per line. */
export function base64Lines(content: Buffer): string {
  const b64 = content.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 60) lines.push(b64.slice(i, i + 60));
  return lines.map((l) => `${l}\n`).join('');
}

export function treeEntryJson(r: Repo, path: string, e: TreeEntry, u: Urls) {
  const base = `${u.api}/repos/${r.owner.login}/${r.name}/git`;
  const out: Record<string, unknown> = { path, mode: e.mode, type: e.type, sha: e.sha };
  if (e.type === 'blob') {
    out.size = r.git.blob(e.sha)?.content.length ?? 0;
    out.url = `${base}/blobs/${e.sha}`;
  } else if (e.type === 'tree') out.url = `${base}/trees/${e.sha}`;
  return out;
}

export function commitJson(r: Repo, obj: Extract<GitObject, { type: 'commit' }>, u: Urls) {
  const base = `${u.api}/repos/${r.owner.login}/${r.name}/git`;
  const web = `${u.web}/${r.owner.login}/${r.name}`;
  const c = obj.data;
  return {
    sha: obj.sha,
    node_id: `C_${obj.sha.slice(0, 20)}`,
    url: `${base}/commits/${obj.sha}`,
    html_url: `${web}/commit/${obj.sha}`,
    author: { name: c.author.name, email: c.author.email, date: c.author.date },
    committer: { name: c.committer.name, email: c.committer.email, date: c.committer.date },
    tree: { sha: c.tree, url: `${base}/trees/${c.tree}` },
    message: c.message,
    parents: c.parents.map((p) => ({ sha: p, url: `${base}/commits/${p}`, html_url: `${web}/commit/${p}` })),
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
  };
}

export function refJson(r: Repo, ref: string, sha: string, u: Urls) {
  const base = `${u.api}/repos/${r.owner.login}/${r.name}/git`;
  const type = r.git.get(sha)?.type ?? 'commit';
  return {
    ref,
    node_id: `REF_${Buffer.from(`${r.id}:${ref}`).toString('base64url')}`,
    url: `${base}/${ref}`,
    object: { type, sha, url: `${base}/${type}s/${sha}` },
  };
}

export function workflowJson(r: Repo, wf: WorkflowDef, u: Urls) {
  const full = `${r.owner.login}/${r.name}`;
  return {
    id: wf.id,
    node_id: `W_${Buffer.from(String(wf.id)).toString('base64url')}`,
    name: wf.name,
    path: wf.path,
    state: 'active',
    created_at: wf.created_at,
    updated_at: wf.created_at,
    url: `${u.api}/repos/${full}/actions/workflows/${wf.id}`,
    html_url: `${u.web}/${full}/blob/${r.default_branch}/${wf.path}`,
    badge_url: `${u.web}/${full}/workflows/${encodeURIComponent(wf.name)}/badge.svg`,
  };
}

export function runJson(run: Run, u: Urls) {
  const r = run.repo;
  const full = `${r.owner.login}/${r.name}`;
  const url = `${u.api}/repos/${full}/actions/runs/${run.id}`;
  const commit = r.git.commit(run.head_sha);
  const head_commit = commit
    ? {
        id: commit.sha,
        tree_id: commit.data.tree,
        message: commit.data.message,
        timestamp: commit.data.committer.date,
        author: { name: commit.data.author.name, email: commit.data.author.email },
        committer: { name: commit.data.committer.name, email: commit.data.committer.email },
      }
    : null;
  return {
    id: run.id,
    name: run.workflowName,
    node_id: run.node_id,
    head_branch: run.head_branch,
    head_sha: run.head_sha,
    path: run.workflowPath,
    display_title: run.display_title,
    run_number: run.run_number,
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    workflow_id: run.workflowId,
    check_suite_id: run.id + 1,
    check_suite_node_id: `CS_${run.id}`,
    url,
    html_url: `${u.web}/${full}/actions/runs/${run.id}`,
    pull_requests: [],
    created_at: run.created_at,
    updated_at: run.updated_at,
    actor: userJson(run.actor, u),
    triggering_actor: userJson(run.actor, u),
    run_attempt: 1,
    referenced_workflows: [],
    run_started_at: run.run_started_at,
    jobs_url: `${url}/jobs`,
    logs_url: `${url}/logs`,
    check_suite_url: `${u.api}/repos/${full}/check-suites/${run.id + 1}`,
    artifacts_url: `${url}/artifacts`,
    cancel_url: `${url}/cancel`,
    rerun_url: `${url}/rerun`,
    previous_attempt_url: null,
    workflow_url: `${u.api}/repos/${full}/actions/workflows/${run.workflowId}`,
    head_commit,
    repository: minimalRepoJson(r, u),
    head_repository: minimalRepoJson(r, u),
  };
}

export function jobsJson(run: Run, u: Urls) {
  const r = run.repo;
  const full = `${r.owner.login}/${r.name}`;
  return run.jobs.map((job) => {
    const status = run.status;
    const steps = job.steps.map((name, i) => {
      const last = i === job.steps.length - 1;
      let stepStatus: 'queued' | 'in_progress' | 'completed' = 'queued';
      let conclusion: string | null = null;
      if (status === 'in_progress') stepStatus = i === 0 ? 'in_progress' : 'queued';
      if (status === 'completed') {
        stepStatus = 'completed';
        conclusion = run.conclusion === 'success' ? 'success' : last ? run.conclusion : run.conclusion === 'cancelled' ? 'cancelled' : 'success';
      }
      return {
        name,
        status: stepStatus,
        conclusion,
        number: i + 1,
        started_at: stepStatus === 'queued' ? null : run.started_at,
        completed_at: stepStatus === 'completed' ? run.completed_at : null,
      };
    });
    return {
      id: job.id,
      run_id: run.id,
      run_url: `${u.api}/repos/${full}/actions/runs/${run.id}`,
      run_attempt: 1,
      node_id: `J_${job.id}`,
      head_sha: run.head_sha,
      url: `${u.api}/repos/${full}/actions/jobs/${job.id}`,
      html_url: `${u.web}/${full}/actions/runs/${run.id}/job/${job.id}`,
      status,
      conclusion: run.conclusion,
      created_at: run.created_at,
      started_at: run.started_at ?? run.created_at,
      completed_at: run.completed_at,
      name: job.name,
      steps,
      check_run_url: `${u.api}/repos/${full}/check-runs/${job.id}`,
      labels: ['ubuntu-latest'],
      runner_id: status === 'queued' ? null : 1,
      runner_name: status === 'queued' ? null : 'GitHub Actions 1',
      runner_group_id: status === 'queued' ? null : 1,
      runner_group_name: status === 'queued' ? null : 'GitHub Actions',
      workflow_name: run.workflowName,
      head_branch: run.head_branch,
    };
  });
}
