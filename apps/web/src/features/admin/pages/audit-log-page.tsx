import { ActionIcon, Anchor, Autocomplete, Badge, Button, Card, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { Fragment, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { EmptyState, ErrorState } from '../../../components/error-pages.tsx';
import { PageSkeleton } from '../../../components/page-skeleton.tsx';
import type { AuditEntry } from '../../../lib/contract-types.ts';
import { paths } from '../../../lib/paths.ts';
import { useAuditLog } from '../../audit/api/get-audit-log.ts';
import { parseAuditFilters, serializeAuditFilters, toAuditQuery, type AuditFilterState } from '../../audit/audit-filters.ts';
import { actorLabel, AuditDiff } from '../../audit/components/audit-diff.tsx';
import { diffFields } from '../../audit/audit-diff.ts';
import { formatDate } from '../../entities/components/property-value.tsx';
import { useUsers } from '../../users/api/get-users.ts';
import { RequireAdmin } from '../components/require-admin.tsx';

// Suggestions only: the field takes any type, so one added later is still searchable.
const RESOURCE_TYPES = ['entity', 'blueprint', 'blueprint_permissions', 'action', 'user', 'team', 'api_client', 'secret', 'location', 'template', 'scaffolder_task'];
const ACTION_COLOR: Record<string, string> = { create: 'green', update: 'blue', delete: 'red' };

function resourceLink(e: AuditEntry): string | null {
  if (e.action === 'delete') return null;
  if (e.resourceType === 'entity' && e.blueprint) return paths.entity(e.blueprint, e.resourceId);
  if (e.resourceType === 'blueprint') return paths.editBlueprint(e.resourceId);
  return null;
}

function Filters({ value, onChange }: { value: AuditFilterState; onChange: (next: AuditFilterState) => void }) {
  const users = useUsers();
  const [actor, setActor] = useState(value.actor);
  const [resourceType, setResourceType] = useState(value.resourceType);
  const actors = useMemo(() => (users.data ?? []).map((u) => `user:${u.email}`), [users.data]);
  return (
    <Card withBorder>
      <form
        aria-label="Audit filters"
        onSubmit={(e) => {
          e.preventDefault();
          onChange({ ...value, actor, resourceType });
        }}
      >
        <Group align="flex-end" gap="sm" wrap="nowrap">
          <Autocomplete label="Resource type" placeholder="any" data={RESOURCE_TYPES} value={resourceType} onChange={setResourceType} onOptionSubmit={(v) => onChange({ ...value, resourceType: v, actor })} style={{ flex: 1, minWidth: 140 }} />
          <Autocomplete label="Actor" placeholder="user:… or client:…" data={actors} value={actor} onChange={setActor} onOptionSubmit={(v) => onChange({ ...value, actor: v, resourceType })} style={{ flex: 1.4, minWidth: 180 }} />
          <Select
            label="Action"
            placeholder="any"
            data={['create', 'update', 'delete']}
            value={value.action || null}
            onChange={(a) => onChange({ ...value, action: a ?? '', actor, resourceType })}
            clearable
            w={120}
          />
          <TextInput label="From" type="date" value={value.from} onChange={(e) => onChange({ ...value, from: e.currentTarget.value, actor, resourceType })} w={150} />
          <TextInput label="To" type="date" value={value.to} onChange={(e) => onChange({ ...value, to: e.currentTarget.value, actor, resourceType })} w={150} />
          <Button type="submit" variant="light">Apply</Button>
          <Button
            variant="subtle"
            onClick={() => {
              setActor('');
              setResourceType('');
              onChange({ resourceType: '', actor: '', action: '', from: '', to: '' });
            }}
          >
            Clear
          </Button>
        </Group>
      </form>
    </Card>
  );
}

function EntryRow({ entry }: { entry: AuditEntry }) {
  const [open, setOpen] = useState(false);
  const link = resourceLink(entry);
  const changed = entry.action === 'update' ? diffFields(entry.before, entry.after).length : null;
  return (
    <Fragment>
      <Table.Tr data-audit-id={entry.id}>
        <Table.Td w={36}>
          <ActionIcon variant="subtle" color="gray" onClick={() => setOpen((o) => !o)} aria-expanded={open} aria-label={open ? 'Hide changes' : 'Show changes'}>
            <span aria-hidden>{open ? '▾' : '▸'}</span>
          </ActionIcon>
        </Table.Td>
        <Table.Td><Text size="sm" title={entry.at} style={{ whiteSpace: 'nowrap' }}>{formatDate(entry.at)}</Text></Table.Td>
        <Table.Td><Text size="sm">{actorLabel(entry.actor)}</Text></Table.Td>
        <Table.Td><Badge variant="light" color={ACTION_COLOR[entry.action] ?? 'gray'}>{entry.action}</Badge></Table.Td>
        <Table.Td>
          <Group gap={6} wrap="nowrap">
            <Badge variant="outline" color="gray" tt="none">{entry.resourceType}</Badge>
            {link ? (
              <Anchor component={Link} to={link} size="sm">{entry.blueprint && entry.resourceType === 'entity' ? `${entry.blueprint} / ${entry.resourceId}` : entry.resourceId}</Anchor>
            ) : (
              <Text size="sm">{entry.blueprint && entry.resourceType === 'entity' ? `${entry.blueprint} / ${entry.resourceId}` : entry.resourceId}</Text>
            )}
          </Group>
        </Table.Td>
        <Table.Td><Text size="sm" c="dimmed">{changed === null ? '' : `${changed} ${changed === 1 ? 'field' : 'fields'}`}</Text></Table.Td>
      </Table.Tr>
      {open && (
        <Table.Tr>
          <Table.Td />
          <Table.Td colSpan={5} pb="md">
            <AuditDiff entry={entry} />
            {entry.requestId && <Text size="xs" c="dimmed" mt={4}>Request {entry.requestId}</Text>}
          </Table.Td>
        </Table.Tr>
      )}
    </Fragment>
  );
}

/** How long entries stay, so a missing old entry is not taken for a gap (set by the server's operator). */
function RetentionNote({ days }: { days: number | null | undefined }) {
  if (days === undefined) return null;
  return (
    <Text size="sm" c="dimmed" data-testid="audit-retention">
      {days === null ? 'Entries are kept forever (no retention period is set).' : `Entries older than ${days} ${days === 1 ? 'day' : 'days'} are deleted (PORTOLAN_AUDIT_RETENTION_DAYS).`}
    </Text>
  );
}

function AuditLog() {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => parseAuditFilters(params), [params]);
  const log = useAuditLog(useMemo(() => toAuditQuery(filters), [filters]));
  const entries = log.data?.pages.flatMap((p) => p.entries) ?? [];
  return (
    <Stack gap="lg">
      <div>
        <Title order={2}>Audit log</Title>
        <Text size="sm" c="dimmed">Every change, newest first: who, when, and what it was before and after.</Text>
        <RetentionNote days={log.data?.pages[0]?.retentionDays} />
      </div>
      <Filters key={params.toString()} value={filters} onChange={(next) => setParams(serializeAuditFilters(next))} />
      {log.isPending ? (
        <PageSkeleton rows={8} />
      ) : log.isError ? (
        <ErrorState error={log.error} onRetry={() => void log.refetch()} title="Could not load the audit log" />
      ) : entries.length === 0 ? (
        <EmptyState title="No entry matches these filters" />
      ) : (
        <Card withBorder padding={0}>
          <Table aria-label="Audit log" verticalSpacing="xs" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th />
                <Table.Th>When</Table.Th>
                <Table.Th>Actor</Table.Th>
                <Table.Th>Action</Table.Th>
                <Table.Th>Resource</Table.Th>
                <Table.Th>Changed</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entries.map((e) => <EntryRow key={e.id} entry={e} />)}
            </Table.Tbody>
          </Table>
        </Card>
      )}
      {log.hasNextPage && (
        <Group justify="center">
          <Button variant="default" onClick={() => void log.fetchNextPage()} loading={log.isFetchingNextPage}>Load more</Button>
        </Group>
      )}
    </Stack>
  );
}

export default function AuditLogPage() {
  return <RequireAdmin><AuditLog /></RequireAdmin>;
}
