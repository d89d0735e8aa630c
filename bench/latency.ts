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
 */
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
      const id = decodeURIComponent(match[1]!);
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

async function measureCase(testCase: Case): Promise<Record<Strategy, Observation>> {
  const clock = new VirtualClock();
  const emulator: FashnEmulator = createFashnEmulator({
    now: clock.now,
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
    const predict = ours.predict(testCase.model, testCase.inputs(i) as never, {
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

/**
 * Whether the reference proxy holds `GET status/{id}?wait=N` while the
 * prediction is pending (real time, one request, bounded to ~2 s).
 */
async function proxyHoldsWait(): Promise<{ held: boolean; answeredMs: number }> {
  const emulator = createFashnEmulator({ jitter: 0 });
  const proxy = createFashnProxy({
    apiKey: 'bench-key',
    upstream: 'http://emulator.bench/v1',
    fetch: (input, init) => emulator.handle(new Request(input, init)),
    rateLimit: false,
  });
  const run = await proxy(
    new Request('http://proxy.bench/api/fashn/run', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model_name: 'face-to-model',
        inputs: { face_image: FACE, return_base64: false },
      }),
    }),
  );
  const { id } = (await run.json()) as { id: string };
  const started = performance.now();
  const status = await proxy(new Request(`http://proxy.bench/api/fashn/status/${id}?wait=1500`));
  await status.text();
  const answeredMs = performance.now() - started;
  return { held: answeredMs >= 1000, answeredMs };
}

export const latencySection: Section = {
  name: 'latency',
  title: 'Completion latency and request cost',
  async run(): Promise<SectionResult> {
    const rows: string[][] = [];
    const all = Object.fromEntries(
      STRATEGIES.map((s): [Strategy, Observation] => [s, { delay: [], requests: [] }]),
    ) as Record<Strategy, Observation>;
    for (const testCase of CASES) {
      const observed = await measureCase(testCase);
      for (const strategy of STRATEGIES) {
        const { delay, requests } = observed[strategy];
        all[strategy].delay.push(...delay);
        all[strategy].requests.push(...requests);
        rows.push(row(testCase.label, strategy, observed[strategy], observed['fixed 1 s']));
      }
    }
    for (const strategy of STRATEGIES) {
      rows.push(row('**all**', strategy, all[strategy], all['fixed 1 s']));
    }
    const wait = await proxyHoldsWait();
    const longPoll = wait.held
      ? `Long-poll: the reference proxy holds \`status/{id}?wait=\` (answered after ${fmt(wait.answeredMs)} ms), but its hold runs on real time, so it is not measured on the virtual clock yet: a real-time long-poll run is still to be added.`
      : `Long-poll (\`longPoll: true\` through the proxy): not measured yet: the reference proxy does not hold \`GET status/{id}?wait=1500\` (it answered a pending prediction after ${fmt(wait.answeredMs)} ms), so the client would fall back to its normal schedule.`;
    return {
      table: markdownTable(
        [
          'model (FASHN duration)',
          'strategy',
          'median delay ms',
          'p90 delay ms',
          'status requests / prediction',
          'goal: median ≤ 300 ms, fewer requests than 1 s polling',
        ],
        rows,
      ),
      notes: [
        `${PREDICTIONS} predictions per model and mode, each with the emulator's ±10% seeded jitter; every prediction is watched by all three strategies at once, each through its own fetch, so they see the same timeline. Delay = when the strategy has the final status in hand minus the emulator's exact \`completedAt\`.`,
        `"ours" is \`FashnClient.predict\` with the element's options (default poll schedule, no long-poll). Fixed polling asks at once, then every 3 s or 1 s until done. Requests count status calls only (each strategy pays one run).`,
        `Clock: discrete-event virtual time (no scale factor): it advances only when no request is being handled and nothing else is running, so CPU time costs no virtual time and nothing real is magnified. The network is modelled as ${ONE_WAY_MS} ms each way (a ${2 * ONE_WAY_MS} ms round trip from the browser through the proxy to FASHN), which every strategy pays alike.`,
        longPoll,
      ],
    };
  },
};

function row(label: string, strategy: Strategy, o: Observation, perSecond: Observation): string[] {
  const requests = mean(o.requests);
  const delay = median(o.delay);
  const goal =
    strategy === 'ours'
      ? verdict(delay <= GOAL_DELAY_MS && requests < mean(perSecond.requests))
      : 'baseline';
  return [label, strategy, fmt(delay), fmt(percentile(o.delay, 90)), fmt(requests, 1), goal];
}
