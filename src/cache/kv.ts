/**
 * The two key-value backends of the element's memory: the element's own
 * IndexedDB store (through idb-keyval) and a Map for the page's life, used when
 * IndexedDB is missing, refuses or fails (private modes, blocked storage, quota).
 */
import { clear, createStore, delMany, entries, get, set, type UseStore } from 'idb-keyval';

/** The element's own IndexedDB database and object store (not idb-keyval's default one). */
export const DB_NAME = 'fashn-try-on';
export const STORE_NAME = 'kv';

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

/** The field that marks a Blob kept as its bytes (see `pack`). */
const BYTES = 'fashnBytes';

/**
 * A record's Blobs (top level, fields, arrays) as `{ fashnBytes, type }`:
 * WebKit refuses Blobs in IndexedDB in some sessions (Safari's private
 * windows; WebKitGTK under automation, measured in the browser tests) but
 * stores ArrayBuffers everywhere.
 */
async function pack(value: unknown): Promise<unknown> {
  if (value instanceof Blob) return { [BYTES]: await value.arrayBuffer(), type: value.type };
  if (Array.isArray(value)) return Promise.all(value.map(pack));
  if (value?.constructor !== Object) return value;
  const fields = Object.entries(value as object);
  return Object.fromEntries(await Promise.all(fields.map(async ([k, v]) => [k, await pack(v)])));
}

/** `pack` undone: the Blobs back. */
function unpack(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unpack);
  if (value?.constructor !== Object) return value;
  const { [BYTES]: bytes, type } = value as { [BYTES]?: ArrayBuffer; type?: string };
  if (bytes) return new Blob([bytes], { type });
  return Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, unpack(v)]));
}

/**
 * IndexedDB through idb-keyval, by default in `fashn-try-on`/`kv`. The database
 * is opened on first use; `indexedDB.open` throwing becomes a rejection. Blobs
 * are kept as their bytes (see `pack`).
 */
export function idbKeyValue(store?: UseStore): KeyValue {
  let use = store;
  const db = () => (use ??= createStore(DB_NAME, STORE_NAME));
  return {
    persistent: true,
    get: async <T>(key: string) => unpack(await get(key, db())) as T | undefined,
    set: async (key, value) => set(key, await pack(value), db()),
    delMany: async (keys) => delMany(keys, db()),
    entries: async () =>
      (await entries<string, unknown>(db())).map(([key, value]) => [key, unpack(value)]),
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
