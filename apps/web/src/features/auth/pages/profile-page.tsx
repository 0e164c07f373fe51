import { Badge, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { PageSkeleton } from '../../../components/page-skeleton.tsx';
import { formatDate } from '../../entities/components/property-value.tsx';
import { useMe } from '../api/get-me.ts';
import { PasswordForm } from '../components/password-form.tsx';

const ROLE_TEXT = {
  admin: 'Admin: everything, including users, teams, API clients and secrets.',
  moderator: 'Moderator: edits the blueprints listed below, and their entities.',
  member: "Member: reads the catalog; creates and changes entities their teams own.",
  viewer: 'Viewer: reads the catalog.',
} as const;

export default function ProfilePage() {
  const me = useMe();
  if (!me.data) return <PageSkeleton />;
  const { user } = me.data;
  return (
    <Stack gap="lg" maw={800}>
      <Title order={2}>Your profile</Title>
      <Card withBorder>
        <Table aria-label="Your account" verticalSpacing={8}>
          <Table.Tbody>
            <Table.Tr><Table.Th w={180}>Name</Table.Th><Table.Td>{user.name ?? '—'}</Table.Td></Table.Tr>
            <Table.Tr><Table.Th>Email</Table.Th><Table.Td>{user.email}</Table.Td></Table.Tr>
            <Table.Tr>
              <Table.Th>Role</Table.Th>
              <Table.Td><Group gap="xs"><Badge variant="light">{user.role}</Badge><Text size="sm" c="dimmed">{ROLE_TEXT[user.role]}</Text></Group></Table.Td>
            </Table.Tr>
            {user.role === 'moderator' && (
              <Table.Tr><Table.Th>Moderates</Table.Th><Table.Td>{user.moderatedBlueprints.join(', ') || '—'}</Table.Td></Table.Tr>
            )}
            <Table.Tr>
              <Table.Th>Teams</Table.Th>
              <Table.Td>{user.teams.length ? <Group gap={4}>{user.teams.map((t) => <Badge key={t} variant="outline" color="gray" tt="none">{t}</Badge>)}</Group> : '—'}</Table.Td>
            </Table.Tr>
            <Table.Tr><Table.Th>Last sign-in</Table.Th><Table.Td>{user.lastSignInAt ? formatDate(user.lastSignInAt) : '—'}</Table.Td></Table.Tr>
          </Table.Tbody>
        </Table>
      </Card>
      <Card withBorder>
        <Title order={4} mb={4}>{user.hasPassword ? 'Change password' : 'Set a password'}</Title>
        {user.sso ? (
          <Text size="sm" c="dimmed">You sign in through single sign-on; your password is managed there.</Text>
        ) : (
          <>
            <Text size="sm" c="dimmed" mb="sm">{user.hasPassword ? 'Other sessions stay signed in.' : 'You have no password yet: set one to sign in with your email.'}</Text>
            <PasswordForm submitLabel={user.hasPassword ? 'Change password' : 'Set password'} />
          </>
        )}
      </Card>
    </Stack>
  );
}
