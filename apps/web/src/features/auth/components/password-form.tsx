import { Alert, Button, Group, PasswordInput, Stack } from '@mantine/core';
import { useState } from 'react';
import { useChangePassword } from '../api/change-password.ts';

const MIN_LENGTH = 12; // the server's rule (POST /v1/auth/password)

/** Sets the signed-in user's own password: typed twice, checked here, enforced by the server. */
export function PasswordForm({ submitLabel = 'Set password', onDone }: { submitLabel?: string; onDone?: () => void }) {
  const change = useChangePassword();
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [touched, setTouched] = useState(false);
  const tooShort = password.length > 0 && password.length < MIN_LENGTH;
  const mismatch = touched && repeat !== password;
  return (
    <form
      aria-label="Set your password"
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (password.length < MIN_LENGTH || repeat !== password) return;
        change.mutate({ password }, { onSuccess: () => { setPassword(''); setRepeat(''); setTouched(false); onDone?.(); } });
      }}
    >
      <Stack gap="sm" maw={420}>
        {change.isSuccess && <Alert color="green" role="status">Password saved. Use it with your email to sign in next time.</Alert>}
        {change.error && <Alert color="red" role="alert">{change.error.message}</Alert>}
        <PasswordInput
          label="New password"
          description={`At least ${MIN_LENGTH} characters`}
          autoComplete="new-password"
          required
          value={password}
          error={tooShort && touched ? `Must be at least ${MIN_LENGTH} characters` : undefined}
          onChange={(e) => setPassword(e.currentTarget.value)}
        />
        <PasswordInput
          label="Repeat new password"
          autoComplete="new-password"
          required
          value={repeat}
          error={mismatch ? 'The two passwords differ' : undefined}
          onChange={(e) => setRepeat(e.currentTarget.value)}
        />
        <Group>
          <Button type="submit" loading={change.isPending}>{submitLabel}</Button>
        </Group>
      </Stack>
    </form>
  );
}
