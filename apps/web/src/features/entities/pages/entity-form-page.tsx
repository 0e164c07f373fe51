import { Alert, Button, Card, Group, SimpleGrid, Stack, TagsInput, Text, TextInput, Title } from '@mantine/core';
import Form from '@rjsf/mantine';
import validator from '@rjsf/validator-ajv8';
import type { RegistryFieldsType, RJSFSchema, UiSchema } from '@rjsf/utils';
import '@mantine/dates/styles.css';
import { useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { Blueprint, Entity } from '@portolan/contract';
import { ErrorState } from '../../../components/error-pages.tsx';
import { PageSkeleton } from '../../../components/page-skeleton.tsx';
import { isApiError } from '../../../lib/api-client.ts';
import { useReveal } from '../../../lib/use-reveal.ts';
import { paths } from '../../../lib/paths.ts';
import { useEntityPermissions } from '../../auth/use-permissions.ts';
import { useBlueprint } from '../../blueprints/api/get-blueprint.ts';
import { useEntity } from '../api/get-entity.ts';
import { useSaveEntity } from '../api/save-entity.ts';
import { JsonField } from '../components/json-field.tsx';
import { RelationPicker } from '../components/relation-picker.tsx';
import { emptyFormValues, formErrorsFromDetails, formValuesFromEntity, propertiesFormSchema, toEntityInput, type EntityFormValues } from '../entity-form-model.ts';

const fields: RegistryFieldsType = { json: JsonField };

export function EntityForm({ blueprint, entity, etag, onReload }: { blueprint: Blueprint; entity: Entity | null; etag: string | null; onReload?: () => void }) {
  const [values, setValues] = useState<EntityFormValues>(() => (entity ? formValuesFromEntity(blueprint, entity) : emptyFormValues(blueprint)));
  const { schema, uiSchema } = useMemo(() => propertiesFormSchema(blueprint), [blueprint]);
  // The version this form was loaded from: a background refetch must not silently move it forward.
  const [baseEtag] = useState(etag);
  const save = useSaveEntity();
  const navigate = useNavigate();
  const editing = entity !== null;

  const apiError = save.error;
  const errors = isApiError(apiError, 400) ? formErrorsFromDetails(apiError.details) : formErrorsFromDetails([]);
  const conflict = isApiError(apiError, 412);
  // The Save button is at the bottom; the explanation is at the top: bring it into view.
  const top = useReveal<HTMLDivElement>(apiError);

  const submit = () => {
    const input = toEntityInput(blueprint, values);
    const args = editing
      ? { mode: 'replace' as const, blueprint: blueprint.identifier, identifier: entity.identifier, input, etag: baseEtag }
      : { mode: 'create' as const, blueprint: blueprint.identifier, input };
    // mutateAsync: its promise settles even if this form unmounts meanwhile (per-call callbacks would not).
    save.mutateAsync(args).then(({ entity: saved }) => navigate(paths.entity(saved.blueprint, saved.identifier)), () => {});
  };

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      noValidate
      aria-label={editing ? `Edit ${blueprint.title}` : `Create ${blueprint.title}`}
    >
      <Stack gap="md" ref={top} style={{ scrollMarginTop: 72 }}>
        {conflict && (
          <Alert color="orange" title="Someone else changed this entity while you were editing" role="alert" data-testid="conflict-alert">
            <Stack gap="xs">
              <Text size="sm">
                Your changes were not saved, so nothing of theirs was overwritten. Reload to get the latest version, then make your change again.
              </Text>
              <Group>
                <Button size="xs" color="orange" onClick={onReload}>
                  Reload latest version
                </Button>
              </Group>
            </Stack>
          </Alert>
        )}
        {apiError && !conflict && (
          <Alert color="red" title={isApiError(apiError, 400) ? `The server refused ${errors.count === 1 ? 'one field' : `${errors.count} fields`}` : isApiError(apiError, 409) ? 'Already exists' : isApiError(apiError, 403) ? 'Not allowed' : 'Could not save'} role="alert">
            <Text size="sm">{apiError.message}</Text>
            {errors.general.map((g) => (
              <Text key={g} size="sm">• {g}</Text>
            ))}
          </Alert>
        )}
        <Card withBorder>
          <Title order={4} mb="sm">Identity</Title>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <TextInput
              label="Identifier"
              description={editing ? 'Fixed once created' : 'Unique within the blueprint: letters, digits and @ _ . + : / = -'}
              withAsterisk
              disabled={editing}
              value={values.identifier}
              error={errors.identifier ?? (isApiError(apiError, 409) ? apiError.message : undefined)}
              onChange={(e) => setValues({ ...values, identifier: e.currentTarget.value })}
            />
            <TextInput label="Title" value={values.title} error={errors.title} onChange={(e) => setValues({ ...values, title: e.currentTarget.value })} />
            <TagsInput label="Team" description="Press Enter after each team" value={values.team} error={errors.team} onChange={(team) => setValues({ ...values, team })} />
          </SimpleGrid>
        </Card>
        {Object.keys(blueprint.schema.properties).length > 0 && (
          <Card withBorder>
            <Title order={4} mb="sm">Properties</Title>
            <Form
              schema={schema as RJSFSchema}
              uiSchema={uiSchema as UiSchema}
              validator={validator}
              formData={values.properties}
              onChange={(e) => setValues((v) => ({ ...v, properties: (e.formData ?? {}) as Record<string, unknown> }))}
              extraErrors={errors.properties as never}
              noHtml5Validate
              showErrorList={false}
              fields={fields}
              tagName="div"
            >
              <></>
            </Form>
          </Card>
        )}
        {Object.keys(blueprint.relations).length > 0 && (
          <Card withBorder>
            <Title order={4} mb="sm">Relations</Title>
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              {Object.entries(blueprint.relations).map(([name, rel]) => (
                <RelationPicker
                  key={name}
                  name={name}
                  relation={rel}
                  value={values.relations[name] ?? null}
                  error={errors.relations[name]}
                  onChange={(v) => setValues({ ...values, relations: { ...values.relations, [name]: v } })}
                />
              ))}
            </SimpleGrid>
          </Card>
        )}
        <Group justify="flex-end">
          <Button variant="default" component={Link} to={editing ? paths.entity(blueprint.identifier, entity.identifier) : paths.catalog(blueprint.identifier)}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            {editing ? 'Save changes' : `Create ${blueprint.title}`}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export default function EntityFormPage({ mode }: { mode: 'create' | 'edit' }) {
  const { blueprint: bpId = '', entity: id = '' } = useParams();
  const blueprint = useBlueprint(bpId);
  const entity = useEntity(bpId, id, mode === 'edit');
  const [generation, setGeneration] = useState(0);
  const editing = mode === 'edit';
  const permissions = useEntityPermissions(bpId);

  if (blueprint.isPending || (editing && entity.isPending)) return <PageSkeleton />;
  if (blueprint.isError) return <ErrorState error={blueprint.error} />;
  if (editing && entity.isError) return <ErrorState error={entity.error} onRetry={() => void entity.refetch()} />;
  const loaded = editing ? entity.data! : null;
  // Reached by URL without the right: say so up front (the server would refuse the save with the same reason).
  const denial = permissions.pending ? null : loaded ? permissions.denial('update', loaded.entity.team) : permissions.canCreate ? null : permissions.denial('register', []);

  return (
    <Stack gap="md" maw={1100}>
      <div>
        <Title order={2}>{editing ? `Edit ${loaded!.entity.title ?? loaded!.entity.identifier}` : `New ${blueprint.data.title}`}</Title>
        <Text size="sm" c="dimmed">{blueprint.data.description}</Text>
      </div>
      {denial && (
        <Alert color="yellow" title="You probably cannot save this" data-testid="permission-notice">
          <Text size="sm">{denial}</Text>
        </Alert>
      )}
      <EntityForm
        // A reload after a conflict starts a fresh form on the latest version and its ETag.
        key={generation}
        blueprint={blueprint.data}
        entity={loaded?.entity ?? null}
        etag={loaded?.etag ?? null}
        onReload={() => void entity.refetch().then(() => setGeneration((g) => g + 1))}
      />
    </Stack>
  );
}
