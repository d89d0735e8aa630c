/**
 * Screenshots of the demo for review: starts Vite (vite.config.ts, the FASHN
 * emulator behind /api/fashn, fast timings), opens the pages in headless
 * Chromium with a fake camera at 375 px and 1280 px, and drives
 * `<fashn-try-on>` through every state by its accessible buttons.
 *
 *   node scripts/screenshot.mjs            → .screenshots/*.png
 *   node scripts/screenshot.mjs --engines  → also .screenshots/{firefox,webkit}-*.png:
 *                                            the dialog flow idle → result in Firefox ESR
 *                                            (puppeteer-core, BiDi) and WebKitGTK (WebKitWebDriver)
 *   node scripts/screenshot.mjs --engines-only   → only those
 *
 * A state that can't be reached is reported and the page is saved as it is;
 * the exit code is non-zero only when the script itself crashes.
 */
import { mkdir } from 'node:fs/promises';
import { createServer as createNetServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { launch as launchPuppeteer } from 'puppeteer-core';
import { remote } from 'webdriverio';
import { FIREFOX_PREFS, findEngine } from './find-engines.mjs';
import { startWebKitDriver } from './webkit-driver.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, '.screenshots');
const CHROMIUM = process.env.CHROME_PATH || '/usr/bin/chromium';
const STATE_TIMEOUT_MS = 20_000;
/** How long the emulator holds each run request while a waiting state is saved. */
const HOLD_MS = 2500;

const VIEWPORTS = [
  { name: 'mobile', width: 375, height: 812, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
  { name: 'desktop', width: 1280, height: 900, deviceScaleFactor: 1 },
];

/** Problems met along the way, printed at the end. */
const failures = [];
/** Console errors and CSP violations seen in the pages. */
const pageErrors = new Set();

async function freePort() {
  return await new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, 'localhost', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

async function startVite() {
  // Screenshots never spend FASHN credits: the emulator answers, 20× faster than FASHN.
  delete process.env.FASHN_API_KEY;
  process.env.FASHN_EMULATOR_SPEED ??= '0.05';
  process.chdir(root);
  const { createServer } = await import('vite');
  const port = await freePort();
  const server = await createServer({
    configFile: path.join(root, 'vite.config.ts'),
    server: { port, strictPort: true, host: 'localhost', hmr: false },
    logLevel: 'warn',
    clearScreen: false,
  });
  await server.listen();
  return { server, origin: `http://localhost:${port}` };
}

function watchPage(page, label) {
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.add(`[${label}] ${message.text()}`);
  });
  page.on('pageerror', (error) => pageErrors.add(`[${label}] ${error.message}`));
}

async function shot(page, name, options = {}) {
  const file = path.join(outDir, `${name}.png`);
  await page.screenshot({ path: file, ...options });
  console.log(`  saved ${path.relative(root, file)}`);
}

/** Runs one step; on failure records it, saves the page as it is and returns false. */
async function step(page, name, run) {
  try {
    await run();
    return true;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    failures.push(`${name}: ${reason}`);
    console.log(`  step failed: ${name}: ${reason}`);
    await shot(page, `${name}-FAILED`).catch(() => {});
    return false;
  }
}

/** Adds fault rules to the emulator behind the dev server (`POST /emulator/__control/faults`). */
async function injectFaults(page, rules) {
  return await page.evaluate(async (body) => {
    const response = await fetch('/emulator/__control/faults', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    }).catch(() => undefined);
    return Boolean(response?.ok);
  }, rules);
}

const elementState = (page) =>
  page.evaluate(() => document.querySelector('fashn-try-on')?.state ?? 'not upgraded');

async function waitForState(page, state, timeout = STATE_TIMEOUT_MS) {
  try {
    await page.waitForFunction(
      (wanted) => document.querySelector('fashn-try-on')?.state === wanted,
      state,
      {
        timeout,
        polling: 50,
      },
    );
  } catch {
    throw new Error(`state "${state}" not reached (state is "${await elementState(page)}")`);
  }
}

/** Clicks the element's button by accessible name (Playwright's role queries pierce open shadow roots). */
async function press(page, name) {
  await page.getByRole('button', { name, exact: true }).first().click({ timeout: 5000 });
}

async function newPage(browser, viewport, origin) {
  const { name: _name, width, height, ...device } = viewport;
  const context = await browser.newContext({
    viewport: { width, height },
    ...device,
    colorScheme: 'light',
  });
  await context.grantPermissions(['camera'], { origin });
  const page = await context.newPage();
  watchPage(page, viewport.name);
  return { context, page };
}

async function productPage(browser, viewport, origin) {
  const { context, page } = await newPage(browser, viewport, origin);
  const prefix = `${viewport.name}`;
  await page.goto(`${origin}/`, { waitUntil: 'networkidle' });
  await step(page, `${prefix}-product`, async () => {
    await page.waitForFunction(
      () => document.querySelector('#mode-badge')?.dataset.mode !== 'unknown',
      null,
      {
        timeout: 5000,
      },
    );
    await shot(page, `${prefix}-product`);
    await shot(page, `${prefix}-product-full`, { fullPage: true });
  });
  if (viewport.name === 'mobile') {
    await step(page, `${prefix}-dev-panel`, async () => {
      await page.locator('.dev-summary').click();
      await page.locator('.dev-summary').scrollIntoViewIfNeeded();
      await shot(page, `${prefix}-dev-panel`);
      await page.locator('.dev-summary').click();
    });
  }
  await step(page, `${prefix}-lang-de`, async () => {
    await page.locator('#lang-select').selectOption('de');
    await page.waitForFunction(() => document.querySelector('#try-on-area')?.lang === 'de');
    const area = page.locator('#try-on-area');
    await area.evaluate((element) => element.scrollIntoView({ block: 'center' }));
    await page.waitForTimeout(100);
    await area.screenshot({ path: path.join(outDir, `${prefix}-lang-de.png`) });
    console.log(`  saved .screenshots/${prefix}-lang-de.png`);
    await page.locator('#lang-select').selectOption('en');
  });
  await step(page, `${prefix}-product-dress`, async () => {
    await page.locator('.product-card', { hasText: 'Linen Sundress' }).click();
    await page.waitForFunction(() =>
      document.querySelector('fashn-try-on')?.getAttribute('garment-image')?.includes('dress'),
    );
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, `${prefix}-product-dress`);
  });
  await context.close();
}

/** Drives the element from idle to result, then into an error; saves each state. */
async function elementStates(browser, viewport, origin, layout) {
  const { context, page } = await newPage(browser, viewport, origin);
  const prefix = `${viewport.name}-${layout}`;
  await page.goto(`${origin}/`, { waitUntil: 'networkidle' });
  if (layout === 'inline') {
    await step(page, `${prefix}-switch-layout`, async () => {
      // Through the panel's own control, as a person would (the panel starts folded on phones).
      const details = page.locator('#dev-details');
      const wasOpen = await details.evaluate((element) => element.open);
      if (!wasOpen) await page.locator('.dev-summary').click();
      await page.locator('.segmented label', { hasText: 'Inline' }).click();
      if (!wasOpen) await page.locator('.dev-summary').click();
      await page.waitForFunction(
        () => document.querySelector('fashn-try-on')?.getAttribute('layout') === 'inline',
      );
    });
  }
  const area = page.locator('#try-on-area');
  /** Inline: the element's area, centred so the sticky header doesn't cover it; dialog: the page. */
  const capture = async (name) => {
    if (layout !== 'inline') return await shot(page, name);
    await area.evaluate((element) => element.scrollIntoView({ block: 'center' }));
    await area.screenshot({ path: path.join(outDir, `${name}.png`) });
    console.log(`  saved .screenshots/${name}.png`);
  };

  const ok =
    (await step(page, `${prefix}-idle`, async () => {
      await waitForState(page, 'idle');
      await area.scrollIntoViewIfNeeded();
      await capture(`${prefix}-idle`);
    })) &&
    (await step(page, `${prefix}-consent`, async () => {
      await press(page, 'Try it on');
      await waitForState(page, 'consent');
      // The dialog fades in over 0.22 s; a shot before that shows it half transparent.
      await page.waitForTimeout(400);
      await capture(`${prefix}-consent`);
    })) &&
    (await step(page, `${prefix}-capture`, async () => {
      await press(page, 'Continue');
      await waitForState(page, 'capture');
      // The fake camera needs a moment to deliver frames.
      await page
        .waitForFunction(
          () => {
            const video = document
              .querySelector('fashn-try-on')
              ?.shadowRoot?.querySelector('video');
            return Boolean(video && video.readyState >= 2 && video.videoWidth > 0);
          },
          null,
          { timeout: 5000 },
        )
        .catch(() => console.log('  (no camera frames; saving capture as it is)'));
      await capture(`${prefix}-capture`);
    })) &&
    (await step(page, `${prefix}-review`, async () => {
      await press(page, 'Take photo');
      await waitForState(page, 'review');
      await capture(`${prefix}-review`);
    })) &&
    (await step(page, `${prefix}-avatar`, async () => {
      // At 20× speed a step lasts well under a second: hold each run request
      // a little so both waiting states stay on screen long enough to be saved.
      await injectFaults(page, [
        { kind: 'run', model: 'face-to-model', delayMs: HOLD_MS },
        { kind: 'run', model: 'tryon-v1.6', delayMs: HOLD_MS },
      ]);
      await press(page, 'Use this photo');
      await waitForState(page, 'avatar');
      await page
        .waitForFunction(
          () =>
            document.querySelector('fashn-try-on')?.shadowRoot?.querySelector('progress') != null,
          null,
          { timeout: 3000 },
        )
        .catch(() => {});
      await capture(`${prefix}-avatar`);
    })) &&
    (await step(page, `${prefix}-tryon`, async () => {
      await waitForState(page, 'tryon');
      await page.waitForTimeout(300);
      await capture(`${prefix}-tryon`);
    })) &&
    (await step(page, `${prefix}-result`, async () => {
      await waitForState(page, 'result');
      await page
        .waitForFunction(() => {
          const images =
            document.querySelector('fashn-try-on')?.shadowRoot?.querySelectorAll('img') ?? [];
          return [...images].some((image) => image.complete && image.naturalWidth > 0);
        })
        .catch(() => {});
      await capture(`${prefix}-result`);
    }));

  // The error state: FASHN fails the next try-on (emulator fault), then "Try another look".
  if (ok) {
    await step(page, `${prefix}-error`, async () => {
      const injected = await injectFaults(page, {
        kind: 'run',
        model: 'tryon-v1.6',
        fail: { name: 'PoseError', message: 'No person found' },
      });
      if (!injected) {
        // No control endpoint: a garment FASHN can't load fails the run just as well.
        await page.evaluate(() =>
          document
            .querySelector('fashn-try-on')
            ?.setAttribute('garment-image', 'http://127.0.0.1:9/missing.png'),
        );
      }
      await press(page, 'Try another look');
      await waitForState(page, 'error');
      await capture(`${prefix}-error`);
    });
  }
  if (layout === 'dialog') {
    await step(page, `${prefix}-page-with-log`, async () => {
      await press(page, 'Close');
      await waitForState(page, 'idle');
      await shot(page, `${prefix}-page-with-log`);
    });
  }
  await context.close();
}

async function playground(browser, viewport, origin) {
  const { context, page } = await newPage(browser, viewport, origin);
  const prefix = `${viewport.name}-playground`;
  await page.goto(`${origin}/client.html`, { waitUntil: 'networkidle' });
  await step(page, `${prefix}-start`, () => shot(page, `${prefix}-start`));
  await step(page, `${prefix}-done`, async () => {
    await page.getByRole('button', { name: 'Use the sample selfie' }).click();
    await page.getByRole('button', { name: 'Run face-to-model, then try-on' }).click();
    await page.waitForSelector('[data-run-state="done"], [data-run-state="failed"]', {
      timeout: STATE_TIMEOUT_MS * 2,
    });
    await shot(page, `${prefix}-done`, { fullPage: true });
  });
  await context.close();
}

// ------------------------------------------- the other engines (--engines)

/** The same few page operations over puppeteer-core (Firefox) and webdriverio (WebKit). */
async function enginePage(engine) {
  if (engine === 'firefox') {
    const browser = await launchPuppeteer({
      browser: 'firefox',
      executablePath: findEngine('firefox').executablePath,
      headless: true,
      extraPrefsFirefox: FIREFOX_PREFS,
    });
    const page = await browser.newPage();
    return {
      goto: (url) => page.goto(url),
      viewport: (v) =>
        page.setViewport({
          width: v.width,
          height: v.height,
          deviceScaleFactor: v.deviceScaleFactor,
        }),
      evaluate: (fn, arg) => page.evaluate(fn, arg),
      shot: (file) => page.screenshot({ path: file }),
      close: () => browser.close(),
    };
  }
  const driver = await startWebKitDriver();
  const browser = await remote({
    hostname: driver.hostname,
    port: driver.port,
    capabilities: driver.capabilities,
    logLevel: 'error',
  });
  return {
    goto: (url) => browser.url(url),
    viewport: (v) => browser.setWindowSize(v.width, v.height),
    evaluate: (fn, arg) => browser.execute(fn, arg),
    shot: (file) => browser.saveScreenshot(file),
    close: async () => {
      await browser.deleteSession().catch(() => {});
      await driver.stop();
    },
  };
}

/** Polls `fn(arg)` in the page until it returns true. */
async function until(page, fn, arg, what, timeout = STATE_TIMEOUT_MS) {
  const end = Date.now() + timeout;
  while (!(await page.evaluate(fn, arg))) {
    if (Date.now() > end) throw new Error(`${what} not reached`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const isState = (wanted) => document.querySelector('fashn-try-on')?.state === wanted;
/** Clicks the element's control named `name` (text or aria-label); false while it is missing or disabled. */
const clickControl = (name) => {
  const root = document.querySelector('fashn-try-on')?.shadowRoot;
  const control = [...(root?.querySelectorAll('button') ?? [])].find(
    (node) => (node.getAttribute('aria-label') ?? node.textContent ?? '').trim() === name,
  );
  if (!control || control.disabled) return false;
  control.click();
  return true;
};
/**
 * Past review: "Use this photo", or "Use anyway" once the photo check has findings (the
 * fake cameras' frames are flat test patterns: Firefox's is a green field, "washed out").
 */
const useThePhoto = () => {
  const el = document.querySelector('fashn-try-on');
  if (el?.state !== 'review') return true;
  const buttons = [...(el.shadowRoot?.querySelectorAll('button') ?? [])].filter((b) => !b.disabled);
  const named = (name) => buttons.find((b) => b.textContent?.trim() === name);
  (named('Use anyway') ?? named('Use this photo'))?.click();
  return false;
};

async function engineStates(engine, origin) {
  const page = await enginePage(engine);
  try {
    for (const viewport of VIEWPORTS) {
      const prefix = `${engine}-${viewport.name}`;
      console.log(`${engine} ${viewport.name} (${viewport.width} px)`);
      await page.viewport(viewport);
      await page.goto(`${origin}/`);
      // Each viewport starts as a new shopper: the previous pass's avatar is forgotten.
      await until(
        page,
        () => 'forgetAvatar' in (document.querySelector('fashn-try-on') ?? {}),
        undefined,
        'element',
      );
      await page.evaluate(async () => {
        await document.querySelector('fashn-try-on').forgetAvatar();
        return true;
      });
      const save = async (state) => {
        const file = path.join(outDir, `${prefix}-${state}.png`);
        await page.shot(file);
        console.log(`  saved ${path.relative(root, file)}`);
      };
      const flow = [
        ['idle', null],
        ['consent', 'Try it on'],
        ['capture', 'Continue'],
        ['review', 'Take photo'],
        ['result', 'Use this photo'],
      ];
      for (const [state, control] of flow) {
        try {
          if (state === 'result') await until(page, useThePhoto, undefined, `"${control}"`);
          else if (control) await until(page, clickControl, control, `"${control}"`);
          await until(page, isState, state, `state ${state}`);
          if (state === 'capture')
            await until(
              page,
              () => {
                const take = [
                  ...(document
                    .querySelector('fashn-try-on')
                    ?.shadowRoot?.querySelectorAll('button') ?? []),
                ].find((node) => node.textContent?.trim() === 'Take photo');
                return Boolean(take && !take.disabled);
              },
              undefined,
              'camera ready',
            );
          await new Promise((resolve) => setTimeout(resolve, 500)); // fades and images
          await save(state);
        } catch (error) {
          failures.push(`${prefix}-${state}: ${error.message}`);
          console.log(`  step failed: ${prefix}-${state}: ${error.message}`);
          await save(`${state}-FAILED`).catch(() => {});
          break;
        }
      }
    }
  } finally {
    await page.close();
  }
}

async function main() {
  await mkdir(outDir, { recursive: true });
  const { server, origin } = await startVite();
  console.log(`Vite at ${origin} (emulator speed ${process.env.FASHN_EMULATOR_SPEED})`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'],
  });
  try {
    const enginesOnly = process.argv.includes('--engines-only');
    for (const viewport of enginesOnly ? [] : VIEWPORTS) {
      console.log(`${viewport.name} (${viewport.width} px)`);
      await productPage(browser, viewport, origin);
      await elementStates(browser, viewport, origin, 'dialog');
      await elementStates(browser, viewport, origin, 'inline');
      await playground(browser, viewport, origin);
    }
    if (enginesOnly || process.argv.includes('--engines'))
      for (const engine of ['firefox', 'webkit']) await engineStates(engine, origin);
  } finally {
    await browser.close();
    await server.close();
  }
  if (pageErrors.size) {
    console.log(`\nErrors in the pages (${pageErrors.size}):`);
    for (const error of pageErrors) console.log(`  ${error}`);
  }
  console.log(
    failures.length
      ? `\n${failures.length} step(s) failed:\n  ${failures.join('\n  ')}`
      : '\nEvery state reached.',
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
