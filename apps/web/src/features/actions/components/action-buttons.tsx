import { Button, Menu, Text } from '@mantine/core';
import { lazy, Suspense, useState } from 'react';
import { useActions } from '../api/get-actions.ts';
import type { Action } from '../types.ts';

// The form dialog (and the picker, inputs and validation it brings) loads when an action is clicked.
const ActionDialog = lazy(() => import('./action-dialog.tsx'));

function useOpenAction(entity: string | null) {
  const [open, setOpen] = useState<Action | null>(null);
  const dialog = open && (
    <Suspense fallback={null}>
      <ActionDialog action={open} entity={entity} onClose={() => setOpen(null)} />
    </Suspense>
  );
  return { setOpen, dialog };
}

/** The DAY-2 and DELETE actions of an entity's blueprint, in an "Actions" menu on the entity page. */
export function EntityActionsMenu({ blueprint, entity }: { blueprint: string; entity: string }) {
  const actions = useActions(blueprint);
  const { setOpen, dialog } = useOpenAction(entity);
  const own = (actions.data ?? []).filter((a) => a.trigger.blueprintIdentifier === blueprint && a.trigger.operation !== 'CREATE');
  if (own.length === 0) return null;
  const day2 = own.filter((a) => a.trigger.operation === 'DAY-2');
  const deletes = own.filter((a) => a.trigger.operation === 'DELETE');
  return (
    <>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button variant="light">Actions</Button>
        </Menu.Target>
        <Menu.Dropdown aria-label="Actions">
          {day2.map((a) => (
            <Menu.Item key={a.identifier} onClick={() => setOpen(a)} data-action={a.identifier}>
              <Text size="sm">{a.title ?? a.identifier}</Text>
              {a.description && <Text size="xs" c="dimmed" maw={280} lineClamp={2}>{a.description}</Text>}
            </Menu.Item>
          ))}
          {day2.length > 0 && deletes.length > 0 && <Menu.Divider />}
          {deletes.map((a) => (
            <Menu.Item key={a.identifier} color="red" onClick={() => setOpen(a)} data-action={a.identifier}>
              {a.title ?? a.identifier}
            </Menu.Item>
          ))}
        </Menu.Dropdown>
      </Menu>
      {dialog}
    </>
  );
}

/** The CREATE actions of a blueprint, as buttons on its catalog page. */
export function CatalogActionButtons({ blueprint }: { blueprint: string }) {
  const actions = useActions(blueprint);
  const { setOpen, dialog } = useOpenAction(null);
  const creates = (actions.data ?? []).filter((a) => a.trigger.blueprintIdentifier === blueprint && a.trigger.operation === 'CREATE');
  if (creates.length === 0) return null;
  return (
    <>
      {creates.map((a) => (
        <Button key={a.identifier} variant="light" onClick={() => setOpen(a)} data-action={a.identifier} title={a.description}>
          {a.title ?? a.identifier}
        </Button>
      ))}
      {dialog}
    </>
  );
}
