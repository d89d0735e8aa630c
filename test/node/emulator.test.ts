import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encode as encodePng } from 'fast-png';
import { encodeBase64 } from '../../src/emulator/base64.js';
import { decodeBase64 } from '../../src/emulator/base64.js';
import { decodeImage } from '../../src/emulator/codec.js';
import {
  createFashnEmulator,
  type EmulatorOptions,
  type FashnEmulator,
} from '../../src/emulator/index.js';
import type { RgbaImage } from '../../src/emulator/raster.js';
import { solidJpegDataUrl, solidPngDataUrl } from '../../src/emulator/test-images.js';

const BASE = 'http://emu.test/v1';

/** An emulator on a hand-driven clock (no real waiting), without jitter unless asked. */
function setup(options: EmulatorOptions = {}) {
  const clock = { t: 0 };
  const emulator = createFashnEmulator({ jitter: 0, now: () => clock.t, ...options });
  return { emulator, clock };
}

function call(
  emulator: FashnEmulator,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  const init: RequestInit = { method, headers };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  return emulator.handle(new Request(`${BASE}${path}`, init));
}

async function run(
  emulator: FashnEmulator,
  model_name: string,
  inputs: Record<string, unknown>,
): Promise<string> {
  const response = await call(emulator, 'POST', '/run', { model_name, inputs });
  assert.equal(response.status, 200, await response.clone().text());
  const body = (await response.json()) as { id: string; error: unknown };
  assert.equal(body.error, null);
  return body.id;
}

type Status = {
  id: string;
  status: string;
  output?: string[] | null;
  error: { name: string; message: string } | null;
};

async function status(emulator: FashnEmulator, id: string): Promise<Status> {
  const response = await call(emulator, 'GET', `/status/${id}`);
  assert.equal(response.status, 200);
  return (await response.json()) as Status;
}

/** Moves the clock past any duration and returns the final status. */
async function finish(emulator: FashnEmulator, clock: { t: number }, id: string): Promise<Status> {
  clock.t += 60_000;
  return status(emulator, id);
}

function decodeDataUrl(url: string): { mime: string; image: RgbaImage } {
  const match = /^data:(image\/[a-z]+);base64,(.+)$/.exec(url);
  assert.ok(match, `not a base64 image data URL: ${url.slice(0, 40)}`);
  return { mime: match[1], image: decodeImage(decodeBase64(match[2])) };
}

/** Mean RGB over a rectangle given in fractions of the image size. */
function meanRgb(
  image: RgbaImage,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
): [number, number, number] {
  const sum = [0, 0, 0];
  let n = 0;
  for (let y = Math.floor(y0 * image.height); y < Math.floor(y1 * image.height); y++) {
    for (let x = Math.floor(x0 * image.width); x < Math.floor(x1 * image.width); x++) {
      const p = (y * image.width + x) * 4;
      for (let c = 0; c < 3; c++) sum[c] += image.data[p + c];
      n++;
    }
  }
  return sum.map((s) => s / n) as [number, number, number];
}

const FACE = solidJpegDataUrl(96, 128, [20, 40, 220]); // a pure blue "face"
const MODEL = solidJpegDataUrl(64, 96, [128, 128, 128]); // a grey 2:3 "person"
const RED_GARMENT = solidJpegDataUrl(60, 80, [220, 20, 20]);

describe('emulator: statuses follow the clock', () => {
  it('goes starting -> in_queue -> processing -> completed, completing exactly on time', async () => {
    const { emulator, clock } = setup();
    const id = await run(emulator, 'tryon-v1.6', {
      model_image: MODEL,
      garment_image: RED_GARMENT,
      mode: 'performance',
    });
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-u1$/);
    const seen: [number, string][] = [];
    for (const t of [0, 100, 200, 400, 1000, 4999, 5000]) {
      clock.t = t;
      seen.push([t, (await status(emulator, id)).status]);
    }
    assert.deepEqual(seen, [
      [0, 'starting'],
      [100, 'starting'],
      [200, 'in_queue'],
      [400, 'in_queue'],
      [1000, 'processing'],
      [4999, 'processing'],
      [5000, 'completed'],
    ]);
    const final = await status(emulator, id);
    assert.equal(final.error, null);
    assert.equal(final.output?.length, 1);
    const prediction = emulator.predictions.get(id)!;
    assert.equal(prediction.status, 'completed');
    assert.equal(prediction.createdAt, 0);
    assert.equal(prediction.completedAt, 5000);
  });

  it('uses FASHN’s durations per model and mode, times speed', async () => {
    const cases: [string, Record<string, unknown>, number][] = [
      ['face-to-model', { face_image: FACE }, 12_000],
      ['tryon-v1.6', { model_image: MODEL, garment_image: RED_GARMENT }, 8_000],
      ['tryon-v1.6', { model_image: MODEL, garment_image: RED_GARMENT, mode: 'quality' }, 12_000],
    ];
    for (const speed of [1, 0.5]) {
      for (const [model, inputs, ms] of cases) {
        const { emulator, clock } = setup({ speed });
        const id = await run(emulator, model, inputs);
        const end = ms * speed;
        const at = (t: number) => {
          clock.t = t;
          return emulator.predictions.get(id)!.status;
        };
        // Quality mode grows with the input size: small inputs stay near 12 s.
        const slack = model === 'tryon-v1.6' && inputs.mode === 'quality' ? 100 * speed : 0;
        assert.equal(at(end - 1), 'processing', `${model} ${String(inputs.mode)} at ${end - 1}`);
        clock.t = end + slack;
        assert.equal(
          (await status(emulator, id)).status,
          'completed',
          `${model} at ${end + slack}`,
        );
      }
    }
  });

  it('spreads durations by the jitter, seeded per prediction', async () => {
    const { emulator, clock } = setup({ jitter: 0.1 });
    const ends = new Set<number>();
    for (let i = 0; i < 4; i++) {
      const id = await run(emulator, 'tryon-v1.6', {
        model_image: MODEL,
        garment_image: RED_GARMENT,
      });
      // A poll after the point where it could have failed waits for its images, so
      // here they are ready before the end, and the end is the planned one.
      clock.t = 7_199;
      assert.equal((await status(emulator, id)).status, 'processing');
      clock.t = 8_800;
      const final = await status(emulator, id);
      assert.equal(final.status, 'completed');
      ends.add(emulator.predictions.get(id)!.completedAt!);
      clock.t = 0;
    }
    for (const end of ends) assert.ok(end >= 7_200 && end <= 8_800, `end ${end}`);
    assert.ok(ends.size > 1, 'jitter varies between predictions');
  });
});

describe('emulator: API-level errors in FASHN’s shape', () => {
  async function expectError(
    response: Response,
    httpStatus: number,
    error: string,
  ): Promise<string> {
    assert.equal(response.status, httpStatus);
    assert.equal(response.headers.get('content-type'), 'application/json');
    const body = (await response.json()) as { error: string; message: string };
    assert.equal(body.error, error);
    assert.equal(typeof body.message, 'string');
    return body.message;
  }

  it('400 BadRequest naming the invalid field', async () => {
    const { emulator } = setup();
    const missing = await call(emulator, 'POST', '/run', {
      model_name: 'tryon-v1.6',
      inputs: { model_image: MODEL },
    });
    assert.match(await expectError(missing, 400, 'BadRequest'), /garment_image/);
    const range = await call(emulator, 'POST', '/run', {
      model_name: 'tryon-v1.6',
      inputs: { model_image: MODEL, garment_image: RED_GARMENT, num_samples: 5 },
    });
    assert.match(await expectError(range, 400, 'BadRequest'), /num_samples/);
    const notImage = await call(emulator, 'POST', '/run', {
      model_name: 'face-to-model',
      inputs: { face_image: 'selfie.jpg' },
    });
    assert.match(await expectError(notImage, 400, 'BadRequest'), /face_image/);
    assert.equal(emulator.predictions.size, 0);
  });

  it('400 for an unknown model, malformed JSON or a body without inputs', async () => {
    const { emulator } = setup();
    const unknown = await call(emulator, 'POST', '/run', { model_name: 'model-swap', inputs: {} });
    assert.match(await expectError(unknown, 400, 'BadRequest'), /model-swap/);
    await expectError(await call(emulator, 'POST', '/run', '{"model_name": '), 400, 'BadRequest');
    const noInputs = await call(emulator, 'POST', '/run', { model_name: 'face-to-model' });
    assert.match(await expectError(noInputs, 400, 'BadRequest'), /inputs/);
  });

  it('401 UnauthorizedAccess without the right key, and never echoes the key', async () => {
    const { emulator } = setup({ apiKey: 'sk-secret-123' });
    const inputs = { model_name: 'face-to-model', inputs: { face_image: FACE } };
    const none = await call(emulator, 'POST', '/run', inputs);
    const message = await expectError(none, 401, 'UnauthorizedAccess');
    assert.ok(!message.includes('sk-secret-123'));
    const wrong = await call(emulator, 'GET', '/status/abc', undefined, {
      authorization: 'Bearer nope',
    });
    await expectError(wrong, 401, 'UnauthorizedAccess');
    const right = await call(emulator, 'POST', '/run', inputs, {
      authorization: 'Bearer sk-secret-123',
    });
    assert.equal(right.status, 200);
    const log = await (await call(emulator, 'GET', '/__control/log')).text();
    assert.ok(!log.includes('sk-secret-123'));
  });

  it('404 NotFound for unknown ids and endpoints', async () => {
    const { emulator } = setup();
    await expectError(await call(emulator, 'GET', '/status/no-such-id'), 404, 'NotFound');
    await expectError(await call(emulator, 'POST', '/cancel/no-such-id'), 404, 'NotFound');
    await expectError(await call(emulator, 'GET', '/predictions'), 404, 'NotFound');
    await expectError(await call(emulator, 'GET', '/run'), 404, 'NotFound');
  });

  it('429 from the configured rate and concurrency limits, with Retry-After', async () => {
    const rate = setup({ rateLimitPerMinute: 2 });
    await run(rate.emulator, 'face-to-model', { face_image: FACE });
    await run(rate.emulator, 'face-to-model', { face_image: FACE });
    rate.clock.t = 30_000;
    const limited = await call(rate.emulator, 'POST', '/run', {
      model_name: 'face-to-model',
      inputs: { face_image: FACE },
    });
    await expectError(limited, 429, 'RateLimitExceeded');
    assert.equal(limited.headers.get('retry-after'), '30');
    rate.clock.t = 60_001;
    await run(rate.emulator, 'face-to-model', { face_image: FACE });

    const busy = setup({ maxConcurrent: 1 });
    const first = await run(busy.emulator, 'tryon-v1.6', {
      model_image: MODEL,
      garment_image: RED_GARMENT,
    });
    const refused = await call(busy.emulator, 'POST', '/run', {
      model_name: 'tryon-v1.6',
      inputs: { model_image: MODEL, garment_image: RED_GARMENT },
    });
    await expectError(refused, 429, 'ConcurrencyLimitExceeded');
    assert.equal(refused.headers.get('retry-after'), '8');
    assert.equal((await finish(busy.emulator, busy.clock, first)).status, 'completed');
    await run(busy.emulator, 'tryon-v1.6', { model_image: MODEL, garment_image: RED_GARMENT });
  });
});

describe('emulator: runtime failures', () => {
  it('fails with ImageLoadError when an input is not an image', async () => {
    const { emulator, clock } = setup();
    const id = await run(emulator, 'face-to-model', {
      face_image: 'data:image/png;base64,aGVsbG8gd29ybGQ=',
    });
    const final = await finish(emulator, clock, id);
    assert.equal(final.status, 'failed');
    assert.equal(final.output, null);
    assert.equal(final.error?.name, 'ImageLoadError');
    assert.match(final.error.message, /face image/);
  });

  it('fails with ImageLoadError when a URL does not serve an image', async () => {
    const { emulator, clock } = setup({
      fetch: async () =>
        new Response('hello', { headers: { 'content-type': 'text/plain;charset=UTF-8' } }),
    });
    const id = await run(emulator, 'tryon-v1.6', {
      model_image: MODEL,
      garment_image: 'https://shop.test/tee.jpg',
    });
    const final = await finish(emulator, clock, id);
    assert.equal(final.error?.name, 'ImageLoadError');
    assert.match(final.error.message, /garment image.*Content-Type is not an image.*text\/plain/);
  });

  it('loads http(s) inputs with the given fetch (here: its own URL output)', async () => {
    const { emulator, clock } = setup();
    const avatarId = await run(emulator, 'face-to-model', { face_image: FACE });
    const avatarUrl = (await finish(emulator, clock, avatarId)).output![0];
    assert.match(avatarUrl, /^http:\/\/emu\.test\/v1\/outputs\/.+\/output_0\.jpg$/);
    emulator.reset({
      fetch: (input, init) => emulator.handle(new Request(input, init)),
      now: () => clock.t,
      jitter: 0,
    });
    // After a reset the old output is gone, so the garment loads but the model image 404s.
    const id = await run(emulator, 'tryon-v1.6', {
      model_image: avatarUrl,
      garment_image: RED_GARMENT,
    });
    const failed = await finish(emulator, clock, id);
    assert.equal(failed.error?.name, 'ImageLoadError');
    assert.match(failed.error.message, /model image.*HTTP 404/);
    const freshAvatar = await run(emulator, 'face-to-model', { face_image: FACE });
    const freshUrl = (await finish(emulator, clock, freshAvatar)).output![0];
    const tryon = await run(emulator, 'tryon-v1.6', {
      model_image: freshUrl,
      garment_image: RED_GARMENT,
    });
    assert.equal((await finish(emulator, clock, tryon)).status, 'completed');
  });
});

describe('emulator: faults', () => {
  it('answers with an injected status, body and headers, once by default', async () => {
    const { emulator } = setup();
    emulator.inject({
      kind: 'run',
      status: 429,
      body: { error: 'RateLimitExceeded', message: 'slow down' },
      headers: { 'Retry-After': '2' },
    });
    const refused = await call(emulator, 'POST', '/run', {
      model_name: 'face-to-model',
      inputs: { face_image: FACE },
    });
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('retry-after'), '2');
    assert.deepEqual(await refused.json(), { error: 'RateLimitExceeded', message: 'slow down' });
    assert.equal(emulator.predictions.size, 0);
    await run(emulator, 'face-to-model', { face_image: FACE });
    assert.equal(emulator.requests.filter((r) => r.faulted).length, 1);
  });

  it('applies `times` and `model`, and a default FASHN body for a bare status', async () => {
    const { emulator } = setup();
    const id = await run(emulator, 'face-to-model', { face_image: FACE });
    emulator.inject([
      { kind: 'status', status: 500, times: 2 },
      { kind: 'run', model: 'tryon-v1.6', status: 503 },
    ]);
    for (let i = 0; i < 2; i++) {
      const response = await call(emulator, 'GET', `/status/${id}`);
      assert.equal(response.status, 500);
      assert.equal(((await response.json()) as { error: string }).error, 'InternalServerError');
    }
    assert.equal((await call(emulator, 'GET', `/status/${id}`)).status, 200);
    await run(emulator, 'face-to-model', { face_image: FACE }); // other model: untouched
    const tryon = await call(emulator, 'POST', '/run', {
      model_name: 'tryon-v1.6',
      inputs: { model_image: MODEL, garment_image: RED_GARMENT },
    });
    assert.equal(tryon.status, 503);
  });

  it('adds headers to a normal answer, and sends a string body as is', async () => {
    const { emulator } = setup();
    const id = await run(emulator, 'face-to-model', { face_image: FACE });
    emulator.inject([
      { kind: 'status', headers: { 'x-fault': 'yes' } },
      { kind: 'status', status: 200, body: '{"id": oops' },
    ]);
    const tagged = await call(emulator, 'GET', `/status/${id}`);
    assert.equal(tagged.headers.get('x-fault'), 'yes');
    assert.equal(((await tagged.json()) as Status).status, 'starting');
    const garbled = await call(emulator, 'GET', `/status/${id}`);
    assert.equal(await garbled.text(), '{"id": oops');
  });

  it('drops the connection: handle() rejects with a TypeError', async () => {
    const { emulator } = setup();
    const id = await run(emulator, 'face-to-model', { face_image: FACE });
    emulator.inject({ kind: 'status', network: true });
    await assert.rejects(
      call(emulator, 'GET', `/status/${id}`),
      (error: unknown) => error instanceof TypeError,
    );
    assert.equal((await call(emulator, 'GET', `/status/${id}`)).status, 200);
    const dropped = emulator.requests.find((r) => r.kind === 'status' && r.faulted)!;
    assert.equal(dropped.httpStatus, undefined);
  });

  it('loseAnswer: the run creates its prediction, then the connection drops', async () => {
    const { emulator } = setup();
    emulator.inject({ kind: 'run', loseAnswer: true });
    await assert.rejects(
      call(emulator, 'POST', '/run', { model_name: 'face-to-model', inputs: { face_image: FACE } }),
      (error: unknown) => error instanceof TypeError,
    );
    const [created] = [...emulator.predictions.values()];
    assert.ok(created, 'the prediction exists although nobody learned its id');
    const entry = emulator.requests.find((r) => r.kind === 'run')!;
    assert.equal(entry.predictionId, created.id);
    assert.equal(entry.httpStatus, undefined);
    assert.equal(entry.faulted, true);
    assert.equal((await status(emulator, created.id)).status, 'starting');
  });

  it('refuses loseAnswer combined with a status or network fault', () => {
    const { emulator } = setup();
    assert.throws(() => emulator.inject({ loseAnswer: true, status: 500 }), /loseAnswer/);
    assert.throws(() => emulator.inject({ loseAnswer: true, network: true }), /loseAnswer/);
  });

  it('delays the answer by delayMs (real time, not scaled)', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const { emulator } = setup();
    emulator.inject({ kind: 'status', delayMs: 5_000 });
    let settled = false;
    const pending = call(emulator, 'GET', '/status/unknown').then((r) => {
      settled = true;
      return r;
    });
    for (let i = 0; i < 20; i++) await Promise.resolve();
    t.mock.timers.tick(4_999);
    for (let i = 0; i < 20; i++) await Promise.resolve();
    assert.equal(settled, false);
    t.mock.timers.tick(1);
    assert.equal((await pending).status, 404);
  });

  it('makes a created prediction fail with the injected runtime error', async () => {
    const { emulator, clock } = setup();
    emulator.inject({ kind: 'run', fail: { name: 'PoseError', message: 'No pose detected' } });
    // A refused run does not spend a `fail` rule.
    const invalid = await call(emulator, 'POST', '/run', { model_name: 'tryon-v1.6', inputs: {} });
    assert.equal(invalid.status, 400);
    const id = await run(emulator, 'tryon-v1.6', {
      model_image: MODEL,
      garment_image: RED_GARMENT,
    });
    clock.t = 1_000;
    assert.equal((await status(emulator, id)).status, 'processing');
    const final = await finish(emulator, clock, id);
    assert.deepEqual(final, {
      id,
      status: 'failed',
      output: null,
      error: { name: 'PoseError', message: 'No pose detected' },
    });
    const next = await run(emulator, 'tryon-v1.6', {
      model_image: MODEL,
      garment_image: RED_GARMENT,
    });
    assert.equal((await finish(emulator, clock, next)).status, 'completed');
  });
});

describe('emulator: cancel', () => {
  it('cancels a pending prediction (POST or GET) and reports it canceled', async () => {
    const { emulator, clock } = setup();
    const id = await run(emulator, 'face-to-model', { face_image: FACE });
    clock.t = 3_000;
    const response = await call(emulator, 'POST', `/cancel/${id}`);
    assert.deepEqual(await response.json(), { id, status: 'canceled', error: null });
    clock.t = 60_000;
    assert.deepEqual(await status(emulator, id), { id, status: 'canceled', error: null });
    assert.equal(emulator.predictions.get(id)!.completedAt, 3_000);
    const other = await run(emulator, 'face-to-model', { face_image: FACE });
    assert.equal(
      ((await (await call(emulator, 'GET', `/cancel/${other}`)).json()) as Status).status,
      'canceled',
    );
  });

  it('answers the current status when the prediction already finished', async () => {
    const { emulator, clock } = setup();
    const id = await run(emulator, 'face-to-model', { face_image: FACE, return_base64: true });
    const done = await finish(emulator, clock, id);
    const response = await call(emulator, 'POST', `/cancel/${id}`);
    assert.deepEqual(await response.json(), done);
    assert.equal(done.status, 'completed');
  });
});

describe('emulator: outputs', () => {
  it('returns base64 JPEG avatars at the requested aspect ratio, PNG when asked', async () => {
    const { emulator, clock } = setup();
    const sizes: [string, string, number, number][] = [
      ['2:3', 'image/jpeg', 512, 768],
      ['1:1', 'image/jpeg', 512, 512],
      ['9:16', 'image/jpeg', 512, 910],
    ];
    for (const [aspect_ratio, mime, width, height] of sizes) {
      const id = await run(emulator, 'face-to-model', {
        face_image: FACE,
        aspect_ratio,
        return_base64: true,
      });
      const output = (await finish(emulator, clock, id)).output!;
      assert.equal(output.length, 1);
      const decoded = decodeDataUrl(output[0]);
      assert.equal(decoded.mime, mime);
      assert.deepEqual([decoded.image.width, decoded.image.height], [width, height]);
    }
    const png = await run(emulator, 'face-to-model', {
      face_image: FACE,
      output_format: 'png',
      return_base64: true,
    });
    assert.equal(decodeDataUrl((await finish(emulator, clock, png)).output![0]).mime, 'image/png');
  });

  it('returns try-on PNGs by default, one per sample, each visibly different', async () => {
    const { emulator, clock } = setup();
    const id = await run(emulator, 'tryon-v1.6', {
      model_image: MODEL,
      garment_image: RED_GARMENT,
      num_samples: 3,
      return_base64: true,
    });
    const output = (await finish(emulator, clock, id)).output!;
    assert.equal(output.length, 3);
    const images = output.map((url) => decodeDataUrl(url));
    for (const { mime, image } of images) {
      assert.equal(mime, 'image/png');
      assert.deepEqual([image.width, image.height], [576, 864]);
    }
    for (let a = 0; a < 3; a++) {
      for (let b = a + 1; b < 3; b++) {
        let differing = 0;
        const [x, y] = [images[a].image.data, images[b].image.data];
        for (let i = 0; i < x.length; i += 4) if (Math.abs(x[i] - y[i]) > 16) differing++;
        assert.ok(differing > 1_000, `samples ${a} and ${b} differ in ${differing} pixels`);
      }
    }
  });

  it('serves URL outputs under its mount with an image content type, until reset', async () => {
    const { emulator, clock } = setup();
    const id = await run(emulator, 'tryon-v1.6', {
      model_image: MODEL,
      garment_image: RED_GARMENT,
      output_format: 'jpeg',
    });
    const early = await emulator.handle(new Request(`${BASE}/outputs/${id}/output_0.jpg`));
    assert.equal(early.status, 404);
    const [url] = (await finish(emulator, clock, id)).output!;
    assert.equal(url, `${BASE}/outputs/${id}/output_0.jpg`);
    const image = await emulator.handle(new Request(url));
    assert.equal(image.status, 200);
    assert.equal(image.headers.get('content-type'), 'image/jpeg');
    const decoded = decodeImage(new Uint8Array(await image.arrayBuffer()));
    assert.deepEqual([decoded.width, decoded.height], [576, 864]);
    emulator.reset();
    assert.equal((await emulator.handle(new Request(url))).status, 404);
  });

  it('builds output URLs from publicUrl when given', async () => {
    const { emulator, clock } = setup({ publicUrl: 'https://cdn.example.com/fashn/' });
    const id = await run(emulator, 'face-to-model', { face_image: FACE, output_format: 'png' });
    const [url] = (await finish(emulator, clock, id)).output!;
    assert.equal(url, `https://cdn.example.com/fashn/outputs/${id}/output_0.png`);
    const served = await emulator.handle(
      new Request(`http://other.host/x/outputs/${id}/output_0.png`),
    );
    assert.equal(served.headers.get('content-type'), 'image/png');
  });

  it('forgets the oldest finished predictions beyond maxStoredPredictions', async () => {
    const { emulator, clock } = setup({ maxStoredPredictions: 2 });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(await run(emulator, 'face-to-model', { face_image: 'data:image/png;base64,AAAA' }));
      await finish(emulator, clock, ids[i]);
    }
    assert.equal((await call(emulator, 'GET', `/status/${ids[0]}`)).status, 404);
    assert.equal((await call(emulator, 'GET', `/status/${ids[2]}`)).status, 200);
  });
});

describe('emulator: output images show what happened', () => {
  it('the avatar has the face photo as its head, on a neutral body', async () => {
    const { emulator, clock } = setup();
    const id = await run(emulator, 'face-to-model', {
      face_image: FACE,
      return_base64: true,
      output_format: 'png',
    });
    const { image } = decodeDataUrl((await finish(emulator, clock, id)).output![0]);
    const head = meanRgb(image, 0.44, 0.15, 0.56, 0.23); // around (0.5w, 0.285w) on a 2:3 image
    assert.ok(head[2] > 180 && head[0] < 60 && head[1] < 80, `head is the blue face: ${head}`);
    const torso = meanRgb(image, 0.4, 0.55, 0.6, 0.7);
    assert.ok(
      Math.max(...torso) - Math.min(...torso) < 20 && torso[0] > 180,
      `torso is a plain light top: ${torso}`,
    );
  });

  it('is deterministic for the same input and seed, different for another seed', async () => {
    const { emulator, clock } = setup();
    const outputs: string[] = [];
    for (const seed of [7, 7, 8]) {
      const id = await run(emulator, 'face-to-model', {
        face_image: FACE,
        seed,
        return_base64: true,
      });
      outputs.push((await finish(emulator, clock, id)).output![0]);
    }
    assert.equal(outputs[0], outputs[1]);
    assert.notEqual(outputs[0], outputs[2]);
  });

  it('the try-on puts the garment on the torso (tops) or the lower body (bottoms)', async () => {
    const { emulator, clock } = setup();
    const tops = await run(emulator, 'tryon-v1.6', {
      model_image: MODEL,
      garment_image: RED_GARMENT,
      category: 'tops',
      return_base64: true,
    });
    const top = decodeDataUrl((await finish(emulator, clock, tops)).output![0]).image;
    const torso = meanRgb(top, 0.4, 0.45, 0.6, 0.55);
    assert.ok(torso[0] > 150 && torso[1] < 70 && torso[2] < 70, `torso is red: ${torso}`);
    const head = meanRgb(top, 0.45, 0.15, 0.55, 0.2);
    assert.ok(Math.abs(head[0] - head[1]) < 10, `head stays grey: ${head}`);

    const bottoms = await run(emulator, 'tryon-v1.6', {
      model_image: MODEL,
      garment_image: RED_GARMENT,
      category: 'bottoms',
      return_base64: true,
    });
    const bottom = decodeDataUrl((await finish(emulator, clock, bottoms)).output![0]).image;
    const legs = meanRgb(bottom, 0.42, 0.8, 0.58, 0.88);
    assert.ok(legs[0] > 150 && legs[1] < 70, `lower body is red: ${legs}`);
    const chest = meanRgb(bottom, 0.4, 0.42, 0.6, 0.48);
    assert.ok(Math.abs(chest[0] - chest[1]) < 10, `chest stays grey: ${chest}`);
  });

  it('cuts out a near-white garment background, so only the garment is drawn', async () => {
    const { emulator, clock } = setup();
    // A red 20×40 garment in the middle of a white 60×80 photo.
    const pixels = new Uint8Array(60 * 80 * 4).fill(255);
    for (let y = 20; y < 60; y++) {
      for (let x = 20; x < 40; x++) pixels.set([220, 20, 20, 255], (y * 60 + x) * 4);
    }
    const framed = `data:image/png;base64,${encodeBase64(encodePng({ width: 60, height: 80, data: pixels, channels: 4, depth: 8 }))}`;
    const id = await run(emulator, 'tryon-v1.6', {
      model_image: MODEL,
      garment_image: framed,
      category: 'tops',
      return_base64: true,
    });
    const image = decodeDataUrl((await finish(emulator, clock, id)).output![0]).image;
    const torso = meanRgb(image, 0.45, 0.45, 0.55, 0.55);
    assert.ok(torso[0] > 150 && torso[1] < 70, `garment on the torso: ${torso}`);
    // Where the white photo background would be, the grey model shows through.
    const beside = meanRgb(image, 0.17, 0.45, 0.22, 0.55);
    assert.ok(
      Math.abs(beside[0] - 128) < 12 && Math.abs(beside[1] - 128) < 12,
      `background cut: ${beside}`,
    );
  });

  it('draws nothing from a transparent garment, and an all-white photo as it is', async () => {
    const { emulator, clock } = setup();
    const clear = await run(emulator, 'tryon-v1.6', {
      model_image: MODEL,
      garment_image: solidPngDataUrl(40, 40, [0, 0, 0, 0]),
      return_base64: true,
    });
    const white = await run(emulator, 'tryon-v1.6', {
      model_image: MODEL,
      garment_image: solidPngDataUrl(40, 40, [255, 255, 255, 255]),
      return_base64: true,
    });
    const transparent = decodeDataUrl((await finish(emulator, clock, clear)).output![0]).image;
    const grey = meanRgb(transparent, 0.4, 0.45, 0.6, 0.55);
    assert.ok(Math.abs(grey[0] - 128) < 12, `nothing drawn: ${grey}`);
    const whiteImage = decodeDataUrl((await finish(emulator, clock, white)).output![0]).image;
    const whiteTorso = meanRgb(whiteImage, 0.4, 0.45, 0.6, 0.55);
    assert.ok(whiteTorso[0] > 180, `white garment shows: ${whiteTorso}`);
  });
});

describe('emulator: control endpoints over HTTP', () => {
  it('injects faults, reports the log without image data, and resets with new options', async () => {
    const { emulator, clock } = setup();
    const injected = await call(emulator, 'POST', '/__control/faults', [
      { kind: 'run', status: 500 },
    ]);
    assert.equal(injected.status, 200);
    assert.equal(
      (
        await call(emulator, 'POST', '/run', {
          model_name: 'face-to-model',
          inputs: { face_image: FACE },
        })
      ).status,
      500,
    );
    const id = await run(emulator, 'face-to-model', { face_image: FACE });

    const log = (await (await call(emulator, 'GET', '/__control/log')).json()) as {
      requests: { kind: string; httpStatus?: number; predictionId?: string; model?: string }[];
      predictions: { id: string; status: string; inputs: { face_image: string } }[];
    };
    assert.deepEqual(
      log.requests.map((r) => [r.kind, r.httpStatus]),
      [
        ['control', 200],
        ['run', 500],
        ['run', 200],
        ['control', undefined],
      ],
    );
    assert.equal(log.requests[2].predictionId, id);
    assert.equal(log.requests[2].model, 'face-to-model');
    assert.equal(log.predictions[0].id, id);
    assert.equal(log.predictions[0].status, 'starting');
    assert.match(log.predictions[0].inputs.face_image, /^data:image\/jpeg;base64,…\(\d+ chars\)$/);

    const reset = await call(emulator, 'POST', '/__control/reset', { speed: 0.5 });
    assert.equal(reset.status, 200);
    assert.equal(emulator.predictions.size, 0);
    assert.equal(emulator.requests.length, 0);
    const fast = await run(emulator, 'face-to-model', { face_image: FACE });
    clock.t = 6_000;
    assert.equal((await status(emulator, fast)).status, 'completed');
    // The clock given at construction survives an HTTP reset.
    assert.equal(emulator.predictions.get(fast)!.completedAt, 6_000);
  });

  it('refuses invalid control bodies with 400, and hides the endpoints when control is off', async () => {
    const { emulator } = setup();
    assert.equal(
      (await call(emulator, 'POST', '/__control/faults', { kind: 'upload' })).status,
      400,
    );
    assert.equal(
      (await call(emulator, 'POST', '/__control/faults', { kind: 'status', fail: { name: 'X' } }))
        .status,
      400,
    );
    assert.equal((await call(emulator, 'POST', '/__control/reset', { speed: -1 })).status, 400);
    assert.equal((await call(emulator, 'POST', '/__control/reset', 'nope')).status, 400);
    assert.throws(() => emulator.inject({ kind: 'cancel', fail: { name: 'PoseError' } }), /fail/);
    assert.throws(() => emulator.inject({ status: 99 }), /status/);
    const closed = setup({ control: false }).emulator;
    assert.equal((await call(closed, 'POST', '/__control/reset')).status, 404);
    assert.equal((await call(closed, 'GET', '/__control/log')).status, 404);
  });
});

describe('emulator test images', () => {
  it('solid JPEG and PNG data URLs decode to the asked size and colour', () => {
    const jpeg = decodeDataUrl(solidJpegDataUrl(33, 17, [200, 30, 40]));
    assert.equal(jpeg.mime, 'image/jpeg');
    assert.deepEqual([jpeg.image.width, jpeg.image.height], [33, 17]);
    const [r, g, b] = meanRgb(jpeg.image, 0, 0, 1, 1);
    assert.ok(
      Math.abs(r - 200) < 4 && Math.abs(g - 30) < 4 && Math.abs(b - 40) < 4,
      `${r},${g},${b}`,
    );
    const png = decodeDataUrl(solidPngDataUrl(5, 9, [10, 200, 30, 128]));
    assert.equal(png.mime, 'image/png');
    assert.deepEqual(Array.from(png.image.data.slice(0, 4)), [10, 200, 30, 128]);
    assert.throws(() => solidJpegDataUrl(0, 10, [0, 0, 0]), RangeError);
  });
});
