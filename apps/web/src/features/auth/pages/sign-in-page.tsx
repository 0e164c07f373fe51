import { Alert, Button, Card, Center, Divider, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { Navigate, useSearchParams } from 'react-router-dom';
import { useMe } from '../api/get-me.ts';
import { useProviders } from '../api/get-providers.ts';
import { useSignIn } from '../api/sign-in.ts';

/** Only same-origin paths may be a `next` target (no open redirect). */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/v1/') ? next : '/';
}

export function SignInPage() {
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const me = useMe();
  const providers = useProviders();
  const signIn = useSignIn();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const linkError = params.get('error');

  if (me.isSuccess || signIn.isSuccess) return <Navigate to={next} replace />;

  return (
    <Center mih="100vh" bg="gray.0" p="md">
      <Card withBorder shadow="sm" w={400} padding="xl">
        <form
          aria-label="Sign in"
          onSubmit={(e) => {
            e.preventDefault();
            signIn.mutate({ email, password });
          }}
        >
          <Stack>
            <div>
              <Title order={2}>Sign in to Portolan</Title>
              <Text size="sm" c="dimmed">Your developer portal: catalog, scaffolder and self-service.</Text>
            </div>
            {linkError && <Alert color="red">{linkError}</Alert>}
            {signIn.error && <Alert color="red" role="alert">{signIn.error.message}</Alert>}
            <TextInput label="Email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
            <PasswordInput label="Password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
            <Button type="submit" loading={signIn.isPending}>Sign in</Button>
            {providers.data?.oidc && (
              <>
                <Divider label="or" />
                <Button component="a" href={providers.data.oidc.url} variant="default">Sign in with {providers.data.oidc.name}</Button>
              </>
            )}
          </Stack>
        </form>
      </Card>
    </Center>
  );
}
