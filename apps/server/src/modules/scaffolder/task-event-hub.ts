import pg from 'pg';
import { EVENTS_CHANNEL } from './scaffolder.repository.ts';

/**
 * One LISTEN connection per server process. Task events are stored first and announced with
 * pg_notify (see insertEvent), so a browser connected to any replica hears about an event written
 * by any other; subscribers then read the events from the table, in order, after the last id they
 * sent. A lost connection is re-opened; subscribers also re-read on a slow timer, so a
 * notification lost in between only delays a line, never drops it.
 */
export class TaskEventHub {
  private client: pg.Client | null = null;
  private readonly subscribers = new Map<string, Set<() => void>>();
  private closed = false;
  private connecting: Promise<void> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(private readonly connectionString: string | null) {}

  /** Starts listening (idempotent). Without a connection string, subscribers rely on the timer. */
  async start(): Promise<void> {
    if (!this.connectionString || this.closed) return;
    if (this.client) return;
    this.connecting ??= this.connect().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString!, application_name: 'portolan-scaffolder-events' });
    client.on('notification', (msg) => {
      const [taskId] = (msg.payload ?? '').split(':');
      if (taskId) for (const fn of this.subscribers.get(taskId) ?? []) fn();
    });
    const lost = () => {
      if (this.client !== client) return;
      this.client = null;
      client.end().catch(() => {});
      if (!this.closed) {
        this.retryTimer = setTimeout(() => void this.start().catch(() => {}), 1000);
        this.retryTimer.unref();
      }
      // Whatever was missed while disconnected is picked up by re-reading now.
      for (const set of this.subscribers.values()) for (const fn of set) fn();
    };
    client.on('error', lost);
    client.on('end', lost);
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
    } catch (error) {
      client.end().catch(() => {});
      if (!this.closed) {
        this.retryTimer = setTimeout(() => void this.start().catch(() => {}), 1000);
        this.retryTimer.unref();
      }
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
  }

  subscribe(taskId: string, onEvent: () => void): () => void {
    let set = this.subscribers.get(taskId);
    if (!set) this.subscribers.set(taskId, (set = new Set()));
    set.add(onEvent);
    return () => {
      set.delete(onEvent);
      if (set.size === 0) this.subscribers.delete(taskId);
    };
  }

  get listening(): boolean {
    return this.client !== null;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.connecting?.catch(() => {});
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => {});
  }
}
