import { Avatar, Menu, Text, UnstyledButton } from '@mantine/core';
import { Link, useNavigate } from 'react-router-dom';
import { paths } from '../../../lib/paths.ts';
import { useMe } from '../api/get-me.ts';
import { useSignOut } from '../api/sign-out.ts';

export function UserMenu() {
  const me = useMe();
  const signOut = useSignOut();
  const navigate = useNavigate();
  const user = me.data?.user;
  if (!user) return null;
  const name = user.name ?? user.email;
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <UnstyledButton aria-label={`Account: ${name}`}>
          <Avatar size="sm" color="indigo" radius="xl">{name.slice(0, 2).toUpperCase()}</Avatar>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          <Text size="sm" fw={600}>{name}</Text>
          <Text size="xs" c="dimmed">{user.email} · {user.role}</Text>
        </Menu.Label>
        <Menu.Item component={Link} to={paths.profile()}>Profile and password</Menu.Item>
        {user.role === 'admin' && (
          <>
            <Menu.Divider />
            <Menu.Label>Administration</Menu.Label>
            <Menu.Item component={Link} to={paths.users()}>Users</Menu.Item>
            <Menu.Item component={Link} to={paths.teams()}>Teams</Menu.Item>
            <Menu.Item component={Link} to={paths.apiClients()}>API clients</Menu.Item>
            <Menu.Item component={Link} to={paths.secrets()}>Secrets</Menu.Item>
            <Menu.Item component={Link} to={paths.auditLog()}>Audit log</Menu.Item>
          </>
        )}
        <Menu.Divider />
        <Menu.Item color="red" onClick={() => signOut.mutate(undefined, { onSettled: () => navigate('/sign-in', { replace: true }) })}>Sign out</Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
