import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { faceToModelInputs, tryonInputs } from '../../src/api/schemas.js';
import { readConfig, type RawValue, type TryOnConfig } from '../../src/element/config.js';

// The element checks its attributes in plain code (config.ts) to keep zod out
// of the browser bundle; the zod schemas (schemas.ts) stay the source of truth.
// For each attribute that becomes a FASHN input, readConfig must accept exactly
// the values the schema accepts for that input, and read them the same way.

/** A FASHN input's schema, as zod/mini gives it. */
type Schema = { safeParse(value: unknown): { success: boolean; data?: unknown } };

interface Field {
  /** The element's property (and, in the name, its attribute). */
  property: keyof TryOnConfig;
  /** The schema of the FASHN input it becomes. */
  schema: Schema;
  /** Values as a page script sets the property, and as JSON sends the input. */
  values: unknown[];
}

const t = tryonInputs.shape;
const f = faceToModelInputs.shape;

const NOT_STRINGS = [7, true, {}, []];
const NUMBERS = [0, 1, 2, 3, 4, 5, 42, 1.5, -1, 2 ** 32 - 1, 2 ** 32, 2 ** 53, NaN, Infinity];

const FIELDS: Field[] = [
  {
    property: 'category',
    schema: t.category,
    values: [
      'auto',
      'tops',
      'bottoms',
      'one-pieces',
      'Tops',
      'one_pieces',
      'dress',
      '',
      ...NOT_STRINGS,
    ],
  },
  {
    property: 'mode',
    schema: t.mode,
    values: ['performance', 'balanced', 'quality', 'fast', 'BALANCED', '', ...NOT_STRINGS],
  },
  {
    property: 'garmentPhotoType',
    schema: t.garment_photo_type,
    values: ['auto', 'flat-lay', 'model', 'flatlay', 'flat_lay', 'Model', '', ...NOT_STRINGS],
  },
  { property: 'numSamples', schema: t.num_samples, values: [...NUMBERS, true, []] },
  { property: 'seed', schema: t.seed, values: [...NUMBERS, false, {}] },
  {
    property: 'outputFormat',
    schema: t.output_format,
    values: ['png', 'jpeg', 'jpg', 'PNG', 'webp', '', ...NOT_STRINGS],
  },
  {
    property: 'moderationLevel',
    schema: t.moderation_level,
    values: ['conservative', 'permissive', 'none', 'strict', 'None', '', ...NOT_STRINGS],
  },
  { property: 'segmentationFree', schema: t.segmentation_free, values: [true, false, 1, 0, 'yes'] },
  { property: 'returnBase64', schema: t.return_base64, values: [true, false, 1, 0, 'no'] },
  {
    property: 'avatarAspectRatio',
    schema: f.aspect_ratio,
    values: ['1:1', '4:5', '3:4', '2:3', '9:16', '16:9', '2/3', '2:3:1', '', ...NOT_STRINGS],
  },
  {
    property: 'avatarPrompt',
    schema: f.prompt,
    values: ['athletic build', '', 'x'.repeat(500), 'x'.repeat(501), ...NOT_STRINGS],
  },
  {
    property: 'garmentImage',
    schema: t.garment_image,
    values: [
      'https://shop.example.com/tee.jpg',
      'http://localhost:8080/a.png?v=2',
      'HTTPS://SHOP.EXAMPLE.COM/TEE.JPG',
      'data:image/png;base64,iVBORw0KGgo=',
      'data:image/svg+xml;base64,PHN2Zz4=',
      'data:image/jpeg;base64,',
      'data:image/png,raw',
      'data:text/plain;base64,QUFB',
      'ftp://shop.example.com/tee.jpg',
      'javascript:alert(1)',
      '/images/tee.jpg',
      'https://',
      'https://shop.example.com/a tee.jpg',
      '',
      ...NOT_STRINGS,
    ],
  },
];

const show = (value: unknown) =>
  typeof value === 'string' && value.length > 40
    ? `"${value.slice(0, 12)}…" (${value.length})`
    : (JSON.stringify(value) ?? String(value));

/** readConfig's verdict on one property value, and the value it uses (the default when refused). */
function read(property: keyof TryOnConfig, value: unknown): { ok: boolean; value: unknown } {
  const { config, issues } = readConfig({ [property]: value as RawValue });
  return { ok: issues.length === 0, value: config[property] };
}

describe('readConfig accepts exactly what the zod schemas accept', () => {
  for (const { property, schema, values } of FIELDS) {
    it(`${property}: property values`, () => {
      for (const value of values) {
        const zod = schema.safeParse(value);
        const ours = read(property, value);
        assert.equal(ours.ok, zod.success, `${property} = ${show(value)}`);
        if (zod.success) assert.deepEqual(ours.value, zod.data, `${property} = ${show(value)}`);
      }
    });
  }

  it('reads number attributes written in decimal digits as zod reads the number', () => {
    const numbers = ['numSamples', 'seed'];
    for (const { property, schema } of FIELDS.filter((field) => numbers.includes(field.property))) {
      for (const n of NUMBERS) {
        const attribute = String(n); // '1.5', '-1', '4294967296', 'NaN', 'Infinity', …
        const zod = schema.safeParse(n);
        const ours = read(property, attribute);
        assert.equal(ours.ok, zod.success, `${property}="${attribute}"`);
        if (zod.success) assert.equal(ours.value, zod.data);
      }
    }
  });

  it('covers the boundaries of seed and num-samples', () => {
    const seed = (value: RawValue) => read('seed', value).ok;
    assert.deepEqual(
      [0, 2 ** 32 - 1, 2 ** 32, -1, 1.5, 'abc'].map((v) => [seed(v), seed(String(v))]),
      [
        [true, true],
        [true, true],
        [false, false],
        [false, false],
        [false, false],
        [false, false],
      ],
    );
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5].map((n) => read('numSamples', String(n)).ok),
      [false, true, true, true, true, false],
    );
  });

  it('refuses other spellings of numbers in attributes (zod refuses them as strings too)', () => {
    for (const property of ['seed', 'numSamples'] as const) {
      for (const attribute of ['abc', '', ' ', '1e3', '0x10', '+1', '1.0', '2 3', '١']) {
        assert.equal(read(property, attribute).ok, false, `${property}="${attribute}"`);
        assert.equal(
          FIELDS.find((field) => field.property === property)!.schema.safeParse(attribute).success,
          false,
        );
      }
    }
  });

  it('reads boolean attributes "true"/"false" as zod reads true/false, and refuses other words', () => {
    const booleans = ['segmentationFree', 'returnBase64'];
    for (const { property, schema } of FIELDS.filter((field) =>
      booleans.includes(field.property),
    )) {
      for (const [attribute, value] of [
        ['true', true],
        ['false', false],
      ] as const) {
        assert.deepEqual(read(property, attribute), {
          ok: true,
          value: schema.safeParse(value).data,
        });
      }
      for (const attribute of ['yes', 'no', 'TRUE', 'False', '1', '0', 'on']) {
        assert.equal(read(property, attribute).ok, false, `${property}="${attribute}"`);
        assert.equal(schema.safeParse(attribute).success, false);
      }
      // HTML's convention, beyond the schema: a boolean attribute present without a value is true.
      assert.deepEqual(read(property, ''), { ok: true, value: true });
    }
  });

  it('trims attribute values before judging them as zod judges the trimmed value', () => {
    for (const { property, schema, values } of FIELDS) {
      for (const value of values.filter((v): v is string => typeof v === 'string' && v !== '')) {
        const ours = read(property, `  ${value}\n`);
        const zod = schema.safeParse(value.trim());
        assert.equal(ours.ok, zod.success, `${property} = ${show(value)} with spaces`);
      }
    }
  });
});

describe('photo-check attribute', () => {
  it('reads off, advise and require; advise by default; refuses other words, naming the attribute', () => {
    assert.equal(readConfig({}).config.photoCheck, 'advise');
    for (const mode of ['off', 'advise', 'require'] as const)
      assert.equal(readConfig({ photoCheck: ` ${mode} ` }).config.photoCheck, mode);
    const { config, issues } = readConfig({ photoCheck: 'strict' });
    assert.equal(config.photoCheck, 'advise');
    assert.deepEqual(
      issues.map((issue) => issue.attribute),
      ['photo-check'],
    );
  });
});
