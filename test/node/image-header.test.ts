import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  blobWithOrientationReset,
  orientationMatrix,
  orientedSize,
  readExifOrientation,
} from '../../src/capture/exif.js';
import { isImageComplete, readImageHeader } from '../../src/capture/image-header.js';
import {
  asciiBytes,
  bmpSkeleton,
  concatBytes,
  gifBytes,
  heifSkeleton,
  jpegSkeleton,
  pngSkeleton,
  pseudoRandomBytes,
  SVG_TEXT,
  tiffWithOrientation,
  webpSkeleton,
  withExifOrientation,
} from '../support/images.js';

/** The value stored at an orientation field, read back the way it was written. */
function valueAt(
  bytes: Uint8Array,
  field: { offset: number; byteLength: 2 | 4; littleEndian: boolean },
) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return field.byteLength === 2
    ? view.getUint16(field.offset, field.littleEndian)
    : view.getUint32(field.offset, field.littleEndian);
}

describe('readImageHeader: JPEG', () => {
  it('reads a baseline (SOF0) JPEG with a big-endian EXIF orientation', () => {
    const bytes = jpegSkeleton(4032, 3024, { orientation: 6 });
    const header = readImageHeader(bytes);
    assert.equal(header.format, 'jpeg');
    assert.equal(header.width, 4032);
    assert.equal(header.height, 3024);
    assert.equal(header.orientation, 6);
    assert.ok(header.orientationField);
    assert.equal(header.orientationField.littleEndian, false);
    assert.equal(valueAt(bytes, header.orientationField), 6);
  });

  it('reads a progressive (SOF2) JPEG with a little-endian EXIF orientation', () => {
    const bytes = jpegSkeleton(1200, 1600, {
      sof: 0xc2,
      orientation: 8,
      exif: { littleEndian: true },
    });
    const header = readImageHeader(bytes);
    assert.deepEqual(
      {
        format: header.format,
        width: header.width,
        height: header.height,
        orientation: header.orientation,
      },
      { format: 'jpeg', width: 1200, height: 1600, orientation: 8 },
    );
    assert.equal(header.orientationField?.littleEndian, true);
    assert.equal(valueAt(bytes, header.orientationField), 8);
  });

  it('reads all eight orientations in both byte orders and as SHORT or LONG', () => {
    for (let orientation = 1; orientation <= 8; orientation++) {
      for (const littleEndian of [false, true]) {
        for (const asLong of [false, true]) {
          const bytes = jpegSkeleton(640, 480, { orientation, exif: { littleEndian, asLong } });
          const header = readImageHeader(bytes);
          assert.equal(
            header.orientation,
            orientation,
            `${orientation} le=${littleEndian} long=${asLong}`,
          );
          assert.equal(header.orientationField?.byteLength, asLong ? 4 : 2);
        }
      }
    }
  });

  it('gives orientation 1 without EXIF, and for out-of-range values', () => {
    assert.equal(readImageHeader(jpegSkeleton(10, 10)).orientation, 1);
    assert.equal(readImageHeader(jpegSkeleton(10, 10)).orientationField, undefined);
    for (const bad of [0, 9, 300]) {
      const header = readImageHeader(jpegSkeleton(10, 10, { orientation: bad }));
      assert.equal(header.orientation, 1);
      assert.equal(header.orientationField, undefined);
    }
  });

  it('does not take a Huffman table (FFC4) for a frame header', () => {
    const skeleton = jpegSkeleton(300, 200);
    const dht = concatBytes([0xff, 0xc4, 0x00, 0x08], [0x00, 0x12, 0x34, 0x56, 0x78, 0x9a]);
    const bytes = concatBytes(skeleton.subarray(0, 2), dht, skeleton.subarray(2));
    const header = readImageHeader(bytes);
    assert.equal(header.width, 300);
    assert.equal(header.height, 200);
  });

  it('finds the EXIF added to a JPEG by withExifOrientation, and replaces an existing one', () => {
    const once = withExifOrientation(jpegSkeleton(64, 48), 3);
    assert.equal(readImageHeader(once).orientation, 3);
    const twice = withExifOrientation(once, 5, { littleEndian: true });
    assert.equal(readImageHeader(twice).orientation, 5);
    assert.equal(twice.length, once.length, 'the old Exif segment is gone');
    assert.equal(readImageHeader(twice).width, 64);
  });

  it('reads the dimensions of a header-only JPEG and knows it is incomplete', () => {
    const bytes = jpegSkeleton(8000, 7000, { complete: false, padding: 4096 });
    const header = readImageHeader(bytes);
    assert.equal(header.width! * header.height!, 56_000_000);
    assert.equal(isImageComplete(bytes, 'jpeg'), false);
  });

  it('tells a whole JPEG from one cut short, and ignores data after the end marker', () => {
    const whole = jpegSkeleton(640, 480, { orientation: 6, padding: 5000 });
    assert.equal(isImageComplete(whole, 'jpeg'), true);
    assert.equal(isImageComplete(whole.subarray(0, whole.length >> 1), 'jpeg'), false);
    assert.equal(isImageComplete(whole.subarray(0, whole.length - 1), 'jpeg'), false);
    const motionPhoto = concatBytes(
      whole,
      asciiBytes('\0\0\0\x18ftypmp42'),
      pseudoRandomBytes(3000),
    );
    assert.equal(isImageComplete(motionPhoto, 'jpeg'), true);
  });

  it('leaves the dimensions out of a JPEG cut inside its header', () => {
    const bytes = jpegSkeleton(640, 480, { orientation: 6 }).subarray(0, 30);
    const header = readImageHeader(bytes);
    assert.equal(header.format, 'jpeg');
    assert.equal(header.width, undefined);
    assert.equal(header.height, undefined);
  });
});

describe('readImageHeader: other formats', () => {
  it('reads PNG IHDR and an eXIf orientation, and whether IEND is there', () => {
    const bytes = pngSkeleton(1920, 1080, { orientation: 6, exif: { littleEndian: true } });
    const header = readImageHeader(bytes);
    assert.deepEqual(
      {
        format: header.format,
        width: header.width,
        height: header.height,
        orientation: header.orientation,
      },
      { format: 'png', width: 1920, height: 1080, orientation: 6 },
    );
    assert.equal(valueAt(bytes, header.orientationField!), 6);
    assert.equal(readImageHeader(pngSkeleton(5, 7)).orientation, 1);
    assert.equal(isImageComplete(bytes, 'png'), true);
    assert.equal(isImageComplete(pngSkeleton(5, 7, { complete: false }), 'png'), false);
    assert.equal(isImageComplete(bytes.subarray(0, bytes.length - 20), 'png'), false);
  });

  it('reads a GIF logical screen and whether its first frame is whole', () => {
    const bytes = gifBytes(320, 240);
    assert.deepEqual(readImageHeader(bytes), {
      format: 'gif',
      width: 320,
      height: 240,
      orientation: 1,
    });
    assert.equal(isImageComplete(gifBytes(), 'gif'), true);
    assert.equal(isImageComplete(gifBytes(1, 1, { complete: false }), 'gif'), false);
  });

  it('reads WebP VP8 (lossy), VP8L (lossless) and VP8X (extended, with EXIF)', () => {
    const lossy = readImageHeader(webpSkeleton('VP8 ', 1024, 768));
    assert.deepEqual(lossy, { format: 'webp', width: 1024, height: 768, orientation: 1 });
    const lossless = readImageHeader(webpSkeleton('VP8L', 16383, 2));
    assert.deepEqual(lossless, { format: 'webp', width: 16383, height: 2, orientation: 1 });
    const extendedBytes = webpSkeleton('VP8X', 9000, 6000, { orientation: 3 });
    const extended = readImageHeader(extendedBytes);
    assert.equal(extended.width, 9000);
    assert.equal(extended.height, 6000);
    assert.equal(extended.orientation, 3);
    assert.equal(valueAt(extendedBytes, extended.orientationField!), 3);
    assert.equal(isImageComplete(extendedBytes, 'webp'), true);
    assert.equal(
      isImageComplete(extendedBytes.subarray(0, extendedBytes.length - 2), 'webp'),
      false,
    );
  });

  it('reads a BMP (top-down rows, negative height) and whether its pixels are all there', () => {
    const bytes = bmpSkeleton(33, 21);
    assert.deepEqual(readImageHeader(bytes), {
      format: 'bmp',
      width: 33,
      height: 21,
      orientation: 1,
    });
    assert.equal(isImageComplete(bytes, 'bmp'), true);
    assert.equal(isImageComplete(bmpSkeleton(33, 21, { complete: false }), 'bmp'), false);
  });

  it('tells HEIC from AVIF by the ftyp brands and reads the largest ispe', () => {
    const heic = readImageHeader(heifSkeleton(4032, 3024));
    assert.deepEqual(heic, { format: 'heic', width: 4032, height: 3024, orientation: 1 });
    assert.equal(
      readImageHeader(heifSkeleton(800, 600, { brand: 'avif', compatible: ['mif1', 'miaf'] }))
        .format,
      'avif',
    );
    assert.equal(
      readImageHeader(heifSkeleton(800, 600, { brand: 'mif1', compatible: ['mif1', 'avif'] }))
        .format,
      'avif',
    );
    assert.equal(
      readImageHeader(heifSkeleton(800, 600, { brand: 'mif1', compatible: ['mif1', 'heic'] }))
        .format,
      'heic',
    );
    assert.equal(
      readImageHeader(heifSkeleton(800, 600, { brand: 'isom', compatible: ['isom', 'mp41'] }))
        .format,
      'unknown',
    );
    assert.equal(isImageComplete(heifSkeleton(800, 600), 'heic'), true);
    assert.equal(isImageComplete(heifSkeleton(800, 600, { complete: false }), 'heic'), false);
  });

  it('recognises SVG documents, with or without a prolog or a byte order mark', () => {
    const encode = (text: string) => new TextEncoder().encode(text);
    assert.equal(readImageHeader(encode(SVG_TEXT)).format, 'svg');
    assert.equal(readImageHeader(encode('\uFEFF  <svg viewBox="0 0 1 1"></svg>')).format, 'svg');
    assert.equal(
      readImageHeader(encode('<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd">\n<svg/>'))
        .format,
      'svg',
    );
    assert.equal(
      readImageHeader(encode('<!DOCTYPE html><html><body><svg></svg></body></html>')).format,
      'unknown',
    );
  });

  it('answers unknown for text, garbage and nothing', () => {
    assert.deepEqual(readImageHeader(new Uint8Array()), { format: 'unknown', orientation: 1 });
    assert.equal(
      readImageHeader(new TextEncoder().encode('hello, this is not a photo')).format,
      'unknown',
    );
    for (let seed = 1; seed <= 50; seed++) {
      const bytes = pseudoRandomBytes(256, seed);
      bytes[0] = 0; // keep random bytes from forming a magic number by chance
      assert.equal(readImageHeader(bytes).format, 'unknown');
    }
  });

  it('never throws on any prefix of any format, nor on garbage after a magic number', () => {
    const fixtures = [
      jpegSkeleton(640, 480, { orientation: 6, padding: 100 }),
      jpegSkeleton(640, 480, {
        sof: 0xc2,
        orientation: 2,
        exif: { littleEndian: true, asLong: true },
      }),
      pngSkeleton(10, 10, { orientation: 6 }),
      gifBytes(3, 3),
      webpSkeleton('VP8 ', 10, 10),
      webpSkeleton('VP8L', 10, 10),
      webpSkeleton('VP8X', 10, 10, { orientation: 5 }),
      bmpSkeleton(4, 4),
      heifSkeleton(640, 480),
    ];
    for (const bytes of fixtures) {
      for (let length = 0; length <= bytes.length; length++) {
        const prefix = bytes.slice(0, length);
        const header = readImageHeader(prefix);
        assert.ok(header.orientation >= 1 && header.orientation <= 8);
        assert.equal(typeof isImageComplete(prefix, header.format), 'boolean');
      }
      for (let seed = 1; seed <= 20; seed++) {
        const damaged = concatBytes(bytes.subarray(0, 16), pseudoRandomBytes(400, seed));
        const header = readImageHeader(damaged);
        isImageComplete(damaged, header.format);
      }
    }
  });
});

describe('exif', () => {
  it('reads an orientation from a bare TIFF block and nothing from garbage', () => {
    assert.equal(readExifOrientation(tiffWithOrientation(7))?.orientation, 7);
    assert.equal(
      readExifOrientation(tiffWithOrientation(7, { littleEndian: true }))?.orientation,
      7,
    );
    assert.equal(readExifOrientation(asciiBytes('MM\0*\xff\xff\xff\xff')), undefined);
    assert.equal(readExifOrientation(pseudoRandomBytes(64)), undefined);
  });

  it('rewrites only the orientation value to 1 in a Blob', async () => {
    const bytes = jpegSkeleton(640, 480, { orientation: 6, exif: { littleEndian: true } });
    const header = readImageHeader(bytes);
    const reset = new Uint8Array(
      await blobWithOrientationReset(new Blob([bytes]), header.orientationField!).arrayBuffer(),
    );
    assert.equal(reset.length, bytes.length);
    assert.equal(readImageHeader(reset).orientation, 1);
    const changed = [...bytes.keys()].filter((index) => bytes[index] !== reset[index]);
    assert.deepEqual(changed, [header.orientationField!.offset]);
  });

  it('rewrites the orientation to 1 in either byte order, as a SHORT or a LONG', async () => {
    for (const littleEndian of [false, true]) {
      for (const asLong of [false, true]) {
        const bytes = jpegSkeleton(64, 48, { orientation: 8, exif: { littleEndian, asLong } });
        const field = readImageHeader(bytes).orientationField!;
        assert.equal(field.byteLength, asLong ? 4 : 2);
        const reset = new Uint8Array(
          await blobWithOrientationReset(new Blob([bytes]), field).arrayBuffer(),
        );
        assert.equal(valueAt(reset, field), 1, `${littleEndian} ${asLong}`);
        assert.equal(reset.length, bytes.length);
      }
    }
  });

  it('swaps width and height for orientations 5 to 8 only', () => {
    for (let orientation = 1; orientation <= 8; orientation++) {
      const size = orientedSize(orientation, 120, 80);
      assert.deepEqual(
        size,
        orientation >= 5 ? { width: 80, height: 120 } : { width: 120, height: 80 },
      );
    }
  });

  it('maps each stored quarter where EXIF puts it for display', () => {
    // Where each stored quarter is shown (TL, TR, BL, BR = stored top-left, …), per the EXIF spec.
    const expected: Record<number, { TL: string; TR: string; BL: string; BR: string }> = {
      1: { TL: 'TL', TR: 'TR', BL: 'BL', BR: 'BR' },
      2: { TL: 'TR', TR: 'TL', BL: 'BR', BR: 'BL' }, // mirrored
      3: { TL: 'BR', TR: 'BL', BL: 'TR', BR: 'TL' }, // 180°
      4: { TL: 'BL', TR: 'BR', BL: 'TL', BR: 'TR' }, // flipped
      5: { TL: 'TL', TR: 'BL', BL: 'TR', BR: 'BR' }, // transposed
      6: { TL: 'TR', TR: 'BR', BL: 'TL', BR: 'BL' }, // turned clockwise
      7: { TL: 'BR', TR: 'TR', BL: 'BL', BR: 'TL' }, // transversed
      8: { TL: 'BL', TR: 'TL', BL: 'BR', BR: 'TR' }, // turned counter-clockwise
    };
    const width = 120;
    const height = 80;
    const centres = { TL: [30, 20], TR: [90, 20], BL: [30, 60], BR: [90, 60] } as const;
    for (let orientation = 1; orientation <= 8; orientation++) {
      const [a, b, c, d, e, f] = orientationMatrix(orientation, width, height);
      const shown = orientedSize(orientation, width, height);
      for (const [quarter, [x, y]] of Object.entries(centres)) {
        const dx = a * x + c * y + e;
        const dy = b * x + d * y + f;
        assert.ok(dx > 0 && dx < shown.width && dy > 0 && dy < shown.height, 'inside the canvas');
        const where = `${dy < shown.height / 2 ? 'T' : 'B'}${dx < shown.width / 2 ? 'L' : 'R'}`;
        assert.equal(
          where,
          expected[orientation][quarter as keyof (typeof expected)[1]],
          `orientation ${orientation}, ${quarter}`,
        );
      }
    }
  });
});
