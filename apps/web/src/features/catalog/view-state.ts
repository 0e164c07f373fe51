import type { Blueprint, BlueprintProperty, SearchQuery, SearchRule } from '@portolan/contract';
import type { FacetsBody, SearchBody } from '../../lib/contract-types.ts';

// The catalog table's state lives in the URL (shareable, back/forward work). This module is the one
// translation between the query string, the view state and the search/facets request bodies.

export interface SortState {
  column: string;
  order: 'asc' | 'desc';
}

export interface CatalogViewState {
  /** Free text (identifier, title, string properties). */
  search: string;
  sort: SortState | null;
  /** Facet id → selected values, as strings (the URL's alphabet). */
  filters: Record<string, string[]>;
  /** Visible column ids in order; null means the blueprint's defaults. */
  columns: string[] | null;
  /** "My team's entities": only entities owned by one of the signed-in user's teams. */
  mine: boolean;
}

export type ColumnKind = 'meta' | 'property' | 'mirror' | 'relation';

export interface ColumnDef {
  id: string;
  label: string;
  kind: ColumnKind;
  /** What to send as `sort.property`; null when the server cannot sort by it. */
  sortProperty: string | null;
  property?: BlueprintProperty;
}

export interface FacetDef {
  id: string;
  label: string;
  property?: BlueprintProperty;
}

export const EMPTY_VIEW: CatalogViewState = { search: '', sort: null, filters: {}, columns: null, mine: false };

const FILTER_PREFIX = 'f.';
const RELATION_PREFIX = 'relations.';
const WIDE_FORMATS = new Set(['markdown', 'yaml']);

export function parseViewState(params: URLSearchParams): CatalogViewState {
  const filters: Record<string, string[]> = {};
  for (const [key, value] of params) {
    if (!key.startsWith(FILTER_PREFIX) || key.length === FILTER_PREFIX.length) continue;
    const facet = key.slice(FILTER_PREFIX.length);
    const list = (filters[facet] ??= []);
    if (!list.includes(value)) list.push(value);
  }
  const sortColumn = params.get('sort');
  const order = params.get('order') === 'desc' ? 'desc' : 'asc';
  const cols = params.get('cols');
  return {
    search: params.get('q') ?? '',
    sort: sortColumn ? { column: sortColumn, order } : null,
    filters,
    columns: cols === null ? null : cols.split(',').filter(Boolean),
    mine: params.get('mine') === '1',
  };
}

/** Only what differs from the defaults, in a stable order, so equal views have equal URLs. */
export function serializeViewState(state: CatalogViewState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.search.trim()) params.set('q', state.search);
  if (state.mine) params.set('mine', '1');
  if (state.sort) {
    params.set('sort', state.sort.column);
    if (state.sort.order === 'desc') params.set('order', 'desc');
  }
  for (const facet of Object.keys(state.filters).sort()) {
    for (const value of state.filters[facet] ?? []) params.append(FILTER_PREFIX + facet, value);
  }
  if (state.columns) params.set('cols', state.columns.join(','));
  return params;
}

export function toggleFilter(state: CatalogViewState, facet: string, value: string): CatalogViewState {
  const current = state.filters[facet] ?? [];
  const next = current.includes(value) ? current.filter((v) => v !== value) : [...current, value];
  const filters = { ...state.filters };
  if (next.length > 0) filters[facet] = next;
  else delete filters[facet];
  return { ...state, filters };
}

/** Clicking a header: ascending, then descending, then back to the default order. */
export function cycleSort(state: CatalogViewState, column: string): CatalogViewState {
  if (state.sort?.column !== column) return { ...state, sort: { column, order: 'asc' } };
  if (state.sort.order === 'asc') return { ...state, sort: { column, order: 'desc' } };
  return { ...state, sort: null };
}

function isWide(p: BlueprintProperty): boolean {
  return p.type === 'object' || (p.type === 'string' && (WIDE_FORMATS.has(p.format ?? '') || p.spec !== undefined));
}

export function allColumns(blueprint: Blueprint): ColumnDef[] {
  const cols: ColumnDef[] = [
    { id: '$title', label: 'Title', kind: 'meta', sortProperty: '$title' },
    { id: '$identifier', label: 'Identifier', kind: 'meta', sortProperty: '$identifier' },
  ];
  for (const [id, p] of Object.entries(blueprint.schema.properties)) {
    cols.push({ id, label: p.title ?? id, kind: 'property', sortProperty: isWide(p) || p.type === 'array' ? null : id, property: p });
  }
  for (const [id, m] of Object.entries(blueprint.mirrorProperties)) {
    cols.push({ id, label: m.title ?? id, kind: 'mirror', sortProperty: null });
  }
  for (const [id, r] of Object.entries(blueprint.relations)) {
    cols.push({ id: RELATION_PREFIX + id, label: r.title ?? id, kind: 'relation', sortProperty: null });
  }
  cols.push({ id: '$team', label: 'Team', kind: 'meta', sortProperty: null });
  cols.push({ id: '$updatedAt', label: 'Updated', kind: 'meta', sortProperty: '$updatedAt' });
  return cols;
}

/** Defaults: title, every property that fits in a cell, mirrors, one-to-one relations, team. */
export function defaultColumnIds(blueprint: Blueprint): string[] {
  return allColumns(blueprint)
    .filter((c) => {
      if (c.id === '$identifier' || c.id === '$updatedAt') return false;
      if (c.kind === 'property') return !isWide(c.property!);
      if (c.kind === 'relation') return blueprint.relations[c.id.slice(RELATION_PREFIX.length)]?.many === false;
      return true;
    })
    .map((c) => c.id);
}

/** The visible columns; unknown ids (a property since removed) are dropped, the title always leads. */
export function visibleColumns(blueprint: Blueprint, state: CatalogViewState): ColumnDef[] {
  const all = new Map(allColumns(blueprint).map((c) => [c.id, c]));
  const ids = state.columns ?? defaultColumnIds(blueprint);
  const out = ids.map((id) => all.get(id)).filter((c): c is ColumnDef => c !== undefined && c.id !== '$title');
  return [all.get('$title')!, ...out];
}

export function facetDefs(blueprint: Blueprint): FacetDef[] {
  const facets: FacetDef[] = [];
  for (const [id, p] of Object.entries(blueprint.schema.properties)) {
    const plainString = p.type === 'string' && !p.format && !p.spec && !p.enum;
    if (p.enum || p.type === 'boolean' || plainString) facets.push({ id, label: p.title ?? id, property: p });
  }
  facets.push({ id: '$team', label: 'Team' });
  return facets.slice(0, 20);
}

function ruleFor(blueprint: Blueprint, facet: string, values: string[]): SearchRule | null {
  if (values.length === 0) return null;
  if (facet === '$team') return { property: '$team', operator: 'containsAny', value: values };
  const p = blueprint.schema.properties[facet];
  if (p?.type === 'boolean') {
    const bools = [...new Set(values.map((v) => v === 'true'))];
    return bools.length === 1 ? { property: facet, operator: '=', value: bools[0]! } : null;
  }
  if (p?.type === 'number') return { property: facet, operator: 'in', value: values.map(Number).filter((n) => !Number.isNaN(n)) };
  if (p?.type === 'array') return { property: facet, operator: 'containsAny', value: values };
  return { property: facet, operator: 'in', value: values };
}

/**
 * The `{combinator, rules}` query of the active filters; `except` leaves one facet out (for its own
 * counts). `myTeams` are the signed-in user's teams, which "my team's entities" narrows to (it is
 * its own rule, so the Team facet still counts and filters within it).
 */
export function toSearchQuery(blueprint: Blueprint, state: CatalogViewState, except?: string, myTeams: readonly string[] = []): SearchQuery | undefined {
  const rules = Object.entries(state.filters)
    .filter(([facet]) => facet !== except)
    .map(([facet, values]) => ruleFor(blueprint, facet, values))
    .filter((r): r is SearchRule => r !== null);
  if (state.mine && myTeams.length > 0) rules.unshift({ property: '$team', operator: 'containsAny', value: [...myTeams] });
  return rules.length > 0 ? { combinator: 'and', rules } : undefined;
}

/** Filters are typed by the blueprint and sorts map columns to its properties; the rest needs no blueprint. */
export const searchBodyNeedsBlueprint = (state: CatalogViewState): boolean => state.sort !== null || Object.keys(state.filters).length > 0;

/** The search body of a view; `blueprint` may be null when the view does not need it (searchBodyNeedsBlueprint). */
export function toSearchBody(blueprint: Blueprint | null, state: CatalogViewState, limit: number, myTeams: readonly string[] = []): Omit<SearchBody, 'from'> {
  if (!blueprint && searchBodyNeedsBlueprint(state)) throw new Error('This view needs its blueprint to build the search');
  const body: Omit<SearchBody, 'from'> = { limit };
  const query = toSearchQuery(blueprint!, state, undefined, myTeams);
  if (query) body.query = query;
  if (state.search.trim()) body.search = state.search.trim();
  const sortable = state.sort && allColumns(blueprint!).find((c) => c.id === state.sort!.column)?.sortProperty;
  if (state.sort && sortable) body.sort = { property: sortable, order: state.sort.order };
  return body;
}

/**
 * Facet requests: one for every facet without a selection (under the full query, which also gives
 * the total), and one per selected facet under the query without its own filter, so its other values
 * still show their counts and can be added.
 */
export function toFacetBodies(blueprint: Blueprint, state: CatalogViewState, myTeams: readonly string[] = []): { facets: string[]; body: FacetsBody }[] {
  const defs = facetDefs(blueprint);
  const search = state.search.trim() || undefined;
  const active = defs.filter((f) => (state.filters[f.id] ?? []).length > 0).map((f) => f.id);
  const idle = defs.filter((f) => !active.includes(f.id)).map((f) => f.id);
  const bodies: { facets: string[]; body: FacetsBody }[] = [];
  const main: FacetsBody = { properties: idle.length > 0 ? idle : ['$team'], limit: 30 };
  const mainQuery = toSearchQuery(blueprint, state, undefined, myTeams);
  if (mainQuery) main.query = mainQuery;
  if (search) main.search = search;
  bodies.push({ facets: idle, body: main });
  for (const id of active) {
    const body: FacetsBody = { properties: [id], limit: 30 };
    const q = toSearchQuery(blueprint, state, id, myTeams);
    if (q) body.query = q;
    if (search) body.search = search;
    bodies.push({ facets: [id], body });
  }
  return bodies;
}

export function relationColumnName(columnId: string): string | null {
  return columnId.startsWith(RELATION_PREFIX) ? columnId.slice(RELATION_PREFIX.length) : null;
}
