import { Alert, Badge, Button, Card, Code, CopyButton, Group, Modal, PasswordInput, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import type { User } from '@portolan/contract';
import { EmptyState, ErrorState } from '../../../components/error-pages.tsx';
import { PageSkeleton } from '../../../components/page-skeleton.tsx';
import { isApiError } from '../../../lib/api-client.ts';
import { formatDate } from '../../entities/components/property-value.tsx';
import { useMe } from '../../auth/api/get-me.ts';
import { useCreateSignInLink } from '../../users/api/create-sign-in-link.ts';
import { useCreateUser } from '../../users/api/create-user.ts';
import { useDeleteUser } from '../../users/api/delete-user.ts';
import { useUsers } from '../../users/api/get-users.ts';
import { useUpdateUser } from '../../users/api/update-user.ts';
import { AccessFields, type AccessValue } from '../components/access-fields.tsx';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { RequireAdmin } from '../components/require-admin.tsx';

const ROLE_COLOR = { admin: 'red', moderator: 'violet', member: 'blue', viewer: 'gray' } as const;

function CreateUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const create = useCreateUser();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [access, setAccess] = useState<AccessValue>({ role: 'member', teams: [], moderatedBlueprints: [] });
  const reset = () => {
    setEmail('');
    setName('');
    setPassword('');
    setAccess({ role: 'member', teams: [], moderatedBlueprints: [] });
    create.reset();
  };
  const passwordProblem = isApiError(create.error) ? create.error.details.find((d) => d.path.endsWith('password'))?.message : undefined;
  return (
    <Modal opened={opened} onClose={() => { reset(); onClose(); }} title="New user" size="lg">
      <form
        aria-label="New user"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate(
            { email, name: name.trim() || undefined, password: password || undefined, role: access.role, teams: access.teams, moderatedBlueprints: access.role === 'moderator' ? access.moderatedBlueprints : [] },
            { onSuccess: () => { reset(); onClose(); } },
          );
        }}
      >
        <Stack gap="sm">
          {create.error && <Alert color="red" role="alert">{create.error.message}</Alert>}
          <TextInput label="Email" type="email" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
          <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <AccessFields value={access} onChange={setAccess} />
          <PasswordInput
            label="Password (optional)"
            description="At least 12 characters. Leave empty to send them a one-time sign-in link instead."
            autoComplete="new-password"
            value={password}
            error={passwordProblem}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => { reset(); onClose(); }}>Cancel</Button>
            <Button type="submit" loading={create.isPending}>Create user</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function EditUserModal({ user, onClose }: { user: User; onClose: () => void }) {
  const update = useUpdateUser();
  const del = useDeleteUser();
  const me = useMe();
  const [name, setName] = useState(user.name ?? '');
  const [disabled, setDisabled] = useState(user.disabled);
  const [access, setAccess] = useState<AccessValue>({ role: user.role, teams: user.teams, moderatedBlueprints: user.moderatedBlueprints });
  const self = me.data?.user.id === user.id;
  return (
    <Modal opened onClose={onClose} title={`Edit ${user.email}`} size="lg">
      <form
        aria-label={`Edit ${user.email}`}
        onSubmit={(e) => {
          e.preventDefault();
          update.mutate(
            { id: user.id, body: { name: name.trim() || null, role: access.role, teams: access.teams, moderatedBlueprints: access.role === 'moderator' ? access.moderatedBlueprints : [], disabled } },
            { onSuccess: onClose },
          );
        }}
      >
        <Stack gap="sm">
          {update.error && <Alert color="red" role="alert">{update.error.message}</Alert>}
          <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <AccessFields value={access} onChange={setAccess} />
          <Switch
            label="Disabled"
            description="A disabled user cannot sign in; their sessions end"
            checked={disabled}
            disabled={self}
            onChange={(e) => setDisabled(e.currentTarget.checked)}
          />
          <Group justify="space-between">
            {self ? <span /> : (
              <ConfirmButton
                label="Delete user"
                title={`Delete ${user.email}?`}
                confirmLabel="Delete"
                pending={del.isPending}
                error={del.error}
                onConfirm={(close) => del.mutate(user.id, { onSuccess: () => { close(); onClose(); } })}
              >
                They can no longer sign in. What they changed stays, and the audit log keeps their name.
              </ConfirmButton>
            )}
            <Group>
              <Button variant="default" onClick={onClose}>Cancel</Button>
              <Button type="submit" loading={update.isPending}>Save</Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function SignInLinkButton({ user }: { user: User }) {
  const link = useCreateSignInLink();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        size="xs"
        variant="subtle"
        loading={link.isPending}
        aria-label={`Sign-in link for ${user.email}`}
        onClick={() => link.mutate(user.id, { onSettled: () => setOpen(true) })}
      >
        Sign-in link
      </Button>
      <Modal opened={open} onClose={() => { setOpen(false); link.reset(); }} title={`One-time sign-in link for ${user.email}`} size="lg">
        {link.error ? (
          <Alert color="red" role="alert">{link.error.message}</Alert>
        ) : link.data ? (
          <Stack gap="sm">
            <Text size="sm">Send this link to {user.name ?? user.email}. It signs them in once and expires in 24 hours; they are then asked to set a password.</Text>
            <Code block data-testid="sign-in-link" style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>{link.data}</Code>
            <Group justify="flex-end">
              <CopyButton value={link.data}>{({ copied, copy }) => <Button onClick={copy} color={copied ? 'teal' : undefined}>{copied ? 'Copied' : 'Copy link'}</Button>}</CopyButton>
            </Group>
          </Stack>
        ) : null}
      </Modal>
    </>
  );
}

function UsersTable({ users, onEdit }: { users: User[]; onEdit: (u: User) => void }) {
  return (
    <Card withBorder padding={0}>
      <Table aria-label="Users" highlightOnHover verticalSpacing="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>User</Table.Th>
            <Table.Th>Role</Table.Th>
            <Table.Th>Teams</Table.Th>
            <Table.Th>Sign-in</Table.Th>
            <Table.Th>Last sign-in</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {users.map((u) => (
            <Table.Tr key={u.id} data-user={u.email} style={u.disabled ? { opacity: 0.6 } : undefined}>
              <Table.Td>
                <Text size="sm" fw={600}>{u.name ?? u.email}</Text>
                {u.name && <Text size="xs" c="dimmed">{u.email}</Text>}
              </Table.Td>
              <Table.Td>
                <Group gap={4}>
                  <Badge color={ROLE_COLOR[u.role]} variant="light">{u.role}</Badge>
                  {u.role === 'moderator' && u.moderatedBlueprints.map((b) => <Badge key={b} variant="outline" color="violet" tt="none">{b}</Badge>)}
                  {u.disabled && <Badge color="gray">disabled</Badge>}
                </Group>
              </Table.Td>
              <Table.Td>
                <Group gap={4}>{u.teams.length ? u.teams.map((t) => <Badge key={t} variant="outline" color="gray" tt="none">{t}</Badge>) : <Text size="sm" c="dimmed">—</Text>}</Group>
              </Table.Td>
              <Table.Td><Text size="sm">{[u.hasPassword && 'password', u.sso && 'SSO'].filter(Boolean).join(', ') || <Text span size="sm" c="dimmed">no password yet</Text>}</Text></Table.Td>
              <Table.Td><Text size="sm">{u.lastSignInAt ? formatDate(u.lastSignInAt) : <Text span size="sm" c="dimmed">never</Text>}</Text></Table.Td>
              <Table.Td>
                <Group gap={4} justify="flex-end" wrap="nowrap">
                  <SignInLinkButton user={u} />
                  <Button size="xs" variant="default" onClick={() => onEdit(u)} aria-label={`Edit ${u.email}`}>Edit</Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

function Users() {
  const users = useUsers();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<User | null>(null);
  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <div>
          <Title order={2}>Users</Title>
          <Text size="sm" c="dimmed">Who can sign in, their role and their teams. Teams decide which entities members may change.</Text>
        </div>
        <Button onClick={() => setCreating(true)}>New user</Button>
      </Group>
      {users.isPending ? <PageSkeleton rows={6} /> : users.isError ? <ErrorState error={users.error} onRetry={() => void users.refetch()} /> : users.data.length === 0 ? <EmptyState title="No users yet" /> : <UsersTable users={users.data} onEdit={setEditing} />}
      <CreateUserModal opened={creating} onClose={() => setCreating(false)} />
      {editing && <EditUserModal key={editing.id} user={editing} onClose={() => setEditing(null)} />}
    </Stack>
  );
}

export default function UsersPage() {
  return <RequireAdmin><Users /></RequireAdmin>;
}
