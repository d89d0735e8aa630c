/**
 * Where the element keeps the shopper's avatar and earlier results: the
 * `AvatarMemory` contract (implemented by `TryOnStore`, src/cache/store.ts) and
 * `PageMemory`, a store that lives only as long as the page.
 */
import { memoryKeyValue } from '../cache/kv.js';
import { TryOnStore, type TryOnStoreOptions } from '../cache/store.js';

export interface KeptAvatar {
  /** `data:`, `https:` or `blob:` URL usable as `<img src>`. */
  image: string;
  createdAt: number;
}

export interface KeptResult {
  images: string[];
  predictionId: string;
  durationMs: number;
  createdAt: number;
}

/** Storage of the current avatar and of results per (avatar, garment, parameters). */
export interface AvatarMemory {
  getAvatar(): Promise<KeptAvatar | undefined>;
  setAvatar(avatar: KeptAvatar): Promise<void>;
  /** Forgets the avatar and every result made with it. */
  deleteAvatar(): Promise<void>;
  getResult(key: string): Promise<KeptResult | undefined>;
  setResult(key: string, result: KeptResult): Promise<void>;
}

/**
 * The element's memory kept in this page only, until it unloads (what an
 * element with `remember="false"` uses; nothing reaches IndexedDB).
 */
export class PageMemory extends TryOnStore {
  constructor(options: Omit<TryOnStoreOptions, 'kv' | 'useStore'> = {}) {
    super({ ...options, kv: memoryKeyValue() });
  }
}
