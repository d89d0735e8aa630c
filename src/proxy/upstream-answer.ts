/**
 * FASHN's answers as the proxy passes them on: parsed within bounds, checked
 * against the protocol, and rebuilt from the fields the client reads, every
 * string scrubbed of the API key in each encoding a careless echo could use.
 * Nothing FASHN sends reaches a browser as raw text, so `\u`-escaped or
 * otherwise encoded copies of the key cannot slip through a text search.
 */
import { readExpectedMs, readRefusal, readRunId, readStatus } from '../api/answers.js';
import { ANSWER_LIMITS, jsonShapeProblem } from './json-shape.js';
import { PREDICTION_ID } from './routes.js';

export type AnswerKind = 'run' | 'status' | 'cancel';

/** A rebuilt answer's prediction `id` (run and status answers) and `status` (status answers). */
export interface AnswerRead {
  id?: string;
  status?: string;
}

export type Rebuilt =
  | { ok: true; body: Record<string, unknown>; read: AnswerRead }
  | { ok: false; reason: 'not-json' | 'not-protocol' };

/**
 * The answer to send on, or why there is none. 2xx answers must be the
 * endpoint's success shape or a refusal `{ error, message }`; other statuses a
 * refusal.
 */
export function rebuildAnswer(
  kind: AnswerKind,
  httpStatus: number,
  text: string,
  scrub: (text: string) => string,
): Rebuilt {
  if (jsonShapeProblem(text, ANSWER_LIMITS) !== undefined) return { ok: false, reason: 'not-json' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not-json' };
  }
  const refusal = readRefusal(value);
  const ok = httpStatus >= 200 && httpStatus < 300;
  if (ok && kind === 'run') {
    const id = readRunId(value);
    if (id !== undefined && PREDICTION_ID.test(id)) {
      // The emulator's expected_duration_ms (a bounded number) lets progress follow its speed.
      const expectedMs = readExpectedMs(value);
      const body: Record<string, unknown> = { id, error: null };
      if (expectedMs !== undefined) body.expected_duration_ms = expectedMs;
      return { ok: true, body, read: { id } };
    }
  } else if (ok) {
    const status = readStatus(value, false);
    if (typeof status !== 'string' && PREDICTION_ID.test(status.id)) {
      const body: Record<string, unknown> = { id: status.id, status: status.status };
      if (status.output !== null) body.output = status.output.map(scrub);
      body.error = status.error && {
        name: scrub(status.error.name),
        message: scrub(status.error.message ?? ''),
      };
      return { ok: true, body, read: { id: status.id, status: status.status } };
    }
  }
  if (refusal && (!ok || kind === 'run')) {
    return {
      ok: true,
      body: { error: scrub(refusal.error), message: scrub(refusal.message ?? '') },
      read: {},
    };
  }
  return { ok: false, reason: 'not-protocol' };
}

/**
 * A function that replaces the key in a string: as is, percent-encoded, and
 * base64-encoded at each of the three alignments it can take inside a longer
 * base64 text (the middle characters of each are stable).
 */
export function keyScrubber(apiKey: string, replacement: string): (text: string) => string {
  const forms = new Set<string>([apiKey, encodeURIComponent(apiKey)]);
  for (let shift = 0; shift < 3; shift++) {
    const encoded = toBase64('\0'.repeat(shift) + apiKey);
    // Drop the characters that mix in the neighbours' bits.
    const start = shift === 0 ? 0 : shift + 1;
    const stable = encoded.replace(/=+$/, '').slice(start, -2);
    if (stable.length >= 8) forms.add(stable);
  }
  const list = [...forms];
  return (text) => {
    let out = text;
    for (const form of list) if (out.includes(form)) out = out.replaceAll(form, replacement);
    return out;
  };
}

function toBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
