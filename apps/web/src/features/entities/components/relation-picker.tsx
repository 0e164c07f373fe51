import { Loader, MultiSelect, Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import type { BlueprintRelation } from '@portolan/contract';
import { useSearchEntities } from '../api/search-entities.ts';

/** Picks related entities by searching the relation's target blueprint as you type. */
export function RelationPicker({ name, relation, value, onChange, error }: { name: string; relation: BlueprintRelation; value: string | string[] | null; onChange: (v: string | string[] | null) => void; error?: string }) {
  const [search, setSearch] = useState('');
  const [term] = useDebouncedValue(search.trim(), 200);
  const results = useSearchEntities(relation.target, { search: term || undefined, limit: 20 });
  const selected = Array.isArray(value) ? value : value ? [value] : [];
  const options = new Map<string, string>();
  for (const id of selected) options.set(id, id);
  for (const e of results.data?.entities ?? []) options.set(e.identifier, e.title && e.title !== e.identifier ? `${e.title} (${e.identifier})` : e.identifier);
  const data = [...options].map(([v, label]) => ({ value: v, label }));
  const common = {
    label: relation.title ?? name,
    description: `${relation.many ? 'One or more' : 'One'} ${relation.target}`,
    withAsterisk: relation.required,
    searchable: true,
    searchValue: search,
    onSearchChange: setSearch,
    data,
    error,
    nothingFoundMessage: results.isFetching ? 'Searching…' : `No ${relation.target} matches`,
    rightSection: results.isFetching ? <Loader size="xs" /> : undefined,
    filter: ({ options: opts }: { options: unknown[] }) => opts as never,
    'data-relation': name,
  };
  return relation.many ? (
    <MultiSelect {...common} value={selected} onChange={(v) => onChange(v)} clearable placeholder={selected.length === 0 ? `Search ${relation.target}` : undefined} />
  ) : (
    <Select {...common} value={selected[0] ?? null} onChange={(v) => onChange(v)} clearable placeholder={`Search ${relation.target}`} />
  );
}
