/**
 * Image bytes <-> RGBA pixels for the emulator: JPEG (decoded by jpeg-js, encoded
 * by our own encoder) and PNG (fast-png). Runtime-neutral: Uint8Array only.
 */
import { decode as decodeJpegBytes } from 'jpeg-js';
import { decode as decodePngBytes, encode as encodePngBytes, convertIndexedToRgb } from 'fast-png';
import { encodeJpeg } from './jpeg-encoder.js';
import { toRgb, type RgbaImage } from './raster.js';

export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'avif' | 'bmp';
export type OutputFormat = 'jpeg' | 'png';

/** Largest input we decode, in megapixels (the element refuses over 50 MP in the browser). */
export const MAX_INPUT_MEGAPIXELS = 60;

export const CONTENT_TYPES: Record<ImageFormat, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  avif: 'image/avif',
  bmp: 'image/bmp',
};

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  return signature.every((value, i) => bytes[offset + i] === value);
}

/** The image format named by the bytes' signature, or null. */
export function sniffFormat(bytes: Uint8Array): ImageFormat | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (
    startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) &&
    startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)
  ) {
    return 'webp';
  }
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) return 'gif';
  if (startsWith(bytes, [0x66, 0x74, 0x79, 0x70], 4) && startsWith(bytes, [0x61, 0x76, 0x69], 8)) {
    return 'avif';
  }
  if (startsWith(bytes, [0x42, 0x4d])) return 'bmp';
  return null;
}

/** Thrown when bytes are not an image we can read; the message says why. */
export class ImageDecodeError extends Error {
  override readonly name = 'ImageDecodeError';
}

/** Decodes a JPEG or PNG to RGBA. Throws ImageDecodeError for anything else or broken data. */
export function decodeImage(bytes: Uint8Array): RgbaImage {
  const format = sniffFormat(bytes);
  if (format === 'jpeg') return decodeJpeg(bytes);
  if (format === 'png') return decodePng(bytes);
  if (format) throw new ImageDecodeError(`${format.toUpperCase()} images cannot be decoded here`);
  throw new ImageDecodeError('the data is not a JPEG or PNG image');
}

function decodeJpeg(bytes: Uint8Array): RgbaImage {
  try {
    const image = decodeJpegBytes(bytes, {
      useTArray: true,
      formatAsRGBA: true,
      tolerantDecoding: false,
      maxResolutionInMP: MAX_INPUT_MEGAPIXELS,
      maxMemoryUsageInMB: 1024,
    });
    if (!(image.width > 0 && image.height > 0)) throw new Error('no image data');
    return { width: image.width, height: image.height, data: image.data };
  } catch (error) {
    throw new ImageDecodeError(`invalid JPEG: ${(error as Error).message ?? String(error)}`);
  }
}

/** Width and height from a PNG's IHDR chunk, read before decoding to refuse huge images cheaply. */
function pngSize(bytes: Uint8Array): { width: number; height: number } {
  if (bytes.length < 24) throw new ImageDecodeError('invalid PNG: truncated header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

function decodePng(bytes: Uint8Array): RgbaImage {
  const size = pngSize(bytes);
  if (size.width * size.height > MAX_INPUT_MEGAPIXELS * 1e6) {
    throw new ImageDecodeError(`PNG of ${size.width}×${size.height} is too large`);
  }
  let png;
  try {
    png = decodePngBytes(bytes);
  } catch (error) {
    throw new ImageDecodeError(`invalid PNG: ${(error as Error).message ?? String(error)}`);
  }
  const { width, height } = png;
  const out = new Uint8Array(width * height * 4);
  if (png.palette) {
    const rgb = convertIndexedToRgb(png);
    const channels = png.palette[0]?.length ?? 3;
    for (let i = 0; i < width * height; i++) {
      out[i * 4] = rgb[i * channels]!;
      out[i * 4 + 1] = rgb[i * channels + 1]!;
      out[i * 4 + 2] = rgb[i * channels + 2]!;
      out[i * 4 + 3] = channels === 4 ? rgb[i * channels + 3] : 255;
    }
    return { width, height, data: out };
  }
  const channels = png.channels;
  const sample = sampleReader(png.data, png.depth, width, channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      if (channels <= 2) {
        const gray = sample(y, x * channels);
        out[o] = out[o + 1] = out[o + 2] = gray;
        out[o + 3] = channels === 2 ? sample(y, x * channels + 1) : 255;
      } else {
        out[o] = sample(y, x * channels);
        out[o + 1] = sample(y, x * channels + 1);
        out[o + 2] = sample(y, x * channels + 2);
        out[o + 3] = channels === 4 ? sample(y, x * channels + 3) : 255;
      }
    }
  }
  return { width, height, data: out };
}

/** Reads sample `index` of row `y` as 0–255, whatever the PNG bit depth (1–16). */
function sampleReader(data: ArrayLike<number>, depth: number, width: number, channels: number) {
  if (depth === 8) return (y: number, index: number) => data[y * width * channels + index];
  if (depth === 16) return (y: number, index: number) => data[y * width * channels + index] >> 8;
  // Sub-byte depths (grey only) are packed, each row starting on a byte boundary.
  const rowBytes = Math.ceil((width * channels * depth) / 8);
  const max = (1 << depth) - 1;
  return (y: number, index: number) => {
    const bit = index * depth;
    const byte = data[y * rowBytes + (bit >> 3)];
    const value = (byte >> (8 - depth - (bit & 7))) & max;
    return Math.round((value * 255) / max);
  };
}

/** Encodes opaque output pixels: JPEG quality 90, or an RGB PNG. */
export function encodeImage(image: RgbaImage, format: OutputFormat): Uint8Array<ArrayBuffer> {
  if (format === 'jpeg') return encodeJpeg(image, 90);
  // Copied into a buffer of its own (fast-png may return a view), as a Response body needs.
  return new Uint8Array(
    encodePngBytes({
      width: image.width,
      height: image.height,
      data: toRgb(image),
      channels: 3,
      depth: 8,
    }),
  );
}

/** Encodes RGBA pixels as a PNG, keeping alpha. */
export function encodeRgbaPng(image: RgbaImage): Uint8Array {
  return encodePngBytes({
    width: image.width,
    height: image.height,
    data: image.data,
    channels: 4,
    depth: 8,
  });
}
