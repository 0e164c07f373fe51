import autocannon from 'autocannon';
import { Agent, request } from 'node:http';

// Two ways to put load on a server: autocannon for throughput (many connections, as little
// client CPU as possible, which matters when client, server and PostgreSQL share two cores) and a
// closed loop of a few sequential clients for latency percentiles (autocannon has no p95).

export interface Throughput {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** Requests answered and seconds taken: what sums when a figure is measured in slices. */
  requests: number;
  seconds: number;
}

/** One figure of several slices: requests over time; p50 and p99 are the slices' own, weighted by
 * their requests (autocannon gives percentiles, not samples to merge). */
export function combineThroughput(slices: Throughput[]): Throughput {
  const requests = slices.reduce((a, s) => a + s.requests, 0);
  const seconds = slices.reduce((a, s) => a + s.seconds, 0);
  const weighted = (f: (s: Throughput) => number) => slices.reduce((a, s) => a + f(s) * s.requests, 0) / Math.max(1, requests);
  return { rps: requests / seconds, p50: weighted((s) => s.p50), p99: weighted((s) => s.p99), errors: slices.reduce((a, s) => a + s.errors, 0), requests, seconds };
}

export async function throughput(opts: {
  url: string;
  connections: number;
  seconds: number;
  warmupSeconds: number;
  headers?: Record<string, string>;
  /** Called per request: method, path and body. */
  next: () => { method: 'GET' | 'POST'; path: string; body?: string };
}): Promise<Throughput> {
  const run = (duration: number) =>
    autocannon({
      url: opts.url,
      connections: opts.connections,
      duration,
      headers: { 'content-type': 'application/json', ...(opts.headers ?? {}) },
      requests: [{ setupRequest: (req) => ({ ...req, ...opts.next() }) }],
    });
  if (opts.warmupSeconds > 0) await run(opts.warmupSeconds);
  const r = await run(opts.seconds);
  return { rps: r.requests.total / r.duration, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts + r.non2xx, requests: r.requests.total, seconds: r.duration };
}

export interface Latency {
  p50: number;
  p95: number;
  p99: number;
  count: number;
  /** Every request's milliseconds, sorted (slices of one figure merge exactly). */
  samples: number[];
}

export function latencyOf(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  return { p50: q(0.5), p95: q(0.95), p99: q(0.99), count: sorted.length, samples: sorted };
}

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

export function send(url: string, method: string, body: string | undefined, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

export async function latency(opts: {
  base: string;
  clients: number;
  seconds: number;
  warmupSeconds: number;
  headers?: Record<string, string>;
  next: () => { method: 'GET' | 'POST'; path: string; body?: string };
}): Promise<Latency> {
  const loop = async (seconds: number, into: number[] | null) => {
    const end = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: opts.clients }, async () => {
        while (performance.now() < end) {
          const r = opts.next();
          const t0 = performance.now();
          const res = await send(opts.base + r.path, r.method, r.body, opts.headers);
          const dt = performance.now() - t0;
          if (res.status !== 200) throw new Error(`${r.method} ${r.path}: ${res.status} ${res.body.slice(0, 300)}`);
          into?.push(dt);
        }
      }),
    );
  };
  if (opts.warmupSeconds > 0) await loop(opts.warmupSeconds, null);
  const samples: number[] = [];
  await loop(opts.seconds, samples);
  return latencyOf(samples);
}
