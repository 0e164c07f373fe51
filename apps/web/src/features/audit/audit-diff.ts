// What an audit entry changed, field by field: the before and after documents flattened to dotted
// paths (`properties.lifecycle`, `relations.system`) and compared. Arrays are compared whole.

export interface FieldChange {
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before: unknown;
  after: unknown;
}

// Every write bumps these; the entry's own time and actor already say it.
const BOOKKEEPING = new Set(['updatedAt', 'updatedBy', 'createdAt', 'createdBy']);

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function flatten(value: unknown, prefix: string, out: Map<string, unknown>): void {
  if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (prefix === '' && BOOKKEEPING.has(k)) continue;
      flatten(v, prefix ? `${prefix}.${k}` : k, out);
    }
    return;
  }
  if (prefix !== '') out.set(prefix, value);
}

/** A stable JSON form, so `{a,b}` and `{b,a}` compare equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isPlainObject(value)) return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  return JSON.stringify(value) ?? 'undefined';
}

/** No value: absent, null, [] and {} all mean "nothing here" (`relations: {}` then `relations.system: "Cart"` is one added field). */
const isEmpty = (v: unknown) => v === null || v === undefined || (Array.isArray(v) && v.length === 0) || (isPlainObject(v) && Object.keys(v).length === 0);

/** Changed fields in document order (after's keys first, then what was removed). */
export function diffFields(before: unknown, after: unknown): FieldChange[] {
  const a = new Map<string, unknown>();
  const b = new Map<string, unknown>();
  flatten(before ?? {}, '', a);
  flatten(after ?? {}, '', b);
  const present = (m: Map<string, unknown>, k: string) => m.has(k) && !isEmpty(m.get(k));
  const changes: FieldChange[] = [];
  const paths = [...b.keys(), ...[...a.keys()].filter((k) => !b.has(k))];
  for (const path of paths) {
    const was = present(a, path);
    const is = present(b, path);
    if (!was && !is) continue;
    if (was && is && canonical(a.get(path)) === canonical(b.get(path))) continue;
    changes.push({ path, kind: !was ? 'added' : !is ? 'removed' : 'changed', before: was ? a.get(path) : null, after: is ? b.get(path) : null });
  }
  return changes;
}

/** A value as it reads in a diff cell: strings as they are, everything else as JSON. */
export function formatDiffValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, 2);
}
