import { describe, expect, it } from 'vitest';
import type { SearchQuery } from '@portolan/contract';
import {
  cycleSort,
  EMPTY_VIEW,
  parseViewState,
  searchBodyNeedsBlueprint,
  serializeViewState,
  toFacetBodies,
  toggleFilter,
  toSearchBody,
  visibleColumns,
} from '../../src/features/catalog/view-state.ts';
import { componentBlueprint as bp } from './fixtures.ts';

describe('catalog view state <-> URL', () => {
  it('reads search, sort, filters and columns from the query string', () => {
    const state = parseViewState(new URLSearchParams('q=cart&sort=lifecycle&order=desc&f.type=service&f.type=library&f.$team=cart-team&cols=type,language'));
    expect(state).toEqual({
      search: 'cart',
      sort: { column: 'lifecycle', order: 'desc' },
      filters: { type: ['service', 'library'], $team: ['cart-team'] },
      columns: ['type', 'language'],
      mine: false,
    });
  });

  it('writes only what differs from the defaults, in a stable order, and reads back the same state', () => {
    expect(serializeViewState(EMPTY_VIEW).toString()).toBe('');
    const state = { search: 'pay', sort: { column: '$title', order: 'asc' as const }, filters: { type: ['service'], lifecycle: ['production', 'deprecated'] }, columns: ['type'], mine: false };
    const qs = serializeViewState(state).toString();
    expect(qs).toBe('q=pay&sort=%24title&f.lifecycle=production&f.lifecycle=deprecated&f.type=service&cols=type');
    expect(parseViewState(new URLSearchParams(qs))).toEqual(state);
  });

  it('keeps values with commas and spaces intact', () => {
    const state = toggleFilter(EMPTY_VIEW, 'language', 'C, C++ & more');
    expect(parseViewState(serializeViewState(state)).filters).toEqual({ language: ['C, C++ & more'] });
  });

  it('toggles filter values and drops a facet with no value left', () => {
    let s = toggleFilter(EMPTY_VIEW, 'type', 'service');
    s = toggleFilter(s, 'type', 'library');
    expect(s.filters.type).toEqual(['service', 'library']);
    s = toggleFilter(toggleFilter(s, 'type', 'service'), 'type', 'library');
    expect(s.filters).toEqual({});
  });

  it('cycles a column sort: ascending, descending, none', () => {
    const a = cycleSort(EMPTY_VIEW, 'language');
    expect(a.sort).toEqual({ column: 'language', order: 'asc' });
    const d = cycleSort(a, 'language');
    expect(d.sort).toEqual({ column: 'language', order: 'desc' });
    expect(cycleSort(d, 'language').sort).toBeNull();
    expect(cycleSort(d, 'type').sort).toEqual({ column: 'type', order: 'asc' });
  });
});

describe('view state -> search and facet requests', () => {
  it('turns filters into a query, free text into search, and the sort column into a sort property', () => {
    const state = parseViewState(new URLSearchParams('q=%20cart%20&sort=$title&order=desc&f.type=service&f.$team=cart-team'));
    expect(toSearchBody(bp, state, 100)).toEqual({
      limit: 100,
      search: 'cart',
      sort: { property: '$title', order: 'desc' },
      query: {
        combinator: 'and',
        rules: [
          { property: 'type', operator: 'in', value: ['service'] },
          { property: '$team', operator: 'containsAny', value: ['cart-team'] },
        ],
      },
    });
  });

  it('does not send a sort the server cannot apply (a relation column)', () => {
    const body = toSearchBody(bp, { ...EMPTY_VIEW, sort: { column: 'relations.system', order: 'asc' } }, 50);
    expect(body).toEqual({ limit: 50 });
  });

  it('counts a selected facet under the other filters only, so its other values stay visible', () => {
    const state = parseViewState(new URLSearchParams('f.type=service&f.lifecycle=production'));
    const bodies = toFacetBodies(bp, state);
    const main = bodies[0]!;
    expect(main.facets).not.toContain('type');
    expect((main.body.query as SearchQuery | undefined)?.rules).toHaveLength(2);
    const typeOnly = bodies.find((b) => b.facets[0] === 'type')!;
    expect(typeOnly.body.properties).toEqual(['type']);
    expect(typeOnly.body.query).toEqual({ combinator: 'and', rules: [{ property: 'lifecycle', operator: 'in', value: ['production'] }] });
  });

  it('shows the title first and drops columns the blueprint no longer has', () => {
    const cols = visibleColumns(bp, { ...EMPTY_VIEW, columns: ['language', 'removedProperty', '$title', 'relations.system'] });
    expect(cols.map((c) => c.id)).toEqual(['$title', 'language', 'relations.system']);
    const defaults = visibleColumns(bp, EMPTY_VIEW).map((c) => c.id);
    expect(defaults).toContain('type');
    expect(defaults).not.toContain('readme');
  });
});

describe("my team's entities", () => {
  it('is kept in the URL and adds a $team rule with my teams to the search and to every facet request', () => {
    const state = parseViewState(new URLSearchParams('mine=1&f.%24team=cart-team'));
    expect(state.mine).toBe(true);
    expect(serializeViewState(state).toString()).toBe('mine=1&f.%24team=cart-team');
    const mineRule = { property: '$team', operator: 'containsAny', value: ['cart-team', 'search-team'] };
    expect(toSearchBody(bp, state, 50, ['cart-team', 'search-team']).query).toEqual({
      combinator: 'and',
      rules: [mineRule, { property: '$team', operator: 'containsAny', value: ['cart-team'] }],
    });
    // The Team facet's own counts leave out its selection but keep "mine".
    const teamFacet = toFacetBodies(bp, state, ['cart-team', 'search-team']).find((b) => b.facets.includes('$team'))!;
    expect(teamFacet.body.query).toEqual({ combinator: 'and', rules: [mineRule] });
  });

  it('without teams (or switched off) adds nothing', () => {
    expect(toSearchBody(bp, { ...EMPTY_VIEW, mine: true }, 50, []).query).toBeUndefined();
    expect(toSearchBody(bp, EMPTY_VIEW, 50, ['cart-team']).query).toBeUndefined();
    expect(serializeViewState(EMPTY_VIEW).has('mine')).toBe(false);
  });
});

describe('the first page asked for before the blueprint is in', () => {
  it('is the same body the page builds when the view has no filters and no sort', () => {
    for (const qs of ['', 'q=cart', 'q=cart&cols=type', 'mine=1']) {
      const state = parseViewState(new URLSearchParams(qs));
      expect(searchBodyNeedsBlueprint(state)).toBe(false);
      expect(toSearchBody(null, state, 200, ['cart-team'])).toEqual(toSearchBody(bp, state, 200, ['cart-team']));
    }
  });

  it('waits for the blueprint when filters or a sort depend on it', () => {
    for (const qs of ['f.type=service', 'sort=language']) {
      const state = parseViewState(new URLSearchParams(qs));
      expect(searchBodyNeedsBlueprint(state)).toBe(true);
      expect(() => toSearchBody(null, state, 200)).toThrow();
    }
  });
});
