import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  FashnClient,
  type FashnClientOptions,
  type PredictProgress,
} from '../../src/api/client.js';
import { FashnError } from '../../src/api/errors.js';
import {
  DEFAULT_POLL_TUNING,
  type PollSchedule,
  createPollSchedule,
  expectedDurationMs,
  pollDelayMs,
} from '../../src/api/polling.js';
import {
  DEFAULT_RETRY_POLICY,
  backoffDelayMs,
  isTransientFailure,
  parseRetryAfterMs,
  retryDelayMs,
} from '../../src/api/retry.js';
import { inputSchemas, type ModelInputs, type ModelName } from '../../src/api/schemas.js';
import { createFashnEmulator, type EmulatorOptions } from '../../src/emulator/index.js';
import { createFashnProxy } from '../../src/proxy/index.js';
import { solidJpegDataUrl } from '../../src/emulator/test-images.js';

const BASE_URL = 'http://fashn.test/v1';
const FACE = solidJpegDataUrl(24, 24, [210, 160, 130]);
const GARMENT = solidJpegDataUrl(24, 24, [30, 60, 200]);
const AVATAR_INPUTS: ModelInputs['face-to-model'] = { face_image: FACE };
const TRYON_INPUTS: ModelInputs['tryon-v1.6'] = { model_image: FACE, garment_image: GARMENT };

/**
 * Virtual time shared by the emulator and the client: `sleep` registers a timer,
 * and `run` advances the clock to the next timer whenever nothing else is going
 * on, so minutes of FASHN time pass in milliseconds and every run is repeatable.
 */
class VirtualTime {
  now = Date.UTC(2025, 0, 1); // whole seconds, so HTTP dates are exact
  inFlight = 0;
  private timers = new Set<{ at: number; seq: number; fire: () => void }>();
  private seq = 0;

  readonly clock = () => this.now;

  readonly sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const timer = { at: this.now + Math.max(0, ms), seq: this.seq++, fire: () => resolve() };
      this.timers.add(timer);
      signal?.addEventListener(
        'abort',
        () => {
          this.timers.delete(timer);
          reject(signal.reason);
        },
        { once: true },
      );
    });

  /** Lets real work finish: requests in flight and the emulator's image drawing. */
  async settle(): Promise<void> {
    for (let round = 0; round < 3; round++) {
      do await new Promise((resolve) => setTimeout(resolve, 0));
      while (this.inFlight > 0);
    }
  }

  /** Drives `promise` to its end through virtual time. */
  async run<T>(promise: Promise<T>): Promise<T> {
    let done = false;
    promise.then(
      () => (done = true),
      () => (done = true),
    );
    for (;;) {
      await this.settle();
      if (done) return promise;
      const next = [...this.timers].sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!next) throw new Error('stuck: nothing is scheduled and the promise is pending');
      this.timers.delete(next);
      this.now = Math.max(this.now, next.at);
      next.fire();
    }
  }
}

interface SetupOptions {
  emulator?: EmulatorOptions;
  client?: Partial<FashnClientOptions>;
  /** Modelled network delay each way, in virtual ms (default 0). */
  oneWayMs?: number;
}

/** A client wired to a fresh emulator through `fetch`, on virtual time. */
function setup(options: SetupOptions = {}) {
  const time = new VirtualTime();
  // Output URLs as FASHN's CDN serves them: https (the client refuses anything else).
  const emulator = createFashnEmulator({
    speed: 1,
    now: time.clock,
    publicUrl: 'https://cdn.fashn.test/v1',
    ...options.emulator,
  });
  const sent: Request[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    sent.push(request.clone());
    if (options.oneWayMs) await time.sleep(options.oneWayMs);
    let response: Response;
    time.inFlight += 1;
    try {
      response = await emulator.handle(request);
    } finally {
      time.inFlight -= 1;
    }
    if (options.oneWayMs) await time.sleep(options.oneWayMs);
    return response;
  };
  const client = new FashnClient({
    baseUrl: BASE_URL,
    fetch,
    now: time.clock,
    sleep: time.sleep,
    random: () => 0.5,
    ...options.client,
  });
  /** Requests of a kind; 'run' counts POSTs (runs sent), 'lookup' the GETs asking after a key. */
  const count = (kind: 'run' | 'status' | 'cancel' | 'lookup') =>
    emulator.requests.filter((r) =>
      kind === 'lookup'
        ? r.kind === 'run' && r.method === 'GET'
        : r.kind === kind && (kind !== 'run' || r.method === 'POST'),
    ).length;
  return { time, emulator, client, sent, count };
}

/**
 * A `longPoll` client talking to the reference proxy, which holds `?wait=` on the
 * same virtual clock and asks the emulator upstream. Only the proxy's upstream
 * calls count as in flight: a held request waits on virtual timers.
 */
function setupThroughProxy(oneWayMs = 20) {
  const time = new VirtualTime();
  const emulator = createFashnEmulator({
    speed: 1,
    now: time.clock,
    publicUrl: 'https://cdn.fashn.test/v1',
  });
  const proxy = createFashnProxy({
    apiKey: 'sk-proxy',
    upstream: BASE_URL,
    allowHosts: ['shop.test'],
    fetch: async (input, init) => {
      time.inFlight += 1;
      try {
        return await emulator.handle(new Request(input, init));
      } finally {
        time.inFlight -= 1;
      }
    },
    rateLimit: false,
    now: time.clock,
    sleep: time.sleep,
  });
  const statusUrls: string[] = [];
  const client = new FashnClient({
    baseUrl: 'http://shop.test/api/fashn',
    fetch: async (input, init) => {
      const request = new Request(input, init);
      if (request.url.includes('/status/')) statusUrls.push(request.url);
      await time.sleep(oneWayMs);
      // A run never waits on the virtual clock, but its Idempotency-Key fingerprint is
      // hashed off the main thread: in flight, so the clock cannot skip ahead meanwhile.
      const isRun = request.method === 'POST';
      if (isRun) time.inFlight += 1;
      let response: Response;
      let body: string;
      try {
        response = await proxy(request);
        body = await response.text();
      } finally {
        if (isRun) time.inFlight -= 1;
      }
      await time.sleep(oneWayMs);
      return new Response(body, { status: response.status, headers: response.headers });
    },
    now: time.clock,
    sleep: time.sleep,
    random: () => 0.5,
    longPoll: true,
  });
  const count = (kind: 'run' | 'status' | 'cancel') =>
    emulator.requests.filter((r) => r.kind === kind).length;
  return { time, emulator, client, statusUrls, count };
}

/** Asserts a FashnError with these fields. */
function fashnError(expected: Partial<Record<keyof FashnError, unknown>>) {
  return (error: unknown) => {
    assert.ok(error instanceof FashnError, `expected a FashnError, got ${String(error)}`);
    for (const [key, value] of Object.entries(expected)) {
      assert.deepEqual(
        error[key as keyof FashnError],
        value,
        `${key} of ${error.code}: ${error.message}`,
      );
    }
    return true;
  };
}

const retrying = (events: PredictProgress[]) =>
  events.filter((event) => event.status === 'retrying');

describe('retry policy', () => {
  it('doubles the backoff ceiling per retry up to the cap', () => {
    const ceilings = [1, 2, 3, 4, 5, 6, 7].map((retry) =>
      backoffDelayMs(retry, DEFAULT_RETRY_POLICY, () => 1),
    );
    assert.deepEqual(ceilings, [500, 1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it('jitters over the whole range [0, ceiling]', () => {
    assert.equal(
      backoffDelayMs(3, DEFAULT_RETRY_POLICY, () => 0),
      0,
    );
    assert.equal(
      backoffDelayMs(3, DEFAULT_RETRY_POLICY, () => 0.25),
      500,
    );
    let seed = 7;
    const lcg = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let retry = 1; retry <= 8; retry++) {
      const ceiling = Math.min(8000, 500 * 2 ** (retry - 1));
      const samples = Array.from({ length: 200 }, () =>
        backoffDelayMs(retry, DEFAULT_RETRY_POLICY, lcg),
      );
      assert.ok(
        samples.every((delay) => delay >= 0 && delay <= ceiling),
        `retry ${retry} within [0, ${ceiling}]`,
      );
      assert.ok(
        Math.max(...samples) > ceiling * 0.8 && Math.min(...samples) < ceiling * 0.2,
        'spread',
      );
    }
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.UTC(2025, 0, 1, 12, 0, 0);
    assert.equal(parseRetryAfterMs('3', now), 3000);
    assert.equal(parseRetryAfterMs(' 0 ', now), 0);
    assert.equal(parseRetryAfterMs('1.5', now), 1500);
    assert.equal(parseRetryAfterMs(new Date(now + 9000).toUTCString(), now), 9000);
    assert.equal(parseRetryAfterMs(new Date(now - 9000).toUTCString(), now), 0, 'a past date: now');
    assert.equal(parseRetryAfterMs('soon', now), undefined);
    assert.equal(parseRetryAfterMs('-3', now), undefined);
    assert.equal(parseRetryAfterMs('', now), undefined);
    assert.equal(parseRetryAfterMs(null, now), undefined);
  });

  it('waits at least Retry-After, capped, and a prediction for concurrency limits', () => {
    const limited = (init: { fashnName: string; retryAfterMs?: number }) =>
      new FashnError({ code: 'rate-limited', httpStatus: 429, ...init });
    const half = () => 0.5;
    assert.equal(
      retryDelayMs(limited({ fashnName: 'RateLimitExceeded', retryAfterMs: 7000 }), 1, {
        random: half,
      }),
      7000,
    );
    assert.equal(
      retryDelayMs(limited({ fashnName: 'RateLimitExceeded', retryAfterMs: 100 }), 5, {
        random: () => 1,
      }),
      8000,
      'the backoff wins when longer',
    );
    assert.equal(
      retryDelayMs(limited({ fashnName: 'RateLimitExceeded', retryAfterMs: 3_600_000 }), 1, {
        random: half,
      }),
      DEFAULT_RETRY_POLICY.maxRetryAfterMs,
    );
    for (const random of [0, 0.5, 1]) {
      const delay = retryDelayMs(limited({ fashnName: 'ConcurrencyLimitExceeded' }), 1, {
        random: () => random,
        concurrencyWaitMs: 8000,
      });
      assert.ok(delay >= 4000 && delay <= 8000, `concurrency wait ${delay}`);
    }
  });

  it('retries only what may succeed unchanged', () => {
    const table: [Partial<FashnError> & { code: FashnError['code'] }, boolean][] = [
      [{ code: 'network' }, true],
      [{ code: 'proxy-error', httpStatus: 500 }, true],
      [{ code: 'proxy-error', httpStatus: 502 }, true],
      [{ code: 'timeout', httpStatus: 504, fashnName: 'UpstreamTimeout' }, true],
      [{ code: 'timeout', httpStatus: 408 }, true],
      [{ code: 'rate-limited', httpStatus: 429, fashnName: 'RateLimitExceeded' }, true],
      [{ code: 'rate-limited', httpStatus: 429, fashnName: 'ConcurrencyLimitExceeded' }, true],
      [{ code: 'out-of-credits', httpStatus: 429, fashnName: 'OutOfCredits' }, false],
      [{ code: 'bad-request', httpStatus: 400 }, false],
      [{ code: 'unauthorized', httpStatus: 401 }, false],
      [{ code: 'proxy-error', httpStatus: 403, fashnName: 'ModelNotAllowed' }, false],
      [{ code: 'bad-request', httpStatus: 404 }, false],
      [{ code: 'proxy-error', httpStatus: 200 }, false],
    ];
    for (const [error, transient] of table) {
      assert.equal(isTransientFailure(new FashnError(error)), transient, JSON.stringify(error));
    }
  });
});

const CASES: [
  label: string,
  model: ModelName,
  inputs: { mode?: ModelInputs['tryon-v1.6']['mode'] },
][] = [
  ['face-to-model', 'face-to-model', {}],
  ['tryon performance', 'tryon-v1.6', { mode: 'performance' }],
  ['tryon balanced', 'tryon-v1.6', { mode: 'balanced' }],
  ['tryon quality', 'tryon-v1.6', { mode: 'quality' }],
];

/** Polls one simulated prediction ending at `endsAt` (queued for `queueMs` first); returns polls and lateness. */
function simulate(schedule: PollSchedule, endsAt: number, queueMs = 0.1 * schedule.expectedMs) {
  let t = 0;
  let polls = 0;
  for (;;) {
    t += schedule.nextDelayMs(t);
    polls += 1;
    if (t >= endsAt) return { polls, lateMs: t - endsAt };
    schedule.observe(t, t < queueMs ? 'in_queue' : 'processing');
  }
}

describe('polling schedule', () => {
  it('expects FASHN`s documented durations', () => {
    assert.equal(expectedDurationMs('face-to-model'), 12_000);
    assert.equal(expectedDurationMs('tryon-v1.6', { mode: 'performance' }), 5_000);
    assert.equal(expectedDurationMs('tryon-v1.6', { mode: 'balanced' }), 8_000);
    assert.equal(expectedDurationMs('tryon-v1.6', {}), 8_000);
    const small = expectedDurationMs('tryon-v1.6', {
      mode: 'quality',
      model_image: FACE,
      garment_image: GARMENT,
    });
    const remote = expectedDurationMs('tryon-v1.6', {
      mode: 'quality',
      model_image: 'https://a/b.jpg',
    });
    const huge = expectedDurationMs('tryon-v1.6', {
      mode: 'quality',
      model_image: `data:image/jpeg;base64,${'A'.repeat(6e6)}`,
    });
    assert.ok(small >= 12_000 && small < 12_100, `small inputs: ${small}`);
    assert.equal(remote, 15_750, 'remote URLs count as typical 1.5 MB photos');
    assert.equal(huge, 17_000);
  });

  for (const [label, model, inputs] of CASES) {
    it(`${label}: fewer requests than polling every second, noticing completion within one dense interval`, () => {
      const expected = expectedDurationMs(model, inputs);
      let ours = 0;
      let everySecond = 0;
      const steps = 41;
      for (let step = 0; step < steps; step++) {
        const endsAt = expected * (0.9 + (0.2 * step) / (steps - 1)); // the emulator's ±10%
        const { polls, lateMs } = simulate(createPollSchedule(model, inputs), endsAt);
        assert.ok(
          lateMs <= DEFAULT_POLL_TUNING.denseIntervalMs,
          `${label} ends at ${endsAt}: ${lateMs} ms late`,
        );
        ours += polls;
        everySecond += Math.ceil(endsAt / 1000);
      }
      assert.ok(ours < everySecond, `${label}: ${ours / steps} polls vs ${everySecond / steps}`);
    });
  }

  it('looks at once when resuming an older prediction, and first after ~1 s otherwise', () => {
    const schedule = createPollSchedule('tryon-v1.6', { mode: 'balanced' });
    assert.equal(schedule.nextDelayMs(0), 1000);
    assert.equal(schedule.nextDelayMs(30_000), 0);
  });

  it('backs off geometrically once late, up to 5 s', () => {
    const plan = { expectedMs: 8000, completionMs: 8000 };
    const gaps: number[] = [];
    let t = 8800; // the window's end
    while (t < 60_000) {
      const gap = pollDelayMs(plan, t);
      gaps.push(gap);
      t += gap;
    }
    assert.equal(gaps[0], DEFAULT_POLL_TUNING.denseIntervalMs);
    for (let i = 1; i < gaps.length; i++) assert.ok(gaps[i] >= gaps[i - 1], 'never shrinks');
    assert.equal(Math.max(...gaps), 5000);
    assert.ok(gaps.length < 20, `${gaps.length} polls in the first late minute`);
  });

  it('re-anchors on a late queue and re-estimates the total', () => {
    const schedule = createPollSchedule('tryon-v1.6', { mode: 'balanced' });
    assert.equal(schedule.estimatedTotalMs(0), 8000);
    schedule.observe(1000, 'in_queue');
    assert.equal(schedule.estimatedTotalMs(1000), 8000, 'a normal queue changes nothing');
    schedule.observe(10_000, 'in_queue');
    const estimate = schedule.estimatedTotalMs(10_000);
    assert.equal(estimate, 10_000 + 8000 * DEFAULT_POLL_TUNING.processingShare);
    // The next polls aim at the new window, not at the old one.
    const { lateMs } = simulate(schedule, 18_500, 12_000);
    assert.ok(
      lateMs <= DEFAULT_POLL_TUNING.denseIntervalMs,
      `${lateMs} ms late after re-anchoring`,
    );
    const late = createPollSchedule('tryon-v1.6', { mode: 'balanced' });
    assert.ok(
      late.estimatedTotalMs(20_000) > 20_000,
      'past the expected end, the estimate moves on',
    );
  });
});

describe('FashnClient against the emulator', () => {
  for (const [label, model, mode] of CASES) {
    it(`${label}: completes with fewer status requests than 1 s polling`, async () => {
      const { time, emulator, client, count } = setup();
      const inputs = model === 'face-to-model' ? AVATAR_INPUTS : { ...TRYON_INPUTS, ...mode };
      const result = await time.run(client.predict(model, inputs));
      const prediction = emulator.predictions.get(result.id);
      assert.equal(prediction?.status, 'completed');
      const duration = prediction.completedAt! - prediction.createdAt;
      // Polling every second would need ceil(duration / 1 s) status requests.
      assert.ok(
        count('status') < Math.ceil(duration / 1000),
        `${count('status')} status requests for ${duration} ms`,
      );
      assert.ok(
        time.now - prediction.completedAt! <= DEFAULT_POLL_TUNING.denseIntervalMs,
        'noticed in time',
      );
      assert.equal(result.durationMs, time.now - prediction.createdAt);
      assert.equal(count('run'), 1);
    });
  }

  it('sends each poll half a round trip early, so FASHN sees it on schedule', async () => {
    const { time, client, emulator } = setup({ oneWayMs: 60, emulator: { jitter: 0 } });
    const result = await time.run(client.predict('tryon-v1.6', TRYON_INPUTS));
    const createdAt = emulator.predictions.get(result.id)!.createdAt;
    const seen = emulator.requests.filter((r) => r.kind === 'status').map((r) => r.at - createdAt);
    // Balanced, 8 s: first poll at 1 s, sparse to the window's first dense poll at 7.5 s,
    // then every 300 ms until the poll that sees completion at exactly 8 s.
    assert.deepEqual(seen, [1000, 4250, 7500, 7800, 8100]);
    assert.equal(
      result.durationMs,
      60 + 8100 + 60,
      'run reaches FASHN, completion seen at 8.1 s, answer back',
    );
  });

  it('reports progress and the id before the first poll, and returns output strings', async () => {
    // No jitter: with it, a prediction's queue phase (seeded by its random id)
    // can outlast the first poll and add an in_queue event.
    const { time, client, count, emulator } = setup({ emulator: { jitter: 0 } });
    const events: PredictProgress[] = [];
    let statusRequestsAtId = -1;
    const result = await time.run(
      client.predict(
        'tryon-v1.6',
        { ...TRYON_INPUTS, num_samples: 2, return_base64: true },
        {
          onProgress: (progress) => events.push(progress),
          onPredictionId: async (id) => {
            await new Promise((resolve) => setTimeout(resolve, 1));
            statusRequestsAtId = count('status');
            assert.equal(emulator.predictions.get(id)?.status, 'starting');
          },
        },
      ),
    );
    assert.equal(statusRequestsAtId, 0);
    assert.equal(result.output.length, 2);
    assert.ok(result.output.every((image) => image.startsWith('data:image/png;base64,')));
    assert.deepEqual(events[0], { status: 'starting', elapsedMs: 0, estimatedMs: 8000 });
    assert.equal(events[1]?.status, 'starting');
    assert.equal(events[1]?.predictionId, result.id);
    assert.ok(
      events
        .slice(2)
        .every((event) => event.status === 'processing' && event.predictionId === result.id),
    );
    assert.ok(events.every((event) => event.estimatedMs >= 8000 && event.estimatedMs < 9000));
    const elapsed = events.map((event) => event.elapsedMs);
    assert.deepEqual(
      elapsed,
      [...elapsed].sort((a, b) => a - b),
      'elapsed grows',
    );
  });

  it('re-estimates when the prediction runs late', async () => {
    const { time, client, emulator } = setup({ emulator: { speed: 1.5, jitter: 0 } });
    const events: PredictProgress[] = [];
    const startedAt = time.now;
    const result = await time.run(
      client.predict('tryon-v1.6', TRYON_INPUTS, { onProgress: (p) => events.push(p) }),
    );
    assert.equal(emulator.predictions.get(result.id)?.completedAt, startedAt + 12_000);
    assert.ok(
      result.durationMs >= 12_000 && result.durationMs < 14_000,
      `noticed at ${result.durationMs}`,
    );
    const last = events.at(-1)!;
    assert.ok(last.elapsedMs > 8000 && last.estimatedMs > last.elapsedMs, JSON.stringify(last));
  });

  it('tolerates `images` instead of `output`', async () => {
    const { time, client, emulator } = setup();
    const { id } = await time.run(client.run('face-to-model', AVATAR_INPUTS));
    emulator.inject({
      kind: 'status',
      status: 200,
      body: {
        id,
        status: 'completed',
        images: ['https://cdn.fashn.ai/x/output_0.jpg'],
        error: null,
      },
    });
    const result = await time.run(client.predict('face-to-model', AVATAR_INPUTS, { resumeId: id }));
    assert.deepEqual(result.output, ['https://cdn.fashn.ai/x/output_0.jpg']);
  });

  it('resumes an existing id without a new run', async () => {
    const { time, client, count } = setup();
    const startedAt = time.now;
    const { id } = await time.run(client.run('tryon-v1.6', TRYON_INPUTS));
    await time.run(time.sleep(3000));
    let announced = false;
    const events: PredictProgress[] = [];
    const result = await time.run(
      client.predict('tryon-v1.6', TRYON_INPUTS, {
        resumeId: id,
        startedAt,
        onPredictionId: () => void (announced = true),
        onProgress: (p) => events.push(p),
      }),
    );
    assert.equal(result.id, id);
    assert.equal(count('run'), 1);
    assert.equal(announced, false);
    assert.equal(events[0]?.elapsedMs, 3000);
    assert.equal(result.durationMs, time.now - startedAt);
  });

  it('sends run again only after answers that prove nothing started: a vouched 5xx, a 429', async () => {
    const { time, client, emulator, count, sent } = setup();
    const vouched = { 'idempotency-support': 'run' };
    emulator.inject([
      { kind: 'run', status: 503, headers: vouched, times: 2 },
      { kind: 'run', status: 429, body: { error: 'RateLimitExceeded', message: 'slow down' } },
    ]);
    const events: PredictProgress[] = [];
    const result = await time.run(
      client.predict('face-to-model', AVATAR_INPUTS, { onProgress: (p) => events.push(p) }),
    );
    assert.ok(result.output.length === 1);
    assert.equal(count('run'), 4);
    const keys = new Set(
      sent.filter((r) => r.url.endsWith('/run')).map((r) => r.headers.get('idempotency-key')),
    );
    assert.equal(keys.size, 1, 'every attempt names the same logical run');
    assert.match([...keys][0] ?? '', /^[0-9a-f]{32}$/); // 128 random bits
    const retries = retrying(events);
    assert.deepEqual(
      retries.map((event) => [
        event.attempt,
        event.retryInMs,
        event.error?.code,
        event.error?.httpStatus,
      ]),
      [
        [1, 250, 'proxy-error', 503],
        [2, 500, 'proxy-error', 503],
        [3, 1000, 'rate-limited', 429],
      ],
    );
  });

  it('never sends run again once it may have reached FASHN: asks after the key instead', async () => {
    const cases: Parameters<ReturnType<typeof setup>['emulator']['inject']>[0][] = [
      { kind: 'run', network: true },
      { kind: 'run', loseAnswer: true },
      { kind: 'run', status: 503 },
      { kind: 'run', status: 502, body: '<html><body>Bad Gateway</body></html>' },
      { kind: 'run', status: 408 },
    ];
    for (const rule of cases) {
      const { time, client, emulator, count } = setup();
      emulator.inject(rule);
      await assert.rejects(
        time.run(client.predict('face-to-model', AVATAR_INPUTS)),
        fashnError({ code: 'network', fashnName: 'RunOutcomeUnknown', retriable: true }),
      );
      assert.equal(count('run'), 1, JSON.stringify(rule));
      // FASHN itself knows no keys: the question is asked once and answered 404.
      assert.equal(count('lookup'), 1, JSON.stringify(rule));
      assert.equal(count('status'), 0);
    }
  });

  it('gives up after the run attempts with the last error, retriable', async () => {
    const cases: [
      rule: Parameters<ReturnType<typeof setup>['emulator']['inject']>[0],
      expected: object,
    ][] = [
      [
        { kind: 'run', status: 500, headers: { 'idempotency-support': 'run' }, times: 9 },
        { code: 'proxy-error', httpStatus: 500, retriable: true },
      ],
      [
        {
          kind: 'run',
          status: 429,
          body: { error: 'RateLimitExceeded', message: 'slow down' },
          times: 9,
        },
        { code: 'rate-limited', httpStatus: 429, fashnName: 'RateLimitExceeded', retriable: true },
      ],
    ];
    for (const [rule, expected] of cases) {
      const { time, client, emulator, count } = setup({ client: { retry: { runAttempts: 3 } } });
      emulator.inject(rule);
      await assert.rejects(
        time.run(client.predict('face-to-model', AVATAR_INPUTS)),
        fashnError(expected),
      );
      assert.equal(count('run'), 3, JSON.stringify(rule));
      assert.equal(count('status'), 0);
    }
  });

  it('maps refusals that must not be retried', async () => {
    const cases: [rule: object, expected: object][] = [
      [
        { status: 400, body: { error: 'BadRequest', message: 'inputs.seed: too big' } },
        { code: 'bad-request', httpStatus: 400, retriable: false },
      ],
      [
        { status: 401 },
        {
          code: 'unauthorized',
          httpStatus: 401,
          fashnName: 'UnauthorizedAccess',
          retriable: false,
        },
      ],
      [
        { status: 403, body: { error: 'ModelNotAllowed', message: 'model not allowed' } },
        { code: 'proxy-error', httpStatus: 403, fashnName: 'ModelNotAllowed', retriable: false },
      ],
      [
        { status: 403, body: { error: 'OriginNotAllowed', message: 'origin not allowed' } },
        { code: 'proxy-error', httpStatus: 403, fashnName: 'OriginNotAllowed', retriable: false },
      ],
      [
        { status: 404 },
        { code: 'bad-request', httpStatus: 404, fashnName: 'NotFound', retriable: false },
      ],
      [
        { status: 413, body: { error: 'PayloadTooLarge', message: 'over 10 MiB' } },
        { code: 'bad-request', httpStatus: 413, retriable: false },
      ],
      [
        { status: 429, body: { error: 'OutOfCredits', message: 'no credits' } },
        { code: 'out-of-credits', httpStatus: 429, fashnName: 'OutOfCredits', retriable: false },
      ],
      [
        { status: 200, body: '<!doctype html><title>Shop</title>' },
        { code: 'proxy-error', httpStatus: 200, retriable: false },
      ],
      [
        { status: 200, body: { ok: true } },
        { code: 'proxy-error', httpStatus: 200, retriable: false },
      ],
    ];
    for (const [rule, expected] of cases) {
      const { time, client, emulator, count } = setup();
      emulator.inject({ kind: 'run', ...rule });
      await assert.rejects(
        time.run(client.predict('face-to-model', AVATAR_INPUTS)),
        fashnError(expected),
      );
      assert.equal(count('run'), 1, JSON.stringify(rule));
    }
  });

  it('says the proxy answered something unexpected', async () => {
    const { time, client, emulator } = setup({ client: { retry: { runAttempts: 1 } } });
    emulator.inject({ kind: 'run', status: 502, body: '<html>502 Bad Gateway</html>' });
    await assert.rejects(
      time.run(client.run('face-to-model', AVATAR_INPUTS)),
      (error: FashnError) => {
        // A gateway's page after the run left: it may have started, so it is not sent again.
        assert.equal(error.fashnName, 'RunOutcomeUnknown');
        assert.match((error.cause as Error).message, /proxy answered something unexpected.*502/);
        return true;
      },
    );
  });

  it('honours Retry-After in seconds and as an HTTP date', async () => {
    const { time, client, emulator, count } = setup();
    emulator.inject([
      {
        kind: 'run',
        status: 429,
        body: { error: 'RateLimitExceeded', message: 'wait' },
        headers: { 'retry-after': '7' },
      },
      {
        kind: 'run',
        status: 429,
        body: { error: 'RateLimitExceeded', message: 'wait' },
        headers: { 'retry-after': new Date(time.now + 7000 + 12_000).toUTCString() },
      },
    ]);
    const events: PredictProgress[] = [];
    const runs: number[] = [];
    const started = time.now;
    const origin = emulator.requests;
    assert.equal(origin.length, 0);
    await time.run(
      client.predict('tryon-v1.6', TRYON_INPUTS, { onProgress: (p) => events.push(p) }),
    );
    for (const request of emulator.requests)
      if (request.kind === 'run') runs.push(request.at - started);
    assert.deepEqual(
      retrying(events).map((event) => event.retryInMs),
      [7000, 12_000],
    );
    assert.deepEqual(runs, [0, 7000, 19_000], 'each retry waited exactly as asked');
    assert.equal(count('run'), 3);
  });

  it('waits for a running prediction on ConcurrencyLimitExceeded', async () => {
    const { time, client, emulator } = setup({ emulator: { maxConcurrent: 1, jitter: 0 } });
    const events: PredictProgress[] = [];
    const [first, second] = await time.run(
      Promise.all([
        client.predict('tryon-v1.6', TRYON_INPUTS),
        client.predict(
          'tryon-v1.6',
          { ...TRYON_INPUTS, seed: 7 },
          { onProgress: (p) => events.push(p) },
        ),
      ]),
    );
    const [retry] = retrying(events);
    assert.equal(retry?.error?.fashnName, 'ConcurrencyLimitExceeded');
    assert.equal(retry?.error?.code, 'rate-limited');
    assert.equal(retry?.retryInMs, 8000, 'until the first one ends (Retry-After)');
    const firstDone = emulator.predictions.get(first.id)!.completedAt!;
    assert.ok(emulator.predictions.get(second.id)!.createdAt >= firstDone);
  });

  it('gives up at once when Retry-After reaches past the overall timeout', async () => {
    const { time, client, emulator, count } = setup();
    emulator.inject({
      kind: 'run',
      status: 429,
      body: { error: 'RateLimitExceeded', message: 'wait' },
      headers: { 'retry-after': '50' },
    });
    const started = time.now;
    await assert.rejects(
      time.run(client.predict('face-to-model', AVATAR_INPUTS, { timeoutMs: 30_000 })),
      fashnError({ code: 'rate-limited', retryAfterMs: 50_000 }),
    );
    assert.equal(time.now, started);
    assert.equal(count('run'), 1);
  });

  it('never runs again once an id exists: status failures keep polling the same id', async () => {
    const { time, client, emulator, count } = setup();
    emulator.inject([
      { kind: 'status', status: 500, times: 2 },
      { kind: 'status', network: true },
      {
        kind: 'status',
        status: 429,
        body: { error: 'RateLimitExceeded', message: 'wait' },
        headers: { 'retry-after': '2' },
      },
      { kind: 'status', status: 502, body: '<html>Bad Gateway</html>' },
    ]);
    const events: PredictProgress[] = [];
    const result = await time.run(
      client.predict('face-to-model', AVATAR_INPUTS, { onProgress: (p) => events.push(p) }),
    );
    assert.equal(count('run'), 1);
    assert.ok(
      emulator.requests
        .filter((r) => r.kind === 'status')
        .every((r) => r.predictionId === result.id),
    );
    const retries = retrying(events);
    assert.deepEqual(
      retries.map((event) => [event.attempt, event.error?.code, event.predictionId]),
      [
        [1, 'proxy-error', result.id],
        [2, 'proxy-error', result.id],
        [3, 'network', result.id],
        [4, 'rate-limited', result.id],
        [5, 'proxy-error', result.id],
      ],
    );
    assert.ok(retries[3].retryInMs! >= 2000);
  });

  it('keeps polling through an outage until the overall timeout, then cancels', async () => {
    const { time, client, emulator, count } = setup();
    emulator.inject({ kind: 'status', status: 503, times: 1000 });
    const started = time.now;
    let id = '';
    await assert.rejects(
      time.run(
        client.predict('face-to-model', AVATAR_INPUTS, {
          timeoutMs: 60_000,
          onPredictionId: (i) => void (id = i),
        }),
      ),
      fashnError({ code: 'timeout', retriable: true }),
    );
    assert.equal(time.now - started, 60_000);
    assert.equal(count('run'), 1);
    assert.ok(count('status') > 5);
    await time.settle();
    assert.equal(count('cancel'), 1);
    assert.equal(emulator.requests.find((r) => r.kind === 'cancel')?.predictionId, id);
  });

  it('times out a slow prediction and cancels it', async () => {
    const { time, client, emulator, count } = setup();
    let id = '';
    await assert.rejects(
      time.run(
        client.predict('tryon-v1.6', TRYON_INPUTS, {
          timeoutMs: 3000,
          onPredictionId: (i) => void (id = i),
        }),
      ),
      (error: FashnError) => fashnError({ code: 'timeout', predictionId: id })(error),
    );
    await time.settle();
    assert.equal(count('cancel'), 1);
    assert.equal(emulator.predictions.get(id)?.status, 'canceled');
  });

  it('a 404 on status is bad-request with the prediction id, retriable by a new run', async () => {
    const { time, client, count } = setup();
    await assert.rejects(
      time.run(
        client.predict('face-to-model', AVATAR_INPUTS, {
          resumeId: 'gone-u1',
          startedAt: time.now - 3_600_000,
        }),
      ),
      fashnError({
        code: 'bad-request',
        httpStatus: 404,
        predictionId: 'gone-u1',
        retriable: true,
      }),
    );
    assert.equal(count('run'), 0);
    assert.equal(count('status'), 1);
  });

  it('runs a PipelineError again once, then reports it', async () => {
    const once = setup();
    once.emulator.inject({ kind: 'run', fail: { name: 'PipelineError', message: 'boom' } });
    const ids: string[] = [];
    const result = await once.time.run(
      once.client.predict('face-to-model', AVATAR_INPUTS, {
        onPredictionId: (id) => void ids.push(id),
      }),
    );
    assert.equal(once.count('run'), 2);
    assert.deepEqual(ids, [ids[0], result.id]);
    assert.notEqual(ids[0], result.id);

    const twice = setup();
    twice.emulator.inject({
      kind: 'run',
      fail: { name: 'PipelineError', message: 'boom' },
      times: 2,
    });
    await assert.rejects(
      twice.time.run(twice.client.predict('face-to-model', AVATAR_INPUTS)),
      fashnError({
        code: 'prediction-failed',
        fashnName: 'PipelineError',
        message: 'boom',
        retriable: true,
      }),
    );
    assert.equal(twice.count('run'), 2);
    assert.equal(twice.count('cancel'), 0);
  });

  it('reports other runtime failures at once, with FASHN`s name, message and the id', async () => {
    const { time, client, emulator, count } = setup();
    emulator.inject({ kind: 'run', fail: { name: 'PoseError', message: 'No pose detected' } });
    let id = '';
    await assert.rejects(
      time.run(
        client.predict('tryon-v1.6', TRYON_INPUTS, { onPredictionId: (i) => void (id = i) }),
      ),
      (error: FashnError) =>
        fashnError({
          code: 'prediction-failed',
          fashnName: 'PoseError',
          message: 'No pose detected',
          predictionId: id,
          retriable: false,
        })(error),
    );
    assert.equal(count('run'), 1);
  });

  it('reports a prediction canceled by someone else', async () => {
    const { time, client } = setup();
    await assert.rejects(
      time.run(
        client.predict('tryon-v1.6', TRYON_INPUTS, { onPredictionId: (id) => client.cancel(id) }),
      ),
      fashnError({ code: 'canceled' }),
    );
  });

  it('rejects an aborted signal at once, without a request', async () => {
    const { time, client, emulator } = setup();
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      time.run(client.predict('face-to-model', AVATAR_INPUTS, { signal: controller.signal })),
      fashnError({ code: 'canceled' }),
    );
    assert.equal(emulator.requests.length, 0);
  });

  it('abort while polling cancels the prediction and rejects canceled', async () => {
    const { time, client, emulator, count } = setup();
    const controller = new AbortController();
    let id = '';
    let abortedAt = 0;
    await assert.rejects(
      time.run(
        client.predict('face-to-model', AVATAR_INPUTS, {
          signal: controller.signal,
          onPredictionId: (i) => void (id = i),
          onProgress: (p) => {
            if (p.status === 'processing') {
              abortedAt = time.now;
              controller.abort();
            }
          },
        }),
      ),
      (error: FashnError) => fashnError({ code: 'canceled', predictionId: id })(error),
    );
    assert.equal(time.now, abortedAt, 'no sleep was waited out');
    await time.settle();
    assert.equal(count('cancel'), 1);
    assert.equal(emulator.predictions.get(id)?.status, 'canceled');
  });

  it('abort during a retry wait rejects at once, with no cancel (no id yet)', async () => {
    const { time, client, emulator, count } = setup();
    emulator.inject({
      kind: 'run',
      status: 429,
      body: { error: 'RateLimitExceeded', message: 'wait' },
      headers: { 'retry-after': '30' },
    });
    const controller = new AbortController();
    const started = time.now;
    await assert.rejects(
      time.run(
        client.predict('face-to-model', AVATAR_INPUTS, {
          signal: controller.signal,
          onProgress: (p) => p.status === 'retrying' && controller.abort(),
        }),
      ),
      fashnError({ code: 'canceled', predictionId: undefined }),
    );
    assert.equal(time.now, started);
    await time.settle();
    assert.equal(count('cancel'), 0);
  });

  it('abort during a request that hangs rejects before it answers', async () => {
    const { client, emulator } = setup();
    emulator.inject({ kind: 'run', delayMs: 150 });
    const controller = new AbortController();
    let answeredBeforeRejection: number | undefined = -1;
    const pending = client.run('face-to-model', AVATAR_INPUTS, { signal: controller.signal });
    pending.catch(() => (answeredBeforeRejection = emulator.requests[0]?.httpStatus));
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(emulator.requests.length, 1, 'the run request is in flight');
    controller.abort();
    await assert.rejects(pending, fashnError({ code: 'canceled' }));
    assert.equal(answeredBeforeRejection, undefined, 'the emulator had not answered yet');
  });

  it('refuses invalid inputs before any request when given schemas', async () => {
    const { time, client, emulator } = setup({ client: { validate: inputSchemas } });
    await assert.rejects(
      time.run(client.predict('tryon-v1.6', { ...TRYON_INPUTS, num_samples: 9 })),
      (error: FashnError) => {
        assert.equal(error.code, 'bad-request');
        assert.match(error.message, /num_samples/);
        return true;
      },
    );
    await assert.rejects(
      time.run(client.run('tryon-v1.6', { garment_image: GARMENT } as ModelInputs['tryon-v1.6'])),
      fashnError({ code: 'bad-request', retriable: false }),
    );
    assert.equal(emulator.requests.length, 0);
  });

  it('without schemas, leaves the inputs to the server: its 400 is bad-request', async () => {
    const { time, client, count } = setup();
    await assert.rejects(
      time.run(client.predict('tryon-v1.6', { ...TRYON_INPUTS, num_samples: 9 })),
      fashnError({ code: 'bad-request', httpStatus: 400, retriable: false }),
    );
    assert.equal(count('run'), 1, 'sent once, not retried');
    assert.equal(count('status'), 0);
  });

  it('sends headers and requestInit, and keeps the key out of errors', async () => {
    const { time, client, sent } = setup({
      emulator: { apiKey: 'sk-right' },
      client: {
        headers: { authorization: 'Bearer sk-right' },
        requestInit: { headers: { 'x-csrf-token': 'abc' }, credentials: 'include' },
      },
    });
    await time.run(client.predict('face-to-model', AVATAR_INPUTS));
    assert.ok(sent.every((request) => request.headers.get('x-csrf-token') === 'abc'));
    assert.ok(sent.every((request) => request.credentials === 'include'));
    assert.equal(sent[0]?.headers.get('content-type'), 'application/json');
    assert.equal(sent[1]?.headers.get('content-type'), null, 'GET status stays a simple request');
    assert.deepEqual(await sent[0]?.json(), { model_name: 'face-to-model', inputs: AVATAR_INPUTS });

    const wrong = setup({
      emulator: { apiKey: 'sk-right' },
      client: { headers: { authorization: 'Bearer sk-wrong-secret' } },
    });
    await assert.rejects(
      wrong.time.run(wrong.client.predict('face-to-model', AVATAR_INPUTS)),
      (error: FashnError) => {
        assert.equal(error.code, 'unauthorized');
        assert.ok(
          !JSON.stringify({ ...error.toDetail(), stack: error.stack }).includes('sk-wrong-secret'),
        );
        return true;
      },
    );
  });

  it('sends ?wait= only with longPoll', async () => {
    const plain = setup();
    await plain.time.run(
      plain.client.predict('tryon-v1.6', { ...TRYON_INPUTS, mode: 'performance' }),
    );
    const plainStatus = plain.sent.filter((request) => request.url.includes('/status/'));
    assert.ok(plainStatus.length > 0 && plainStatus.every((request) => !request.url.includes('?')));

    const long = setup({ client: { longPoll: true } });
    const result = await long.time.run(
      long.client.predict('tryon-v1.6', { ...TRYON_INPUTS, mode: 'performance' }),
    );
    const longStatus = long.sent.filter((request) => request.url.includes('/status/'));
    assert.ok(
      longStatus.every((request) => /\?wait=\d+$/.test(request.url)),
      longStatus.map((r) => r.url).join(),
    );
    assert.equal(result.output.length, 1);
  });

  it('with longPoll through a holding proxy, re-asks at once and notices completion promptly', async () => {
    const { time, client, emulator, statusUrls } = setupThroughProxy();
    const pending: string[] = [];
    const result = await time.run(
      client.predict('face-to-model', AVATAR_INPUTS, {
        onProgress: (p) => p.predictionId && p.status !== 'starting' && pending.push(p.status),
      }),
    );
    assert.ok(statusUrls.length <= 3, statusUrls.join());
    assert.ok(
      statusUrls.every((url) => url.endsWith('?wait=25000')),
      statusUrls.join(),
    );
    const completedAt = emulator.predictions.get(result.id)?.completedAt;
    assert.ok(completedAt !== undefined);
    const lateMs = time.now - completedAt;
    // One proxy interval (250 ms) plus the way back, not a schedule gap.
    assert.ok(lateMs >= 0 && lateMs <= 400, `noticed ${lateMs} ms after completion`);
    assert.ok(pending.includes('processing'), pending.join());
  });

  it('with longPoll but a forwarder that does not hold, falls back to the schedule', async () => {
    // No jitter: both predictions take exactly the nominal 12 s.
    const plain = setup({ emulator: { jitter: 0 } });
    await plain.time.run(plain.client.predict('face-to-model', AVATAR_INPUTS));
    const long = setup({ emulator: { jitter: 0 }, client: { longPoll: true } });
    const result = await long.time.run(long.client.predict('face-to-model', AVATAR_INPUTS));
    assert.equal(result.output.length, 1);
    const statusRequests = long.count('status');
    // At most one extra look per status change (in_queue, processing), never a spin.
    assert.ok(
      statusRequests >= plain.count('status') && statusRequests <= plain.count('status') + 2,
      `${statusRequests} status requests, ${plain.count('status')} without longPoll`,
    );
    const urls = long.sent.filter((r) => r.url.includes('/status/')).map((r) => r.url);
    assert.ok(urls.at(-1)?.endsWith('?wait=300'), `back on the dense schedule: ${urls.join()}`);
  });

  it('abort during a held status request sends cancel and rejects at once', async () => {
    const { time, client, emulator, statusUrls, count } = setupThroughProxy();
    const controller = new AbortController();
    let id = '';
    const abortAt = time.now + 6_000; // mid-prediction: a status request is being held
    void time.sleep(6_000).then(() => controller.abort());
    await assert.rejects(
      time.run(
        client.predict('face-to-model', AVATAR_INPUTS, {
          signal: controller.signal,
          onPredictionId: (i) => void (id = i),
        }),
      ),
      (error: FashnError) => fashnError({ code: 'canceled', predictionId: id })(error),
    );
    assert.equal(time.now, abortAt, 'the held request was not waited out');
    assert.ok(statusUrls.length <= 2, statusUrls.join());
    await time.run(time.sleep(100));
    assert.equal(count('cancel'), 1);
    assert.equal(emulator.predictions.get(id)?.status, 'canceled');
  });

  it('status() reads one answer; cancel() never throws', async () => {
    const { time, client } = setup();
    const { id } = await time.run(client.run('face-to-model', AVATAR_INPUTS));
    const first = await time.run(client.status(id));
    assert.equal(first.id, id);
    assert.equal(first.status, 'starting');
    const offline = new FashnClient({
      baseUrl: BASE_URL,
      fetch: () => Promise.reject(new TypeError('fetch failed')),
    });
    await offline.cancel(id);
    await assert.rejects(offline.status(id), fashnError({ code: 'network', predictionId: id }));
  });
});
