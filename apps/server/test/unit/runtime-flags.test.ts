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

  // Heap sizes are fixed when V8 starts, so this one cannot be set from runtime-flags.ts: it is a
  // command-line flag of each way the server is started, and the benchmark's portal must get it too.
  it('start the server with the same Node flags from npm start, the Dockerfile and the benchmark', () => {
    const start = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
    const fromStart = /node ((?:--[\w-]+=\S+ )*)--import tsx apps\/server\/src\/main\.ts/.exec(start)?.[1]?.trim().split(' ');
    const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(path.join(root, 'Dockerfile'), 'utf8'))?.[1];
    const docker = cmd ? (JSON.parse(cmd) as string[]) : [];
    const fromDocker = docker.slice(1, docker.indexOf('--import'));
    const bench = /const PORTAL_NODE_FLAGS = (\[[^\]]*\]);/.exec(readFileSync(path.join(root, 'bench/catalog.bench.ts'), 'utf8'))?.[1];
    const fromBench = bench ? (JSON.parse(bench.replaceAll("'", '"')) as string[]) : [];
    expect(fromStart).toEqual(['--max-semi-space-size=32']);
    expect(fromDocker).toEqual(fromStart);
    expect(fromBench).toEqual(fromStart);
  });
});
