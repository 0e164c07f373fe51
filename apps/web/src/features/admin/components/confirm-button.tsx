import { Alert, Button, Group, Modal, Stack, Text, type ButtonProps } from '@mantine/core';
import { useState, type ReactNode } from 'react';

/** A button that asks first; the modal stays open with the server's reason when the action fails. */
export function ConfirmButton({
  label,
  title,
  children,
  confirmLabel,
  onConfirm,
  pending,
  error,
  buttonProps,
}: {
  label: string;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: (close: () => void) => void;
  pending: boolean;
  error: Error | null;
  buttonProps?: ButtonProps & { 'aria-label'?: string };
}) {
  const [open, setOpen] = useState(false);
  const close = () => setOpen(false);
  return (
    <>
      <Button size="xs" variant="subtle" color="red" {...buttonProps} onClick={() => setOpen(true)}>{label}</Button>
      <Modal opened={open} onClose={close} title={title}>
        <Stack>
          <Text size="sm" component="div">{children}</Text>
          {error && <Alert color="red" role="alert">{error.message}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>Cancel</Button>
            <Button color="red" loading={pending} onClick={() => onConfirm(close)}>{confirmLabel}</Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
