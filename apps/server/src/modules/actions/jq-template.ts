import * as jq from 'jq-wasm';

// Port's `{{ jq }}` templates (port-labs/jq-node-bindings lib/template.js renderRecursively):
// - a string that is exactly one `{{ expr }}` becomes the jq result with its JSON type kept;
// - otherwise every `{{ … }}` is interpolated (non-strings JSON-encoded, null as "");
// - object keys are rendered too; a key that evaluates to null drops the pair;
// - jq errors give null (as jq.exec without throwOnError); $ENV and env are blanked.
// jq itself is the real jq compiled to WebAssembly (npm jq-wasm): no binary download.

export class TemplateError extends Error {}

interface Span {
  start: number;
  end: number;
  expr: string;
}

/** The `{{ … }}` spans of a string; braces inside double-quoted jq strings do not count. */
export function findTemplates(text: string): Span[] {
  const spans: Span[] = [];
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    if (open < 0) break;
    let j = open + 2;
    let inString = false;
    let close = -1;
    while (j < text.length) {
      const c = text[j];
      if (inString) {
        if (c === '\\') j++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{' && text[j + 1] === '{') throw new TemplateError(`nested "{{" in template: ${text}`);
      else if (c === '}' && text[j + 1] === '}') {
        close = j;
        break;
      }
      j++;
    }
    if (close < 0) break; // an unclosed "{{" is plain text, as in Port
    spans.push({ start: open, end: close + 2, expr: text.slice(open + 2, close).trim() });
    i = close + 2;
  }
  return spans;
}

export async function evalJq(expr: string, data: unknown): Promise<unknown> {
  if (expr === '') return null;
  try {
    const out = await jq.raw(JSON.stringify(data ?? null), `def env: {}; {} as $ENV | (${expr})`, ['-c']);
    const first = out.split('\n').find((line) => line.trim() !== '');
    return first === undefined ? null : (JSON.parse(first) as unknown);
  } catch {
    return null;
  }
}

async function renderString(text: string, data: unknown): Promise<unknown> {
  const spans = findTemplates(text);
  if (spans.length === 0) return text;
  if (spans.length === 1 && spans[0]!.start === 0 && spans[0]!.end === text.length) return evalJq(spans[0]!.expr, data);
  let out = '';
  let at = 0;
  for (const s of spans) {
    const v = await evalJq(s.expr, data);
    out += text.slice(at, s.start) + (v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));
    at = s.end;
  }
  return out + text.slice(at);
}

export async function renderTemplate(value: unknown, data: unknown): Promise<unknown> {
  if (typeof value === 'string') return renderString(value, data);
  if (Array.isArray(value)) return Promise.all(value.map((v) => renderTemplate(v, data)));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const key = await renderString(k, data);
      if (key === null || key === undefined) continue;
      if (typeof key !== 'string') throw new TemplateError(`the key "${k}" must evaluate to a string or null`);
      out[key] = await renderTemplate(v, data);
    }
    return out;
  }
  return value;
}
