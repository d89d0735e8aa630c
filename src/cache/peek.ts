/**
 * A quick look into the element's memory before anything else loads: does it
 * hold something the element must show or finish at once (a kept avatar, a
 * prediction in flight)? Reads IndexedDB directly, without the store or
 * idb-keyval, so a product page loads neither before the shopper asks.
 */
import {
  AVATAR_PREFIX,
  CURRENT_KEY,
  DB_NAME,
  PENDING_PREFIX,
  RESUME_WINDOW_MS,
  STORE_NAME,
  type TryOnMemory,
} from './memory.js';

interface Timed {
  expiresAt?: number;
  startedAt?: number;
}

/** What the peek needs: the current avatar's record and the predictions in flight. */
interface Peeked {
  avatar?: Timed;
  pending?: Timed[];
}

/**
 * The current avatar's record and the `pending:` records, read by key (never the
 * results, whose images can be many megabytes); undefined when IndexedDB cannot
 * tell (refuses or gives no answer). No database yet means nothing kept: it is not
 * created (a product page writes nothing to a shopper's storage before anyone asks).
 */
async function peekRecords(): Promise<Peeked | undefined> {
  // Not listed: never written (WebKit keeps the name of a database even when its creation
  // is aborted, so it is not opened at all).
  const known = await indexedDB.databases?.().catch(() => undefined);
  if (known && !known.some((db) => db.name === DB_NAME)) return {};
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), 3000);
    const settle = (db: IDBDatabase | undefined, found?: Peeked) => {
      clearTimeout(timer);
      db?.close();
      resolve(found);
    };
    let fresh = false;
    const open = indexedDB.open(DB_NAME);
    open.onupgradeneeded = () => {
      fresh = true;
      open.transaction?.abort();
    };
    open.onerror = () => settle(undefined, fresh ? {} : undefined);
    open.onsuccess = () => {
      const db = open.result;
      const found: Peeked = {};
      let transaction: IDBTransaction;
      try {
        transaction = db.transaction(STORE_NAME);
      } catch {
        return settle(db);
      }
      const store = transaction.objectStore(STORE_NAME);
      const current = store.get(CURRENT_KEY);
      current.onsuccess = () => {
        if (typeof current.result !== 'string') return;
        const avatar = store.get(`${AVATAR_PREFIX}${current.result}`);
        avatar.onsuccess = () => (found.avatar = avatar.result as Timed | undefined);
      };
      const pending = store.getAll(IDBKeyRange.bound(PENDING_PREFIX, `${PENDING_PREFIX}\uffff`));
      pending.onsuccess = () => (found.pending = pending.result as Timed[]);
      transaction.oncomplete = () => settle(db, found);
      transaction.onerror = transaction.onabort = () => settle(db);
    };
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
    const found = await peekRecords();
    if (!found) return true;
    if ((found.avatar?.expiresAt ?? 0) > now) return true;
    return !!found.pending?.some((record) => (record?.startedAt ?? 0) > now - RESUME_WINDOW_MS);
  } catch {
    return true;
  }
}
