/**
 * `bin/fashn-try-on-proxy.js` as a new user meets it: in a fresh checkout
 * (the tracked files only, no dist/, dependencies installed) it runs from
 * source; in a package without its build it says so in one line.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const temps: string[] = [];
after(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A directory holding the tracked files under `paths` (as `git clone` gives them) and nothing built. */
function checkout(paths: string[], { nodeModules = true } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'fashn-bin-'));
  temps.push(dir);
  const files = execFileSync('git', ['ls-files', '-z', '--', ...paths], { cwd: ROOT })
    .toString()
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(ROOT, file), join(dir, file));
  }
  if (nodeModules) symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

/** Runs the command in `dir` until it exits or prints its start line; then stops it. */
function run(
  dir: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = { ...process.env };
  delete env.FASHN_API_KEY;
  delete env.NODE_OPTIONS;
  const child = spawn(process.execPath, [join(dir, 'bin/fashn-try-on-proxy.js'), ...args], {
    cwd: dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (/listening on http/i.test(stdout) || /http:\/\/127\.0\.0\.1:\d+/.test(stdout))
      child.kill('SIGTERM');
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

describe('fashn-try-on-proxy from a checkout', () => {
  it('shows its usage before any build (runs the source)', async () => {
    const dir = checkout(['bin', 'src', 'package.json', 'tsconfig.json']);
    const { code, stdout, stderr } = await run(dir, ['--help']);
    assert.equal(stderr, '');
    assert.equal(code, 0);
    assert.match(stdout, /^Usage: fashn-try-on-proxy \[options\]/);
  });

  it('serves with --mock before any build', async () => {
    const dir = checkout(['bin', 'src', 'package.json', 'tsconfig.json']);
    const { stdout, stderr } = await run(dir, ['--mock', '--port', '0']);
    assert.equal(stderr, '');
    assert.match(stdout, /http:\/\/127\.0\.0\.1:\d+/);
  });

  it('says in one line that the build is missing where there is no source either', async () => {
    const dir = checkout(['bin', 'package.json']);
    const { code, stdout, stderr } = await run(dir, ['--help']);
    assert.equal(code, 1);
    assert.equal(stdout, '');
    assert.equal(stderr.trim().split('\n').length, 1, stderr);
    assert.match(stderr, /dist\/proxy-cli\.js is missing: run `npm run build`/);
  });

  it('says in one line that the build is incomplete', async () => {
    const dir = checkout(['bin', 'package.json']);
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist/proxy-cli.js'), "export * from './shared/gone.js';\n");
    const { code, stderr } = await run(dir, ['--help']);
    assert.equal(code, 1);
    assert.equal(stderr.trim().split('\n').length, 1, stderr);
    assert.match(stderr, /the build in dist\/ is incomplete \(Cannot find module .*gone\.js'\)/);
  });

  it('says in one line that dependencies are missing', async () => {
    const dir = checkout(['bin', 'src', 'package.json', 'tsconfig.json'], { nodeModules: false });
    const { code, stderr } = await run(dir, ['--help']);
    assert.equal(code, 1);
    assert.equal(stderr.trim().split('\n').length, 1, stderr);
    assert.match(stderr, /run `npm install`/);
  });
});
