import { Textarea } from '@mantine/core';
import { useState } from 'react';
import type { FieldProps } from '@rjsf/utils';

/** Object-typed properties without a sub-schema are edited as JSON text. */
export function JsonField(props: FieldProps) {
  const [text, setText] = useState(() => (props.formData === undefined ? '' : JSON.stringify(props.formData, null, 2)));
  const [parseError, setParseError] = useState<string | null>(null);
  const errors = props.errorSchema?.__errors ?? [];
  return (
    <Textarea
      label={props.schema.title ?? props.name}
      description={props.schema.description}
      withAsterisk={props.required}
      autosize
      minRows={4}
      styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
      value={text}
      error={parseError ?? (errors.length > 0 ? errors.join('; ') : undefined)}
      onChange={(e) => {
        const next = e.currentTarget.value;
        setText(next);
        if (!next.trim()) {
          setParseError(null);
          props.onChange(undefined as never, [props.name] as never);
          return;
        }
        try {
          const parsed = JSON.parse(next) as unknown;
          setParseError(null);
          props.onChange(parsed as never, [props.name] as never);
        } catch {
          setParseError('Not valid JSON yet');
        }
      }}
    />
  );
}
