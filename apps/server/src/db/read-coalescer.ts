/**
 * Answers the single-row reads that arrive together with one statement per group.
 *
 * Under load a server receives many requests in one turn of the event loop; each GET of one entity
 * used to be its own round trip, and PostgreSQL spends several times a lookup's own cost on each
 * statement around it (receiving it, starting the executor, locking the tables and indexes,
 * sending the reply). So while any read is in flight, reads asked for wait for the end of the
 * turn (setImmediate runs after the turn's I/O callbacks) and go out together: one statement per
 * group, for one key or several. A read asked for while none is in flight goes out at once, so
 * an idle server answers as fast as before. The answer of each is what its own statement would
 * have answered then (a statement sees every commit made before it starts, and each read's
 * statement starts after the read was asked for).
 *
 * `group` separates reads that need different statements; `keyOf` identifies a key within its
 * group. Equal keys are read once; each further reader gets its own copy (callers may change
 * what they are given).
 */
export class ReadCoalescer<G, K, R> {
  private pending = new Map<G, Map<string, Waiting<K, R>>>();
  private scheduled = false;
  private inFlight = 0;

  constructor(
    private readonly options: {
      keyOf: (key: K) => string;
      /** The rows of `keys`, by keyOf; a key without a row answers undefined. */
      load: (group: G, keys: K[]) => Promise<Map<string, R>>;
      /** The most keys one statement reads. */
      maxBatch: number;
      copy: (row: R) => R;
    },
  ) {}

  read(group: G, key: K): Promise<R | undefined> {
    if (this.inFlight === 0 && !this.scheduled) {
      return new Promise((resolve, reject) => this.run(group, [{ key, resolvers: [{ resolve, reject }] }]));
    }
    let byKey = this.pending.get(group);
    if (!byKey) {
      byKey = new Map();
      this.pending.set(group, byKey);
    }
    const k = this.options.keyOf(key);
    let waiting = byKey.get(k);
    if (!waiting) {
      waiting = { key, resolvers: [] };
      byKey.set(k, waiting);
    }
    const { resolvers } = waiting;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flush);
    }
    return new Promise((resolve, reject) => resolvers.push({ resolve, reject }));
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    const pending = this.pending;
    this.pending = new Map();
    for (const [group, byKey] of pending) {
      const all = [...byKey.values()];
      for (let i = 0; i < all.length; i += this.options.maxBatch) this.run(group, all.slice(i, i + this.options.maxBatch));
    }
  };

  private run(group: G, batch: Waiting<K, R>[]): void {
    this.inFlight++;
    let loading: Promise<Map<string, R>>;
    try {
      loading = this.options.load(group, batch.map((w) => w.key));
    } catch (error) {
      loading = Promise.reject(error); // fails this batch's readers only, like a failed statement
    }
    loading.finally(() => this.inFlight--).then(
      (rows) => {
        for (const w of batch) {
          const row = rows.get(this.options.keyOf(w.key));
          w.resolvers.forEach((r, i) => r.resolve(i === 0 || row === undefined ? row : this.options.copy(row)));
        }
      },
      (error: unknown) => {
        for (const w of batch) for (const r of w.resolvers) r.reject(error);
      },
    );
  }
}

interface Waiting<K, R> {
  key: K;
  resolvers: { resolve: (row: R | undefined) => void; reject: (error: unknown) => void }[];
}
