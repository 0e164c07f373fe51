import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
const run = async (...args: string[]) => {
  try {
    const { stdout, stderr } = await promisify(execFile)('npx', ['--no-install', 'portolan', ...args], { cwd: root });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
};

// Through the installed bin, as a CI pipeline runs it: `npx portolan validate <files>`.
describe('npx portolan validate', () => {
  it('passes the example corpus (following its Locations) with exit code 0', async () => {
    const r = await run('validate', 'catalog-examples/backstage/all.yaml');
    expect(r.stderr.split('\n').filter((l) => l && !l.startsWith('npm warn'))).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('0 errors, 0 warnings in 3 file(s): 8 entities, 0 blueprints, 1 teams, 1 users');
  }, 60_000);

  it('fails with file:line:column messages and exit code 1', async () => {
    const r = await run('validate', 'catalog-examples/backstage/invalid/missing-owner.yaml', 'catalog-examples/backstage/invalid/wrong-lifecycle.yaml');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('catalog-examples/backstage/invalid/missing-owner.yaml:5:1: error: spec.owner is required for kind Component');
    expect(r.stdout).toMatch(/catalog-examples\/backstage\/invalid\/wrong-lifecycle\.yaml:7:\d+: error: component:default\/odd-lifecycle: properties\.lifecycle must be one of: experimental, production, deprecated/);
  }, 60_000);

  it('speaks JSON for CI annotations, and exits 2 on bad usage', async () => {
    const r = await run('validate', '--format', 'json', 'catalog-examples/backstage/invalid/bad-name.yaml');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toMatchObject({ file: 'catalog-examples/backstage/invalid/bad-name.yaml', line: 4, severity: 'error' });
    expect((await run('validate')).code).toBe(2);
    expect((await run('frobnicate')).code).toBe(2);
  }, 60_000);
});
