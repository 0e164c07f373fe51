import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startGitHubStandin } from '@portolan/github-standin';
import { buildApp } from '../apps/server/src/app.ts';
import { createDatabase } from '../apps/server/src/db/database.ts';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../apps/server/src/db/embedded-postgres.ts';
import { migrateToLatest } from '../apps/server/src/db/migrator.ts';
import { SYSTEM_ACTOR_ID } from '../apps/server/src/modules/request-context.ts';

// npm run bench:scaffolder — publishing skeletons of 5, 50 and 500 files through the real server,
// job queue and @octokit/rest against the GitHub stand-in: the number of GitHub API calls (target:
// the same for every size) and the time from submitting the task to "repository ready" (the
// publish step done). Measured twice: without write spacing (what the stand-in can take) and with
// GitHub's recommended 1 s between mutating requests (what production does).
//
//   BENCH_DATABASE_URL=postgres://…   use this server instead of an embedded PostgreSQL

const SIZES = [5, 50, 500];

function templateFor(files: number) {
  const skeleton: Record<string, string> = {};
  for (let i = 0; i < files; i++) {
    const dir = `src/module-${Math.floor(i / 20)}`;
    skeleton[`skeleton/${dir}/file-${i}.ts`] = `// \${{ values.name }} file ${i}\nexport const value${i} = ${i};\n${'// padding line\n'.repeat(20)}`;
  }
  const yaml = `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: { name: bench-${files} }
spec:
  type: service
  parameters: { required: [name], properties: { name: { type: string } } }
  steps:
    - { id: fetch, action: fetch:template, input: { url: ./skeleton, values: { name: "\${{ parameters.name }}" } } }
    - id: publish
      action: publish:github
      input: { repoUrl: "github.com?owner=bench&repo=\${{ parameters.name }}", topics: [bench], repoVisibility: private }
`;
  return { yaml, files: skeleton };
}

async function main() {
  let embedded: EmbeddedPostgresHandle | null = null;
  let url = process.env.BENCH_DATABASE_URL;
  if (!url) {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'portolan-bench-scaffolder-'));
    embedded = await startEmbeddedPostgres({ dataDir, port: 0, persistent: false });
    url = embedded.connectionString;
  }
  const gh = await startGitHubStandin({ validate: true });
  gh.state.addOrg('bench');
  const { db } = createDatabase({ connectionString: url, maxConnections: 5 });
  await migrateToLatest(db);
  const rows: string[] = [];
  try {
    for (const spacing of [0, 1000]) {
      const app = await buildApp({
        db,
        identity: { secretKey: randomBytes(32), publicUrl: 'http://127.0.0.1' },
        bodyLimit: 50 * 1024 * 1024,
        scaffolder: { connectionString: url, github: { apiUrl: gh.url, auth: { kind: 'token', token: 'ghp_standin' }, minWriteIntervalMs: spacing }, queue: { heartbeatMs: 1000, pollIntervalMs: 1000 } },
      });
      await app.ready();
      await app.services.taskQueue!.start();
      const actor = { id: SYSTEM_ACTOR_ID, requestId: null };
      for (const size of SIZES) {
        const t = templateFor(size);
        await app.services.scaffolder.saveTemplate(t.yaml.replace(`bench-${size}`, `bench-${size}-${spacing}`), t.files, { put: `bench-${size}-${spacing}` }, actor);
        const name = `repo-${size}-${spacing}`;
        const before = gh.requests.length;
        const started = performance.now();
        const task = await app.services.scaffolder.createTask(`bench-${size}-${spacing}`, { name }, actor);
        let ready = 0;
        for (;;) {
          const cur = await app.services.scaffolder.getTask(task.id);
          if (!ready && cur.steps.find((s) => s.id === 'publish')?.status === 'succeeded') ready = performance.now() - started;
          if (cur.status === 'failed') throw new Error(cur.error ?? 'failed');
          if (cur.status === 'completed') break;
          await new Promise((r) => setTimeout(r, 10));
        }
        const calls = gh.requests.slice(before);
        const files = Object.keys(gh.state.files(`bench/${name}`)).length;
        if (files !== size) throw new Error(`expected ${size} files in bench/${name}, found ${files}`);
        const ops = calls.map((c) => c.operationId ?? c.path).join(', ');
        rows.push(`${String(size).padStart(4)} files | write spacing ${String(spacing).padStart(4)} ms | ${String(calls.length).padStart(2)} GitHub API calls | submit → repository ready ${ready.toFixed(0).padStart(5)} ms`);
        if (spacing === 0 && size === SIZES[0]) rows.push(`        calls: ${ops}`);
      }
      await app.close();
    }
    gh.assertNoValidationErrors();
  } finally {
    await db.destroy();
    await gh.close();
    await embedded?.stop();
  }
  console.log('\nScaffolder publish benchmark (GitHub stand-in, real @octokit/rest, graphile-worker queue)\n');
  for (const r of rows) console.log(r);
}

await main();
