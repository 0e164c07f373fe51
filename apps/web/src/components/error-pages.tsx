import { Alert, Button, Center, Group, Stack, Text, Title } from '@mantine/core';
import { Link, isRouteErrorResponse, useRouteError } from 'react-router-dom';
import { isApiError } from '../lib/api-client.ts';

export function ErrorState({ error, onRetry, title }: { error: unknown; onRetry?: () => void; title?: string }) {
  const notFound = isApiError(error, 404);
  return (
    <Alert color={notFound ? 'yellow' : 'red'} title={title ?? (notFound ? 'Not found' : 'Something went wrong')} role="alert">
      <Stack gap="xs">
        <Text size="sm">{error instanceof Error ? error.message : String(error)}</Text>
        <Group gap="xs">
          {onRetry && !notFound && (
            <Button size="xs" variant="light" onClick={onRetry}>
              Try again
            </Button>
          )}
          <Button size="xs" variant="subtle" component={Link} to="/">
            Back to home
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}

export function NotFoundPage() {
  return (
    <Center mih={300}>
      <Stack align="center" gap="xs">
        <Title order={2}>Page not found</Title>
        <Text c="dimmed">There is nothing at this address.</Text>
        <Button component={Link} to="/" variant="light">
          Back to home
        </Button>
      </Stack>
    </Center>
  );
}

export function RouteErrorPage() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : error instanceof Error ? error.message : 'Unknown error';
  return (
    <Center mih="100vh" p="xl">
      <Stack align="center" gap="xs" maw={520}>
        <Title order={2}>This page failed to load</Title>
        <Text c="dimmed" ta="center">
          {message}
        </Text>
        <Button component="a" href="/" variant="light">
          Back to home
        </Button>
      </Stack>
    </Center>
  );
}

export function EmptyState({ title, children }: { title: string; children?: React.ReactNode }) {
  return (
    <Center py="xl">
      <Stack align="center" gap={4}>
        <Text fw={600}>{title}</Text>
        {children && (
          <Text size="sm" c="dimmed" ta="center">
            {children}
          </Text>
        )}
      </Stack>
    </Center>
  );
}
