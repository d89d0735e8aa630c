/**
 * Table 4, proxy overhead: status requests straight to the emulator against
 * the same requests through the reference Node proxy in front of it, at 1
 * and 64 concurrent keep-alive clients, in alternating batches; then the
 * proxy's peak memory while forwarding 8 MB run bodies. The emulator and the
 * proxy each run in a child process (bench/proxy-server.ts); everything
 * stays on 127.0.0.1.
 */
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { Agent, request } from 'node:http';
import {
  fmt,
  markdownTable,
  mib,
  percentile,
  verdict,
  type Section,
  type SectionResult,
} from './report.js';

const CHILD = new URL('./proxy-server.ts', import.meta.url).pathname;
const STORE_CHILD = new URL('./proxy-store-server.ts', import.meta.url).pathname;
const GOAL_P99_ADDED_MS = 5;
const BODY_BYTES = 8 * 1024 * 1024;

interface Child {
  process: ChildProcess;
  port: number;
  ask<T>(type: string): Promise<T>;
}

async function startChild(args: string[], file = CHILD): Promise<Child> {
  const child = fork(file, args, {
    execArgv: [...process.execArgv, '--expose-gc'],
    stdio: 'inherit',
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${args[0]} server exited (${code})`)));
    child.on('message', (m: { type: string; port?: number }) => {
      if (m.type === 'ready' && m.port) resolve(m.port);
    });
  });
  return {
    process: child,
    port,
    ask: <T>(type: string) =>
      new Promise<T>((resolve) => {
        const onMessage = (m: { type: string }) => {
          if (m.type !== type) return;
          child.off('message', onMessage);
          resolve(m as T);
        };
        child.on('message', onMessage);
        child.send({ type });
      }),
  };
}

interface Memory {
  rss: number;
  heapAndExternal: number;
  arrayBuffers: number;
}

interface Answer {
  status: number;
  body: string;
  ms: number;
}

function send(
  agent: Agent,
  port: number,
  method: string,
  path: string,
  body?: string | Buffer,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port,
        method,
        path,
        headers:
          body === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            ms: Number(process.hrtime.bigint() - started) / 1e6,
          }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error(`${method} ${path}: no answer in 10 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** `count` GETs of `path` with `concurrency` requests in flight; latencies and wall time. */
async function batch(agent: Agent, port: number, path: string, count: number, concurrency: number) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      next++;
      const answer = await send(agent, port, 'GET', path);
      if (answer.status !== 200)
        throw new Error(`GET ${path}: HTTP ${answer.status} ${answer.body.slice(0, 200)}`);
      latencies.push(answer.ms);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { latencies, wallMs: performance.now() - started };
}

interface Load {
  concurrency: number;
  batches: number;
  perBatch: number;
}

const LOADS: readonly Load[] = [
  { concurrency: 1, batches: 8, perBatch: 250 },
  { concurrency: 64, batches: 8, perBatch: 1000 },
];

/** A run body of about `bytes`: a valid tryon-v1.6 run whose model image is a large data: URL. */
function bigRunBody(bytes: number): string {
  const payload = 'A'.repeat(bytes - 300);
  return JSON.stringify({
    model_name: 'tryon-v1.6',
    inputs: {
      model_image: `data:image/jpeg;base64,/9j/${payload}`,
      garment_image: 'https://shop.example.com/tee.jpg',
    },
  });
}

/** A valid 10 MiB JSON body of about five million nested arrays: seconds to parse naively. */
function nestedBody(bytes: number): string {
  return '['.repeat(bytes / 2) + ']'.repeat(bytes / 2);
}

/**
 * POSTs a hostile body and resolves with the refusal's status and time. The proxy
 * answers after the first chunk and closes the connection while the body is still
 * being written, so a write error after the answer is the expected end.
 */
function sendHostile(port: number, body: string): Promise<{ status: number; ms: number }> {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    let outcome: { status: number; ms: number } | undefined;
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/fashn/run',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        outcome = {
          status: res.statusCode ?? 0,
          ms: Number(process.hrtime.bigint() - started) / 1e6,
        };
        res.resume();
        res.on('end', () => resolve(outcome!));
        res.on('error', () => resolve(outcome!));
      },
    );
    req.on('error', () =>
      resolve(outcome ?? { status: 0, ms: Number(process.hrtime.bigint() - started) / 1e6 }),
    );
    req.end(body);
  });
}

/**
 * Status latency through the proxy with and without hostile bodies arriving:
 * alternating batches of status requests (8 in flight), during every other
 * batch two senders POST 10 MiB nested-array bodies to …/run in a loop. The
 * row without them is the baseline of the same run.
 */
async function hostileBodiesTable(
  agent: Agent,
  port: number,
  statusPath: string,
): Promise<{ table: string; note: string }> {
  const hostile = nestedBody(10 * 1024 * 1024);
  const perBatch = 400;
  const batches = 6;
  const calm: number[] = [];
  const attacked: number[] = [];
  const refusals: number[] = [];
  const refusedStatuses = new Set<number>();
  await batch(agent, port, statusPath, 100, 8); // warm-up
  for (let i = 0; i < batches; i++) {
    const underAttack = i % 2 === 1;
    let attacking = underAttack;
    const senders = underAttack
      ? Array.from({ length: 2 }, async () => {
          while (attacking) {
            const answer = await sendHostile(port, hostile);
            refusedStatuses.add(answer.status);
            refusals.push(answer.ms);
          }
        })
      : [];
    const b = await batch(agent, port, statusPath, perBatch, 8);
    attacking = false;
    await Promise.all(senders);
    (underAttack ? attacked : calm).push(...b.latencies);
  }
  const row = (label: string, values: number[]) => [
    label,
    fmt(percentile(values, 50), 2),
    fmt(percentile(values, 99), 2),
    String(values.length),
  ];
  const table = markdownTable(
    ['status through the proxy, 8 in flight', 'p50 ms', 'p99 ms', 'requests'],
    [
      row('normal (baseline, same run)', calm),
      row('status p99 while hostile bodies arrive', attacked),
    ],
  );
  const note = `Hostile bodies: two senders POST a valid 10 MiB JSON body of ${fmt(hostile.length / 2 / 1e6, 1)} million nested arrays in a loop during every other batch (${batches} batches of ${perBatch} status requests); the proxy answered them ${[...refusedStatuses].join(', ')} (0: closed before an answer) in ${fmt(percentile(refusals, 50), 1)} ms median / ${fmt(percentile(refusals, 99), 1)} ms p99 (${refusals.length} bodies, upload over loopback included), refusing on the shape pre-check before JSON.parse.`;
  return { table, note };
}

export const proxySection: Section = {
  name: 'proxy',
  title: 'Proxy overhead (Node adapter)',
  async run(): Promise<SectionResult> {
    const upstream = await startChild(['upstream']);
    let proxy: Child | undefined;
    try {
      proxy = await startChild(['proxy', `http://127.0.0.1:${upstream.port}`]);
      const agent = new Agent({ keepAlive: true, maxSockets: 64 });
      const run = await send(
        agent,
        upstream.port,
        'POST',
        '/v1/run',
        JSON.stringify({
          model_name: 'face-to-model',
          inputs: { face_image: 'https://example.com/face.jpg', return_base64: false },
        }),
      );
      const { id } = JSON.parse(run.body) as { id: string };
      if (!id) throw new Error(`the emulator refused the run: ${run.body}`);
      const directPath = `/v1/status/${id}`;
      const proxiedPath = `/api/fashn/status/${id}`;

      const rows: string[][] = [];
      const notes: string[] = [];
      for (const load of LOADS) {
        // Warm-up: connections, JIT.
        await batch(agent, upstream.port, directPath, load.perBatch / 5, load.concurrency);
        await batch(agent, proxy.port, proxiedPath, load.perBatch / 5, load.concurrency);
        const direct = { latencies: [] as number[], wallMs: 0 };
        const proxied = { latencies: [] as number[], wallMs: 0 };
        for (let i = 0; i < load.batches; i++) {
          const order = i % 2 === 0 ? ['direct', 'proxied'] : ['proxied', 'direct'];
          for (const which of order) {
            const into = which === 'direct' ? direct : proxied;
            const b = await batch(
              agent,
              which === 'direct' ? upstream.port : proxy.port,
              which === 'direct' ? directPath : proxiedPath,
              load.perBatch,
              load.concurrency,
            );
            into.latencies.push(...b.latencies);
            into.wallMs += b.wallMs;
          }
        }
        const p = (values: number[], q: number) => percentile(values, q);
        const addedP50 = p(proxied.latencies, 50) - p(direct.latencies, 50);
        const addedP99 = p(proxied.latencies, 99) - p(direct.latencies, 99);
        const rps = (o: typeof direct) => (o.latencies.length / o.wallMs) * 1000;
        rows.push([
          String(load.concurrency),
          `${fmt(p(direct.latencies, 50), 2)} / ${fmt(p(direct.latencies, 99), 2)}`,
          `${fmt(p(proxied.latencies, 50), 2)} / ${fmt(p(proxied.latencies, 99), 2)}`,
          fmt(addedP50, 2),
          fmt(addedP99, 2),
          `${fmt(rps(direct))} / ${fmt(rps(proxied))}`,
          load.concurrency === 64 ? verdict(addedP99 <= GOAL_P99_ADDED_MS) : '—',
        ]);
        notes.push(
          `${load.concurrency} client(s): ${direct.latencies.length} requests each way, ${load.batches} alternating batches of ${load.perBatch}.`,
        );
      }

      // Peak memory of the proxy process while forwarding 8 MB bodies: measured from a
      // GC'd baseline per sample, so one request's garbage does not count against the next.
      const body = bigRunBody(BODY_BYTES);
      const memoryRows: string[][] = [];
      for (const [label, parallel, samples] of [
        ['one at a time (worst of 4)', 1, 4],
        ['4 at once', 4, 1],
      ] as const) {
        const times: number[] = [];
        let worst: { base: Memory; added: Memory } | undefined;
        for (let i = 0; i < samples; i++) {
          const base = await proxy.ask<Memory>('reset');
          const answers = await Promise.all(
            Array.from({ length: parallel }, () =>
              send(agent, proxy!.port, 'POST', '/sink/run', body),
            ),
          );
          for (const a of answers) {
            if (a.status !== 200)
              throw new Error(
                `8 MB run through the proxy: HTTP ${a.status} ${a.body.slice(0, 200)}`,
              );
          }
          times.push(...answers.map((a) => a.ms));
          const peak = await proxy.ask<Memory>('peak');
          const added: Memory = {
            rss: peak.rss - base.rss,
            heapAndExternal: peak.heapAndExternal - base.heapAndExternal,
            arrayBuffers: peak.arrayBuffers - base.arrayBuffers,
          };
          if (!worst || added.heapAndExternal > worst.added.heapAndExternal)
            worst = { base, added };
        }
        const { base, added } = worst!;
        const inFlight = parallel * body.length;
        const times_ = (bytes: number) => `${mib(bytes)} (${fmt(bytes / inFlight, 1)}×)`;
        memoryRows.push([
          label,
          mib(body.length),
          mib(base.rss),
          times_(added.rss),
          times_(added.heapAndExternal),
          mib(added.arrayBuffers),
          fmt(percentile(times, 50)),
        ]);
      }
      const hostileRows = await hostileBodiesTable(agent, proxy.port, proxiedPath);

      const table = [
        markdownTable(
          [
            'concurrent clients',
            'direct p50 / p99 ms',
            'proxied p50 / p99 ms',
            'added p50 ms',
            'added p99 ms',
            'req/s direct / proxied',
            'goal: added p99 ≤ 5 ms at 64',
          ],
          rows,
        ),
        '',
        markdownTable(
          [
            '8 MB run bodies through the proxy',
            'body',
            'proxy RSS before',
            'peak RSS added (× bytes in flight)',
            'peak heap + external added (×)',
            'peak arrayBuffers added',
            'median ms per POST',
          ],
          memoryRows,
        ),
        '',
        hostileRows.table,
      ].join('\n');
      const stores = await storeRows(upstream.port, agent);
      agent.destroy();
      return {
        table: stores ? `${table}\n\n${stores.table}` : table,
        notes: [
          "Status requests for one pending prediction; direct = GET /v1/status/{id} on the emulator's Node server, proxied = GET /api/fashn/status/{id} on the proxy (createFashnProxyNodeHandler: the Node fast path with keep-alive http.request upstream, rate limit off), which forwards it to that same server. Keep-alive agents everywhere; the load generator, the proxy and the emulator are three processes on the same 2-core machine, so requests per second are bounded by the machine, not the proxy alone.",
          ...notes,
          hostileRows.note,
          ...(stores ? [stores.note] : []),
          `Machine load when this section started: load average ${os
            .loadavg()
            .map((l) => l.toFixed(1))
            .join(
              ' / ',
            )} (1 / 5 / 15 min) on ${os.cpus().length} cores; compare figures within one run only.`,
          `Memory: the proxy forwards to a sink upstream that reads the body and answers like FASHN (no image decoding upstream). Peaks are sampled every 1 ms inside the proxy process from a baseline taken after a GC, before each sample (one at a time: the worst of 4 POSTs); "×" divides by the body size times the bodies in flight. Heap + external (V8 heap plus Buffers) counts every copy allocated until a major GC frees it, so it is steadier than RSS, which also depends on what the allocator kept from before. Validating and forwarding a body needs at least its text and the parsed image strings (about 2×); each further copy (byte buffer, re-serialised JSON, encoded upstream body) adds about 1×.`,
        ],
      };
    } finally {
      proxy?.process.kill();
      upstream.process.kill();
    }
  },
};

const STORE_LOADS: readonly Load[] = [
  { concurrency: 1, batches: 4, perBatch: 250 },
  { concurrency: 64, batches: 4, perBatch: 1000 },
];

/**
 * Many instances: status requests through one proxy with its store in memory,
 * one on Redis, and two on one Redis (requests alternate between them), all
 * with the rate limit on (a store call per request), in alternating batches.
 * Starts its own redis-server; without one installed, the rows are left out.
 */
async function storeRows(
  upstreamPort: number,
  agent: Agent,
): Promise<{ table: string; note: string } | undefined> {
  let redisServer: string;
  try {
    redisServer = execFileSync('sh', ['-c', 'command -v redis-server'], {
      encoding: 'utf8',
    }).trim();
  } catch {
    return undefined;
  }
  const port = await new Promise<number>((resolve) => {
    const probe = createNetServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as AddressInfo;
      probe.close(() => resolve(free));
    });
  });
  const redis = spawn(
    redisServer,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const children: Child[] = [];
  try {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const origin = `http://127.0.0.1:${upstreamPort}`;
    const redisUrl = `redis://127.0.0.1:${port}`;
    const memory = await startChild([origin], STORE_CHILD);
    const onRedis = await startChild([origin, redisUrl], STORE_CHILD);
    const second = await startChild([origin, redisUrl], STORE_CHILD);
    children.push(memory, onRedis, second);
    const run = await send(
      agent,
      memory.port,
      'POST',
      '/api/fashn/run',
      JSON.stringify({
        model_name: 'face-to-model',
        inputs: { face_image: 'https://example.com/face.jpg', return_base64: false },
      }),
    );
    const { id } = JSON.parse(run.body) as { id: string };
    if (!id) throw new Error(`the proxy refused the run: ${run.body}`);
    const path = `/api/fashn/status/${id}`;
    const setups: Array<[string, number[]]> = [
      ['1 proxy, store in memory', [memory.port]],
      ['1 proxy, Redis store', [onRedis.port]],
      ['2 proxies, one Redis (alternating)', [onRedis.port, second.port]],
    ];
    const rows: string[][] = [];
    for (const load of STORE_LOADS) {
      const results = setups.map(() => ({ latencies: [] as number[], wallMs: 0 }));
      for (const [, ports] of setups) {
        for (const p of ports) await batch(agent, p, path, load.perBatch / 5, load.concurrency);
      }
      for (let i = 0; i < load.batches; i++) {
        for (const [index, [, ports]] of setups.entries()) {
          // Two instances: half the clients on each, as a load balancer would spread them.
          const share = Math.max(1, Math.floor(load.concurrency / ports.length));
          const parts = await Promise.all(
            ports.map((p) => batch(agent, p, path, load.perBatch / ports.length, share)),
          );
          for (const part of parts) results[index].latencies.push(...part.latencies);
          results[index].wallMs += Math.max(...parts.map((part) => part.wallMs));
        }
      }
      const base = results[0];
      for (const [index, [label]] of setups.entries()) {
        const o = results[index];
        rows.push([
          label,
          String(load.concurrency),
          `${fmt(percentile(o.latencies, 50), 2)} / ${fmt(percentile(o.latencies, 99), 2)}`,
          index === 0
            ? 'baseline'
            : fmt(percentile(o.latencies, 99) - percentile(base.latencies, 99), 2),
          fmt((o.latencies.length / o.wallMs) * 1000),
        ]);
      }
    }
    return {
      table: markdownTable(
        ['store', 'concurrent clients', 'p50 / p99 ms', 'p99 vs memory ms', 'req/s'],
        rows,
      ),
      note: `Many instances: status requests (GET /api/fashn/status/{id} of one pending prediction) through proxies with the rate limit on, so each request takes a token from the store and looks for a final answer in it; "2 proxies" are two processes sharing one redis-server (started by the benchmark, no persistence), each given half the clients (at 1 client: one each, so twice the load). All proxies, the emulator, Redis and the load generator share the same 2 cores.`,
    };
  } finally {
    for (const child of children) child.process.kill();
    redis.kill();
  }
}
