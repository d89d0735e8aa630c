/**
 * Image fixtures built at run time, so no binary files live in the repo.
 *
 * - Byte builders (pure, Node and browser): hand-made headers of every format
 *   `readImageHeader` knows, EXIF segments, `withExifOrientation`.
 * - Canvas builders (browser only, OffscreenCanvas): real JPEGs and PNGs with
 *   recognisable patterns, and `readPixels` to check a result.
 */

import { seededRandom as mulberry32 } from '../../src/emulator/random.js';

// ------------------------------------------------------------ byte builders
export type Bytes = Uint8Array<ArrayBuffer>;

export interface ExifOptions {
  /** Byte order of the TIFF block ("II"); big-endian ("MM") by default. */
  littleEndian?: boolean;
  /** Store the value as a LONG instead of the usual SHORT. */
  asLong?: boolean;
}

/** Concatenates byte arrays and plain byte lists. */
export function concatBytes(...parts: ArrayLike<number>[]): Bytes {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export function asciiBytes(text: string): Bytes {
  return Uint8Array.from(text, (char) => char.charCodeAt(0));
}

function uint16(value: number, littleEndian = false): number[] {
  return littleEndian ? [value & 0xff, value >>> 8] : [value >>> 8, value & 0xff];
}

function uint32(value: number, littleEndian = false): number[] {
  const bytes = [value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
  return littleEndian ? bytes.reverse() : bytes;
}

/**
 * A TIFF block (what follows `Exif\0\0`) whose IFD0 holds ResolutionUnit and
 * then Orientation, as cameras write it.
 */
export function tiffWithOrientation(orientation: number, options: ExifOptions = {}): Bytes {
  const le = options.littleEndian ?? false;
  const entry = (tag: number, type: number, value: number) =>
    type === 4
      ? [...uint16(tag, le), ...uint16(type, le), ...uint32(1, le), ...uint32(value, le)]
      : [...uint16(tag, le), ...uint16(type, le), ...uint32(1, le), ...uint16(value, le), 0, 0];
  return concatBytes(
    asciiBytes(le ? 'II' : 'MM'),
    uint16(42, le),
    uint32(8, le), // IFD0 right after the header
    uint16(2, le),
    entry(0x0128, 3, 2), // ResolutionUnit: inches
    entry(0x0112, options.asLong ? 4 : 3, orientation),
    uint32(0, le), // no IFD1
  );
}

/** A JPEG APP1 segment (`FF E1`, length, `Exif\0\0`, TIFF) with this orientation. */
export function exifSegment(orientation: number, options: ExifOptions = {}): Bytes {
  const payload = concatBytes(asciiBytes('Exif\0\0'), tiffWithOrientation(orientation, options));
  return concatBytes([0xff, 0xe1], uint16(payload.length + 2), payload);
}

/**
 * The JPEG with an EXIF APP1 segment holding `orientation`: any Exif APP1 it
 * had is removed; the new one goes right after SOI (after APP0/JFIF when
 * there is one, as cameras and editors do). The pixels stay as stored.
 */
export function withExifOrientation(
  jpeg: Uint8Array,
  orientation: number,
  options: ExifOptions = {},
): Bytes {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('withExifOrientation: not a JPEG');
  const kept: Uint8Array[] = [];
  let insertAt = 2;
  let at = 2;
  // Copy the segments before the scan, leaving out Exif APP1s.
  while (at + 4 <= jpeg.length && jpeg[at] === 0xff && jpeg[at + 1] !== 0xda) {
    const marker = jpeg[at + 1];
    const end = at + 2 + ((jpeg[at + 2] << 8) | jpeg[at + 3]);
    const isExif =
      marker === 0xe1 && String.fromCharCode(...jpeg.subarray(at + 4, at + 10)) === 'Exif\0\0';
    if (!isExif) kept.push(jpeg.subarray(at, end));
    if (marker === 0xe0 && kept.length === 1) insertAt = 2 + (end - at);
    at = end;
  }
  const head = concatBytes(...kept);
  return concatBytes(
    [0xff, 0xd8],
    head.subarray(0, insertAt - 2),
    exifSegment(orientation, options),
    head.subarray(insertAt - 2),
    jpeg.subarray(at),
  );
}

export interface JpegSkeletonOptions {
  /** SOF marker: 0xC0 baseline (default), 0xC2 progressive. */
  sof?: number;
  orientation?: number;
  exif?: ExifOptions;
  /** Write SOS, some scan data and EOI (default true). */
  complete?: boolean;
  /** Random-looking bytes after the header (and before EOI when complete). */
  padding?: number;
}

/**
 * A JPEG's structure without real image data: SOI, APP0, optional EXIF, DQT,
 * SOF with the dimensions, then (when complete) SOS, filler and EOI. Enough
 * for header parsing; no decoder can make a picture of it.
 */
export function jpegSkeleton(
  width: number,
  height: number,
  options: JpegSkeletonOptions = {},
): Bytes {
  const app0 = concatBytes(
    [0xff, 0xe0],
    uint16(16),
    asciiBytes('JFIF\0'),
    [1, 1, 0, 0, 1, 0, 1, 0, 0],
  );
  const dqt = concatBytes([0xff, 0xdb], uint16(67), [0], new Uint8Array(64).fill(1));
  const sof = concatBytes(
    [0xff, options.sof ?? 0xc0],
    uint16(17),
    [8],
    uint16(height),
    uint16(width),
    [3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1],
  );
  const padding = pseudoRandomBytes(options.padding ?? 0, width ^ height);
  const parts: ArrayLike<number>[] = [[0xff, 0xd8], app0];
  if (options.orientation !== undefined) parts.push(exifSegment(options.orientation, options.exif));
  parts.push(dqt, sof);
  if (options.complete ?? true) {
    const sos = concatBytes([0xff, 0xda], uint16(12), [3, 1, 0, 2, 0x11, 3, 0x11, 0, 0x3f, 0]);
    parts.push(sos, stuffScanData(padding), [0x12, 0x34, 0xff, 0xd9]);
  } else {
    parts.push(padding);
  }
  return concatBytes(...parts);
}

/** Scan data never holds a bare 0xFF: it is stuffed as FF 00. */
function stuffScanData(bytes: Uint8Array): Bytes {
  const out: number[] = [];
  for (const byte of bytes) out.push(...(byte === 0xff ? [0xff, 0x00] : [byte]));
  return Uint8Array.from(out);
}

/** Deterministic noise bytes (mulberry32). */
export function pseudoRandomBytes(length: number, seed = 1): Bytes {
  const random = mulberry32(seed);
  const out = new Uint8Array(length);
  for (let at = 0; at < length; at++) out[at] = Math.floor(random() * 256);
  return out;
}

/** A seeded PRNG in [0, 1): fixtures are the same on every run (the emulator's own). */

export { mulberry32 };

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** One PNG chunk: length, type, data, CRC. */
export function pngChunk(type: string, data: ArrayLike<number> = []): Bytes {
  const typeAndData = concatBytes(asciiBytes(type), data);
  return concatBytes(uint32(data.length), typeAndData, uint32(crc32(typeAndData)));
}

/** A PNG's chunks (IHDR, optional eXIf, an IDAT of filler, IEND unless cut short). */
export function pngSkeleton(
  width: number,
  height: number,
  options: { orientation?: number; exif?: ExifOptions; complete?: boolean } = {},
): Bytes {
  const ihdr = pngChunk('IHDR', concatBytes(uint32(width), uint32(height), [8, 6, 0, 0, 0]));
  const parts: ArrayLike<number>[] = [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], ihdr];
  if (options.orientation !== undefined) {
    parts.push(pngChunk('eXIf', tiffWithOrientation(options.orientation, options.exif)));
  }
  parts.push(pngChunk('IDAT', pseudoRandomBytes(64)));
  if (options.complete ?? true) parts.push(pngChunk('IEND'));
  return concatBytes(...parts);
}

/**
 * A GIF: header, logical screen, a 2-colour table and one frame whose LZW data
 * is the classic 1×1 pixel (so only a 1×1 GIF is decodable), then the trailer.
 */
export function gifBytes(width = 1, height = 1, options: { complete?: boolean } = {}): Bytes {
  const bytes = concatBytes(
    asciiBytes('GIF89a'),
    uint16(width, true),
    uint16(height, true),
    [0x80, 0, 0], // global colour table of 2 entries
    [0, 0, 0, 0xff, 0xff, 0xff],
    [0x2c, 0, 0, 0, 0, ...uint16(width, true), ...uint16(height, true), 0],
    [0x02, 0x02, 0x44, 0x01, 0x00], // LZW min code size 2, one sub-block, terminator
    [0x3b],
  );
  return options.complete === false ? bytes.slice(0, bytes.length - 4) : bytes;
}

/** A WebP RIFF with a first chunk of each kind; VP8X can carry an EXIF chunk. */
export function webpSkeleton(
  kind: 'VP8 ' | 'VP8L' | 'VP8X',
  width: number,
  height: number,
  options: { orientation?: number; exif?: ExifOptions } = {},
): Bytes {
  const chunk = (type: string, data: ArrayLike<number>) =>
    concatBytes(asciiBytes(type), uint32(data.length, true), data, data.length % 2 ? [0] : []);
  const chunks: Uint8Array[] = [];
  if (kind === 'VP8 ') {
    // frame tag (key frame), start code, 14-bit sizes (upper 2 bits: scale)
    chunks.push(
      chunk('VP8 ', [
        0x10,
        0x02,
        0x00,
        0x9d,
        0x01,
        0x2a,
        ...uint16(width, true),
        ...uint16(height, true),
        0,
        0,
      ]),
    );
  } else if (kind === 'VP8L') {
    const bits = ((width - 1) & 0x3fff) | (((height - 1) & 0x3fff) << 14);
    chunks.push(chunk('VP8L', [0x2f, ...uint32(bits >>> 0, true), 0, 0, 0]));
  } else {
    const flags = options.orientation !== undefined ? 0x08 : 0;
    const size24 = (value: number) => [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff];
    chunks.push(chunk('VP8X', [flags, 0, 0, 0, ...size24(width - 1), ...size24(height - 1)]));
    chunks.push(chunk('VP8L', [0x2f, 0, 0, 0, 0, 0]));
    if (options.orientation !== undefined) {
      chunks.push(chunk('EXIF', tiffWithOrientation(options.orientation, options.exif)));
    }
  }
  const body = concatBytes(asciiBytes('WEBP'), ...chunks);
  return concatBytes(asciiBytes('RIFF'), uint32(body.length, true), body);
}

/** An uncompressed 24-bit BMP header (pixel rows included when complete). */
export function bmpSkeleton(
  width: number,
  height: number,
  options: { complete?: boolean } = {},
): Bytes {
  const rowBytes = Math.ceil((width * 24) / 32) * 4;
  const pixels = rowBytes * height;
  const header = concatBytes(
    asciiBytes('BM'),
    uint32(54 + pixels, true),
    [0, 0, 0, 0],
    uint32(54, true),
    uint32(40, true),
    uint32(width, true),
    uint32(-height >>> 0, true), // top-down rows: a negative height
    uint16(1, true),
    uint16(24, true),
    uint32(0, true), // BI_RGB
    uint32(pixels, true),
    new Uint8Array(16),
  );
  return options.complete === false
    ? header
    : concatBytes(header, new Uint8Array(pixels).fill(0x80));
}

function isoBox(type: string, ...content: ArrayLike<number>[]): Bytes {
  const body = concatBytes(...content);
  return concatBytes(uint32(body.length + 8), asciiBytes(type), body);
}

function isoFullBox(type: string, ...content: ArrayLike<number>[]): Bytes {
  return isoBox(type, [0, 0, 0, 0], ...content);
}

/**
 * An HEIF file as phones write it (ftyp, meta with hdlr, pitm and an ipco
 * holding one `ispe` per 512×512 tile plus the full picture, mdat of noise),
 * structurally complete but with no decodable picture.
 */
export function heifSkeleton(
  width: number,
  height: number,
  options: { brand?: string; compatible?: string[]; complete?: boolean } = {},
): Bytes {
  const brand = options.brand ?? 'heic';
  const ftyp = isoBox(
    'ftyp',
    asciiBytes(brand),
    uint32(0),
    ...(options.compatible ?? ['mif1', brand]).map(asciiBytes),
  );
  const ispe = (w: number, h: number) => isoFullBox('ispe', uint32(w), uint32(h));
  const meta = isoFullBox(
    'meta',
    isoFullBox('hdlr', uint32(0), asciiBytes('pict'), new Uint8Array(13)),
    isoFullBox('pitm', uint16(1)),
    isoBox('iprp', isoBox('ipco', ispe(512, 512), ispe(width, height), ispe(512, 512))),
  );
  const mdat = isoBox('mdat', pseudoRandomBytes(2048, 7));
  const file = concatBytes(ftyp, meta, mdat);
  return options.complete === false ? file.slice(0, file.length - 1024) : file;
}

/** A small SVG document, with an XML declaration and a comment before the root. */
export const SVG_TEXT =
  '<?xml version="1.0" encoding="UTF-8"?>\n<!-- a drawing -->\n' +
  '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300">' +
  '<rect width="400" height="300" fill="red"/></svg>';

// ---------------------------------------------------------- canvas builders

export type Pattern = 'quadrants' | 'photo' | 'noisy-photo' | 'transparent';

/** Colours of the 'quadrants' pattern, as stored. */
export const QUADRANT_COLORS = {
  topLeft: [255, 0, 0],
  topRight: [0, 255, 0],
  bottomLeft: [0, 0, 255],
  bottomRight: [255, 255, 0],
} as const satisfies Record<string, readonly [number, number, number]>;

export type Rgb = readonly [number, number, number];

/**
 * A canvas with a pattern:
 * - `quadrants`: four solid quarters (`QUADRANT_COLORS`), asymmetric under every turn and flip;
 * - `photo`: smooth colour fields under seeded grain, compressing like a photo;
 * - `noisy-photo`: the same under heavy grain (a high-ISO shot; compresses badly);
 * - `transparent`: a red disc on fully transparent pixels, with a half-transparent band.
 */
export function drawPattern(
  width: number,
  height: number,
  pattern: Pattern = 'quadrants',
): OffscreenCanvas {
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d')!;
  const halfW = Math.floor(width / 2);
  const halfH = Math.floor(height / 2);
  const fill = (color: Rgb, x: number, y: number, w: number, h: number) => {
    context.fillStyle = `rgb(${color.join(' ')})`;
    context.fillRect(x, y, w, h);
  };
  switch (pattern) {
    case 'quadrants':
      fill(QUADRANT_COLORS.topLeft, 0, 0, halfW, halfH);
      fill(QUADRANT_COLORS.topRight, halfW, 0, width - halfW, halfH);
      fill(QUADRANT_COLORS.bottomLeft, 0, halfH, halfW, height - halfH);
      fill(QUADRANT_COLORS.bottomRight, halfW, halfH, width - halfW, height - halfH);
      break;
    case 'transparent':
      context.fillStyle = 'rgb(255 0 0)';
      context.beginPath();
      context.arc(halfW, halfH, Math.min(halfW, halfH) / 2, 0, 2 * Math.PI);
      context.fill();
      context.fillStyle = 'rgb(0 0 255 / 50%)';
      context.fillRect(0, height - Math.ceil(height / 8), width, Math.ceil(height / 8));
      break;
    case 'photo':
    case 'noisy-photo': {
      // Smooth colour fields under sensor-like grain, heavy for a high-ISO shot.
      const image = context.createImageData(width, height);
      const data = image.data;
      const random = mulberry32(width * 31 + height);
      const grain = pattern === 'noisy-photo' ? 255 : 90;
      for (let y = 0, at = 0; y < height; y++) {
        for (let x = 0; x < width; x++, at += 4) {
          const u = x / width;
          const v = y / height;
          const base = [
            120 + 100 * Math.sin(6 * u + 2 * v),
            110 + 90 * Math.cos(5 * v - 3 * u),
            100 + 80 * Math.sin(9 * u * v),
          ];
          for (let channel = 0; channel < 3; channel++) {
            data[at + channel] = base[channel] + (random() - 0.5) * grain;
          }
          data[at + 3] = 255;
        }
      }
      context.putImageData(image, 0, 0);
      break;
    }
  }
  return canvas;
}

export async function blobBytes(blob: Blob): Promise<Bytes> {
  return new Uint8Array(await blob.arrayBuffer());
}

export interface MakeImageOptions {
  pattern?: Pattern;
  /** Adds an EXIF APP1 with this orientation; the pixels stay as stored. */
  orientation?: number;
  exif?: ExifOptions;
  /** JPEG quality of the canvas encoder (default 0.92). */
  quality?: number;
}

/**
 * A real JPEG (`image/jpeg` Blob) of `width`×`height` stored pixels drawn
 * with `pattern` (default 'quadrants'), with an EXIF orientation when asked.
 * Browser only.
 */
export async function makeJpeg(
  width: number,
  height: number,
  options: MakeImageOptions = {},
): Promise<Blob> {
  const canvas = drawPattern(width, height, options.pattern);
  const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: options.quality ?? 0.92 });
  if (options.orientation === undefined) return blob;
  const bytes = withExifOrientation(await blobBytes(blob), options.orientation, options.exif);
  return new Blob([bytes], { type: 'image/jpeg' });
}

/** A real PNG Blob (keeps transparency: use pattern 'transparent'). Browser only. */
export async function makePng(
  width: number,
  height: number,
  pattern: Pattern = 'transparent',
): Promise<Blob> {
  return drawPattern(width, height, pattern).convertToBlob({ type: 'image/png' });
}

export interface Pixels {
  width: number;
  height: number;
  /** RGBA at (x, y). */
  at(x: number, y: number): [number, number, number, number];
}

/** Decodes an image Blob and gives access to its pixels. Browser only. */
export async function readPixels(blob: Blob): Promise<Pixels> {
  const bitmap = await createImageBitmap(blob);
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d')!;
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
  return {
    width,
    height,
    at(x, y) {
      const at = (Math.floor(y) * width + Math.floor(x)) * 4;
      return [data[at], data[at + 1], data[at + 2], data[at + 3]];
    },
  };
}

/** True when every channel of `actual` is within `tolerance` of `expected`. */
export function isColor(actual: ArrayLike<number>, expected: Rgb, tolerance = 48): boolean {
  return expected.every((value, channel) => Math.abs(actual[channel] - value) <= tolerance);
}
