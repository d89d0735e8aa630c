// The element's memory (SPEC "Memory (IndexedDB)", issue 4) against the FASHN
// emulator behind the reference proxy: returning shopper, expiry, forget,
// remember="false", eviction, a full disk, resume, shared avatars, no IndexedDB.
import { expect, waitUntil } from '@open-wc/testing';
import { clear, createStore, type UseStore } from 'idb-keyval';
import { FashnClient } from '../../src/api/client.js';
import { blobToDataUrl } from '../../src/capture/data-url.js';
import { normalizeImage } from '../../src/capture/normalize.js';
import { openTryOnStore } from '../../src/cache/fallback.js';
import { avatarKey } from '../../src/cache/keys.js';
import { DB_NAME, STORE_NAME } from '../../src/cache/kv.js';
import { TryOnStore } from '../../src/cache/store.js';
import type { FashnTryOn } from '../../src/element/fashn-try-on.js';
import { makeJpeg } from '../support/images.js';
import {
  emulatorLog,
  garmentDataUrl,
  mount,
  press,
  record,
  resetEmulator,
  unmountAll,
  waitForState,
  type Recorded,
} from './element-helpers.js';

const DAY = 86_400_000;
let garment: string;
let otherGarment: string;
let dbCount = 0;

/** A fresh database; `store()` opens another TryOnStore over it, as a reloaded page would. */
function freshDb(options: ConstructorParameters<typeof TryOnStore>[0] = {}) {
  const name = `fashn-element-memory-${Date.now()}-${dbCount++}`;
  const useStore = createStore(name, STORE_NAME);
  return { name, useStore, store: () => new TryOnStore({ useStore, ...options }) };
}

/** Every key of a database, read with plain IndexedDB (not through the code under test). */
function rawKeys(dbName: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(dbName);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE_NAME);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const keys = db.transaction(STORE_NAME).objectStore(STORE_NAME).getAllKeys();
      keys.onsuccess = () => {
        db.close();
        resolve(keys.result.map(String).sort());
      };
      keys.onerror = () => reject(keys.error);
    };
  });
}

const kinds = (keys: string[], kind: string) => keys.filter((key) => key.startsWith(`${kind}:`));

async function runs(model: string): Promise<number> {
  return (await emulatorLog()).filter((r) => r.kind === 'run' && r.model === model).length;
}

const of = (events: Recorded[], type: Recorded['type']) =>
  events.filter((e) => e.type === type).map((e) => e.detail);

const states = (events: Recorded[]) => of(events, 'fashn-state-change').map((d) => d.state);

/** `waitUntil` with room for a prediction or two (its default is 1 s). */
const until = (predicate: () => unknown, message: string) =>
  waitUntil(predicate, message, { timeout: 15_000 });

const selfie = (width = 320, height = 400) => makeJpeg(width, height, { pattern: 'photo' });

/** A idb-keyval store whose `put` fails with QuotaExceededError `times` times (or always). */
function fullDisk(inner: UseStore, times: number | 'always') {
  let left = times;
  const useStore: UseStore = (mode, callback) =>
    inner(mode, (store) =>
      callback(
        new Proxy(store, {
          get(target, name) {
            if (name === 'put' && (left === 'always' || left > 0)) {
              return () => {
                if (left !== 'always') left--;
                throw new DOMException('The disk is full', 'QuotaExceededError');
              };
            }
            const value: unknown = Reflect.get(target, name, target);
            return typeof value === 'function' ? value.bind(target) : value;
          },
        }),
      ),
    );
  return useStore;
}

describe('<fashn-try-on> memory', () => {
  beforeEach(async () => {
    garment ??= await garmentDataUrl();
    otherGarment ??= await blobToDataUrl(await makeJpeg(80, 120, { pattern: 'photo' }));
    await resetEmulator();
    // The element's own database starts empty (other tests' elements may have written to it).
    await clear(createStore(DB_NAME, STORE_NAME));
  });
  afterEach(() => unmountAll());

  it('brings a returning shopper straight to try-on with 0 face-to-model calls; results come back without a credit', async () => {
    const first = await mount({ 'garment-image': garment, remember: 'true' });
    await first.useSelfie(await selfie());
    const kept = await rawKeys(DB_NAME);
    expect(kinds(kept, 'avatar')).to.have.length(1);
    expect(kinds(kept, 'result')).to.have.length(1);
    expect(kept).to.include('current');
    expect(kinds(kept, 'pending')).to.deep.equal([]);
    unmountAll();

    // Next visit (a new store over the same database, as after a reload), another product.
    const next = await mount(
      { 'garment-image': otherGarment, remember: 'true' },
      (el) => (el.memory = new TryOnStore()),
    );
    const events = record(next);
    await until(() => next.avatar !== undefined, 'kept avatar read on connect');
    expect(next.avatar).to.match(/^blob:/);
    await press(next, 'Try it on');
    await waitForState(next, 'result');
    expect(states(events)).to.deep.equal(['tryon', 'result']);
    expect(of(events, 'fashn-result')[0]).to.include({ avatarCached: true, cached: false });
    expect(await runs('face-to-model')).to.equal(1);
    expect(await runs('tryon-v1.6')).to.equal(2);
    // The avatar went to tryon-v1.6 as a data: URL of the kept bytes.
    const [tryon] = of(events, 'fashn-before-run');
    expect(tryon.inputs.model_image).to.match(/^data:image\/jpeg;base64,/);

    // Reopening the product shows the earlier result at once, without a prediction.
    await press(next, 'Close');
    const again = await next.tryOn();
    expect(again).to.include({ cached: true, avatarCached: true });
    expect(again.images[0]).to.match(/^blob:/);
    expect(await runs('tryon-v1.6')).to.equal(2);

    // "Try another look" bypasses the kept result.
    await press(next, 'Try another look');
    await until(() => of(events, 'fashn-result').length === 3, 'another look');
    expect(of(events, 'fashn-result')[2].cached).to.equal(false);
    expect(await runs('tryon-v1.6')).to.equal(3);
    expect(await runs('face-to-model')).to.equal(1);
  });

  it("sends a returning shopper's try-on at once, without waiting for a slow credits answer", async () => {
    const first = await mount({ 'garment-image': garment, remember: 'true' });
    await first.useSelfie(await selfie());
    unmountAll();
    // This shop's proxy holds its credits answer until the test releases it.
    const held = async () =>
      ((await (await fetch('/shop-proxy/slow-credits/__held')).json()) as { open: number }).open;
    const next = await mount(
      { 'garment-image': otherGarment, remember: 'true', 'proxy-url': '/shop-proxy/slow-credits' },
      (el) => (el.memory = new TryOnStore()),
    );
    await until(() => next.avatar !== undefined, 'kept avatar read on connect');
    let askedFirst = false;
    next.addEventListener('fashn-before-run', (event) => {
      if (event.detail.model === 'tryon-v1.6') askedFirst = true;
    });
    const result = next.tryOn();
    await until(() => askedFirst, 'the try-on goes out');
    // The credits request is open (held, not given up): the run did not wait for it.
    await waitUntil(async () => (await held()) === 1, 'the credits answer is still held', {
      timeout: 10_000,
    });
    await fetch('/shop-proxy/slow-credits/__release');
    expect((await result).avatarCached).to.equal(true);
    await waitUntil(async () => (await held()) === 0, 'the credits answer arrived');
  });

  it('lets the avatar expire after cache-days and purges it on the next start', async () => {
    let now = Date.now();
    const db = freshDb({ now: () => now });
    const el = await mount(
      { 'garment-image': garment, 'cache-days': '1' },
      (node) => (node.memory = db.store()),
    );
    await el.useSelfie(await selfie());
    unmountAll();

    now += DAY - 60_000; // still within the day: kept
    const sameDay = await mount({ 'garment-image': garment }, (node) => (node.memory = db.store()));
    await until(() => sameDay.avatar !== undefined, 'avatar kept within cache-days');
    unmountAll();

    now += 120_000; // a day and a minute later
    expect(kinds(await rawKeys(db.name), 'avatar')).to.have.length(1);
    const store = await openTryOnStore({ useStore: db.useStore, now: () => now });
    expect(await rawKeys(db.name)).to.deep.equal([]);
    const later = await mount({ 'garment-image': garment }, (node) => (node.memory = store));
    await press(later, 'Try it on');
    await waitForState(later, 'consent');
    expect(later.avatar).to.equal(undefined);
  });

  it('forgets every record on "Delete my photo" and forgetAvatar(), for every element of the page', async () => {
    const el = await mount({ 'garment-image': garment, remember: 'true', layout: 'inline' });
    const other = await mount({ 'garment-image': otherGarment, remember: 'true' });
    await el.useSelfie(await selfie());
    expect((await rawKeys(DB_NAME)).length).to.be.greaterThan(1);
    await press(el, 'Delete my photo');
    await until(async () => (await rawKeys(DB_NAME)).length === 0, 'database emptied');
    expect(el.avatar).to.equal(undefined);
    expect(await new TryOnStore().getAvatar()).to.equal(undefined);
    // The other element reads the memory again: consent is asked again.
    await press(other, 'Try it on');
    await waitForState(other, 'consent');
    expect(other.avatar).to.equal(undefined);

    // forgetAvatar() does the same.
    other.close();
    await other.useSelfie(await selfie(300, 420));
    expect((await rawKeys(DB_NAME)).length).to.be.greaterThan(1);
    await other.forgetAvatar();
    expect(await rawKeys(DB_NAME)).to.deep.equal([]);
    expect(other.state).to.equal('idle');
  });

  it('stores nothing with remember="false", yet keeps the avatar for the page', async () => {
    const el = await mount({ 'garment-image': garment, remember: 'false' });
    const seen: string[][] = [];
    el.addEventListener('fashn-progress', (e) => {
      if (e.detail.predictionId) void rawKeys(DB_NAME).then((keys) => seen.push(keys));
    });
    await el.useSelfie(await selfie());
    await until(() => seen.length > 0, 'looked during the run');
    expect(seen.flat()).to.deep.equal([]);
    expect(await rawKeys(DB_NAME)).to.deep.equal([]);

    // Another element that does remember finds nothing.
    const other = await mount({ 'garment-image': garment, remember: 'true' });
    await press(other, 'Try it on');
    await waitForState(other, 'consent');
    // The element itself still has its avatar and result for this page.
    el.close();
    const again = await el.tryOn();
    expect(again.cached).to.equal(true);
    expect(await runs('face-to-model')).to.equal(1);
  });

  it('evicts the oldest avatars and results beyond the limits, and knows a kept selfie again', async () => {
    const db = freshDb({ maxAvatars: 2, maxResults: 2 });
    const el = await mount({ 'garment-image': garment }, (node) => (node.memory = db.store()));
    const events = record(el);
    const photos = [await selfie(300, 400), await selfie(310, 400), await selfie(320, 400)];
    for (const photo of photos) await el.useSelfie(photo);
    expect(await runs('face-to-model')).to.equal(3);
    let keys = await rawKeys(db.name);
    expect(kinds(keys, 'avatar')).to.have.length(2);
    expect(kinds(keys, 'result')).to.have.length(2);

    // The newest selfie is known again (no call); the oldest was evicted (a new call).
    await el.useSelfie(photos[2]);
    expect(await runs('face-to-model')).to.equal(3);
    expect(of(events, 'fashn-avatar').at(-1).cached).to.equal(true);
    expect(of(events, 'fashn-result').at(-1).cached).to.equal(true);
    await el.useSelfie(photos[0]);
    expect(await runs('face-to-model')).to.equal(4);

    // Results: three looks on one avatar keep the two newest.
    await press(el, 'Try another look');
    await until(() => of(events, 'fashn-result').length === 6, 'second look');
    await press(el, 'Try another look');
    await until(() => of(events, 'fashn-result').length === 7, 'third look');
    keys = await rawKeys(db.name);
    expect(kinds(keys, 'result')).to.have.length(2);
    const seeds = of(events, 'fashn-before-run')
      .filter((d) => d.model === 'tryon-v1.6')
      .map((d) => d.inputs.seed as number);
    el.seed = seeds.at(-1)!;
    await el.updateComplete;
    expect((await el.tryOn()).cached).to.equal(true);
    el.seed = 42; // the first look on this avatar was evicted
    await el.updateComplete;
    expect((await el.tryOn()).cached).to.equal(false);
  });

  it('meets a full disk by eviction, and a disk that stays full by page memory, never breaking the flow', async () => {
    // An earlier visit kept an avatar and a look.
    const once = freshDb();
    const earlier = await mount(
      { 'garment-image': garment },
      (node) => (node.memory = once.store()),
    );
    await earlier.useSelfie(await selfie(300, 400));
    expect(kinds(await rawKeys(once.name), 'result')).to.have.length(1);
    unmountAll();

    // Now the disk is full once: the earlier look makes room, the new avatar and look are kept.
    const el = await mount({ 'garment-image': garment }, (node) => {
      node.memory = new TryOnStore({ useStore: fullDisk(once.useStore, 1) });
    });
    const events = record(el);
    await el.useSelfie(await selfie(320, 400));
    expect(el.state).to.equal('result');
    expect(of(events, 'fashn-error')).to.deep.equal([]);
    const keys = await rawKeys(once.name);
    expect(kinds(keys, 'avatar')).to.have.length(2);
    expect(kinds(keys, 'result')).to.have.length(1);
    el.close();
    expect((await el.tryOn()).cached).to.equal(true);
    unmountAll();

    const full = freshDb();
    const memory = new TryOnStore({ useStore: fullDisk(full.useStore, 'always') });
    const stuck = await mount({ 'garment-image': garment }, (node) => (node.memory = memory));
    const seen = record(stuck);
    const result = await stuck.useSelfie(await selfie());
    expect(result.images).to.have.length(1);
    expect(stuck.state).to.equal('result');
    const errors = of(seen, 'fashn-error');
    expect(errors).to.have.length(1);
    expect(errors[0]).to.include({ code: 'storage', step: 'storage' });
    expect(memory.persistent).to.equal(false);
    // Everything is still at hand for the page: the same look again costs nothing.
    stuck.close();
    expect((await stuck.tryOn()).cached).to.equal(true);
    expect(of(seen, 'fashn-error')).to.have.length(1);
  });

  it('resumes a try-on after the element is re-created mid-prediction: one run in total, dialog left closed', async () => {
    const db = freshDb();
    // The first page goes away once its try-on is issued: its status polls never come back.
    let tryonIssued = false;
    const dying: typeof fetch = (input, init) => {
      const url = String(input);
      if (tryonIssued && url.includes('/status/')) return new Promise<Response>(() => {});
      if (url.endsWith('/run') && String(init?.body).includes('"tryon-v1.6"')) tryonIssued = true;
      return fetch(input, init);
    };
    const first = await mount({ 'garment-image': garment }, (node) => {
      node.memory = db.store();
      node.fetch = dying;
    });
    void first.useSelfie(await selfie()).catch(() => {});
    const store = db.store();
    // Recorded with its key before it is sent, then with its id once FASHN issued one.
    const tryonPending = async () =>
      (await store.listPending()).find((p) => p.model === 'tryon-v1.6' && p.predictionId);
    await until(tryonPending, 'try-on recorded');
    const pending = await tryonPending();
    expect(pending).to.include({ model: 'tryon-v1.6', garment });
    unmountAll();

    let events: Recorded[] = [];
    const next = await mount({ 'garment-image': garment }, (node) => {
      node.memory = db.store();
      events = record(node);
    });
    await waitForState(next, 'result');
    expect(states(events)).to.deep.equal(['tryon', 'result']);
    expect(of(events, 'fashn-before-run')).to.deep.equal([]);
    const progress = of(events, 'fashn-progress').filter((d) => d.predictionId);
    expect(progress.length).to.be.greaterThan(0);
    expect(progress.every((d) => d.predictionId === pending!.predictionId)).to.equal(true);
    expect(of(events, 'fashn-result')[0]).to.include({
      predictionId: pending!.predictionId,
      cached: false,
    });
    expect(next.shadowRoot!.querySelector('dialog')!.open).to.equal(false);
    expect(await runs('tryon-v1.6')).to.equal(1);
    expect(await runs('face-to-model')).to.equal(1);
    expect(await store.listPending()).to.deep.equal([]);

    // "Try it on" opens the dialog on the result.
    await press(next, 'Try it on');
    expect(next.state).to.equal('result');
    expect(next.shadowRoot!.querySelector('dialog')!.open).to.equal(true);
  });

  it('resumes an avatar in flight on the next page and stops there, showing progress inline', async () => {
    const db = freshDb();
    // What the previous page left behind: a face-to-model run recorded before its first poll.
    const photo = (await normalizeImage(await selfie())).blob;
    const params = { aspect_ratio: '2:3', output_format: 'jpeg' } as const;
    const key = await avatarKey(photo, params);
    const face_image = await blobToDataUrl(photo);
    const client = new FashnClient({ baseUrl: '/api/fashn' });
    const { id } = await client.run('face-to-model', {
      face_image,
      ...params,
      return_base64: true,
    });
    await db.store().setPending({
      predictionId: id,
      model: 'face-to-model',
      requestKey: key,
      avatarKey: key,
      startedAt: Date.now(),
    });

    let events: Recorded[] = [];
    const next = await mount({ 'garment-image': garment, layout: 'inline' }, (node) => {
      node.memory = db.store();
      events = record(node);
    });
    await until(() => next.avatar !== undefined, 'avatar resumed');
    await waitForState(next, 'idle');
    expect(states(events)).to.deep.equal(['avatar', 'idle']);
    expect(of(events, 'fashn-progress').some((d) => d.predictionId === id)).to.equal(true);
    expect(of(events, 'fashn-avatar')[0]).to.include({ cached: false });
    expect(await runs('face-to-model')).to.equal(1);
    expect(await runs('tryon-v1.6')).to.equal(0);
    expect(await db.store().listPending()).to.deep.equal([]);
    expect((await db.store().getAvatar())?.key).to.equal(key);

    await press(next, 'Try it on');
    await waitForState(next, 'result');
    expect(await runs('face-to-model')).to.equal(1);
  });

  it('goes on from a resumed avatar to try-on once the shopper opens the dialog', async () => {
    const db = freshDb();
    const photo = (await normalizeImage(await selfie(300, 360))).blob;
    const params = { aspect_ratio: '2:3', output_format: 'jpeg' } as const;
    const key = await avatarKey(photo, params);
    const face_image = await blobToDataUrl(photo);
    await resetEmulator(0.2); // slow enough to open the dialog while the avatar is made
    const client = new FashnClient({ baseUrl: '/api/fashn' });
    const { id } = await client.run('face-to-model', {
      face_image,
      ...params,
      return_base64: true,
    });
    await db.store().setPending({
      predictionId: id,
      model: 'face-to-model',
      requestKey: key,
      avatarKey: key,
      startedAt: Date.now(),
    });

    const next = await mount({ 'garment-image': garment }, (node) => (node.memory = db.store()));
    await waitForState(next, 'avatar');
    expect(next.shadowRoot!.querySelector('dialog')!.open).to.equal(false);
    await press(next, 'Try it on');
    expect(next.shadowRoot!.querySelector('dialog')!.open).to.equal(true);
    await waitForState(next, 'result', 20_000);
    expect(await runs('face-to-model')).to.equal(1);
    expect(await runs('tryon-v1.6')).to.equal(1);
  });

  it('shares one face-to-model call among three elements, which all show its progress', async () => {
    const photo = await selfie();
    const els: FashnTryOn[] = [];
    const logs: Recorded[][] = [];
    // Two of them keep nothing, so only the shared call (not a kept record) can spare their runs.
    for (const remember of ['true', 'false', 'false']) {
      const el = await mount({ 'garment-image': garment, remember, layout: 'inline' });
      els.push(el);
      logs.push(record(el));
    }
    const late = await mount({ 'garment-image': otherGarment, remember: 'true' });
    const results = await Promise.all(els.map((el) => el.useSelfie(photo)));
    expect(results.map((r) => r.images.length)).to.deep.equal([1, 1, 1]);
    expect(await runs('face-to-model')).to.equal(1);
    for (const log of logs) {
      const avatarProgress = of(log, 'fashn-progress').filter((d) => d.step === 'avatar');
      expect(avatarProgress.some((d) => d.predictionId)).to.equal(true);
    }
    expect(new Set(els.map((el) => el.avatar)).size).to.equal(1);
    // Each keeps it where it keeps things: "Try another look" needs no new avatar.
    await press(els[2], 'Try another look');
    await waitForState(els[2], 'result');
    expect(await runs('face-to-model')).to.equal(1);

    // An element connected before the avatar existed finds it on "Try it on".
    await press(late, 'Try it on');
    await waitForState(late, 'result');
    expect(await runs('face-to-model')).to.equal(1);
  });

  it('goes on in page memory when IndexedDB throws, reporting one storage error', async () => {
    const realOpen = Object.getOwnPropertyDescriptor(indexedDB, 'open');
    indexedDB.open = () => {
      throw new DOMException('Storage is blocked', 'SecurityError');
    };
    try {
      const memory = new TryOnStore();
      const errors: unknown[] = [];
      const listen = (node: FashnTryOn) => {
        node.memory = memory;
        node.addEventListener('fashn-error', (e) => errors.push(e.detail));
      };
      const el = await mount({ 'garment-image': garment }, listen);
      const other = await mount({ 'garment-image': otherGarment }, listen);
      const result = await el.useSelfie(await selfie());
      expect(result.images).to.have.length(1);
      expect(errors).to.have.length(1);
      expect(errors[0]).to.include({ code: 'storage', step: 'storage' });
      expect(memory.persistent).to.equal(false);

      // The other element finds the avatar in page memory: straight to try-on.
      await press(other, 'Try it on');
      await waitForState(other, 'result');
      expect(await runs('face-to-model')).to.equal(1);
      expect(errors).to.have.length(1);
    } finally {
      if (realOpen) Object.defineProperty(indexedDB, 'open', realOpen);
      else delete (indexedDB as Partial<IDBFactory>).open;
    }
  });
});
