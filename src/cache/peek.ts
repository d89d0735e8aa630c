/**
 * A quick look into the element's memory before anything else loads: does it
 * hold something the element must show or finish at once (a kept avatar, a
 * prediction in flight)? Reads IndexedDB directly, without the store or
 * idb-keyval, so a product page loads neither before the shopper asks.
 */
import { DB_NAME, RESUME_WINDOW_MS, STORE_NAME, type TryOnMemory } from './memory.js';

interface Timed {
  expiresAt?: number;
  startedAt?: number;
}

/** Every key and value of the element's database (created empty, as the store would, when missing). */
function readAll(): Promise<[IDBValidKey[], unknown[]]> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(DB_NAME);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE_NAME);
    open.onerror = () => reject(open.error ?? new Error('IndexedDB refused to open'));
    open.onsuccess = () => {
      const db = open.result;
      const store = db.transaction(STORE_NAME).objectStore(STORE_NAME);
      const keys = store.getAllKeys();
      const values = store.getAll();
      values.onsuccess = () => {
        db.close();
        resolve([keys.result, values.result]);
      };
      values.onerror = () => reject(values.error ?? new Error('IndexedDB refused to read'));
    };
    setTimeout(() => reject(new Error('IndexedDB gave no answer')), 3000);
  });
}

/**
 * True when `memory` (or, without one, the page's IndexedDB memory if
 * `remember`) holds a current avatar or a prediction started within the resume
 * window; also when it cannot tell (so that what went wrong is reported).
 */
export async function holdsWork(
  memory: TryOnMemory | undefined,
  remember: boolean,
  now = Date.now(),
): Promise<boolean> {
  try {
    if (memory) return !!(await memory.getAvatar()) || (await memory.listPending()).length > 0;
    if (!remember) return false;
    const [keys, values] = await readAll();
    const entries = new Map<string, unknown>(
      keys.map((key, i) => [typeof key === 'string' ? key : '', values[i]]),
    );
    const current = entries.get('current');
    const avatar =
      typeof current === 'string' ? (entries.get(`avatar:${current}`) as Timed) : undefined;
    if ((avatar?.expiresAt ?? 0) > now) return true;
    return [...entries].some(
      ([key, value]) =>
        key.startsWith('pending:') && ((value as Timed).startedAt ?? 0) > now - RESUME_WINDOW_MS,
    );
  } catch {
    return true;
  }
}
