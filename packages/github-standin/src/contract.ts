/**
 * The contract gate: routes requests by GitHub's OpenAPI paths and checks every request and
 * response against the committed slice of GitHub's description (see scripts/generate-spec-slice.ts).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS; under ESM its default export may be wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

export type Flavour = 'api.github.com' | 'ghes-3.19';

type Json = any; // the spec is untyped JSON

export interface Operation {
  id: string;
  method: string;
  template: string;
  segments: string[];
  /** JSON pointer (URI fragment form) of the operation object in the spec. */
  pointer: string;
  op: Json;
  params: { name: string; in: string; required: boolean; multiSegment: boolean; schemaRef: string }[];
}

export interface ContractIssue {
  where: 'path' | 'query' | 'body' | 'response';
  message: string;
}

const specDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'spec');

const escapeToken = (t: string) => encodeURIComponent(t.replace(/~/g, '~0').replace(/\//g, '~1'));

function formatErrors(errors: ErrorObject[] | null | undefined, root: string): string {
  return (errors ?? [])
    .slice(0, 8)
    .map((e) => {
      const at = `${root}${e.instancePath}`;
      if (e.keyword === 'required') return `"${(e.params as { missingProperty: string }).missingProperty}" wasn't supplied (at ${at || '/'}).`;
      if (e.keyword === 'enum') return `For '${at}', ${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)} is the list of allowed values: ${e.message}.`;
      return `For '${at}', ${e.message}.`;
    })
    .join('\n');
}

export class Contract {
  readonly spec: Json;
  readonly operations: Operation[] = [];
  private readonly ajv: Ajv;
  private readonly paramAjv: Ajv;
  private readonly cache = new Map<string, ValidateFunction>();

  private static instances = new Map<Flavour, Contract>();
  /** Contracts are immutable and compiled lazily; share them between stand-ins. */
  static for(flavour: Flavour): Contract {
    let c = Contract.instances.get(flavour);
    if (!c) {
      c = new Contract(flavour);
      Contract.instances.set(flavour, c);
    }
    return c;
  }

  private constructor(readonly flavour: Flavour) {
    this.spec = JSON.parse(readFileSync(join(specDir, `${flavour}.slice.json`), 'utf8'));
    // GitHub's description has oneOf branches that overlap (e.g. the 409 of PUT contents is
    // oneOf basic-error / repository-rule-violation-error, which every error body satisfies both
    // of), so GitHub's own answers would fail a strict oneOf. Check them as anyOf.
    const relax = (n: Json): void => {
      if (Array.isArray(n)) n.forEach(relax);
      else if (n && typeof n === 'object') {
        if (Array.isArray(n.oneOf) && !('anyOf' in n)) {
          n.anyOf = n.oneOf;
          delete n.oneOf;
          delete n.discriminator;
        }
        // OpenAPI 3.0 `nullable` with an `enum` (job `conclusion`): GitHub sends null, Ajv would
        // refuse it unless null is listed.
        if (n.nullable === true && Array.isArray(n.enum) && !n.enum.includes(null)) n.enum = [...n.enum, null];
        Object.values(n).forEach(relax);
      }
    };
    relax(this.spec);
    // `created` takes GitHub's search date syntax (">=2026-01-01T00:00:00Z", "a..b"), as the
    // operation's prose says, though its schema says format: date-time.
    const created = this.spec.components?.parameters?.created?.schema;
    if (created?.format === 'date-time') delete created.format;
    const make = (coerce: boolean) => {
      const ajv = new Ajv({ strict: false, allErrors: true, coerceTypes: coerce, validateFormats: true, discriminator: false });
      addFormats(ajv);
      ajv.addSchema(this.spec, 'gh');
      return ajv;
    };
    this.ajv = make(false);
    this.paramAjv = make(true);
    for (const [template, item] of Object.entries(this.spec.paths as Record<string, Json>)) {
      for (const [method, op] of Object.entries(item as Record<string, Json>)) {
        if (!op?.operationId) continue;
        const pointer = `/paths/${escapeToken(template)}/${method}`;
        const params = ((op.parameters ?? []) as Json[]).map((p: Json, i: number) => {
          let def = p;
          let schemaRef = `gh#${pointer}/parameters/${i}/schema`;
          if (p.$ref) {
            const name = String(p.$ref).replace('#/components/parameters/', '');
            def = this.spec.components.parameters[name];
            schemaRef = `gh#/components/parameters/${escapeToken(name)}/schema`;
          }
          return { name: def.name as string, in: def.in as string, required: !!def.required, multiSegment: !!def['x-multi-segment'], schemaRef };
        });
        this.operations.push({ id: op.operationId, method: method.toUpperCase(), template, segments: template.split('/').slice(1), pointer, op, params });
      }
    }
  }

  operation(id: string): Operation | undefined {
    return this.operations.find((o) => o.id === id);
  }

  /**
   * Matches a raw (still percent-encoded) path. Literal segments win over parameters; a trailing
   * x-multi-segment parameter (git refs, contents paths) takes the rest of the path, slashes included.
   */
  match(method: string, rawPath: string): { op: Operation; params: Record<string, string> } | { status: 404 | 405 } {
    const segs = rawPath.split('/').slice(1);
    let best: { op: Operation; params: Record<string, string>; score: number } | undefined;
    let pathMatched = false;
    for (const op of this.operations) {
      const params: Record<string, string> = {};
      let score = 0;
      let ok = true;
      for (let i = 0; i < op.segments.length; i++) {
        const t = op.segments[i]!;
        const pm = /^\{(.+)\}$/.exec(t);
        if (!pm) {
          if (segs[i] !== t) {
            ok = false;
            break;
          }
          score++;
          continue;
        }
        const name = pm[1]!;
        const isLast = i === op.segments.length - 1;
        const multi = isLast && op.params.some((p) => p.name === name && p.multiSegment);
        if (multi) {
          if (segs.length < op.segments.length) {
            ok = false;
            break;
          }
          params[name] = decodeURIComponent(segs.slice(i).join('/'));
          i = segs.length;
          break;
        }
        const s = segs[i];
        if (s === undefined || s === '') {
          ok = false;
          break;
        }
        params[name] = decodeURIComponent(s);
      }
      if (!ok) continue;
      const multiUsed = op.params.some((p) => p.multiSegment && op.segments[op.segments.length - 1] === `{${p.name}}`);
      if (!multiUsed && segs.length !== op.segments.length) continue;
      pathMatched = true;
      if (op.method !== method) continue;
      if (!best || score > best.score) best = { op, params, score };
    }
    if (best) return { op: best.op, params: best.params };
    return { status: pathMatched ? 405 : 404 };
  }

  private compile(ref: string, forParams: boolean): ValidateFunction {
    const key = `${forParams ? 'p' : 'b'}:${ref}`;
    let v = this.cache.get(key);
    if (!v) {
      v = (forParams ? this.paramAjv : this.ajv).compile({ $ref: ref });
      this.cache.set(key, v);
    }
    return v;
  }

  /** Validates (and coerces) path and query parameters, then the JSON body. */
  validateRequest(
    op: Operation,
    input: { params: Record<string, unknown>; query: Record<string, unknown>; body: unknown; hasBody: boolean },
  ): ContractIssue[] {
    const issues: ContractIssue[] = [];
    for (const p of op.params) {
      const source = p.in === 'path' ? input.params : p.in === 'query' ? input.query : undefined;
      if (!source) continue;
      if (source[p.name] === undefined) {
        if (p.required) issues.push({ where: p.in as 'path' | 'query', message: `"${p.name}" wasn't supplied.` });
        continue;
      }
      const holder = { v: source[p.name] };
      const key = `w:${p.schemaRef}`;
      let v = this.cache.get(key);
      if (!v) {
        v = this.paramAjv.compile({ type: 'object', properties: { v: { $ref: p.schemaRef } } });
        this.cache.set(key, v);
      }
      if (!v(holder)) issues.push({ where: p.in as 'path' | 'query', message: formatErrors(v.errors, `${p.in}/${p.name}`).replace(`${p.in}/${p.name}/v`, `${p.in}/${p.name}`) });
      else source[p.name] = holder.v;
    }
    const rb = op.op.requestBody;
    const mediaSchema = rb?.content?.['application/json']?.schema;
    if (!rb) {
      if (input.hasBody && input.body !== undefined && !(input.body && typeof input.body === 'object' && Object.keys(input.body).length === 0)) {
        issues.push({ where: 'body', message: 'This operation takes no request body.' });
      }
      return issues;
    }
    if (!input.hasBody) {
      if (rb.required) issues.push({ where: 'body', message: 'Invalid request.\n\nA request body is required.' });
      return issues;
    }
    if (mediaSchema) {
      const v = this.compile(`gh#${op.pointer}/requestBody/content/application~1json/schema`, false);
      if (!v(input.body)) issues.push({ where: 'body', message: `Invalid request.\n\n${formatErrors(v.errors, 'body')}` });
      // GitHub rejects unknown top-level keys ("... is not a permitted key."): a client sending one
      // is sending something GitHub does not read.
      const declared = mediaSchema.properties as Record<string, unknown> | undefined;
      if (declared && input.body && typeof input.body === 'object' && !Array.isArray(input.body) && mediaSchema.additionalProperties === undefined) {
        for (const k of Object.keys(input.body)) {
          if (!(k in declared)) issues.push({ where: 'body', message: `"${k}" is not a permitted key.` });
        }
      }
    }
    return issues;
  }

  /** Checks a response we are about to send against the documented response for its status. */
  validateResponse(op: Operation, status: number, body: unknown): ContractIssue[] {
    const responses = op.op.responses as Record<string, Json>;
    const key = responses[String(status)] ? String(status) : responses.default ? 'default' : undefined;
    if (!key) {
      if (status >= 400) {
        // GitHub does not document every error status (401, 429, 5xx); they all share this shape.
        const v = this.compile('gh#/components/schemas/basic-error', false);
        if (!this.spec.components.schemas['basic-error']) return [];
        return v(body) ? [] : [{ where: 'response', message: `error body: ${formatErrors(v.errors, 'response')}` }];
      }
      return [{ where: 'response', message: `status ${status} is not documented for ${op.id} (documented: ${Object.keys(responses).join(', ')})` }];
    }
    const resp = responses[key];
    const content = resp.$ref ? this.spec.components.responses[String(resp.$ref).split('/').pop()!]?.content : resp.content;
    const json = content?.['application/json'];
    if (!json?.schema) {
      if (body !== undefined && body !== '') return [{ where: 'response', message: `status ${status} of ${op.id} has no documented body, but one was sent` }];
      return [];
    }
    const ptr = resp.$ref
      ? `gh#/components/responses/${escapeToken(String(resp.$ref).split('/').pop()!)}/content/application~1json/schema`
      : `gh#${op.pointer}/responses/${key}/content/application~1json/schema`;
    const v = this.compile(ptr, false);
    return v(body) ? [] : [{ where: 'response', message: formatErrors(v.errors, 'response') }];
  }
}
