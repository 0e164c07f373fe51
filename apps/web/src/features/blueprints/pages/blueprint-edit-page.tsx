import { Alert, Button, Card, Checkbox, Code, Grid, Group, List, Modal, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import type { Blueprint } from '@portolan/contract';
import { ErrorState } from '../../../components/error-pages.tsx';
import { PageSkeleton } from '../../../components/page-skeleton.tsx';
import { isApiError } from '../../../lib/api-client.ts';
import { useReveal } from '../../../lib/use-reveal.ts';
import { paths } from '../../../lib/paths.ts';
import { useBlueprint } from '../api/get-blueprint.ts';
import { useBlueprintStats } from '../api/get-blueprint-stats.ts';
import { useBlueprints } from '../api/get-blueprints.ts';
import { canModerate } from '@portolan/contract/permissions';
import { useMe } from '../../auth/api/get-me.ts';
import { useDeleteBlueprint } from '../api/delete-blueprint.ts';
import { useSaveBlueprint } from '../api/save-blueprint.ts';
import {
  destructiveChanges,
  draftFromBlueprint,
  draftToInput,
  emptyDraft,
  localProblems,
  newMirrorDraft,
  newPropertyDraft,
  newRelationDraft,
  problemsFor,
  type BlueprintDraft,
} from '../blueprint-form-model.ts';
import { PropertyRow } from '../components/property-row.tsx';
import { MirrorRow, RelationRow } from '../components/relation-row.tsx';

function DeleteBlueprint({ blueprint }: { blueprint: Blueprint }) {
  const [open, setOpen] = useState(false);
  const [withEntities, setWithEntities] = useState(false);
  const stats = useBlueprintStats(blueprint.identifier, open);
  const del = useDeleteBlueprint();
  const navigate = useNavigate();
  const count = stats.data?.entityCount ?? 0;
  return (
    <>
      <Button color="red" variant="light" onClick={() => setOpen(true)}>Delete blueprint</Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={`Delete the ${blueprint.title} blueprint?`}>
        <Stack>
          {stats.isPending ? (
            <Text size="sm">Counting what this touches…</Text>
          ) : (
            <>
              <Text size="sm" data-testid="delete-impact">
                This blueprint has <b>{count.toLocaleString()}</b> {count === 1 ? 'entity' : 'entities'}.
              </Text>
              {(stats.data?.relatedFrom.length ?? 0) > 0 && (
                <Alert color="yellow" title="Other blueprints point at it">
                  {stats.data!.relatedFrom.map((r) => `${r.blueprint}.${r.relation}`).join(', ')} — remove those relations first.
                </Alert>
              )}
              {count > 0 && <Checkbox label={`Also delete its ${count.toLocaleString()} entities`} checked={withEntities} onChange={(e) => setWithEntities(e.currentTarget.checked)} />}
            </>
          )}
          {del.error && <Alert color="red" title="Delete refused">{del.error.message}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>Cancel</Button>
            <Button
              color="red"
              disabled={stats.isPending || (count > 0 && !withEntities)}
              loading={del.isPending}
              onClick={() => del.mutate({ blueprint: blueprint.identifier, deleteEntities: withEntities }, { onSuccess: () => navigate(paths.dataModel()) })}
            >
              Delete
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

function BlueprintEditor({ original }: { original: Blueprint | null }) {
  const [draft, setDraft] = useState<BlueprintDraft>(() => (original ? draftFromBlueprint(original) : emptyDraft()));
  const [confirming, setConfirming] = useState<string[] | null>(null);
  const [local, setLocal] = useState<{ path: string; message: string }[]>([]);
  const blueprints = useBlueprints();
  const stats = useBlueprintStats(original?.identifier ?? '', original !== null);
  const save = useSaveBlueprint();
  const navigate = useNavigate();
  const input = useMemo(() => draftToInput(draft), [draft]);
  const targets = [...new Set([...(blueprints.data ?? []).map((b) => b.identifier), ...(draft.identifier ? [draft.identifier] : [])])];
  const serverDetails = isApiError(save.error, 400) ? save.error.details : [];
  const details = [...local, ...serverDetails];
  const claimed = new Set<string>();
  const rowErrors = (prefix: string) => {
    const found = problemsFor(details, prefix);
    details.forEach((d) => (d.path === prefix || d.path.startsWith(`${prefix}.`)) && claimed.add(d.path));
    return found;
  };

  const doSave = () => {
    setConfirming(null);
    save.mutateAsync({ original: original?.identifier ?? null, input }).then(
      (bp) => navigate(paths.editBlueprint(bp.identifier), { replace: true, state: { saved: Date.now() } }),
      () => {},
    );
  };
  const onSubmit = () => {
    const problems = localProblems(draft);
    setLocal(problems);
    if (problems.length > 0) return;
    const risky = original ? destructiveChanges(original, input) : [];
    if (risky.length > 0) setConfirming(risky);
    else doSave();
  };

  const update = <K extends keyof BlueprintDraft>(key: K, value: BlueprintDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const propertyRows = draft.properties.map((p, i) => (
    <PropertyRow
      key={p.key}
      draft={p}
      errors={[...rowErrors(`schema.properties.${p.id}`), ...rowErrors(`schema.properties.#${i}`)]}
      onChange={(next) => update('properties', draft.properties.map((x) => (x.key === p.key ? next : x)))}
      onRemove={() => update('properties', draft.properties.filter((x) => x.key !== p.key))}
    />
  ));
  const relationRows = draft.relations.map((r, i) => (
    <RelationRow
      key={r.key}
      draft={r}
      targets={targets}
      errors={[...rowErrors(`relations.${r.id}`), ...rowErrors(`relations.#${i}`)]}
      onChange={(next) => update('relations', draft.relations.map((x) => (x.key === r.key ? next : x)))}
      onRemove={() => update('relations', draft.relations.filter((x) => x.key !== r.key))}
    />
  ));
  const mirrorRows = draft.mirrors.map((m, i) => (
    <MirrorRow
      key={m.key}
      draft={m}
      errors={[...rowErrors(`mirrorProperties.${m.id}`), ...rowErrors(`mirrorProperties.#${i}`)]}
      onChange={(next) => update('mirrors', draft.mirrors.map((x) => (x.key === m.key ? next : x)))}
      onRemove={() => update('mirrors', draft.mirrors.filter((x) => x.key !== m.key))}
    />
  ));
  const idErrors = rowErrors('identifier');
  const titleErrors = rowErrors('title');
  const unplaced = details.filter((d) => !claimed.has(d.path));
  const top = useReveal<HTMLDivElement>(save.error ?? (local.length > 0 ? local : null));

  return (
    <form
      noValidate
      aria-label={original ? `Edit blueprint ${original.title}` : 'New blueprint'}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack gap="md" ref={top} style={{ scrollMarginTop: 72 }}>
            {save.error && (
              <Alert color="red" title={isApiError(save.error, 400) ? 'The server refused this blueprint' : 'Could not save'} role="alert">
                <Text size="sm">{save.error.message}</Text>
                {unplaced.map((d) => <Text key={d.path + d.message} size="sm">• {d.path}: {d.message}</Text>)}
              </Alert>
            )}
            {!save.error && local.length > 0 && <Alert color="red" title="Fix these first" role="alert">{local.map((p) => <Text key={p.path} size="sm">• {p.message}</Text>)}</Alert>}
            <Card withBorder>
              <Group grow align="flex-start">
                <TextInput label="Identifier" withAsterisk disabled={original !== null} value={draft.identifier} error={idErrors.join('; ') || undefined} onChange={(e) => update('identifier', e.currentTarget.value)} />
                <TextInput label="Title" withAsterisk value={draft.title} error={titleErrors.join('; ') || undefined} onChange={(e) => update('title', e.currentTarget.value)} />
                <TextInput label="Icon" value={draft.icon} onChange={(e) => update('icon', e.currentTarget.value)} />
              </Group>
              <Textarea mt="sm" label="Description" autosize minRows={2} value={draft.description} onChange={(e) => update('description', e.currentTarget.value)} />
            </Card>
            <Group justify="space-between">
              <Title order={4}>Properties</Title>
              <Button size="xs" variant="light" onClick={() => update('properties', [...draft.properties, newPropertyDraft()])}>Add property</Button>
            </Group>
            {propertyRows.length === 0 ? <Text size="sm" c="dimmed">No properties yet.</Text> : propertyRows}
            <Group justify="space-between">
              <Title order={4}>Relations</Title>
              <Button size="xs" variant="light" onClick={() => update('relations', [...draft.relations, newRelationDraft()])}>Add relation</Button>
            </Group>
            {relationRows.length === 0 ? <Text size="sm" c="dimmed">No relations yet.</Text> : relationRows}
            <Group justify="space-between">
              <Title order={4}>Mirror properties</Title>
              <Button size="xs" variant="light" onClick={() => update('mirrors', [...draft.mirrors, newMirrorDraft()])}>Add mirror property</Button>
            </Group>
            {mirrorRows.length === 0 ? <Text size="sm" c="dimmed">No mirror properties.</Text> : mirrorRows}
            <Group justify="space-between">
              {original ? <DeleteBlueprint blueprint={original} /> : <span />}
              <Group>
                <Button variant="default" component={Link} to={paths.dataModel()}>Cancel</Button>
                <Button type="submit" loading={save.isPending}>{original ? 'Save blueprint' : 'Create blueprint'}</Button>
              </Group>
            </Group>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Card withBorder style={{ position: 'sticky', top: 72 }}>
            <Title order={5} mb="xs">JSON</Title>
            <Code block className="pt-code" aria-label="Blueprint JSON" style={{ maxHeight: 'calc(100vh - 180px)', overflow: 'auto' }} data-testid="blueprint-json">
              {JSON.stringify(input, null, 2)}
            </Code>
          </Card>
        </Grid.Col>
      </Grid>
      <Modal opened={confirming !== null} onClose={() => setConfirming(null)} title="These changes affect existing entities">
        <Stack>
          <Text size="sm" data-testid="impact-count">
            {stats.data ? `${original?.title} has ${stats.data.entityCount.toLocaleString()} ${stats.data.entityCount === 1 ? 'entity' : 'entities'} that this can touch:` : 'Counting the entities this touches…'}
          </Text>
          <List size="sm">{confirming?.map((c) => <List.Item key={c}>{c}</List.Item>)}</List>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(null)}>Keep editing</Button>
            <Button color="red" onClick={doSave}>Apply changes</Button>
          </Group>
        </Stack>
      </Modal>
    </form>
  );
}

export default function BlueprintEditPage({ mode }: { mode: 'create' | 'edit' }) {
  const { blueprint: id = '' } = useParams();
  const blueprint = useBlueprint(id, mode === 'edit');
  const location = useLocation();
  const me = useMe();
  const saved = (location.state as { saved?: number } | null)?.saved;
  if (me.isPending) return <PageSkeleton />;
  // Reached by URL without the right: no editor whose every save the server would refuse.
  if (mode === 'create' && me.data?.user.role !== 'admin') {
    return <Alert color="yellow" title="Only admins create blueprints" data-testid="permission-notice">Ask an admin to add the blueprint you need.</Alert>;
  }
  if (mode === 'edit' && !canModerate(me.data?.user, id)) {
    return (
      <Alert color="yellow" title={`Only admins and moderators of ${id} change this blueprint`} data-testid="permission-notice">
        <Button size="xs" variant="light" mt="xs" component={Link} to={paths.catalog(id)}>Open its catalog</Button>
      </Alert>
    );
  }
  if (mode === 'create') {
    return (
      <Stack gap="md">
        <Title order={2}>New blueprint</Title>
        <BlueprintEditor original={null} />
      </Stack>
    );
  }
  if (blueprint.isPending) return <PageSkeleton />;
  if (blueprint.isError) return <ErrorState error={blueprint.error} />;
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>Blueprint: {blueprint.data.title}</Title>
        <Button variant="subtle" component={Link} to={paths.catalog(blueprint.data.identifier)}>Open catalog</Button>
      </Group>
      {saved && <Alert color="green" role="status" data-testid="blueprint-saved">Blueprint saved. Tables and forms of {blueprint.data.title} use it from now on.</Alert>}
      <BlueprintEditor key={blueprint.data.updatedAt} original={blueprint.data} />
    </Stack>
  );
}
