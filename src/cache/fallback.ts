/**
 * Opening the element's memory: IndexedDB when it works, otherwise page memory
 * for the page's life with one non-fatal `storage` error (private modes,
 * blocked storage, `indexedDB.open` throwing, erroring or never answering).
 */
import { memoryKeyValue } from './kv.js';
import { TryOnStore, type TryOnStoreOptions } from './store.js';

export { memoryKeyValue } from './kv.js';

/**
 * The memory kept in this page only, until it unloads (what an element with
 * `remember="false"` uses; nothing reaches IndexedDB).
 */
export class PageMemory extends TryOnStore {
  constructor(options: Omit<TryOnStoreOptions, 'kv' | 'useStore'> = {}) {
    super({ ...options, kv: memoryKeyValue() });
  }
}

/**
 * A ready store: IndexedDB opened and purged of expired records, or page memory
 * when that failed. Never rejects; `store.persistent` tells which, and
 * `store.takeStorageError()` gives the failure once.
 */
export function openTryOnStore(options: TryOnStoreOptions = {}): Promise<TryOnStore> {
  return new TryOnStore(options).open();
}

let shared: Promise<TryOnStore> | undefined;

/**
 * The page's store in the default database, shared by every element that may
 * remember (`remember="true"`), so they share one avatar and one set of object URLs.
 */
export function sharedTryOnStore(): Promise<TryOnStore> {
  return (shared ??= openTryOnStore());
}
