// WebKitGTK under automation: starts Xvfb (unless a DISPLAY is given) and
// WebKitWebDriver on free ports, and gives the W3C capabilities that open
// MiniBrowser with WebKit's mock camera. Used by the browser tests, the
// screenshot script and the benchmarks; `stop()` ends both processes.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { findEngine } from './find-engines.mjs';

/** A TCP port nobody listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts Xvfb on the first free display and resolves with it (":N"). */
function startXvfb(xvfb) {
  return new Promise((resolve, reject) => {
    // -displayfd 3: Xvfb picks a free display and writes its number to fd 3.
    const child = spawn(
      xvfb,
      ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'],
      {
        stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
      },
    );
    let text = '';
    let errors = '';
    child.stderr.on('data', (chunk) => (errors += chunk));
    child.stdio[3].on('data', (chunk) => {
      text += chunk;
      if (text.includes('\n')) resolve({ display: `:${text.trim()}`, child });
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`Xvfb exited (${code}): ${errors.trim()}`)));
  });
}

async function waitForDriver(port, child, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`WebKitWebDriver exited (${child.exitCode})`);
    try {
      const answer = await fetch(`http://127.0.0.1:${port}/status`);
      if (answer.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`WebKitWebDriver did not answer on port ${port} within ${timeoutMs} ms`);
}

/**
 * Starts what a WebKit session needs. Resolves with `{ hostname, port,
 * capabilities, stop }` for webdriverio's `remote()`.
 */
export async function startWebKitDriver() {
  const found = findEngine('webkit');
  if (found.missing) throw new Error(`WebKit: ${found.missing}`);
  const children = [];
  const kill = () => {
    for (const child of [...children].reverse()) if (child.exitCode === null) child.kill('SIGTERM');
  };
  // Never leave a display or a driver behind, however the run ends.
  process.once('exit', kill);
  const stop = async () => {
    kill();
    process.removeListener('exit', kill);
  };
  try {
    let display = process.env.DISPLAY;
    if (!display) {
      const xvfb = await startXvfb(found.xvfb);
      children.push(xvfb.child);
      display = xvfb.display;
    }
    const port = await freePort();
    const driver = spawn(found.webDriver, [`--port=${port}`, '--host=127.0.0.1'], {
      env: { ...process.env, DISPLAY: display },
      stdio: 'ignore',
    });
    children.push(driver);
    await waitForDriver(port, driver);
    return {
      hostname: '127.0.0.1',
      port,
      capabilities: webkitCapabilities(found.miniBrowser),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** MiniBrowser with automation and WebKit's mock camera (no permission prompt). */
export function webkitCapabilities(binary) {
  return {
    browserName: 'MiniBrowser',
    // WebKitWebDriver speaks classic WebDriver only (webdriverio 9 asks for BiDi by default).
    'wdio:enforceWebDriverClassic': true,
    'webkitgtk:browserOptions': {
      binary,
      args: ['--automation', '--enable-media-stream=true', '--enable-mock-capture-devices=true'],
    },
  };
}
