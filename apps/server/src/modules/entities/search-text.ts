/**
 * The text that free-text search matches: identifier, title and every top-level string property
 * (and strings inside array properties), lower-cased, one per line. Stored in entities.search_text
 * with a trigram index so substring search stays indexed at a million rows.
 */
export function buildSearchText(identifier: string, title: string | null | undefined, properties: Record<string, unknown>): string {
  const parts: string[] = [identifier];
  if (title) parts.push(title);
  for (const value of Object.values(properties)) {
    if (typeof value === 'string') parts.push(value.length > 2000 ? value.slice(0, 2000) : value);
    else if (Array.isArray(value)) for (const v of value) if (typeof v === 'string') parts.push(v);
  }
  return parts.join('\n').toLowerCase();
}
