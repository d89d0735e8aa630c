/**
 * README "The protocol, with curl": its three curl commands run as written
 * (only the settings a reader edits, PROXY, SELFIE and ID, are set by the
 * test) against `fashn-try-on-proxy --mock` over real HTTP, and every body
 * and answer shown there is held to the schemas the proxy checks with.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import jpeg from 'jpeg-js';
import { inputSchemas, runRequest, runResponse, statusResponse } from '../../src/api/schemas.js';
import { isModelName, PENDING_STATUSES } from '../../src/api/models.js';
import { main, USAGE, type CliIo } from '../../src/proxy/cli.js';

const run = promisify(execFile);
const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const SETTINGS = ['PROXY', 'SELFIE', 'ID'] as const;

/** The section's fenced blocks, in order, as `[language, text]`. */
function blocks(): Array<[string, string]> {
  const start = README.indexOf('### The protocol, with curl');
  assert.ok(start >= 0, 'README has no "The protocol, with curl" section');
  const end = README.indexOf('\n## ', start);
  const section = README.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => [m[1], m[2]]);
}

/** Each curl command with the answer shown after it. */
function examples(): Array<{ command: string; answer: Record<string, unknown> }> {
  const all = blocks();
  const found: Array<{ command: string; answer: Record<string, unknown> }> = [];
  all.forEach(([language, text], i) => {
    if (language !== 'sh') return;
    const next = all[i + 1];
    assert.equal(next?.[0], 'json', `the answer after:\n${text}`);
    found.push({ command: text, answer: JSON.parse(next[1]) });
  });
  return found;
}

/** The documented value of a setting (`NAME=value` in a command). */
function documented(name: string): string | undefined {
  for (const { command } of examples()) {
    const line = new RegExp(`^${name}=(.*)$`, 'm').exec(command);
    if (line) return line[1];
  }
  return undefined;
}

/** Runs `command` in bash with the settings lines replaced by `values`; its stdout as JSON. */
async function curl(command: string, values: Partial<Record<(typeof SETTINGS)[number], string>>) {
  const script = command.replace(/^(PROXY|SELFIE|ID)=.*$/gm, '');
  const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script], {
    env: { ...process.env, ...values },
    timeout: 30_000,
  });
  return JSON.parse(stdout) as Record<string, unknown>;
}

const SELFIE = (() => {
  const data = Buffer.alloc(64 * 96 * 4, 190);
  const bytes = jpeg.encode({ data, width: 64, height: 96 }, 80).data;
  return `data:image/jpeg;base64,${Buffer.from(bytes).toString('base64')}`;
})();
const quiet: CliIo = { out: () => {}, err: () => {} };

describe('README: the protocol, with curl', () => {
  let server: { url: string; close(): Promise<void> };
  before(async () => {
    await run('curl', ['--version']).catch(() => {
      throw new Error('curl is needed to run the README examples (apt-get install curl)');
    });
    server = await main(['--mock', '--port', '0'], {}, quiet);
  });
  after(() => server?.close());

  it("shows run, status and cancel, each with its answer, against the command's default address", () => {
    const commands = examples().map((e) => e.command);
    assert.equal(commands.length, 3);
    assert.match(commands[0], /curl -s "\$PROXY\/run"/);
    assert.match(commands[1], /curl -s "\$PROXY\/status\/\$ID"/);
    assert.match(commands[2], /curl -s -X POST "\$PROXY\/cancel\/\$ID"/);
    const port = /--port <n>.*default (\d+)/.exec(USAGE)![1];
    assert.equal(documented('PROXY'), `http://127.0.0.1:${port}/api/fashn`);
    for (const name of SETTINGS) assert.ok(documented(name), `${name} is set in the README`);
  });

  it('shows a try-on body the proxy accepts', () => {
    const body = blocks().find(
      ([language, text]) => language === 'json' && text.includes('"tryon-v1.6"'),
    );
    assert.ok(body, 'a tryon-v1.6 body');
    const request = runRequest.parse(JSON.parse(body[1]));
    assert.ok(isModelName(request.model_name));
    inputSchemas[request.model_name].parse(request.inputs);
  });

  it('runs the three commands as written: run → a pending status → canceled', async () => {
    const [runExample, statusExample, cancelExample] = examples();
    const proxy = `${server.url}/api/fashn`;

    const started = await curl(runExample.command, { PROXY: proxy, SELFIE });
    runResponse.parse(runExample.answer);
    const { id } = runResponse.parse(started);
    for (const key of Object.keys(runExample.answer)) assert.ok(key in started, key);
    assert.equal(started.error, null);

    const status = await curl(statusExample.command, { PROXY: proxy, ID: id });
    const shownStatus = statusResponse.parse(statusExample.answer);
    assert.ok(PENDING_STATUSES.includes(shownStatus.status));
    assert.deepEqual(Object.keys(status).sort(), Object.keys(statusExample.answer).sort());
    assert.equal(status.id, id);
    assert.ok(
      PENDING_STATUSES.includes(statusResponse.parse(status).status),
      String(status.status),
    );

    const canceled = await curl(cancelExample.command, { PROXY: proxy, ID: id });
    assert.deepEqual(canceled, { ...cancelExample.answer, id });
    const after = await fetch(`${proxy}/status/${id}`).then((answer) => answer.json());
    assert.equal(statusResponse.parse(after).status, 'canceled');
  });
});
