import { Alert, Badge, Button, Card, Chip, Group, SimpleGrid, Skeleton, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { Link, useSearchParams } from 'react-router-dom';
import { ErrorState } from '../../../components/error-pages.tsx';
import { useMe } from '../../auth/api/get-me.ts';
import { useActions } from '../api/get-actions.ts';
import { useTemplates } from '../api/get-templates.ts';
import { scaffolderPaths } from '../paths.ts';
import type { TemplateSummary } from '../types.ts';

function TemplateCard({ template, canEdit }: { template: TemplateSummary; canEdit: boolean }) {
  return (
    <Card withBorder padding="lg" component="article" aria-label={template.title ?? template.name} data-template={template.name}>
      <Stack gap="xs" h="100%">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Title order={4}>{template.title ?? template.name}</Title>
          <Badge variant="outline" color="gray" style={{ flexShrink: 0 }}>{template.type}</Badge>
        </Group>
        <Text size="sm" c="dimmed" style={{ flexGrow: 1 }}>{template.description ?? 'No description'}</Text>
        {template.tags.length > 0 && (
          <Group gap={4}>
            {template.tags.map((t) => (
              <Badge key={t} variant="light" size="sm">{t}</Badge>
            ))}
          </Group>
        )}
        <Group justify="space-between" mt="xs">
          <Text size="xs" c="dimmed">{template.owner ? `Owner: ${template.owner}` : ''}</Text>
          <Group gap="xs">
            {canEdit && (
              <Button size="xs" variant="subtle" component={Link} to={scaffolderPaths.editTemplate(template.name)} aria-label={`Edit template ${template.title ?? template.name}`}>
                Edit
              </Button>
            )}
            <Button size="xs" component={Link} to={scaffolderPaths.wizard(template.name)} aria-label={`Choose ${template.title ?? template.name}`}>
              Choose
            </Button>
          </Group>
        </Group>
      </Stack>
    </Card>
  );
}

/** The template gallery: search, filter by tag, pick one to start the wizard. */
export default function TemplatesPage() {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const tag = params.get('tag') ?? '';
  const [term] = useDebouncedValue(q.trim(), 200);
  const templates = useTemplates({ q: term || undefined, tag: tag || undefined });
  // The tag chips come from every template, not only the ones the current filter shows.
  const all = useTemplates();
  const tags = [...new Set((all.data ?? []).flatMap((t) => t.tags))].sort();
  const role = useMe().data?.user.role;
  const canEdit = role === 'admin' || role === 'moderator';
  const actions = useActions();
  const update = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>Create</Title>
          <Text size="sm" c="dimmed">Start a new service, library or site from a template: the portal creates the repository and registers it in the catalog.</Text>
        </div>
        <Button variant="default" component={Link} to={scaffolderPaths.tasks()}>
          Task history
        </Button>
      </Group>
      {actions.data?.githubNotConfigured && (
        <Alert color="yellow" title="GitHub is not configured" data-testid="github-not-configured">
          <Text size="sm">{actions.data.githubNotConfigured}. You can still fill templates in and preview what they would create.</Text>
        </Alert>
      )}
      <Group align="flex-end" gap="md">
        <TextInput label="Search templates" placeholder="Name, description or tag" value={q} onChange={(e) => update('q', e.currentTarget.value)} w={320} />
        {tags.length > 0 && (
          <Chip.Group multiple={false} value={tag} onChange={(v) => update('tag', v)}>
            <Group gap={6} role="group" aria-label="Filter by tag">
              {tags.map((t) => (
                <Chip key={t} value={t} size="sm" variant="outline" onClick={() => t === tag && update('tag', '')}>
                  {t}
                </Chip>
              ))}
            </Group>
          </Chip.Group>
        )}
      </Group>
      {templates.isPending && (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          {Array.from({ length: 3 }, (_, i) => <Skeleton key={i} height={180} />)}
        </SimpleGrid>
      )}
      {templates.isError && <ErrorState error={templates.error} onRetry={() => void templates.refetch()} />}
      {templates.data && templates.data.length === 0 && (
        <Text c="dimmed" py="xl" ta="center">
          No template matches{q ? ` “${q}”` : ''}{tag ? ` with tag “${tag}”` : ''}.
        </Text>
      )}
      {templates.data && templates.data.length > 0 && (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} data-testid="template-gallery">
          {templates.data.map((t) => (
            <TemplateCard key={t.name} template={t} canEdit={canEdit} />
          ))}
        </SimpleGrid>
      )}
    </Stack>
  );
}
