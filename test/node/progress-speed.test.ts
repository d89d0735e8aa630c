/**
 * The emulator's speed reaches the progress estimate: its run answer says how
 * long it plays the prediction (`expected_duration_ms`), the proxy passes the
 * answer on, and the client's estimate and polling follow it, so the bar
 * moves evenly at `--mock-speed 0.2` instead of "1 s of about 12 s".
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import jpeg from 'jpeg-js';
import { readExpectedMs } from '../../src/api/answers.js';
import { FashnClient, type PredictProgress } from '../../src/api/client.js';
import { createFashnEmulator } from '../../src/emulator/index.js';
import { main, type CliIo } from '../../src/proxy/cli.js';

const PHOTO = (() => {
  const data = Buffer.alloc(32 * 48 * 4, 180);
  const bytes = jpeg.encode({ data, width: 32, height: 48 }, 80).data;
  return `data:image/jpeg;base64,${Buffer.from(bytes).toString('base64')}`;
})();
const quiet: CliIo = { out: () => {}, err: () => {} };

describe('emulator speed → progress estimate', () => {
  let server: { url: string; close(): Promise<void> };
  before(async () => {
    server = await main(['--mock', '--mock-speed', '0.2', '--port', '0'], {}, quiet);
  });
  after(() => server.close());

  it('the emulator says its duration at its speed in the run answer', async () => {
    const emulator = createFashnEmulator({ speed: 0.5, jitter: 0 });
    const run = (model: string, inputs: object) =>
      emulator
        .handle(
          new Request('http://emulator/v1/run', {
            method: 'POST',
            body: JSON.stringify({ model_name: model, inputs }),
          }),
        )
        .then((answer) => answer.json());
    assert.equal((await run('face-to-model', { face_image: PHOTO })).expected_duration_ms, 6000);
    const tryon = await run('tryon-v1.6', { model_image: PHOTO, garment_image: PHOTO });
    assert.equal(tryon.expected_duration_ms, 4000);
  });

  it('the client estimates from it, through the proxy command', async () => {
    const client = new FashnClient({ baseUrl: `${server.url}/api/fashn`, longPoll: true });
    const seen: PredictProgress[] = [];
    const result = await client.predict(
      'face-to-model',
      // Base64 outputs, as the element asks: the client takes only https:, data:image or blob: URLs.
      { face_image: PHOTO, return_base64: true },
      { onProgress: (progress) => seen.push(progress) },
    );
    const withId = seen.filter((progress) => progress.predictionId);
    assert.ok(withId.length > 0);
    // 12 s at speed 0.2 is 2.4 s, plus the time to the run answer.
    for (const progress of withId) {
      assert.ok(progress.estimatedMs >= 2400, `estimate ${progress.estimatedMs}`);
      assert.ok(progress.estimatedMs < 6000, `estimate ${progress.estimatedMs} (FASHN's 12 s?)`);
    }
    assert.equal(result.output.length, 1);
  });

  it('believes only a duration of 0 to 10 minutes', () => {
    assert.equal(readExpectedMs({ id: 'a', expected_duration_ms: 2400 }), 2400);
    for (const bad of [-1, 600_001, '2400', null, Number.NaN, Infinity])
      assert.equal(readExpectedMs({ id: 'a', expected_duration_ms: bad }), undefined, String(bad));
    assert.equal(readExpectedMs({ id: 'a' }), undefined);
    assert.equal(readExpectedMs('nope'), undefined);
  });
});
