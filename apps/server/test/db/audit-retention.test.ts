import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditRetention } from '../../src/modules/audit/audit-retention.ts';
import { createTestApp, type TestApp } from '../../../../test-support/test-app.ts';

// Audit entries older than PORTOLAN_AUDIT_RETENTION_DAYS are deleted by a job of the durable queue,
// queued at most once per interval whichever replica's sweep gets there first.

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ examples: true, audit: { retentionDays: 30, intervalMs: 200 }, scaffolder: { queue: { sweepIntervalMs: 100, pollIntervalMs: 100 } } });
});
afterAll(async () => t?.close());

/** Moves the audit entries of these entities `days` into the past. */
const age = (identifiers: string[], days: number) =>
  sql`update audit_log set at = now() - make_interval(days => ${days}::int) where resource_type = 'entity' and resource_id = any(${identifiers}::text[])`.execute(t.db);

const auditedIds = async () =>
  (await sql<{ resource_id: string }>`select distinct resource_id from audit_log where resource_type = 'entity'`.execute(t.db)).rows.map((r) => r.resource_id).sort();

describe('audit retention', () => {
  it('deletes entries older than the retention period, in batches, and keeps the rest', async () => {
    const before = await auditedIds();
    expect(before.length).toBeGreaterThan(5);
    const [old1, old2, edge, ...rest] = before;
    await age([old1!, old2!], 31);
    await age([edge!], 29);
    const retention = new AuditRetention(t.db, { retentionDays: 30, batchSize: 1 });
    expect(await retention.prune()).toBeGreaterThanOrEqual(2);
    expect(await auditedIds()).toEqual([edge!, ...rest].sort());
    expect(await retention.prune()).toBe(0);
    // The API no longer answers them, and says how long entries are kept.
    const res = await t.app.inject({ method: 'GET', url: `/v1/audit-log?resourceType=entity&resourceId=${old1}` });
    expect(res.json()).toMatchObject({ entries: [], retentionDays: 30 });
  });

  it('keeps everything without a retention period, and queues no job', async () => {
    const retention = new AuditRetention(t.db, { retentionDays: null });
    const ids = await auditedIds();
    await age([ids[0]!], 5000);
    expect(await retention.scheduleDuePrune()).toBe(false);
    expect(await retention.prune()).toBe(0);
    expect(await auditedIds()).toEqual(ids);
  });

  it('queues a prune at most once per interval across replicas', async () => {
    await sql`delete from settings where key = 'audit_prune_scheduled_at'`.execute(t.db);
    const a = new AuditRetention(t.db, { retentionDays: 30, intervalMs: 60_000 });
    const b = new AuditRetention(t.db, { retentionDays: 30, intervalMs: 60_000 });
    expect(await Promise.all([a.scheduleDuePrune(), b.scheduleDuePrune()])).toEqual(expect.arrayContaining([true, false]));
    expect(await a.scheduleDuePrune()).toBe(false);
    const jobs = await sql<{ n: number }>`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'audit-prune'`.execute(t.db);
    expect(jobs.rows[0]!.n).toBe(1);
  });

  it('runs on its own in the job queue of a server started with a retention period', async () => {
    await sql`delete from settings where key = 'audit_prune_scheduled_at'`.execute(t.db);
    const ids = await auditedIds();
    await age([ids[0]!], 400);
    await t.raw.services.taskQueue!.start();
    let left = ids;
    for (let i = 0; i < 100 && left.includes(ids[0]!); i++) {
      await new Promise((r) => setTimeout(r, 100));
      left = await auditedIds();
    }
    expect(left).toEqual(ids.slice(1));
  }, 30_000);
});
