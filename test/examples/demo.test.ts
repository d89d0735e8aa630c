/**
 * The demo as `npm start` serves it (Vite with the proxy and the emulator), in
 * headless Chromium: it opens with no error in its event log, nor in the
 * console or the network, and a run with the sample selfie reaches a result
 * without one, its progress estimated at the emulator's speed.
 *
 *   npm run test:examples
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { findChrome } from '../../scripts/find-chrome.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('the demo (npm start)', { timeout: 120_000 }, () => {
  let vite: ViteDevServer;
  let browser: Browser;
  let origin: string;

  before(async () => {
    // The emulator, fifty times faster than FASHN; never the real API from a test.
    delete process.env.FASHN_API_KEY;
    process.env.FASHN_EMULATOR_SPEED = '0.02';
    vite = await createServer({
      configFile: `${root}vite.config.ts`,
      logLevel: 'silent',
      server: { host: '127.0.0.1', port: 0, strictPort: false },
    });
    await vite.listen();
    origin = vite.resolvedUrls!.local[0].replace(/\/$/, '');
    const executablePath = findChrome();
    assert.ok(executablePath, 'no Chromium found: set CHROME_PATH');
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  });

  after(async () => {
    await browser?.close();
    await vite?.close();
  });

  test('opens with no error, and the sample selfie reaches a result without one', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      // Errors, and the element's own warnings (what a shop's developer must fix).
      if (
        message.type() === 'error' ||
        (message.type() === 'warning' && message.text().startsWith('<fashn-try-on>'))
      )
        problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });
    const logged = (event: string) =>
      page.locator(`#event-log li[data-event="${event}"]`).allTextContents();
    try {
      await page.goto(`${origin}/`);
      await page.getByRole('button', { name: 'Try it on' }).first().waitFor();
      await page.waitForSelector('#mode-badge[data-mode="emulator"]');
      // main.ts has set the product's garment (absolute) and the element has read it.
      await page.waitForFunction(() =>
        /^https?:/.test(document.querySelector('#try-on')?.getAttribute('garment-image') ?? ''),
      );
      await page.evaluate(
        () =>
          (document.querySelector('#try-on') as HTMLElement & { updateComplete: Promise<unknown> })
            .updateComplete,
      );
      assert.deepEqual(await logged('fashn-error'), [], 'errors in the event log on load');
      assert.deepEqual(problems, []);

      await page.locator('#use-sample').click();
      await page.waitForSelector('#event-log li[data-event="fashn-result"]', { timeout: 30_000 });
      assert.deepEqual(await logged('fashn-error'), []);
      // FASHN_EMULATOR_SPEED reached the estimate: 12 s × 0.02 for the avatar, not FASHN's 12 s.
      const progress = (await logged('fashn-progress'))
        .map((text) => JSON.parse(text.slice(text.indexOf('{'))))
        .filter((detail) => detail.predictionId);
      assert.ok(progress.length > 0);
      for (const detail of progress)
        assert.ok(detail.estimatedMs < 3000, `estimate ${detail.estimatedMs} ms (${detail.step})`);
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });
});
