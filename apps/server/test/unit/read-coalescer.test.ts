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
  it('loads the reads of one turn together, one load per group, and answers each its own row', async () => {
    const { c, loads } = coalescer();
    const answers = await Promise.all([c.read('A', 'x'), c.read('B', 'y'), c.read('A', 'z'), c.read('A', 'missing-1')]);
    expect(answers.map((a) => a?.key)).toEqual(['A/x', 'B/y', 'A/z', undefined]);
    expect(loads).toEqual([{ group: 'A', keys: ['x', 'z', 'missing-1'] }, { group: 'B', keys: ['y'] }]);
  });

  it('reads asked for in a later turn go in a later load', async () => {
    const { c, loads } = coalescer();
    const first = c.read('A', 'x');
    await new Promise((resolve) => setImmediate(resolve));
    const second = c.read('A', 'y');
    expect((await first)?.key).toBe('A/x');
    expect((await second)?.key).toBe('A/y');
    expect(loads.map((l) => l.keys)).toEqual([['x'], ['y']]);
  });

  it('reads an equal key once and gives each reader its own copy', async () => {
    const { c, loads } = coalescer();
    const [a, b] = await Promise.all([c.read('A', 'x'), c.read('A', 'x')]);
    expect(loads).toEqual([{ group: 'A', keys: ['x'] }]);
    expect(a).toEqual(b);
    a!.value.n = 2;
    expect(b!.value.n).toBe(1);
  });

  it('splits a turn larger than maxBatch into several loads', async () => {
    const { c, loads } = coalescer({ maxBatch: 2 });
    const answers = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((k) => c.read('A', k)));
    expect(answers.map((a) => a?.key)).toEqual(['A/a', 'A/b', 'A/c', 'A/d', 'A/e']);
    expect(loads.map((l) => l.keys)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('a failed load fails its own readers only', async () => {
    const { c } = coalescer({ fail: (g) => g === 'bad' });
    const [bad, good] = await Promise.allSettled([c.read('bad', 'x'), c.read('good', 'x')]);
    expect(bad).toMatchObject({ status: 'rejected', reason: { message: 'load of bad failed' } });
    expect(good).toMatchObject({ status: 'fulfilled', value: { key: 'good/x' } });
  });
});
