/**
 * Cache keys: an avatar is identified by the normalised selfie's bytes and the
 * face-to-model parameters, a result by (avatar key, garment, try-on parameters
 * with the seed). Keys are hex digests, so long `data:` URLs never become
 * IndexedDB keys and a selfie is never stored as a key.
 */

/** Fields that are images (hashed separately or not at all) or only change how an image travels. */
const NOT_PARAMS = new Set(['face_image', 'model_image', 'garment_image', 'return_base64']);

/**
 * `params` as JSON with sorted keys, without images, `return_base64` and undefined
 * fields, so equal parameters give equal keys whatever their order.
 */
export function canonicalParams(params: Record<string, unknown>): string {
  const names = Object.keys(params).filter((k) => !NOT_PARAMS.has(k) && params[k] !== undefined);
  return JSON.stringify(names.sort().map((k) => [k, params[k]]));
}

/**
 * Hex SHA-256 of `data` (crypto.subtle). Insecure contexts (plain-http sites) have
 * no crypto.subtle: there two 32-bit FNV-1a hashes and the length stand in, which
 * is enough to tell a handful of cached images apart.
 */
export async function digest(data: Blob | string): Promise<string> {
  const bytes = new Uint8Array(await new Blob([data]).arrayBuffer());
  const subtle = globalThis.crypto?.subtle;
  if (subtle) {
    const hash = new Uint8Array(await subtle.digest('SHA-256', bytes));
    return Array.from(hash, (b) => b.toString(16).padStart(2, '0')).join('');
  }
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (const byte of bytes) {
    a = Math.imul(a ^ byte, 0x01000193);
    b = Math.imul(b ^ byte, 0x5bd1e995);
  }
  return `fnv${(a >>> 0).toString(16)}${(b >>> 0).toString(16)}${bytes.length.toString(16)}`;
}

/**
 * The key of the avatar made from `selfie` (the normalised photo sent as
 * `face_image`) with face-to-model `params` (`face_image` itself may be included; it is ignored).
 */
export function avatarKey(selfie: Blob, params: Record<string, unknown>): Promise<string> {
  return digest(new Blob([selfie, '\n', canonicalParams(params)]));
}

/**
 * The key of a try-on result: the avatar's key, the garment image (URL or
 * `data:` URL, hashed whole) and the try-on parameters including `seed`
 * (`model_image` and `garment_image`, if present, are ignored).
 */
export function resultKey(
  avatar: string,
  garment: string,
  params: Record<string, unknown>,
): Promise<string> {
  return digest(`${avatar}\n${garment}\n${canonicalParams(params)}`);
}
