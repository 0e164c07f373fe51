import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// runtime-flags.ts changes how V8 allocates (allocation-site pretenuring off); it only covers code
// that runs after it, so both processes that serve the API must evaluate it before anything else.
// ES modules evaluate their imports in order, so "first" means the first import statement.
const root = path.resolve(import.meta.dirname, '../../../..');
const firstImport = (file: string) => /^\s*import\s+(?:[^'"]*from\s+)?['"]([^'"]+)['"]/m.exec(readFileSync(path.join(root, file), 'utf8'))?.[1];

describe('V8 settings of the server process', () => {
  it('are the first module the server entry point evaluates', () => {
    expect(firstImport('apps/server/src/main.ts')).toBe('./runtime-flags.ts');
  });

  it('are the first module the benchmark portal evaluates, so it runs as production does', () => {
    expect(firstImport('bench/portal-server.ts')).toBe('../apps/server/src/runtime-flags.ts');
  });
});
