/**
 * A small baseline JPEG encoder (4:4:4, the standard tables of ITU T.81 Annex K).
 *
 * Why not jpeg-js's encoder: it returns a Node `Buffer` whenever it is loaded as
 * CommonJS (which bundlers do), so it breaks in browsers and Workers-like
 * runtimes. This one works on Uint8Array only. Decoding still uses jpeg-js.
 */

/** Pixels to encode: RGBA (4 bytes per pixel) or RGB (3), row by row. */
export interface EncodableImage {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
}

/** Position in the natural (row-major) 8×8 block of the k-th coefficient in zig-zag order. */
const ZIGZAG = [
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20,
  13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52,
  45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
];

const LUMA_QUANT = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56,
  14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113,
  92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];

const CHROMA_QUANT = [
  17,
  18,
  24,
  47,
  99,
  99,
  99,
  99,
  18,
  21,
  26,
  66,
  99,
  99,
  99,
  99,
  24,
  26,
  56,
  99,
  99,
  99,
  99,
  99,
  47,
  66,
  99,
  99,
  99,
  99,
  99,
  99,
  ...new Array<number>(32).fill(99),
];

interface HuffmanSpec {
  counts: number[]; // number of codes of each length 1..16
  symbols: number[];
}

const DC_LUMA: HuffmanSpec = {
  counts: [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0],
  symbols: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
};
const DC_CHROMA: HuffmanSpec = {
  counts: [0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0],
  symbols: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
};
const AC_LUMA: HuffmanSpec = {
  counts: [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d],
  symbols: [
    0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07,
    0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0,
    0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28,
    0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49,
    0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
    0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
    0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
    0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5,
    0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2,
    0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
    0xf9, 0xfa,
  ],
};
const AC_CHROMA: HuffmanSpec = {
  counts: [0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77],
  symbols: [
    0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71,
    0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0,
    0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26,
    0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48,
    0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
    0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
    0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5,
    0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3,
    0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda,
    0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
    0xf9, 0xfa,
  ],
};

/** Code and length per symbol (Annex C: canonical codes from the counts). */
interface HuffmanTable {
  code: Uint16Array;
  length: Uint8Array;
}

function buildHuffman(spec: HuffmanSpec): HuffmanTable {
  const table: HuffmanTable = { code: new Uint16Array(256), length: new Uint8Array(256) };
  let code = 0;
  let k = 0;
  for (let bits = 1; bits <= 16; bits++) {
    for (let i = 0; i < spec.counts[bits - 1]; i++) {
      const symbol = spec.symbols[k++];
      table.code[symbol] = code++;
      table.length[symbol] = bits;
    }
    code <<= 1;
  }
  return table;
}

const TABLES = {
  dcLuma: buildHuffman(DC_LUMA),
  acLuma: buildHuffman(AC_LUMA),
  dcChroma: buildHuffman(DC_CHROMA),
  acChroma: buildHuffman(AC_CHROMA),
};

/**
 * Scale factors of the AAN fast DCT (cos(kπ/16)·√2, 1 for k = 0): its outputs are
 * the true coefficients times 8·AAN[u]·AAN[v], folded into the quantisation divisors.
 */
const AAN = [1, 1.387039845, 1.306562965, 1.175875602, 1, 0.785694958, 0.5411961, 0.275899379];

/** In-place 1-D AAN forward DCT of 8 values at `offset`, `stride` apart (as in IJG's jfdctflt). */
function fdct8(d: Float64Array, offset: number, stride: number): void {
  const i0 = offset;
  const i1 = offset + stride;
  const i2 = offset + 2 * stride;
  const i3 = offset + 3 * stride;
  const i4 = offset + 4 * stride;
  const i5 = offset + 5 * stride;
  const i6 = offset + 6 * stride;
  const i7 = offset + 7 * stride;
  const tmp0 = d[i0] + d[i7];
  const tmp7 = d[i0] - d[i7];
  const tmp1 = d[i1] + d[i6];
  const tmp6 = d[i1] - d[i6];
  const tmp2 = d[i2] + d[i5];
  const tmp5 = d[i2] - d[i5];
  const tmp3 = d[i3] + d[i4];
  const tmp4 = d[i3] - d[i4];

  // Even part.
  const tmp10 = tmp0 + tmp3;
  const tmp13 = tmp0 - tmp3;
  const tmp11 = tmp1 + tmp2;
  const tmp12 = tmp1 - tmp2;
  d[i0] = tmp10 + tmp11;
  d[i4] = tmp10 - tmp11;
  const z1 = (tmp12 + tmp13) * 0.707106781;
  d[i2] = tmp13 + z1;
  d[i6] = tmp13 - z1;

  // Odd part.
  const odd10 = tmp4 + tmp5;
  const odd11 = tmp5 + tmp6;
  const odd12 = tmp6 + tmp7;
  const z5 = (odd10 - odd12) * 0.382683433;
  const z2 = 0.5411961 * odd10 + z5;
  const z4 = 1.306562965 * odd12 + z5;
  const z3 = odd11 * 0.707106781;
  const z11 = tmp7 + z3;
  const z13 = tmp7 - z3;
  d[i5] = z13 + z2;
  d[i3] = z13 - z2;
  d[i1] = z11 + z4;
  d[i7] = z11 - z4;
}

/** Quantisation table scaled for `quality` like libjpeg (natural order), as written to DQT. */
function scaledQuant(base: number[], quality: number): Uint8Array {
  const q = Math.min(100, Math.max(1, Math.round(quality)));
  const scale = q < 50 ? Math.floor(5000 / q) : 200 - q * 2;
  return Uint8Array.from(base, (value) =>
    Math.min(255, Math.max(1, Math.floor((value * scale + 50) / 100))),
  );
}

/** Growable byte sink with a JPEG entropy-coded bit writer (0xFF stuffing). */
class ByteWriter {
  private bytes = new Uint8Array(1 << 16);
  private length = 0;
  private bitBuffer = 0;
  private bitCount = 0;

  byte(value: number): void {
    if (this.length === this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.bytes[this.length++] = value;
  }

  word(value: number): void {
    this.byte((value >> 8) & 0xff);
    this.byte(value & 0xff);
  }

  array(values: ArrayLike<number>): void {
    for (let i = 0; i < values.length; i++) this.byte(values[i]);
  }

  bits(code: number, count: number): void {
    // count ≤ 16 and at most 7 bits are pending, so 23 bits fit the buffer.
    this.bitBuffer = (this.bitBuffer << count) | (code & ((1 << count) - 1));
    this.bitCount += count;
    while (this.bitCount >= 8) {
      this.bitCount -= 8;
      const out = (this.bitBuffer >> this.bitCount) & 0xff;
      this.byte(out);
      if (out === 0xff) this.byte(0);
    }
    this.bitBuffer &= (1 << this.bitCount) - 1;
  }

  /** Pads the last byte with 1-bits, as T.81 requires before a marker. */
  flushBits(): void {
    if (this.bitCount > 0) this.bits(0x7f, 8 - this.bitCount);
  }

  result(): Uint8Array<ArrayBuffer> {
    return this.bytes.slice(0, this.length);
  }
}

function writeHeaders(
  out: ByteWriter,
  width: number,
  height: number,
  luma: Uint8Array,
  chroma: Uint8Array,
): void {
  out.word(0xffd8); // SOI
  out.word(0xffe0); // APP0 JFIF 1.1, no density, no thumbnail
  out.word(16);
  out.array([0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
  out.word(0xffdb); // DQT: two 8-bit tables, written in zig-zag order
  out.word(2 + 2 * 65);
  for (const [id, table] of [luma, chroma].entries()) {
    out.byte(id);
    for (let k = 0; k < 64; k++) out.byte(table[ZIGZAG[k]]);
  }
  out.word(0xffc0); // SOF0: baseline, 8-bit, 3 components, no subsampling
  out.word(17);
  out.byte(8);
  out.word(height);
  out.word(width);
  out.byte(3);
  out.array([1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1]);
  out.word(0xffc4); // DHT: the four standard tables
  const specs: [number, HuffmanSpec][] = [
    [0x00, DC_LUMA],
    [0x10, AC_LUMA],
    [0x01, DC_CHROMA],
    [0x11, AC_CHROMA],
  ];
  out.word(2 + specs.reduce((sum, [, spec]) => sum + 17 + spec.symbols.length, 0));
  for (const [classAndId, spec] of specs) {
    out.byte(classAndId);
    out.array(spec.counts);
    out.array(spec.symbols);
  }
  out.word(0xffda); // SOS: all three components interleaved, full spectrum
  out.word(12);
  out.array([3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0]);
}

/** Bit count of |value| (the JPEG "category"). */
function category(value: number): number {
  let magnitude = value < 0 ? -value : value;
  let bits = 0;
  while (magnitude) {
    bits++;
    magnitude >>= 1;
  }
  return bits;
}

/** Multipliers that undo the AAN scaling and quantise in one step (natural order). */
function divisors(quant: Uint8Array): Float64Array {
  return Float64Array.from(quant, (q, i) => 1 / (q * AAN[i >> 3] * AAN[i & 7] * 8));
}

const coefficients = new Int32Array(64);

/** DCT, quantisation and Huffman coding of one level-shifted 8×8 block (overwritten); returns its DC value. */
function encodeBlock(
  out: ByteWriter,
  block: Float64Array,
  scale: Float64Array,
  previousDc: number,
  dc: HuffmanTable,
  ac: HuffmanTable,
): number {
  for (let row = 0; row < 64; row += 8) fdct8(block, row, 1);
  for (let col = 0; col < 8; col++) fdct8(block, col, 8);
  for (let i = 0; i < 64; i++) coefficients[i] = Math.round(block[i] * scale[i]);

  const dcValue = coefficients[0];
  const diff = dcValue - previousDc;
  const dcBits = category(diff);
  out.bits(dc.code[dcBits], dc.length[dcBits]);
  if (dcBits) out.bits(diff < 0 ? diff + (1 << dcBits) - 1 : diff, dcBits);

  let run = 0;
  for (let k = 1; k < 64; k++) {
    const value = coefficients[ZIGZAG[k]];
    if (value === 0) {
      run++;
      continue;
    }
    while (run > 15) {
      out.bits(ac.code[0xf0], ac.length[0xf0]); // ZRL: sixteen zeros
      run -= 16;
    }
    const bits = category(value);
    const symbol = (run << 4) | bits;
    out.bits(ac.code[symbol], ac.length[symbol]);
    out.bits(value < 0 ? value + (1 << bits) - 1 : value, bits);
    run = 0;
  }
  if (run > 0) out.bits(ac.code[0], ac.length[0]); // EOB
  return dcValue;
}

/**
 * Encodes RGBA or RGB pixels as a baseline JPEG. Alpha is ignored (JPEG has none).
 * @param quality 1–100, libjpeg's scale. Default 90.
 */
export function encodeJpeg(image: EncodableImage, quality = 90): Uint8Array<ArrayBuffer> {
  const { width, height, data } = image;
  if (!(width > 0 && height > 0 && width < 65536 && height < 65536)) {
    throw new RangeError(`cannot encode a ${width}×${height} JPEG`);
  }
  const channels = data.length / (width * height);
  if (channels !== 3 && channels !== 4) throw new RangeError('pixel data must be RGB or RGBA');

  const luma = scaledQuant(LUMA_QUANT, quality);
  const chroma = scaledQuant(CHROMA_QUANT, quality);
  const lumaScale = divisors(luma);
  const chromaScale = divisors(chroma);
  const out = new ByteWriter();
  writeHeaders(out, width, height, luma, chroma);

  const yBlock = new Float64Array(64);
  const cbBlock = new Float64Array(64);
  const crBlock = new Float64Array(64);
  let dcY = 0;
  let dcCb = 0;
  let dcCr = 0;
  for (let by = 0; by < height; by += 8) {
    for (let bx = 0; bx < width; bx += 8) {
      for (let y = 0; y < 8; y++) {
        // Blocks past the edge repeat the last row/column, which compresses best.
        const row = Math.min(by + y, height - 1) * width;
        for (let x = 0; x < 8; x++) {
          const p = (row + Math.min(bx + x, width - 1)) * channels;
          const r = data[p];
          const g = data[p + 1];
          const b = data[p + 2];
          const i = y * 8 + x;
          yBlock[i] = 0.299 * r + 0.587 * g + 0.114 * b - 128;
          cbBlock[i] = -0.168736 * r - 0.331264 * g + 0.5 * b;
          crBlock[i] = 0.5 * r - 0.418688 * g - 0.081312 * b;
        }
      }
      dcY = encodeBlock(out, yBlock, lumaScale, dcY, TABLES.dcLuma, TABLES.acLuma);
      dcCb = encodeBlock(out, cbBlock, chromaScale, dcCb, TABLES.dcChroma, TABLES.acChroma);
      dcCr = encodeBlock(out, crBlock, chromaScale, dcCr, TABLES.dcChroma, TABLES.acChroma);
    }
  }
  out.flushBits();
  out.word(0xffd9); // EOI
  return out.result();
}
