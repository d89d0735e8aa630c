/**
 * The element's memory (README "Privacy": on the shopper's device): avatars as image bytes with
 * their expiry, results per (avatar, garment, parameters), the current avatar,
 * and predictions in flight for resume. Bounded (oldest evicted first), purged
 * of expired records on open; a full disk is met by eviction, and any storage
 * failure by carrying on in page memory, reported once as a `storage` error.
 *
 * Records, all in the element's own database (`fashn-try-on`/`kv`):
 * `avatar:<key>`, `result:<key>`, `pending:<requestKey>` and `current` (the key of
 * the current avatar). An avatar's or a result's image bytes are under `bytes:` and
 * its record's key, written with it in one transaction: listing and tidying read the
 * records only, never the images (records from before kept their bytes inline, and
 * are read as they are).
 */
import type { UseStore } from 'idb-keyval';
import { FashnError } from '../api/errors.js';
import { blobToDataUrl } from '../capture/data-url.js';
import type { AvatarToKeep, KeptAvatar, KeptResult, TryOnMemory } from './memory.js';
import { digest } from './keys.js';
import { idbKeyValue, memoryKeyValue, type KeyValue } from './kv.js';
import {
  AVATAR_PREFIX,
  CURRENT_KEY as CURRENT,
  PENDING_PREFIX,
  RESUME_WINDOW_MS,
} from './memory.js';
import type { PendingPrediction } from './resume.js';

const DAY_MS = 86_400_000;
/** FASHN serves CDN outputs for 72 h after completion; an hour's margin makes "certainly valid". */
export const URL_LIFETIME_MS = 71 * 3_600_000;

export interface TryOnStoreOptions {
  /** The backend; default IndexedDB (`useStore`, default the `fashn-try-on`/`kv` store). */
  kv?: KeyValue;
  useStore?: UseStore;
  /** Clock in ms, default `Date.now`. */
  now?: () => number;
  /** Downloads https outputs to keep their bytes, default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Days an avatar (and its results) lives unless `setAvatar` says otherwise, default 30. */
  cacheDays?: number;
  /** Avatars kept, current included, default 3. */
  maxAvatars?: number;
  /** Results kept, default 30. */
  maxResults?: number;
  /** How long `open()` waits for IndexedDB before using memory, default 5000 ms. */
  openTimeoutMs?: number;
}

/** The image bytes of record `<id>` are under `bytes:<id>`. */
const BYTES = 'bytes:';

interface AvatarRecord {
  kind: 'avatar';
  key: string;
  /** Records written before the bytes had their own key. */
  blob?: Blob;
  createdAt: number;
  expiresAt: number;
  url?: string;
  params?: Record<string, unknown>;
}

interface ResultRecord {
  kind: 'result';
  avatarKey?: string;
  /** Records written before the bytes had their own key. */
  blobs?: Blob[];
  predictionId: string;
  durationMs: number;
  createdAt: number;
  expiresAt: number;
}

type PendingRecord = PendingPrediction & { kind: 'pending' };
type StoredRecord = AvatarRecord | ResultRecord | PendingRecord;

const isRecord = (entry: [string, unknown]): entry is [string, StoredRecord] =>
  typeof (entry[1] as StoredRecord | undefined)?.kind === 'string';

/** A storage failure as the element reports it (non-fatal, code `storage`). */
export function storageError(message: string, cause?: unknown): FashnError {
  return new FashnError({ code: 'storage', step: 'storage', message, cause });
}

function isQuotaError(error: unknown): boolean {
  return (error as Error | null)?.name === 'QuotaExceededError';
}

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`IndexedDB gave no answer in ${ms} ms`)), ms);
    promise.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

/**
 * The bytes of an image given as a `data:` URL (decoded here: fetching one would
 * need `connect-src data:`), or an http(s) or `blob:` URL (downloaded with
 * `fetchImpl`). Bytes without an image type get the one their header says.
 */
export async function imageBlob(image: string, fetchImpl: typeof fetch = fetch): Promise<Blob> {
  const data = /^data:([^,]*?)(;base64)?,(.*)$/is.exec(image);
  let blob: Blob;
  if (data) {
    const [, type = '', base64, payload = ''] = data;
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = base64
        ? Uint8Array.from(atob(payload), (c) => c.charCodeAt(0))
        : new TextEncoder().encode(decodeURIComponent(payload));
    } catch (cause) {
      throw storageError('The image to keep is not a valid data: URL', cause);
    }
    blob = new Blob([bytes], { type: type.split(';')[0] });
  } else if (/^(https?|blob):/i.test(image)) {
    const response = await fetchImpl(image);
    if (!response.ok)
      throw storageError(`Could not download the image to keep it (HTTP ${response.status})`);
    blob = await response.blob();
  } else {
    throw storageError(`Cannot keep "${image.slice(0, 24)}…": not a data:, http(s) or blob: URL`);
  }
  if (blob.type.startsWith('image/')) return blob;
  // Untyped bytes are rare (a server without a Content-Type): the header reader (in the
  // file pipeline's chunk) loads for them only.
  const { readImageHeader } = await import('../capture/normalize.js');
  const { format } = readImageHeader(new Uint8Array(await blob.slice(0, 64).arrayBuffer()));
  if (format === 'unknown') throw storageError('The image to keep is not an image');
  return new Blob([blob], { type: `image/${format === 'svg' ? 'svg+xml' : format}` });
}

/**
 * The element's memory over IndexedDB (or page memory), implementing the
 * memory contract (`TryOnMemory`, with the resume records). Methods do
 * not fail on storage trouble: they move to page memory and tell it once,
 * to the first who asks (`takeStorageError()`: one channel). Only bad input (an image that cannot
 * be read) and a failed `forgetAll()` reject.
 */
export class TryOnStore implements TryOnMemory {
  #kv: KeyValue;
  /** IndexedDB after a fallback, while it may still hold records from before it. */
  #left: KeyValue | undefined;
  #falling: Promise<void> | undefined;
  #failure: FashnError | undefined;
  #failureTaken = false;
  readonly #urls = new Map<string, string[]>();
  readonly #now: () => number;
  readonly #fetch: typeof fetch;
  readonly #cacheDays: number;
  readonly #maxAvatars: number;
  readonly #maxResults: number;
  readonly #openTimeoutMs: number;

  constructor(options: TryOnStoreOptions = {}) {
    this.#kv = options.kv ?? idbKeyValue(options.useStore);
    this.#now = options.now ?? Date.now;
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#cacheDays = options.cacheDays ?? 30;
    this.#maxAvatars = Math.max(1, options.maxAvatars ?? 3);
    this.#maxResults = options.maxResults ?? 30;
    this.#openTimeoutMs = options.openTimeoutMs ?? 5000;
  }

  /** False when everything lives in page memory (no IndexedDB, or it failed). */
  get persistent(): boolean {
    return this.#kv.persistent;
  }

  /** The failure that moved this store to page memory, if one did. */
  get storageError(): FashnError | undefined {
    return this.#failure;
  }

  /** That failure, the first time only: elements sharing a store report it once per page. */
  takeStorageError(): FashnError | undefined {
    if (this.#failureTaken || !this.#failure) return undefined;
    this.#failureTaken = true;
    return this.#failure;
  }

  /** Opens the database (page memory if it fails or hangs), purges expired records, enforces the limits. */
  async open(): Promise<this> {
    await this.#use((kv) => within(this.#tidy(kv), this.#openTimeoutMs));
    return this;
  }

  /** The current avatar, unless it has expired. */
  getAvatar(): Promise<KeptAvatar | undefined> {
    return this.#use(async (kv) => {
      const key = await kv.get<string>(CURRENT);
      return key === undefined ? undefined : this.#avatar(kv, key);
    });
  }

  /** The avatar kept under `key` (see `avatarKey`), which becomes the current one. */
  findAvatar(key: string): Promise<KeptAvatar | undefined> {
    return this.#use(async (kv) => {
      const avatar = await this.#avatar(kv, key);
      if (avatar) await kv.set(CURRENT, key);
      return avatar;
    });
  }

  /**
   * Keeps `avatar` (its bytes: given, decoded or downloaded) as the current one,
   * for `cacheDays`. Results made with an earlier avatar under the same key go.
   */
  async keepAvatar(avatar: AvatarToKeep): Promise<KeptAvatar> {
    const blob = avatar.blob ?? (await imageBlob(avatar.image, this.#fetch));
    const key = avatar.key ?? (await digest(blob));
    const { createdAt, params } = avatar;
    const record: AvatarRecord = {
      kind: 'avatar',
      key,
      createdAt,
      expiresAt: createdAt + (avatar.cacheDays ?? this.#cacheDays) * DAY_MS,
      params,
    };
    if (/^https:/i.test(avatar.image)) record.url = avatar.image;
    const id = `${AVATAR_PREFIX}${key}`;
    await this.#use(async (kv) => {
      await kv.setMany([
        [id, record],
        [BYTES + id, [blob]],
        [CURRENT, key],
      ]);
      await this.#tidy(
        kv,
        false,
        (r) => r.kind === 'result' && r.avatarKey === key && r.createdAt < createdAt,
      );
    });
    this.#urls.delete(id);
    return this.#stored(record, blob);
  }

  /** Removes every record this store wrote, in IndexedDB and in page memory. Rejects if IndexedDB refuses. */
  async forgetAll(): Promise<void> {
    for (const urls of this.#urls.values()) urls.forEach((url) => URL.revokeObjectURL(url));
    this.#urls.clear();
    await this.#falling;
    await this.#kv.clear();
    await this.#left?.clear();
    this.#left = undefined;
  }

  /** The result kept under `key` (see `resultKey`), unless expired. */
  getResult(key: string): Promise<KeptResult | undefined> {
    return this.#use(async (kv) => {
      const id = `result:${key}`;
      const record = await kv.get<ResultRecord>(id);
      if (!record || record.expiresAt <= this.#now()) return undefined;
      const { predictionId, durationMs, createdAt, avatarKey } = record;
      const blobs = record.blobs ?? (await kv.get<Blob[]>(BYTES + id));
      if (!blobs?.length) return undefined;
      const images = this.#objectUrls(id, blobs);
      return { images, blobs, predictionId, durationMs, createdAt, avatarKey };
    });
  }

  /** Keeps `result` (its bytes: given, decoded or downloaded); it expires with its avatar. */
  async setResult(key: string, result: KeptResult): Promise<void> {
    const blobs =
      result.blobs ?? (await Promise.all(result.images.map((i) => imageBlob(i, this.#fetch))));
    const { avatarKey, predictionId, durationMs, createdAt } = result;
    const id = `result:${key}`;
    await this.#use(async (kv) => {
      const avatar = avatarKey && (await kv.get<AvatarRecord>(`${AVATAR_PREFIX}${avatarKey}`));
      const expiresAt = avatar ? avatar.expiresAt : createdAt + this.#cacheDays * DAY_MS;
      const record: ResultRecord = {
        kind: 'result',
        avatarKey,
        predictionId,
        durationMs,
        createdAt,
        expiresAt,
      };
      await kv.setMany([
        [id, record],
        [BYTES + id, blobs],
      ]);
      await this.#tidy(kv);
    });
    this.#urls.delete(id);
  }

  /**
   * What to send as `model_image`: FASHN's URL while it is certainly still valid
   * and `returnBase64` is false (nothing to upload), else a data: URL of the bytes.
   */
  async modelImage(avatar: KeptAvatar, returnBase64: boolean): Promise<string> {
    if (!returnBase64 && avatar.url && this.#now() < avatar.createdAt + URL_LIFETIME_MS)
      return avatar.url;
    return avatar.blob ? blobToDataUrl(avatar.blob) : avatar.image;
  }

  setPending(pending: PendingPrediction): Promise<void> {
    return this.#use((kv) =>
      kv.set(`${PENDING_PREFIX}${pending.requestKey}`, { ...pending, kind: 'pending' }),
    );
  }

  listPending(): Promise<PendingPrediction[]> {
    return this.#use(async (kv) => {
      const since = this.#now() - RESUME_WINDOW_MS;
      const ids = (await kv.keys()).filter((id) => id.startsWith(PENDING_PREFIX));
      // Only pending records have these keys; one listed but gone by the time it is read
      // (another tab cleared it) reads undefined.
      return (await kv.entries(ids))
        .map(([, record]) => record as PendingRecord | undefined)
        .filter((r): r is PendingRecord => r !== undefined && r.startedAt > since)
        .sort((a, b) => b.startedAt - a.startedAt)
        .map(({ kind: _kind, ...pending }) => pending);
    });
  }

  clearPending(requestKey: string): Promise<void> {
    return this.#use((kv) => kv.delMany([`${PENDING_PREFIX}${requestKey}`]));
  }

  // ---- internals ----

  /**
   * Runs `op` on the backend. A full disk evicts (`#tidy` squeezing) and runs it
   * once more; any other failure, or a second one, moves to page memory
   * (keeping what IndexedDB still gives) and runs it there.
   */
  async #use<T>(op: (kv: KeyValue) => Promise<T>): Promise<T> {
    const kv = this.#kv;
    try {
      return await op(kv);
    } catch (error) {
      if (!kv.persistent) throw error;
      let cause = error;
      if (isQuotaError(error)) {
        try {
          await this.#tidy(kv, true);
          return await op(kv);
        } catch (again) {
          cause = again;
        }
      }
      await (this.#falling ??= this.#fallBack(kv, cause));
      return op(this.#kv);
    }
  }

  async #fallBack(disk: KeyValue, cause: unknown): Promise<void> {
    const kept = await within(disk.entries(), this.#openTimeoutMs).catch(() => undefined);
    this.#kv = memoryKeyValue(new Map(kept));
    if (kept?.length) this.#left = disk;
    this.#failure = storageError(
      'This browser cannot keep the photo; it is kept until the page closes',
      cause,
    );
  }

  async #avatar(kv: KeyValue, key: string): Promise<KeptAvatar | undefined> {
    const id = `${AVATAR_PREFIX}${key}`;
    const record = await kv.get<AvatarRecord>(id);
    if (record && record.expiresAt > this.#now()) {
      const blob = record.blob ?? (await kv.get<Blob[]>(BYTES + id))?.[0];
      if (blob) return this.#stored(record, blob);
    }
    if (record) await this.#tidy(kv);
    return undefined;
  }

  #stored({ key, createdAt, expiresAt, url, params }: AvatarRecord, blob: Blob): KeptAvatar {
    const [image = ''] = this.#objectUrls(`${AVATAR_PREFIX}${key}`, [blob]);
    const avatar: KeptAvatar = { key, image, blob, createdAt, expiresAt };
    if (url) avatar.url = url;
    if (params) avatar.params = params;
    return avatar;
  }

  /** One set of object URLs per record, so reading it again does not leak new ones. */
  #objectUrls(id: string, blobs: Blob[]): string[] {
    let urls = this.#urls.get(id);
    if (!urls) this.#urls.set(id, (urls = blobs.map((blob) => URL.createObjectURL(blob))));
    return urls;
  }

  /**
   * Deletes expired records (and `drop`ped ones), results whose avatar is gone,
   * and the oldest beyond the limits; never the current avatar, except expired.
   * `squeeze` (a full disk): only the current avatar stays, and half the results.
   */
  async #tidy(kv: KeyValue, squeeze = false, drop?: (r: StoredRecord) => boolean): Promise<void> {
    const now = this.#now();
    const ids = await kv.keys();
    const all = await kv.entries(ids.filter((id) => !id.startsWith(BYTES)));
    const current = all.find(([id]) => id === CURRENT)?.[1];
    const records = all.filter(isRecord);
    const doomed = new Set<string>();
    for (const [id, r] of records) {
      const end = r.kind === 'pending' ? r.startedAt + RESUME_WINDOW_MS : r.expiresAt;
      if (end <= now || drop?.(r)) doomed.add(id);
    }
    const live = <K extends 'avatar' | 'result'>(kind: K) =>
      (
        records.filter(([id, r]) => r.kind === kind && !doomed.has(id)) as [
          string,
          { avatar: AvatarRecord; result: ResultRecord }[K],
        ][]
      ).sort(([, a], [, b]) => b.createdAt - a.createdAt);
    // Newest first, the current avatar before all: eviction takes from the end.
    const avatars = live('avatar').sort(
      ([, a], [, b]) => Number(b.key === current) - Number(a.key === current),
    );
    const keep = squeeze ? 1 : this.#maxAvatars;
    for (const [id] of avatars.slice(keep)) doomed.add(id);
    const kept = new Set(avatars.slice(0, keep).map(([, a]) => a.key));
    const results = [];
    for (const entry of live('result')) {
      const { avatarKey } = entry[1];
      if (avatarKey === undefined || kept.has(avatarKey)) results.push(entry);
      else doomed.add(entry[0]);
    }
    const room = squeeze ? Math.floor(results.length / 2) : this.#maxResults;
    for (const [id] of results.slice(room)) doomed.add(id);
    if (typeof current === 'string' && !kept.has(current)) doomed.add(CURRENT);
    // The bytes of every record that goes, and of none (a record gone in another tab).
    const owners = new Set(all.map(([id]) => id));
    for (const id of ids) {
      const owner = id.startsWith(BYTES) && id.slice(BYTES.length);
      if (owner && (doomed.has(owner) || !owners.has(owner))) doomed.add(id);
    }
    if (doomed.size) await kv.delMany([...doomed]);
  }
}
