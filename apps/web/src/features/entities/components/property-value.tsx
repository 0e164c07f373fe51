import { Anchor, Badge, Code, Group, Skeleton, Text } from '@mantine/core';
import { lazy, Suspense } from 'react';
import type { BlueprintProperty } from '@portolan/contract';
import { enumColor } from './enum-colors.ts';

const Markdown = lazy(() => import('./markdown-view.tsx'));

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatDate(value: string): string {
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : dateFormat.format(d);
}

/** The URL as a link target when it is http(s); null for anything else (javascript:, junk). */
export function safeHref(value: string): string | null {
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : null;
  } catch {
    return null;
  }
}

export function isEmptyValue(value: unknown): boolean {
  return value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
}

/**
 * One property value rendered by its type and format. `compact` is the table cell: one line, no
 * block content (markdown and documents are summarised).
 */
export function PropertyValue({ value, property, compact = false }: { value: unknown; property?: BlueprintProperty; compact?: boolean }) {
  if (isEmptyValue(value)) {
    return (
      <Text span c="dimmed" size="sm" aria-label="empty">
        —
      </Text>
    );
  }
  const format = property?.format;

  if (property?.enum && (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')) {
    return (
      <Badge variant="light" color={enumColor(property, value)} tt="none" radius="sm">
        {String(value)}
      </Badge>
    );
  }
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v !== 'object' || v === null)) {
      return (
        <Group gap={4} wrap={compact ? 'nowrap' : 'wrap'}>
          {value.map((v, i) => (
            <PropertyValue key={i} value={v} property={property?.items as BlueprintProperty | undefined} compact />
          ))}
        </Group>
      );
    }
    return compact ? <Text span size="sm">{value.length} items</Text> : <JsonBlock value={value} />;
  }
  if (typeof value === 'boolean') {
    return (
      <Badge variant="light" color={value ? 'green' : 'gray'} radius="sm">
        {value ? 'Yes' : 'No'}
      </Badge>
    );
  }
  if (typeof value === 'number') {
    return <Text span size="sm">{value.toLocaleString()}</Text>;
  }
  if (typeof value === 'object') {
    return compact ? <Text span size="sm" c="dimmed">{'{…}'}</Text> : <JsonBlock value={value} />;
  }

  const text = String(value);
  switch (format) {
    case 'url': {
      const href = safeHref(text);
      return href ? (
        <Anchor href={href} target="_blank" rel="noopener noreferrer" size="sm" onClick={(e) => e.stopPropagation()}>
          {compact ? text.replace(/^https?:\/\//, '') : text}
        </Anchor>
      ) : (
        <Text span size="sm">{text}</Text>
      );
    }
    case 'email':
      return (
        <Anchor href={`mailto:${text}`} size="sm" onClick={(e) => e.stopPropagation()}>
          {text}
        </Anchor>
      );
    case 'date-time':
    case 'timer':
      return (
        <Text span size="sm" title={text}>
          <time dateTime={text}>{formatDate(text)}</time>
        </Text>
      );
    case 'markdown':
      if (compact) return <Text span size="sm" c="dimmed">{text.replace(/[#*_`>\n]+/g, ' ').trim().slice(0, 80)}</Text>;
      return (
        <Suspense fallback={<Skeleton height={60} />}>
          <Markdown source={text} />
        </Suspense>
      );
    case 'yaml':
      if (compact) return <Text span size="sm" c="dimmed">{property?.spec ? `${property.spec} document` : 'YAML document'}</Text>;
      return <Code block className="pt-code" data-format="yaml">{text}</Code>;
    case 'user':
    case 'team':
      return <Badge variant="outline" color="gray" tt="none" radius="sm">{text}</Badge>;
    default:
      return <Text span size="sm">{text}</Text>;
  }
}

function JsonBlock({ value }: { value: unknown }) {
  return (
    <Code block className="pt-code" data-format="json">
      {JSON.stringify(value, null, 2)}
    </Code>
  );
}
