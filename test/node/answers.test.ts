import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readRefusal, readRunId, readStatus } from '../../src/api/answers.js';
import { apiError, runResponse, statusResponse } from '../../src/api/schemas.js';

// The browser reads FASHN's answers in plain code (answers.ts), Node with the
// zod schemas (schemas.ts): both must give the same verdict on every answer.

const STATUS_ANSWERS: unknown[] = [
  { id: 'p1', status: 'starting' },
  { id: 'p1', status: 'in_queue', output: null, error: null },
  { id: 'p1', status: 'processing', error: null, extra: 'ignored' },
  { id: 'p1', status: 'completed', output: ['https://cdn/a.png'], error: null },
  { id: 'p1', status: 'completed', images: ['data:image/png;base64,AA=='] },
  { id: 'p1', status: 'completed', output: ['https://cdn/o.png'], images: ['https://cdn/i.png'] },
  { id: 'p1', status: 'completed', output: [] },
  { id: 'p1', status: 'failed', error: { name: 'PoseError', message: 'no pose' } },
  { id: 'p1', status: 'failed', error: { name: 'ThirdPartyError' } },
  { id: 'p1', status: 'failed', error: 'PipelineError' },
  { id: 'p1', status: 'canceled', error: null },
  // refused
  { id: 'p1', status: 'time_out' },
  { id: 'p1' },
  { status: 'completed' },
  { id: 7, status: 'completed' },
  { id: 'p1', status: 'completed', output: 'a.png' },
  { id: 'p1', status: 'completed', output: [1] },
  { id: 'p1', status: 'completed', images: {} },
  { id: 'p1', status: 'failed', error: 42 },
  { id: 'p1', status: 'failed', error: { message: 'no name' } },
  { id: 'p1', status: 'failed', error: { name: 'PoseError', message: 7 } },
  { id: 'p1', status: 'failed', error: ['PoseError'] },
  [],
  null,
  '<html>502</html>',
];

const REFUSALS: unknown[] = [
  { error: 'UnauthorizedAccess', message: 'Unauthorized: Invalid token' },
  { error: 'OutOfCredits' },
  { error: 'BadRequest', message: 'inputs.seed: too big', id: null },
  { error: { name: 'PoseError' } },
  { error: 'BadRequest', message: 3 },
  { message: 'no name' },
  ['BadRequest'],
  null,
  'Bad Gateway',
];

const RUN_ANSWERS: unknown[] = [
  { id: 'abc-u1', error: null },
  { id: 'abc-u1' },
  { id: '', error: null },
  { id: 12 },
  { error: 'BadRequest' },
  [],
  null,
];

describe('answers read in the browser and by the zod schemas', () => {
  it('status: the same verdict and the same normalised answer', () => {
    for (const answer of STATUS_ANSWERS) {
      const zod = statusResponse.safeParse(answer);
      const plain = readStatus(answer);
      const label = JSON.stringify(answer);
      if (zod.success) assert.deepEqual(plain, zod.data, label);
      else assert.equal(typeof plain, 'string', `${label} should be refused`);
    }
  });

  it('status: says which field is wrong', () => {
    assert.match(readStatus({ id: 'p1', status: 'time_out' }) as string, /^status: /);
    assert.match(readStatus({ id: 'p1', status: 'completed', output: 'x' }) as string, /^output: /);
    assert.match(readStatus({ id: 'p1', status: 'failed', error: 42 }) as string, /^error: /);
    assert.match(readStatus({ status: 'failed' }) as string, /^id: /);
  });

  it('refusals: the same verdict and fields', () => {
    for (const answer of REFUSALS) {
      const zod = apiError.safeParse(answer);
      assert.deepEqual(
        readRefusal(answer),
        zod.success ? zod.data : undefined,
        JSON.stringify(answer),
      );
    }
  });

  it('run: the same verdict and id', () => {
    for (const answer of RUN_ANSWERS) {
      const zod = runResponse.safeParse(answer);
      assert.equal(
        readRunId(answer),
        zod.success ? zod.data.id : undefined,
        JSON.stringify(answer),
      );
    }
  });
});
