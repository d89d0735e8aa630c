/**
 * Table 3, completion latency and request cost: how late each polling
 * strategy notices that a prediction ended, and how many status requests it
 * pays for that, against the emulator with FASHN's durations.
 *
 * Each prediction is started by our client (`FashnClient.predict`, built with
 * the options the element uses) and watched at the same time by fixed 3 s
 * polling (FASHN's quickstart) and fixed 1 s polling (FASHN's SDK), each
 * through its own counting fetch, so all three see the very same timeline.
 * Everything runs on a discrete-event virtual clock (bench/virtual-clock.ts).
 *
 * Long-poll is measured on its own predictions: our client with `longPoll:
 * true` talks to the real reference proxy (`createFashnProxy`, on the same
 * virtual clock), which holds `status/{id}?wait=` and polls the emulator on
 * the prediction's expected duration, or (webhook mode) waits for the
 * emulator's webhook. The official `fashn` SDK's `subscribe` runs through the
 * same proxy, its timers on the virtual clock too.
 *
 * Every strategy is measured at FASHN's ±10% spread and again at ±30%, and
 * every row says what FASHN pays: the run plus every status request that
 * reached it (directly, through a thin proxy, or as the proxy's own polls).
 */
import Fashn from 'fashn';
import { FashnClient } from '../src/api/client.js';
import type { ModelInputs, ModelName, StatusResponse } from '../src/api/schemas.js';
import { createFashnEmulator, type FashnEmulator } from '../src/emulator/index.js';
import { solidJpegDataUrl } from '../src/emulator/test-images.js';
import { createFashnProxy } from '../src/proxy/index.js';
import {
  fmt,
  markdownTable,
  mean,
  median,
  percentile,
  verdict,
  type Section,
  type SectionResult,
} from './report.js';
import { modelledFetch, VirtualClock } from './virtual-clock.js';

/** Predictions per model and mode. */
const PREDICTIONS = 30;
/** FASHN's documented spread, and a wider one where polling alone must trade requests for delay. */
const SPREADS = [0.1, 0.3] as const;
const GOAL_FASHN_REQUESTS = 8;
const GOAL_WEBHOOK_DELAY_MS = 150;
const GOAL_WEBHOOK_FASHN_REQUESTS = 2;
/** Modelled network between the browser and FASHN (through the proxy), each way. */
const ONE_WAY_MS = 50;
const GOAL_DELAY_MS = 300;

type Strategy = 'ours' | 'fixed 3 s' | 'fixed 1 s';
const STRATEGIES: readonly Strategy[] = ['ours', 'fixed 3 s', 'fixed 1 s'];

interface Case {
  label: string;
  model: ModelName;
  inputs: (i: number) => ModelInputs[ModelName];
}

const FACE = solidJpegDataUrl(48, 48, [205, 160, 130]);
const BODY = solidJpegDataUrl(48, 72, [120, 120, 130]);
const GARMENT = solidJpegDataUrl(32, 32, [30, 90, 200]);

const tryon = (mode: 'performance' | 'balanced' | 'quality') => (i: number) => ({
  model_image: BODY,
  garment_image: GARMENT,
  mode,
  seed: i,
  return_base64: false,
});

const CASES: readonly Case[] = [
  {
    label: 'face-to-model (12 s)',
    model: 'face-to-model',
    inputs: (i) => ({ face_image: FACE, seed: i, return_base64: false }),
  },
  { label: 'tryon performance (5 s)', model: 'tryon-v1.6', inputs: tryon('performance') },
  { label: 'tryon balanced (8 s)', model: 'tryon-v1.6', inputs: tryon('balanced') },
  // FASHN: 12–17 s growing with input size; these small inputs sit at the low end.
  { label: 'tryon quality (12–17 s)', model: 'tryon-v1.6', inputs: tryon('quality') },
];

interface Observation {
  /** Virtual ms from completion to the strategy seeing it. */
  delay: number[];
  /** Status requests per prediction. */
  requests: number[];
}

/** A fetch that counts status requests per prediction id. */
function counting(base: typeof fetch, counts: Map<string, number>): typeof fetch {
  return (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const match = /\/status\/([^/?]+)/.exec(url);
    if (match) {
      const id = decodeURIComponent(match[1]);
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return base(input, init);
  };
}

const TERMINAL = new Set(['completed', 'failed', 'canceled']);

/** Fixed-interval polling as FASHN's examples do it: ask, and if not done, sleep and ask again. */
async function pollEvery(
  client: FashnClient,
  id: string,
  intervalMs: number,
  sleep: (ms: number) => Promise<void>,
): Promise<StatusResponse> {
  for (;;) {
    const status = await client.status(id);
    if (TERMINAL.has(status.status)) return status;
    await sleep(intervalMs);
  }
}

async function measureCase(testCase: Case, jitter: number): Promise<Record<Strategy, Observation>> {
  const clock = new VirtualClock();
  const emulator: FashnEmulator = createFashnEmulator({
    now: clock.now,
    jitter,
    maxStoredPredictions: 10_000,
  });
  const network = modelledFetch(clock, (request) => emulator.handle(request), ONE_WAY_MS);
  const counts = Object.fromEntries(
    STRATEGIES.map((s) => [s, new Map<string, number>()]),
  ) as Record<Strategy, Map<string, number>>;
  const clientFor = (strategy: Strategy) =>
    new FashnClient({
      baseUrl: 'http://proxy.bench/api/fashn',
      fetch: counting(network, counts[strategy]),
      now: clock.now,
      sleep: clock.sleep,
    });
  const ours = clientFor('ours');
  const every3 = clientFor('fixed 3 s');
  const every1 = clientFor('fixed 1 s');

  const seenAt: Record<Strategy, Map<string, number>> = {
    ours: new Map(),
    'fixed 3 s': new Map(),
    'fixed 1 s': new Map(),
  };
  let settled = 0;
  const expected = PREDICTIONS * STRATEGIES.length;
  const failures: unknown[] = [];
  /** Records when `work` (resolving with the prediction id) ends, on the virtual clock. */
  const watch = (strategy: Strategy, work: Promise<string>) =>
    work
      .then(
        (id) => seenAt[strategy].set(id, clock.now()),
        (error: unknown) => failures.push(error),
      )
      .finally(() => settled++);

  for (let i = 0; i < PREDICTIONS; i++) {
    const predict = ours.predict(testCase.model, testCase.inputs(i), {
      // The fixed pollers start when the id exists, as they would after their own run.
      onPredictionId: (id) => {
        void watch(
          'fixed 3 s',
          pollEvery(every3, id, 3_000, clock.sleep).then(() => id),
        );
        void watch(
          'fixed 1 s',
          pollEvery(every1, id, 1_000, clock.sleep).then(() => id),
        );
      },
    });
    void watch(
      'ours',
      predict.then((result) => result.id),
    );
  }
  await clock.run(() => settled === expected);
  if (failures.length > 0)
    throw new Error(`${failures.length} predictions failed: ${String(failures[0])}`);

  const result = {} as Record<Strategy, Observation>;
  for (const strategy of STRATEGIES) {
    const delay: number[] = [];
    const requests: number[] = [];
    for (const [id, at] of seenAt[strategy]) {
      const prediction = emulator.predictions.get(id);
      if (prediction?.status !== 'completed' || prediction.completedAt === undefined) {
        throw new Error(
          `prediction ${id} did not complete in the emulator (${prediction?.status})`,
        );
      }
      delay.push(at - prediction.completedAt);
      requests.push(counts[strategy].get(id) ?? 0);
    }
    result[strategy] = { delay, requests };
  }
  return result;
}

/** Proxy ↔ FASHN, each way, in the long-poll run; browser ↔ proxy gets the rest of ONE_WAY_MS. */
const PROXY_TO_FASHN_MS = 25;

/**
 * A fetch to an in-process handler over a modelled network that does not mark
 * the handler busy: the proxy may hold a request on the virtual clock
 * (long-poll), and its own upstream calls are modelled (and marked busy) by
 * the `modelledFetch` it is given.
 */
function holdingFetch(
  clock: VirtualClock,
  handle: (request: Request) => Promise<Response>,
  oneWayMs: number,
): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    await clock.sleep(oneWayMs);
    const response = await handle(request);
    const body = await response.text();
    await clock.sleep(oneWayMs);
    return new Response(body, { status: response.status, headers: response.headers });
  };
}

interface LongPollObservation extends Observation {
  /** Status requests the proxy sent FASHN per prediction while holding. */
  upstreamRequests: number[];
}

type LongPollStrategy =
  | 'ours + long-poll'
  | 'long-poll, re-asked at once'
  | 'ours + long-poll, webhook mode'
  | 'official SDK subscribe';
const LONG_POLL_STRATEGIES: readonly LongPollStrategy[] = [
  'ours + long-poll',
  'long-poll, re-asked at once',
  'ours + long-poll, webhook mode',
  'official SDK subscribe',
];
/** The proxy's public URL in webhook mode (FASHN's callbacks reach it over the modelled network). */
const PROXY_URL = 'http://proxy.bench/api/fashn';
/** What the "re-asked at once" watcher asks for: the proxy's default cap. */
const AT_ONCE_WAIT_MS = 25_000;
/** ...after this first pause, as our schedule's first poll. */
const AT_ONCE_FIRST_POLL_MS = 1_000;

/**
 * Long-polling through the reference proxy, which holds `?wait=`: either our
 * client's `predict` with `longPoll: true`, or a watcher that waits 1 s, then
 * asks with `wait=25000` again as soon as each answer arrives (what the proxy
 * can do for a client that leaves all the waiting to it).
 */
async function measureLongPoll(
  testCase: Case,
  strategy: LongPollStrategy,
  jitter: number,
): Promise<LongPollObservation> {
  const clock = new VirtualClock();
  const webhook = strategy === 'ours + long-poll, webhook mode';
  const upstreamCounts = new Map<string, number>();
  // FASHN's webhook reaches the proxy over the same modelled network as its answers.
  const proxies: Array<(request: Request) => Promise<Response>> = [];
  const emulator = createFashnEmulator({
    now: clock.now,
    sleep: (ms) => clock.sleep(ms),
    jitter,
    maxStoredPredictions: 10_000,
    fetch: modelledFetch(clock, (request) => proxies[0](request), PROXY_TO_FASHN_MS),
  });
  const proxy = createFashnProxy({
    apiKey: 'bench-key',
    upstream: 'http://fashn.bench/v1',
    allowHosts: ['proxy.bench'],
    fetch: counting(
      modelledFetch(clock, (request) => emulator.handle(request), PROXY_TO_FASHN_MS),
      upstreamCounts,
    ),
    ...(webhook ? { publicUrl: PROXY_URL } : {}),
    // One simulated shopper runs all predictions at once; limits are not what is measured.
    rateLimit: false,
    now: clock.now,
    sleep: clock.sleep,
  });
  proxies.push(proxy);
  if (strategy === 'official SDK subscribe') {
    return measureSdk(testCase, clock, emulator, proxy, upstreamCounts);
  }
  const clientCounts = new Map<string, number>();
  const client = new FashnClient({
    baseUrl: 'http://proxy.bench/api/fashn',
    fetch: counting(holdingFetch(clock, proxy, ONE_WAY_MS - PROXY_TO_FASHN_MS), clientCounts),
    now: clock.now,
    sleep: clock.sleep,
    longPoll: true,
  });

  const reaskAtOnce = async (inputs: ModelInputs[ModelName]) => {
    const { id } = await client.run(testCase.model, inputs);
    await clock.sleep(AT_ONCE_FIRST_POLL_MS);
    for (;;) {
      const { status } = await client.status(id, { waitMs: AT_ONCE_WAIT_MS });
      if (TERMINAL.has(status)) return { id };
    }
  };

  const seenAt = new Map<string, number>();
  const failures: unknown[] = [];
  let settled = 0;
  for (let i = 0; i < PREDICTIONS; i++) {
    const inputs = testCase.inputs(i);
    (strategy === 'long-poll, re-asked at once'
      ? reaskAtOnce(inputs)
      : client.predict(testCase.model, inputs as never)
    )
      .then(
        (result) => seenAt.set(result.id, clock.now()),
        (error: unknown) => failures.push(error),
      )
      .finally(() => settled++);
  }
  await clock.run(() => settled === PREDICTIONS);
  if (failures.length > 0)
    throw new Error(`${failures.length} long-poll predictions failed: ${String(failures[0])}`);

  return observe(emulator, seenAt, clientCounts, upstreamCounts);
}

/** Per prediction: how long after completion the client saw it, and the requests it took. */
function observe(
  emulator: FashnEmulator,
  seenAt: Map<string, number>,
  clientCounts: Map<string, number>,
  upstreamCounts: Map<string, number>,
): LongPollObservation {
  const observed: LongPollObservation = { delay: [], requests: [], upstreamRequests: [] };
  for (const [id, at] of seenAt) {
    const completedAt = emulator.predictions.get(id)?.completedAt;
    if (completedAt === undefined) throw new Error(`prediction ${id} did not complete`);
    observed.delay.push(at - completedAt);
    observed.requests.push(clientCounts.get(id) ?? 0);
    observed.upstreamRequests.push(upstreamCounts.get(id) ?? 0);
  }
  return observed;
}

/**
 * The official `fashn` SDK (npm, unchanged): `predictions.subscribe` with its
 * defaults (a status request every second) through the reference proxy. Its
 * timers are put on the virtual clock for the measurement (every `setTimeout`
 * over 0 ms becomes a virtual sleep), so it sees the same timeline as the rest.
 */
async function measureSdk(
  testCase: Case,
  clock: VirtualClock,
  emulator: FashnEmulator,
  proxy: (request: Request) => Promise<Response>,
  upstreamCounts: Map<string, number>,
): Promise<LongPollObservation> {
  const clientCounts = new Map<string, number>();
  const sdk = new Fashn({
    apiKey: 'not-the-key',
    baseURL: PROXY_URL,
    fetch: counting(holdingFetch(clock, proxy, ONE_WAY_MS - PROXY_TO_FASHN_MS), clientCounts),
  });
  const realSetTimeout = globalThis.setTimeout;
  const realClearTimeout = globalThis.clearTimeout;
  const virtual = new Map<object, AbortController>();
  globalThis.setTimeout = ((callback: () => void, ms?: number, ...args: unknown[]) => {
    if (!ms || ms <= 0) return realSetTimeout(callback, ms, ...args);
    const stop = new AbortController();
    const handle = { virtual: true, unref: () => handle, ref: () => handle };
    virtual.set(handle, stop);
    clock.sleep(ms, stop.signal).then(
      () => {
        virtual.delete(handle);
        callback();
      },
      () => undefined,
    );
    return handle;
  }) as typeof setTimeout;
  globalThis.clearTimeout = (handle: unknown) => {
    const stop = virtual.get(handle as object);
    if (stop) {
      virtual.delete(handle as object);
      stop.abort();
    } else realClearTimeout(handle as Parameters<typeof clearTimeout>[0]);
  };
  try {
    const seenAt = new Map<string, number>();
    const failures: unknown[] = [];
    let settled = 0;
    for (let i = 0; i < PREDICTIONS; i++) {
      sdk.predictions
        .subscribe({ model_name: testCase.model, inputs: testCase.inputs(i) } as never)
        .then((result) => {
          if (result.status !== 'completed') throw new Error(`SDK: ${result.status}`);
          seenAt.set(result.id, clock.now());
        })
        .catch((error: unknown) => failures.push(error))
        .finally(() => settled++);
    }
    await clock.run(() => settled === PREDICTIONS);
    if (failures.length > 0)
      throw new Error(`${failures.length} SDK predictions failed: ${String(failures[0])}`);
    return observe(emulator, seenAt, clientCounts, upstreamCounts);
  } finally {
    globalThis.setTimeout = realSetTimeout;
    globalThis.clearTimeout = realClearTimeout;
  }
}

export const latencySection: Section = {
  name: 'latency',
  title: 'Completion latency and request cost',
  async run(): Promise<SectionResult> {
    const rows: string[][] = [];
    for (const spread of SPREADS) {
      const jitter = spread;
      const label = `±${Math.round(spread * 100)}%`;
      const all = Object.fromEntries(
        STRATEGIES.map((s): [Strategy, Observation] => [s, { delay: [], requests: [] }]),
      ) as Record<Strategy, Observation>;
      const allLongPoll = Object.fromEntries(
        LONG_POLL_STRATEGIES.map((s): [LongPollStrategy, LongPollObservation] => [
          s,
          { delay: [], requests: [], upstreamRequests: [] },
        ]),
      ) as Record<LongPollStrategy, LongPollObservation>;
      for (const testCase of CASES) {
        const observed = await measureCase(testCase, jitter);
        for (const strategy of STRATEGIES) {
          const { delay, requests } = observed[strategy];
          all[strategy].delay.push(...delay);
          all[strategy].requests.push(...requests);
          rows.push(
            row(testCase.label, label, strategy, observed[strategy], observed['fixed 1 s'], spread),
          );
        }
        for (const strategy of LONG_POLL_STRATEGIES) {
          const longPoll = await measureLongPoll(testCase, strategy, jitter);
          const into = allLongPoll[strategy];
          into.delay.push(...longPoll.delay);
          into.requests.push(...longPoll.requests);
          into.upstreamRequests.push(...longPoll.upstreamRequests);
          rows.push(longPollRow(testCase.label, label, strategy, longPoll, spread));
        }
      }
      for (const strategy of STRATEGIES) {
        rows.push(row('**all**', label, strategy, all[strategy], all['fixed 1 s'], spread));
      }
      for (const strategy of LONG_POLL_STRATEGIES) {
        rows.push(longPollRow('**all**', label, strategy, allLongPoll[strategy], spread));
      }
    }
    const longPoll = `"ours + long-poll" is \`FashnClient.predict\` with \`longPoll: true\` (as the element uses it: it asks \`?wait=25000\` and re-asks at once after a held answer, falling back to its schedule when an answer comes back early and unchanged) through the reference proxy (\`createFashnProxy\` with its defaults, rate limit off, on the same virtual clock), on its own ${PREDICTIONS} predictions per row: the proxy holds each status request until the status changes or the wait is over, and polls FASHN on the prediction's expected duration (the client's schedule: sparse, then every 300 ms within ±10% of the expected end, then backing off), one poller per prediction shared by every waiter. The network is split ${ONE_WAY_MS - PROXY_TO_FASHN_MS} ms browser ↔ proxy and ${PROXY_TO_FASHN_MS} ms proxy ↔ FASHN each way (the same ${ONE_WAY_MS} ms in total). "long-poll, re-asked at once" runs the prediction, waits ${AT_ONCE_FIRST_POLL_MS} ms, then asks \`status/{id}?wait=${AT_ONCE_WAIT_MS}\` again the moment each answer arrives, through the same proxy. "webhook mode" is the same client through the proxy with \`publicUrl\` set: the emulator POSTs the final status to the proxy's webhook (over the ${PROXY_TO_FASHN_MS} ms link), which releases the held request; the proxy only polls as a safety net long after the expected end. "official SDK subscribe" is the \`fashn\` npm package's \`predictions.subscribe\` with its defaults (a status request every 1 s) through the same proxy, its timers on the virtual clock.`;
    return {
      table: markdownTable(
        [
          'model (FASHN duration)',
          'spread',
          'strategy',
          'median delay ms',
          'p90 delay ms',
          'browser status requests / prediction',
          'FASHN requests / prediction (run + status)',
          'goal',
        ],
        rows,
      ),
      notes: [
        `${PREDICTIONS} predictions per model, mode and spread, each with the emulator's seeded jitter (±10%: FASHN's documented spread; ±30%: a wider one); "ours", "fixed 3 s" and "fixed 1 s" watch the very same predictions, each through its own fetch. Delay = when the strategy has the final status in hand minus the emulator's exact \`completedAt\`.`,
        `"ours" is \`FashnClient.predict\` with the element's options (default poll schedule, no long-poll). Fixed polling asks at once, then every 3 s or 1 s until done. Without a long-poll, every browser status request reaches FASHN through a thin proxy, so FASHN pays the run plus each of them.`,
        `Goals: the client's schedule: median ≤ ${GOAL_DELAY_MS} ms with fewer requests than 1 s polling. Through the proxy at ±10%: ≤ ${GOAL_FASHN_REQUESTS} FASHN requests per prediction with median ≤ ${GOAL_DELAY_MS} ms (polling), ≤ ${GOAL_WEBHOOK_FASHN_REQUESTS} and median ≤ ${GOAL_WEBHOOK_DELAY_MS} ms (webhook mode). At ±30% the rows are reported, not judged: polling must then trade requests for delay, and the proxy's default keeps its ±10% window (it leans to fewer FASHN requests, since FASHN's allowance is shared by every shopper of the shop): completions outside the window are seen late, by the first dense poll or the back-off. Webhook mode needs no such trade.`,
        `Clock: discrete-event virtual time (no scale factor): it advances only when no request is being handled and nothing else is running, so CPU time costs no virtual time and nothing real is magnified. The network is modelled as ${ONE_WAY_MS} ms each way (a ${2 * ONE_WAY_MS} ms round trip from the browser through the proxy to FASHN), which every strategy pays alike.`,
        longPoll,
      ],
    };
  },
};

function longPollRow(
  label: string,
  spreadLabel: string,
  strategy: LongPollStrategy,
  o: LongPollObservation,
  spread: number,
): string[] {
  const requests = mean(o.requests);
  const fashnRequests = 1 + mean(o.upstreamRequests);
  const delay = median(o.delay);
  let goal = 'baseline';
  if (spread > 0.1 && strategy !== 'official SDK subscribe') goal = 'reported';
  else if (strategy === 'ours + long-poll, webhook mode')
    goal = verdict(delay <= GOAL_WEBHOOK_DELAY_MS && fashnRequests <= GOAL_WEBHOOK_FASHN_REQUESTS);
  else if (strategy !== 'official SDK subscribe')
    goal = verdict(delay <= GOAL_DELAY_MS && fashnRequests <= GOAL_FASHN_REQUESTS);
  return [
    label,
    spreadLabel,
    strategy,
    fmt(delay),
    fmt(percentile(o.delay, 90)),
    fmt(requests, 1),
    fmt(fashnRequests, 1),
    goal,
  ];
}

function row(
  label: string,
  spreadLabel: string,
  strategy: Strategy,
  o: Observation,
  perSecond: Observation,
  spread: number,
): string[] {
  const requests = mean(o.requests);
  const delay = median(o.delay);
  const goal =
    strategy !== 'ours'
      ? 'baseline'
      : spread > 0.1
        ? 'reported'
        : verdict(delay <= GOAL_DELAY_MS && requests < mean(perSecond.requests));
  return [
    label,
    spreadLabel,
    strategy,
    fmt(delay),
    fmt(percentile(o.delay, 90)),
    fmt(requests, 1),
    fmt(1 + requests, 1),
    goal,
  ];
}
