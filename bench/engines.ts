/**
 * A bench page in each browser engine the tests use: Chromium and Firefox ESR
 * through puppeteer-core (CDP, WebDriver BiDi), WebKitGTK through
 * WebKitWebDriver under Xvfb. Only what the sections need: open a URL, run a
 * function in the page, close.
 */
import { launch } from 'puppeteer-core';
import { remote } from 'webdriverio';
import { CHROMIUM_ARGS, FIREFOX_PREFS, findEngine, type Engine } from '../scripts/find-engines.mjs';
import { startWebKitDriver } from '../scripts/webkit-driver.mjs';

export const ENGINE_LABELS: Record<Engine, string> = {
  chromium: 'Chromium',
  firefox: 'Firefox ESR',
  webkit: 'WebKitGTK',
};

export interface EnginePage {
  /** Runs `fn(arg)` in the page and resolves with its (serialisable) result. */
  evaluate<A, R>(fn: (arg: A) => Promise<R>, arg: A): Promise<R>;
  /** Resolves once `fn()` returns true in the page (polls for up to a minute). */
  waitFor(fn: () => boolean): Promise<void>;
  close(): Promise<void>;
}

/** Generous: a 48 MP decode in WebKit on a loaded 2-core machine takes seconds. */
const SCRIPT_TIMEOUT_MS = 900_000;

export async function openEnginePage(engine: Engine, url: string): Promise<EnginePage> {
  const found = findEngine(engine);
  if (found.missing) throw new Error(`${engine}: ${found.missing}`);
  if (engine === 'webkit') {
    const driver = await startWebKitDriver();
    try {
      const browser = await remote({
        hostname: driver.hostname,
        port: driver.port,
        capabilities: driver.capabilities,
        logLevel: 'error',
      });
      await browser.setTimeout({ script: SCRIPT_TIMEOUT_MS });
      await browser.url(url);
      return {
        // The page function's types belong to the page; both drivers pass `arg` through as JSON.
        evaluate: (fn, arg) => browser.execute(fn as never, arg as never) as never,
        waitFor: async (fn) => {
          await browser.waitUntil(() => browser.execute(fn), { timeout: 60_000, interval: 100 });
        },
        close: async () => {
          await browser.deleteSession().catch(() => {});
          await driver.stop();
        },
      };
    } catch (error) {
      await driver.stop();
      throw error;
    }
  }
  const browser = await launch({
    executablePath: found.executablePath,
    headless: true,
    protocolTimeout: SCRIPT_TIMEOUT_MS,
    ...(engine === 'firefox'
      ? { browser: 'firefox' as const, extraPrefsFirefox: FIREFOX_PREFS }
      : {
          args: [
            ...CHROMIUM_ARGS,
            // Timers of a page in the background must not be throttled during measurements.
            '--disable-background-timer-throttling',
            '--disable-renderer-backgrounding',
            '--disable-backgrounding-occluded-windows',
          ],
        }),
  });
  const page = await browser.newPage();
  await page.goto(url);
  return {
    evaluate: (fn, arg) => page.evaluate(fn as never, arg as never),
    waitFor: async (fn) => {
      await page.waitForFunction(fn, { timeout: 60_000 });
    },
    close: () => browser.close(),
  };
}
