import { ActionIcon, Card, Group, Select, SimpleGrid, Switch, TagsInput, Text, TextInput } from '@mantine/core';
import { ENUM_COLORS, PROPERTY_FORMATS, PROPERTY_TYPES } from '@portolan/contract';
import { cssColor } from '../../entities/components/enum-colors.ts';
import type { PropertyDraft } from '../blueprint-form-model.ts';

const FORMATS_BY_TYPE: Record<string, readonly string[]> = {
  string: PROPERTY_FORMATS,
  number: [],
  boolean: [],
  object: [],
  array: [],
};

export function PropertyRow({ draft, onChange, onRemove, errors }: { draft: PropertyDraft; onChange: (d: PropertyDraft) => void; onRemove: () => void; errors: string[] }) {
  const label = draft.id || 'new property';
  const canEnum = draft.type === 'string' || draft.type === 'number';
  return (
    <Card withBorder padding="sm" data-testid={`property-row-${draft.id}`} style={errors.length > 0 ? { borderColor: 'var(--mantine-color-red-5)' } : undefined}>
      <Group justify="space-between" mb={6}>
        <Text fw={600} size="sm">{draft.title || draft.id || 'New property'}</Text>
        <ActionIcon variant="subtle" color="red" onClick={onRemove} aria-label={`Remove property ${label}`} title="Remove property">
          ✕
        </ActionIcon>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
        <TextInput size="xs" label="Identifier" withAsterisk value={draft.id} onChange={(e) => onChange({ ...draft, id: e.currentTarget.value })} aria-label={`Identifier of property ${label}`} />
        <TextInput size="xs" label="Title" value={draft.title} onChange={(e) => onChange({ ...draft, title: e.currentTarget.value })} />
        <Select
          size="xs"
          label="Type"
          data={[...PROPERTY_TYPES]}
          value={draft.type}
          allowDeselect={false}
          onChange={(v) => onChange({ ...draft, type: v ?? 'string', format: v === 'string' ? draft.format : '', enumValues: v === 'string' || v === 'number' ? draft.enumValues : [] })}
        />
        <Select
          size="xs"
          label="Format"
          placeholder="none"
          clearable
          disabled={(FORMATS_BY_TYPE[draft.type] ?? []).length === 0}
          data={[...(FORMATS_BY_TYPE[draft.type] ?? [])]}
          value={draft.format || null}
          onChange={(v) => onChange({ ...draft, format: v ?? '' })}
        />
        <TextInput size="xs" label="Default" value={draft.defaultText} onChange={(e) => onChange({ ...draft, defaultText: e.currentTarget.value })} placeholder={draft.type === 'string' ? 'text' : draft.type === 'number' ? '0' : draft.type === 'boolean' ? 'true / false' : 'JSON'} />
        <Switch size="sm" mt={24} label="Required" checked={draft.required} onChange={(e) => onChange({ ...draft, required: e.currentTarget.checked })} />
      </SimpleGrid>
      <TextInput size="xs" mt="xs" label="Description" value={draft.description} onChange={(e) => onChange({ ...draft, description: e.currentTarget.value })} />
      {canEnum && (
        <TagsInput size="xs" mt="xs" label="Allowed values (enum)" description="Leave empty for free input; press Enter after each value" value={draft.enumValues} onChange={(v) => onChange({ ...draft, enumValues: v })} />
      )}
      {canEnum && draft.enumValues.length > 0 && (
        <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs" mt="xs">
          {draft.enumValues.map((v) => (
            <Select
              key={v}
              size="xs"
              label={`Color of ${v}`}
              placeholder="none"
              clearable
              data={ENUM_COLORS.map((c) => ({ value: c, label: c }))}
              value={draft.enumColors[v] ?? null}
              leftSection={draft.enumColors[v] ? <span style={{ width: 10, height: 10, borderRadius: 5, background: cssColor(draft.enumColors[v]!) }} /> : undefined}
              onChange={(c) => {
                const colors = { ...draft.enumColors };
                if (c) colors[v] = c;
                else delete colors[v];
                onChange({ ...draft, enumColors: colors });
              }}
            />
          ))}
        </SimpleGrid>
      )}
      {errors.map((e) => (
        <Text key={e} size="xs" c="red" mt={4} role="alert">
          {e}
        </Text>
      ))}
    </Card>
  );
}
