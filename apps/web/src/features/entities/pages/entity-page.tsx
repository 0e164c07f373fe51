import { Alert, Anchor, Badge, Button, Card, Group, Modal, Skeleton, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { lazy, Suspense, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import type { Blueprint, Entity } from '@portolan/contract';
import { BlueprintAvatar } from '../../../components/entity-avatar.tsx';
import { ErrorState } from '../../../components/error-pages.tsx';
import { PageSkeleton } from '../../../components/page-skeleton.tsx';
import { isApiError } from '../../../lib/api-client.ts';
import { paths } from '../../../lib/paths.ts';
import { useBlueprint } from '../../blueprints/api/get-blueprint.ts';
import { useBlueprints } from '../../blueprints/api/get-blueprints.ts';
import { useEntityPermissions } from '../../auth/use-permissions.ts';
import { EntityActionsMenu } from '../../actions/components/action-buttons.tsx';
import { useDeleteEntity } from '../api/delete-entity.ts';
import { useEntity } from '../api/get-entity.ts';
import { EntityHistory } from '../components/entity-history.tsx';
import { EntityRelations } from '../components/entity-relations.tsx';
import { formatDate, PropertyValue } from '../components/property-value.tsx';

// Heavy widgets load only when their tab opens.
const RelationGraph = lazy(() => import('../components/relation-graph.tsx'));
const OpenApiView = lazy(() => import('../components/openapi-view.tsx'));

function specProperties(blueprint: Blueprint, entity: Entity): string[] {
  return Object.entries(blueprint.schema.properties)
    .filter(([id, p]) => (p.spec === 'open-api' || p.spec === 'async-api') && typeof entity.properties[id] === 'string')
    .map(([id]) => id);
}

function PropertiesCard({ blueprint, entity }: { blueprint: Blueprint; entity: Entity }) {
  const rows = [
    ...Object.entries(blueprint.schema.properties)
      .filter(([, p]) => !p.spec)
      .map(([id, p]) => ({ id, label: p.title ?? id, value: entity.properties[id], property: p, mirror: false })),
    ...Object.entries(blueprint.mirrorProperties).map(([id, m]) => ({ id, label: m.title ?? id, value: entity.properties[id], property: undefined, mirror: true })),
  ];
  return (
    <Card withBorder>
      <Title order={4} mb="sm">Properties</Title>
      <Table verticalSpacing={8} aria-label="Properties">
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.id} data-property={r.id}>
              <Table.Th w={200} style={{ verticalAlign: 'top' }}>
                <Group gap={6}>
                  <Text size="sm" fw={600}>{r.label}</Text>
                  {r.mirror && <Badge size="xs" variant="outline" color="gray" title="Mirrored from a related entity">mirror</Badge>}
                </Group>
              </Table.Th>
              <Table.Td>
                <PropertyValue value={r.value} property={r.property} />
              </Table.Td>
            </Table.Tr>
          ))}
          <Table.Tr>
            <Table.Th><Text size="sm" fw={600}>Updated</Text></Table.Th>
            <Table.Td><Text size="sm">{formatDate(entity.updatedAt)} by {entity.updatedBy}</Text></Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th><Text size="sm" fw={600}>Created</Text></Table.Th>
            <Table.Td><Text size="sm">{formatDate(entity.createdAt)} by {entity.createdBy}</Text></Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
    </Card>
  );
}

function DeleteEntityButton({ entity, etag }: { entity: Entity; etag: string | null }) {
  const [open, setOpen] = useState(false);
  const del = useDeleteEntity();
  const navigate = useNavigate();
  const error = del.error;
  return (
    <>
      <Button color="red" variant="light" onClick={() => setOpen(true)}>Delete</Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={`Delete ${entity.title ?? entity.identifier}?`}>
        <Stack>
          <Text size="sm">The entity and its outgoing relations are removed. This cannot be undone.</Text>
          {error && (
            <Alert color="red" title={isApiError(error, 409) ? 'Other entities depend on it' : isApiError(error, 412) ? 'It changed meanwhile' : 'Delete failed'}>
              <Text size="sm">{error.message}</Text>
              {isApiError(error) && error.body?.conflicts && <Text size="sm" mt={4}>{error.body.conflicts.join(', ')}</Text>}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>Cancel</Button>
            <Button
              color="red"
              loading={del.isPending}
              onClick={() =>
                del.mutate({ blueprint: entity.blueprint, identifier: entity.identifier, etag }, { onSuccess: () => navigate(paths.catalog(entity.blueprint)) })
              }
            >
              Delete
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

export function EntityPage() {
  const { blueprint: bpId = '', entity: id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const blueprint = useBlueprint(bpId);
  const blueprints = useBlueprints();
  const entity = useEntity(bpId, id);
  const permissions = useEntityPermissions(bpId);

  if (blueprint.isPending || entity.isPending) return <PageSkeleton />;
  if (blueprint.isError) return <ErrorState error={blueprint.error} />;
  if (entity.isError) return <ErrorState error={entity.error} onRetry={() => void entity.refetch()} title={isApiError(entity.error, 404) ? `No ${bpId} “${id}”` : undefined} />;

  const bp = blueprint.data;
  const e = entity.data.entity;
  const specs = specProperties(bp, e);
  const tab = params.get('tab') ?? 'overview';
  const titles = Object.fromEntries((blueprints.data ?? []).map((b) => [b.identifier, b.title]));

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-start">
        <Group gap="md" wrap="nowrap">
          <BlueprintAvatar blueprint={bp.identifier} title={bp.title} size="xl" />
          <div>
            <Title order={1} fz={28}>{e.title ?? e.identifier}</Title>
            <Group gap="xs" mt={4}>
              <Badge component={Link} to={paths.catalog(bp.identifier)} variant="light" style={{ cursor: 'pointer' }}>{bp.title}</Badge>
              <Text size="sm" c="dimmed" ff="monospace">{e.identifier}</Text>
              {e.team.map((t) => <Badge key={t} variant="outline" color="gray" tt="none">{t}</Badge>)}
            </Group>
          </div>
        </Group>
        {/* Only what this person may do; the server refuses the rest anyway. */}
        <Group gap="xs">
          <EntityActionsMenu blueprint={bp.identifier} entity={e.identifier} />
          {/* An entity that comes from a file in Git is changed in that file (the server refuses edits). */}
          {!e.managedBy && permissions.can('update', e.team) && <Button component={Link} to={paths.editEntity(bp.identifier, e.identifier)} variant="default">Edit</Button>}
          {!e.managedBy && permissions.can('unregister', e.team) && <DeleteEntityButton entity={e} etag={entity.data.etag} />}
        </Group>
      </Group>
      {e.managedBy && (
        <Alert color={e.orphaned ? 'orange' : 'blue'} variant="light" title={e.orphaned ? 'Orphaned: its catalog file no longer declares it' : 'Managed in Git'}>
          {e.orphaned ? 'It came from ' : 'This entity comes from '}
          <Anchor href={e.managedBy.url} target="_blank" rel="noreferrer">{e.managedBy.url.replace(/^https?:\/\/[^/]+\//, '')}</Anchor>
          {e.orphaned ? '. Delete it, or add it back to a file.' : '. Edit that file to change it; the catalog picks the change up at the next refresh.'}
        </Alert>
      )}
      <Tabs value={tab} onChange={(t) => setParams(t && t !== 'overview' ? { tab: t } : {}, { replace: true })} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="overview">Overview</Tabs.Tab>
          <Tabs.Tab value="graph">Relation graph</Tabs.Tab>
          {specs.length > 0 && <Tabs.Tab value="api">API documentation</Tabs.Tab>}
          <Tabs.Tab value="history">History</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="overview" pt="md">
          <Stack gap="md">
            <PropertiesCard blueprint={bp} entity={e} />
            <EntityRelations entity={e} blueprint={bp} blueprintTitles={titles} />
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="graph" pt="md">
          <Suspense fallback={<Skeleton height={520} />}>
            <RelationGraph blueprint={bp.identifier} identifier={e.identifier} blueprintTitles={titles} />
          </Suspense>
        </Tabs.Panel>
        {specs.length > 0 && (
          <Tabs.Panel value="api" pt="md">
            <Suspense fallback={<Skeleton height={400} />}>
              <Stack gap="xl">
                {specs.map((p) => (
                  <OpenApiView key={p} source={String(e.properties[p])} kind={bp.schema.properties[p]?.spec ?? 'open-api'} />
                ))}
              </Stack>
            </Suspense>
          </Tabs.Panel>
        )}
        <Tabs.Panel value="history" pt="md">
          <EntityHistory blueprint={bp.identifier} identifier={e.identifier} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
