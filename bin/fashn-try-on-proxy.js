#!/usr/bin/env node
// The `fashn-try-on-proxy` command; the proxy itself is src/proxy/cli.ts.
// Installed from npm it runs the bundle `npm run build` made (dist/proxy-cli.js).
// In a checkout before any build it runs the TypeScript source through tsx (a
// dev dependency), so `npx fashn-try-on-proxy` works right after `npm install`.
// Whatever is missing (the build, the dependencies) is said in one line, not a stack.
import { existsSync } from 'node:fs';

const built = new URL('../dist/proxy-cli.js', import.meta.url);
const source = new URL('../src/proxy/cli.ts', import.meta.url);

/** Prints one line and exits 1: a missing build or dependency is not a crash. */
function stop(line) {
  process.stderr.write(`fashn-try-on-proxy: ${line}\n`);
  process.exit(1);
}

/** What the missing module was, in a few words (never a stack). */
function missing(error) {
  const text = String(error?.message ?? error).split('\n')[0];
  return text.replace(/ imported from .*$/, '');
}

async function load() {
  if (existsSync(built)) return import(built.href);
  if (!existsSync(source))
    stop('dist/proxy-cli.js is missing: run `npm run build` in the package, or reinstall it.');
  try {
    const { register } = await import('tsx/esm/api');
    register();
  } catch {
    stop('no build (dist/) and no tsx to run the source: run `npm install`, or `npm run build`.');
  }
  return import(source.href);
}

let cli;
try {
  cli = await load();
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' && error?.code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED')
    throw error;
  const where = existsSync(built) ? 'the build in dist/ is incomplete' : 'a dependency is missing';
  stop(`${where} (${missing(error)}): run \`npm install\`, then \`npm run build\`.`);
}
await cli.runCli(process.argv.slice(2), process.env);
