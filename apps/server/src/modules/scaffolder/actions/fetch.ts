import path from 'node:path';
import picomatch from 'picomatch';
import { renderString } from '../templating.ts';
import { ActionInputError, optStr, str, strList, type ActionContext, type ActionDefinition } from './types.ts';

// fetch:template and fetch:plain read from the template's own stored files: `url: ./skeleton`
// names a folder beside template.yaml. (Backstage also fetches from remote URLs; stored templates
// carry their files, which keeps runs reproducible and needs no network.)

/** A posix path inside the workspace; refuses absolute paths and "..". */
export function safeRelative(p: string, what: string): string {
  const norm = path.posix.normalize(p.replace(/\\/g, '/')).replace(/\/+$/, '');
  if (norm.startsWith('/') || norm === '..' || norm.startsWith('../')) throw new ActionInputError(`${what} "${p}" must stay inside the workspace`);
  return norm === '.' ? '' : norm;
}

function sourceFolder(ctx: ActionContext): string {
  const url = str(ctx.input, 'url');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw new ActionInputError(`url "${url}": only folders stored with the template (like ./skeleton) can be fetched`);
  }
  return safeRelative(url, 'url');
}

function filesUnder(ctx: ActionContext, folder: string): { rel: string; content: Buffer }[] {
  const prefix = folder ? `${folder}/` : '';
  const out: { rel: string; content: Buffer }[] = [];
  for (const [p, f] of Object.entries(ctx.templateFiles)) {
    if (!p.startsWith(prefix)) continue;
    out.push({ rel: p.slice(prefix.length), content: Buffer.from(f.content, f.encoding === 'base64' ? 'base64' : 'utf8') });
  }
  if (out.length === 0) throw new ActionInputError(`the template has no files under "${folder || '.'}"`);
  return out.sort((a, b) => a.rel.localeCompare(b.rel));
}

function isText(buf: Buffer): boolean {
  if (buf.includes(0)) return false;
  return Buffer.from(buf.toString('utf8'), 'utf8').equals(buf);
}

export const fetchTemplate: ActionDefinition = {
  id: 'fetch:template',
  description: 'Renders a folder of the template (the skeleton) into the workspace: ${{ values.x }} in contents and file names',
  kind: 'workspace',
  needsGitHub: false,
  async run(ctx) {
    const folder = sourceFolder(ctx);
    const target = safeRelative(optStr(ctx.input, 'targetPath') ?? '.', 'targetPath');
    const values = (ctx.input.values ?? {}) as Record<string, unknown>;
    if (typeof values !== 'object' || Array.isArray(values)) throw new ActionInputError('input "values" must be an object');
    const raw = strList(ctx.input, 'copyWithoutTemplating');
    const rawMatch = raw.length ? picomatch(raw.map((g) => g.replace(/^\.\//, '')), { dot: true }) : () => false;
    // templateFileExtension: only files ending in it (".njk" by default when true) are rendered.
    const extOpt = ctx.input.templateFileExtension;
    const ext = extOpt === true ? '.njk' : typeof extOpt === 'string' ? extOpt : null;
    const replace = ctx.input.replace === true;
    const context = { values };
    let rendered = 0;
    let copied = 0;
    for (const file of filesUnder(ctx, folder)) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      // File and folder names are rendered too; a name that renders empty drops the file
      // (Backstage's way to make files conditional).
      const segments = file.rel.split('/').map((s) => renderString(s, context));
      if (segments.some((s) => s.trim() === '')) continue;
      let rel = segments.join('/');
      const verbatim = rawMatch(file.rel) || !isText(file.content) || (ext !== null && !file.rel.endsWith(ext));
      let content = file.content;
      if (!verbatim) {
        content = Buffer.from(renderString(file.content.toString('utf8'), context), 'utf8');
        if (ext && rel.endsWith(ext)) rel = rel.slice(0, -ext.length);
        rendered++;
      } else copied++;
      const dest = safeRelative(target ? `${target}/${rel}` : rel, 'file');
      if (ctx.workspace.has(dest) && !replace) {
        // Later steps win only when asked; otherwise the first writer keeps the file.
        continue;
      }
      ctx.workspace.set(dest, content);
    }
    await ctx.log(`fetch:template: ${rendered} file(s) rendered, ${copied} copied as they are, from ${folder || '.'} into ${target || '.'}`);
    return { files: rendered + copied };
  },
};

export const fetchPlain: ActionDefinition = {
  id: 'fetch:plain',
  description: 'Copies a folder of the template into the workspace as it is',
  kind: 'workspace',
  needsGitHub: false,
  async run(ctx) {
    const folder = sourceFolder(ctx);
    const target = safeRelative(optStr(ctx.input, 'targetPath') ?? '.', 'targetPath');
    const files = filesUnder(ctx, folder);
    for (const f of files) ctx.workspace.set(safeRelative(target ? `${target}/${f.rel}` : f.rel, 'file'), f.content);
    await ctx.log(`fetch:plain: ${files.length} file(s) copied from ${folder || '.'} into ${target || '.'}`);
    return { files: files.length };
  },
};

export { isText };
