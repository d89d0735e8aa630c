/**
 * The emulator's control endpoints, for tests and demos over HTTP:
 * `POST …/__control/faults` (FaultRule or FaultRule[]), `POST …/__control/reset`
 * (EmulatorOptions overlaid on the construction options) and
 * `GET …/__control/log` (`{ requests, predictions }`).
 */
import { describeIssue } from '../api/schemas.js';
import { faultRules, type FaultBook } from './faults.js';
import { apiError, json, type ControlAction, type RequestLog } from './http.js';
import { controlOptions } from './options.js';
import type { PredictionBook } from './predictions.js';
import type { EmulatorOptions } from './types.js';

export interface ControlTarget {
  predictions: PredictionBook;
  faults: FaultBook;
  log: RequestLog;
  reset(options?: EmulatorOptions): void;
}

/** Answers one control request. */
export async function handleControl(
  target: ControlTarget,
  action: ControlAction,
  request: Request,
): Promise<Response> {
  const method = request.method;
  if (action === 'log') {
    if (method !== 'GET') return apiError(404, 'NotFound', `No endpoint ${method} …/__control/log`);
    return json({ requests: target.log.entries, predictions: target.predictions.logViews() });
  }
  if (method !== 'POST')
    return apiError(404, 'NotFound', `No endpoint ${method} …/__control/${action}`);
  const text = await request.text();
  let value: unknown;
  try {
    value = text.trim() === '' ? (action === 'reset' ? {} : undefined) : JSON.parse(text);
  } catch {
    return apiError(400, 'BadRequest', 'Malformed JSON in the request body');
  }
  if (action === 'reset') {
    const parsed = controlOptions.safeParse(value);
    if (!parsed.success)
      return apiError(400, 'BadRequest', `Invalid options: ${describeIssue(parsed.error)}`);
    target.reset(parsed.data);
    return json({ ok: true });
  }
  const parsed = faultRules.safeParse(value);
  if (!parsed.success)
    return apiError(400, 'BadRequest', `Invalid fault rule: ${describeIssue(parsed.error)}`);
  target.faults.add(parsed.data);
  return json({ ok: true, pending: target.faults.pending });
}
