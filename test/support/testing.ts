/**
 * `@open-wc/testing` for the browser tests, with a patient `waitUntil`: 15 s
 * unless a test says otherwise, not open-wc's 1 s, which a loaded CI machine
 * (or WebKit on software rendering) misses now and then. The test server
 * hands this module out for `@open-wc/testing` (web-test-runner.config.mjs),
 * so tests import from `@open-wc/testing` as usual.
 */
import { waitUntil as openWcWaitUntil } from '@open-wc/testing';

export * from '@open-wc/testing';

export const WAIT_UNTIL_TIMEOUT_MS = 15_000;

export function waitUntil(
  predicate: () => unknown,
  message?: string,
  options: { interval?: number; timeout?: number } = {},
): Promise<void> {
  return openWcWaitUntil(predicate, message, { timeout: WAIT_UNTIL_TIMEOUT_MS, ...options });
}
