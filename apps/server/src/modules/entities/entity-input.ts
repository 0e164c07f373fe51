import { ENTITY_IDENTIFIER_PATTERN, entityInputSchema } from '@portolan/contract';

// A bulk write parses up to 1,000 bodies, and zod's general-purpose parse was a third of the
// server's CPU for a batch that changes nothing. Bodies of the usual shape are checked here by
// hand; anything else (an error, an unknown key) goes to zod, which alone reports problems, so
// messages and paths stay zod's. A property test holds the fast path to the schema: whatever it
// accepts, zod accepts with the same result.

const KEYS = new Set(['identifier', 'title', 'icon', 'team', 'properties', 'relations', 'blueprint']);

export type ParsedEntityInput = ReturnType<typeof entityInputSchema.parse>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isIdentifier = (v: unknown): v is string => typeof v === 'string' && v.length >= 1 && v.length <= 1000 && ENTITY_IDENTIFIER_PATTERN.test(v);
const isTeam = (v: unknown): v is string => typeof v === 'string' && v.length >= 1 && v.length <= 200;
const optionalText = (v: unknown, max: number) => v === undefined || v === null || (typeof v === 'string' && v.length <= max);

/** entityInputSchema's result for a body of the usual shape; null when zod must decide. */
export function fastEntityInput(body: unknown): ParsedEntityInput | null {
  if (!isObject(body)) return null;
  for (const key in body) if (!KEYS.has(key)) return null;
  const { identifier, title, icon, team, properties, relations, blueprint } = body;
  if (!isIdentifier(identifier)) return null;
  if (!optionalText(title, 1000) || !optionalText(icon, 100)) return null;
  if (team !== undefined && !(isTeam(team) || (Array.isArray(team) && team.every(isTeam)))) return null;
  if (properties !== undefined && !isObject(properties)) return null;
  if (relations !== undefined) {
    if (!isObject(relations)) return null;
    for (const key in relations) {
      const v = relations[key];
      if (!(v === null || isIdentifier(v) || (Array.isArray(v) && v.every(isIdentifier)))) return null;
    }
  }
  if (blueprint !== undefined && typeof blueprint !== 'string') return null;
  // The body's own objects, not copies: it was parsed for this request and nothing else holds it.
  const out: ParsedEntityInput = { identifier, properties: (properties as Record<string, unknown> | undefined) ?? {}, relations: (relations as ParsedEntityInput['relations'] | undefined) ?? {} };
  if (title !== undefined) out.title = title as string | null;
  if (icon !== undefined) out.icon = icon as string | null;
  if (team !== undefined) out.team = team as string | string[];
  if (blueprint !== undefined) out.blueprint = blueprint as string;
  return out;
}

export function parseEntityInput(body: unknown): ReturnType<typeof entityInputSchema.safeParse> {
  const fast = fastEntityInput(body);
  return fast ? { success: true, data: fast } : entityInputSchema.safeParse(body);
}
