import { Octokit } from '@octokit/rest';

export type RequestError = Error & { status: number; response?: { data: any; headers: Record<string, string | undefined> } };

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

export function client(baseUrl: string, auth: string | null = 'ghp_standin'): Octokit {
  return new Octokit({ baseUrl, ...(auth ? { auth } : {}), log: quiet });
}

/** Runs a call expected to fail and returns Octokit's RequestError. */
export async function failure(p: Promise<unknown>): Promise<RequestError> {
  try {
    await p;
  } catch (e) {
    return e as RequestError;
  }
  throw new Error('expected the request to fail, but it succeeded');
}
