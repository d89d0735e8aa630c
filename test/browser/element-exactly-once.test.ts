// One try-on, one charge, and no unsafe URL in the page: the element against the
// reference proxy and the FASHN emulator, over the test server's real wire.
// FASHN runs are counted from the emulator's own log.
import { expect, waitUntil } from '@open-wc/testing';
import { createStore } from 'idb-keyval';
import { blobToDataUrl } from '../../src/capture/data-url.js';
import { normalizeImage } from '../../src/capture/normalize.js';
import { avatarKey } from '../../src/cache/keys.js';
import { STORE_NAME } from '../../src/cache/kv.js';
import { TryOnStore } from '../../src/cache/store.js';
import type { FashnTryOn } from '../../src/element/fashn-try-on.js';
import { makeJpeg } from '../support/images.js';
import {
  addFault,
  control,
  emulatorLog,
  garmentDataUrl,
  mount,
  press,
  record,
  resetEmulator,
  unmountAll,
  waitForState,
} from './element-helpers.js';

let garment: string;
let selfie: Blob;
let dbCount = 0;

async function runs(model: string): Promise<number> {
  return (await emulatorLog()).filter(
    (r) => r.kind === 'run' && r.method === 'POST' && r.model === model,
  ).length;
}

/** A fetch that loses the answer of the first run POST of `model` (the proxy did answer it). */
function losingFetch(model: string, keys: string[]): typeof fetch {
  let lost = false;
  return async (input, init) => {
    const response = await fetch(input, init);
    const isRun = String(input).endsWith('/run') && init?.method === 'POST';
    if (isRun && String(init?.body).includes(`"${model}"`)) {
      keys.push(new Headers(init?.headers).get('idempotency-key') ?? '');
      if (!lost) {
        lost = true;
        await response.arrayBuffer();
        throw new TypeError('Failed to fetch');
      }
    }
    return response;
  };
}

function alertText(el: FashnTryOn): string {
  return el.shadowRoot!.querySelector('[role="alert"]')?.textContent?.trim() ?? '';
}

describe('<fashn-try-on> exactly once', () => {
  beforeEach(async () => {
    garment ??= await garmentDataUrl();
    selfie ??= await makeJpeg(480, 640, { pattern: 'photo' });
    await resetEmulator();
  });
  afterEach(() => unmountAll());

  it('answer lost between browser and proxy: the result still arrives, from one FASHN run', async () => {
    const keys: string[] = [];
    const el = await mount({ 'garment-image': garment, layout: 'inline' }, (node) => {
      node.fetch = losingFetch('tryon-v1.6', keys);
    });
    await el.useSelfie(selfie);
    expect(el.state).to.equal('result');
    expect(keys).to.have.length(1); // the run was never POSTed again
    expect(await runs('tryon-v1.6')).to.equal(1);
    expect(await runs('face-to-model')).to.equal(1);
  });

  it('answer lost between proxy and FASHN: a clear message, nothing re-sent; Try again is a new run', async () => {
    await addFault({ kind: 'run', model: 'tryon-v1.6', loseAnswer: true });
    const keys: string[] = [];
    const el = await mount({ 'garment-image': garment, layout: 'inline' }, (node) => {
      node.fetch = losingFetch('none', keys);
    });
    const events = record(el);
    const failure = await el.useSelfie(selfie).then(
      () => undefined,
      (error: unknown) => error,
    );
    await el.updateComplete;
    expect(failure).to.include({ code: 'network', fashnName: 'RunOutcomeUnknown' });
    const errors = events.filter((e) => e.type === 'fashn-error').map((e) => e.detail);
    expect(errors[0]).to.include({
      code: 'network',
      fashnName: 'RunOutcomeUnknown',
      step: 'tryon',
      retriable: true,
    });
    expect(alertText(el)).to.match(/nothing was sent twice/i);
    expect(await runs('tryon-v1.6')).to.equal(1);

    await press(el, 'Try again');
    await waitForState(el, 'result');
    expect(await runs('tryon-v1.6')).to.equal(2); // two logical runs, asked for twice
    expect(await runs('face-to-model')).to.equal(1);
  });

  it('a reload while the run’s answer was on its way resumes by the recorded key: one run', async () => {
    const useStore = createStore(`fashn-exactly-once-${Date.now()}-${dbCount++}`, STORE_NAME);
    const store = () => new TryOnStore({ useStore });
    // The previous page recorded its key, sent the run, and was gone before the answer.
    const photo = (await normalizeImage(selfie)).blob;
    const params = { aspect_ratio: '2:3', output_format: 'jpeg' } as const;
    const key = await avatarKey(photo, params);
    const idempotencyKey = `reload-${Date.now()}-key`;
    await store().setPending({
      model: 'face-to-model',
      requestKey: key,
      avatarKey: key,
      startedAt: Date.now(),
      idempotencyKey,
    });
    const sent = await fetch('/api/fashn/run', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
      body: JSON.stringify({
        model_name: 'face-to-model',
        inputs: { face_image: await blobToDataUrl(photo), ...params, return_base64: true },
      }),
    });
    await sent.arrayBuffer(); // nobody reads it: the page is gone

    const next = await mount({ 'garment-image': garment, layout: 'inline' }, (node) => {
      node.memory = store();
    });
    await waitUntil(() => next.avatar !== undefined, 'avatar resumed', { timeout: 15_000 });
    expect(await runs('face-to-model')).to.equal(1);
    expect(await store().listPending()).to.deep.equal([]);
  });

  it('a javascript: output never reaches an <img>, a link or an event', async () => {
    await addFault({
      kind: 'status',
      model: 'tryon-v1.6',
      times: 50,
      body: { id: 'p-evil-1', status: 'completed', output: ['javascript:alert(1)'], error: null },
    });
    const el = await mount({ 'garment-image': garment, layout: 'inline' });
    const events = record(el);
    const failure = await el.useSelfie(selfie).then(
      () => undefined,
      (error: unknown) => error,
    );
    await el.updateComplete;
    expect(failure).to.include({ code: 'proxy-error', step: 'tryon', retriable: false });
    const urls = [...el.shadowRoot!.querySelectorAll('img, a')].map(
      (node) => node.getAttribute('src') ?? node.getAttribute('href') ?? '',
    );
    expect(urls.some((url) => /javascript:/i.test(url))).to.equal(false);
    expect(JSON.stringify(events.map((e) => e.detail))).to.not.match(/javascript:/i);
    expect(control(el, 'Try again')).to.equal(undefined);
  });
});
