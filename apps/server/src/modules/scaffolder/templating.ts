import nunjucks from 'nunjucks';

// `${{ … }}` expressions, rendered with nunjucks as Backstage does. The environment has no loader
// (no {% include %} of server files), no autoescaping, and no globals; templates that reach for
// JavaScript internals (constructor, __proto__, prototype) are refused before rendering, which
// closes the known nunjucks escapes (`range.constructor("…")()`). Values typed by users are data:
// they are substituted, never rendered again.

export class TemplateRenderError extends Error {}

const FORBIDDEN = /\b(constructor|__proto__|prototype|__defineGetter__|__defineSetter__|__lookupGetter__|__lookupSetter__)\b/;

function createEnv(): nunjucks.Environment {
  const env = new nunjucks.Environment(null, {
    autoescape: false,
    throwOnUndefined: false,
    trimBlocks: false,
    lstripBlocks: false,
    tags: { variableStart: '${{', variableEnd: '}}' },
  });
  // nunjucks' default globals (range, cycler, joiner) are functions: an escape hatch we do not need.
  const globals = (env as unknown as { globals: Record<string, unknown> }).globals;
  for (const key of Object.keys(globals)) delete globals[key];
  // Backstage's filters that templates commonly use.
  env.addFilter('parseRepoUrl', (url: unknown) => parseRepoUrl(String(url)));
  env.addFilter('projectSlug', (url: unknown) => {
    const p = parseRepoUrl(String(url));
    return `${p.owner}/${p.repo}`;
  });
  env.addFilter('parseEntityRef', (ref: unknown) => parseEntityRef(String(ref)));
  env.addFilter('pick', (obj: unknown, key: string) => (obj && typeof obj === 'object' ? (obj as Record<string, unknown>)[key] : undefined));
  return env;
}

const env = createEnv();

/** repoUrl in Backstage's form: "github.com?owner=acme&repo=cart" (also accepts "acme/cart"). */
export function parseRepoUrl(url: string): { host: string; owner: string; repo: string } {
  const q = url.indexOf('?');
  if (q >= 0) {
    const params = new URLSearchParams(url.slice(q + 1));
    return { host: url.slice(0, q), owner: params.get('owner') ?? params.get('organization') ?? '', repo: params.get('repo') ?? '' };
  }
  const m = /^(?:https?:\/\/[^/]+\/)?([^/]+)\/([^/?#]+?)(?:\.git)?$/.exec(url.trim());
  if (m) return { host: 'github.com', owner: m[1]!, repo: m[2]! };
  return { host: '', owner: '', repo: '' };
}

/** "[kind:][namespace/]name" → parts (kind and namespace default to what Backstage uses). */
export function parseEntityRef(ref: string): { kind: string; namespace: string; name: string } {
  const m = /^(?:([^:/]+):)?(?:([^/]+)\/)?(.+)$/.exec(ref.trim());
  return { kind: m?.[1] ?? 'group', namespace: m?.[2] ?? 'default', name: m?.[3] ?? ref };
}

function checkSource(source: string): void {
  if (!source.includes('${{') && !source.includes('{%')) return;
  const m = FORBIDDEN.exec(extractCode(source));
  if (m) throw new TemplateRenderError(`Expression uses "${m[1]}", which templates may not use`);
}

/** The code inside ${{ }} and {% %} (what nunjucks evaluates), for the safety check. */
function extractCode(source: string): string {
  const parts: string[] = [];
  const re = /\$\{\{([\s\S]*?)\}\}|\{%([\s\S]*?)%\}/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(source))) parts.push(m[1] ?? m[2] ?? '');
  return parts.join('\n');
}

/** Renders text (a skeleton file, a file name). */
export function renderString(source: string, context: Record<string, unknown>): string {
  checkSource(source);
  try {
    return env.renderString(source, context);
  } catch (error) {
    throw new TemplateRenderError(cleanNunjucksMessage(error));
  }
}

const WHOLE_EXPRESSION = /^\s*\$\{\{([\s\S]*?)\}\}\s*$/;

/**
 * Renders a value of a step's input: strings that are one whole `${{ expr }}` keep the type of
 * the value (an array stays an array, a boolean stays a boolean), as in Backstage; other strings
 * are rendered as text; arrays and objects are rendered recursively.
 */
export function renderValue(value: unknown, context: Record<string, unknown>): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE_EXPRESSION.exec(value);
    if (whole && !whole[1]!.includes('}}')) {
      checkSource(value);
      let json: string;
      try {
        json = env.renderString(`\${{ (${whole[1]}) | dump }}`, context);
      } catch (error) {
        throw new TemplateRenderError(cleanNunjucksMessage(error));
      }
      if (json === '' || json === 'undefined') return undefined;
      try {
        return JSON.parse(json);
      } catch {
        return json;
      }
    }
    return renderString(value, context);
  }
  if (Array.isArray(value)) return value.map((v) => renderValue(v, context));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const rendered = renderValue(v, context);
      if (rendered !== undefined) out[k] = rendered;
    }
    return out;
  }
  return value;
}

/** A step's `if`: false, "false", "", null and undefined skip the step (Backstage's rule). */
export function isTruthyCondition(value: unknown, context: Record<string, unknown>): boolean {
  if (value === undefined) return true;
  const v = renderValue(value, context);
  if (v === false || v === null || v === undefined || v === '' || v === 'false' || v === 0) return false;
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

/** Every `secrets.NAME` / `secrets['NAME']` a template mentions: revealed before it runs. */
export function referencedSecrets(source: unknown): string[] {
  const text = JSON.stringify(source);
  const names = new Set<string>();
  for (const m of text.matchAll(/secrets\.([A-Za-z_][\w-]*)|secrets\[\\?['"]([^'"\\]+)\\?['"]\]/g)) names.add((m[1] ?? m[2])!);
  return [...names];
}

function cleanNunjucksMessage(error: unknown): string {
  const msg = (error as Error).message ?? String(error);
  return msg.replace(/^\(unknown path\)\s*/, '').replace(/\s+/g, ' ').trim();
}
