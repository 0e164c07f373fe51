import { Badge, Group, Loader, Modal, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { BlueprintAvatar } from '../../../components/entity-avatar.tsx';
import { paths } from '../../../lib/paths.ts';
import { useSearchAllEntities } from '../../entities/api/search-all-entities.ts';

export function JumpPalette({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [text, setText] = useState('');
  const [debounced] = useDebouncedValue(text.trim(), 150);
  const [active, setActive] = useState(0);
  const navigate = useNavigate();
  const results = useSearchAllEntities({ search: debounced, limit: 10 }, opened && debounced.length > 0);
  const items = debounced.length > 0 ? (results.data?.entities ?? []) : [];

  useEffect(() => setActive(0), [debounced]);
  useEffect(() => {
    if (!opened) setText('');
  }, [opened]);

  const go = (index: number) => {
    const e = items[index];
    if (!e) return;
    onClose();
    navigate(paths.entity(e.blueprint, e.identifier));
  };

  return (
    <Modal opened={opened} onClose={onClose} title="Jump to entity" size="lg" yOffset="10vh">
      <TextInput
        data-autofocus
        placeholder="Type an identifier or a title"
        aria-label="Search entities"
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        rightSection={results.isFetching ? <Loader size="xs" /> : null}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setActive((a) => Math.min(a + 1, items.length - 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((a) => Math.max(a - 1, 0));
          } else if (e.key === 'Enter') {
            e.preventDefault();
            go(active);
          }
        }}
      />
      <Stack gap={2} mt="sm" role="listbox" aria-label="Matching entities">
        {items.map((e, i) => (
          <UnstyledButton
            key={`${e.blueprint}/${e.identifier}`}
            role="option"
            aria-selected={i === active}
            onMouseEnter={() => setActive(i)}
            onClick={() => go(i)}
            p="xs"
            style={{ borderRadius: 6, background: i === active ? 'var(--mantine-color-indigo-0)' : undefined }}
          >
            <Group justify="space-between" wrap="nowrap">
              <Group gap="sm" wrap="nowrap">
                <BlueprintAvatar blueprint={e.blueprint} size="sm" />
                <div>
                  <Text size="sm" fw={500}>
                    {e.title ?? e.identifier}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {e.identifier}
                  </Text>
                </div>
              </Group>
              <Badge variant="light" color="gray">
                {e.blueprint}
              </Badge>
            </Group>
          </UnstyledButton>
        ))}
        {debounced && !results.isFetching && items.length === 0 && (
          <Text size="sm" c="dimmed" ta="center" py="md">
            No entity matches “{debounced}”.
          </Text>
        )}
        {results.isError && (
          <Text size="sm" c="red">
            Search failed: {(results.error as Error).message}
          </Text>
        )}
      </Stack>
    </Modal>
  );
}

export default JumpPalette;
