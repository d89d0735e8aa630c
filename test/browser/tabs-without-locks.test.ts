// Two tabs without Web Locks (older Safari): the second finds the first's
// face-to-model prediction recorded in IndexedDB and follows it, one run in
// total. Against the FASHN emulator behind the reference proxy (/api/fashn).
import { expect, waitUntil } from '@open-wc/testing';
import { createStore } from 'idb-keyval';
import { FashnClient } from '../../src/api/client.js';
import type { FaceToModelInputs } from '../../src/api/schemas.js';
import { blobToDataUrl } from '../../src/capture/data-url.js';
import { avatarKey } from '../../src/cache/keys.js';
import { STORE_NAME } from '../../src/cache/kv.js';
import { predictResumable } from '../../src/cache/resume.js';
import { TryOnStore } from '../../src/cache/store.js';
import { makeJpeg } from '../support/images.js';
import { emulatorLog, resetEmulator } from './element-helpers.js';

const FAST = { firstPollMs: 20, denseIntervalMs: 20, sparseGapFraction: 0.004 };

describe('tabs without Web Locks', () => {
  beforeEach(() => resetEmulator(0.2));

  it('a second tab follows the first tab’s face-to-model prediction instead of paying again', async () => {
    const name = `fashn-tabs-test-${Date.now()}`;
    // Each tab: its own store over the shared database, its own client, no lock.
    const tab = () => ({
      store: new TryOnStore({ useStore: createStore(name, STORE_NAME) }),
      client: new FashnClient({ pollTuning: FAST, baseUrl: '/api/fashn' }),
    });
    const selfie = await makeJpeg(48, 64, { pattern: 'photo' });
    const params = { aspect_ratio: '2:3', output_format: 'jpeg', return_base64: true } as const;
    const inputs: FaceToModelInputs = { face_image: await blobToDataUrl(selfie), ...params };
    const key = await avatarKey(selfie, params);
    const run = ({ store, client }: ReturnType<typeof tab>) =>
      predictResumable(client, store, 'face-to-model', inputs, { requestKey: key, avatarKey: key });

    const first = tab();
    const firstResult = run(first);
    await waitUntil(async () => (await first.store.listPending()).length === 1, 'id recorded');
    const second = await run(tab());

    expect(second.resumed).to.equal(true);
    expect(second.output).to.deep.equal((await firstResult).output);
    const runs = (await emulatorLog()).filter((r) => r.kind === 'run');
    expect(runs.map((r) => r.model)).to.deep.equal(['face-to-model']);
  });
});
