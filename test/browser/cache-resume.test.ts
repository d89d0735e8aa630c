// Resume against the FASHN emulator behind the reference proxy (/api/fashn).
import { expect, waitUntil } from '@open-wc/testing';
import { createStore } from 'idb-keyval';
import { FashnClient } from '../../src/api/client.js';
import { isFashnError, type FashnError } from '../../src/api/errors.js';
import type { FaceToModelInputs } from '../../src/api/schemas.js';
import { blobToDataUrl } from '../../src/capture/data-url.js';
import { shareWork } from '../../src/cache/dedupe.js';
import { avatarKey } from '../../src/cache/keys.js';
import { STORE_NAME } from '../../src/cache/kv.js';
import { predictResumable, RESUME_WINDOW_MS } from '../../src/cache/resume.js';
import { TryOnStore } from '../../src/cache/store.js';
import { blobBytes, makeJpeg } from '../support/images.js';
import { addFault, emulatorLog, resetEmulator } from './element-helpers.js';

const API = '/api/fashn';
/** Polls every ~50 ms: the emulator runs 50× faster than FASHN. */
const FAST = { firstPollMs: 20, denseIntervalMs: 20, sparseGapFraction: 0.004 };
let dbCount = 0;

/** A store over a fresh database; `reload()` gives another store over the same one, as a new page would. */
function pages() {
  const name = `fashn-resume-test-${Date.now()}-${dbCount++}`;
  const reload = () => new TryOnStore({ useStore: createStore(name, STORE_NAME) });
  return { store: reload(), reload };
}

async function faceInputs(): Promise<{ inputs: FaceToModelInputs; key: string }> {
  const selfie = await makeJpeg(48, 64, { pattern: 'photo' });
  const params = { aspect_ratio: '2:3', output_format: 'jpeg', return_base64: true } as const;
  const inputs: FaceToModelInputs = { face_image: await blobToDataUrl(selfie), ...params };
  return { inputs, key: await avatarKey(selfie, params) };
}

async function runs(model: string): Promise<number> {
  return (await emulatorLog()).filter((r) => r.kind === 'run' && r.model === model).length;
}

describe('predictResumable', () => {
  beforeEach(() => resetEmulator());

  it('resumes a prediction after the page went away mid-run: one run in total', async () => {
    const { store, reload } = pages();
    const { inputs, key } = await faceInputs();
    // The first page is gone once the run is issued: its status polls never come back.
    const gone: typeof fetch = (input, init) =>
      String(input).includes('/status/') ? new Promise<Response>(() => {}) : fetch(input, init);
    const firstPage = new AbortController();
    const first = predictResumable(
      new FashnClient({ pollTuning: FAST, baseUrl: API, fetch: gone }),
      store,
      'face-to-model',
      inputs,
      { requestKey: key, avatarKey: key, signal: firstPage.signal },
    ).catch((e: unknown) => e);
    // Recorded with its key before the run is sent, then with FASHN's id: this case is the
    // page that went away after the id arrived (a key-only record is asked after instead).
    await waitUntil(
      async () => (await store.listPending())[0]?.predictionId !== undefined,
      'pending recorded with its id',
    );
    const [pending] = await store.listPending();
    expect(pending).to.include({ model: 'face-to-model', requestKey: key, avatarKey: key });

    const nextPage = reload();
    const progress: string[] = [];
    const result = await predictResumable(
      new FashnClient({ pollTuning: FAST, baseUrl: API }),
      nextPage,
      'face-to-model',
      inputs,
      {
        requestKey: key,
        onProgress: (p) => progress.push(`${p.status}:${p.predictionId}`),
      },
    );
    expect(result.resumed).to.equal(true);
    expect(result.id).to.equal(pending.predictionId);
    expect(result.output).to.have.length(1);
    expect(progress.every((p) => p.endsWith(`:${pending.predictionId}`))).to.equal(true);
    expect(await runs('face-to-model')).to.equal(1);
    expect(await nextPage.listPending()).to.deep.equal([]);

    firstPage.abort();
    expect(isFashnError(await first)).to.equal(true);
    expect(await runs('face-to-model')).to.equal(1);
  });

  it('records the prediction before polling and clears it when it completes', async () => {
    const { store } = pages();
    const { inputs, key } = await faceInputs();
    const seenAtFirstPoll: number[] = [];
    const watching: typeof fetch = async (input, init) => {
      if (String(input).includes('/status/'))
        seenAtFirstPoll.push((await store.listPending()).length);
      return fetch(input, init);
    };
    const result = await predictResumable(
      new FashnClient({ pollTuning: FAST, baseUrl: API, fetch: watching }),
      store,
      'face-to-model',
      inputs,
      {
        requestKey: key,
      },
    );
    expect(result.resumed).to.equal(false);
    expect(seenAtFirstPoll[0]).to.equal(1);
    expect(await store.listPending()).to.deep.equal([]);
  });

  it('clears a failed prediction', async () => {
    const { store } = pages();
    const { inputs, key } = await faceInputs();
    await addFault({ model: 'face-to-model', fail: { name: 'PoseError', message: 'No face' } });
    const error = (await predictResumable(
      new FashnClient({ pollTuning: FAST, baseUrl: API }),
      store,
      'face-to-model',
      inputs,
      {
        requestKey: key,
      },
    ).catch((e: unknown) => e)) as FashnError;
    expect(error.code).to.equal('prediction-failed');
    expect(error.fashnName).to.equal('PoseError');
    expect(await store.listPending()).to.deep.equal([]);
  });

  it('runs again when the recorded prediction is older than 60 minutes or unknown to FASHN', async () => {
    const { store } = pages();
    const { inputs, key } = await faceInputs();
    const client = new FashnClient({ pollTuning: FAST, baseUrl: API });
    const base = { model: 'face-to-model', requestKey: key } as const;

    await store.setPending({
      ...base,
      predictionId: 'stale',
      startedAt: Date.now() - RESUME_WINDOW_MS,
    });
    const fresh = await predictResumable(client, store, 'face-to-model', inputs, {
      requestKey: key,
    });
    expect(fresh.resumed).to.equal(false);
    expect((await emulatorLog()).some((r) => r.predictionId === 'stale')).to.equal(false);

    await store.setPending({ ...base, predictionId: 'forgotten-by-fashn', startedAt: Date.now() });
    const again = await predictResumable(client, store, 'face-to-model', inputs, {
      requestKey: key,
    });
    expect(again.resumed).to.equal(false);
    expect(again.output).to.have.length(1);
    expect(
      (await emulatorLog()).some(
        (r) => r.kind === 'status' && r.predictionId === 'forgotten-by-fashn',
      ),
    ).to.equal(true);
    expect(await runs('face-to-model')).to.equal(2);
    expect(await store.listPending()).to.deep.equal([]);
  });
});

describe('a resumed run without its inputs', () => {
  beforeEach(() => resetEmulator());

  it('never runs again: a forgotten id or a PipelineError fails instead of sending an empty photo', async () => {
    const { store } = pages();
    const { key } = await faceInputs();
    const client = new FashnClient({ pollTuning: FAST, baseUrl: API });
    const gone: FaceToModelInputs = { face_image: '', aspect_ratio: '2:3' };
    await store.setPending({
      model: 'face-to-model',
      requestKey: key,
      predictionId: 'forgotten-by-fashn',
      startedAt: Date.now(),
    });
    const forgotten = await predictResumable(client, store, 'face-to-model', gone, {
      requestKey: key,
      rerunnable: false,
    }).catch((e: unknown) => e as FashnError);
    expect(isFashnError(forgotten) && forgotten.httpStatus).to.equal(404);

    await addFault({ kind: 'run', model: 'face-to-model', fail: { name: 'PipelineError' } });
    const { inputs } = await faceInputs();
    const { id } = await client.run('face-to-model', inputs);
    const failed = await client
      .predict('face-to-model', gone, { resumeId: id, rerunnable: false })
      .catch((e: unknown) => e as FashnError);
    expect(isFashnError(failed) && failed.fashnName).to.equal('PipelineError');
    expect(await runs('face-to-model')).to.equal(1);
    expect(await store.listPending()).to.deep.equal([]);
  });
});

describe('one avatar for every element and tab', () => {
  beforeEach(() => resetEmulator());

  it('makes one face-to-model call for three elements, and none for the returning shopper', async () => {
    const { store, reload } = pages();
    const { inputs, key } = await faceInputs();
    const client = new FashnClient({ pollTuning: FAST, baseUrl: API });
    // What an element does with a selfie: kept avatar, or made once for everyone.
    const obtain = async (memory: TryOnStore) =>
      (await memory.findAvatar(key)) ??
      shareWork(
        key,
        async (signal) => {
          const { output } = await predictResumable(client, memory, 'face-to-model', inputs, {
            requestKey: key,
            avatarKey: key,
            signal,
          });
          return memory.keepAvatar({ key, image: output[0], createdAt: Date.now() });
        },
        { recheck: () => memory.findAvatar(key) },
      );

    const three = await Promise.all([obtain(store), obtain(store), obtain(store)]);
    expect(three.map((avatar) => avatar.key)).to.deep.equal([key, key, key]);
    expect(await runs('face-to-model')).to.equal(1);

    const nextPage = reload();
    const kept = (await nextPage.getAvatar())!;
    expect(kept.key).to.equal(key);
    expect(await blobBytes(kept.blob!)).to.deep.equal(await blobBytes(three[0].blob!));
    expect((await obtain(nextPage)).key).to.equal(key);
    expect(await runs('face-to-model')).to.equal(1);
  });
});
