import { describe, expect, it } from 'vitest';
import { ReadCoalescer } from '../../src/db/read-coalescer.ts';

// The coalescer behind GET one entity: reads asked for in one turn of the event loop share a
// load per group, and every reader gets the answer its own read would have had.

type Row = { key: string; value: { n: number } };

function coalescer(opts: { maxBatch?: number; fail?: (group: string) => boolean } = {}) {
  const loads: { group: string; keys: string[] }[] = [];
  const c = new ReadCoalescer<string, string, Row>({
    keyOf: (k) => k,
    maxBatch: opts.maxBatch ?? 100,
    copy: (row) => structuredClone(row),
    load: async (group, keys) => {
      loads.push({ group, keys });
      if (opts.fail?.(group)) throw new Error(`load of ${group} failed`);
      // Keys starting with "missing" have no row.
      return new Map(keys.filter((k) => !k.startsWith('missing')).map((k) => [k, { key: `${group}/${k}`, value: { n: 1 } }]));
    },
  });
  return { c, loads };
}

describe('ReadCoalescer', () => {
  it('sends a read at once while none is in flight, and gathers the reads asked for meanwhile', async () => {
    const { c, loads } = coalescer();
    const first = c.read('A', 'x');
    expect(loads).toEqual([{ group: 'A', keys: ['x'] }]); // already sent, before the turn ends
    const rest = [c.read('B', 'y'), c.read('A', 'z'), c.read('A', 'missing-1')];
    expect(loads).toHaveLength(1);
    const answers = await Promise.all([first, ...rest]);
    expect(answers.map((a) => a?.key)).toEqual(['A/x', 'B/y', 'A/z', undefined]);
    expect(loads).toEqual([{ group: 'A', keys: ['x'] }, { group: 'B', keys: ['y'] }, { group: 'A', keys: ['z', 'missing-1'] }]);
  });

  it('reads asked for in a later turn, with nothing in flight, go out on their own', async () => {
    const { c, loads } = coalescer();
    expect((await c.read('A', 'x'))?.key).toBe('A/x');
    await new Promise((resolve) => setImmediate(resolve));
    expect((await c.read('A', 'y'))?.key).toBe('A/y');
    expect(loads.map((l) => l.keys)).toEqual([['x'], ['y']]);
  });

  it('reads an equal key once and gives each reader its own copy', async () => {
    const { c, loads } = coalescer();
    const busy = c.read('A', 'busy'); // in flight: the next reads are gathered
    const [a, b] = await Promise.all([c.read('A', 'x'), c.read('A', 'x')]);
    await busy;
    expect(loads).toEqual([{ group: 'A', keys: ['busy'] }, { group: 'A', keys: ['x'] }]);
    expect(a).toEqual(b);
    a!.value.n = 2;
    expect(b!.value.n).toBe(1);
  });

  it('splits a turn larger than maxBatch into several loads', async () => {
    const { c, loads } = coalescer({ maxBatch: 2 });
    const answers = await Promise.all(['busy', 'a', 'b', 'c', 'd', 'e'].map((k) => c.read('A', k)));
    expect(answers.map((a) => a?.key)).toEqual(['A/busy', 'A/a', 'A/b', 'A/c', 'A/d', 'A/e']);
    expect(loads.map((l) => l.keys)).toEqual([['busy'], ['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('a failed load fails its own readers only, and leaves nothing in flight', async () => {
    const { c, loads } = coalescer({ fail: (g) => g === 'bad' });
    const busy = c.read('good', 'busy');
    const [bad, good] = await Promise.allSettled([c.read('bad', 'x'), c.read('good', 'x')]);
    await busy;
    expect(bad).toMatchObject({ status: 'rejected', reason: { message: 'load of bad failed' } });
    expect(good).toMatchObject({ status: 'fulfilled', value: { key: 'good/x' } });
    // Nothing is in flight any more: the next read goes out at once, before the turn ends.
    const next = c.read('good', 'y');
    expect(loads.at(-1)).toEqual({ group: 'good', keys: ['y'] });
    expect((await next)?.key).toBe('good/y');
  });
});
