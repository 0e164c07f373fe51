import { readCatalogFiles, type CatalogFile, type CatalogFileSet } from './catalog-files.ts';
import type { FileProblem } from './yaml-documents.ts';

/** Reads one file by its resolved path or URL; undefined when it does not exist. */
export type ReadFile = (pathOrUrl: string) => Promise<string | undefined>;

/** Resolve a Location target (or substitution) against the file that names it: URLs or paths. */
export function resolveTarget(from: string, target: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) return target;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(from)) return new URL(target, from).toString();
  const base = from.split('/').slice(0, -1);
  for (const part of target.split('/')) {
    if (part === '..') base.pop();
    else if (part !== '.' && part !== '') base.push(part);
  }
  return (target.startsWith('/') ? '/' : from.startsWith('/') ? '/' : '') + base.filter(Boolean).join('/');
}

/**
 * Read catalog files starting from `roots`, following Location entities to the files they point
 * at (each file read once, cycles ignored), and `$text`/`$json`/`$yaml` substitutions.
 */
export async function readWithLocations(roots: string[], read: ReadFile, maxFiles = 1000): Promise<CatalogFileSet & { files: string[] }> {
  const seen = new Set<string>();
  const files: CatalogFile[] = [];
  const problems: FileProblem[] = [];
  let queue = [...roots];
  while (queue.length > 0 && seen.size < maxFiles) {
    const next: string[] = [];
    for (const path of queue) {
      if (seen.has(path)) continue;
      seen.add(path);
      const text = await read(path);
      if (text === undefined) {
        problems.push({ file: path, line: 1, column: 1, message: 'file not found', severity: 'error' });
        continue;
      }
      files.push({ path, text });
      const partial = await readCatalogFiles([{ path, text }]);
      for (const loc of partial.locations) next.push(resolveTarget(path, loc.target));
    }
    queue = next;
  }
  const set = await readCatalogFiles(files, async (from, target) => read(resolveTarget(from, target)));
  // Missing optional targets are fine; missing required ones are errors at the Location's line.
  for (const loc of set.locations) {
    const target = resolveTarget(loc.from, loc.target);
    if (!files.some((f) => f.path === target) && !loc.optional) {
      const i = problems.findIndex((p) => p.file === target && p.message === 'file not found');
      if (i >= 0) problems.splice(i, 1);
      problems.push({ ...loc.source, message: `Location target ${loc.target} was not found`, severity: 'error' });
    } else if (!files.some((f) => f.path === target)) {
      const i = problems.findIndex((p) => p.file === target);
      if (i >= 0) problems.splice(i, 1);
    }
  }
  return { ...set, problems: [...problems, ...set.problems], files: files.map((f) => f.path) };
}
