/**
 * Output URLs from a peer reach the page only as https:, data:image/… or blob:;
 * the client turns anything else into a `proxy-error` before the element sees it,
 * over a real proxy answer.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readStatus } from '../../src/api/answers.js';
import { FashnClient } from '../../src/api/client.js';
import { FashnError } from '../../src/api/errors.js';
import { isSafeOutputUrl } from '../../src/api/safe-url.js';
import { createFashnEmulator } from '../../src/emulator/index.js';
import { solidJpegDataUrl } from '../../src/emulator/test-images.js';
import { createFashnProxy } from '../../src/proxy/index.js';

const SAFE = [
  'https://cdn.fashn.ai/123/output_0.png',
  'data:image/png;base64,iVBORw0KGgo=',
  'DATA:image/jpeg;base64,/9j/4AAQ',
  'blob:https://shop.example/5c1e3f2a-0000-4000-8000-000000000000',
];
const UNSAFE = [
  'javascript:alert(document.cookie)',
  ' javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  'http://cdn.fashn.ai/a.png',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'data:image/svg+xml,<svg onload=alert(1)>',
  'vbscript:msgbox(1)',
  'file:///etc/passwd',
  'https://user:pass@cdn.example/a.png',
  '//evil.example/a.png',
  'output_0.png',
  '',
];

describe('output URLs', () => {
  it('accepts https:, data:image/…;base64 and blob: only', () => {
    for (const url of SAFE) assert.equal(isSafeOutputUrl(url), true, url);
    for (const url of UNSAFE) assert.equal(isSafeOutputUrl(url), false, url);
  });

  it('readStatus refuses a completed answer with any unsafe output', () => {
    for (const url of UNSAFE) {
      const read = readStatus({ id: 'p1', status: 'completed', output: [SAFE[0], url] });
      assert.equal(typeof read, 'string', url);
      assert.match(read as string, /^output: /);
    }
  });

  it('a javascript: output from the proxy is a proxy-error; nothing of it is returned', async () => {
    const emulator = createFashnEmulator({ speed: 0.001, jitter: 0 });
    const proxy = createFashnProxy({
      apiKey: 'sk-safe-url-test',
      upstream: 'http://fashn.test/v1',
      fetch: (input, init) => emulator.handle(new Request(input, init)),
      rateLimit: false,
    });
    const client = new FashnClient({
      baseUrl: 'http://localhost/api/fashn',
      fetch: (input, init) => proxy(new Request(input, init)),
    });
    const { id } = await client.run('face-to-model', {
      face_image: solidJpegDataUrl(16, 16, [200, 150, 120]),
    });
    emulator.inject({
      kind: 'status',
      times: 20,
      body: { id, status: 'completed', output: ['javascript:alert(1)'], error: null },
    });
    await assert.rejects(
      client.predict('face-to-model', { face_image: 'x' }, { resumeId: id }),
      (error: unknown) => {
        assert.ok(error instanceof FashnError);
        assert.equal(error.code, 'proxy-error');
        assert.equal(error.retriable, false);
        assert.ok(!error.message.includes('javascript'), error.message);
        return true;
      },
    );
  });
});
