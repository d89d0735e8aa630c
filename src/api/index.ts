/** The public DOM-free API: errors, schemas and the FASHN client (with its retry and polling policies). */
export * from './errors.js';
export * from './schemas.js';
export * from './client.js';
export {
  DEFAULT_RETRY_POLICY,
  backoffDelayMs,
  parseRetryAfterMs,
  retryDelayMs,
  type RetryPolicy,
} from './retry.js';
export {
  DEFAULT_POLL_TUNING,
  PollSchedule,
  createPollSchedule,
  pollDelayMs,
  type DurationInputs,
  type PollPlan,
  type PollTuning,
} from './polling.js';
