import { Alert, Box, Button } from '@mantine/core';
import { useState } from 'react';
import { useMe } from '../api/get-me.ts';
import { PasswordForm } from './password-form.tsx';

/**
 * After a one-time sign-in link (which lands on home) a local user has no password yet: ask for one
 * here, or they are locked out once the session ends. SSO users sign in through their provider.
 */
export function SetPasswordPrompt() {
  const user = useMe().data?.user;
  const [open, setOpen] = useState(false);
  if (!user || user.hasPassword || user.sso) return null;
  return (
    <Alert color="indigo" title="Set your password" data-testid="set-password-prompt">
      You signed in with a one-time link. Choose a password so you can sign in again with your email.
      {!open && (
        <div>
          <Button size="xs" mt="sm" onClick={() => setOpen(true)}>Choose a password</Button>
        </div>
      )}
      {open && (
        <Box mt="sm">
          <PasswordForm />
        </Box>
      )}
    </Alert>
  );
}
