/**
 * Run a transaction again when PostgreSQL aborted it for a deadlock (40P01) or a serialization
 * failure (40001): both mean "a concurrent transaction got in the way; nothing of yours was
 * kept", so trying again is safe. Other errors go straight to the caller.
 */
export async function retryOnConflict<T>(run: () => Promise<T>, attempts = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await run();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (i >= attempts || (code !== '40P01' && code !== '40001')) throw error;
      // Jittered backoff so the contenders do not collide again in lockstep.
      await new Promise((r) => setTimeout(r, 5 * i + Math.random() * 20 * i));
    }
  }
}
