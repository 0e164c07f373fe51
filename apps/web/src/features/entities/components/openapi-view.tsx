import { Accordion, Alert, Badge, Code, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import { parse } from 'yaml';

// A light OpenAPI/AsyncAPI reader (loaded only on the API tab): title, servers, and every operation
// with its parameters, request body and responses. Enough to read a spec without a heavy viewer.

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const METHOD_COLORS: Record<string, string> = { get: 'blue', post: 'green', put: 'orange', patch: 'teal', delete: 'red' };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface Operation {
  method: string;
  path: string;
  summary: string;
  description?: string;
  parameters: { name: string; in: string; required: boolean; type: string; description?: string }[];
  requestBody?: unknown;
  responses: { status: string; description: string }[];
}

export function parseSpec(source: string): { title: string; version: string; description?: string; servers: string[]; operations: Operation[] } {
  const doc = parse(source) as unknown;
  if (!isObj(doc)) throw new Error('The document is not a YAML or JSON object.');
  const info = isObj(doc.info) ? doc.info : {};
  const servers = Array.isArray(doc.servers) ? doc.servers.filter(isObj).map((s) => String(s.url ?? '')) : [];
  const operations: Operation[] = [];
  const paths = isObj(doc.paths) ? doc.paths : isObj(doc.channels) ? doc.channels : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isObj(item)) continue;
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    for (const method of [...METHODS, 'publish', 'subscribe']) {
      const op = item[method];
      if (!isObj(op)) continue;
      const params = [...shared, ...(Array.isArray(op.parameters) ? op.parameters : [])].filter(isObj);
      operations.push({
        method,
        path,
        summary: String(op.summary ?? op.operationId ?? ''),
        description: typeof op.description === 'string' ? op.description : undefined,
        parameters: params.map((p) => ({
          name: String(p.name ?? p.$ref ?? '?'),
          in: String(p.in ?? ''),
          required: p.required === true,
          type: isObj(p.schema) ? String(p.schema.type ?? p.schema.$ref ?? '') : '',
          description: typeof p.description === 'string' ? p.description : undefined,
        })),
        requestBody: op.requestBody ?? op.message,
        responses: isObj(op.responses) ? Object.entries(op.responses).map(([status, r]) => ({ status, description: isObj(r) ? String(r.description ?? '') : '' })) : [],
      });
    }
  }
  return { title: String(info.title ?? 'API'), version: String(info.version ?? ''), description: typeof info.description === 'string' ? info.description : undefined, servers, operations };
}

export default function OpenApiView({ source, kind }: { source: string; kind: string }) {
  const spec = useMemo(() => {
    try {
      return { ok: true as const, value: parseSpec(source) };
    } catch (error) {
      return { ok: false as const, error: (error as Error).message };
    }
  }, [source]);

  if (!spec.ok) {
    return (
      <Alert color="red" title="This API document could not be read">
        {spec.error}
      </Alert>
    );
  }
  const s = spec.value;
  return (
    <Stack gap="md" data-testid="api-docs">
      <Group gap="sm">
        <Title order={3}>{s.title}</Title>
        {s.version && <Badge variant="light">v{s.version}</Badge>}
        <Badge variant="outline" color="gray">{kind}</Badge>
      </Group>
      {s.description && <Text size="sm">{s.description}</Text>}
      {s.servers.length > 0 && (
        <Text size="sm">
          Servers: {s.servers.map((u) => <Code key={u} mr={6}>{u}</Code>)}
        </Text>
      )}
      {s.operations.length === 0 ? (
        <Text size="sm" c="dimmed">The document declares no operations.</Text>
      ) : (
        <Accordion variant="separated" multiple defaultValue={s.operations.length <= 5 ? s.operations.map((o) => `${o.method} ${o.path}`) : []}>
          {s.operations.map((op) => (
            <Accordion.Item key={`${op.method} ${op.path}`} value={`${op.method} ${op.path}`}>
              <Accordion.Control>
                <Group gap="sm" wrap="nowrap">
                  <Badge color={METHOD_COLORS[op.method] ?? 'gray'} w={70} radius="sm">{op.method.toUpperCase()}</Badge>
                  <Code>{op.path}</Code>
                  <Text size="sm" c="dimmed" truncate>{op.summary}</Text>
                </Group>
              </Accordion.Control>
              <Accordion.Panel>
                <Stack gap="sm">
                  {op.description && <Text size="sm">{op.description}</Text>}
                  {op.parameters.length > 0 && (
                    <Table withTableBorder verticalSpacing={4} aria-label={`Parameters of ${op.method.toUpperCase()} ${op.path}`}>
                      <Table.Thead>
                        <Table.Tr><Table.Th>Parameter</Table.Th><Table.Th>In</Table.Th><Table.Th>Type</Table.Th><Table.Th>Description</Table.Th></Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {op.parameters.map((p) => (
                          <Table.Tr key={`${p.in}:${p.name}`}>
                            <Table.Td><Code>{p.name}</Code>{p.required && <Text span c="red"> *</Text>}</Table.Td>
                            <Table.Td>{p.in}</Table.Td>
                            <Table.Td>{p.type}</Table.Td>
                            <Table.Td>{p.description}</Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  )}
                  {op.requestBody !== undefined && (
                    <div>
                      <Text size="sm" fw={600}>Request body</Text>
                      <Code block className="pt-code">{JSON.stringify(op.requestBody, null, 2)}</Code>
                    </div>
                  )}
                  {op.responses.length > 0 && (
                    <div>
                      <Text size="sm" fw={600} mb={4}>Responses</Text>
                      {op.responses.map((r) => (
                        <Group key={r.status} gap="xs">
                          <Badge variant="light" color={r.status.startsWith('2') ? 'green' : r.status.startsWith('4') || r.status.startsWith('5') ? 'red' : 'gray'}>{r.status}</Badge>
                          <Text size="sm">{r.description}</Text>
                        </Group>
                      ))}
                    </div>
                  )}
                </Stack>
              </Accordion.Panel>
            </Accordion.Item>
          ))}
        </Accordion>
      )}
    </Stack>
  );
}
