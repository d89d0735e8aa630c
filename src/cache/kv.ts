/**
 * The two key-value backends of the element's memory: the element's own
 * IndexedDB store (an idb-keyval store) and a Map for the page's life, used when
 * IndexedDB is missing, refuses or fails (private modes, blocked storage, quota).
 */
import { createStore, promisifyRequest, type UseStore } from 'idb-keyval';

import { DB_NAME, STORE_NAME } from './memory.js';

export { DB_NAME, STORE_NAME } from './memory.js';

/** The few operations the memory needs. Every method rejects (never throws) on failure. */
export interface KeyValue {
  /** Whether values outlive the page (IndexedDB) or only live in it (memory). */
  readonly persistent: boolean;
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  /** Every entry at once (one transaction: a reader sees all of them or none). */
  setMany(entries: [string, unknown][]): Promise<void>;
  delMany(keys: string[]): Promise<void>;
  keys(): Promise<string[]>;
  /**
   * The entries of `keys` (default: every key), with only their values read (what is
   * not asked for, the kept images say, stays on disk).
   */
  entries(keys?: string[]): Promise<[string, unknown][]>;
  clear(): Promise<void>;
}

/** A Blob kept as its bytes (see `pack`). */
interface Packed {
  $blob: ArrayBuffer;
  type: string;
}

/** `value` with `leaf` applied to it, or else to everything in its plain objects and arrays. */
async function walk(value: unknown, leaf: (value: unknown) => unknown): Promise<unknown> {
  const changed = await leaf(value);
  if (changed !== value || !(Array.isArray(value) || value?.constructor === Object)) return changed;
  // An array stays an array; both are walked by key.
  const copy = (
    Array.isArray(value) ? [...(value as unknown[])] : { ...(value as Record<string, unknown>) }
  ) as Record<string, unknown>;
  for (const key in copy) copy[key] = await walk(copy[key], leaf);
  return copy;
}

/**
 * Blobs as `{ $blob: ArrayBuffer, type }`: WebKit refuses Blobs in IndexedDB
 * in some sessions (Safari's private windows; WebKitGTK under automation,
 * measured in the browser tests) but stores ArrayBuffers everywhere.
 */
const pack = (value: unknown) =>
  walk(value, async (v) =>
    v instanceof Blob ? ({ $blob: await v.arrayBuffer(), type: v.type } satisfies Packed) : v,
  );

/** `pack` undone: the Blobs back. */
const unpack = (value: unknown) =>
  walk(value, (v) =>
    (v as Packed | null)?.$blob ? new Blob([(v as Packed).$blob], v as Packed) : v,
  );

/**
 * IndexedDB through an idb-keyval store, by default `fashn-try-on`/`kv`. The database
 * is opened on first use; `indexedDB.open` throwing becomes a rejection. Blobs
 * are kept as their bytes (see `pack`). The operations are idb-keyval's, written
 * against the store directly: its own carry a default database and a cursor
 * fallback for browsers without `getAllKeys`, neither of which this memory uses.
 */
export function idbKeyValue(store?: UseStore): KeyValue {
  let use = store;
  const db = () => (use ??= createStore(DB_NAME, STORE_NAME));
  /** `change` in one read-write transaction, settled when the transaction is. */
  const write = (change: (store: IDBObjectStore) => void) =>
    db()('readwrite', (store) => {
      change(store);
      return promisifyRequest(store.transaction);
    });
  const setMany = async (entries: [string, unknown][]) => {
    const packed = (await pack(entries)) as [string, unknown][];
    return write((store) => packed.forEach(([key, value]) => store.put(value, key)));
  };
  const keys = async () =>
    (await db()('readonly', (store) => promisifyRequest(store.getAllKeys()))) as string[];
  const entries = async (wanted?: string[]) => {
    const chosen = wanted ?? (await keys());
    const values = await db()('readonly', (store) =>
      Promise.all(chosen.map((key) => promisifyRequest<unknown>(store.get(key)))),
    );
    return (await unpack(chosen.map((key, i) => [key, values[i]]))) as [string, unknown][];
  };
  return {
    persistent: true,
    get: async <T>(key: string) => (await entries([key]))[0]?.[1] as T | undefined,
    set: (key, value) => setMany([[key, value]]),
    setMany,
    delMany: async (keys) => write((store) => keys.forEach((key) => store.delete(key))),
    keys,
    entries,
    clear: async () => write((store) => store.clear()),
  };
}

/** A Map for the page's life; values are kept as they are (Blobs by reference). */
export function memoryKeyValue(map = new Map<string, unknown>()): KeyValue {
  return {
    persistent: false,
    get: async <T>(key: string) => map.get(key) as T | undefined,
    set: async (key, value) => void map.set(key, value),
    setMany: async (entries) => entries.forEach(([key, value]) => map.set(key, value)),
    delMany: async (keys) => keys.forEach((key) => map.delete(key)),
    keys: async () => [...map.keys()],
    entries: async (wanted = [...map.keys()]) =>
      wanted.filter((key) => map.has(key)).map((key): [string, unknown] => [key, map.get(key)]),
    clear: async () => map.clear(),
  };
}
