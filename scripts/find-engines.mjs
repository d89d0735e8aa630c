// The three browser engines the tests run in, found on this machine: Debian's
// Chromium, Firefox ESR and WebKitGTK (WebKitWebDriver + MiniBrowser, shown on
// Xvfb). Test tools never download a browser. `WTR_ENGINES=chromium,firefox`
// picks some of them for a quicker local run; CI runs all three.
import { existsSync } from 'node:fs';
import { chromeCandidates, findChrome } from './find-chrome.mjs';

export const ENGINES = ['chromium', 'firefox', 'webkit'];

/** Chromium's flags: runs as root, fake camera allowed without a prompt. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
];

/** Firefox's fake camera, allowed without a prompt. */
export const FIREFOX_PREFS = {
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
};

const firefoxCandidates = [
  process.env.FIREFOX_PATH,
  '/usr/bin/firefox-esr',
  '/usr/bin/firefox',
  '/usr/lib/firefox-esr/firefox-esr',
].filter(Boolean);

const miniBrowserCandidates = [
  process.env.MINIBROWSER_PATH,
  '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
  '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
  '/usr/lib/x86_64-linux-gnu/webkitgtk-6.0/MiniBrowser',
].filter(Boolean);

const webDriverCandidates = [process.env.WEBKIT_WEBDRIVER_PATH, '/usr/bin/WebKitWebDriver'].filter(
  Boolean,
);
const xvfbCandidates = ['/usr/bin/Xvfb'];

const first = (paths) => paths.find((path) => existsSync(path));

/** Where each engine's executables are, or why it cannot run here. */
export function findEngine(engine) {
  if (engine === 'chromium') {
    const executablePath = findChrome();
    return executablePath
      ? { executablePath }
      : {
          missing: `no Chromium (Debian: apt-get install chromium; or set CHROME_PATH). Looked in: ${chromeCandidates.join(', ')}`,
        };
  }
  if (engine === 'firefox') {
    const executablePath = first(firefoxCandidates);
    return executablePath
      ? { executablePath }
      : {
          missing: `no Firefox (Debian: apt-get install firefox-esr; or set FIREFOX_PATH). Looked in: ${firefoxCandidates.join(', ')}`,
        };
  }
  if (engine === 'webkit') {
    const miniBrowser = first(miniBrowserCandidates);
    const webDriver = first(webDriverCandidates);
    // A DISPLAY given by the caller is used as is; otherwise the tests start Xvfb.
    const xvfb = process.env.DISPLAY ? undefined : first(xvfbCandidates);
    if (miniBrowser && webDriver && (xvfb || process.env.DISPLAY))
      return { miniBrowser, webDriver, xvfb };
    return {
      missing:
        'no WebKitGTK (Debian: apt-get install webkit2gtk-driver xvfb; or set MINIBROWSER_PATH ' +
        'and WEBKIT_WEBDRIVER_PATH). Needs MiniBrowser, WebKitWebDriver and Xvfb (or a DISPLAY).',
    };
  }
  throw new Error(`Unknown engine "${engine}": use ${ENGINES.join(', ')}`);
}

/** The engines this run asks for: `WTR_ENGINES` (comma-separated) or all three. */
export function wantedEngines() {
  const list = (process.env.WTR_ENGINES ?? ENGINES.join(','))
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  for (const name of list) if (!ENGINES.includes(name)) findEngine(name); // throws on a typo
  return list;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const problems = wantedEngines()
    .map((engine) => [engine, findEngine(engine).missing])
    .filter(([, missing]) => missing);
  for (const [engine, missing] of problems) console.error(`${engine}: ${missing}`);
  if (problems.length) {
    console.error('Browser tests need every engine asked for (WTR_ENGINES picks fewer).');
    process.exit(1);
  }
}
