import { Alert, Anchor, Button, Card, Grid, Group, List, Stack, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ErrorState } from '../../../components/error-pages.tsx';
import { PageSkeleton } from '../../../components/page-skeleton.tsx';
import { isApiError } from '../../../lib/api-client.ts';
import { useMe } from '../../auth/api/get-me.ts';
import { useDryRun } from '../api/dry-run.ts';
import { useTemplate } from '../api/get-template.ts';
import { useSaveTemplate } from '../api/save-template.ts';
import { useValidateTemplate } from '../api/validate-template.ts';
import { DryRunPreview } from '../components/dry-run-preview.tsx';
import { scaffolderPaths } from '../paths.ts';
import type { Template } from '../types.ts';
import { defaultsOf, wizardPages } from '../wizard-model.ts';

type Problem = { path: string; message: string };

const mono = { input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } };

function Editor({ template }: { template: Template }) {
  const [yaml, setYaml] = useState(template.yaml);
  const [params, setParams] = useState(() => JSON.stringify(defaultsOf(wizardPages(template.parameterPages)), null, 2));
  const [paramsError, setParamsError] = useState<string | null>(null);
  const validate = useValidateTemplate();
  const save = useSaveTemplate();
  const dryRun = useDryRun();

  // Problems by path, from the last validation or a refused save (whichever came last).
  const [problems, setProblems] = useState<Problem[] | null>(null);
  const check = () => validate.mutateAsync({ yaml, files: template.files ?? {} }).then((r) => setProblems(r.errors), () => setProblems(null));
  const store = () =>
    // The stored files go along: the server validates the YAML against the files in the request.
    save.mutateAsync({ name: template.name, body: { yaml, files: template.files ?? {} } }).then(
      () => setProblems([]),
      (error: unknown) => setProblems(isApiError(error, 400) ? error.details.map((d) => ({ path: d.path ?? '', message: d.message })) : null),
    );
  const preview = () => {
    let parameters: Record<string, unknown>;
    try {
      parameters = JSON.parse(params || '{}') as Record<string, unknown>;
      setParamsError(null);
    } catch {
      setParamsError('Not valid JSON');
      return;
    }
    dryRun.mutate({ yaml, files: template.files ?? {}, parameters });
  };
  const requestError = (save.error && !isApiError(save.error, 400) ? save.error : null) ?? validate.error;

  return (
    <Stack gap="md">
      <Grid>
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Textarea
            label="Template YAML"
            description="Backstage scaffolder.backstage.io/v1beta3; the skeleton files stay as they are."
            value={yaml}
            onChange={(e) => setYaml(e.currentTarget.value)}
            autosize
            minRows={20}
            maxRows={40}
            spellCheck={false}
            styles={mono}
            data-testid="template-yaml"
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack gap="sm">
            <Group gap="xs">
              <Button variant="default" onClick={() => void check()} loading={validate.isPending}>
                Validate
              </Button>
              <Button variant="light" onClick={preview} loading={dryRun.isPending}>
                Preview
              </Button>
              <Button onClick={() => void store()} loading={save.isPending}>
                Save
              </Button>
            </Group>
            {save.isSuccess && save.submittedAt > validate.submittedAt && problems?.length === 0 && (
              <Alert color="green" title="Saved">
                <Text size="sm">Version {save.data.version} is live.</Text>
              </Alert>
            )}
            {(!save.isSuccess || validate.submittedAt > save.submittedAt) && problems?.length === 0 && (
              <Alert color="green" title="Valid">
                <Text size="sm">The server found no problem.</Text>
              </Alert>
            )}
            {problems && problems.length > 0 && (
              <Alert color="red" title={`${problems.length} problem${problems.length === 1 ? '' : 's'}`} role="alert" data-testid="template-problems">
                <List size="sm" spacing={4}>
                  {problems.map((p) => (
                    <List.Item key={`${p.path}:${p.message}`}>
                      <Text span ff="monospace" size="sm" fw={600}>{p.path || '(template)'}</Text>: {p.message}
                    </List.Item>
                  ))}
                </List>
              </Alert>
            )}
            {requestError && (
              <Alert color="red" title="Request failed" role="alert">
                <Text size="sm">{requestError.message}</Text>
              </Alert>
            )}
            <Textarea
              label="Preview parameters (JSON)"
              value={params}
              onChange={(e) => setParams(e.currentTarget.value)}
              autosize
              minRows={6}
              styles={mono}
              error={paramsError}
            />
          </Stack>
        </Grid.Col>
      </Grid>
      {dryRun.error && (
        <Alert color="red" title="The preview failed" role="alert">
          <Text size="sm">{dryRun.error.message}</Text>
          {isApiError(dryRun.error) && dryRun.error.details.map((d) => (
            <Text size="sm" key={`${d.path}:${d.message}`}>• {d.path ? `${d.path}: ` : ''}{d.message}</Text>
          ))}
        </Alert>
      )}
      {dryRun.data && (
        <Card withBorder component="section" aria-label="Preview">
          <Title order={4} mb="xs">Preview</Title>
          <DryRunPreview key={dryRun.submittedAt} result={dryRun.data} />
        </Card>
      )}
    </Stack>
  );
}

/** Admins and moderators edit a template's YAML, check it with the server and preview it. */
export default function TemplateEditorPage() {
  const { name = '' } = useParams();
  const template = useTemplate(name, true);
  const role = useMe().data?.user.role;
  if (template.isPending) return <PageSkeleton />;
  if (template.isError) return <ErrorState error={template.error} onRetry={() => void template.refetch()} />;
  const t = template.data;
  return (
    <Stack gap="md">
      <div>
        <Anchor component={Link} to={scaffolderPaths.gallery()} size="sm">
          ← All templates
        </Anchor>
        <Title order={2}>Edit template: {t.title ?? t.name}</Title>
        <Text size="sm" c="dimmed">
          Version {t.version} · updated by {t.updatedBy} · {t.filePaths.length} files
        </Text>
      </div>
      {role !== 'admin' && role !== 'moderator' && (
        <Alert color="yellow" title="Read only">
          <Text size="sm">Only admins and moderators may save templates; you can still validate and preview.</Text>
        </Alert>
      )}
      {/* Not keyed by version: saving refetches the template, and the editor keeps its text and messages. */}
      <Editor key={t.name} template={t} />
    </Stack>
  );
}
