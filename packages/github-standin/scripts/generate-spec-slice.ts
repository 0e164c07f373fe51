/**
 * Generates the committed OpenAPI slices in ../spec/ from GitHub's published description
 * (npm `@octokit/openapi`, pinned below). The full package is ~385 MB unpacked (13 MB per
 * description, ten descriptions), far too big to install as a dependency, so we keep only the
 * operations the stand-in serves plus the closure of their `$ref`s.
 *
 *   node --import tsx packages/github-standin/scripts/generate-spec-slice.ts [--from DIR] [--check]
 *
 * Without --from, the script runs `npm pack @octokit/openapi@VERSION` into a temporary folder
 * (the ordinary npm client; needs the npm registry). --from DIR uses an already unpacked
 * `generated/` folder. --check regenerates in memory and fails if the committed slice differs.
 *
 * Prose (`description`, `summary`) and `examples` are dropped: they are not used for validation
 * and are most of the bytes (29% of GitHub's examples fail their own schemas anyway).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OPERATION_IDS } from '../src/operations.ts';

export const OPENAPI_VERSION = '23.0.2';
const FLAVOURS = [
  { file: 'api.github.com.json', out: 'api.github.com.slice.json' },
  { file: 'ghes-3.19.json', out: 'ghes-3.19.slice.json' },
] as const;

const here = dirname(fileURLToPath(import.meta.url));
const specDir = join(here, '..', 'spec');

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

function fetchDescriptions(): { dir: string; cleanup: () => void } {
  const tmp = mkdtempSync(join(tmpdir(), 'octokit-openapi-'));
  execFileSync('npm', ['pack', `@octokit/openapi@${OPENAPI_VERSION}`, '--silent'], { cwd: tmp, stdio: ['ignore', 'pipe', 'inherit'] });
  const tgz = `octokit-openapi-${OPENAPI_VERSION}.tgz`;
  execFileSync('tar', ['xzf', tgz, ...FLAVOURS.map((f) => `package/generated/${f.file}`)], { cwd: tmp });
  return { dir: join(tmp, 'package', 'generated'), cleanup: () => rmSync(tmp, { recursive: true, force: true }) };
}

function resolvePointer(root: Obj, ref: string): Json {
  if (!ref.startsWith('#/')) throw new Error(`external $ref not supported: ${ref}`);
  let cur: Json = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) throw new Error(`bad $ref ${ref}`);
    cur = (cur as Obj)[key] as Json;
    if (cur === undefined) throw new Error(`dangling $ref ${ref}`);
  }
  return cur;
}

/** Deep copy without prose/examples, collecting every `$ref` met. */
function strip(node: Json, refs: Set<string>, parentKey = ''): Json {
  if (Array.isArray(node)) return node.map((n) => strip(n, refs));
  if (node === null || typeof node !== 'object') return node;
  const out: Obj = {};
  for (const [k, v] of Object.entries(node)) {
    const isPropertyMap = parentKey === 'properties';
    if (!isPropertyMap) {
      if ((k === 'description' || k === 'summary') && typeof v === 'string') continue;
      if (k === 'examples' || k === 'example' || k === 'externalDocs') continue;
    }
    if (k === '$ref' && typeof v === 'string') refs.add(v);
    out[k] = strip(v, refs, k);
  }
  return out;
}

export function buildSlice(spec: Obj): Obj {
  const wanted = new Set<string>(OPERATION_IDS);
  const paths: Obj = {};
  const refs = new Set<string>();
  const found = new Set<string>();
  for (const [p, item] of Object.entries(spec.paths as Obj)) {
    const itemObj = item as Obj;
    for (const [method, op] of Object.entries(itemObj)) {
      const opId = (op as Obj | null)?.operationId;
      if (typeof opId !== 'string' || !wanted.has(opId)) continue;
      found.add(opId);
      const pathItem = (paths[p] ??= {}) as Obj;
      pathItem[method] = strip(op, refs);
    }
  }
  const missing = [...wanted].filter((id) => !found.has(id));
  // GHES lacks a few cloud-only operations; that is recorded in the slice, not an error.
  const components: Obj = {};
  const done = new Set<string>();
  const queue = [...refs];
  while (queue.length > 0) {
    const ref = queue.pop()!;
    if (done.has(ref)) continue;
    done.add(ref);
    const m = /^#\/components\/([^/]+)\/(.+)$/.exec(ref);
    if (!m) throw new Error(`unexpected $ref ${ref}`);
    const [, section, name] = m as unknown as [string, string, string];
    const more = new Set<string>();
    const value = strip(resolvePointer(spec, ref), more);
    ((components[section] ??= {}) as Obj)[decodeURIComponent(name).replace(/~1/g, '/').replace(/~0/g, '~')] = value;
    for (const r of more) if (!done.has(r)) queue.push(r);
  }
  // Stable key order so that diffs stay readable.
  const sortObj = (o: Obj): Obj => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k] as Json]));
  for (const k of Object.keys(components)) components[k] = sortObj(components[k] as Obj);
  const info = spec.info as Obj;
  return {
    openapi: spec.openapi as Json,
    info: { title: info.title as Json, version: info.version as Json },
    'x-standin-source': `@octokit/openapi@${OPENAPI_VERSION}`,
    'x-standin-missing-operations': missing,
    paths: sortObj(paths),
    components: sortObj(components),
  };
}

function main(): void {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const fromIdx = args.indexOf('--from');
  let dir: string;
  let cleanup = () => {};
  if (fromIdx >= 0 && args[fromIdx + 1]) dir = args[fromIdx + 1]!;
  else ({ dir, cleanup } = fetchDescriptions());
  let failed = false;
  try {
    for (const f of FLAVOURS) {
      const spec = JSON.parse(readFileSync(join(dir, f.file), 'utf8')) as Obj;
      const text = JSON.stringify(buildSlice(spec), null, 1) + '\n';
      const outPath = join(specDir, f.out);
      if (check) {
        const same = existsSync(outPath) && readFileSync(outPath, 'utf8') === text;
        console.log(`${f.out}: ${same ? 'up to date' : 'DIFFERS'}`);
        if (!same) failed = true;
      } else {
        writeFileSync(outPath, text);
        console.log(`${f.out}: ${(text.length / 1024).toFixed(0)} KiB`);
      }
    }
  } finally {
    cleanup();
  }
  if (failed) process.exit(1);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
