import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Stored form of a bearer secret (session id, one-time link, client secret): never the value. */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

export interface AccessTokenClaims {
  /** subject: "client:<id>" (API client) or "run:<id>" (an action run's scoped token, later). */
  sub: string;
  /** expiry, seconds since the epoch */
  exp: number;
  /** scope: "api" for API clients. */
  scp: string;
}

/**
 * Short-lived bearer tokens signed with HMAC-SHA256 under a key derived from the portal's secret
 * key: verifying one costs no database read. Format: ptl_<payload b64url>.<mac b64url>.
 */
export class AccessTokenSigner {
  private readonly key: Buffer;

  constructor(secretKey: Buffer) {
    this.key = createHmac('sha256', secretKey).update('portolan:access-token:v1').digest();
  }

  sign(claims: AccessTokenClaims): string {
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    const mac = createHmac('sha256', this.key).update(payload).digest('base64url');
    return `ptl_${payload}.${mac}`;
  }

  verify(token: string, now = Date.now()): AccessTokenClaims | null {
    if (!token.startsWith('ptl_')) return null;
    const [payload, mac] = token.slice(4).split('.');
    if (!payload || !mac) return null;
    const expected = createHmac('sha256', this.key).update(payload).digest('base64url');
    if (!safeEqual(mac, expected)) return null;
    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as AccessTokenClaims;
      if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number' || claims.exp * 1000 <= now) return null;
      return claims;
    } catch {
      return null;
    }
  }
}
