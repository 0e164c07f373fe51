import { Avatar, Menu, Text, UnstyledButton } from '@mantine/core';
import { useNavigate } from 'react-router-dom';
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
        <Menu.Item onClick={() => signOut.mutate(undefined, { onSettled: () => navigate('/sign-in', { replace: true }) })}>Sign out</Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
