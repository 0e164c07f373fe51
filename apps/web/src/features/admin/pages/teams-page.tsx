import { Alert, Badge, Button, Card, Group, Modal, MultiSelect, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import type { Team } from '@portolan/contract';
import { EmptyState, ErrorState } from '../../../components/error-pages.tsx';
import { PageSkeleton } from '../../../components/page-skeleton.tsx';
import { useCreateTeam } from '../../teams/api/create-team.ts';
import { useDeleteTeam } from '../../teams/api/delete-team.ts';
import { useTeams } from '../../teams/api/get-teams.ts';
import { useUpdateTeam } from '../../teams/api/update-team.ts';
import { useUsers } from '../../users/api/get-users.ts';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { RequireAdmin } from '../components/require-admin.tsx';

function MemberPicker({ value, onChange }: { value: string[]; onChange: (ids: string[]) => void }) {
  const users = useUsers();
  return (
    <MultiSelect
      label="Members"
      placeholder={value.length ? undefined : 'Pick users'}
      data={(users.data ?? []).map((u) => ({ value: u.id, label: u.name ? `${u.name} (${u.email})` : u.email }))}
      value={value}
      onChange={onChange}
      searchable
      nothingFoundMessage="No such user"
    />
  );
}

function TeamModal({ team, onClose }: { team: Team | null; onClose: () => void }) {
  const create = useCreateTeam();
  const update = useUpdateTeam();
  const del = useDeleteTeam();
  const [identifier, setIdentifier] = useState(team?.identifier ?? '');
  const [title, setTitle] = useState(team?.title ?? '');
  const [description, setDescription] = useState(team?.description ?? '');
  const [members, setMembers] = useState(team?.members.map((m) => m.id) ?? []);
  const error = team ? update.error : create.error;
  return (
    <Modal opened onClose={onClose} title={team ? `Edit team ${team.identifier}` : 'New team'} size="lg">
      <form
        aria-label={team ? `Edit team ${team.identifier}` : 'New team'}
        onSubmit={(e) => {
          e.preventDefault();
          if (team) update.mutate({ team: team.identifier, body: { title: title.trim() || null, description: description.trim() || null, members } }, { onSuccess: onClose });
          else create.mutate({ identifier, title: title.trim() || undefined, description: description.trim() || undefined, members }, { onSuccess: onClose });
        }}
      >
        <Stack gap="sm">
          {error && <Alert color="red" role="alert">{error.message}</Alert>}
          <TextInput
            label="Identifier"
            description={team ? 'Fixed once created: entities name their teams by it' : 'What entities put in their team list, e.g. cart-team'}
            required
            disabled={!!team}
            value={identifier}
            onChange={(e) => setIdentifier(e.currentTarget.value)}
          />
          <TextInput label="Title" value={title} onChange={(e) => setTitle(e.currentTarget.value)} />
          <Textarea label="Description" autosize minRows={2} value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
          <MemberPicker value={members} onChange={setMembers} />
          {team?.source === 'sso' && <Alert color="blue">Single sign-on manages this team: members change again at their next sign-in.</Alert>}
          <Group justify="space-between">
            {team ? (
              <ConfirmButton
                label="Delete team"
                title={`Delete team ${team.identifier}?`}
                confirmLabel="Delete"
                pending={del.isPending}
                error={del.error}
                onConfirm={(close) => del.mutate(team.identifier, { onSuccess: () => { close(); onClose(); } })}
              >
                Its members lose the rights it gave them. Entities keep "{team.identifier}" in their team list.
              </ConfirmButton>
            ) : <span />}
            <Group>
              <Button variant="default" onClick={onClose}>Cancel</Button>
              <Button type="submit" loading={create.isPending || update.isPending}>{team ? 'Save' : 'Create team'}</Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function Teams() {
  const teams = useTeams();
  const [editing, setEditing] = useState<Team | 'new' | null>(null);
  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <div>
          <Title order={2}>Teams</Title>
          <Text size="sm" c="dimmed">Entities name the teams that own them; members of those teams may change them.</Text>
        </div>
        <Button onClick={() => setEditing('new')}>New team</Button>
      </Group>
      {teams.isPending ? (
        <PageSkeleton rows={6} />
      ) : teams.isError ? (
        <ErrorState error={teams.error} onRetry={() => void teams.refetch()} />
      ) : teams.data.length === 0 ? (
        <EmptyState title="No teams yet">Create one here, or give a user a team.</EmptyState>
      ) : (
        <Card withBorder padding={0}>
          <Table aria-label="Teams" highlightOnHover verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Team</Table.Th>
                <Table.Th>Members</Table.Th>
                <Table.Th>Source</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {teams.data.map((t) => (
                <Table.Tr key={t.identifier} data-team={t.identifier}>
                  <Table.Td>
                    <Text size="sm" fw={600}>{t.title ?? t.identifier}</Text>
                    <Text size="xs" c="dimmed" ff="monospace">{t.identifier}</Text>
                    {t.description && <Text size="xs" c="dimmed">{t.description}</Text>}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {t.members.length ? t.members.map((m) => <Badge key={m.id} variant="light" color="gray" tt="none">{m.name ?? m.email}</Badge>) : <Text size="sm" c="dimmed">no members</Text>}
                    </Group>
                  </Table.Td>
                  <Table.Td><Badge variant="outline" color={t.source === 'sso' ? 'blue' : 'gray'}>{t.source}</Badge></Table.Td>
                  <Table.Td>
                    <Group gap={4} justify="flex-end" wrap="nowrap">
                      <Button size="xs" variant="default" onClick={() => setEditing(t)} aria-label={`Edit team ${t.identifier}`}>Edit</Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      )}
      {editing && <TeamModal key={editing === 'new' ? 'new' : editing.identifier} team={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Stack>
  );
}

export default function TeamsPage() {
  return <RequireAdmin><Teams /></RequireAdmin>;
}
