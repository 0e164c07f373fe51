import AjvModule from 'ajv';
import YAML from 'yaml';
import { templateDocumentSchema, templateFileSchema, type TemplateDocument, type TemplateFile, type ParameterPage } from '@portolan/contract';
import { InvalidError, problemsFromZod } from '../../plugins/errors.ts';
import type { FieldProblem } from '@portolan/contract';
import { BUILTIN_ACTIONS } from './actions/index.ts';

// Reading and checking Backstage v1beta3 templates: YAML → document, with every problem listed
// (path + message) so the editor can point at it; parameters → wizard pages and one JSON Schema.

const Ajv = ((AjvModule as unknown as { default?: typeof AjvModule }).default ?? AjvModule) as typeof AjvModule;

export interface ParsedTemplate {
  document: TemplateDocument;
  source: string;
  files: Record<string, TemplateFile>;
}

const MAX_FILES = 5000;
const MAX_TOTAL_BYTES = 50 * 1024 * 1024;

/** Parses and validates; throws InvalidError listing every problem. */
export function parseTemplate(source: string, rawFiles: Record<string, string | TemplateFile> = {}): ParsedTemplate {
  const problems = templateProblems(source, rawFiles);
  if (problems.problems.length > 0) {
    throw new InvalidError(`Invalid template: ${problems.problems.map((p) => `${p.path}: ${p.message}`).slice(0, 5).join('; ')}`, problems.problems);
  }
  return { document: problems.document!, source, files: problems.files };
}

export function templateProblems(source: string, rawFiles: Record<string, string | TemplateFile> = {}): { problems: FieldProblem[]; document?: TemplateDocument; files: Record<string, TemplateFile> } {
  const problems: FieldProblem[] = [];
  const files: Record<string, TemplateFile> = {};
  let total = 0;
  const entries = Object.entries(rawFiles);
  if (entries.length > MAX_FILES) problems.push({ path: 'files', message: `at most ${MAX_FILES} files` });
  for (const [p, f] of entries) {
    const norm = p.replace(/\\/g, '/').replace(/^\.\//, '');
    if (norm.startsWith('/') || norm.split('/').some((s) => s === '..' || s === '')) {
      problems.push({ path: `files.${p}`, message: 'must be a relative path without ".." or empty segments' });
      continue;
    }
    const parsed = templateFileSchema.safeParse(typeof f === 'string' ? { content: f, encoding: 'utf8' } : f);
    if (!parsed.success) {
      problems.push(...problemsFromZod(parsed.error.issues, `files.${p}`));
      continue;
    }
    total += parsed.data.content.length;
    files[norm] = parsed.data;
  }
  if (total > MAX_TOTAL_BYTES) problems.push({ path: 'files', message: 'files may not exceed 50 MB in total' });

  let raw: unknown;
  try {
    const doc = YAML.parseDocument(source, { prettyErrors: true });
    if (doc.errors.length > 0) {
      for (const e of doc.errors) problems.push({ path: e.linePos ? `yaml:${e.linePos[0].line}:${e.linePos[0].col}` : 'yaml', message: e.message.split('\n')[0]! });
      return { problems, files };
    }
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    problems.push({ path: 'yaml', message: (error as Error).message });
    return { problems, files };
  }
  const parsed = templateDocumentSchema.safeParse(raw);
  if (!parsed.success) {
    problems.push(...problemsFromZod(parsed.error.issues));
    return { problems, files };
  }
  const document = parsed.data;
  const seen = new Set<string>();
  document.spec.steps.forEach((step, i) => {
    if (seen.has(step.id)) problems.push({ path: `spec.steps.${i}.id`, message: `step id "${step.id}" is used twice` });
    seen.add(step.id);
    const action = BUILTIN_ACTIONS.get(step.action);
    if (!action) {
      problems.push({ path: `spec.steps.${i}.action`, message: `unknown action "${step.action}" (known: ${[...BUILTIN_ACTIONS.keys()].join(', ')})` });
      return;
    }
    if (step.action === 'fetch:template' || step.action === 'fetch:plain') {
      const url = step.input?.url;
      if (typeof url === 'string' && !url.includes('${{') && !/^[a-z]+:\/\//i.test(url)) {
        const folder = url.replace(/^\.\//, '').replace(/\/+$/, '');
        const prefix = folder === '.' || folder === '' ? '' : `${folder}/`;
        if (!Object.keys(files).some((f) => f.startsWith(prefix))) problems.push({ path: `spec.steps.${i}.input.url`, message: `no files under "${url}" were given with the template` });
      }
    }
  });
  const pages = parameterPages(document);
  pages.forEach((page, i) => {
    try {
      compileParameters([page]);
    } catch (error) {
      problems.push({ path: Array.isArray(document.spec.parameters) ? `spec.parameters.${i}` : 'spec.parameters', message: `is not a valid JSON Schema: ${(error as Error).message}` });
    }
  });
  return { problems, document, files };
}

/** The wizard's pages: a single schema object becomes one page. */
export function parameterPages(document: TemplateDocument): ParameterPage[] {
  const p = document.spec.parameters;
  if (!p) return [];
  return Array.isArray(p) ? p : [p];
}

/** Strips the UI-only keys (ui:*, backstage:*) that are not JSON Schema. */
function schemaOnly(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(schemaOnly);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k.startsWith('ui:') || k.startsWith('backstage:')) continue;
      out[k] = schemaOnly(v);
    }
    return out;
  }
  return value;
}

function compileParameters(pages: ParameterPage[]) {
  const ajv = new Ajv({ allErrors: true, strict: false, logger: false, validateFormats: false });
  return pages.map((page) => {
    const { title: _t, description: _d, ...rest } = schemaOnly(page) as Record<string, unknown>;
    return ajv.compile({ type: 'object', ...rest });
  });
}

/** Checks submitted parameters against every page; lists each failing field. */
export function validateParameters(document: TemplateDocument, parameters: Record<string, unknown>): FieldProblem[] {
  const pages = parameterPages(document);
  const problems: FieldProblem[] = [];
  const validators = compileParameters(pages);
  validators.forEach((validate) => {
    if (validate(parameters)) return;
    for (const e of validate.errors ?? []) {
      const missing = e.keyword === 'required' ? `.${(e.params as { missingProperty: string }).missingProperty}` : '';
      const field = `parameters${e.instancePath.replace(/\//g, '.')}${missing}`;
      problems.push({ path: field, message: e.keyword === 'required' ? 'is required' : e.message ?? 'is invalid' });
    }
  });
  return problems;
}
