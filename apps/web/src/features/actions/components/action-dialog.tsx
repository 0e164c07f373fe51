import { Badge, Group, Modal, Text } from '@mantine/core';
import { useNavigate } from 'react-router-dom';
import { actionPaths } from '../paths.ts';
import type { Action } from '../types.ts';
import { ActionForm } from './action-form.tsx';

/** The input form in a dialog (loaded on first use); a started run opens its page. */
export default function ActionDialog({ action, entity, onClose }: { action: Action; entity: string | null; onClose: () => void }) {
  const navigate = useNavigate();
  return (
    <Modal
      opened
      onClose={onClose}
      size="lg"
      title={
        <Group gap="xs">
          <Text fw={600}>{action.title ?? action.identifier}</Text>
          {entity && <Badge variant="light" tt="none">{entity}</Badge>}
        </Group>
      }
    >
      <ActionForm action={action} entity={entity} onCancel={onClose} onStarted={(run) => navigate(actionPaths.run(run.id))} />
    </Modal>
  );
}
