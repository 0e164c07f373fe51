import { Loader, UnstyledButton } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef, type MouseEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import type { Blueprint, Entity } from '@portolan/contract';
import { paths } from '../../../lib/paths.ts';
import { chipStyle } from '../../entities/components/enum-colors.ts';
import { formatDate, isEmptyValue, PropertyValue, safeHref } from '../../entities/components/property-value.tsx';
import { relationColumnName, type ColumnDef, type SortState } from '../view-state.ts';

export const ROW_HEIGHT = 44;
/** How many rows before the end of the loaded ones the next page is asked for. */
const FETCH_AHEAD_ROWS = 150;

// Cells are plain elements with CSS classes (not component-library components, not router <Link>s,
// not one component per cell): while scrolling, a dozen rows mount every frame, and this keeps each
// frame short. In-app links are plain anchors marked data-spa; one click handler on the table opens
// them (and rows) through the router, as <Link> would.

// An empty value renders nothing: its cell shows a dash from CSS (.pt-empty), one element less.
const empty = null;

function relationCell(blueprint: string | undefined, value: unknown) {
  const ids = Array.isArray(value) ? (value as string[]) : typeof value === 'string' ? [value] : [];
  if (ids.length === 0 || !blueprint) return empty;
  return (
    <span className="pt-cell-text">
      {ids.slice(0, 3).map((id, i) => (
        <span key={id}>
          {i > 0 && ', '}
          <a className="pt-link" href={paths.entity(blueprint, id)} data-spa="">{id}</a>
        </span>
      ))}
      {ids.length > 3 && <span className="pt-dim"> +{ids.length - 3}</span>}
    </span>
  );
}

/** One cell's content. Called as a function, not mounted as a component: it holds no state. */
export function cellValue(column: ColumnDef, entity: Entity, blueprint: Blueprint) {
  switch (column.id) {
    case '$title':
      return (
        <a className="pt-link pt-title-link" href={paths.entity(entity.blueprint, entity.identifier)} data-spa="">
          {entity.title || entity.identifier}
        </a>
      );
    case '$identifier':
      return <span className="pt-cell-text" style={{ fontFamily: 'var(--mantine-font-family-monospace)' }}>{entity.identifier}</span>;
    case '$team':
      return entity.team.length === 0 ? empty : <span className="pt-cell-text">{entity.team.map((t) => <span key={t} className="pt-chip-outline">{t}</span>)}</span>;
    case '$updatedAt':
      return <span className="pt-cell-text" title={entity.updatedAt}>{formatDate(entity.updatedAt)}</span>;
  }
  const relation = relationColumnName(column.id);
  if (relation !== null) return relationCell(blueprint.relations[relation]?.target, entity.relations[relation]);
  const value = entity.properties[column.id];
  const p = column.property;
  if (isEmptyValue(value)) return empty;
  if (p?.enum && (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')) {
    return <span className="pt-chip" style={chipStyle(p, value)}>{String(value)}</span>;
  }
  if (typeof value === 'string' && (!p?.format || p.format === 'user' || p.format === 'team') && !p?.spec) {
    return <span className="pt-cell-text">{value}</span>;
  }
  if (typeof value === 'string' && p?.format === 'url') {
    const href = safeHref(value);
    if (href) {
      return (
        <a className="pt-link" href={href} target="_blank" rel="noopener noreferrer">
          {value.replace(/^https?:\/\//, '')}
        </a>
      );
    }
  }
  return <PropertyValue value={value} property={p} compact />;
}

interface RowProps {
  entity: Entity;
  index: number;
  start: number;
  columns: ColumnDef[];
  blueprint: Blueprint;
}

/**
 * Memoized: rows already on screen do not re-render as the list scrolls. Layout comes from the
 * .pt-vrow class and the table's --pt-columns; only the offset is set per row.
 */
const Row = memo(function Row({ entity, index, start, columns, blueprint }: RowProps) {
  return (
    <div role="row" aria-rowindex={index + 2} data-index={index} className="pt-table-row pt-vrow" style={{ transform: `translateY(${start}px)` }}>
      {columns.map((c) => {
        const content = cellValue(c, entity, blueprint);
        return (
          <div key={c.id} role="cell" className={content === empty ? 'pt-cell pt-empty' : 'pt-cell'}>
            {content}
          </div>
        );
      })}
    </div>
  );
});

/** The header row; memoized so that it does not re-render on every scroll frame. */
const HeaderRow = memo(function HeaderRow({ columns, sort, onSort }: { columns: ColumnDef[]; sort: SortState | null; onSort: (column: string) => void }) {
  return (
    <div role="row" style={{ display: 'grid', gridTemplateColumns: 'var(--pt-columns)', height: 40 }}>
      {columns.map((c) => {
        const sorted = sort?.column === c.id ? sort.order : null;
        return (
          <div key={c.id} role="columnheader" className="pt-header-cell" aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}>
            {c.sortProperty ? (
              <UnstyledButton className="pt-header-sort" onClick={() => onSort(c.id)} fw={600} fz="sm" aria-label={`Sort by ${c.label}`} title={`Sort by ${c.label}`}>
                {c.label} <span aria-hidden="true" style={{ opacity: sorted ? 1 : 0.25 }}>{sorted === 'desc' ? '▼' : '▲'}</span>
              </UnstyledButton>
            ) : (
              c.label
            )}
          </div>
        );
      })}
    </div>
  );
});

export interface EntityTableProps {
  blueprint: Blueprint;
  columns: ColumnDef[];
  rows: Entity[];
  total: number | undefined;
  sort: SortState | null;
  onSort: (column: string) => void;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => void;
  height?: number | string;
}

/** Server-paged rows, virtualized: only the rows on screen are in the DOM, whatever the count. */
export function EntityTable(props: EntityTableProps) {
  const { blueprint, columns, rows, sort, onSort, hasNextPage, isFetchingNextPage, fetchNextPage } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const navigate = useNavigate();
  // The latest props for the click handler and the header's sort buttons, whose identity stays put
  // (a new function would re-render the memoized header on every scroll frame).
  const latest = useRef({ rows, onSort });
  latest.current = { rows, onSort };
  const sortBy = useRef((column: string) => latest.current.onSort(column)).current;

  /** Clicks anywhere in the rows: in-app links and rows open through the router, like <Link>. */
  const onClick = (e: MouseEvent<HTMLDivElement>) => {
    const plain = e.button === 0 && !e.metaKey && !e.altKey && !e.ctrlKey && !e.shiftKey;
    const link = (e.target as Element).closest('a');
    if (link) {
      // Modified clicks (new tab…) and external links are the browser's.
      if (plain && link.hasAttribute('data-spa') && !e.defaultPrevented) {
        e.preventDefault();
        navigate(link.getAttribute('href')!);
      }
      return;
    }
    const index = (e.target as Element).closest('[role=row][data-index]')?.getAttribute('data-index');
    const entity = index == null ? undefined : latest.current.rows[Number(index)];
    if (entity) navigate(paths.entity(entity.blueprint, entity.identifier));
  };
  const virtualizer = useVirtualizer({
    count: rows.length + (hasNextPage ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    // Rows beyond the screen on each side; each rendered row costs every frame's style and paint.
    overscan: 4,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length > 0 ? items[items.length - 1]!.index : -1;

  useEffect(() => {
    // Ask for the next page well ahead of the end (a fast scroll passes a dozen rows per frame), so
    // scrolling rarely meets the loader row and then a whole screen of rows mounting at once.
    if (hasNextPage && !isFetchingNextPage && lastIndex >= rows.length - FETCH_AHEAD_ROWS) fetchNextPage();
  }, [lastIndex, rows.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  const template = columns.map((c) => (c.id === '$title' ? 'minmax(220px, 2fr)' : 'minmax(120px, 1fr)')).join(' ');
  const minWidth = columns.length * 130 + 100;

  return (
    <div
      ref={scrollRef}
      data-testid="entity-table-scroll"
      style={{ height: props.height ?? 'calc(100vh - 230px)', minHeight: 320, overflow: 'auto', border: '1px solid var(--mantine-color-gray-3)', borderRadius: 8, background: 'white', contain: 'strict' }}
    >
      <div role="table" aria-label={`${blueprint.title} entities`} aria-rowcount={props.total ?? -1} style={{ minWidth, ['--pt-columns' as string]: template }}>
        <div role="rowgroup" style={{ position: 'sticky', top: 0, zIndex: 2, background: 'var(--mantine-color-gray-0)', borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
          <HeaderRow columns={columns} sort={sort} onSort={sortBy} />
        </div>
        <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative' }} onClick={onClick}>
          {items.map((item) => {
            const entity = rows[item.index];
            if (!entity) {
              return (
                <div key="loader" role="row" style={{ position: 'absolute', top: 0, left: 0, width: '100%', height: item.size, transform: `translateY(${item.start}px)` }}>
                  <div role="cell" className="pt-cell" style={{ justifyContent: 'center', height: '100%' }}>
                    <Loader size="xs" aria-label="Loading more entities" />
                  </div>
                </div>
              );
            }
            return <Row key={entity.identifier} entity={entity} index={item.index} start={item.start} columns={columns} blueprint={blueprint} />;
          })}
        </div>
      </div>
    </div>
  );
}
