import { ensureWebBuild } from '../../../../scripts/ensure-web-build.ts';

/** The browser tests run the built SPA as `npm start` serves it: build it when missing or stale. */
export default function setup(): void {
  ensureWebBuild();
}
