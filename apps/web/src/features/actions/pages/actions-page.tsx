import { Alert, Badge, Button, Card, Checkbox, Grid, Group, Select, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { EmptyState, ErrorState } from '../../../components/error-pages.tsx';
import { PageSkeleton } from '../../../components/page-skeleton.tsx';
import { isApiError } from '../../../lib/api-client.ts';
import { ConfirmButton } from '../../admin/components/confirm-button.tsx';
import { useMe } from '../../auth/api/get-me.ts';
import { useBlueprints } from '../../blueprints/api/get-blueprints.ts';
import { useAllActions } from '../api/get-all-actions.ts';
import { useDeleteAction, useSaveAction } from '../api/save-action.ts';
import { NEW_ACTION, parseJson, readForm, toDocument, toJson, writeForm, type ActionDocument, type FormFields } from '../action-editor-model.ts';
import type { Action } from '../types.ts';

/** Form and JSON side by side, over one document; the server's field errors are listed by path. */
export function ActionEditor({ action, onDone }: { action: Action | null; onDone: () => void }) {
  const [doc, setDoc] = useState<ActionDocument>(() => (action ? toDocument(action) : NEW_ACTION));
  const [json, setJson] = useState(() => toJson(action ? toDocument(action) : NEW_ACTION));
  const [jsonError, setJsonError] = useState<string | null>(null);
  const blueprints = useBlueprints();
  const save = useSaveAction();
  const del = useDeleteAction();
  const form = readForm(doc);
  const set = <K extends keyof FormFields>(key: K, value: FormFields[K]) => {
    const next = writeForm(doc, key, value);
    setDoc(next);
    setJson(toJson(next));
  };
  const details = isApiError(save.error) ? save.error.details : [];
  return (
    <Card withBorder>
      <form
        aria-label={action ? `Edit action ${action.identifier}` : 'New action'}
        onSubmit={(e) => {
          e.preventDefault();
          if (jsonError) return;
          save.mutate({ id: action?.identifier ?? null, body: doc }, { onSuccess: onDone });
        }}
      >
        <Stack gap="sm">
          <Group justify="space-between">
            <Title order={3}>{action ? `Edit ${action.title ?? action.identifier}` : 'New action'}</Title>
            <Group>
              {action && (
                <ConfirmButton
                  label="Delete"
                  title={`Delete action ${action.identifier}?`}
                  confirmLabel="Delete"
                  pending={del.isPending}
                  error={del.error}
                  onConfirm={(close) => del.mutate(action.identifier, { onSuccess: () => { close(); onDone(); } })}
                >
                  Its buttons disappear; its past runs are kept.
                </ConfirmButton>
              )}
              <Button variant="default" onClick={onDone}>Cancel</Button>
              <Button type="submit" loading={save.isPending} disabled={Boolean(jsonError)}>{action ? 'Save' : 'Create action'}</Button>
            </Group>
          </Group>
          {save.error && (
            <Alert color="red" role="alert" title={save.error.message}>
              {details.map((d) => (
                <Text key={d.path + d.message} size="sm" ff="monospace">{d.path}: {d.message}</Text>
              ))}
            </Alert>
          )}
          <Grid>
            <Grid.Col span={{ base: 12, md: 5 }}>
              <Stack gap="xs">
                <TextInput label="Identifier" required disabled={Boolean(action)} value={form.identifier} onChange={(e) => set('identifier', e.currentTarget.value)} />
                <TextInput label="Title" value={form.title} onChange={(e) => set('title', e.currentTarget.value)} />
                <Textarea label="Description" rows={2} value={form.description} onChange={(e) => set('description', e.currentTarget.value)} />
                <Group grow>
                  <Select label="Operation" data={['CREATE', 'DAY-2', 'DELETE']} value={form.operation} onChange={(v) => v && set('operation', v)} allowDeselect={false} />
                  <Select label="Blueprint" data={(blueprints.data ?? []).map((b) => ({ value: b.identifier, label: b.title }))} value={form.blueprint || null} onChange={(v) => set('blueprint', v ?? '')} searchable />
                </Group>
                <Select label="Runs" data={[{ value: 'WEBHOOK', label: 'a webhook' }, { value: 'GITHUB', label: 'a GitHub Actions workflow' }]} value={form.invocation} onChange={(v) => v && set('invocation', v as FormFields['invocation'])} allowDeselect={false} />
                {form.invocation === 'WEBHOOK' ? (
                  <TextInput label="Webhook URL" value={form.url} onChange={(e) => set('url', e.currentTarget.value)} />
                ) : (
                  <Group grow>
                    <TextInput label="Organization" value={form.org} onChange={(e) => set('org', e.currentTarget.value)} />
                    <TextInput label="Repository" value={form.repo} onChange={(e) => set('repo', e.currentTarget.value)} />
                    <TextInput label="Workflow file" value={form.workflow} onChange={(e) => set('workflow', e.currentTarget.value)} />
                  </Group>
                )}
                <Checkbox label="Needs approval" checked={form.requiredApproval} onChange={(e) => set('requiredApproval', e.currentTarget.checked)} />
                <Text size="xs" c="dimmed">User inputs, jq templates, headers and permissions are edited in the JSON.</Text>
              </Stack>
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 7 }}>
              <Textarea
                label="Action JSON (Port's format)"
                aria-label="Action JSON"
                rows={22}
                styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
                value={json}
                error={jsonError}
                onChange={(e) => {
                  const text = e.currentTarget.value;
                  setJson(text);
                  const parsed = parseJson(text);
                  setJsonError(parsed ? null : 'Not a JSON object yet');
                  if (parsed) setDoc(parsed);
                }}
              />
            </Grid.Col>
          </Grid>
        </Stack>
      </form>
    </Card>
  );
}

function Actions() {
  const actions = useAllActions();
  const me = useMe();
  const role = me.data?.user.role;
  const mayEdit = role === 'admin' || role === 'moderator';
  const [editing, setEditing] = useState<Action | 'new' | null>(null);
  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <div>
          <Title order={2}>Self-service actions</Title>
          <Text size="sm" c="dimmed">What developers can run on entities: deploy, provision, clean up. Each one calls a webhook or a GitHub Actions workflow.</Text>
        </div>
        {mayEdit && !editing && <Button onClick={() => setEditing('new')}>New action</Button>}
      </Group>
      {editing && <ActionEditor key={editing === 'new' ? 'new' : editing.identifier} action={editing === 'new' ? null : editing} onDone={() => setEditing(null)} />}
      {actions.isPending ? (
        <PageSkeleton rows={4} />
      ) : actions.isError ? (
        <ErrorState error={actions.error} onRetry={() => void actions.refetch()} />
      ) : actions.data.length === 0 ? (
        <EmptyState title="No actions yet">Create one, or load some from catalog-examples/actions.</EmptyState>
      ) : (
        <Card withBorder padding={0}>
          <Table aria-label="Actions" verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Action</Table.Th>
                <Table.Th>On</Table.Th>
                <Table.Th>Runs</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {actions.data.map((a) => (
                <Table.Tr key={a.identifier} data-action={a.identifier}>
                  <Table.Td>
                    <Text size="sm" fw={600}>{a.title ?? a.identifier}</Text>
                    <Text size="xs" c="dimmed" ff="monospace">{a.identifier}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      <Badge variant="light">{a.trigger.operation}</Badge>
                      <Text size="sm">{a.trigger.blueprintIdentifier ?? 'any blueprint'}</Text>
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{a.invocationMethod.type === 'GITHUB' ? `${a.invocationMethod.org}/${a.invocationMethod.repo} · ${a.invocationMethod.workflow}` : a.invocationMethod.url}</Text>
                  </Table.Td>
                  <Table.Td>
                    {mayEdit && (
                      <Button size="xs" variant="light" onClick={() => setEditing(a)} aria-label={`Edit ${a.identifier}`}>Edit</Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      )}
    </Stack>
  );
}

export default function ActionsPage() {
  return <Actions />;
}
