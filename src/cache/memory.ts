/**
 * The one memory contract: what the element keeps (one shape for an avatar,
 * one for a result) and the operations it needs, implemented by `TryOnStore`
 * over IndexedDB or page memory. Storage trouble never rejects these methods
 * (the store moves to page memory); it is told once, by `takeStorageError()`.
 */
import type { FashnError } from '../api/errors.js';
import type { ModelName } from '../api/models.js';

/** The element's own IndexedDB database and object store (not idb-keyval's default one). */
export const DB_NAME = 'fashn-try-on';
export const STORE_NAME = 'kv';
/** Record keys: `current` (the current avatar's key), `avatar:<key>`, `pending:<requestKey>`. */
export const CURRENT_KEY = 'current';
export const AVATAR_PREFIX = 'avatar:';
export const PENDING_PREFIX = 'pending:';

/** How long a recorded prediction may be resumed (FASHN keeps base64 outputs for 60 minutes). */
export const RESUME_WINDOW_MS = 60 * 60_000;

/** An avatar as it is kept and shown. */
export interface KeptAvatar {
  /** `avatarKey(selfie, params)`, or the digest of the bytes. */
  key: string;
  /** `data:`, `https:` or `blob:` URL usable as `<img src>`. */
  image: string;
  createdAt: number;
  /** The bytes, once kept. */
  blob?: Blob;
  expiresAt?: number;
  /** FASHN's CDN URL, when it came as one. */
  url?: string;
  params?: Record<string, unknown>;
}

/** A try-on result as it is kept and shown again. */
export interface KeptResult {
  /** `blob:` URLs once kept (valid while the page lives), else the outputs as they came. */
  images: string[];
  predictionId: string;
  durationMs: number;
  createdAt: number;
  /** The bytes, once kept. */
  blobs?: Blob[];
  /** The avatar it was made with: the result lives and dies with that avatar. */
  avatarKey?: string;
}

/** What `keepAvatar` takes: an avatar whose key may be derived and whose lifetime is given in days. */
export type AvatarToKeep = Omit<KeptAvatar, 'key' | 'expiresAt'> & {
  key?: string;
  /** The element's `cache-days`. */
  cacheDays?: number;
};

/** A run in flight, as recorded before it is sent (key only) and before polling (with its id). */
export interface PendingPrediction {
  /** FASHN's id, once its answer arrived. */
  predictionId?: string;
  /** The logical run's `Idempotency-Key`: a reload asks after it when the id never arrived. */
  idempotencyKey?: string;
  model: ModelName;
  /** What it is for: the avatar key (face-to-model) or the result key (try-on). */
  requestKey: string;
  /** When it was asked for (ms since epoch), for elapsed time and estimates. */
  startedAt: number;
  avatarKey?: string;
  garment?: string;
}

/** Where pending predictions are kept (`TryOnStore`). */
export interface PendingStore {
  setPending(pending: PendingPrediction): Promise<void>;
  /** Those younger than `RESUME_WINDOW_MS`, newest first. */
  listPending(): Promise<PendingPrediction[]>;
  clearPending(requestKey: string): Promise<void>;
}

export interface TryOnMemory extends PendingStore {
  /** The current avatar, unless expired. */
  getAvatar(): Promise<KeptAvatar | undefined>;
  /** The avatar kept under `key`, which becomes the current one. */
  findAvatar(key: string): Promise<KeptAvatar | undefined>;
  /** Keeps an avatar as the current one; rejects only when its image cannot be read. */
  keepAvatar(avatar: AvatarToKeep): Promise<KeptAvatar>;
  getResult(key: string): Promise<KeptResult | undefined>;
  /** Keeps a result; rejects only when its images cannot be read. */
  setResult(key: string, result: KeptResult): Promise<void>;
  /** What to send as `model_image` for a kept avatar. */
  modelImage(avatar: KeptAvatar, returnBase64: boolean): Promise<string>;
  /** Forgets everything kept ("Delete my photo"). */
  forgetAll(): Promise<void>;
  /** The failure that moved the memory to page memory, the first time it is asked for. */
  takeStorageError(): FashnError | undefined;
}
