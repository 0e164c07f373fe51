/**
 * Where catalog files are read from. Location URLs are file URLs in a repository
 * (https://github.com/<owner>/<repo>/blob/<ref>/<path>); relative Location targets and
 * $text substitutions resolve against them.
 */
export interface CatalogReader {
  /** The file's text, or undefined when it does not exist (a deleted file is not an error). */
  read(url: string): Promise<string | undefined>;
}

export interface RepoFileUrl {
  host: string;
  owner: string;
  repo: string;
  ref: string;
  path: string;
}

/** Parse https://<host>/<owner>/<repo>/blob/<ref>/<path> (the URL people copy from GitHub). */
export function parseRepoFileUrl(url: string): RepoFileUrl | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
  const m = /^\/([^/]+)\/([^/]+)\/(?:blob|tree)\/([^/]+)\/(.+)$/.exec(decodeURIComponent(u.pathname));
  if (!m) return null;
  return { host: u.host, owner: m[1]!, repo: m[2]!, ref: m[3]!, path: m[4]! };
}

export function repoFileUrl(webUrl: string, f: Omit<RepoFileUrl, 'host'>): string {
  return `${webUrl.replace(/\/+$/, '')}/${f.owner}/${f.repo}/blob/${f.ref}/${f.path}`;
}
