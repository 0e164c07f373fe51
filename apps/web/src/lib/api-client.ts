import type { ErrorBody, FieldProblem } from '@portolan/contract';

/** An error answer from the API, with its status and the server's `{ok:false, ...}` body. */
export class ApiError extends Error {
  readonly status: number;
  readonly body: ErrorBody | null;

  constructor(status: number, body: ErrorBody | null, fallback: string) {
    super(body?.message ?? fallback);
    this.name = 'ApiError';
    this.status = status;
    this.body = body;
  }

  get details(): FieldProblem[] {
    return this.body?.details ?? [];
  }
}

export interface ApiRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface ApiResponse<T> {
  data: T;
  etag: string | null;
  status: number;
}

// The session cookie rides along by itself; unsafe requests must also carry the session's CSRF token
// (double-submit), which /v1/auth/me and sign-in hand out.
let csrfToken: string | null = null;
let csrfWaiters: ((token: string) => void)[] = [];
export const setCsrfToken = (token: string | null): void => {
  csrfToken = token;
  if (token) {
    for (const resolve of csrfWaiters) resolve(token);
    csrfWaiters = [];
  }
};
/** The token, or a promise of it while the session check (/v1/auth/me) is still in flight. */
const csrfTokenReady = (): string | Promise<string> => csrfToken ?? new Promise((resolve) => csrfWaiters.push(resolve));

let onUnauthorized: (() => void) | null = null;
/** Called when a request answers 401 (the session ended): the app sends the person to sign in. */
export const setUnauthorizedHandler = (handler: (() => void) | null): void => {
  onUnauthorized = handler;
};

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const READ_ONLY_POST = /^\/v1\/(?:blueprints\/[^/]+\/)?entities\/(?:search|facets)$/;

/** Encodes one path segment (entity identifiers may hold `/`, `:` and friends). */
export const seg = (value: string): string => encodeURIComponent(value);

function url(path: string, query: ApiRequest['query']): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** Same-origin JSON call; resolves with data + ETag, rejects with ApiError carrying the server's body. */
export async function apiRequest<T>(path: string, req: ApiRequest = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
  if (req.body !== undefined) headers['content-type'] = 'application/json';
  const method = req.method ?? 'GET';
  if (UNSAFE.has(method)) {
    // Writes carry the session's token, and wait for the session check to hand it out. Searches
    // and facets are POSTs that only read: the server needs no token for them, so the first page
    // of a catalog is asked for at once, in parallel with the session check. Sign-in needs none.
    if (csrfToken) headers['x-csrf-token'] = csrfToken;
    else if (!path.startsWith('/v1/auth/') && !READ_ONLY_POST.test(path)) headers['x-csrf-token'] = await csrfTokenReady();
  }
  let res: Response;
  try {
    res = await fetch(url(path, req.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
      signal: req.signal,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, null, 'The server could not be reached. Check your connection and try again.');
  }
  const text = await res.text();
  let json: unknown = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  if (!res.ok) {
    const body = json && typeof json === 'object' && (json as { ok?: unknown }).ok === false ? (json as ErrorBody) : null;
    if (res.status === 401 && !path.startsWith('/v1/auth/')) onUnauthorized?.();
    throw new ApiError(res.status, body, `Request failed with status ${res.status}`);
  }
  return { data: json as T, etag: res.headers.get('etag'), status: res.status };
}

export async function api<T>(path: string, req: ApiRequest = {}): Promise<T> {
  return (await apiRequest<T>(path, req)).data;
}

export function isApiError(error: unknown, status?: number): error is ApiError {
  return error instanceof ApiError && (status === undefined || error.status === status);
}
