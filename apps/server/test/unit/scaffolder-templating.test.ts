import { describe, expect, it } from 'vitest';
import { isTruthyCondition, parseRepoUrl, referencedSecrets, renderString, renderValue } from '../../src/modules/scaffolder/templating.ts';

describe('scaffolder expressions', () => {
  const ctx = { parameters: { name: 'cart', tags: ['a', 'b'], on: false, port: 8080 }, steps: { publish: { output: { remoteUrl: 'https://x/acme/cart' } } } };

  it('keeps the type of a whole ${{ }} expression and renders text around others', () => {
    expect(renderValue('${{ parameters.tags }}', ctx)).toEqual(['a', 'b']);
    expect(renderValue('${{ parameters.port }}', ctx)).toBe(8080);
    expect(renderValue('${{ parameters.on }}', ctx)).toBe(false);
    expect(renderValue('repo ${{ parameters.name }}!', ctx)).toBe('repo cart!');
    expect(renderValue({ url: '${{ steps.publish.output.remoteUrl }}', missing: '${{ parameters.nope }}' }, ctx)).toEqual({ url: 'https://x/acme/cart' });
  });

  it('evaluates `if` the way Backstage does', () => {
    expect(isTruthyCondition(undefined, ctx)).toBe(true);
    expect(isTruthyCondition('${{ parameters.on }}', ctx)).toBe(false);
    expect(isTruthyCondition('${{ parameters.name }}', ctx)).toBe(true);
    expect(isTruthyCondition(false, ctx)).toBe(false);
  });

  it('renders values as data: text a user typed is never evaluated', () => {
    expect(renderString('${{ values.x }}', { values: { x: '${{ 7 * 6 }}' } })).toBe('${{ 7 * 6 }}');
  });

  it('refuses the known sandbox escapes and has no file loader', () => {
    expect(() => renderString("${{ range.constructor('return process')() }}", {})).toThrow(/constructor/);
    expect(() => renderString('${{ x.__proto__ }}', { x: {} })).toThrow(/__proto__/);
    expect(() => renderString("{% include '/etc/passwd' %}", {})).toThrow();
    expect(renderString('${{ cycler }}${{ range }}', {})).toBe('');
  });

  it('parses Backstage repoUrl and finds referenced secrets', () => {
    expect(parseRepoUrl('github.com?owner=acme&repo=cart')).toEqual({ host: 'github.com', owner: 'acme', repo: 'cart' });
    expect(referencedSecrets({ a: '${{ secrets.NPM_TOKEN }}', b: "${{ secrets['OTHER'] }}" }).sort()).toEqual(['NPM_TOKEN', 'OTHER']);
  });
});
