import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { checkCatalog, formatProblem, readCatalogFiles, readWithLocations, type FileProblem } from '@portolan/catalog-files';
import { blueprintInputSchema, type BlueprintDefinition } from '@portolan/contract';

const BUILT_IN_MODEL = path.resolve(import.meta.dirname, '../../../catalog-examples/blueprints');

interface Io {
  out(line: string): void;
  err(line: string): void;
}

export async function validateCommand(args: string[], io: Io): Promise<number> {
  const files: string[] = [];
  let blueprintsDir = BUILT_IN_MODEL;
  let server: string | undefined;
  let token: string | undefined;
  let follow = true;
  let format: 'text' | 'json' = 'text';
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    try {
      if (a === '--blueprints') blueprintsDir = path.resolve(value());
      else if (a === '--server') server = value();
      else if (a === '--token') token = value();
      else if (a === '--no-follow') follow = false;
      else if (a === '--format') {
        const f = value();
        if (f !== 'text' && f !== 'json') throw new UsageError('--format is text or json');
        format = f;
      } else if (a.startsWith('--')) throw new UsageError(`unknown option ${a}`);
      else files.push(path.resolve(a));
    } catch (e) {
      io.err(`portolan validate: ${(e as Error).message}`);
      return 2;
    }
  }
  if (files.length === 0) {
    io.err('portolan validate: name at least one file');
    return 2;
  }

  let model: BlueprintDefinition[];
  try {
    model = server ? await blueprintsFromServer(server, token) : await blueprintsFromDir(blueprintsDir);
  } catch (e) {
    io.err(`portolan validate: could not load the blueprints: ${(e as Error).message}`);
    return 2;
  }

  const read = (p: string) => readFile(p, 'utf8').catch(() => undefined);
  const set = follow
    ? await readWithLocations(files, read)
    : await readCatalogFiles(
        await Promise.all(files.map(async (p) => ({ path: p, text: (await read(p)) ?? '' }))),
        async (from, target) => read(path.resolve(path.dirname(from), target)),
      );
  const problems: FileProblem[] = [...set.problems, ...checkCatalog(set, model)].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  const errors = problems.filter((p) => p.severity === 'error').length;
  const rel = (p: FileProblem) => ({ ...p, file: path.relative(process.cwd(), p.file) || p.file });
  if (format === 'json') {
    io.out(JSON.stringify({ ok: errors === 0, entities: set.entities.length, blueprints: set.blueprints.length, problems: problems.map(rel) }, null, 2));
  } else {
    for (const p of problems) io.out(formatProblem(rel(p)));
    io.out(`${errors} error${errors === 1 ? '' : 's'}, ${problems.length - errors} warning${problems.length - errors === 1 ? '' : 's'} in ${'files' in set ? (set as { files: string[] }).files.length : files.length} file(s): ${set.entities.length} entities, ${set.blueprints.length} blueprints, ${set.teams.length} teams, ${set.users.length} users`);
  }
  return errors === 0 ? 0 : 1;
}

class UsageError extends Error {}

async function blueprintsFromDir(dir: string): Promise<BlueprintDefinition[]> {
  const names = (await readdir(dir)).filter((f) => f.endsWith('.json'));
  return Promise.all(names.map(async (f) => blueprintInputSchema.parse(JSON.parse(await readFile(path.join(dir, f), 'utf8')))));
}

async function blueprintsFromServer(url: string, token: string | undefined): Promise<BlueprintDefinition[]> {
  const res = await fetch(new URL('/v1/blueprints', url), { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  const body = (await res.json()) as { blueprints: unknown[] };
  return body.blueprints.map((b) => blueprintInputSchema.parse(b));
}
