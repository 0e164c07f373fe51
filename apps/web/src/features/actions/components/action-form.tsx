import { Alert, Button, Checkbox, Group, MultiSelect, NumberInput, Select, Stack, TagsInput, Text, Textarea, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import { useVisibleInputs } from '../api/get-visible-inputs.ts';
import { isApiError } from '../../../lib/api-client.ts';
import { RelationPicker } from '../../entities/components/relation-picker.tsx';
import { useCreateRun } from '../api/create-run.ts';
import { formInputs, initialValues, missingRequired, runErrorsFromDetails, toRunProperties, type FormInput } from '../action-form-model.ts';
import type { Action, Run } from '../types.ts';

function InputField({ input, value, error, onChange }: { input: FormInput; value: unknown; error?: string; onChange: (v: unknown) => void }) {
  const common = { label: input.label, description: input.description, withAsterisk: input.required, error, 'data-input': input.name };
  switch (input.kind) {
    case 'entity':
    case 'entities':
      return (
        <RelationPicker
          name={input.name}
          relation={{ target: input.blueprint ?? '', title: input.label, description: input.description, required: input.required, many: input.kind === 'entities' }}
          value={(value as string | string[] | null | undefined) ?? null}
          error={error}
          onChange={onChange}
        />
      );
    case 'select': {
      const options = input.options ?? [];
      const data = options.map((o) => ({ value: JSON.stringify(o), label: String(o) }));
      return (
        <Select {...common} data={data} clearable={!input.required} allowDeselect={!input.required} value={value === undefined || value === null ? null : JSON.stringify(value)} onChange={(v) => onChange(v === null ? undefined : JSON.parse(v))} />
      );
    }
    case 'multiselect': {
      const data = (input.options ?? []).map((o) => ({ value: JSON.stringify(o), label: String(o) }));
      return <MultiSelect {...common} data={data} value={((value as unknown[]) ?? []).map((v) => JSON.stringify(v))} onChange={(v) => onChange(v.map((x) => JSON.parse(x) as unknown))} />;
    }
    case 'boolean':
      return <Checkbox label={input.label} description={input.description} error={error} checked={value === true} onChange={(e) => onChange(e.currentTarget.checked)} data-input={input.name} />;
    case 'number':
      return <NumberInput {...common} min={input.property.minimum as number | undefined} max={input.property.maximum as number | undefined} value={(value as number | undefined) ?? ''} onChange={(v) => onChange(v === '' ? undefined : v)} />;
    case 'tags':
      return <TagsInput {...common} placeholder="Press Enter after each value" value={(value as string[]) ?? []} onChange={onChange} />;
    case 'json':
      return <Textarea {...common} autosize minRows={4} ff="monospace" placeholder="JSON" value={(value as string) ?? ''} onChange={(e) => onChange(e.currentTarget.value)} />;
    case 'textarea':
      return <Textarea {...common} autosize minRows={3} value={(value as string) ?? ''} onChange={(e) => onChange(e.currentTarget.value)} />;
    default:
      return <TextInput {...common} placeholder={input.placeholder} value={(value as string) ?? ''} onChange={(e) => onChange(e.currentTarget.value)} />;
  }
}

/** The action's input form, built from its userInputs; submitting creates a run. */
export function ActionForm({ action, entity, onCancel, onStarted }: { action: Action; entity: string | null; onCancel?: () => void; onStarted: (run: Run) => void }) {
  const allInputs = useMemo(() => formInputs(action.trigger.userInputs), [action]);
  const [values, setValues] = useState<Record<string, unknown>>(() => initialValues(allInputs));
  // Conditional inputs (`visible: {jqQuery}`) follow the server's answer for the values so far;
  // until it comes they stay hidden.
  const conditional = useMemo(() => new Set(Object.entries(action.trigger.userInputs.properties).filter(([, p]) => typeof p.visible === 'object' && p.visible !== null).map(([k]) => k)), [action]);
  const [debouncedValues] = useDebouncedValue(values, 200);
  const visibility = useVisibleInputs(action.identifier, entity, debouncedValues, conditional.size > 0);
  const inputs = useMemo(
    () => allInputs.filter((i) => !conditional.has(i.name) || (visibility.data ?? []).includes(i.name)),
    [allInputs, conditional, visibility.data],
  );
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const create = useCreateRun();
  const apiError = create.error;
  const server = isApiError(apiError, 400) ? runErrorsFromDetails(apiError.details, inputs) : { fields: {} as Record<string, string>, general: [] as string[], entity: undefined };
  const fieldError = (name: string) => localErrors[name] ?? server.fields[name];

  const submit = () => {
    // Only what is shown is sent: a hidden input is not asked for.
    const { properties, errors } = toRunProperties(inputs, values);
    const all = { ...missingRequired(inputs, values), ...errors };
    setLocalErrors(all);
    if (Object.keys(all).length > 0) return;
    create.reset();
    create.mutateAsync({ action: action.identifier, body: { ...(entity ? { entity } : {}), properties } }).then(onStarted, () => {});
  };

  return (
    <form
      aria-label={action.title ?? action.identifier}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <Stack gap="md">
        {action.description && <Text size="sm" c="dimmed">{action.description}</Text>}
        {apiError && (
          <Alert color="red" role="alert" title={isApiError(apiError, 400) ? 'The server refused the inputs' : isApiError(apiError, 403) ? 'Not allowed' : 'Could not start the run'}>
            <Text size="sm">{isApiError(apiError, 400) ? 'Fix the fields marked below and run it again.' : apiError.message}</Text>
            {server.entity && <Text size="sm">• entity: {server.entity}</Text>}
            {server.general.map((g) => (
              <Text key={g} size="sm">• {g}</Text>
            ))}
          </Alert>
        )}
        {inputs.length === 0 && <Text size="sm">This action takes no inputs.</Text>}
        {inputs.map((input) => (
          <InputField
            key={input.name}
            input={input}
            value={values[input.name]}
            error={fieldError(input.name)}
            onChange={(v) => {
              setValues((old) => ({ ...old, [input.name]: v }));
              setLocalErrors(({ [input.name]: _dropped, ...rest }) => rest);
            }}
          />
        ))}
        <Group justify="flex-end">
          {onCancel && <Button variant="default" onClick={onCancel}>Cancel</Button>}
          <Button type="submit" loading={create.isPending} color={action.trigger.operation === 'DELETE' ? 'red' : undefined}>
            Run {action.title ?? action.identifier}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
