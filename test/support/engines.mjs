// The test runner's launcher per engine. Chromium and Firefox ESR go through
// puppeteer-core (Chrome DevTools Protocol / WebDriver BiDi), WebKitGTK through
// WebKitWebDriver; each gets its engine's fake camera.
import { chromeLauncher, puppeteerCore } from '@web/test-runner-chrome';
import { WebdriverLauncher } from '@web/test-runner-webdriver';
import { CHROMIUM_ARGS, FIREFOX_PREFS, findEngine } from '../../scripts/find-engines.mjs';
import { startWebKitDriver } from '../../scripts/webkit-driver.mjs';

function chromium() {
  return chromeLauncher({
    puppeteer: puppeteerCore, // also names it "Chromium" rather than "Chrome"
    launchOptions: {
      executablePath: findEngine('chromium').executablePath,
      headless: true,
      args: [
        ...CHROMIUM_ARGS,
        // Headless Chromium has no pointer at all; give it a desktop's mouse
        // (test/support/touch-plugin.mjs turns a page into a touch-only screen).
        '--blink-settings=primaryPointerType=4,availablePointerTypes=4,primaryHoverType=2,availableHoverTypes=2',
      ],
    },
  });
}

function firefox() {
  return chromeLauncher({
    // A custom puppeteer makes the launcher honour `browser: 'firefox'`
    // (WebDriver BiDi) instead of looking for Chrome.
    puppeteer: puppeteerCore,
    launchOptions: {
      browser: 'firefox',
      executablePath: findEngine('firefox').executablePath,
      headless: true,
      // Headless Firefox reports no pointer either; give it a desktop's mouse
      // (fine | hover, as widget/LookAndFeel's PointerCapabilities count them).
      extraPrefsFirefox: {
        ...FIREFOX_PREFS,
        'ui.primaryPointerCapabilities': 6,
        'ui.allPointerCapabilities': 6,
        // A download must not open the Downloads panel: it takes the window's focus, and
        // the runner's one page keeps that loss for every later test file (keys then still
        // reach the focused button, but Enter no longer clicks it).
        'browser.download.alwaysOpenPanel': false,
      },
    },
  });
}

/** WebdriverLauncher that starts (and ends) Xvfb and WebKitWebDriver itself. */
class WebKitLauncher extends WebdriverLauncher {
  #driver;
  constructor() {
    super({ capabilities: { browserName: 'MiniBrowser' } });
  }
  async initialize(config, testFiles) {
    this.#driver = await startWebKitDriver();
    const { hostname, port, capabilities } = this.#driver;
    Object.assign(this.options, { hostname, port, capabilities, automationProtocol: 'webdriver' });
    await super.initialize(config, testFiles);
    this.name = 'WebKit';
  }
  async stop() {
    await super.stop();
    await this.#driver?.stop();
  }
}

const LAUNCHERS = { chromium, firefox, webkit: () => new WebKitLauncher() };

/** The launchers for `engines` (names from scripts/find-engines.mjs). */
export function launchers(engines) {
  return engines.map((engine) => LAUNCHERS[engine]());
}
