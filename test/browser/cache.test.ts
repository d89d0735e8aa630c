import { expect, waitUntil } from '@open-wc/testing';
import { createStore, set, type UseStore } from 'idb-keyval';
import { FashnError } from '../../src/api/errors.js';
import { blobToDataUrl } from '../../src/capture/data-url.js';
import { LOCK_PREFIX, shareWork } from '../../src/cache/dedupe.js';
import { openTryOnStore } from '../../src/cache/fallback.js';
import { avatarKey, digest, resultKey } from '../../src/cache/keys.js';
import { DB_NAME, STORE_NAME, memoryKeyValue } from '../../src/cache/kv.js';
import { findPending, RESUME_WINDOW_MS } from '../../src/cache/resume.js';
import type { KeptAvatar } from '../../src/cache/memory.js';
import { TryOnStore, URL_LIFETIME_MS, imageBlob } from '../../src/cache/store.js';
import { blobBytes, makeJpeg, makePng } from '../support/images.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 1);

let dbCount = 0;
/** A fresh database per test, so tests never see each other's records. */
function freshDb(): { name: string; useStore: UseStore } {
  const name = `fashn-cache-test-${Date.now()}-${dbCount++}`;
  return { name, useStore: createStore(name, STORE_NAME) };
}

/** Every record of a database, read with plain IndexedDB (not through the code under test). */
function rawEntries(dbName: string): Promise<[IDBValidKey, unknown][]> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(dbName);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE_NAME);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction(STORE_NAME);
      const keys = tx.objectStore(STORE_NAME).getAllKeys();
      const values = tx.objectStore(STORE_NAME).getAll();
      tx.oncomplete = () => {
        db.close();
        resolve(keys.result.map((key, i) => [key, values.result[i]]));
      };
      tx.onerror = () => reject(tx.error);
    };
  });
}

/**
 * The records' keys of a database, sorted; on the way, that each avatar and result has
 * its image bytes under `bytes:<key>`, and no bytes are left without their record.
 */
async function rawKeys(dbName: string): Promise<string[]> {
  const keys = (await rawEntries(dbName)).map(([key]) => String(key));
  const records = keys.filter((key) => !key.startsWith('bytes:')).sort();
  const bytes = keys.filter((key) => key.startsWith('bytes:')).map((key) => key.slice(6));
  expect(bytes.sort(), 'image bytes, one per avatar and result').to.deep.equal(
    records.filter((key) => /^(avatar|result):/.test(key)),
  );
  return records;
}

/** A wrapped idb-keyval store whose `put` fails with QuotaExceededError `times` times (or always). */
function fullDisk(inner: UseStore, times: number | 'always') {
  const disk = { thrown: 0, left: times };
  const useStore: UseStore = (mode, callback) =>
    inner(mode, (store) =>
      callback(
        new Proxy(store, {
          get(target, name) {
            if (name === 'put' && (disk.left === 'always' || disk.left > 0)) {
              return () => {
                if (disk.left !== 'always') disk.left--;
                disk.thrown++;
                throw new DOMException('The disk is full', 'QuotaExceededError');
              };
            }
            const value: unknown = Reflect.get(target, name, target);
            return typeof value === 'function' ? value.bind(target) : value;
          },
        }),
      ),
    );
  return { disk, useStore };
}

let jpegUrl: string;
let pngUrl: string;

async function imageDataUrl(seed: number): Promise<string> {
  const blob = await makeJpeg(8 + seed, 8, { pattern: 'photo' });
  return blobToDataUrl(blob);
}

function keep(store: TryOnStore, key: string, createdAt: number, image = jpegUrl) {
  return store.keepAvatar({ key, image, createdAt });
}

function keepResult(store: TryOnStore, key: string, createdAt: number, avatar?: string) {
  return store.setResult(key, {
    images: [pngUrl],
    predictionId: `p-${key}`,
    durationMs: 1000,
    createdAt,
    avatarKey: avatar,
  });
}

describe('cache keys', () => {
  it('keys an avatar by the selfie bytes and the parameters, not by how the output travels', async () => {
    const selfie = await makeJpeg(16, 16, { pattern: 'photo' });
    const other = await makeJpeg(16, 16, { pattern: 'quadrants' });
    const params = { aspect_ratio: '2:3', output_format: 'jpeg', prompt: 'athletic build' };
    const key = await avatarKey(selfie, params);
    expect(key).to.match(/^[0-9a-f]{64}$/);
    const copy = new Blob([await selfie.arrayBuffer()], { type: 'image/jpeg' });
    const reordered = { prompt: 'athletic build', output_format: 'jpeg', aspect_ratio: '2:3' };
    expect(await avatarKey(copy, { ...reordered, return_base64: false })).to.equal(key);
    expect(await avatarKey(other, params)).to.not.equal(key);
    expect(await avatarKey(selfie, { ...params, aspect_ratio: '1:1' })).to.not.equal(key);
    expect(await avatarKey(selfie, { ...params, prompt: undefined })).to.equal(
      await avatarKey(selfie, { aspect_ratio: '2:3', output_format: 'jpeg' }),
    );
  });

  it('keys a result by avatar, garment and try-on parameters including the seed', async () => {
    const params = { category: 'tops', mode: 'balanced', seed: 42, num_samples: 1 };
    const garment = `data:image/png;base64,${'A'.repeat(200_000)}`;
    const key = await resultKey('avatar-1', garment, params);
    expect(key).to.match(/^[0-9a-f]{64}$/);
    expect(await resultKey('avatar-1', garment, { ...params, model_image: 'blob:x' })).to.equal(
      key,
    );
    expect(await resultKey('avatar-1', garment, { ...params, seed: 43 })).to.not.equal(key);
    expect(await resultKey('avatar-2', garment, params)).to.not.equal(key);
    expect(await resultKey('avatar-1', `${garment}B`, params)).to.not.equal(key);
    expect(await digest('abc')).to.equal(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});

describe('TryOnStore', () => {
  let now = T0;
  const clock = () => now;

  beforeEach(async () => {
    now = T0;
    jpegUrl ??= await imageDataUrl(0);
    pngUrl ??= await blobToDataUrl(await makePng(6, 6));
  });

  it('keeps the avatar as image bytes and gives them back after a reload', async () => {
    const { name, useStore } = freshDb();
    const store = await openTryOnStore({ useStore, now: clock });
    expect(store.persistent).to.equal(true);
    const kept = await store.keepAvatar({ image: jpegUrl, createdAt: now, params: { a: 1 } });
    expect(kept.image).to.match(/^blob:/);
    expect(kept.key).to.equal(await digest(kept.blob!));
    expect(kept.expiresAt).to.equal(now + 30 * DAY);

    const raw = await rawEntries(name);
    const record = raw.find(([key]) => key === `avatar:${kept.key}`)?.[1] as {
      blob?: unknown;
      url?: string;
    };
    const [bytes] = raw.find(([key]) => key === `bytes:avatar:${kept.key}`)?.[1] as {
      $blob: ArrayBuffer;
      type: string;
    }[];
    // The record holds no image: listing and tidying never read the bytes.
    expect(record.blob).to.equal(undefined);
    // Bytes, not a Blob: WebKit refuses Blobs in IndexedDB in some sessions.
    expect(bytes.$blob).to.be.instanceOf(ArrayBuffer);
    expect(bytes.type).to.equal('image/jpeg');
    expect(record.url).to.equal(undefined);

    // A new page: a new store over the same database.
    const reloaded = await openTryOnStore({ useStore: createStore(name, STORE_NAME), now: clock });
    const avatar = (await reloaded.getAvatar())!;
    expect(avatar.key).to.equal(kept.key);
    expect(avatar.createdAt).to.equal(T0);
    expect(avatar.params).to.deep.equal({ a: 1 });
    expect(avatar.blob!.type).to.equal('image/jpeg');
    const original = await blobBytes(await imageBlob(jpegUrl));
    expect(await blobBytes(avatar.blob!)).to.deep.equal(original);
    const shown = await (await fetch(avatar.image)).arrayBuffer();
    expect(new Uint8Array(shown)).to.deep.equal(original);
    expect(await reloaded.modelImage(avatar, true)).to.equal(jpegUrl);
    // The same record read twice shows through the same object URL.
    expect((await reloaded.getAvatar())!.image).to.equal(avatar.image);
  });

  it('gives the FASHN URL as model_image only while certainly valid and base64 is not asked for', async () => {
    const bytes = await imageBlob(jpegUrl);
    const store = new TryOnStore({ kv: memoryKeyValue(), now: clock });
    const url = 'https://cdn.fashn.ai/outputs/abc/output_0.jpg';
    const avatar = await store.keepAvatar({ image: url, blob: bytes, createdAt: now, key: 'k' });
    expect(avatar.url).to.equal(url);
    expect(await store.modelImage(avatar, false)).to.equal(url);
    expect(await store.modelImage(avatar, true)).to.match(/^data:image\/jpeg;base64,/);
    now = T0 + URL_LIFETIME_MS;
    expect(await store.modelImage(avatar, false)).to.equal(await blobToDataUrl(bytes));
  });

  it('downloads an http(s) image with the injected fetch and refuses what is no image', async () => {
    const requested: string[] = [];
    const fakeCdn: typeof fetch = async (input) => {
      requested.push(String(input));
      return new Response(await imageBlob(pngUrl)); // no content-type: sniffed
    };
    const store = new TryOnStore({ kv: memoryKeyValue(), now: clock, fetch: fakeCdn });
    const kept = await store.keepAvatar({ image: 'https://cdn.example/a.png', createdAt: now });
    expect(requested).to.deep.equal(['https://cdn.example/a.png']);
    expect(kept.blob!.type).to.equal('image/png');
    expect(kept.url).to.equal('https://cdn.example/a.png');

    for (const image of ['ftp://x/a.png', 'data:image/png;base64,@@@', 'data:text/plain,hello']) {
      const error = await store.keepAvatar({ image, createdAt: now }).catch((e: unknown) => e);
      expect(error, image).to.be.instanceOf(FashnError);
      expect((error as FashnError).code).to.equal('storage');
    }
    expect((await store.getAvatar())!.key).to.equal(kept.key);
  });

  it('keeps results per key as bytes, shown through blob: URLs', async () => {
    const { useStore } = freshDb();
    const store = await openTryOnStore({ useStore, now: clock });
    await keep(store, 'A', now);
    await keepResult(store, 'r1', now, 'A');
    const result = (await store.getResult('r1'))!;
    expect(result.predictionId).to.equal('p-r1');
    expect(result.images).to.have.length(1);
    expect(result.images[0]).to.match(/^blob:/);
    expect(await blobBytes(result.blobs![0])).to.deep.equal(
      await blobBytes(await imageBlob(pngUrl)),
    );
    expect(await store.getResult('r2')).to.equal(undefined);
  });

  it('lets avatars and their results expire after cache-days, and purges them on open', async () => {
    const { name, useStore } = freshDb();
    const store = await openTryOnStore({ useStore, now: clock });
    await store.keepAvatar({ key: 'A', image: jpegUrl, createdAt: now, cacheDays: 2 });
    await keepResult(store, 'r1', now, 'A');
    await keepResult(store, 'r-free', now);
    await store.setPending({
      predictionId: 'x',
      model: 'tryon-v1.6',
      requestKey: 'q',
      startedAt: now,
    });

    now = T0 + 2 * DAY - 1;
    expect((await store.getAvatar())?.key).to.equal('A');
    expect(await store.getResult('r1')).to.not.equal(undefined);

    now = T0 + 2 * DAY;
    expect(await store.getResult('r1')).to.equal(undefined);
    // The next page opens the store: expired records are gone from the disk.
    await openTryOnStore({ useStore: createStore(name, STORE_NAME), now: clock });
    expect(await rawKeys(name)).to.deep.equal(['result:r-free']);
    expect(await store.getAvatar()).to.equal(undefined);
    expect(await store.listPending()).to.deep.equal([]);

    now = T0 + 30 * DAY;
    expect(await store.getResult('r-free')).to.equal(undefined);
  });

  it('forgets every record it wrote', async () => {
    const store = await openTryOnStore({ now: clock });
    await store.forgetAll();
    await keep(store, 'A', now);
    await keep(store, 'B', now + 1);
    await keepResult(store, 'r1', now, 'B');
    await store.setPending({
      predictionId: 'x',
      model: 'face-to-model',
      requestKey: 'q',
      startedAt: now,
    });
    expect(await rawKeys(DB_NAME)).to.deep.equal([
      'avatar:A',
      'avatar:B',
      'current',
      'pending:q',
      'result:r1',
    ]);

    await store.forgetAll();
    expect(await rawEntries(DB_NAME)).to.deep.equal([]);
    expect(await store.getAvatar()).to.equal(undefined);
    expect(await store.getResult('r1')).to.equal(undefined);
  });

  it('evicts the oldest avatars (never the current one) and the oldest results', async () => {
    const { name, useStore } = freshDb();
    const store = await openTryOnStore({ useStore, now: clock, maxAvatars: 3, maxResults: 3 });
    await keep(store, 'A', now + 1);
    await keep(store, 'B', now + 2);
    await keepResult(store, 'rA', now + 3, 'A');
    await keep(store, 'C', now + 4);
    await keep(store, 'D', now + 5);
    // A was the oldest: gone, and its result with it.
    expect(await rawKeys(name)).to.deep.equal(['avatar:B', 'avatar:C', 'avatar:D', 'current']);

    // B, the oldest, becomes current again: fewer places now evict C, not B.
    expect((await store.findAvatar('B'))?.key).to.equal('B');
    await openTryOnStore({ useStore: createStore(name, STORE_NAME), now: clock, maxAvatars: 2 });
    expect(await rawKeys(name)).to.deep.equal(['avatar:B', 'avatar:D', 'current']);

    for (let i = 1; i <= 4; i++) await keepResult(store, `r${i}`, now + 10 + i);
    expect(await store.getResult('r1')).to.equal(undefined);
    for (const key of ['r2', 'r3', 'r4'])
      expect(await store.getResult(key), key).to.not.equal(undefined);
  });

  it('drops the results of an avatar made again under the same key', async () => {
    const store = new TryOnStore({ kv: memoryKeyValue(), now: clock });
    await keep(store, 'A', now);
    await keepResult(store, 'r1', now + 1, 'A');
    await keep(store, 'A', now + 2, await imageDataUrl(3));
    expect(await store.getResult('r1')).to.equal(undefined);
  });

  it('meets a full disk by eviction, then succeeds on IndexedDB', async () => {
    const { name, useStore } = freshDb();
    const { disk, useStore: full } = fullDisk(useStore, 0);
    const store = await openTryOnStore({ useStore: full, now: clock });
    await keep(store, 'A', now + 1);
    await keep(store, 'B', now + 2);
    await keep(store, 'C', now + 3);
    for (let i = 1; i <= 4; i++) await keepResult(store, `r${i}`, now + 10 + i, 'C');

    disk.left = 1;
    await keep(store, 'D', now + 20);
    expect(disk.thrown).to.equal(1);
    expect(store.persistent).to.equal(true);
    expect(store.takeStorageError()).to.equal(undefined);
    // Only the current avatar (C) and the newer half of the results made room for D.
    expect(await rawKeys(name)).to.deep.equal([
      'avatar:C',
      'avatar:D',
      'current',
      'result:r3',
      'result:r4',
    ]);
    expect((await store.getAvatar())?.key).to.equal('D');
  });

  it('moves to page memory when the disk stays full, reporting once and losing nothing', async () => {
    const { name, useStore } = freshDb();
    const { disk, useStore: full } = fullDisk(useStore, 0);
    const store = await openTryOnStore({ useStore: full, now: clock });
    await keep(store, 'A', now + 1);

    disk.left = 'always';
    const b = await keep(store, 'B', now + 2);
    expect(b.key).to.equal('B');
    expect(store.persistent).to.equal(false);
    const failure = store.storageError!;
    expect(failure.code).to.equal('storage');
    expect(failure.step).to.equal('storage');
    expect(failure.retriable).to.equal(true);
    // Told once: the first to ask reports it, nobody after.
    expect(store.takeStorageError()).to.equal(failure);
    expect(store.takeStorageError()).to.equal(undefined);

    await keepResult(store, 'r1', now + 3, 'B');
    expect(store.storageError).to.equal(failure);
    expect(store.takeStorageError()).to.equal(undefined);
    expect((await store.getAvatar())?.key).to.equal('B');
    expect((await store.getResult('r1'))?.predictionId).to.equal('p-r1');
    expect((await store.findAvatar('A'))?.key).to.equal('A'); // kept from before the fallback
    expect(await rawKeys(name)).to.deep.equal(['avatar:A', 'current']);

    await store.forgetAll();
    expect(await rawEntries(name)).to.deep.equal([]);
    expect(await store.getAvatar()).to.equal(undefined);
  });

  it('records pending predictions for resume, younger than 60 minutes', async () => {
    const store = new TryOnStore({ kv: memoryKeyValue(), now: clock });
    const avatarRun = {
      predictionId: 'p1',
      model: 'face-to-model',
      requestKey: 'A',
      startedAt: now,
    } as const;
    const tryonRun = {
      predictionId: 'p2',
      model: 'tryon-v1.6',
      requestKey: 'r1',
      startedAt: now + 1000,
      avatarKey: 'A',
      garment: 'https://shop.example/tee.jpg',
    } as const;
    await store.setPending(avatarRun);
    await store.setPending(tryonRun);
    expect(await store.listPending()).to.deep.equal([tryonRun, avatarRun]);
    expect(await findPending(store, { garment: 'https://shop.example/tee.jpg' })).to.deep.equal(
      tryonRun,
    );
    expect(await findPending(store, { model: 'face-to-model' })).to.deep.equal(avatarRun);
    expect(await findPending(store, { garment: 'https://shop.example/other.jpg' })).to.equal(
      undefined,
    );

    now = T0 + RESUME_WINDOW_MS;
    expect(await store.listPending()).to.deep.equal([tryonRun]);
    await store.clearPending('r1');
    expect(await store.listPending()).to.deep.equal([]);
  });

  it('reads the records kept before the bytes had their own key', async () => {
    const { name, useStore } = freshDb();
    const jpeg = await imageBlob(jpegUrl);
    const png = await imageBlob(pngUrl);
    const packed = async (blob: Blob) => ({ $blob: await blob.arrayBuffer(), type: blob.type });
    const old = { createdAt: now, expiresAt: now + DAY };
    await set('avatar:A', { kind: 'avatar', key: 'A', blob: await packed(jpeg), ...old }, useStore);
    await set('current', 'A', useStore);
    await set(
      'result:r1',
      {
        kind: 'result',
        avatarKey: 'A',
        blobs: [await packed(png)],
        predictionId: 'p',
        durationMs: 1,
        ...old,
      },
      useStore,
    );
    const store = await openTryOnStore({ useStore, now: clock });
    const avatar = (await store.getAvatar())!;
    expect(await blobBytes(avatar.blob!)).to.deep.equal(await blobBytes(jpeg));
    const result = (await store.getResult('r1'))!;
    expect(await blobBytes(result.blobs![0])).to.deep.equal(await blobBytes(png));
    // Opening tidied nothing away.
    expect((await rawEntries(name)).map(([key]) => key).sort()).to.deep.equal([
      'avatar:A',
      'current',
      'result:r1',
    ]);
  });

  it('opens, tidies and lists pending predictions on IndexedDB without reading the kept images', async () => {
    const { name, useStore } = freshDb();
    const store = await openTryOnStore({ useStore, now: clock });
    const kept = await store.keepAvatar({ image: jpegUrl, createdAt: now });
    await keepResult(store, 'r1', now, kept.key);
    const run = {
      predictionId: 'p1',
      model: 'face-to-model',
      requestKey: 'A',
      startedAt: now,
    } as const;
    await store.setPending(run);
    // Every value IndexedDB hands out while a new page opens the store (a tidy), a result is
    // kept (another), and the pending predictions are listed.
    const read: unknown[] = [];
    const proto = IDBObjectStore.prototype;
    // The memory reads values with get and getAll only (idb-keyval's getMany is gets).
    const { get, getAll } = proto;
    const record = <A extends unknown[]>(fn: (this: IDBObjectStore, ...args: A) => IDBRequest) =>
      function (this: IDBObjectStore, ...args: A) {
        const request = fn.apply(this, args);
        request.addEventListener('success', () => read.push(request.result));
        return request;
      };
    proto.get = record(get);
    proto.getAll = record(getAll);
    try {
      const reopened = await openTryOnStore({
        useStore: createStore(name, STORE_NAME),
        now: clock,
      });
      await keepResult(reopened, 'r2', now + 1, kept.key);
      expect(await reopened.listPending()).to.deep.equal([run]);
    } finally {
      Object.assign(proto, { get, getAll });
    }
    expect(read.length).to.be.greaterThan(0);
    expect(
      JSON.stringify(read, (_, v) => (v instanceof ArrayBuffer ? '$bytes' : v)),
    ).not.to.include('$bytes');
  });
});

describe('without IndexedDB', () => {
  beforeEach(async () => {
    jpegUrl ??= await imageDataUrl(0);
  });
  const realOpen = Object.getOwnPropertyDescriptor(indexedDB, 'open');
  afterEach(() => {
    if (realOpen) Object.defineProperty(indexedDB, 'open', realOpen);
    else delete (indexedDB as Partial<IDBFactory>).open;
  });

  /** A store in page memory that tells its failure once; returns that failure. */
  async function expectMemoryStore(store: TryOnStore): Promise<FashnError> {
    expect(store.persistent).to.equal(false);
    const failure = store.takeStorageError()!;
    expect(failure.code).to.equal('storage');
    const avatar: KeptAvatar = await store.keepAvatar({
      key: 'A',
      image: jpegUrl,
      createdAt: Date.now(),
    });
    expect((await store.getAvatar())?.key).to.equal(avatar.key);
    await store.forgetAll();
    expect(await store.getAvatar()).to.equal(undefined);
    expect(store.storageError).to.equal(failure);
    expect(store.takeStorageError()).to.equal(undefined);
    return failure;
  }

  it('keeps everything in page memory when indexedDB.open throws', async () => {
    indexedDB.open = () => {
      throw new DOMException('Storage is blocked', 'SecurityError');
    };
    const failure = await expectMemoryStore(await openTryOnStore());
    expect((failure.cause as Error).name).to.equal('SecurityError');
  });

  it('keeps everything in page memory when opening fails (onerror)', async () => {
    indexedDB.open = () => {
      const request = {} as IDBOpenDBRequest & { error: DOMException };
      setTimeout(() => {
        request.error = new DOMException('No IndexedDB in private mode', 'InvalidStateError');
        request.onerror?.(new Event('error'));
      });
      return request;
    };
    await expectMemoryStore(await openTryOnStore());
  });

  it('keeps everything in page memory when opening never answers (blocked)', async () => {
    indexedDB.open = () => ({}) as IDBOpenDBRequest;
    await expectMemoryStore(await openTryOnStore({ openTimeoutMs: 100 }));
  });
});

describe('shareWork', () => {
  const deferred = <T>() => {
    let resolve!: (value: T) => void;
    const promise = new Promise<T>((r) => (resolve = r));
    return { promise, resolve };
  };

  for (const locks of [null, undefined]) {
    it(`runs the work once for three concurrent callers (${locks === null ? 'page only' : 'Web Locks'})`, async () => {
      let calls = 0;
      const done = deferred<string>();
      const work = async () => {
        calls++;
        return done.promise;
      };
      const key = `three-${locks}-${Date.now()}`;
      const all = Promise.all([1, 2, 3].map(() => shareWork(key, work, { locks })));
      await waitUntil(() => calls === 1);
      done.resolve('avatar');
      expect(await all).to.deep.equal(['avatar', 'avatar', 'avatar']);
      expect(calls).to.equal(1);
      // Finished work is not shared any more: a later call runs again.
      expect(await shareWork(key, async () => `again-${++calls}`, { locks })).to.equal('again-2');
    });
  }

  it('takes the Web Lock and re-checks the cache once another tab is done', async () => {
    const key = `tab-${Date.now()}`;
    const otherTab = deferred<void>();
    let cached: string | undefined;
    // Another tab of the shop makes this avatar, holding the lock.
    const held = navigator.locks.request(LOCK_PREFIX + key, () => otherTab.promise);
    let calls = 0;
    const waiting = shareWork(key, async () => `made-${++calls}`, { recheck: async () => cached });
    await waitUntil(async () => {
      const { pending = [] } = await navigator.locks.query();
      return pending.some((lock) => lock.name === LOCK_PREFIX + key);
    });
    cached = 'made-by-the-other-tab';
    otherTab.resolve();
    await held;
    expect(await waiting).to.equal('made-by-the-other-tab');
    expect(calls).to.equal(0);

    // Nothing cached: the work runs inside the lock.
    cached = undefined;
    const inside = await shareWork(key, async () => {
      const { held: locks = [] } = await navigator.locks.query();
      return locks.some((lock) => lock.name === LOCK_PREFIX + key);
    });
    expect(inside).to.equal(true);
  });

  it('lets one caller give up without stopping the others, and stops the work when all have', async () => {
    const key = `abort-${Date.now()}`;
    const done = deferred<string>();
    let workSignal: AbortSignal | undefined;
    const work = async (signal: AbortSignal) => {
      workSignal = signal;
      return done.promise;
    };
    const first = new AbortController();
    const second = new AbortController();
    const a = shareWork(key, work, { signal: first.signal });
    const b = shareWork(key, work, { signal: second.signal });
    await waitUntil(() => workSignal);
    first.abort(new Error('first gave up'));
    expect(((await a.catch((e: unknown) => e)) as Error).message).to.equal('first gave up');
    expect(workSignal!.aborted).to.equal(false);
    second.abort(new Error('second gave up'));
    expect(((await b.catch((e: unknown) => e)) as Error).message).to.equal('second gave up');
    expect(workSignal!.aborted).to.equal(true);
    done.resolve('late');
    // A new caller does not join the abandoned work.
    expect(await shareWork(key, async () => 'fresh')).to.equal('fresh');
  });
});
