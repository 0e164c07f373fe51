import { cleanup } from '@testing-library/react';
import { afterEach, vi } from 'vitest';
import { setCsrfToken } from '../../src/lib/api-client.ts';

// As after the session check: writes and searches carry this token.
setCsrfToken('test-csrf-token');

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});
