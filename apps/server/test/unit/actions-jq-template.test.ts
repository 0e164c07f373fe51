import { describe, expect, it } from 'vitest';
import { findTemplates, renderTemplate, TemplateError } from '../../src/modules/actions/jq-template.ts';

const data = { inputs: { n: 3, name: 'cart', tags: ['a', 'b'], flag: false }, entity: { identifier: 'cart' }, run: { id: 'r_1' } };

describe('Port jq templates', () => {
  it('keeps the JSON type of a string that is one whole template', async () => {
    expect(await renderTemplate('{{ .inputs.n }}', data)).toBe(3);
    expect(await renderTemplate('{{.inputs.tags}}', data)).toEqual(['a', 'b']);
    expect(await renderTemplate('{{ .inputs.flag }}', data)).toBe(false);
    expect(await renderTemplate('{{ .entity }}', data)).toEqual({ identifier: 'cart' });
  });

  it('interpolates mixed strings and JSON-encodes non-strings', async () => {
    expect(await renderTemplate('deploy {{ .inputs.name }} x{{ .inputs.n }} {{ .inputs.tags }}', data)).toBe('deploy cart x3 ["a","b"]');
    expect(await renderTemplate('id={{ .missing }}', data)).toBe('id=');
  });

  it('renders keys and drops pairs whose key is null; walks arrays', async () => {
    expect(await renderTemplate({ '{{ .inputs.name }}': '{{ .run.id }}', '{{ null }}': 'x', list: ['{{ .inputs.n + 1 }}'] }, data)).toEqual({ cart: 'r_1', list: [4] });
  });

  it('gives null for a jq error, ignores braces in quoted strings, rejects nesting, blanks $ENV', async () => {
    expect(await renderTemplate('{{ .a | | }}', data)).toBeNull();
    expect(await renderTemplate('{{ "}}" + .inputs.name }}', data)).toBe('}}cart');
    expect(findTemplates('a {{ .x }} b {{ .y }}').map((s) => s.expr)).toEqual(['.x', '.y']);
    await expect(renderTemplate('{{ {{ .x }} }}', data)).rejects.toBeInstanceOf(TemplateError);
    expect(await renderTemplate('{{ $ENV.PATH }}', data)).toBeNull();
    expect(await renderTemplate('{{ env.HOME }}', data)).toBeNull();
  });
});
