import { Alert, Anchor, Button, Card, Group, Stack, Stepper, Table, Text, Title } from '@mantine/core';
import Form from '@rjsf/mantine';
import type { RJSFSchema, UiSchema } from '@rjsf/utils';
import '@mantine/dates/styles.css';
import './wizard.css';
import { useMemo, useState } from 'react';
import { parse } from 'yaml';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ErrorState } from '../../../components/error-pages.tsx';
import { PageSkeleton } from '../../../components/page-skeleton.tsx';
import { isApiError } from '../../../lib/api-client.ts';
import { useCreateTask } from '../api/create-task.ts';
import { useDryRun } from '../api/dry-run.ts';
import { useActions } from '../api/get-actions.ts';
import { useTemplate } from '../api/get-template.ts';
import { DryRunPreview } from '../components/dry-run-preview.tsx';
import { pickerFields } from '../components/pickers.tsx';
import { scaffolderPaths } from '../paths.ts';
import type { Template } from '../types.ts';
import { parameterValidator as validator } from '../parameter-validator.ts';
import { defaultsOf, orderedParameterPages, reviewRows, wizardPages } from '../wizard-model.ts';

function Wizard({ template }: { template: Template }) {
  const pages = useMemo(() => wizardPages(orderedParameterPages(template.yaml, template.parameterPages, parse)), [template.yaml, template.parameterPages]);
  const [active, setActive] = useState(0);
  const [values, setValues] = useState<Record<string, unknown>>(() => defaultsOf(pages));
  // Errors show once the person tried to leave the page, then follow each change.
  const [tried, setTried] = useState<Set<number>>(new Set());
  const dryRun = useDryRun();
  const create = useCreateTask();
  const navigate = useNavigate();
  const actions = useActions();
  const reviewing = active === pages.length;

  const page = pages[active];
  // Validated here rather than inside rjsf, so the errors stay exactly as long as they are true.
  const validation = page ? validator.validateFormData(values, page.schema as RJSFSchema, undefined, undefined, page.uiSchema as UiSchema) : null;
  const next = () => {
    setTried((t) => new Set(t).add(active));
    if (validation && validation.errors.length > 0) return;
    setActive((a) => a + 1);
  };
  const goTo = (step: number) => {
    // Going back is free; going forward passes through each page's validation.
    if (step <= active) setActive(step);
    else next();
  };
  const submit = () => {
    create.mutateAsync({ templateName: template.name, parameters: values }).then((task) => navigate(scaffolderPaths.task(task.id)), () => {});
  };
  const preview = () => dryRun.mutate({ templateName: template.name, parameters: values });

  return (
    <Stack gap="md">
      <Stepper active={active} onStepClick={goTo} size="sm">
        {pages.map((p, i) => (
          <Stepper.Step key={i} label={p.title} />
        ))}
        <Stepper.Step label="Review" />
      </Stepper>

      {page && (
        <Card withBorder padding="lg" component="section" aria-label={page.title}>
          <Title order={4}>{page.title}</Title>
          {page.description && <Text size="sm" c="dimmed">{page.description}</Text>}
          <div className="scaffolder-form">
          <Form
            key={active}
            schema={page.schema as RJSFSchema}
            uiSchema={page.uiSchema as UiSchema}
            validator={validator}
            formData={values}
            formContext={{ values }}
            fields={pickerFields}
            onChange={(e) => setValues((v) => ({ ...v, ...(e.formData as Record<string, unknown>) }))}
            extraErrors={tried.has(active) && validation ? validation.errorSchema : undefined}
            showErrorList={false}
            noHtml5Validate
            tagName="div"
          >
            <></>
          </Form>
          </div>
          <Group justify="space-between" mt="lg">
            <Button variant="default" onClick={() => setActive((a) => a - 1)} disabled={active === 0}>
              Back
            </Button>
            <Button onClick={next}>Next</Button>
          </Group>
        </Card>
      )}

      {reviewing && (
        <>
          <Card withBorder padding="lg" component="section" aria-label="Review">
            <Title order={4} mb="sm">Review</Title>
            <Table withRowBorders={false} verticalSpacing={4} data-testid="review-table">
              <Table.Tbody>
                {reviewRows(pages, values).map((row) => (
                  <Table.Tr key={row.key}>
                    <Table.Th w={260} fw={500} c="dimmed">{row.label}</Table.Th>
                    <Table.Td ff="monospace">{row.value}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {actions.data?.githubNotConfigured && (
              <Alert color="yellow" mt="md" title="GitHub is not configured">
                <Text size="sm">{actions.data.githubNotConfigured}. A preview works; steps that create repositories will fail until it is set.</Text>
              </Alert>
            )}
            {create.error && (
              <Alert color="red" mt="md" title={isApiError(create.error, 400) ? 'The server refused these values' : 'Could not start the task'} role="alert">
                <Text size="sm">{create.error.message}</Text>
                {isApiError(create.error) && create.error.details.map((d) => (
                  <Text size="sm" key={`${d.path}:${d.message}`}>• {d.path ? `${d.path}: ` : ''}{d.message}</Text>
                ))}
              </Alert>
            )}
            <Group justify="space-between" mt="lg">
              <Button variant="default" onClick={() => setActive((a) => a - 1)}>
                Back
              </Button>
              <Group gap="xs">
                <Button variant="light" onClick={preview} loading={dryRun.isPending}>
                  Preview
                </Button>
                <Button onClick={submit} loading={create.isPending}>
                  Create
                </Button>
              </Group>
            </Group>
          </Card>
          {dryRun.error && (
            <Alert color="red" title="The preview failed" role="alert">
              <Text size="sm">{dryRun.error.message}</Text>
              {isApiError(dryRun.error) && dryRun.error.details.map((d) => (
                <Text size="sm" key={`${d.path}:${d.message}`}>• {d.path ? `${d.path}: ` : ''}{d.message}</Text>
              ))}
            </Alert>
          )}
          {dryRun.data && (
            <section aria-label="Preview">
              <Title order={4} mb="xs">Preview</Title>
              <DryRunPreview key={JSON.stringify(values)} result={dryRun.data} />
            </section>
          )}
        </>
      )}
    </Stack>
  );
}

export default function TemplateWizardPage() {
  const { name = '' } = useParams();
  const template = useTemplate(name);
  if (template.isPending) return <PageSkeleton />;
  if (template.isError) return <ErrorState error={template.error} onRetry={() => void template.refetch()} />;
  const t = template.data;
  return (
    <Stack gap="md" maw={1100}>
      <div>
        <Anchor component={Link} to={scaffolderPaths.gallery()} size="sm">
          ← All templates
        </Anchor>
        <Title order={2}>{t.title ?? t.name}</Title>
        {t.description && <Text size="sm" c="dimmed">{t.description}</Text>}
      </div>
      <Wizard template={t} />
    </Stack>
  );
}
