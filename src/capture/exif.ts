/**
 * EXIF orientation: reading the Orientation tag (0x0112) from a TIFF/EXIF
 * block, resetting it in a file's bytes, and the geometry each of the eight
 * values stands for. Pure and DOM-free, so it runs (and is tested) in Node.
 */

/** The EXIF Orientation tag. */
const ORIENTATION_TAG = 0x0112;
const TYPE_SHORT = 3;
const TYPE_LONG = 4;
/** "II" then 42 as a little-endian 16-bit number. */
const TIFF_LITTLE_ENDIAN = 0x49492a00;
/** "MM" then 42 as a big-endian 16-bit number. */
const TIFF_BIG_ENDIAN = 0x4d4d002a;
/** Real IFD0s hold a few dozen entries; a larger count means garbage. */
const MAX_IFD_ENTRIES = 1000;

/** Where an Orientation value sits in a file, so it can be rewritten in place. */
export interface OrientationField {
  /** Byte offset of the value in the whole file. */
  offset: number;
  /** 2 for a SHORT (the normal type), 4 for a LONG. */
  byteLength: 2 | 4;
  littleEndian: boolean;
}

export interface ExifOrientation {
  /** 1–8. */
  orientation: number;
  field: OrientationField;
}

/** A 2D affine matrix `[a, b, c, d, e, f]` as taken by `CanvasRenderingContext2D.setTransform`. */
export type Matrix2D = readonly [number, number, number, number, number, number];

/** True for a valid EXIF orientation (1–8). */
export function isOrientation(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 8;
}

/**
 * Reads the Orientation tag of IFD0 from a TIFF structure (an EXIF block
 * after its `Exif\0\0` prefix) found at `bytes[start..end)`. Returns
 * undefined when there is no valid tag; never throws on garbage.
 */
export function readExifOrientation(
  bytes: Uint8Array,
  start = 0,
  end = bytes.length,
): ExifOrientation | undefined {
  end = Math.min(end, bytes.length);
  if (start < 0 || end - start < 8) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The TIFF header: the byte order ("II" little-endian, "MM" big-endian), then 42 in it.
  const signature = view.getUint32(start);
  if (signature !== TIFF_LITTLE_ENDIAN && signature !== TIFF_BIG_ENDIAN) return undefined;
  const littleEndian = signature === TIFF_LITTLE_ENDIAN;

  const ifd0 = start + view.getUint32(start + 4, littleEndian);
  if (ifd0 < start + 8 || ifd0 + 2 > end) return undefined;
  const count = Math.min(view.getUint16(ifd0, littleEndian), MAX_IFD_ENTRIES);
  for (let index = 0; index < count; index++) {
    const entry = ifd0 + 2 + index * 12;
    if (entry + 12 > end) return undefined;
    if (view.getUint16(entry, littleEndian) !== ORIENTATION_TAG) continue;
    const type = view.getUint16(entry + 2, littleEndian);
    // Values of up to 4 bytes sit left-justified in the entry's value field.
    const valueOffset = entry + 8;
    if (type === TYPE_SHORT) {
      const orientation = view.getUint16(valueOffset, littleEndian);
      if (!isOrientation(orientation)) return undefined;
      return { orientation, field: { offset: valueOffset, byteLength: 2, littleEndian } };
    }
    if (type === TYPE_LONG) {
      const orientation = view.getUint32(valueOffset, littleEndian);
      if (!isOrientation(orientation)) return undefined;
      return { orientation, field: { offset: valueOffset, byteLength: 4, littleEndian } };
    }
    return undefined;
  }
  return undefined;
}

/**
 * The Blob `source` with its Orientation value rewritten to 1, built from
 * slices so a large photo is not copied. Decoders then hand out the pixels as
 * stored whatever their own orientation handling, and the caller applies the
 * orientation itself, the same way in every browser.
 */
export function blobWithOrientationReset(source: Blob, field: OrientationField): Blob {
  // 1 as a SHORT or LONG in the file's byte order: its lowest byte first or last.
  const one = new Uint8Array(field.byteLength);
  one[field.littleEndian ? 0 : field.byteLength - 1] = 1;
  return new Blob(
    [source.slice(0, field.offset), one, source.slice(field.offset + field.byteLength)],
    { type: source.type },
  );
}

/** True when the orientation swaps width and height (5–8: a quarter turn). */
export function swapsDimensions(orientation: number): boolean {
  return orientation >= 5 && orientation <= 8;
}

/** The displayed size of a `width`×`height` stored image with this orientation. */
export function orientedSize(
  orientation: number,
  width: number,
  height: number,
): { width: number; height: number } {
  return swapsDimensions(orientation) ? { width: height, height: width } : { width, height };
}

/**
 * The matrix that maps a stored image drawn at (0, 0) with size
 * `width`×`height` onto a canvas of its displayed size (see `orientedSize`).
 * Unknown values are treated as 1.
 */
export function orientationMatrix(orientation: number, width: number, height: number): Matrix2D {
  switch (orientation) {
    case 2: // mirrored left-right
      return [-1, 0, 0, 1, width, 0];
    case 3: // turned 180°
      return [-1, 0, 0, -1, width, height];
    case 4: // mirrored top-bottom
      return [1, 0, 0, -1, 0, height];
    case 5: // transposed: stored rows become columns
      return [0, 1, 1, 0, 0, 0];
    case 6: // turned 90° clockwise for display
      return [0, 1, -1, 0, height, 0];
    case 7: // transversed
      return [0, -1, -1, 0, height, width];
    case 8: // turned 90° counter-clockwise for display
      return [0, -1, 1, 0, 0, width];
    default:
      return [1, 0, 0, 1, 0, 0];
  }
}
