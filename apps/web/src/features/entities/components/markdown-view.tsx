import DOMPurify from 'dompurify';
import MarkdownIt from 'markdown-it';
import { useMemo } from 'react';

// Loaded only when a markdown property is on screen. Raw HTML in the source is not rendered, and
// the output goes through DOMPurify as well, so a catalog entry cannot inject script or styles.
const md = new MarkdownIt({ html: false, linkify: true, breaks: false });

export function renderMarkdown(source: string): string {
  return DOMPurify.sanitize(md.render(source), { USE_PROFILES: { html: true } });
}

export default function MarkdownView({ source }: { source: string }) {
  const html = useMemo(() => renderMarkdown(source), [source]);
  return <div className="pt-markdown" data-testid="markdown" dangerouslySetInnerHTML={{ __html: html }} />;
}
