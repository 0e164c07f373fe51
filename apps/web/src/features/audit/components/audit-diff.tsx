import { Badge, Button, Code, Group, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import type { AuditEntry } from '../../../lib/contract-types.ts';
import { diffFields, formatDiffValue, type FieldChange } from '../audit-diff.ts';

const KIND_COLOR: Record<FieldChange['kind'], string> = { added: 'green', removed: 'red', changed: 'blue' };

function ValueCell({ value, tone }: { value: unknown; tone: 'before' | 'after' }) {
  if (value === null || value === undefined) return <Text size="sm" c="dimmed">—</Text>;
  return (
    <Code
      block
      className="pt-code"
      style={{ maxHeight: 160, overflow: 'auto', background: tone === 'before' ? 'var(--mantine-color-red-0)' : 'var(--mantine-color-green-0)' }}
    >
      {formatDiffValue(value)}
    </Code>
  );
}

/** The fields an audit entry changed, before → after; the full documents as JSON on request. */
export function AuditDiff({ entry }: { entry: Pick<AuditEntry, 'before' | 'after'> }) {
  const [raw, setRaw] = useState(false);
  const changes = diffFields(entry.before, entry.after);
  return (
    <Stack gap="xs">
      {changes.length === 0 ? (
        <Text size="sm" c="dimmed">No field changed.</Text>
      ) : (
        <Table aria-label="Changed fields" verticalSpacing={6} layout="fixed" withRowBorders>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w="24%">Field</Table.Th>
              <Table.Th>Before</Table.Th>
              <Table.Th>After</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {changes.map((c) => (
              <Table.Tr key={c.path} data-field={c.path} data-kind={c.kind}>
                <Table.Td style={{ verticalAlign: 'top' }}>
                  <Group gap={6} wrap="nowrap">
                    <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>{c.path}</Text>
                    <Badge size="xs" variant="light" color={KIND_COLOR[c.kind]}>{c.kind}</Badge>
                  </Group>
                </Table.Td>
                <Table.Td style={{ verticalAlign: 'top' }}><ValueCell value={c.before} tone="before" /></Table.Td>
                <Table.Td style={{ verticalAlign: 'top' }}><ValueCell value={c.after} tone="after" /></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Group>
        <Button size="compact-xs" variant="subtle" onClick={() => setRaw((r) => !r)} aria-expanded={raw}>
          {raw ? 'Hide JSON' : 'Show full JSON'}
        </Button>
      </Group>
      {raw && (
        <SimpleGrid cols={2}>
          <div>
            <Text size="xs" fw={700} c="dimmed" mb={4}>BEFORE</Text>
            <Code block className="pt-code" style={{ maxHeight: 400, overflow: 'auto' }} data-testid="audit-before">{entry.before === null ? 'null' : JSON.stringify(entry.before, null, 2)}</Code>
          </div>
          <div>
            <Text size="xs" fw={700} c="dimmed" mb={4}>AFTER</Text>
            <Code block className="pt-code" style={{ maxHeight: 400, overflow: 'auto' }} data-testid="audit-after">{entry.after === null ? 'null' : JSON.stringify(entry.after, null, 2)}</Code>
          </div>
        </SimpleGrid>
      )}
    </Stack>
  );
}

/** "user:ana@example.org" → "ana@example.org"; clients and the system keep their prefix. */
export function actorLabel(actor: string): string {
  return actor.startsWith('user:') ? actor.slice(5) : actor;
}
