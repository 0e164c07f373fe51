/**
 * A content-addressed git object store: blobs, trees and commits are serialised exactly as git
 * does, so their SHA-1s equal what `git hash-object` / `git write-tree` / `git commit-tree` give.
 */
import { createHash } from 'node:crypto';

export type GitObjectType = 'blob' | 'tree' | 'commit';

export interface TreeEntry {
  /** A single path component. */
  name: string;
  /** git mode as GitHub shows it: 100644, 100755, 040000, 160000, 120000 */
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  sha: string;
}

export interface GitIdentity {
  name: string;
  email: string;
  /** ISO-8601 date, as the API takes and shows it. */
  date: string;
}

export interface CommitData {
  tree: string;
  parents: string[];
  author: GitIdentity;
  committer: GitIdentity;
  message: string;
}

export type GitObject =
  | { type: 'blob'; sha: string; content: Buffer }
  | { type: 'tree'; sha: string; entries: TreeEntry[] }
  | { type: 'commit'; sha: string; data: CommitData };

export function hashObject(type: GitObjectType, body: Buffer): string {
  return createHash('sha1')
    .update(Buffer.from(`${type} ${body.length}\0`))
    .update(body)
    .digest('hex');
}

/** git orders tree entries by name, comparing a sub-tree's name as if it ended with '/'. */
export function sortTreeEntries(entries: TreeEntry[]): TreeEntry[] {
  const key = (e: TreeEntry) => Buffer.from(e.type === 'tree' ? `${e.name}/` : e.name);
  return [...entries].sort((a, b) => Buffer.compare(key(a), key(b)));
}

export function serialiseTree(entries: TreeEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of sortTreeEntries(entries)) {
    // git writes directory modes without the leading zero ("40000").
    const mode = e.mode.replace(/^0+/, '');
    parts.push(Buffer.from(`${mode} ${e.name}\0`), Buffer.from(e.sha, 'hex'));
  }
  return Buffer.concat(parts);
}

/** "2026-01-01T10:00:00+02:00" → "1767254400 +0200" */
export function gitDate(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`invalid date ${iso}`);
  const m = /([+-])(\d{2}):?(\d{2})$/.exec(iso);
  const tz = m ? `${m[1]}${m[2]}${m[3]}` : '+0000';
  return `${Math.floor(ms / 1000)} ${tz}`;
}

export function serialiseCommit(c: CommitData): Buffer {
  const lines = [`tree ${c.tree}`];
  for (const p of c.parents) lines.push(`parent ${p}`);
  lines.push(`author ${c.author.name} <${c.author.email}> ${gitDate(c.author.date)}`);
  lines.push(`committer ${c.committer.name} <${c.committer.email}> ${gitDate(c.committer.date)}`);
  return Buffer.from(`${lines.join('\n')}\n\n${c.message}`);
}

export class GitStore {
  readonly objects = new Map<string, GitObject>();

  writeBlob(content: Buffer): string {
    const sha = hashObject('blob', content);
    if (!this.objects.has(sha)) this.objects.set(sha, { type: 'blob', sha, content });
    return sha;
  }

  writeTree(entries: TreeEntry[]): string {
    const sorted = sortTreeEntries(entries);
    const sha = hashObject('tree', serialiseTree(sorted));
    if (!this.objects.has(sha)) this.objects.set(sha, { type: 'tree', sha, entries: sorted });
    return sha;
  }

  writeCommit(data: CommitData): string {
    const sha = hashObject('commit', serialiseCommit(data));
    if (!this.objects.has(sha)) this.objects.set(sha, { type: 'commit', sha, data });
    return sha;
  }

  get(sha: string): GitObject | undefined {
    return this.objects.get(sha.toLowerCase());
  }

  blob(sha: string) {
    const o = this.get(sha);
    return o?.type === 'blob' ? o : undefined;
  }
  tree(sha: string) {
    const o = this.get(sha);
    return o?.type === 'tree' ? o : undefined;
  }
  commit(sha: string) {
    const o = this.get(sha);
    return o?.type === 'commit' ? o : undefined;
  }

  /** Every file under a tree, as path → entry (recursively). */
  walk(treeSha: string, prefix = ''): { path: string; entry: TreeEntry }[] {
    const tree = this.tree(treeSha);
    if (!tree) return [];
    const out: { path: string; entry: TreeEntry }[] = [];
    for (const e of tree.entries) {
      const path = prefix ? `${prefix}/${e.name}` : e.name;
      out.push({ path, entry: e });
      if (e.type === 'tree') out.push(...this.walk(e.sha, path));
    }
    return out;
  }

  /** The entry at a slash-separated path in a tree, or undefined. '' is the tree itself. */
  lookup(treeSha: string, path: string): TreeEntry | undefined {
    const parts = path.split('/').filter((p) => p !== '');
    let cur: TreeEntry = { name: '', mode: '040000', type: 'tree', sha: treeSha };
    for (const part of parts) {
      if (cur.type !== 'tree') return undefined;
      const t = this.tree(cur.sha);
      const next = t?.entries.find((e) => e.name === part);
      if (!next) return undefined;
      cur = next;
    }
    return cur;
  }

  /**
   * Applies path-level edits to a (possibly absent) base tree, building sub-trees for paths with
   * slashes, as POST /git/trees does with base_tree. `sha: null` deletes a path.
   */
  applyEdits(baseTree: string | undefined, edits: { path: string; mode: string; type: TreeEntry['type']; sha: string | null }[]): string {
    const root = new Map<string, TreeEntry>();
    if (baseTree) for (const e of this.tree(baseTree)?.entries ?? []) root.set(e.name, e);
    type Node = { entries: Map<string, TreeEntry>; children: Map<string, Node> };
    const rootNode: Node = { entries: root, children: new Map() };
    const load = (sha: string | undefined): Map<string, TreeEntry> => {
      const m = new Map<string, TreeEntry>();
      if (sha) for (const e of this.tree(sha)?.entries ?? []) m.set(e.name, e);
      return m;
    };
    for (const edit of edits) {
      const parts = edit.path.split('/').filter((p) => p !== '');
      let node = rootNode;
      for (const dir of parts.slice(0, -1)) {
        let child = node.children.get(dir);
        if (!child) {
          const existing = node.entries.get(dir);
          child = { entries: load(existing?.type === 'tree' ? existing.sha : undefined), children: new Map() };
          node.children.set(dir, child);
        }
        node = child;
      }
      const name = parts[parts.length - 1]!;
      node.children.delete(name);
      if (edit.sha === null) node.entries.delete(name);
      else node.entries.set(name, { name, mode: edit.mode, type: edit.type, sha: edit.sha });
    }
    const build = (node: Node): string | null => {
      for (const [name, child] of node.children) {
        const sha = build(child);
        if (sha === null) node.entries.delete(name);
        else node.entries.set(name, { name, mode: '040000', type: 'tree', sha });
      }
      // Like git, a directory left empty disappears (the root tree may be empty).
      if (node !== rootNode && node.entries.size === 0) return null;
      return this.writeTree([...node.entries.values()]);
    };
    return build(rootNode)!;
  }

  /** Is `ancestor` reachable from `descendant` (or equal)? */
  isAncestor(ancestor: string, descendant: string): boolean {
    const seen = new Set<string>();
    const queue = [descendant];
    while (queue.length) {
      const sha = queue.pop()!;
      if (sha === ancestor) return true;
      if (seen.has(sha)) continue;
      seen.add(sha);
      const c = this.commit(sha);
      if (c) queue.push(...c.data.parents);
    }
    return false;
  }
}
