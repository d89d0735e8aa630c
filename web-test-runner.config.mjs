// Browser tests in headless Debian Chromium, with the fake camera. The FASHN
// emulator (and the reference proxy in front of it) is served by the test
// server itself at /api/fashn, so tests cross a real wire, not fetch mocks.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { fileURLToPath } from 'node:url';
import { findChrome } from './scripts/find-chrome.mjs';
import { register } from 'tsx/esm/api';
import { touchOnlyPlugin } from './test/support/touch-plugin.mjs';

// The test server runs the proxy and the emulator from their TypeScript sources.
register();
const TEST_PORT = Number(process.env.WTR_PORT ?? 8765);
let apiMiddleware = [];
try {
  const { testServerMiddleware } = await import('./test/support/server-plugins.mjs');
  apiMiddleware = [testServerMiddleware(TEST_PORT)];
} catch (error) {
  // Tests that need /api/fashn then fail on their own, with this as the reason.
  console.error('[wtr] /api/fashn is not mounted:', error);
}

const executablePath = findChrome();

export default {
  files: ['test/browser/**/*.test.ts'],
  nodeResolve: true,
  port: TEST_PORT,
  middleware: apiMiddleware,
  concurrency: 1,
  concurrentBrowsers: 1,
  testsFinishTimeout: 300_000,
  testFramework: { config: { timeout: 20_000 } },
  plugins: [
    touchOnlyPlugin(),
    esbuildPlugin({
      ts: true,
      target: 'es2022',
      tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)),
    }),
  ],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath,
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-dev-shm-usage',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
          '--use-fake-ui-for-media-stream',
          '--use-fake-device-for-media-stream',
          // Headless Chromium has no pointer at all; give it a desktop's mouse
          // (test/support/touch-plugin.mjs turns a page into a touch-only screen).
          '--blink-settings=primaryPointerType=4,availablePointerTypes=4,primaryHoverType=2,availableHoverTypes=2',
        ],
      },
    }),
  ],
};
