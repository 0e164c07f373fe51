import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { AppProviders } from '../../src/app/providers.tsx';
import { PropertyValue } from '../../src/features/entities/components/property-value.tsx';
import { renderMarkdown } from '../../src/features/entities/components/markdown-view.tsx';
import { componentBlueprint as bp } from './fixtures.ts';

const show = (value: unknown, property = {}) => render(<AppProviders><PropertyValue value={value} property={{ type: 'string', ...property }} /></AppProviders>);

describe('property rendering by format', () => {
  it('renders a url as a link that opens in a new tab', () => {
    show('https://github.com/example-org/cart-service', { format: 'url' });
    const link = screen.getByRole('link', { name: 'https://github.com/example-org/cart-service' });
    expect(link.getAttribute('href')).toBe('https://github.com/example-org/cart-service');
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toContain('noopener');
  });

  it('never links a javascript: url', () => {
    show('javascript:alert(1)', { format: 'url' });
    expect(screen.queryByRole('link')).toBeNull();
    expect(screen.getByText('javascript:alert(1)')).toBeTruthy();
  });

  it('renders an enum value as a chip colored by enumColors', () => {
    show('deprecated', bp.schema.properties.lifecycle);
    const chip = screen.getByText('deprecated').closest('.mantine-Badge-root') as HTMLElement;
    expect(chip).not.toBeNull();
    expect(chip.getAttribute('style')).toContain('red');
    expect(chip.textContent).toBe('deprecated');
  });

  it('renders a date-time readably, keeping the exact value in the markup', () => {
    show('2026-03-04T05:06:07.000Z', { format: 'date-time' });
    const time = document.querySelector('time')!;
    expect(time.getAttribute('datetime')).toBe('2026-03-04T05:06:07.000Z');
    expect(time.textContent).toMatch(/2026/);
    expect(time.textContent).not.toContain('T05:06');
  });

  it('renders yaml and objects as code blocks, booleans as Yes/No, empty as a dash', () => {
    show('openapi: 3.0.3\ninfo:\n  title: Cart', { format: 'yaml' });
    expect(document.querySelector('[data-format="yaml"]')?.textContent).toContain('openapi: 3.0.3');
    show({ replicas: 3 }, { type: 'object' });
    expect(document.querySelector('[data-format="json"]')?.textContent).toContain('"replicas": 3');
    show(true, { type: 'boolean' });
    expect(screen.getByText('Yes')).toBeTruthy();
    show(null);
    expect(screen.getByLabelText('empty').textContent).toBe('—');
  });

  it('renders markdown, lazily, without letting script or event handlers through', async () => {
    show('Some **bold** text\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) [docs](https://example.org/)', { format: 'markdown' });
    const md = await screen.findByTestId('markdown');
    expect(md.querySelector('strong')?.textContent).toBe('bold');
    expect(md.querySelector('a[href="https://example.org/"]')).not.toBeNull();
    expect(md.innerHTML).not.toContain('<script');
    expect(md.querySelector('a[href^="javascript"]')).toBeNull();
  });

  it('sanitizes rendered markdown output', () => {
    const html = renderMarkdown('hello <img src=x onerror=alert(1)> **bold**');
    expect(html).toContain('<strong>bold</strong>');
    // Raw HTML is shown as text, never as an element.
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img');
  });
});
