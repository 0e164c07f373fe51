import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { queueIfDue } from '../scaffolder/task-queue.ts';

// The audit log grows with every write (a bulk load of 1M entities adds about 1.5 GB of before and
// after documents) and nothing else ever deletes from it. With a retention period set, entries
// older than it are deleted by a job in the durable queue, at most once an hour across replicas.

export const AUDIT_PRUNE_JOB = 'audit-prune';
const LAST_SCHEDULED_KEY = 'audit_prune_scheduled_at';

export interface AuditRetentionOptions {
  /** Entries older than this many days are deleted; null: kept forever (the default). */
  retentionDays: number | null;
  /** Least time between two prunes (default one hour). */
  intervalMs?: number;
  /** Rows deleted per statement (default 5,000): short transactions, no long lock on the table. */
  batchSize?: number;
}

export class AuditRetention {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: AuditRetentionOptions,
  ) {}

  /** Queues a prune when one is due (called by the queue's periodic sweep on every replica). */
  async scheduleDuePrune(): Promise<boolean> {
    if (this.options.retentionDays === null) return false;
    return queueIfDue(this.db, { task: AUDIT_PRUNE_JOB, key: 'audit-prune', settingsKey: LAST_SCHEDULED_KEY, intervalMs: this.options.intervalMs ?? 3600_000 });
  }

  /**
   * Deletes the entries older than the retention period, oldest first, in batches (each its own
   * short statement, through the index on `at`), until none is left. Returns how many went.
   */
  async prune(): Promise<number> {
    const days = this.options.retentionDays;
    if (days === null) return 0;
    const batch = this.options.batchSize ?? 5000;
    let deleted = 0;
    for (;;) {
      const { numAffectedRows } = await sql`delete from audit_log where id in (
          select id from audit_log where at < now() - make_interval(days => ${days}::int)
          order by at limit ${batch} for update skip locked)`.execute(this.db);
      const n = Number(numAffectedRows ?? 0);
      deleted += n;
      if (n < batch) return deleted;
    }
  }
}
