import { Alert, Anchor, Badge, Button, Card, Code, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import type { FileProblem, Location, LocationRefresh } from '@portolan/contract';
import { EmptyState, ErrorState } from '../../../components/error-pages.tsx';
import { PageSkeleton } from '../../../components/page-skeleton.tsx';
import { ConfirmButton } from '../../admin/components/confirm-button.tsx';
import { RequireAdmin } from '../../admin/components/require-admin.tsx';
import { useDeleteLocation } from '../api/delete-location.ts';
import { useDiscoverLocations } from '../api/discover-locations.ts';
import { useLocations } from '../api/get-locations.ts';
import { useRefreshLocation } from '../api/refresh-location.ts';
import { useRegisterLocation } from '../api/register-location.ts';

const STATUS_COLOR = { ok: 'green', error: 'red', pending: 'gray' } as const;

function Problems({ problems }: { problems: FileProblem[] }) {
  if (problems.length === 0) return null;
  return (
    <Stack gap={2} mt={4}>
      {problems.slice(0, 8).map((p, i) => (
        <Text key={i} size="xs" c={p.severity === 'error' ? 'red' : 'orange'} ff="monospace">
          {p.file.split('/').slice(-2).join('/')}:{p.line}: {p.message}
        </Text>
      ))}
      {problems.length > 8 && <Text size="xs" c="dimmed">…and {problems.length - 8} more</Text>}
    </Stack>
  );
}

function RefreshSummary({ result }: { result: LocationRefresh }) {
  return (
    <Alert color={result.status === 'ok' ? 'green' : 'red'} role="status" title={result.status === 'ok' ? 'Refreshed' : 'Nothing was changed'}>
      Read {result.files.length} file(s): {result.entities} entities{result.orphaned ? `, ${result.orphaned} orphaned` : ''}
      {result.deleted ? `, ${result.deleted} deleted` : ''}.
      <Problems problems={result.problems} />
    </Alert>
  );
}

function LocationRow({ location }: { location: Location }) {
  const refresh = useRefreshLocation();
  const del = useDeleteLocation();
  return (
    <Table.Tr data-location={location.url}>
      <Table.Td>
        <Anchor href={location.url} target="_blank" rel="noreferrer" size="sm" style={{ wordBreak: 'break-all' }}>{location.url}</Anchor>
        <Text size="xs" c="dimmed">
          {location.origin === 'discovered' ? 'discovered' : `registered by ${location.createdBy}`} · {location.files.length} file(s)
        </Text>
        {location.lastError && <Text size="xs" c="red">{location.lastError}</Text>}
        <Problems problems={location.problems} />
      </Table.Td>
      <Table.Td>
        <Badge color={STATUS_COLOR[location.status]} variant="light">{location.status}</Badge>
        <Text size="xs" c="dimmed">{location.lastRefreshedAt ? new Date(location.lastRefreshedAt).toLocaleString() : 'never read'}</Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{location.entityCount}</Text>
        {location.orphanCount > 0 && <Badge color="orange" variant="light" title="Their files no longer declare them">{location.orphanCount} orphaned</Badge>}
      </Table.Td>
      <Table.Td>
        <Group gap="xs" justify="flex-end" wrap="nowrap">
          <Button size="xs" variant="light" loading={refresh.isPending} onClick={() => refresh.mutate(location.id)} aria-label={`Refresh ${location.url}`}>
            Refresh
          </Button>
          <ConfirmButton
            label="Unregister"
            title="Unregister this location?"
            confirmLabel="Unregister"
            pending={del.isPending}
            error={del.error}
            onConfirm={(close) => del.mutate(location.id, { onSuccess: close })}
            buttonProps={{ 'aria-label': `Unregister ${location.url}` }}
          >
            Its {location.entityCount} entities stay in the catalog and become editable here; the file is no longer read.
          </ConfirmButton>
        </Group>
        {refresh.data && <RefreshSummary result={refresh.data.refresh} />}
        {refresh.error && <Alert color="red" role="alert">{refresh.error.message}</Alert>}
      </Table.Td>
    </Table.Tr>
  );
}

function Locations() {
  const locations = useLocations();
  const register = useRegisterLocation();
  const discover = useDiscoverLocations();
  const [url, setUrl] = useState('');
  const [org, setOrg] = useState('');
  return (
    <Stack gap="lg">
      <div>
        <Title order={2}>Catalog locations</Title>
        <Text size="sm" c="dimmed">
          Catalog files in Git (Backstage <Code>catalog-info.yaml</Code>, or Portolan/Port JSON and YAML). They are read again on a schedule; entities
          they declare are edited in their files, and entities whose file disappeared are marked orphaned, not deleted.
        </Text>
      </div>
      <Group align="flex-start" grow>
        <Card withBorder>
          <form
            aria-label="Register a location"
            onSubmit={(e) => {
              e.preventDefault();
              register.mutate(url.trim(), { onSuccess: () => setUrl('') });
            }}
          >
            <Stack gap="xs">
              <TextInput label="File URL" placeholder="https://github.com/org/repo/blob/main/catalog-info.yaml" required value={url} onChange={(e) => setUrl(e.currentTarget.value)} />
              <Group justify="flex-end">
                <Button type="submit" loading={register.isPending}>Register and read</Button>
              </Group>
              {register.error && <Alert color="red" role="alert">{register.error.message}</Alert>}
              {register.data && <RefreshSummary result={register.data.refresh} />}
            </Stack>
          </form>
        </Card>
        <Card withBorder>
          <form
            aria-label="Discover locations"
            onSubmit={(e) => {
              e.preventDefault();
              discover.mutate(org.trim());
            }}
          >
            <Stack gap="xs">
              <TextInput label="GitHub organization" description="Every repository with a catalog-info.yaml on its default branch is registered" required value={org} onChange={(e) => setOrg(e.currentTarget.value)} />
              <Group justify="flex-end">
                <Button type="submit" variant="light" loading={discover.isPending}>Discover</Button>
              </Group>
              {discover.error && <Alert color="red" role="alert">{discover.error.message}</Alert>}
              {discover.data && <Alert color="green" role="status">Registered {discover.data.length} new location(s).</Alert>}
            </Stack>
          </form>
        </Card>
      </Group>
      {locations.isPending ? (
        <PageSkeleton rows={4} />
      ) : locations.isError ? (
        <ErrorState error={locations.error} onRetry={() => void locations.refetch()} />
      ) : locations.data.length === 0 ? (
        <EmptyState title="No locations yet">Register a catalog file above, or discover an organization's repositories.</EmptyState>
      ) : (
        <Card withBorder padding={0}>
          <Table aria-label="Locations" verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>File</Table.Th>
                <Table.Th>Last refresh</Table.Th>
                <Table.Th>Entities</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {locations.data.map((l) => (
                <LocationRow key={l.id} location={l} />
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      )}
    </Stack>
  );
}

export default function LocationsPage() {
  return (
    <RequireAdmin>
      <Locations />
    </RequireAdmin>
  );
}
