import type { GitHubService } from '../github/github.service.ts';
import { parseRepoFileUrl, type CatalogReader } from './catalog-reader.ts';

/** Reads catalog files through our GitHub module (GitHub.com or Enterprise Server). */
export class GitHubCatalogReader implements CatalogReader {
  constructor(private readonly github: GitHubService) {}

  async read(url: string): Promise<string | undefined> {
    const f = parseRepoFileUrl(url);
    if (!f) return undefined;
    return this.github.readFile(f.owner, f.repo, f.path, f.ref);
  }
}
