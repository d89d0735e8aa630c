/**
 * The built package (dist/, built here first when missing or older than the
 * sources): its entry points exist, README's API tables match its manifest, and
 * the examples in demo/examples/ run. Each example is built against dist/, served
 * with the reference proxy and the FASHN emulator, and opened in headless
 * Chromium, where a shopper goes from "Try it on" to a result while the page's
 * own UI (plain DOM, React, Vue) follows the element's events.
 *
 *   npm run test:examples
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildExamples, EXAMPLES } from '../../scripts/build-examples.js';
import { startExamplesServer, type ExamplesServer } from '../../scripts/examples-server.js';
import { findChrome } from '../../scripts/find-chrome.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const selfie = join(root, 'demo/public/sample-selfie.jpg');
const STEP_TIMEOUT_MS = 15_000;

/** Newest modification time of a file under `dir` (recursive). */
function newest(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((latest, entry) => {
    const path = join(dir, entry.name);
    return Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }, 0);
}

/** Builds dist/ unless it is there and newer than everything it is built from. */
function ensureBuiltPackage(): void {
  const outputs = ['dist/fashn-try-on.js', 'dist/index.js', 'dist/types/jsx-react.d.ts'];
  const inputs = ['package.json', 'scripts/build.mjs', 'tsconfig.build.json'];
  const built = outputs.every((file) => existsSync(join(root, file)));
  const builtAt = built
    ? Math.min(...outputs.map((file) => statSync(join(root, file)).mtimeMs))
    : 0;
  const sourcesAt = Math.max(
    newest(join(root, 'src')),
    ...inputs.map((file) => statSync(join(root, file)).mtimeMs),
  );
  if (built && builtAt >= sourcesAt) return;
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
  assert.equal(build.status, 0, `npm run build failed:\n${build.stdout}\n${build.stderr}`);
}

/** The page's own record of the element's state (the `data-testid="state"` output). */
function pageState(page: Page): Promise<string | null> {
  return page.getByTestId('state').textContent();
}

async function untilPageState(page: Page, state: string): Promise<void> {
  await page
    .waitForFunction(
      (wanted) => document.querySelector('[data-testid="state"]')?.textContent === wanted,
      state,
      { timeout: STEP_TIMEOUT_MS },
    )
    .catch(async () => {
      const element = await page.evaluate(() => document.querySelector('fashn-try-on')?.state);
      assert.fail(
        `the page never showed "${state}" (it shows "${await pageState(page)}", the element is "${element}")`,
      );
    });
}

describe('the built package and its examples', { timeout: 120_000 }, () => {
  let server: ExamplesServer;
  let browser: Browser;

  before(async () => {
    ensureBuiltPackage();
    await buildExamples();
    server = await startExamplesServer({
      // FASHN's timings 50x faster; many flows from one client.
      api: { emulator: { speed: 0.02, jitter: 0 }, proxy: { rateLimit: false } },
    });
    const executablePath = findChrome();
    assert.ok(executablePath, 'no Chromium found: set CHROME_PATH');
    browser = await chromium.launch({
      executablePath,
      args: [
        '--no-sandbox',
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
      ],
    });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('every entry point of package.json exists in the built package', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const targets = Object.values(pkg.exports as Record<string, string | Record<string, string>>)
      .flatMap((target) => (typeof target === 'string' ? [target] : Object.values(target)))
      .concat(pkg.types, pkg.main, pkg.customElements);
    const missing = targets.filter((target: string) => !existsSync(join(root, target)));
    assert.deepEqual(missing, []);
  });

  test("README's API tables match the built custom-elements.json", () => {
    const check = spawnSync(process.execPath, ['scripts/readme-api.mjs', '--check'], {
      cwd: root,
      encoding: 'utf8',
    });
    assert.equal(check.status, 0, check.stderr);
  });

  for (const name of EXAMPLES) {
    test(`${name}: the element renders, and the page follows its events to a result`, async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error')
          problems.push(`${message.text()} (${message.location().url})`);
      });
      page.on('response', (response) => {
        if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
      });
      try {
        await page.goto(`${server.origin}/${name}/`);
        // Rendered: the shadow root's trigger, found by its accessible name.
        const trigger = page.getByRole('button', { name: 'Try it on' });
        await trigger.waitFor({ timeout: STEP_TIMEOUT_MS });
        assert.equal(await pageState(page), 'idle');

        await trigger.click();
        await untilPageState(page, 'consent');
        await page.getByRole('button', { name: 'Continue' }).click();
        await untilPageState(page, 'capture');
        await page.locator('fashn-try-on input[type="file"]').setInputFiles(selfie);
        await untilPageState(page, 'review');
        await page.getByRole('button', { name: 'Use this photo' }).click();
        // Through the proxy to the emulator: face-to-model, then tryon-v1.6.
        await untilPageState(page, 'result');
        assert.equal(await page.getByTestId('looks').textContent(), '1 look(s) ready');
        // The element asks the proxy's optional `GET /credits`; a proxy without
        // it answers 404 (the browser logs that), and the flow goes on unchanged.
        const optional = (problem: string) => /\/api\/fashn\/credits\b/.test(problem);
        assert.deepEqual(
          problems.filter((problem) => !optional(problem)),
          [],
        );
      } finally {
        await context.close();
      }
    });
  }
});
