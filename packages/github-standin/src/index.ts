import { createVerify } from 'node:crypto';
/**
 * @portolan/github-standin — a stateful stand-in for the GitHub REST API on 127.0.0.1, checked
 * against GitHub's published OpenAPI description. Tests drive it with the real @octokit/rest.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { Contract, type Flavour } from './contract.ts';
import { StandinState, type Run, type RunStatus } from './state.ts';
import { DOCS, HttpError, ghError, handlers, type AppSpec, type Auth, type Ctx, type Result } from './handlers.ts';
import type { Urls } from './represent.ts';

export { StandinState } from './state.ts';
export type { Account, Repo, Run, Team, RunConclusion, RunStatus, WorkflowDef, CommitFilesInput } from './state.ts';
export { GitStore, hashObject } from './git.ts';
export { OPERATION_IDS } from './operations.ts';
export type { AppSpec } from './handlers.ts';

export interface TokenSpec {
  token: string;
  login: string;
  scopes: string[];
}

export interface StandinOptions {
  /** Accepted tokens. Default: one token `ghp_standin` for user `octocat` with every scope. */
  tokens?: TokenSpec[];
  /** true (default): api.github.com, where dispatch takes `return_run_details`. false: GHES 3.19
   * (validated against its description, API under /api/v3, the key is rejected). */
  returnRunDetails?: boolean;
  /** Check requests and responses against the OpenAPI description (default true). */
  validate?: boolean;
  /** When set, runs move one step (queued → in_progress → completed) every this many ms. */
  runStepMs?: number;
  /** Primary rate limit per token per hour (default 5000). */
  rateLimit?: number;
  /** GitHub Apps that may authenticate with a JWT and get installation tokens. */
  apps?: AppSpec[];
}

export interface FaultSpec {
  /** HTTP method; any when omitted. */
  method?: string;
  /** Exact path, a template with `{param}` segments or `*` wildcards, or a RegExp. Matched
   * against the decoded path without the query string (and without a GHES /api/v3 prefix). */
  path: string | RegExp;
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** How many matching requests get the fault (default 1). */
  times?: number;
  /** Let this many matching requests through before the fault starts (default 0). */
  after?: number;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  query: string;
  operationId?: string;
  status: number;
  login?: string;
  fault?: boolean;
  body?: unknown;
}

export interface ValidationFailure {
  kind: 'request' | 'response' | 'route' | 'unimplemented';
  method: string;
  path: string;
  operationId?: string;
  status: number;
  messages: string[];
}

export interface GitHubStandin {
  /** Base URL for Octokit's `baseUrl`. */
  readonly url: string;
  readonly state: StandinState;
  readonly requests: RequestLogEntry[];
  readonly validationErrors: ValidationFailure[];
  readonly faults: {
    inject(spec: FaultSpec): void;
    /** 403/429 secondary rate limit with `retry-after` (seconds). */
    secondaryRateLimit(spec?: { method?: string; path?: string | RegExp; status?: 403 | 429; retryAfter?: number; times?: number }): void;
    /** Runs dispatched from now on are missing from run lists for `polls` list calls and `ms` ms. */
    lateRuns(spec: { polls?: number; ms?: number }): void;
    /** Exhausts a token's primary rate limit (403, x-ratelimit-remaining: 0) until reset. */
    exhaustRateLimit(token?: string, resetInSeconds?: number): void;
    clear(): void;
    readonly pending: FaultSpec[];
  };
  /** Moves every unfinished run one step; returns the runs that changed. */
  advanceRuns(filter?: (run: Run) => boolean): Run[];
  /** Moves every unfinished run (or those matching) straight to completed. */
  completeRuns(filter?: (run: Run) => boolean): Run[];
  assertNoValidationErrors(allow?: (e: ValidationFailure) => boolean): void;
  close(): Promise<void>;
}

const DEFAULT_TOKEN: TokenSpec = { token: 'ghp_standin', login: 'octocat', scopes: ['repo', 'workflow', 'admin:org', 'user', 'delete_repo'] };

const defaultFaultBody = (status: number): unknown => {
  if (status === 401) return { message: 'Bad credentials', documentation_url: DOCS, status: '401' };
  if (status === 403 || status === 429)
    return { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.', documentation_url: `${DOCS}/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits`, status: String(status) };
  if (status === 404) return { message: 'Not Found', documentation_url: DOCS, status: '404' };
  if (status === 409) return { message: 'Git Repository is empty.', documentation_url: DOCS, status: '409' };
  if (status === 422) return { message: 'Validation Failed', errors: [], documentation_url: DOCS, status: '422' };
  if (status >= 500) return { message: 'Server Error', documentation_url: DOCS, status: String(status) };
  return { message: `HTTP ${status}`, documentation_url: DOCS, status: String(status) };
};

function pathMatcher(p: string | RegExp): (path: string) => boolean {
  if (p instanceof RegExp) return (path) => p.test(path);
  if (!p.includes('*') && !p.includes('{')) return (path) => path === p;
  const re = new RegExp(
    `^${p
      .split(/(\{[^}]+\}|\*)/)
      .map((part) => (part === '*' ? '.*' : /^\{[^}]+\}$/.test(part) ? '[^/]+' : part.replace(/[.+?^$()|[\]\\]/g, '\\$&')))
      .join('')}$`,
  );
  return (path) => re.test(path);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export async function startGitHubStandin(options: StandinOptions = {}): Promise<GitHubStandin> {
  const returnRunDetails = options.returnRunDetails ?? true;
  const validate = options.validate ?? true;
  const flavour: Flavour = returnRunDetails ? 'api.github.com' : 'ghes-3.19';
  const contract = Contract.for(flavour);
  const prefix = returnRunDetails ? '' : '/api/v3';
  const state = new StandinState();
  const tokens = new Map<string, TokenSpec>();
  for (const t of options.tokens ?? [DEFAULT_TOKEN]) {
    tokens.set(t.token, t);
    state.addUser(t.login);
  }
  const rateLimit = options.rateLimit ?? 5000;
  const windowStart = Math.floor(Date.now() / 1000);
  const usage = new Map<string, { used: number; reset: number; exhausted?: boolean }>();
  const requests: RequestLogEntry[] = [];
  const validationErrors: ValidationFailure[] = [];
  type ActiveFault = FaultSpec & { remaining: number; skip: number; matches: (p: string) => boolean };
  const faults: ActiveFault[] = [];
  let urls: Urls = { api: "", web: "", host: "" };

  const tick = () => {
    if (!options.runStepMs) return;
    const now = Date.now();
    for (const run of state.allRuns()) {
      while (run.status !== 'completed' && now - run.lastChange >= options.runStepMs) {
        const prev = run.lastChange;
        state.advanceRun(run);
        run.lastChange = prev + options.runStepMs;
      }
    }
  };

  const send = (res: ServerResponse, status: number, headers: Record<string, string>, body: unknown, raw?: Result['raw']) => {
    if (raw) {
      res.writeHead(status, { ...headers, 'content-type': raw.contentType, 'content-length': String(raw.data.length) });
      res.end(raw.data);
      return;
    }
    if (status === 204 || status === 304 || body === undefined) {
      res.writeHead(status, headers);
      res.end();
      return;
    }
    const text = JSON.stringify(body);
    res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)) });
    res.end(text);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const method = (req.method ?? 'GET').toUpperCase();
    const full = new URL(req.url ?? '/', 'http://127.0.0.1');
    let rawPath = full.pathname;
    if (prefix && rawPath.startsWith(prefix)) rawPath = rawPath.slice(prefix.length) || '/';
    let decodedPath: string;
    try {
      decodedPath = decodeURIComponent(rawPath);
    } catch {
      decodedPath = rawPath;
    }
    const entry: RequestLogEntry = { method, path: decodedPath, query: full.search, status: 0 };
    requests.push(entry);
    const bodyBuf = await readBody(req);
    tick();

    const headers: Record<string, string> = {
      'x-github-request-id': randomUUID().toUpperCase().slice(0, 23),
      'x-github-api-version-selected': '2022-11-28',
      'x-github-media-type': 'github.v3; format=json',
    };

    // Authentication: "token X" or "Bearer X"; unknown tokens are 401 Bad credentials. A Bearer
    // JWT signed (RS256) by a known app authenticates as that app.
    let auth: Auth | null = null;
    const authz = req.headers.authorization;
    const appAuth = authz ? appFromJwt(authz, options.apps ?? []) : null;
    if (appAuth) {
      auth = { token: 'jwt', login: `${appAuth.slug}[bot]`, scopes: [], account: state.account(`${appAuth.slug}[bot]`) ?? state.addUser(`${appAuth.slug}[bot]`), app: appAuth };
      entry.login = auth.login;
    } else if (authz) {
      const m = /^(?:token|bearer)\s+(.+)$/i.exec(authz.trim());
      const spec = m ? tokens.get(m[1]!) : undefined;
      if (!spec) {
        entry.status = 401;
        send(res, 401, headers, { message: 'Bad credentials', documentation_url: DOCS, status: '401' });
        return;
      }
      auth = { token: spec.token, login: spec.login, scopes: spec.scopes, account: state.account(spec.login) ?? state.addUser(spec.login) };
      entry.login = spec.login;
      headers['x-oauth-scopes'] = spec.scopes.join(', ');
    }

    // Primary rate limit, per token (or per anonymous client).
    const key = auth?.token ?? 'anonymous';
    const limit = auth ? rateLimit : 60;
    let u = usage.get(key);
    const nowS = Math.floor(Date.now() / 1000);
    if (!u || u.reset <= nowS) {
      u = { used: 0, reset: Math.max(nowS, windowStart) + 3600 };
      usage.set(key, u);
    }
    const exhausted = u.exhausted || u.used >= limit;
    if (!exhausted) u.used++;
    Object.assign(headers, {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(exhausted ? 0 : Math.max(limit - u.used, 0)),
      'x-ratelimit-used': String(exhausted ? limit : u.used),
      'x-ratelimit-reset': String(u.reset),
      'x-ratelimit-resource': 'core',
    });
    if (exhausted) {
      entry.status = 403;
      send(res, 403, headers, { message: `API rate limit exceeded for user ID ${auth?.account.id ?? 0}.`, documentation_url: `${DOCS}/overview/rate-limits-for-the-rest-api#about-primary-rate-limits`, status: '403' });
      return;
    }

    // Injected faults (they answer before any state changes, as a failing GitHub would).
    for (const f of faults) {
      if (f.remaining <= 0) continue;
      if (f.method && f.method.toUpperCase() !== method) continue;
      if (!f.matches(decodedPath) && !f.matches(rawPath)) continue;
      if (f.skip > 0) {
        f.skip--;
        continue;
      }
      f.remaining--;
      entry.status = f.status;
      entry.fault = true;
      send(res, f.status, { ...headers, ...(f.headers ?? {}) }, f.body === undefined ? defaultFaultBody(f.status) : f.body);
      return;
    }

    const matched = contract.match(method, rawPath);
    if ('status' in matched) {
      entry.status = 404;
      validationErrors.push({ kind: 'route', method, path: decodedPath, status: 404, messages: [`${method} ${decodedPath} is not an operation of GitHub's REST API that the stand-in serves`] });
      send(res, 404, headers, { message: 'Not Found', documentation_url: DOCS, status: '404' });
      return;
    }
    const { op, params } = matched;
    entry.operationId = op.id;

    let body: unknown;
    const hasBody = bodyBuf.length > 0;
    if (hasBody) {
      try {
        body = JSON.parse(bodyBuf.toString('utf8'));
      } catch {
        entry.status = 400;
        validationErrors.push({ kind: 'request', method, path: decodedPath, operationId: op.id, status: 400, messages: ['request body is not JSON'] });
        send(res, 400, headers, { message: 'Problems parsing JSON', documentation_url: DOCS, status: '400' });
        return;
      }
    }
    entry.body = body;
    const query: Record<string, string> = {};
    for (const [k, v] of full.searchParams) query[k] = v;

    if (validate) {
      const issues = contract.validateRequest(op, { params, query, body, hasBody });
      if (issues.length) {
        entry.status = 422;
        validationErrors.push({ kind: 'request', method, path: decodedPath, operationId: op.id, status: 422, messages: issues.map((i) => `${i.where}: ${i.message}`) });
        const permitted = issues.find((i) => i.message.endsWith('is not a permitted key.'));
        send(res, 422, headers, { message: permitted ? permitted.message : issues.map((i) => i.message).join('\n'), documentation_url: DOCS, status: '422' });
        return;
      }
    }

    const handler = handlers[op.id];
    if (!handler) {
      entry.status = 501;
      validationErrors.push({ kind: 'unimplemented', method, path: decodedPath, operationId: op.id, status: 501, messages: [`${op.id} is in the slice but not implemented`] });
      send(res, 501, headers, { message: `${op.id} is not implemented by the stand-in`, documentation_url: DOCS, status: '501' });
      return;
    }
    const ctx: Ctx = { state, urls, params, query, body: body ?? {}, headers: req.headers, auth, rawPath: full.pathname + full.search, returnRunDetails, acceptedScopes: '',
      issueToken: (token, login, scopes) => {
        tokens.set(token, { token, login, scopes });
        if (!state.account(login)) state.addUser(login);
      },
    };
    let result: Result;
    try {
      result = handler(ctx);
    } catch (e) {
      if (e instanceof HttpError) result = { status: e.status, body: e.body, headers: e.headers };
      else {
        result = { status: 500, body: { message: `stand-in bug: ${(e as Error).stack ?? e}`, documentation_url: DOCS, status: '500' } };
        validationErrors.push({ kind: 'response', method, path: decodedPath, operationId: op.id, status: 500, messages: [`handler threw: ${(e as Error).stack ?? e}`] });
      }
    }
    headers['x-accepted-oauth-scopes'] = ctx.acceptedScopes;
    if (validate && !result.raw && result.status !== 500) {
      const issues = contract.validateResponse(op, result.status, result.body);
      if (issues.length) {
        // Our own response drifted from GitHub's contract: fail loudly.
        const messages = issues.map((i) => i.message);
        validationErrors.push({ kind: 'response', method, path: decodedPath, operationId: op.id, status: result.status, messages });
        result = { status: 500, body: { message: `github-standin: its ${result.status} response for ${op.id} does not match GitHub's OpenAPI description:\n${messages.join('\n')}`, documentation_url: DOCS, status: '500' } };
      }
    }
    entry.status = result.status;
    send(res, result.status, { ...headers, ...(result.headers ?? {}) }, result.body, result.raw);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      if (!res.headersSent) send(res, 500, {}, { message: `stand-in bug: ${(e as Error).stack ?? e}` });
      else res.end();
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  urls = { api: `${origin}${prefix}`, web: origin, host: `127.0.0.1:${port}` };

  const stepRuns = (filter: ((run: Run) => boolean) | undefined, to?: RunStatus) => {
    const changed: Run[] = [];
    for (const run of state.allRuns()) {
      if (run.status === 'completed' || (filter && !filter(run))) continue;
      state.advanceRun(run, to);
      changed.push(run);
    }
    return changed;
  };

  return {
    url: urls.api,
    state,
    requests,
    validationErrors,
    faults: {
      inject(spec) {
        faults.push({ ...spec, remaining: spec.times ?? 1, skip: spec.after ?? 0, matches: pathMatcher(spec.path) });
      },
      secondaryRateLimit(spec = {}) {
        const status = spec.status ?? 429;
        this.inject({
          ...(spec.method ? { method: spec.method } : {}),
          path: spec.path ?? /.*/,
          status,
          times: spec.times ?? 1,
          headers: { 'retry-after': String(spec.retryAfter ?? 1), 'x-ratelimit-remaining': '4999' },
        });
      },
      lateRuns(spec) {
        state.lateRuns = { polls: spec.polls ?? 0, ms: spec.ms ?? 0 };
      },
      exhaustRateLimit(token = [...tokens.keys()][0]!, resetInSeconds = 60) {
        usage.set(token, { used: rateLimit, reset: Math.floor(Date.now() / 1000) + resetInSeconds, exhausted: true });
      },
      clear() {
        faults.length = 0;
        state.lateRuns = { polls: 0, ms: 0 };
      },
      get pending() {
        return faults.filter((f) => f.remaining > 0);
      },
    },
    advanceRuns: (filter) => stepRuns(filter),
    completeRuns: (filter) => stepRuns(filter, 'completed'),
    assertNoValidationErrors(allow) {
      const bad = validationErrors.filter((e) => !allow?.(e));
      if (bad.length) {
        throw new Error(`GitHub stand-in saw ${bad.length} contract violation(s):\n${bad.map((e) => `- [${e.kind}] ${e.method} ${e.path} → ${e.status}: ${e.messages.join('; ')}`).join('\n')}`);
      }
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

export { ghError };

/** The app whose key signed this Bearer JWT (RS256, unexpired, iss = app id), or null. */
function appFromJwt(authorization: string, apps: AppSpec[]): AppSpec | null {
  const m = /^bearer\s+([\w-]+)\.([\w-]+)\.([\w-]+)$/i.exec(authorization.trim());
  if (!m || apps.length === 0) return null;
  let payload: { iss?: unknown; exp?: unknown; iat?: unknown };
  try {
    payload = JSON.parse(Buffer.from(m[2]!, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const app = apps.find((a) => String(a.id) === String(payload.iss));
  if (!app) return null;
  const ok = createVerify('RSA-SHA256').update(`${m[1]}.${m[2]}`).verify(app.publicKey, Buffer.from(m[3]!, 'base64url'));
  const now = Math.floor(Date.now() / 1000);
  if (!ok || typeof payload.exp !== 'number' || payload.exp < now || payload.exp - now > 600 + 60) return null;
  return app;
}
