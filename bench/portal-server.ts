// Runs as production does: main.ts's V8 settings first.
import '../apps/server/src/runtime-flags.ts';
import { randomBytes } from 'node:crypto';
import { buildApp } from '../apps/server/src/app.ts';
import { createDatabase } from '../apps/server/src/db/database.ts';
import { SYSTEM_ACTOR_ID } from '../apps/server/src/modules/request-context.ts';

// The portal as it runs in production (same buildApp, pool size 10, no logging), started as a
// child process by catalog.bench.ts. It prints its URL and a bearer token of an admin API client.

const { db } = createDatabase({ connectionString: process.env.DATABASE_URL!, maxConnections: 10 });
const app = await buildApp({ db, identity: { secretKey: randomBytes(32), publicUrl: 'http://127.0.0.1' }, bodyLimit: 50 * 1024 * 1024 });
const secret = randomBytes(24).toString('hex');
await app.services.auth.bootstrap({ adminEmail: 'bench@portolan.invalid', adminClientId: 'bench', adminClientSecret: secret }, { id: SYSTEM_ACTOR_ID, requestId: null });
const { accessToken } = await app.services.auth.issueAccessToken('bench', secret);
const address = await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
process.stdout.write(`${JSON.stringify({ ready: true, url: address, token: accessToken })}\n`);
process.on('SIGTERM', () => void app.close().then(() => db.destroy()).then(() => process.exit(0)));
