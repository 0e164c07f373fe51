import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { diffFields } from '../../src/features/audit/audit-diff.ts';
import { AuditDiff } from '../../src/features/audit/components/audit-diff.tsx';
import { parseAuditFilters, toAuditQuery } from '../../src/features/audit/audit-filters.ts';
import { EntityHistory } from '../../src/features/entities/components/entity-history.tsx';
import { entity } from './fixtures.ts';
import { renderAt, stubFetch } from './render.tsx';

const before = entity({
  identifier: 'CartService',
  title: 'Cart Service',
  team: ['cart-team'],
  properties: { language: 'TypeScript', lifecycle: 'production', tags: ['a', 'b'] },
  relations: {},
});
const after = {
  ...before,
  title: 'Cart',
  properties: { language: 'Kotlin', lifecycle: 'production', tags: ['a', 'b'], owner: 'mo' },
  relations: { system: 'Cart' },
  updatedAt: '2026-03-01T00:00:00.000Z',
  updatedBy: 'user:mo@example.org',
};

describe('audit diff', () => {
  it('lists changed, added and removed fields by dotted path, not the bookkeeping every write bumps', () => {
    expect(diffFields(before, after)).toEqual([
      { path: 'title', kind: 'changed', before: 'Cart Service', after: 'Cart' },
      { path: 'properties.language', kind: 'changed', before: 'TypeScript', after: 'Kotlin' },
      { path: 'properties.owner', kind: 'added', before: null, after: 'mo' },
      { path: 'relations.system', kind: 'added', before: null, after: 'Cart' },
    ]);
    expect(diffFields(after, { ...after, properties: { ...after.properties, owner: null } })).toEqual([
      { path: 'properties.owner', kind: 'removed', before: 'mo', after: null },
    ]);
  });

  it('treats a create as every field added and a delete as every field removed; key order and empty values do not count', () => {
    expect(diffFields(null, { a: 1, b: { c: 2 }, d: [] }).map((c) => `${c.kind} ${c.path}`)).toEqual(['added a', 'added b.c']);
    expect(diffFields({ a: 1 }, null).map((c) => `${c.kind} ${c.path}`)).toEqual(['removed a']);
    expect(diffFields({ x: { p: 1, q: [1, { r: 2, s: 3 }] } }, { x: { q: [1, { s: 3, r: 2 }], p: 1 } })).toEqual([]);
  });

  it('renders one row per changed field with before and after, and the full documents on request', () => {
    renderAt('/', [{ path: '/', element: <AuditDiff entry={{ before, after }} /> }]);
    const table = screen.getByRole('table', { name: 'Changed fields' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.getAttribute('data-field'))).toEqual(['title', 'properties.language', 'properties.owner', 'relations.system']);
    const language = rows[1]!;
    expect(language.getAttribute('data-kind')).toBe('changed');
    expect(within(language).getAllByRole('cell').map((c) => c.textContent)).toEqual(['properties.languagechanged', 'TypeScript', 'Kotlin']);
    expect(within(rows[2]!).getAllByRole('cell')[1]!.textContent).toBe('—');

    expect(screen.queryByTestId('audit-after')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Show full JSON' }));
    expect(JSON.parse(screen.getByTestId('audit-after').textContent!)).toEqual(after);
    expect(JSON.parse(screen.getByTestId('audit-before').textContent!)).toEqual(before);
  });

  it("an entity's history asks for that entity's entries and shows who changed what", async () => {
    const calls = stubFetch((call) => call.url.includes('cursor=3') ? [200, { ok: true, entries: [
      { id: '1', at: '2025-12-01T10:00:00.000Z', actor: 'portolan:system', requestId: null, action: 'create', resourceType: 'entity', resourceId: 'CartService', blueprint: 'Component', before: null, after: before },
    ], next: null }] : [
      200,
      {
        ok: true,
        entries: [
          { id: '7', at: '2026-03-01T10:00:00.000Z', actor: 'user:mo@example.org', requestId: 'r1', action: 'update', resourceType: 'entity', resourceId: 'CartService', blueprint: 'Component', before, after },
          { id: '3', at: '2026-01-01T10:00:00.000Z', actor: 'client:ci-bot', requestId: null, action: 'create', resourceType: 'entity', resourceId: 'CartService', blueprint: 'Component', before: null, after: before },
        ],
        next: '3',
      },
    ]);
    renderAt('/', [{ path: '/', element: <EntityHistory blueprint="Component" identifier="CartService" /> }]);
    const items = await screen.findAllByRole('listitem');
    const url = new URL(calls[0]!.url, 'http://x');
    expect(url.pathname).toBe('/v1/audit-log');
    expect(Object.fromEntries(url.searchParams)).toEqual({ resourceType: 'entity', blueprint: 'Component', resourceId: 'CartService', limit: '20' });
    expect(items).toHaveLength(2);
    expect(items[0]!.textContent).toContain('mo@example.org');
    expect(items[0]!.textContent).toContain('changed');
    expect(items[1]!.textContent).toContain('client:ci-bot');
    expect(items[1]!.textContent).toContain('created');

    // Keyset paging: the next page starts below the last id seen.
    fireEvent.click(screen.getByRole('button', { name: 'Load older changes' }));
    await waitFor(() => expect(screen.getAllByRole('listitem')).toHaveLength(3));
    expect(new URL(calls.at(-1)!.url, 'http://x').searchParams.get('cursor')).toBe('3');
    expect(screen.queryByRole('button', { name: 'Load older changes' })).toBeNull();
  });
});

describe('audit filters', () => {
  it('read from the URL and become the server query; the last day is included', () => {
    const f = parseAuditFilters(new URLSearchParams('type=entity&actor=user%3Amo%40example.org&action=update&from=2026-03-01&to=2026-03-02'));
    expect(f).toEqual({ resourceType: 'entity', actor: 'user:mo@example.org', action: 'update', from: '2026-03-01', to: '2026-03-02' });
    const q = toAuditQuery(f);
    expect(q).toMatchObject({ resourceType: 'entity', actor: 'user:mo@example.org', action: 'update' });
    expect(new Date(q.to!).getTime() - new Date(q.from!).getTime()).toBe(2 * 24 * 3600_000);
    expect(toAuditQuery(parseAuditFilters(new URLSearchParams('from=yesterday')))).toEqual({});
  });
});
