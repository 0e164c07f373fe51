import { ActionIcon, Card, Group, Select, SimpleGrid, Switch, Text, TextInput } from '@mantine/core';
import type { MirrorDraft, RelationDraft } from '../blueprint-form-model.ts';

export function RelationRow({ draft, targets, onChange, onRemove, errors }: { draft: RelationDraft; targets: string[]; onChange: (d: RelationDraft) => void; onRemove: () => void; errors: string[] }) {
  const label = draft.id || 'new relation';
  return (
    <Card withBorder padding="sm" data-testid={`relation-row-${draft.id}`} style={errors.length > 0 ? { borderColor: 'var(--mantine-color-red-5)' } : undefined}>
      <Group justify="space-between" mb={6}>
        <Text fw={600} size="sm">{draft.title || draft.id || 'New relation'}</Text>
        <ActionIcon variant="subtle" color="red" onClick={onRemove} aria-label={`Remove relation ${label}`} title="Remove relation">✕</ActionIcon>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
        <TextInput size="xs" label="Identifier" withAsterisk value={draft.id} onChange={(e) => onChange({ ...draft, id: e.currentTarget.value })} aria-label={`Identifier of relation ${label}`} />
        <TextInput size="xs" label="Title" value={draft.title} onChange={(e) => onChange({ ...draft, title: e.currentTarget.value })} />
        <Select size="xs" label="Target blueprint" withAsterisk data={targets} value={draft.target || null} onChange={(v) => onChange({ ...draft, target: v ?? '' })} searchable />
        <Switch size="sm" label="Many" checked={draft.many} onChange={(e) => onChange({ ...draft, many: e.currentTarget.checked })} />
        <Switch size="sm" label="Required" checked={draft.required} onChange={(e) => onChange({ ...draft, required: e.currentTarget.checked })} />
      </SimpleGrid>
      {errors.map((e) => <Text key={e} size="xs" c="red" mt={4} role="alert">{e}</Text>)}
    </Card>
  );
}

export function MirrorRow({ draft, onChange, onRemove, errors }: { draft: MirrorDraft; onChange: (d: MirrorDraft) => void; onRemove: () => void; errors: string[] }) {
  const label = draft.id || 'new mirror property';
  return (
    <Card withBorder padding="sm" style={errors.length > 0 ? { borderColor: 'var(--mantine-color-red-5)' } : undefined}>
      <Group gap="xs" align="flex-end" wrap="nowrap">
        <TextInput size="xs" label="Identifier" withAsterisk value={draft.id} onChange={(e) => onChange({ ...draft, id: e.currentTarget.value })} aria-label={`Identifier of mirror ${label}`} />
        <TextInput size="xs" label="Title" value={draft.title} onChange={(e) => onChange({ ...draft, title: e.currentTarget.value })} />
        <TextInput size="xs" style={{ flex: 1 }} label="Path" description="relation.property, e.g. system.domain.$title" withAsterisk value={draft.path} onChange={(e) => onChange({ ...draft, path: e.currentTarget.value })} />
        <ActionIcon variant="subtle" color="red" onClick={onRemove} aria-label={`Remove mirror ${label}`} mb={4}>✕</ActionIcon>
      </Group>
      {errors.map((e) => <Text key={e} size="xs" c="red" mt={4} role="alert">{e}</Text>)}
    </Card>
  );
}
