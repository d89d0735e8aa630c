// Browser tests in three engines: Debian's Chromium, Firefox ESR and WebKitGTK,
// each with its fake camera (test/support/engines.mjs). `WTR_ENGINES=webkit`
// (comma-separated) runs some of them. The FASHN emulator (and the reference
// proxy in front of it) is served by the test server itself at /api/fashn, so
// tests cross a real wire, not fetch mocks.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { fileURLToPath } from 'node:url';
import { wantedEngines } from './scripts/find-engines.mjs';
import { freePort } from './scripts/webkit-driver.mjs';
import { launchers } from './test/support/engines.mjs';
import { engineReport } from './test/support/engine-report.mjs';
import { register } from 'tsx/esm/api';
import { touchOnlyPlugin } from './test/support/touch-plugin.mjs';

// The test server runs the proxy and the emulator from their TypeScript sources.
register();
// A port nobody uses unless WTR_PORT names one: a fixed default collided with
// another run on the same machine (EADDRINUSE, then ERR_SERVER_NOT_RUNNING).
const TEST_PORT = Number(process.env.WTR_PORT) || (await freePort());
let apiMiddleware = [];
try {
  const { testServerMiddleware } = await import('./test/support/server-plugins.mjs');
  apiMiddleware = [testServerMiddleware(TEST_PORT)];
} catch (error) {
  // Tests that need /api/fashn then fail on their own, with this as the reason.
  console.error('[wtr] /api/fashn is not mounted:', error);
}

const engines = wantedEngines();

/** Serves test/support/testing.ts (open-wc with a patient waitUntil) for `@open-wc/testing`. */
const patientTesting = {
  name: 'patient-open-wc-testing',
  resolveImport({ source, context }) {
    if (source === '@open-wc/testing' && !context.path.endsWith('/test/support/testing.ts'))
      return '/test/support/testing.ts';
  },
};

export default {
  files: ['test/browser/**/*.test.ts'],
  // lit's "production" build: the same code without its dev-mode banner and checks.
  nodeResolve: { exportConditions: ['production'] },
  port: TEST_PORT,
  middleware: apiMiddleware,
  // One test file per engine at a time; the engines run side by side.
  concurrency: 1,
  concurrentBrowsers: engines.length,
  testsFinishTimeout: 600_000,
  browserStartTimeout: 60_000,
  // A guard against a hung test, not a speed check: WebKit on software
  // rendering takes up to 25 s for the longest flows on a loaded machine.
  testFramework: { config: { timeout: 60_000 } },
  reporters: [defaultReporter(), engineReport()],
  plugins: [
    patientTesting,
    touchOnlyPlugin(),
    esbuildPlugin({
      ts: true,
      target: 'es2022',
      tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)),
    }),
  ],
  browsers: launchers(engines),
};
