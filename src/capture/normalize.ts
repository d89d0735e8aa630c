/**
 * Turns the shopper's photo into what `face-to-model` gets: a JPEG on white,
 * EXIF orientation applied, long side at most 1600 px and at most 600 KB.
 * Every refusal happens here, before any request: not an image, empty, cut
 * short or undecodable (`invalid-image`), and over 25 MB or 50 megapixels
 * judged from the header before decoding (`image-too-large`).
 *
 * The page stays responsive: `createImageBitmap` (or WebCodecs' `ImageDecoder`
 * for large JPEGs) decodes and downscales off the main thread, and
 * `OffscreenCanvas.convertToBlob` encodes asynchronously.
 * (A Worker would need a `worker-src` CSP entry the element does not ask for.)
 * Both are required, as by the element's camera (Safari 16.4+).
 */
import {
  PHOTO_DEFAULTS,
  canvas2d,
  encodeWithinBudget,
  fitWithin,
  throwIfAborted,
  type EncodedPhoto,
  type Size,
} from './encode.js';
import { blobWithOrientationReset, orientationMatrix, orientedSize } from './exif.js';
import {
  isImageComplete,
  readImageHeader,
  type ImageFormat,
  type ImageHeader,
} from './image-header.js';
import { ImageRejectedError } from './rejected.js';

// The header reader too, for the photo check of a file (one chunk with this pipeline).
export { readImageHeader };

export interface NormalizeOptions {
  /** Longest side of the result in pixels; smaller photos are never enlarged. Default 1600. */
  maxSide?: number;
  /** Largest result in bytes. Default 600 KiB. */
  maxBytes?: number;
  /** JPEG quality tried first (0–1). Default 0.9. */
  quality?: number;
  /** Lowest quality before the result is made smaller instead. Default 0.5. */
  minQuality?: number;
  /** Largest file accepted, in bytes. Default 25 MB. */
  maxFileBytes?: number;
  /** Most pixels (width × height) accepted, read from the header. Default 50 million. */
  maxPixels?: number;
  /** Stops the work; the promise then rejects with a `canceled` FashnError. */
  signal?: AbortSignal;
  /**
   * The decoder; `globalThis.createImageBitmap` by default, after trying a
   * cheaper reduced-scale decode of large JPEGs with `ImageDecoder`. When
   * given, it decodes every photo.
   */
  createImageBitmap?: (image: Blob, options?: ImageBitmapOptions) => Promise<ImageBitmap>;
}

export interface NormalizedImage extends EncodedPhoto {
  /** Size of the original as displayed (EXIF orientation applied). */
  sourceWidth: number;
  sourceHeight: number;
  /** The original's EXIF orientation (1–8; 1 when none), already applied to `blob`. */
  orientation: number;
}

/** What to do about a photo the browser cannot read (part of some refusals' messages). */
const RETAKE = 'take a new photo or choose a JPEG or PNG';

export { ImageRejectedError, type ImageProblem } from './rejected.js';

export const NORMALIZE_DEFAULTS = {
  ...PHOTO_DEFAULTS,
  maxFileBytes: 25 * 1024 * 1024,
  maxPixels: 50_000_000,
} as const;

/**
 * Validates, decodes off the main thread where possible, applies EXIF
 * orientation, downsizes with good quality and encodes a JPEG of at most
 * `maxBytes`, lowering the quality step by step (then the size) when needed.
 * Transparent pixels become white. Rejects with a FashnError, step `capture`:
 * `invalid-image` or `image-too-large` (an `ImageRejectedError`), or
 * `canceled` when `signal` aborts.
 */
export async function normalizeImage(
  file: Blob,
  options: NormalizeOptions = {},
): Promise<NormalizedImage> {
  const settings = resolveOptions(options);
  const { signal } = options;
  throwIfAborted(signal);
  const header = await inspect(file, settings, signal);

  // The EXIF orientation is reset in the bytes the decoder sees and applied
  // here, so the result is the same whatever the browser does with EXIF.
  const field = header.orientation !== 1 ? header.orientationField : undefined;
  const orientation = field ? header.orientation : 1;
  const source = field ? blobWithOrientationReset(file, field) : file;

  const scale = Math.min(1, settings.maxSide / Math.max(header.width, header.height));
  const resizeWidth = scale < 1 ? Math.max(1, Math.round(header.width * scale)) : undefined;
  const image: Picture =
    (!options.createImageBitmap &&
      header.format === 'jpeg' &&
      resizeWidth &&
      (await decodeScaled(source, header, resizeWidth))) ||
    picture(await decode(source, header.format, resizeWidth, options.createImageBitmap));
  try {
    throwIfAborted(signal);
    const shown = orientedSize(orientation, image.width, image.height);
    const original = orientedSize(orientation, header.width, header.height);
    // A decoder that turned the picture itself (AVIF/HEIC rotation boxes) turned the original too.
    if (isPortrait(shown) !== isPortrait(original) && !isSquare(shown) && !isSquare(original)) {
      [original.width, original.height] = [original.height, original.width];
    }
    const size = fitWithin(shown, settings.maxSide);
    const canvas = render(image, orientation, size, header.format === 'jpeg');
    const encoded = await encodeWithinBudget(canvas, settings, signal);
    return {
      ...encoded,
      sourceWidth: original.width,
      sourceHeight: original.height,
      orientation: header.orientation,
    };
  } finally {
    image.source.close();
  }
}

// ----------------------------------------------------------------- options

type Settings = Required<Omit<NormalizeOptions, 'signal' | 'createImageBitmap'>>;

function resolveOptions(options: NormalizeOptions): Settings {
  const d = NORMALIZE_DEFAULTS;
  // The defaults, minQuality at most the quality asked for, then each option given.
  const settings: Settings = {
    ...d,
    minQuality: Math.min(d.minQuality, options.quality ?? d.quality),
  };
  for (const name of Object.keys(settings) as (keyof Settings)[]) {
    settings[name] = options[name] ?? settings[name];
    const value = settings[name];
    const fraction = name === 'quality' || name === 'minQuality';
    if (!(fraction ? value > 0 && value <= 1 : value >= 1))
      throw new RangeError(
        `${name} must be ${fraction ? 'in (0, 1]' : 'a number ≥ 1'}, got ${value}`,
      );
  }
  if (settings.minQuality > settings.quality)
    throw new RangeError(
      `minQuality (${settings.minQuality}) must not exceed quality (${settings.quality})`,
    );
  return settings;
}

// -------------------------------------------------------------- inspection

/** A header with the dimensions known. */
type SizedHeader = ImageHeader & { width: number; height: number };

/** Reads the file and refuses it, before any decoding, when it cannot or must not be used. */
async function inspect(
  file: Blob,
  settings: Settings,
  signal: AbortSignal | undefined,
): Promise<SizedHeader> {
  if (file.size === 0) throw new ImageRejectedError('empty');
  if (file.size > settings.maxFileBytes) {
    const megabytes = Math.round(settings.maxFileBytes / 2 ** 20);
    throw new ImageRejectedError('file-too-large', `File over ${megabytes} MB`);
  }
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch (error) {
    throw new ImageRejectedError('unreadable', undefined, error);
  }
  throwIfAborted(signal);

  const header = readImageHeader(bytes);
  if (header.format === 'svg') throw new ImageRejectedError('svg');
  if (header.format === 'unknown')
    throw new ImageRejectedError('not-an-image', 'Not an image: choose a JPEG or PNG');
  const complete = isImageComplete(bytes, header.format);
  const { width, height } = header;
  if (width === undefined || height === undefined)
    throw new ImageRejectedError(complete ? 'unknown-size' : 'truncated');
  if (width * height > settings.maxPixels) {
    const megapixels = Math.floor(settings.maxPixels / 1e6);
    throw new ImageRejectedError('too-many-pixels', `Photo over ${megapixels} megapixels`);
  }
  if (!complete) throw new ImageRejectedError('truncated');
  return { ...header, width, height };
}

// ---------------------------------------------------------------- decoding

/** A decoded picture in stored orientation, with its size. */
interface Picture extends Size {
  source: CanvasImageSource & { close(): void };
}

function picture(source: ImageBitmap | OffscreenCanvas): Picture {
  const { width, height } = source;
  return { source: source as Picture['source'], width, height };
}

/**
 * Decodes a JPEG at the smallest scale n/8 the decoder produces cheaply (in
 * the DCT, skipping most of the work) that still covers `resizeWidth`; the
 * canvas then downscales that frame with high quality (not
 * `createImageBitmap`'s resize, which costs Firefox more than the decode).
 * About half the cost of decoding every pixel first. Undefined, for the
 * usual decode, where `ImageDecoder` is missing, fails or picks another size.
 */
async function decodeScaled(
  blob: Blob,
  { width, height }: Size,
  resizeWidth: number,
): Promise<Picture | undefined> {
  const eighths = Math.ceil((8 * resizeWidth) / width);
  if (typeof ImageDecoder !== 'function' || eighths > 7) return undefined;
  // The photo check decodes the same way (photo-check/scaled-jpeg.ts), in its own chunk.
  let frame: VideoFrame | undefined;
  try {
    const decoder = new ImageDecoder({
      data: blob.stream(),
      type: 'image/jpeg',
      desiredWidth: Math.ceil((width * eighths) / 8),
      desiredHeight: Math.ceil((height * eighths) / 8),
    });
    try {
      frame = (await decoder.decode()).image;
    } finally {
      decoder.close();
    }
    if (frame.displayWidth >= resizeWidth)
      return { source: frame, width: frame.displayWidth, height: frame.displayHeight };
  } catch {
    // the usual decode follows
  }
  frame?.close();
  return undefined;
}

/** Decodes `blob` in stored orientation, downscaled to `width` (height by aspect ratio) when given. */
async function decode(
  blob: Blob,
  format: ImageFormat,
  width: number | undefined,
  decoder = (image: Blob, options?: ImageBitmapOptions) => createImageBitmap(image, options),
): Promise<ImageBitmap> {
  try {
    return await decoder(blob, {
      imageOrientation: 'from-image',
      ...(width === undefined ? {} : { resizeWidth: width, resizeQuality: 'high' as const }),
    });
  } catch (error) {
    if (format !== 'heic' && format !== 'avif')
      throw new ImageRejectedError('undecodable', `Photo refused: undecodable: ${RETAKE}`, error);
    const message = `This browser cannot open ${format.toUpperCase()} photos: ${RETAKE}`;
    throw new ImageRejectedError('unsupported-format', message, error);
  }
}

// --------------------------------------------------------------- rendering

/**
 * Draws the picture at `size` (displayed orientation) on white. When the
 * decoder did not downscale, halves first so the last step is at most 2×:
 * one big step would skip pixels and alias. An opaque, upright bitmap already
 * at `size` is handed over without drawing: WebKit's 2D draw of a bitmap
 * costs more than its decode.
 */
function render(image: Picture, orientation: number, size: Size, opaque: boolean): OffscreenCanvas {
  const stored = orientedSize(orientation, size.width, size.height);
  let { source, width, height } = image as { source: CanvasImageSource } & Size;
  if (opaque && orientation === 1 && source instanceof ImageBitmap) {
    const canvas = new OffscreenCanvas(width, height);
    const context =
      width === size.width && height === size.height && canvas.getContext('bitmaprenderer');
    if (context) {
      context.transferFromImageBitmap(source);
      return canvas;
    }
  }
  while (width >= stored.width * 2 && height >= stored.height * 2) {
    const half = { width: Math.ceil(width / 2), height: Math.ceil(height / 2) };
    const [step, context] = canvas2d(half);
    context.drawImage(source, 0, 0, width, height, 0, 0, half.width, half.height);
    source = step;
    ({ width, height } = half);
  }
  const [canvas, context] = canvas2d(size);
  context.fillStyle = '#fff';
  context.fillRect(0, 0, size.width, size.height);
  context.setTransform(...orientationMatrix(orientation, stored.width, stored.height));
  context.drawImage(source, 0, 0, width, height, 0, 0, stored.width, stored.height);
  return canvas;
}

// ----------------------------------------------------------------- helpers

function isPortrait(size: Size): boolean {
  return size.height > size.width;
}

function isSquare(size: Size): boolean {
  return size.height === size.width;
}
