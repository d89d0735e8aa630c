/**
 * The built package (dist/, built here first when missing or older than the
 * sources): its entry points exist, README's API tables match its manifest, and
 * the examples in demo/examples/ run. Each example is built against dist/, served
 * with the reference proxy and the FASHN emulator, and opened in headless
 * Chromium and Firefox ESR (puppeteer-core: CDP and WebDriver BiDi), where a shopper goes from "Try it on" to a result while the page's
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
import { launch, type Browser, type ElementHandle, type Page } from 'puppeteer-core';
import { buildExamples, EXAMPLES } from '../../scripts/build-examples.js';
import { startExamplesServer, type ExamplesServer } from '../../scripts/examples-server.js';
import { CHROMIUM_ARGS, FIREFOX_PREFS, findEngine } from '../../scripts/find-engines.mjs';

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

/** The shop stylesheet's page colour (demo/examples/shop.css `--paper`). */
const SHOP_PAPER = 'rgb(247, 244, 239)';
const shopPaper = (page: Page) =>
  page.evaluate(() => getComputedStyle(document.body).backgroundColor);

/** The page's own record of the element's state (the `data-testid="state"` output). */
function pageState(page: Page): Promise<string | null> {
  return page.evaluate(() => document.querySelector('[data-testid="state"]')?.textContent ?? null);
}

async function untilPageState(page: Page, state: string): Promise<void> {
  await page
    .waitForFunction(
      (wanted) => document.querySelector('[data-testid="state"]')?.textContent === wanted,
      { timeout: STEP_TIMEOUT_MS, polling: 50 },
      state,
    )
    .catch(async () => {
      const element = await page.evaluate(() => document.querySelector('fashn-try-on')?.state);
      assert.fail(
        `the page never showed "${state}" (it shows "${await pageState(page)}", the element is "${element}")`,
      );
    });
}

/** Clicks the element's control whose accessible name (text or aria-label) is `name`. */
async function press(page: Page, name: string): Promise<void> {
  await page
    .waitForFunction(
      (wanted) => {
        const root = document.querySelector('fashn-try-on')?.shadowRoot;
        const control = [...(root?.querySelectorAll<HTMLElement>('button') ?? [])].find(
          (node) => (node.getAttribute('aria-label') ?? node.textContent ?? '').trim() === wanted,
        );
        control?.click();
        return Boolean(control);
      },
      { timeout: STEP_TIMEOUT_MS, polling: 50 },
      name,
    )
    .catch(() => assert.fail(`no "${name}" button in the element`));
}

/** The engines the examples run in: Chromium (CDP) and Firefox ESR (WebDriver BiDi). */
const ENGINES = {
  chromium: () => {
    const executablePath = findEngine('chromium').executablePath;
    assert.ok(executablePath, 'no Chromium found: set CHROME_PATH');
    return launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  },
  firefox: () => {
    const executablePath = findEngine('firefox').executablePath;
    assert.ok(executablePath, 'no Firefox found: set FIREFOX_PATH');
    return launch({
      browser: 'firefox',
      executablePath,
      headless: true,
      extraPrefsFirefox: FIREFOX_PREFS,
    });
  },
};

describe('the built package and its examples', { timeout: 180_000 }, () => {
  let server: ExamplesServer;

  before(async () => {
    ensureBuiltPackage();
    await buildExamples();
    server = await startExamplesServer({
      // FASHN's timings 50x faster; many flows from one client.
      api: { emulator: { speed: 0.02, jitter: 0 }, proxy: { rateLimit: false } },
    });
  });

  after(async () => {
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

  for (const [engine, start] of Object.entries(ENGINES)) {
    describe(engine, () => {
      let browser: Browser;
      before(async () => {
        browser = await start();
      });
      after(async () => {
        await browser?.close();
      });

      test("the index links every example, in the shop's look", async () => {
        const page = await browser.newPage();
        try {
          const answer = await page.goto(`${server.origin}/`);
          assert.equal(answer?.status(), 200);
          const links = await page.evaluate(() =>
            [...document.querySelectorAll('.example-card')].map((card) =>
              card.getAttribute('href'),
            ),
          );
          assert.deepEqual(
            links,
            EXAMPLES.map((name) => `/${name}/`),
          );
          assert.equal(await shopPaper(page), SHOP_PAPER);
        } finally {
          await page.close();
        }
      });

      for (const name of EXAMPLES) {
        test(`${name}: the element renders, and the page follows its events to a result`, async () => {
          const context = await browser.createBrowserContext();
          const page = await context.newPage();
          const problems: string[] = [];
          page.on('pageerror', (error) => problems.push((error as Error).message));
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
            await page.waitForFunction(
              () => document.querySelector('fashn-try-on')?.shadowRoot?.querySelector('button'),
              { timeout: STEP_TIMEOUT_MS },
            );
            assert.equal(await pageState(page), 'idle');
            assert.equal(await shopPaper(page), SHOP_PAPER, 'the shop stylesheet is applied');

            await press(page, 'Try it on');
            await untilPageState(page, 'consent');
            await press(page, 'Continue');
            await untilPageState(page, 'capture');
            const input = await page.waitForFunction(
              () =>
                document
                  .querySelector('fashn-try-on')
                  ?.shadowRoot?.querySelector<HTMLInputElement>('input[type="file"]'),
              { timeout: STEP_TIMEOUT_MS },
            );
            await (input as ElementHandle<HTMLInputElement>).uploadFile(selfie);
            await untilPageState(page, 'review');
            await press(page, 'Use this photo');
            // Through the proxy to the emulator: face-to-model, then tryon-v1.6.
            await untilPageState(page, 'result');
            const looks = await page.evaluate(
              () => document.querySelector('[data-testid="looks"]')?.textContent,
            );
            assert.equal(looks, '1 look(s) ready');
            assert.deepEqual(problems, []);
          } finally {
            await context.close();
          }
        });
      }
    });
  }
});
