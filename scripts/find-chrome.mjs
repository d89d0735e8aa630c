// Finds a Chromium/Chrome executable for the browser tests and prints one clear
// message when there is none. Test tools must never download their own browser.
import { existsSync } from 'node:fs';

export const chromeCandidates = [
  process.env.CHROME_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
].filter(Boolean);

export function findChrome() {
  return chromeCandidates.find((path) => existsSync(path));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const found = findChrome();
  if (!found) {
    console.error(
      'No Chromium found for the browser tests. Install it (Debian: `apt-get install -y chromium`) ' +
        'or set CHROME_PATH to a Chrome/Chromium executable. Looked in: ' +
        chromeCandidates.join(', '),
    );
    process.exit(1);
  }
}
