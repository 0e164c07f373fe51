import { Alert, Button, Card, Code, Group, Modal, PasswordInput, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { EmptyState, ErrorState } from '../../../components/error-pages.tsx';
import { PageSkeleton } from '../../../components/page-skeleton.tsx';
import type { SecretMeta } from '../../../lib/contract-types.ts';
import { formatDate } from '../../entities/components/property-value.tsx';
import { useDeleteSecret } from '../../secrets/api/delete-secret.ts';
import { useSecrets } from '../../secrets/api/get-secrets.ts';
import { usePutSecret } from '../../secrets/api/put-secret.ts';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { RequireAdmin } from '../components/require-admin.tsx';

const NAME_RULE = /^[A-Za-z_][A-Za-z0-9_]{0,99}$/;

/** Creates a secret, or replaces the value of `existing`. The value goes one way: to the server. */
function SecretModal({ existing, onClose }: { existing: SecretMeta | null; onClose: () => void }) {
  const put = usePutSecret();
  const [name, setName] = useState(existing?.name ?? '');
  const [description, setDescription] = useState(existing?.description ?? '');
  const [value, setValue] = useState('');
  const badName = name !== '' && !NAME_RULE.test(name);
  return (
    <Modal opened onClose={onClose} title={existing ? `Replace the value of ${existing.name}` : 'New secret'} size="lg">
      <form
        aria-label={existing ? `Replace ${existing.name}` : 'New secret'}
        onSubmit={(e) => {
          e.preventDefault();
          if (badName) return;
          put.mutate({ name, body: { value, description: description.trim() || undefined } }, { onSuccess: onClose });
        }}
      >
        <Stack gap="sm">
          {put.error && <Alert color="red" role="alert">{put.error.message}</Alert>}
          <TextInput
            label="Name"
            description="Templates and actions refer to it by this name"
            required
            disabled={!!existing}
            value={name}
            error={badName ? 'Letters, digits and _ only, not starting with a digit' : undefined}
            onChange={(e) => setName(e.currentTarget.value)}
          />
          <TextInput label="Description" value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
          <PasswordInput
            label={existing ? 'New value' : 'Value'}
            description="Stored encrypted; no one can read it back, not even admins"
            required
            autoComplete="off"
            value={value}
            onChange={(e) => setValue(e.currentTarget.value)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>Cancel</Button>
            <Button type="submit" loading={put.isPending}>{existing ? 'Replace value' : 'Save secret'}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function Secrets() {
  const secrets = useSecrets();
  const del = useDeleteSecret();
  const [editing, setEditing] = useState<SecretMeta | 'new' | null>(null);
  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <div>
          <Title order={2}>Secrets</Title>
          <Text size="sm" c="dimmed">Values that must never sit in Git (tokens, signing keys). Only names are shown; values are write-only.</Text>
        </div>
        <Button onClick={() => setEditing('new')}>New secret</Button>
      </Group>
      {secrets.isPending ? (
        <PageSkeleton rows={4} />
      ) : secrets.isError ? (
        <ErrorState error={secrets.error} onRetry={() => void secrets.refetch()} />
      ) : secrets.data.length === 0 ? (
        <EmptyState title="No secrets yet">Add a GitHub token or a webhook signing key for actions to use.</EmptyState>
      ) : (
        <Card withBorder padding={0}>
          <Table aria-label="Secrets" highlightOnHover verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Description</Table.Th>
                <Table.Th>Updated</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {secrets.data.map((s) => (
                <Table.Tr key={s.name} data-secret={s.name}>
                  <Table.Td><Code>{s.name}</Code></Table.Td>
                  <Table.Td><Text size="sm">{s.description ?? <Text span size="sm" c="dimmed">—</Text>}</Text></Table.Td>
                  <Table.Td><Text size="sm">{formatDate(s.updatedAt)}</Text><Text size="xs" c="dimmed">{s.updatedBy}</Text></Table.Td>
                  <Table.Td>
                    <Group gap={4} justify="flex-end" wrap="nowrap">
                      <Button size="xs" variant="default" onClick={() => setEditing(s)} aria-label={`Replace ${s.name}`}>Replace value</Button>
                      <ConfirmButton
                        label="Delete"
                        title={`Delete ${s.name}?`}
                        confirmLabel="Delete"
                        pending={del.isPending}
                        error={del.error}
                        buttonProps={{ 'aria-label': `Delete ${s.name}` }}
                        onConfirm={(close) => del.mutate(s.name, { onSuccess: close })}
                      >
                        Templates and actions that use <Code>{s.name}</Code> fail until it is set again.
                      </ConfirmButton>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      )}
      {editing && <SecretModal key={editing === 'new' ? 'new' : editing.name} existing={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Stack>
  );
}

export default function SecretsPage() {
  return <RequireAdmin><Secrets /></RequireAdmin>;
}
