import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  apiError,
  describeIssue,
  faceToModelInputs,
  inputSchemas,
  isModelName,
  runResponse,
  statusResponse,
  tryonInputs,
} from '../../src/api/schemas.js';

const IMAGE =
  'data:image/jpeg;base64,/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/';
const URL_IMAGE = 'https://shop.example.com/tee.jpg';

type Row = [label: string, inputs: Record<string, unknown>, path?: string];

/** Asserts every row parses (accepted) or fails naming `path` (refused). */
function accepts(schema: typeof faceToModelInputs | typeof tryonInputs, rows: Row[]) {
  for (const [label, inputs] of rows) {
    const result = schema.safeParse(inputs);
    assert.ok(
      result.success,
      `${label} should be accepted: ${result.success ? '' : describeIssue(result.error)}`,
    );
  }
}
function refuses(schema: typeof faceToModelInputs | typeof tryonInputs, rows: Row[]) {
  for (const [label, inputs, path] of rows) {
    const result = schema.safeParse(inputs);
    assert.equal(result.success, false, `${label} should be refused`);
    if (!result.success && path !== undefined) {
      assert.match(
        describeIssue(result.error),
        new RegExp(`^${path}`),
        `${label}: the message names ${path}`,
      );
    }
  }
}

describe('face-to-model inputs', () => {
  const base = { face_image: IMAGE };

  it('applies FASHN defaults', () => {
    assert.deepEqual(faceToModelInputs.parse(base), {
      face_image: IMAGE,
      aspect_ratio: '2:3',
      seed: 42,
      output_format: 'jpeg',
      return_base64: false,
    });
  });

  it('accepts every documented value', () => {
    accepts(faceToModelInputs, [
      ['an https URL', { face_image: URL_IMAGE }],
      ['an http URL', { face_image: 'http://localhost:8080/me.png' }],
      ['a png data URL', { face_image: 'data:image/png;base64,iVBORw0KGgo=' }],
      ['a prompt', { ...base, prompt: 'athletic build' }],
      ['an empty prompt', { ...base, prompt: '' }],
      ['a 500-character prompt', { ...base, prompt: 'x'.repeat(500) }],
      ...(['1:1', '4:5', '3:4', '2:3', '9:16'] as const).map((ratio): Row => [
        `aspect ${ratio}`,
        { ...base, aspect_ratio: ratio },
      ]),
      ['seed 0', { ...base, seed: 0 }],
      ['seed 2^32-1', { ...base, seed: 2 ** 32 - 1 }],
      ['png', { ...base, output_format: 'png' }],
      ['jpeg', { ...base, output_format: 'jpeg' }],
      ['base64 on', { ...base, return_base64: true }],
    ]);
  });

  it('refuses what FASHN would refuse, naming the field', () => {
    refuses(faceToModelInputs, [
      ['no face_image', {}, 'face_image'],
      ['a relative URL', { face_image: '/me.jpg' }, 'face_image'],
      ['a non-image data URL', { face_image: 'data:text/plain;base64,aGk=' }, 'face_image'],
      ['a data URL without base64', { face_image: 'data:image/png,abc' }, 'face_image'],
      ['a number as image', { face_image: 5 }, 'face_image'],
      ['a 501-character prompt', { ...base, prompt: 'x'.repeat(501) }, 'prompt'],
      ['a horizontal aspect', { ...base, aspect_ratio: '16:9' }, 'aspect_ratio'],
      ['seed -1', { ...base, seed: -1 }, 'seed'],
      ['seed 2^32', { ...base, seed: 2 ** 32 }, 'seed'],
      ['a fractional seed', { ...base, seed: 1.5 }, 'seed'],
      ['a seed as string', { ...base, seed: '42' }, 'seed'],
      ['webp output', { ...base, output_format: 'webp' }, 'output_format'],
      ['base64 as string', { ...base, return_base64: 'true' }, 'return_base64'],
      ['an unknown key', { ...base, resolution: '1k' }],
      ['a try-on key', { ...base, mode: 'quality' }],
    ]);
  });
});

describe('tryon-v1.6 inputs', () => {
  const base = { model_image: IMAGE, garment_image: URL_IMAGE };

  it('applies FASHN defaults', () => {
    assert.deepEqual(tryonInputs.parse(base), {
      ...base,
      category: 'auto',
      segmentation_free: true,
      moderation_level: 'permissive',
      garment_photo_type: 'auto',
      mode: 'balanced',
      seed: 42,
      num_samples: 1,
      output_format: 'png',
      return_base64: false,
    });
  });

  it('accepts every documented value', () => {
    const enumRows = (field: string, values: readonly unknown[]): Row[] =>
      values.map((value): Row => [`${field} ${String(value)}`, { ...base, [field]: value }]);
    accepts(tryonInputs, [
      ...enumRows('category', ['auto', 'tops', 'bottoms', 'one-pieces']),
      ...enumRows('segmentation_free', [true, false]),
      ...enumRows('moderation_level', ['conservative', 'permissive', 'none']),
      ...enumRows('garment_photo_type', ['auto', 'flat-lay', 'model']),
      ...enumRows('mode', ['performance', 'balanced', 'quality']),
      ...enumRows('seed', [0, 42, 2 ** 32 - 1]),
      ...enumRows('num_samples', [1, 2, 3, 4]),
      ...enumRows('output_format', ['png', 'jpeg']),
      ...enumRows('return_base64', [true, false]),
    ]);
  });

  it('refuses what FASHN would refuse, naming the field', () => {
    refuses(tryonInputs, [
      ['no model_image', { garment_image: URL_IMAGE }, 'model_image'],
      ['no garment_image', { model_image: IMAGE }, 'garment_image'],
      ['an ftp garment', { ...base, garment_image: 'ftp://x/y.jpg' }, 'garment_image'],
      ['category dresses', { ...base, category: 'dresses' }, 'category'],
      ['segmentation_free as string', { ...base, segmentation_free: 'true' }, 'segmentation_free'],
      ['moderation strict', { ...base, moderation_level: 'strict' }, 'moderation_level'],
      ['photo type flatlay', { ...base, garment_photo_type: 'flatlay' }, 'garment_photo_type'],
      ['mode fast', { ...base, mode: 'fast' }, 'mode'],
      ['seed -1', { ...base, seed: -1 }, 'seed'],
      ['seed 2^32', { ...base, seed: 2 ** 32 }, 'seed'],
      ['num_samples 0', { ...base, num_samples: 0 }, 'num_samples'],
      ['num_samples 5', { ...base, num_samples: 5 }, 'num_samples'],
      ['num_samples 1.5', { ...base, num_samples: 1.5 }, 'num_samples'],
      ['output gif', { ...base, output_format: 'gif' }, 'output_format'],
      ['base64 as number', { ...base, return_base64: 1 }, 'return_base64'],
      ['a legacy parameter', { ...base, nsfw_filter: true }],
      ['a face-to-model key', { ...base, face_image: IMAGE }],
    ]);
  });

  it('is the schema inputSchemas gives for the model', () => {
    assert.equal(inputSchemas['tryon-v1.6'], tryonInputs);
    assert.equal(inputSchemas['face-to-model'], faceToModelInputs);
    assert.equal(isModelName('tryon-v1.6'), true);
    assert.equal(isModelName('face-to-model'), true);
    assert.equal(isModelName('tryon-v1.5'), false);
    assert.equal(isModelName(undefined), false);
  });
});

describe('answers', () => {
  it('reads a run answer', () => {
    assert.deepEqual(runResponse.parse({ id: 'abc-u1', error: null }), {
      id: 'abc-u1',
      error: null,
    });
    assert.equal(runResponse.safeParse({ id: '', error: null }).success, false);
    assert.equal(runResponse.safeParse({ error: 'BadRequest' }).success, false);
  });

  it('reads `output`, and tolerates face-to-model`s `images`', () => {
    const completed = { id: 'p1', status: 'completed', error: null };
    assert.deepEqual(statusResponse.parse({ ...completed, output: ['https://cdn/a.png'] }).output, [
      'https://cdn/a.png',
    ]);
    assert.deepEqual(
      statusResponse.parse({ ...completed, images: ['data:image/png;base64,AA=='] }).output,
      ['data:image/png;base64,AA=='],
    );
    assert.deepEqual(
      statusResponse.parse({
        ...completed,
        output: ['https://cdn/o.png'],
        images: ['https://cdn/i.png'],
      }).output,
      ['https://cdn/o.png'],
      '`output` wins',
    );
    assert.equal(
      statusResponse.parse({ id: 'p1', status: 'processing', error: null }).output,
      null,
    );
  });

  it('reads both runtime error shapes', () => {
    const failed = { id: 'p1', status: 'failed' };
    assert.deepEqual(
      statusResponse.parse({ ...failed, error: { name: 'PoseError', message: 'no pose' } }).error,
      {
        name: 'PoseError',
        message: 'no pose',
      },
    );
    assert.deepEqual(statusResponse.parse({ ...failed, error: 'PipelineError' }).error, {
      name: 'PipelineError',
      message: 'PipelineError',
    });
    assert.deepEqual(
      statusResponse.parse({ ...failed, error: { name: 'ThirdPartyError' } }).error,
      {
        name: 'ThirdPartyError',
      },
    );
  });

  it('knows every status and refuses others', () => {
    for (const status of [
      'starting',
      'in_queue',
      'processing',
      'completed',
      'failed',
      'canceled',
    ]) {
      assert.equal(statusResponse.parse({ id: 'p1', status }).status, status);
    }
    assert.equal(statusResponse.safeParse({ id: 'p1', status: 'time_out' }).success, false);
    assert.equal(
      statusResponse.safeParse({ id: 'p1', status: 'completed', output: 'a.png' }).success,
      false,
    );
    assert.equal(statusResponse.safeParse('<html>502</html>').success, false);
    for (const error of [42, { message: 'no name' }, { name: 'PoseError', message: 7 }]) {
      const parsed = statusResponse.safeParse({ id: 'p1', status: 'failed', error });
      assert.equal(parsed.success, false, JSON.stringify(error));
      assert.match(describeIssue(parsed.error), /^error: /);
    }
  });

  it('reads API-level refusals', () => {
    assert.deepEqual(
      apiError.parse({ error: 'UnauthorizedAccess', message: 'Unauthorized: Invalid token' }),
      {
        error: 'UnauthorizedAccess',
        message: 'Unauthorized: Invalid token',
      },
    );
    assert.deepEqual(apiError.parse({ error: 'OutOfCredits' }), { error: 'OutOfCredits' });
    assert.equal(
      apiError.safeParse({ error: { name: 'PoseError' } }).success,
      false,
      'a runtime error is not one',
    );
  });
});
