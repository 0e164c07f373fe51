import { Alert, Badge, Button, Card, Code, CopyButton, Group, Modal, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { EmptyState, ErrorState } from '../../../components/error-pages.tsx';
import { PageSkeleton } from '../../../components/page-skeleton.tsx';
import type { ApiClientCreatedResponse } from '../../../lib/contract-types.ts';
import { useCreateApiClient } from '../../api-clients/api/create-api-client.ts';
import { useDeleteApiClient } from '../../api-clients/api/delete-api-client.ts';
import { useApiClients } from '../../api-clients/api/get-api-clients.ts';
import { useRotateApiClient } from '../../api-clients/api/rotate-api-client.ts';
import { formatDate } from '../../entities/components/property-value.tsx';
import { AccessFields, type AccessValue } from '../components/access-fields.tsx';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { RequireAdmin } from '../components/require-admin.tsx';

function CopyField({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text size="sm" fw={600} mb={4}>{label}</Text>
      <Group gap="xs" wrap="nowrap" align="stretch">
        <Code block style={{ flex: 1, wordBreak: 'break-all', whiteSpace: 'pre-wrap' }} data-testid={`copy-${label.toLowerCase().replace(/\s+/g, '-')}`}>{value}</Code>
        <CopyButton value={value}>
          {({ copied, copy }) => <Button variant={copied ? 'filled' : 'light'} color={copied ? 'teal' : undefined} onClick={copy} aria-label={`Copy ${label.toLowerCase()}`}>{copied ? 'Copied' : 'Copy'}</Button>}
        </CopyButton>
      </Group>
    </div>
  );
}

/** The secret exists in this response only (the server keeps a hash): say so plainly. */
function SecretOnceModal({ created, onClose }: { created: ApiClientCreatedResponse; onClose: () => void }) {
  return (
    <Modal opened onClose={onClose} title={`Credentials for ${created.client.name}`} size="lg" closeOnClickOutside={false}>
      <Stack gap="md">
        <Alert color="orange" title="Copy the secret now: you will not see it again" role="alert">
          Only a hash of it is stored. If it is lost, rotate it to get a new one.
        </Alert>
        <CopyField label="Client ID" value={created.client.clientId} />
        <CopyField label="Client secret" value={created.clientSecret} />
        <Text size="sm" c="dimmed">
          Exchange them at <Code>POST /v1/auth/access_token</Code> with <Code>{'{"clientId", "clientSecret"}'}</Code> for a bearer token.
        </Text>
        <Group justify="flex-end">
          <Button onClick={onClose}>I have copied the secret</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function CreateClientModal({ onClose, onCreated }: { onClose: () => void; onCreated: (c: ApiClientCreatedResponse) => void }) {
  const create = useCreateApiClient();
  const [name, setName] = useState('');
  const [access, setAccess] = useState<AccessValue>({ role: 'member', teams: [], moderatedBlueprints: [] });
  return (
    <Modal opened onClose={onClose} title="New API client" size="lg">
      <form
        aria-label="New API client"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate(
            { name, role: access.role, teams: access.teams, moderatedBlueprints: access.role === 'moderator' ? access.moderatedBlueprints : [] },
            { onSuccess: onCreated },
          );
        }}
      >
        <Stack gap="sm">
          {create.error && <Alert color="red" role="alert">{create.error.message}</Alert>}
          <TextInput label="Name" description="What uses it, e.g. ci-deploy-bot" required value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <AccessFields value={access} onChange={setAccess} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>Cancel</Button>
            <Button type="submit" loading={create.isPending}>Create client</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function ApiClients() {
  const clients = useApiClients();
  const rotate = useRotateApiClient();
  const del = useDeleteApiClient();
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState<ApiClientCreatedResponse | null>(null);
  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <div>
          <Title order={2}>API clients</Title>
          <Text size="sm" c="dimmed">Credentials for scripts and workflows. A client acts with its own role and teams.</Text>
        </div>
        <Button onClick={() => setCreating(true)}>New API client</Button>
      </Group>
      {clients.isPending ? (
        <PageSkeleton rows={4} />
      ) : clients.isError ? (
        <ErrorState error={clients.error} onRetry={() => void clients.refetch()} />
      ) : clients.data.length === 0 ? (
        <EmptyState title="No API clients yet">Create one for each script or workflow that calls the API.</EmptyState>
      ) : (
        <Card withBorder padding={0}>
          <Table aria-label="API clients" highlightOnHover verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Client</Table.Th>
                <Table.Th>Role</Table.Th>
                <Table.Th>Teams</Table.Th>
                <Table.Th>Created</Table.Th>
                <Table.Th>Last used</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {clients.data.map((c) => (
                <Table.Tr key={c.clientId} data-client={c.name}>
                  <Table.Td>
                    <Text size="sm" fw={600}>{c.name}</Text>
                    <Text size="xs" c="dimmed" ff="monospace">{c.clientId}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      <Badge variant="light">{c.role}</Badge>
                      {c.role === 'moderator' && c.moderatedBlueprints.map((b) => <Badge key={b} variant="outline" color="violet" tt="none">{b}</Badge>)}
                    </Group>
                  </Table.Td>
                  <Table.Td><Group gap={4}>{c.teams.length ? c.teams.map((t) => <Badge key={t} variant="outline" color="gray" tt="none">{t}</Badge>) : <Text size="sm" c="dimmed">—</Text>}</Group></Table.Td>
                  <Table.Td><Text size="sm">{formatDate(c.createdAt)}</Text><Text size="xs" c="dimmed">{c.createdBy}</Text></Table.Td>
                  <Table.Td><Text size="sm">{c.lastUsedAt ? formatDate(c.lastUsedAt) : <Text span size="sm" c="dimmed">never</Text>}</Text></Table.Td>
                  <Table.Td>
                    <Group gap={4} justify="flex-end" wrap="nowrap">
                      <ConfirmButton
                        label="Rotate secret"
                        title={`Rotate the secret of ${c.name}?`}
                        confirmLabel="Rotate"
                        pending={rotate.isPending}
                        error={rotate.error}
                        buttonProps={{ color: 'indigo', 'aria-label': `Rotate secret of ${c.name}` }}
                        onConfirm={(close) => rotate.mutate(c.clientId, { onSuccess: (r) => { close(); setShown(r); } })}
                      >
                        The current secret stops working at once; scripts using it need the new one.
                      </ConfirmButton>
                      <ConfirmButton
                        label="Delete"
                        title={`Delete ${c.name}?`}
                        confirmLabel="Delete"
                        pending={del.isPending}
                        error={del.error}
                        buttonProps={{ 'aria-label': `Delete ${c.name}` }}
                        onConfirm={(close) => del.mutate(c.clientId, { onSuccess: close })}
                      >
                        Its secret and its tokens stop working at once.
                      </ConfirmButton>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      )}
      {creating && <CreateClientModal onClose={() => setCreating(false)} onCreated={(c) => { setCreating(false); setShown(c); }} />}
      {shown && <SecretOnceModal created={shown} onClose={() => setShown(null)} />}
    </Stack>
  );
}

export default function ApiClientsPage() {
  return <RequireAdmin><ApiClients /></RequireAdmin>;
}
