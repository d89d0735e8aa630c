/**
 * The two key-value backends of the element's memory: the element's own
 * IndexedDB store (through idb-keyval) and a Map for the page's life, used when
 * IndexedDB is missing, refuses or fails (private modes, blocked storage, quota).
 */
import { clear, createStore, delMany, entries, get, set, type UseStore } from 'idb-keyval';

import { DB_NAME, STORE_NAME } from './memory.js';

export { DB_NAME, STORE_NAME } from './memory.js';

/** The few operations the memory needs. Every method rejects (never throws) on failure. */
export interface KeyValue {
  /** Whether values outlive the page (IndexedDB) or only live in it (memory). */
  readonly persistent: boolean;
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  delMany(keys: string[]): Promise<void>;
  entries(): Promise<[string, unknown][]>;
  clear(): Promise<void>;
}

/**
 * IndexedDB through idb-keyval, by default in `fashn-try-on`/`kv`. The database
 * is opened on first use; `indexedDB.open` throwing becomes a rejection.
 */
export function idbKeyValue(store?: UseStore): KeyValue {
  let use = store;
  const db = () => (use ??= createStore(DB_NAME, STORE_NAME));
  return {
    persistent: true,
    get: async (key) => get(key, db()),
    set: async (key, value) => set(key, value, db()),
    delMany: async (keys) => delMany(keys, db()),
    entries: async () => entries<string, unknown>(db()),
    clear: async () => clear(db()),
  };
}

/** A Map for the page's life; values are kept as they are (Blobs by reference). */
export function memoryKeyValue(map = new Map<string, unknown>()): KeyValue {
  return {
    persistent: false,
    get: async <T>(key: string) => map.get(key) as T | undefined,
    set: async (key, value) => void map.set(key, value),
    delMany: async (keys) => keys.forEach((key) => map.delete(key)),
    entries: async () => [...map],
    clear: async () => map.clear(),
  };
}
