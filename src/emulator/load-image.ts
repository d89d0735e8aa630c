/**
 * Loads a prediction's input image (a data: URL or an http(s) URL) as RGBA, and
 * turns every failure into FASHN's runtime `ImageLoadError`.
 */
import { decodeBase64 } from './base64.js';
import { CONTENT_TYPES, decodeImage, sniffFormat, type ImageFormat } from './codec.js';
import { drawCaption } from './bitmap-font.js';
import { createImage, fillShape, roundedRectDistance, type RgbaImage } from './raster.js';

/** A runtime failure as FASHN reports it in a failed status: `{ name, message }`. */
export class RuntimeFailure extends Error {
  constructor(
    readonly fashnName: string,
    message: string,
  ) {
    super(message);
  }
}

/** Largest input file we fetch (FASHN's docs advise well below this). */
export const MAX_INPUT_BYTES = 32 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 20_000;

export interface LoadImageOptions {
  fetch: typeof fetch;
  /** How the error message names the input, e.g. "garment image". */
  label: string;
}

/**
 * Loads and decodes `source`. Formats FASHN reads but we cannot decode here (WebP,
 * GIF, AVIF, BMP) become a labelled placeholder, so the flow still shows.
 * @throws RuntimeFailure('ImageLoadError') when it cannot be loaded or decoded.
 */
export async function loadInputImage(
  source: string,
  options: LoadImageOptions,
): Promise<RgbaImage> {
  const fail = (reason: string) =>
    new RuntimeFailure('ImageLoadError', `Error loading ${options.label}: ${reason}`);
  let bytes: Uint8Array;
  if (source.startsWith('data:')) {
    const comma = source.indexOf(',');
    try {
      bytes = decodeBase64(source.slice(comma + 1));
    } catch {
      throw fail('the base64 data is invalid');
    }
  } else {
    bytes = await fetchBytes(source, options.fetch, fail);
  }
  if (bytes.length === 0) throw fail('the image is empty');
  const format = sniffFormat(bytes);
  if (format && format !== 'jpeg' && format !== 'png') return placeholderFor(format);
  try {
    return decodeImage(bytes);
  } catch (error) {
    throw fail(`cannot decode the image (${(error as Error).message})`);
  }
}

async function fetchBytes(
  url: string,
  fetchImpl: typeof fetch,
  fail: (reason: string) => RuntimeFailure,
): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetchImpl(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  } catch (error) {
    throw fail(`the URL could not be fetched (${(error as Error).message ?? String(error)})`);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw fail(`the URL answered HTTP ${response.status}`);
  }
  const contentType = response.headers.get('content-type') ?? '';
  if (!/^image\//i.test(contentType)) {
    await response.body?.cancel().catch(() => undefined);
    // FASHN's own wording for this case.
    throw fail(`The URL's Content-Type is not an image. Content-Type: ${contentType || '(none)'}`);
  }
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > MAX_INPUT_BYTES) {
    await response.body?.cancel().catch(() => undefined);
    throw fail(`the image is larger than ${MAX_INPUT_BYTES} bytes`);
  }
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    throw fail(`the download was interrupted (${(error as Error).message ?? String(error)})`);
  }
  if (bytes.length > MAX_INPUT_BYTES)
    throw fail(`the image is larger than ${MAX_INPUT_BYTES} bytes`);
  return bytes;
}

/** A neutral card naming the format, standing in for an image we cannot decode in pure JS. */
function placeholderFor(format: ImageFormat): RgbaImage {
  const image = createImage(480, 600, [255, 255, 255]);
  const card = { x: 60, y: 60, width: 360, height: 480 };
  fillShape(image, card, roundedRectDistance(card, 40), [150, 156, 170]);
  drawCaption(image, CONTENT_TYPES[format], { height: 0.1, bottom: 0.55, opacity: 0.8 });
  return image;
}
