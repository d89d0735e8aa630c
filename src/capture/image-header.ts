/**
 * Reads what a photo is from its bytes, without decoding it: the format, the
 * stored dimensions and the EXIF orientation, plus whether the file's
 * structure is complete (a photo cut short in transfer). Pure and DOM-free;
 * never throws on garbage. The checks before decoding (too large, truncated,
 * not an image) rely on it, so a 100-megapixel bomb is refused without ever
 * being decoded.
 */
import { readExifOrientation, type ExifOrientation, type OrientationField } from './exif.js';

export type ImageFormat =
  'jpeg' | 'png' | 'gif' | 'webp' | 'bmp' | 'avif' | 'heic' | 'svg' | 'unknown';

export interface ImageHeader {
  format: ImageFormat;
  /** Stored width in pixels (before orientation), when the header says it. */
  width?: number;
  /** Stored height in pixels (before orientation), when the header says it. */
  height?: number;
  /** EXIF orientation 1–8; 1 when there is none. */
  orientation: number;
  /** Where the EXIF Orientation value sits in the file, when there is one. */
  orientationField?: OrientationField;
}

/**
 * Reads the format, dimensions and EXIF orientation from the first bytes of
 * an image file (the whole file works too). Missing or damaged fields are
 * left undefined; bytes that are no known image give format `'unknown'`.
 */
export function readImageHeader(bytes: Uint8Array): ImageHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const format = sniffFormat(bytes, view);
  const header: ImageHeader = { format, orientation: 1 };
  FORMATS[format]?.read(bytes, view, header);
  return header;
}

/**
 * True when the file's structure is whole: a JPEG has its end-of-image marker
 * after the scan data, a PNG reaches IEND, a GIF holds a complete first
 * frame, and WebP, BMP, AVIF and HEIC hold as many bytes as their headers
 * announce. Needs the whole file. Formats without a check answer true.
 */
export function isImageComplete(bytes: Uint8Array, format: ImageFormat): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return FORMATS[format]?.isComplete(bytes, view) ?? true;
}

/** What this module knows of one format's structure. */
interface FormatReader {
  /** Sets the header's dimensions and orientation from what the bytes say. */
  read(bytes: Uint8Array, view: DataView, header: ImageHeader): void;
  /** True when the file holds all the structure its header announces. */
  isComplete(bytes: Uint8Array, view: DataView): boolean;
}

const ISO_BMFF: FormatReader = { read: readIsoBmff, isComplete: isoBmffComplete };

const FORMATS: Partial<Record<ImageFormat, FormatReader>> = {
  jpeg: { read: readJpeg, isComplete: jpegComplete },
  png: { read: readPng, isComplete: pngComplete },
  gif: { read: readGif, isComplete: gifComplete },
  webp: { read: readWebp, isComplete: webpComplete },
  bmp: { read: readBmp, isComplete: bmpComplete },
  avif: ISO_BMFF,
  heic: ISO_BMFF,
};

// ---------------------------------------------------------------- sniffing

const AVIF_BRANDS = new Set(['avif', 'avis']);
const HEIC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx']);
/** Generic HEIF brands: an AVIF says so in its compatible brands, anything else is HEIF. */
const HEIF_BRANDS = new Set(['mif1', 'msf1', 'mif2', 'heif']);

function sniffFormat(bytes: Uint8Array, view: DataView): ImageFormat {
  if (ascii(bytes, 0, 3) === '\xff\xd8\xff') return 'jpeg';
  if (ascii(bytes, 0, 8) === '\x89PNG\r\n\x1a\n') return 'png';
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return 'gif';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return 'webp';
  if (ascii(bytes, 0, 2) === 'BM' && bytes.length >= 14) return 'bmp';
  if (ascii(bytes, 4, 4) === 'ftyp') return isoBmffFormat(bytes, view);
  if (looksLikeSvg(bytes)) return 'svg';
  return 'unknown';
}

function isoBmffFormat(bytes: Uint8Array, view: DataView): ImageFormat {
  const major = ascii(bytes, 8, 4);
  if (HEIC_BRANDS.has(major)) return 'heic'; // even when AVIF is among its compatible brands
  // The compatible brands follow the minor version, to the end of the ftyp box
  // (its size is there: 'ftyp' at 4 was read).
  const end = Math.min(view.getUint32(0), bytes.length);
  const brands = [major];
  for (let at = 16; at + 4 <= end; at += 4) brands.push(ascii(bytes, at, 4));
  if (brands.some((brand) => AVIF_BRANDS.has(brand))) return 'avif';
  if (brands.some((brand) => HEIC_BRANDS.has(brand) || HEIF_BRANDS.has(brand))) return 'heic';
  return 'unknown'; // MP4, QuickTime and other ISO media: not images
}

/** An SVG document: its first element (after an XML declaration, comments and a doctype) is `<svg`. */
function looksLikeSvg(bytes: Uint8Array): boolean {
  // A UTF-8 byte order mark, as Latin-1 (the text here holds no character above U+00FF).
  let text = ascii(bytes, 0, 4096).replace(/^\xEF\xBB\xBF/, '');
  const prolog = /^\s*(<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>[]*(\[[\s\S]*?\])?\s*>)/i;
  for (let match = prolog.exec(text); match; match = prolog.exec(text)) {
    text = text.slice(match[0].length);
  }
  return /^\s*<svg[\s>/:]/i.test(text);
}

// ------------------------------------------------------------------- JPEG

interface JpegLayout {
  width?: number;
  height?: number;
  exif?: ExifOrientation;
  /** Offset of the first SOS marker, or -1 when the scan data was not reached. */
  scanStart: number;
}

/** Start-of-frame markers carrying the dimensions (C4, C8 and CC are other tables). */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/** Walks the marker segments from SOI to the first SOS. */
function walkJpeg(bytes: Uint8Array, view: DataView): JpegLayout {
  const layout: JpegLayout = { scanStart: -1 };
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) break; // not a marker: damaged
    const marker = bytes[at + 1];
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      at += 2; // markers without a length
      continue;
    }
    if (marker === 0xd9) break;
    if (marker === 0xda) {
      layout.scanStart = at;
      break;
    }
    const length = view.getUint16(at + 2);
    if (length < 2) break;
    const content = at + 4;
    const end = at + 2 + length;
    if (isStartOfFrame(marker) && layout.width === undefined && content + 5 <= bytes.length) {
      // precision (1 byte), height, width; a height of 0 is defined later by DNL.
      layout.height = view.getUint16(content + 1) || undefined;
      layout.width = view.getUint16(content + 3) || undefined;
    } else if (
      marker === 0xe1 &&
      layout.exif === undefined &&
      ascii(bytes, content, 6) === 'Exif\0\0'
    ) {
      layout.exif = readExifOrientation(bytes, content + 6, end);
    }
    at = end;
  }
  return layout;
}

function readJpeg(bytes: Uint8Array, view: DataView, header: ImageHeader): void {
  const layout = walkJpeg(bytes, view);
  setSize(header, layout.width, layout.height);
  setExif(header, layout.exif);
}

function jpegComplete(bytes: Uint8Array, view: DataView): boolean {
  const { scanStart } = walkJpeg(bytes, view);
  if (scanStart < 0) return false;
  // In the scan data a 0xFF byte is always stuffed (FF 00) or a restart
  // marker, so FF D9 is the end-of-image marker. Data after it (Motion
  // Photo videos, MPF secondary images) does not matter.
  for (let at = bytes.indexOf(0xd9, scanStart + 2); at !== -1; at = bytes.indexOf(0xd9, at + 1)) {
    if (bytes[at - 1] === 0xff) return true;
  }
  return false;
}

// -------------------------------------------------------------------- PNG

interface PngChunk {
  type: string;
  /** Offset of the chunk's data. */
  data: number;
  length: number;
  /** Offset after the CRC. */
  end: number;
}

function* pngChunks(bytes: Uint8Array, view: DataView): Generator<PngChunk> {
  for (let at = 8; at + 8 <= bytes.length;) {
    const length = view.getUint32(at);
    const chunk = { type: ascii(bytes, at + 4, 4), data: at + 8, length, end: at + 12 + length };
    yield chunk;
    at = chunk.end;
  }
}

function readPng(bytes: Uint8Array, view: DataView, header: ImageHeader): void {
  if (bytes.length >= 24 && ascii(bytes, 12, 4) === 'IHDR') {
    setSize(header, view.getUint32(16), view.getUint32(20));
  }
  for (const chunk of pngChunks(bytes, view)) {
    if (chunk.type === 'IDAT' || chunk.type === 'IEND') break;
    if (chunk.type === 'eXIf') {
      setExif(header, readTiffBlock(bytes, chunk.data, chunk.data + chunk.length));
      break;
    }
  }
}

function pngComplete(bytes: Uint8Array, view: DataView): boolean {
  for (const chunk of pngChunks(bytes, view)) {
    if (chunk.end > bytes.length) return false;
    if (chunk.type === 'IEND') return true;
  }
  return false;
}

// -------------------------------------------------------------------- GIF

/** Size in bytes of a colour table announced by a flags byte (0 when absent). */
function gifColorTableSize(flags: number): number {
  return flags & 0x80 ? 3 * (1 << ((flags & 0x07) + 1)) : 0;
}

/** Offset after a run of sub-blocks ending in a zero-length block, or -1 when cut short. */
function skipGifSubBlocks(bytes: Uint8Array, at: number): number {
  while (at < bytes.length) {
    const size = bytes[at];
    at += 1 + size;
    if (size === 0) return at;
  }
  return -1;
}

function readGif(bytes: Uint8Array, view: DataView, header: ImageHeader): void {
  if (bytes.length >= 10) setSize(header, view.getUint16(6, true), view.getUint16(8, true));
}

/** True when the first frame (the one decoders show) is whole. */
function gifComplete(bytes: Uint8Array): boolean {
  if (bytes.length < 13) return false;
  let at = 13 + gifColorTableSize(bytes[10]);
  while (at < bytes.length) {
    const block = bytes[at];
    if (block === 0x21) {
      at = skipGifSubBlocks(bytes, at + 2); // extension: introducer, label, sub-blocks
    } else if (block === 0x2c) {
      if (at + 10 > bytes.length) return false;
      // image descriptor, local colour table, LZW minimum code size, sub-blocks
      at = skipGifSubBlocks(bytes, at + 10 + gifColorTableSize(bytes[at + 9]) + 1);
      return at !== -1;
    } else {
      return false; // trailer or garbage before any frame
    }
    if (at === -1) return false;
  }
  return false;
}

// ------------------------------------------------------------------- WebP

function readWebp(bytes: Uint8Array, view: DataView, header: ImageHeader): void {
  const first = ascii(bytes, 12, 4);
  if (first === 'VP8 ' && bytes.length >= 30 && ascii(bytes, 23, 3) === '\x9d\x01\x2a') {
    setSize(header, view.getUint16(26, true) & 0x3fff, view.getUint16(28, true) & 0x3fff);
  } else if (first === 'VP8L' && bytes.length >= 25 && bytes[20] === 0x2f) {
    const bits = view.getUint32(21, true);
    setSize(header, (bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
  } else if (first === 'VP8X' && bytes.length >= 30) {
    setSize(header, uint24(bytes, 24) + 1, uint24(bytes, 27) + 1);
    const hasExif = (bytes[20] & 0x08) !== 0;
    if (hasExif) setExif(header, findWebpExif(bytes, view));
  }
}

function webpComplete(bytes: Uint8Array, view: DataView): boolean {
  return bytes.length >= 12 && view.getUint32(4, true) + 8 <= bytes.length;
}

function findWebpExif(bytes: Uint8Array, view: DataView): ExifOrientation | undefined {
  for (let at = 12; at + 8 <= bytes.length;) {
    const size = view.getUint32(at + 4, true);
    if (ascii(bytes, at, 4) === 'EXIF') return readTiffBlock(bytes, at + 8, at + 8 + size);
    at += 8 + size + (size % 2); // chunks are padded to an even size
  }
  return undefined;
}

// -------------------------------------------------------------------- BMP

function readBmp(bytes: Uint8Array, view: DataView, header: ImageHeader): void {
  if (bytes.length < 26) return;
  const dibSize = view.getUint32(14, true);
  if (dibSize === 12) setSize(header, view.getUint16(18, true), view.getUint16(20, true));
  else if (dibSize >= 40) {
    setSize(header, Math.abs(view.getInt32(18, true)), Math.abs(view.getInt32(22, true)));
  }
}

function bmpComplete(bytes: Uint8Array, view: DataView): boolean {
  if (bytes.length < 34) return false;
  const dibSize = view.getUint32(14, true);
  const pixelsAt = view.getUint32(10, true);
  if (pixelsAt >= bytes.length) return false;
  if (dibSize >= 40 && view.getUint32(30, true) === 0) {
    // Uncompressed: rows of width × bits, padded to 4 bytes.
    const width = Math.abs(view.getInt32(18, true));
    const height = Math.abs(view.getInt32(22, true));
    const bitsPerPixel = view.getUint16(28, true);
    const rowBytes = Math.ceil((width * bitsPerPixel) / 32) * 4;
    return pixelsAt + rowBytes * height <= bytes.length;
  }
  const fileSize = view.getUint32(2, true);
  return fileSize === 0 || fileSize <= bytes.length;
}

// ------------------------------------------------------------- AVIF, HEIC

interface Box {
  type: string;
  /** Offset of the box's content. */
  content: number;
  /** Offset after the box (may lie beyond the bytes when cut short). */
  end: number;
}

/** The whole file, as the container of the top-level boxes. */
const FILE_BOX: Box = { type: '', content: 0, end: Infinity };

/**
 * The boxes in `parent`, after `skip` bytes of its content (a full box's
 * version and flags), up to the end of `parent` or of the bytes; stops at a
 * damaged size.
 */
function* isoBoxes(bytes: Uint8Array, view: DataView, parent: Box, skip = 0): Generator<Box> {
  const end = Math.min(parent.end, bytes.length);
  for (let at = parent.content + skip; at + 8 <= end;) {
    let size = view.getUint32(at);
    let headerSize = 8;
    if (size === 1) {
      if (at + 16 > end) return;
      size = view.getUint32(at + 8) * 2 ** 32 + view.getUint32(at + 12);
      headerSize = 16;
    } else if (size === 0) {
      size = end - at; // extends to the end of its container
    }
    if (size < headerSize) return;
    yield { type: ascii(bytes, at + 4, 4), content: at + headerSize, end: at + size };
    at += size;
  }
}

function childBox(bytes: Uint8Array, view: DataView, parent: Box, type: string, skip = 0) {
  for (const box of isoBoxes(bytes, view, parent, skip)) {
    if (box.type === type) return box;
  }
  return undefined;
}

/**
 * Dimensions from the image spatial extents (`ispe`) in meta/iprp/ipco. A
 * grid image has one per tile plus one for the whole picture: the largest is
 * the picture. (Rotation boxes are left to the decoder, which applies them.)
 */
function readIsoBmff(bytes: Uint8Array, view: DataView, header: ImageHeader): void {
  const meta = childBox(bytes, view, FILE_BOX, 'meta');
  const iprp = meta && childBox(bytes, view, meta, 'iprp', 4); // meta is a full box
  const ipco = iprp && childBox(bytes, view, iprp, 'ipco');
  if (!ipco) return;
  let best: { width: number; height: number } | undefined;
  for (const box of isoBoxes(bytes, view, ipco)) {
    if (box.type !== 'ispe' || box.content + 12 > bytes.length) continue;
    const width = view.getUint32(box.content + 4);
    const height = view.getUint32(box.content + 8);
    if (!best || width * height > best.width * best.height) best = { width, height };
  }
  setSize(header, best?.width, best?.height);
}

function isoBmffComplete(bytes: Uint8Array, view: DataView): boolean {
  let sawMedia = false;
  for (const box of isoBoxes(bytes, view, FILE_BOX)) {
    if (box.end > bytes.length) return false;
    if (box.type === 'mdat' || box.type === 'idat') sawMedia = true;
    if (box.type === 'meta' && childBox(bytes, view, box, 'idat', 4)) sawMedia = true;
  }
  return sawMedia;
}

// ---------------------------------------------------------------- helpers

/** An EXIF block inside PNG eXIf or WebP EXIF: TIFF data, sometimes after `Exif\0\0`. */
function readTiffBlock(bytes: Uint8Array, start: number, end: number) {
  const tiffStart = ascii(bytes, start, 6) === 'Exif\0\0' ? start + 6 : start;
  return readExifOrientation(bytes, tiffStart, end);
}

/** Sets the dimensions when both are known (a 0 is unknown too). */
function setSize(header: ImageHeader, width = 0, height = 0): void {
  if (width > 0 && height > 0) {
    header.width = width;
    header.height = height;
  }
}

function setExif(header: ImageHeader, exif: ExifOrientation | undefined): void {
  if (!exif) return;
  header.orientation = exif.orientation;
  header.orientationField = exif.field;
}

/** Bytes as Latin-1 text ('' past the end). */
function ascii(bytes: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(start, start + length));
}

function uint24(bytes: Uint8Array, at: number): number {
  return bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16);
}
