import { Button, Checkbox, Group, Popover, Stack, Text } from '@mantine/core';
import type { ColumnDef } from '../view-state.ts';

export function ColumnChooser({ all, visible, onChange, onReset }: { all: ColumnDef[]; visible: string[]; onChange: (ids: string[]) => void; onReset: () => void }) {
  const toggle = (id: string) => {
    if (visible.includes(id)) onChange(visible.filter((v) => v !== id));
    else {
      // Keep the blueprint's order rather than the order of clicks.
      const order = all.map((c) => c.id);
      onChange([...visible, id].sort((a, b) => order.indexOf(a) - order.indexOf(b)));
    }
  };
  return (
    <Popover position="bottom-end" shadow="md" withinPortal>
      <Popover.Target>
        <Button variant="default" size="sm">
          Columns
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap={6} role="group" aria-label="Visible columns" mah={360} style={{ overflowY: 'auto' }}>
          {all
            .filter((c) => c.id !== '$title')
            .map((c) => (
              <Checkbox key={c.id} size="xs" label={c.label} checked={visible.includes(c.id)} onChange={() => toggle(c.id)} />
            ))}
        </Stack>
        <Group justify="space-between" mt="sm">
          <Text size="xs" c="dimmed">
            Title is always shown
          </Text>
          <Button size="compact-xs" variant="subtle" onClick={onReset}>
            Reset
          </Button>
        </Group>
      </Popover.Dropdown>
    </Popover>
  );
}
