import { Anchor, AppShell, Box, Burger, Group, Kbd, NavLink, ScrollArea, Skeleton, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { lazy, Suspense, useState } from 'react';
import { Link, Outlet, useLocation } from 'react-router-dom';
import { BlueprintAvatar } from '../components/entity-avatar.tsx';
import { PageSkeleton } from '../components/page-skeleton.tsx';
import { useBlueprints } from '../features/blueprints/api/get-blueprints.ts';
import { useMe } from '../features/auth/api/get-me.ts';
import { UserMenu } from '../features/auth/components/user-menu.tsx';
import { useJumpPaletteHotkeys } from '../features/search/jump-palette-hotkeys.ts';
import { paths } from '../lib/paths.ts';

// The jump palette (a modal) loads on first use: nobody needs it for the first page.
const JumpPalette = lazy(() => import('../features/search/components/jump-palette.tsx'));

function Navigation({ onNavigate }: { onNavigate: () => void }) {
  const { pathname } = useLocation();
  const blueprints = useBlueprints();
  const admin = useMe().data?.user.role === 'admin';
  const adminLink = (to: string, label: string) => (
    <NavLink key={to} component={Link} to={to} label={label} active={pathname.startsWith(to)} onClick={onNavigate} />
  );
  return (
    <nav aria-label="Main">
      <NavLink component={Link} to={paths.home()} label="Home" active={pathname === '/'} onClick={onNavigate} />
      <Text size="xs" fw={700} c="dimmed" tt="uppercase" mt="md" mb={4} px="sm">
        Catalog
      </Text>
      {blueprints.isPending &&
        Array.from({ length: 5 }, (_, i) => <Skeleton key={i} height={28} my={4} mx="sm" width="70%" />)}
      {blueprints.isError && (
        <Text size="sm" c="red" px="sm">
          Could not load blueprints
        </Text>
      )}
      {blueprints.data?.map((bp) => (
        <NavLink
          key={bp.identifier}
          component={Link}
          to={paths.catalog(bp.identifier)}
          label={bp.title}
          leftSection={<BlueprintAvatar blueprint={bp.identifier} title={bp.title} size="sm" />}
          active={pathname === paths.catalog(bp.identifier) || pathname.startsWith(paths.catalog(bp.identifier) + '/')}
          onClick={onNavigate}
        />
      ))}
      <Text size="xs" fw={700} c="dimmed" tt="uppercase" mt="md" mb={4} px="sm">
        Platform
      </Text>
      <NavLink component={Link} to="/create" label="Create" active={pathname.startsWith('/create')} onClick={onNavigate} />
      <NavLink component={Link} to="/runs" label="Runs" active={pathname === '/runs' || pathname.startsWith('/runs/')} onClick={onNavigate} />
      <NavLink component={Link} to="/actions" label="Actions" active={pathname === '/actions'} onClick={onNavigate} />
      <NavLink component={Link} to={paths.dataModel()} label="Data model" active={pathname.startsWith('/data-model')} onClick={onNavigate} />
      <NavLink component="a" href="/docs" label="REST API docs" target="_blank" rel="noreferrer" />
      {admin && (
        <>
          <Text size="xs" fw={700} c="dimmed" tt="uppercase" mt="md" mb={4} px="sm">
            Administration
          </Text>
          {adminLink(paths.users(), 'Users')}
          {adminLink(paths.teams(), 'Teams')}
          {adminLink(paths.apiClients(), 'API clients')}
          {adminLink(paths.secrets(), 'Secrets')}
          {adminLink(paths.auditLog(), 'Audit log')}
          {adminLink(paths.locations(), 'Catalog locations')}
        </>
      )}
    </nav>
  );
}

export function AppLayout() {
  const [navOpen, nav] = useDisclosure(false);
  const [paletteOpen, palette] = useDisclosure(false);
  // Mounted from its first opening on, so it can animate its own closing.
  const [paletteUsed, setPaletteUsed] = useState(false);
  if (paletteOpen && !paletteUsed) setPaletteUsed(true);
  useJumpPaletteHotkeys(palette.open);
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !navOpen } }} padding="lg">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={navOpen} onClick={nav.toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Anchor component={Link} to="/" underline="never" c="inherit">
              <Group gap={8} wrap="nowrap">
                <svg width="26" height="26" viewBox="0 0 32 32" aria-hidden="true">
                  <circle cx="16" cy="16" r="14" fill="var(--mantine-color-indigo-6)" />
                  <path d="M16 5l4 11-4 11-4-11z" fill="white" />
                </svg>
                <Text fw={700} size="lg">
                  Portolan
                </Text>
              </Group>
            </Anchor>
          </Group>
          <Group gap="md" wrap="nowrap">
          <UnstyledButton
            onClick={palette.open}
            aria-label="Jump to entity"
            style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 8, padding: '6px 10px', minWidth: 260 }}
          >
            <Group justify="space-between" gap="xl" wrap="nowrap">
              <Text size="sm" c="dimmed">
                Jump to entity…
              </Text>
              <Group gap={4} wrap="nowrap">
                <Kbd size="xs">Ctrl</Kbd>
                <Kbd size="xs">K</Kbd>
              </Group>
            </Group>
          </UnstyledButton>
          <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        <ScrollArea type="auto">
          <Navigation onNavigate={nav.close} />
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main>
        <Box maw={1600}>
          <Suspense fallback={<PageSkeleton />}>
            <Outlet />
          </Suspense>
        </Box>
      </AppShell.Main>
      {paletteUsed && (
        <Suspense fallback={null}>
          <JumpPalette opened={paletteOpen} onClose={palette.close} />
        </Suspense>
      )}
    </AppShell>
  );
}
