import { Group, Loader, Select, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import type { FieldProps, RegistryFieldsType } from '@rjsf/utils';
import { useState } from 'react';
import { useSearchEntities } from '../../entities/api/search-entities.ts';
import { useTeams } from '../../teams/api/get-teams.ts';

// The ui:field pickers Backstage templates name. Each edits one string value; errors from rjsf's
// validation (rawErrors) are shown on the input itself, as the Mantine theme's own widgets do.

interface PickerFormContext {
  /** Every value of the wizard so far (a picker may show values of earlier pages). */
  values?: Record<string, unknown>;
}

const errorOf = (props: FieldProps) => (props.rawErrors && props.rawErrors.length > 0 ? props.rawErrors.join('; ') : undefined);
const options = (props: FieldProps): Record<string, unknown> => ((props.uiSchema?.['ui:options'] ?? {}) as Record<string, unknown>);
const set = (props: FieldProps, value: string | null) => props.onChange((value || undefined) as never, props.fieldPathId.path);

/** A team from GET /v1/teams. */
export function OwnerPicker(props: FieldProps) {
  const teams = useTeams();
  const value = typeof props.formData === 'string' ? props.formData : null;
  const data = (teams.data ?? []).map((t) => ({ value: t.identifier, label: t.title && t.title !== t.identifier ? `${t.title} (${t.identifier})` : t.identifier }));
  if (value && !data.some((d) => d.value === value)) data.unshift({ value, label: value });
  return (
    <Select
      id={props.fieldPathId.$id}
      label={props.schema.title ?? props.name}
      description={props.schema.description ?? 'The team that will own it'}
      withAsterisk={props.required}
      placeholder={teams.isPending ? 'Loading teams…' : 'Pick a team'}
      searchable
      clearable
      data={data}
      value={value}
      onChange={(v) => set(props, v)}
      error={errorOf(props) ?? (teams.isError ? 'Could not load teams' : undefined)}
      nothingFoundMessage="No team matches"
      disabled={props.disabled || props.readonly}
      rightSection={teams.isPending ? <Loader size="xs" /> : undefined}
      data-picker="OwnerPicker"
    />
  );
}

/** An entity of one blueprint (ui:options.catalogFilter.blueprint, or .kind), found by search as you type. */
export function EntityPicker(props: FieldProps) {
  const filter = (options(props).catalogFilter ?? {}) as Record<string, unknown>;
  const blueprint = String(filter.blueprint ?? filter.kind ?? 'Component');
  const [search, setSearch] = useState('');
  const [term] = useDebouncedValue(search.trim(), 200);
  const results = useSearchEntities(blueprint, { search: term || undefined, limit: 20 });
  const value = typeof props.formData === 'string' ? props.formData : null;
  const data = new Map<string, string>();
  if (value) data.set(value, value);
  for (const e of results.data?.entities ?? []) data.set(e.identifier, e.title && e.title !== e.identifier ? `${e.title} (${e.identifier})` : e.identifier);
  return (
    <Select
      id={props.fieldPathId.$id}
      label={props.schema.title ?? props.name}
      description={props.schema.description ?? `One ${blueprint}`}
      withAsterisk={props.required}
      placeholder={`Search ${blueprint}`}
      searchable
      clearable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: opts }) => opts}
      data={[...data].map(([v, label]) => ({ value: v, label }))}
      value={value}
      onChange={(v) => set(props, v)}
      error={errorOf(props)}
      nothingFoundMessage={results.isFetching ? 'Searching…' : `No ${blueprint} matches`}
      rightSection={results.isFetching ? <Loader size="xs" /> : undefined}
      disabled={props.disabled || props.readonly}
      data-picker="EntityPicker"
    />
  );
}

/** Backstage's `host?owner=o&repo=r` form of a repository address. */
export function parseRepoUrl(value: string): { host: string; owner: string; repo: string } {
  const [host = '', query = ''] = value.split('?');
  const params = new URLSearchParams(query);
  return { host, owner: params.get('owner') ?? '', repo: params.get('repo') ?? '' };
}

/**
 * The GitHub owner (organisation or user) and repository name. A plain string field holds only the
 * owner (the template then takes the repository name from `ui:options.repoNameField`, default
 * `name`); with `ui:options.requestRepo: true` the value is Backstage's `github.com?owner=…&repo=…`.
 */
export function RepoUrlPicker(props: FieldProps) {
  const opts = options(props);
  const hosts = Array.isArray(opts.allowedHosts) ? (opts.allowedHosts as string[]) : ['github.com'];
  const host = hosts[0] ?? 'github.com';
  const raw = typeof props.formData === 'string' ? props.formData : '';
  const full = opts.requestRepo === true || raw.includes('?owner=');
  const parsed = full ? parseRepoUrl(raw) : { host, owner: raw, repo: '' };
  const context = (props.registry.formContext ?? {}) as PickerFormContext;
  const repoName = full ? parsed.repo : String(context.values?.[String(opts.repoNameField ?? 'name')] ?? '');
  const error = errorOf(props);
  const update = (owner: string, repo: string) =>
    props.onChange((full ? `${parsed.host || host}?owner=${encodeURIComponent(owner)}&repo=${encodeURIComponent(repo)}` : owner || undefined) as never, props.fieldPathId.path);
  return (
    <div data-picker="RepoUrlPicker">
      <Group grow align="flex-start">
        <TextInput
          id={props.fieldPathId.$id}
          label={props.schema.title ?? 'Owner'}
          description={`Organisation or user on ${host}`}
          withAsterisk={props.required}
          value={parsed.owner}
          error={error}
          disabled={props.disabled || props.readonly}
          onChange={(e) => update(e.currentTarget.value.trim(), parsed.repo)}
        />
        {full && (
          <TextInput label="Repository name" withAsterisk={props.required} value={parsed.repo} disabled={props.disabled || props.readonly} onChange={(e) => update(parsed.owner, e.currentTarget.value.trim())} />
        )}
      </Group>
      <Text size="xs" c="dimmed" mt={4}>
        Repository: https://{parsed.host || host}/{parsed.owner || '…'}/{repoName || '…'}
      </Text>
    </div>
  );
}

export const pickerFields: RegistryFieldsType = { OwnerPicker, EntityPicker, RepoUrlPicker };
