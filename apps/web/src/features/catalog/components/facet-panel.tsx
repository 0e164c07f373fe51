import { Badge, Checkbox, Group, Skeleton, Stack, Text } from '@mantine/core';
import { memo } from 'react';
import type { FacetValue } from '../../../lib/contract-types.ts';
import { enumColor } from '../../entities/components/enum-colors.ts';
import type { FacetDef } from '../view-state.ts';

export interface FacetPanelProps {
  facets: FacetDef[];
  values: Record<string, FacetValue[] | undefined>;
  selected: Record<string, string[]>;
  loading: boolean;
  onToggle: (facet: string, value: string) => void;
}

/** Value counts per facet under the current filters; a checked value narrows the table. Memoized:
 * it is the heaviest part of the catalog page to render. */
export const FacetPanel = memo(function FacetPanel({ facets, values, selected, loading, onToggle }: FacetPanelProps) {
  return (
    <Stack gap="md" component="aside" aria-label="Filters">
      {facets.map((facet) => {
        const list = (values[facet.id] ?? []).filter((v) => v.value !== null && v.value !== '');
        const chosen = selected[facet.id] ?? [];
        // A selected value that no longer has matches stays visible, so it can be unchecked.
        const missing = chosen.filter((c) => !list.some((v) => String(v.value) === c));
        if (!loading && list.length === 0 && missing.length === 0) return null;
        return (
          <fieldset key={facet.id} style={{ border: 0, margin: 0, padding: 0 }}>
            <Text component="legend" size="xs" fw={700} c="dimmed" tt="uppercase" mb={6}>
              {facet.label}
            </Text>
            {loading && list.length === 0 ? (
              <Stack gap={6}>
                <Skeleton height={16} width="70%" />
                <Skeleton height={16} width="55%" />
              </Stack>
            ) : (
              <Stack gap={6}>
                {[...list.map((v) => ({ value: String(v.value), count: v.count as number | null })), ...missing.map((m) => ({ value: m, count: 0 }))].map(({ value, count }) => (
                  <Group key={value} justify="space-between" wrap="nowrap" gap="xs">
                    <Checkbox
                      size="xs"
                      checked={chosen.includes(value)}
                      onChange={() => onToggle(facet.id, value)}
                      label={
                        facet.property?.enum ? (
                          <Badge variant="light" color={enumColor(facet.property, value)} tt="none" radius="sm" size="sm">
                            {value}
                          </Badge>
                        ) : (
                          <Text size="sm" lineClamp={1}>{value === 'true' ? 'Yes' : value === 'false' ? 'No' : value}</Text>
                        )
                      }
                      aria-label={`${facet.label}: ${value}`}
                    />
                    <Text size="xs" c="dimmed">{count ?? ''}</Text>
                  </Group>
                ))}
              </Stack>
            )}
          </fieldset>
        );
      })}
    </Stack>
  );
});
