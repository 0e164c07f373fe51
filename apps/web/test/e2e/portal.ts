import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { expect } from 'vitest';
import { createTestApp, type TestApp, type TestAppOptions } from '../../../../test-support/test-app.ts';
import { launchBrowser, openSession, type BrowserSession } from './browser.ts';

export const USER = { email: 'dana@example.org', password: 'a long enough password', name: 'Dana Developer' };

export interface Portal extends TestApp {
  baseURL: string;
  browser: Browser;
  /** A browser session already signed in as USER. */
  signedIn(): Promise<BrowserSession>;
  stop(): Promise<void>;
}

/**
 * The real server (buildApp on this file's cloned database with the example catalog) listening on
 * 127.0.0.1, serving the built SPA, a user with a password, and a Chromium to drive.
 */
export async function startPortal(opts: Pick<TestAppOptions, 'scaffolder'> = {}): Promise<Portal> {
  const t = await createTestApp({ examples: true, ...opts });
  await t.raw.listen({ host: '127.0.0.1', port: 0 });
  const { port } = t.raw.server.address() as AddressInfo;
  const baseURL = `http://127.0.0.1:${port}`;
  const created = await t.app.inject({ method: 'POST', url: '/v1/users', payload: { ...USER, role: 'admin' } });
  expect(created.statusCode, created.body).toBe(201);
  const browser = await launchBrowser();
  return {
    ...t,
    baseURL,
    browser,
    signedIn: async () => {
      const session = await openSession(browser, baseURL);
      const res = await session.context.request.post('/v1/auth/sign-in', { data: { email: USER.email, password: USER.password } });
      expect(res.status()).toBe(200);
      return session;
    },
    stop: async () => {
      await browser.close().catch(() => {});
      await t.close();
    },
  };
}
