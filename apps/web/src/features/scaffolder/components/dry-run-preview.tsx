import { Badge, Box, Card, Code, Grid, Group, NavLink, ScrollArea, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { DryRunResult } from '../types.ts';

interface TreeNode {
  name: string;
  path: string;
  children: Map<string, TreeNode>;
  file: boolean;
}

function buildTree(paths: string[]): TreeNode {
  const root: TreeNode = { name: '', path: '', children: new Map(), file: false };
  for (const p of paths) {
    let node = root;
    const parts = p.split('/');
    parts.forEach((part, i) => {
      const path = parts.slice(0, i + 1).join('/');
      let child = node.children.get(part);
      if (!child) {
        child = { name: part, path, children: new Map(), file: i === parts.length - 1 };
        node.children.set(part, child);
      }
      node = child;
    });
  }
  return root;
}

function Tree({ node, depth, selected, onSelect }: { node: TreeNode; depth: number; selected: string | null; onSelect: (path: string) => void }) {
  // Folders first, then files, each alphabetically.
  const children = [...node.children.values()].sort((a, b) => Number(a.file) - Number(b.file) || a.name.localeCompare(b.name));
  return (
    <>
      {children.map((child) =>
        child.file ? (
          <NavLink
            key={child.path}
            label={child.name}
            active={selected === child.path}
            onClick={() => onSelect(child.path)}
            pl={8 + depth * 14}
            py={2}
            styles={{ label: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
            data-file={child.path}
          />
        ) : (
          <Box key={child.path}>
            <Text size="sm" c="dimmed" pl={8 + depth * 14} py={2} ff="monospace">
              {child.name}/
            </Text>
            <Tree node={child} depth={depth + 1} selected={selected} onSelect={onSelect} />
          </Box>
        ),
      )}
    </>
  );
}

/** What a dry run would produce: the file tree with each file's content, and the steps that would run. */
export function DryRunPreview({ result }: { result: DryRunResult }) {
  const [selected, setSelected] = useState<string | null>(() => result.files.find((f) => f.path === 'catalog-info.yaml')?.path ?? result.files[0]?.path ?? null);
  const file = result.files.find((f) => f.path === selected);
  return (
    <Stack gap="md" data-testid="dry-run-preview">
      <Card withBorder p={0}>
        <Grid gap={0}>
          <Grid.Col span={{ base: 12, md: 4 }} style={{ borderRight: '1px solid var(--mantine-color-gray-3)' }}>
            <Group justify="space-between" px="sm" py={8} style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
              <Text fw={600} size="sm">Files</Text>
              <Badge variant="light">{result.files.length}</Badge>
            </Group>
            <ScrollArea h={420} type="auto">
              <nav aria-label="Files">
                <Tree node={buildTree(result.files.map((f) => f.path))} depth={0} selected={selected} onSelect={setSelected} />
              </nav>
            </ScrollArea>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 8 }}>
            <Group justify="space-between" px="sm" py={8} style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
              <Text fw={600} size="sm" ff="monospace">{file?.path ?? 'No file selected'}</Text>
              {file && <Text size="xs" c="dimmed">{file.size} bytes</Text>}
            </Group>
            <ScrollArea h={420} type="auto">
              {file && (
                <Code block style={{ background: 'transparent', whiteSpace: 'pre' }} data-testid="file-content">
                  {file.encoding === 'base64' ? `(binary file, ${file.size} bytes)` : file.content}
                </Code>
              )}
            </ScrollArea>
          </Grid.Col>
        </Grid>
      </Card>
      <Card withBorder>
        <Title order={5} mb="xs">Steps</Title>
        <Stack gap={6}>
          {result.steps.map((s) => (
            <Group key={s.id} gap="sm" wrap="nowrap" align="flex-start" opacity={s.willRun ? 1 : 0.55}>
              <Badge variant="light" color={s.willRun ? 'blue' : 'gray'} w={90} style={{ flexShrink: 0 }}>{s.willRun ? 'will run' : 'skipped'}</Badge>
              <div>
                <Text size="sm" fw={500}>
                  {s.name} <Text span size="xs" c="dimmed" ff="monospace">{s.action}</Text>
                </Text>
                <Text size="xs" c="dimmed">{s.description}</Text>
              </div>
            </Group>
          ))}
        </Stack>
      </Card>
    </Stack>
  );
}
