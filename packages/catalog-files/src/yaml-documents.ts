import { LineCounter, parseAllDocuments, isMap, isSeq, isScalar, type Document, type Node } from 'yaml';

export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export interface FileProblem extends SourceLocation {
  message: string;
  /** The entity the problem belongs to, when known ("component:default/cart"). */
  ref?: string;
  severity: 'error' | 'warning';
}

export interface ParsedDocument {
  value: unknown;
  /** Where a dotted path ("spec.owner", "spec.providesApis.1") is written; falls back to the document start. */
  locate(path: string): SourceLocation;
}

/**
 * Parse a (multi-document) YAML or JSON file, keeping node positions so every later message can
 * name the line it is about. JSON is YAML, so one parser serves both.
 */
export function parseDocuments(text: string, file: string): { documents: ParsedDocument[]; problems: FileProblem[] } {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const problems: FileProblem[] = [];
  const documents: ParsedDocument[] = [];
  const at = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    const d = doc as Document.Parsed;
    if (d.errors.length > 0) {
      for (const e of d.errors) problems.push({ ...at(e.pos[0]), message: e.message.split('\n')[0]!, severity: 'error' });
      continue;
    }
    if (d.contents === null) continue; // an empty document between two ---
    const start = d.contents.range?.[0] ?? 0;
    documents.push({
      value: d.toJS({ maxAliasCount: 100 }),
      locate(path) {
        let node: Node | null | undefined = d.contents as Node;
        let best = node?.range?.[0] ?? start;
        for (const key of path.split('.').filter(Boolean)) {
          if (isMap(node)) {
            const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
            if (!pair) break;
            best = (isScalar(pair.key) ? pair.key.range?.[0] : undefined) ?? best;
            node = pair.value as Node | null;
          } else if (isSeq(node)) {
            const item = node.items[Number(key)] as Node | undefined;
            if (!item) break;
            node = item;
            best = item.range?.[0] ?? best;
          } else break;
        }
        return at(best);
      },
    });
  }
  return { documents, problems };
}
