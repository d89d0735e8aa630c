/**
 * The DOM-free core in Node: the flow table and the try-on session against the
 * offline FASHN emulator over its HTTP interface, with page memory.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FashnClient } from '../../src/api/client.js';
import { PageMemory } from '../../src/cache/fallback.js';
import { createFashnEmulator } from '../../src/emulator/index.js';
import { solidJpegDataUrl } from '../../src/emulator/test-images.js';
import { readConfig } from '../../src/element/config.js';
import { Flow, STATES, TRANSITIONS, next, type FlowEvent } from '../../src/session/flow.js';
import { TryOnSession, type SessionEvents } from '../../src/session/session.js';

describe('flow table', () => {
  it('walks the shopper path, running exit, entry and move effects in that order', () => {
    const seen: string[] = [];
    const flow = new Flow({
      exit: { capture: () => seen.push('exit capture') },
      enter: { review: () => seen.push('enter review') },
      moved: (state, previous) => seen.push(`${previous}>${state}`),
    });
    const path: FlowEvent[] = ['ask', 'capture', 'photo', 'avatar', 'tryon', 'done'];
    for (const event of path) assert.equal(flow.send(event), true, event);
    assert.equal(flow.state, 'result');
    assert.deepEqual(seen, [
      'idle>consent',
      'consent>capture',
      'exit capture',
      'enter review',
      'capture>review',
      'review>avatar',
      'avatar>tryon',
      'tryon>result',
    ]);
  });

  it('makes a move outside the table impossible: nothing changes, no effect runs', () => {
    let moves = 0;
    const flow = new Flow({ moved: () => moves++ });
    assert.equal(flow.send('done'), false);
    assert.equal(flow.send('photo'), false);
    assert.equal(flow.send('close'), false);
    assert.equal(flow.state, 'idle');
    assert.equal(moves, 0);
    assert.equal(next('consent', 'photo'), undefined);
    assert.equal(next('capture', 'done'), undefined);
  });

  it('lets every state reach idle and error, and every state be reached', () => {
    for (const state of STATES) {
      if (state !== 'idle') assert.equal(next(state, 'close'), 'idle', state);
      if (state !== 'error') assert.equal(next(state, 'fail'), 'error', state);
    }
    const reached = new Set(Object.values(TRANSITIONS).flatMap((moves) => Object.values(moves)));
    assert.deepEqual([...reached].sort(), [...STATES].sort());
  });
});

const GARMENT = solidJpegDataUrl(32, 32, [30, 60, 200]);
const FACE = solidJpegDataUrl(48, 48, [210, 160, 130]);

/** A session on page memory whose client talks to a fresh emulator; every event recorded. */
function setup(veto = false) {
  const emulator = createFashnEmulator({ speed: 0.005, jitter: 0 });
  const fetch: typeof globalThis.fetch = (input, init) => emulator.handle(new Request(input, init));
  const memory = new PageMemory();
  const seen: string[] = [];
  const events: SessionEvents = {
    beforeRun: ({ model }) => (seen.push(`before ${model}`), !veto),
    step: (step) => seen.push(`step ${step}`),
    progress: () => {},
    avatar: ({ cached }) => seen.push(`avatar cached=${cached}`),
    report: (error) => seen.push(`report ${error.code}`),
  };
  const session = new TryOnSession({
    events,
    memory: () => Promise.resolve(memory),
    prepare: (photo) => Promise.resolve(photo),
    client: () => new FashnClient({ baseUrl: 'http://fashn.test/v1', fetch }),
  });
  const runs = (model: string) =>
    emulator.requests.filter((r) => r.kind === 'run' && r.model === model).length;
  return { session, seen, runs, memory };
}

const photo = async () => (await fetch(FACE)).blob();
const config = readConfig({ garmentImage: GARMENT }).config;

describe('try-on session', () => {
  it('makes an avatar, dresses it, and gives the same result again from memory', async () => {
    const { session, seen, runs } = setup();
    session.photo = await photo();
    const signal = new AbortController().signal;
    const first = await session.run({ from: 'avatar', config, signal });
    assert.equal(first.kind, 'result');
    assert.equal(first.kind === 'result' && first.result.cached, false);
    assert.deepEqual(seen, [
      'step avatar',
      'before face-to-model',
      'avatar cached=false',
      'step tryon',
      'before tryon-v1.6',
    ]);
    const again = await session.run({ from: 'tryon', config, signal });
    assert.equal(again.kind === 'result' && again.result.cached, true);
    assert.equal(runs('face-to-model'), 1);
    assert.equal(runs('tryon-v1.6'), 1);
  });

  it('answers a veto as an outcome, with nothing sent', async () => {
    const { session, runs } = setup(true);
    session.photo = await photo();
    const outcome = await session.run({
      from: 'avatar',
      config,
      signal: new AbortController().signal,
    });
    assert.deepEqual(outcome, { kind: 'vetoed', step: 'avatar' });
    assert.equal(runs('face-to-model'), 0);
  });

  it('fails at config without a garment, and rejects with the reason once aborted', async () => {
    const { session, runs } = setup();
    session.photo = await photo();
    const bare = readConfig({}).config;
    const failed = await session.run({
      from: 'avatar',
      config: bare,
      signal: new AbortController().signal,
    });
    assert.equal(failed.kind, 'failed');
    assert.equal(failed.kind === 'failed' && failed.step, 'config');
    assert.equal(failed.kind === 'failed' && failed.error.attribute, 'garment-image');

    const controller = new AbortController();
    const running = session.run({ from: 'avatar', config, signal: controller.signal });
    const reason = new Error('superseded');
    controller.abort(reason);
    await assert.rejects(running, (error) => error === reason);
    assert.equal(session.avatar, undefined);
    assert.ok(runs('face-to-model') <= 1);
  });

  it('finds a kept avatar, and forgets everything', async () => {
    const { session, seen, memory } = setup();
    session.photo = await photo();
    await session.run({ from: 'avatar', config, signal: new AbortController().signal });
    const other = new TryOnSession({
      events: { ...noEvents, avatar: ({ cached }) => seen.push(`other cached=${cached}`) },
      memory: () => Promise.resolve(memory),
      prepare: (blob) => Promise.resolve(blob),
    });
    await other.loadKept();
    assert.equal(other.avatar?.key, session.avatar?.key);
    assert.equal(seen.at(-1), 'other cached=true');
    await other.forget();
    assert.equal(await memory.getAvatar(), undefined);
  });
});

const noEvents: SessionEvents = {
  beforeRun: () => true,
  step: () => {},
  progress: () => {},
  avatar: () => {},
  report: () => {},
};
