/**
 * The shell's quick look into memory (src/cache/peek.ts), in a page of its own: a first
 * visit must not create the database, which needs no connection open to it yet.
 */
import { expect } from '@open-wc/testing';
import { blobToDataUrl } from '../../src/capture/data-url.js';
import { openTryOnStore } from '../../src/cache/fallback.js';
import { DB_NAME, RESUME_WINDOW_MS } from '../../src/cache/memory.js';
import { holdsWork } from '../../src/cache/peek.js';
import { makeJpeg } from '../support/images.js';

describe('the shell’s peek into memory', () => {
  it('finds nothing on a first visit and writes nothing: no database is created', async () => {
    // This page has opened no connection yet, so an earlier file's database can go.
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.deleteDatabase(DB_NAME);
      request.onsuccess = () => resolve();
      request.onerror = () => reject(request.error ?? new Error('delete failed'));
    });
    expect(await holdsWork(undefined, true)).to.equal(false);
    const names = (await indexedDB.databases()).map((db) => db.name);
    expect(names).to.not.include(DB_NAME);
  });

  it('finds a kept avatar and a prediction in flight, and nothing once they are old', async () => {
    const now = Date.now();
    const image = await blobToDataUrl(await makeJpeg(16, 16, { pattern: 'photo' }));
    const store = await openTryOnStore();
    await store.keepAvatar({ key: 'A', image, createdAt: now, cacheDays: 1 });
    expect(await holdsWork(undefined, true, now)).to.equal(true);
    expect(await holdsWork(undefined, true, now + 2 * 86_400_000)).to.equal(false);
    await store.forgetAll();
    expect(await holdsWork(undefined, true, now)).to.equal(false);
    await store.setPending({ requestKey: 'r1', model: 'face-to-model', startedAt: now });
    expect(await holdsWork(undefined, true, now)).to.equal(true);
    expect(await holdsWork(undefined, true, now + RESUME_WINDOW_MS + 1)).to.equal(false);
    await store.forgetAll();
  });
});
