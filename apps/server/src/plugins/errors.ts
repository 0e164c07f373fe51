import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { ErrorBody, ErrorCode, FieldProblem } from '@portolan/contract';

// Services throw these domain errors; this plugin is the only place that maps them to HTTP.

export abstract class DomainError extends Error {
  abstract readonly status: number;
  abstract readonly code: ErrorCode;
}

export class InvalidError extends DomainError {
  readonly status = 400;
  readonly code = 'invalid_request' as const;
  constructor(message: string, readonly details: FieldProblem[] = []) {
    super(message);
  }
}

export class ForbiddenError extends DomainError {
  readonly status = 403;
  readonly code = 'forbidden' as const;
}

export class NotFoundError extends DomainError {
  readonly status = 404;
  readonly code = 'not_found' as const;
}

export class ConflictError extends DomainError {
  readonly status = 409;
  readonly code = 'conflict' as const;
  constructor(message: string, readonly conflicts: string[] = []) {
    super(message);
  }
}

export class PreconditionFailedError extends DomainError {
  readonly status = 412;
  readonly code = 'precondition_failed' as const;
}

const statusCodes: Record<number, ErrorCode> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  412: 'precondition_failed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  429: 'rate_limited',
};

/**
 * The path of the first string (object key or value) in a parsed JSON body that holds the NUL
 * character, which PostgreSQL's text and jsonb cannot store; null if there is none.
 */
export function nulCharacterPath(value: unknown, path: string[] = []): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path.join('.') || '(root)' : null;
  if (typeof value !== 'object' || value === null) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulCharacterPath(value[i], [...path, String(i)]);
      if (found !== null) return found;
    }
    return null;
  }
  for (const [k, v] of Object.entries(value)) {
    if (k.includes('\u0000')) return [...path, k.replaceAll('\u0000', '\\u0000')].join('.');
    const found = nulCharacterPath(v, [...path, k]);
    if (found !== null) return found;
  }
  return null;
}

export function problemsFromZod(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>, prefix?: string): FieldProblem[] {
  return issues.map((i) => ({
    path: [prefix, ...i.path.map(String)].filter((p) => p !== undefined && p !== '').join('.') || (prefix ?? '(root)'),
    message: i.message,
  }));
}

export const errorHandlerPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const send = (status: number, body: Omit<ErrorBody, 'ok' | 'requestId'>) =>
      reply.status(status).send({ ok: false, ...body, requestId: request.id } satisfies ErrorBody);

    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = error.validationContext ?? 'body';
      const details = error.validation.map((v) => ({
        path: [where, ...(v.instancePath ?? '').split('/').filter(Boolean)].join('.'),
        message: v.message ?? 'is invalid',
      }));
      return send(400, { error: 'invalid_request', message: `Invalid ${where}: ${details.map((d) => `${d.path} ${d.message}`).join('; ')}`, details });
    }
    if (error instanceof InvalidError) {
      return send(400, { error: error.code, message: error.message, details: error.details });
    }
    if (error instanceof ConflictError) {
      return send(409, { error: error.code, message: error.message, ...(error.conflicts.length ? { conflicts: error.conflicts } : {}) });
    }
    if (error instanceof DomainError) {
      return send(error.status, { error: error.code, message: error.message });
    }
    // Races the application checks cannot see ahead of time: two writers inserting the same
    // identifier, or two transactions deadlocking. Safe to retry; nothing of either is stored.
    const pgCode = (error as { code?: unknown }).code;
    if (pgCode === '23505' || pgCode === '40P01' || pgCode === '40001') {
      request.log.warn({ err: error }, 'concurrent write conflict');
      return send(409, { error: 'conflict', message: 'The change conflicts with a concurrent change to the same data; reload and try again' });
    }
    // Text PostgreSQL cannot store: NUL (U+0000) in text or jsonb. JSON bodies are checked when
    // parsed (with the path); this catches the rest, e.g. %00 in a URL.
    if (pgCode === '22P05' || pgCode === '22021') {
      return send(400, { error: 'invalid_request', message: 'Text must not contain the NUL character (U+0000)' });
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error }, 'response did not match its schema');
      return send(500, { error: 'internal_error', message: 'Internal server error' });
    }
    // Fastify's own client errors (malformed JSON, body too large, wrong content type) carry a 4xx.
    const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status >= 400 && status < 500) {
      return send(status, { error: statusCodes[status] ?? 'invalid_request', message: clientMessage(error) });
    }
    // Anything else is our fault: log it in full, tell the client nothing about internals.
    request.log.error({ err: error }, 'unhandled error');
    return send(500, { error: 'internal_error', message: 'Internal server error' });
  });

  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({
      ok: false,
      error: 'not_found',
      message: `Route ${request.method} ${request.url.split('?')[0]} not found`,
      requestId: request.id,
    } satisfies ErrorBody);
  });
});

function clientMessage(error: FastifyError): string {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'Request body is not valid JSON';
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'Request body is too large';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'Unsupported content type: send application/json';
    default:
      // Fastify's 4xx messages describe the request, not our internals.
      return error.message;
  }
}
