/**
 * Where the element keeps the shopper's avatar and earlier results. The
 * element only talks to `AvatarMemory`, so a persistent (IndexedDB) store can
 * replace the in-memory one without touching the flow.
 */

export interface KeptAvatar {
  /** `data:`, `https:` or `blob:` URL usable as `<img src>` and as `model_image`. */
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

/** Keeps everything in this page's memory until it unloads. */
export class PageMemory implements AvatarMemory {
  #avatar: KeptAvatar | undefined;
  readonly #results = new Map<string, KeptResult>();

  async getAvatar(): Promise<KeptAvatar | undefined> {
    return this.#avatar;
  }

  async setAvatar(avatar: KeptAvatar): Promise<void> {
    if (this.#avatar?.image !== avatar.image) this.#results.clear();
    this.#avatar = avatar;
  }

  async deleteAvatar(): Promise<void> {
    this.#avatar = undefined;
    this.#results.clear();
  }

  async getResult(key: string): Promise<KeptResult | undefined> {
    return this.#results.get(key);
  }

  async setResult(key: string, result: KeptResult): Promise<void> {
    this.#results.set(key, result);
  }
}

/** The memory shared by every element of the page that may remember (`remember="true"`). */
export const pageMemory: AvatarMemory = new PageMemory();

/**
 * A short stable key for a result: FNV-1a over the avatar, the garment and the
 * parameters, so the key stays small even when images are data URLs.
 */
export function resultKey(
  avatarImage: string,
  garmentImage: string,
  params: Record<string, unknown>,
): string {
  let hash = 0x811c9dc5;
  const text = `${avatarImage}\n${garmentImage}\n${JSON.stringify(params, Object.keys(params).sort())}`;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return `${(hash >>> 0).toString(36)}-${text.length.toString(36)}`;
}
