import { Loader, UnstyledButton } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import type { Blueprint, Entity } from '@portolan/contract';
import { paths } from '../../../lib/paths.ts';
import { chipStyle } from '../../entities/components/enum-colors.ts';
import { formatDate, isEmptyValue, PropertyValue } from '../../entities/components/property-value.tsx';
import { relationColumnName, type ColumnDef, type SortState } from '../view-state.ts';

export const ROW_HEIGHT = 44;

// Cells are plain elements with CSS classes (not component-library components): while scrolling,
// a dozen rows mount every frame, and this keeps each frame short.

const stop = (e: React.MouseEvent) => e.stopPropagation();
const dash = <span className="pt-cell-text pt-dim">—</span>;

function RelationCell({ blueprint, value }: { blueprint: string | undefined; value: unknown }) {
  const ids = Array.isArray(value) ? (value as string[]) : typeof value === 'string' ? [value] : [];
  if (ids.length === 0 || !blueprint) return dash;
  return (
    <span className="pt-cell-text">
      {ids.slice(0, 3).map((id, i) => (
        <span key={id}>
          {i > 0 && ', '}
          <Link className="pt-link" to={paths.entity(blueprint, id)} onClick={stop}>{id}</Link>
        </span>
      ))}
      {ids.length > 3 && <span className="pt-dim"> +{ids.length - 3}</span>}
    </span>
  );
}

export function CellValue({ column, entity, blueprint }: { column: ColumnDef; entity: Entity; blueprint: Blueprint }) {
  switch (column.id) {
    case '$title':
      return (
        <Link className="pt-link" style={{ fontWeight: 500 }} to={paths.entity(entity.blueprint, entity.identifier)} onClick={stop}>
          {entity.title || entity.identifier}
        </Link>
      );
    case '$identifier':
      return <span className="pt-cell-text" style={{ fontFamily: 'var(--mantine-font-family-monospace)' }}>{entity.identifier}</span>;
    case '$team':
      return entity.team.length === 0 ? dash : <span className="pt-cell-text">{entity.team.map((t) => <span key={t} className="pt-chip-outline">{t}</span>)}</span>;
    case '$updatedAt':
      return <span className="pt-cell-text" title={entity.updatedAt}>{formatDate(entity.updatedAt)}</span>;
  }
  const relation = relationColumnName(column.id);
  if (relation !== null) return <RelationCell blueprint={blueprint.relations[relation]?.target} value={entity.relations[relation]} />;
  const value = entity.properties[column.id];
  const p = column.property;
  if (isEmptyValue(value)) return dash;
  if (p?.enum && (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')) {
    return <span className="pt-chip" style={chipStyle(p, value)}>{String(value)}</span>;
  }
  if (typeof value === 'string' && (!p?.format || p.format === 'user' || p.format === 'team') && !p?.spec) {
    return <span className="pt-cell-text">{value}</span>;
  }
  return <PropertyValue value={value} property={p} compact />;
}

interface RowProps {
  entity: Entity;
  index: number;
  start: number;
  columns: ColumnDef[];
  blueprint: Blueprint;
  template: string;
  onOpen: (e: Entity) => void;
}

/** Memoized: rows already on screen do not re-render as the list scrolls. */
const Row = memo(function Row({ entity, index, start, columns, blueprint, template, onOpen }: RowProps) {
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      data-index={index}
      className="pt-table-row"
      onClick={() => onOpen(entity)}
      style={{
        position: 'absolute',
        top: 0,
        left: 0,
        width: '100%',
        height: ROW_HEIGHT,
        transform: `translateY(${start}px)`,
        display: 'grid',
        gridTemplateColumns: template,
        borderBottom: '1px solid var(--mantine-color-gray-2)',
        cursor: 'pointer',
      }}
    >
      {columns.map((c) => (
        <div key={c.id} role="cell" className="pt-cell">
          <CellValue column={c} entity={entity} blueprint={blueprint} />
        </div>
      ))}
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
  const openRef = useRef((e: Entity) => navigate(paths.entity(e.blueprint, e.identifier)));
  openRef.current = (e: Entity) => navigate(paths.entity(e.blueprint, e.identifier));
  const onOpen = useRef((e: Entity) => openRef.current(e)).current;
  const virtualizer = useVirtualizer({
    count: rows.length + (hasNextPage ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length > 0 ? items[items.length - 1]!.index : -1;

  useEffect(() => {
    // Ask for the next page a few screens ahead of the end, so scrolling rarely meets the loader row.
    if (hasNextPage && !isFetchingNextPage && lastIndex >= rows.length - 60) fetchNextPage();
  }, [lastIndex, rows.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  const template = columns.map((c) => (c.id === '$title' ? 'minmax(220px, 2fr)' : 'minmax(120px, 1fr)')).join(' ');
  const minWidth = columns.length * 130 + 100;

  return (
    <div
      ref={scrollRef}
      data-testid="entity-table-scroll"
      style={{ height: props.height ?? 'calc(100vh - 230px)', minHeight: 320, overflow: 'auto', border: '1px solid var(--mantine-color-gray-3)', borderRadius: 8, background: 'white', contain: 'strict' }}
    >
      <div role="table" aria-label={`${blueprint.title} entities`} aria-rowcount={props.total ?? -1} style={{ minWidth }}>
        <div role="rowgroup" style={{ position: 'sticky', top: 0, zIndex: 2, background: 'var(--mantine-color-gray-0)', borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
          <div role="row" style={{ display: 'grid', gridTemplateColumns: template, height: 40 }}>
            {columns.map((c) => {
              const sorted = sort?.column === c.id ? sort.order : null;
              return (
                <div key={c.id} role="columnheader" className="pt-header-cell" aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}>
                  {c.sortProperty ? (
                    <UnstyledButton onClick={() => onSort(c.id)} fw={600} fz="sm" aria-label={`Sort by ${c.label}`} title={`Sort by ${c.label}`}>
                      {c.label} <span aria-hidden="true" style={{ opacity: sorted ? 1 : 0.25 }}>{sorted === 'desc' ? '▼' : '▲'}</span>
                    </UnstyledButton>
                  ) : (
                    c.label
                  )}
                </div>
              );
            })}
          </div>
        </div>
        <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
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
            return <Row key={entity.identifier} entity={entity} index={item.index} start={item.start} columns={columns} blueprint={blueprint} template={template} onOpen={onOpen} />;
          })}
        </div>
      </div>
    </div>
  );
}
