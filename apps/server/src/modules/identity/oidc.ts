import * as client from 'openid-client';

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The portal's own URL as the browser sees it; the callback is <publicUrl>/v1/auth/oidc/callback. */
  publicUrl: string;
  /** Claim holding the user's groups, mapped to teams. */
  teamsClaim: string;
  /** Shown on the sign-in button. */
  displayName: string;
}

export interface OidcIdentity {
  subject: string;
  email: string;
  name: string | null;
  teams: string[];
}

/**
 * Sign-in with any OpenID Connect provider (Okta, Entra ID, Google, Keycloak, ...): authorization
 * code flow with PKCE, state and nonce, verified by openid-client. Discovery happens on first use
 * so a provider that is briefly down does not stop the portal from starting.
 */
export class OidcClient {
  private config: Promise<client.Configuration> | null = null;

  constructor(readonly settings: OidcSettings) {}

  get redirectUri(): string {
    return new URL('/v1/auth/oidc/callback', this.settings.publicUrl).toString();
  }

  private configuration(): Promise<client.Configuration> {
    if (!this.config) {
      const issuer = new URL(this.settings.issuer);
      // Plain http is only accepted for a provider on loopback (development and tests).
      const insecure = issuer.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname);
      this.config = client
        .discovery(issuer, this.settings.clientId, this.settings.clientSecret, undefined, insecure ? { execute: [client.allowInsecureRequests] } : undefined)
        .catch((error: unknown) => {
          this.config = null;
          throw error;
        });
    }
    return this.config;
  }

  /** Where to send the browser, and the checks to keep (in a short-lived cookie) for the callback. */
  async start(): Promise<{ url: string; checks: { state: string; nonce: string; verifier: string } }> {
    const config = await this.configuration();
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri,
      scope: 'openid email profile',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url: url.toString(), checks: { state, nonce, verifier } };
  }

  async finish(callbackUrl: URL, checks: { state: string; nonce: string; verifier: string }): Promise<OidcIdentity> {
    const config = await this.configuration();
    const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: checks.verifier,
      expectedState: checks.state,
      expectedNonce: checks.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims()!;
    let info: Record<string, unknown> = { ...claims };
    if (typeof claims.email !== 'string' || !(this.settings.teamsClaim in claims)) {
      // Many providers put email and groups only in the userinfo response.
      info = { ...info, ...(await client.fetchUserInfo(config, tokens.access_token, claims.sub)) };
    }
    if (typeof info.email !== 'string') throw new Error('The identity provider did not send an email claim');
    const groups = info[this.settings.teamsClaim];
    return {
      subject: `${this.settings.issuer}|${claims.sub}`,
      email: info.email.toLowerCase(),
      name: typeof info.name === 'string' ? info.name : null,
      teams: Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string' && g.length > 0 && g.length <= 200) : [],
    };
  }
}
