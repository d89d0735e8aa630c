// `npm run test:browser`: the browser suite in each engine (Chromium, Firefox
// ESR, WebKitGTK), each in its own web-test-runner with its own port and so
// its own FASHN emulator: tests reset the emulator, add faults and count its
// requests, which must not leak from one engine into another. Engines run
// side by side, one per two CPU cores (a browser and its test server keep two busy;
// on a 2-core machine side by side made camera and timing tests flaky) (WTR_PARALLEL
// overrides); each one's output is printed whole when it ends, then a table.
//
//   npm run test:browser                                all three, each on a free port
//   WTR_PORT=8806 npm run test:browser                  all three, ports 8806…8808
//   WTR_ENGINES=webkit npm run test:browser -- test/browser/cache.test.ts
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { findEngine, wantedEngines } from './find-engines.mjs';

const engines = wantedEngines();
const missing = engines.filter((engine) => findEngine(engine).missing);
for (const engine of missing) console.error(`${engine}: ${findEngine(engine).missing}`);
if (missing.length) {
  console.error('Browser tests need every engine asked for (WTR_ENGINES picks fewer).');
  process.exit(1);
}

// Without WTR_PORT each runner takes a free port itself.
const basePort = Number(process.env.WTR_PORT) || undefined;
const parallel = Math.max(
  1,
  Math.min(
    engines.length,
    Number(process.env.WTR_PARALLEL) || Math.max(1, Math.floor(availableParallelism() / 2)),
  ),
);
const files = process.argv.slice(2);
const started = Date.now();

function run(engine, port) {
  return new Promise((resolve) => {
    const begun = Date.now();
    const child = spawn(process.execPath, ['node_modules/@web/test-runner/dist/bin.js', ...files], {
      env: {
        ...process.env,
        WTR_ENGINES: engine,
        WTR_PORT: port ? String(port) : '',
        FORCE_COLOR: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code, signal) => {
      const seconds = Math.round((Date.now() - begun) / 1000);
      console.log(
        `\n===== ${engine}${port ? ` (port ${port})` : ''}: ${code === 0 ? 'passed' : 'FAILED'} in ${seconds} s`,
      );
      // The runner's progress bars redraw in place; keep the lines that say something.
      // eslint-disable-next-line no-control-regex -- ANSI escapes
      console.log(output.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '').replace(/\n{3,}/g, '\n\n'));
      resolve({ engine, ok: code === 0, seconds, signal });
    });
  });
}

const queue = engines.map((engine, index) => [engine, basePort && basePort + index]);
const results = [];
await Promise.all(
  Array.from({ length: parallel }, async () => {
    for (let next; (next = queue.shift());) results.push(await run(...next));
  }),
);
const seconds = Math.round((Date.now() - started) / 1000);
console.log(`\nBrowser suite in ${seconds} s (${parallel} engine(s) at a time):`);
for (const { engine, ok, seconds: took } of results)
  console.log(`  ${engine}: ${ok ? 'passed' : 'FAILED'} (${took} s)`);
process.exit(results.every((result) => result.ok) ? 0 : 1);
