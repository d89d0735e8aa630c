/**
 * What the proxy remembers about the predictions it started, in its store so
 * that every instance knows it:
 *
 * - `pred:{id}`: when it started and its expected duration (the long-poll
 *   schedule), and whether FASHN will call back;
 * - `hook:{token}`: the prediction a webhook token belongs to (webhook mode),
 *   and `hook-spent:{token}` once its callback was relayed (see webhook.ts);
 * - `final:{id}`: the final answer, for a minute, so a late status request on
 *   any instance is answered without asking FASHN;
 * - `credits:out`: FASHN said OutOfCredits (see credits.ts).
 *
 * Completion fan-out: a final answer learned by one instance (webhook, or its
 * own poll) is published on the store's `final` channel; every instance
 * (this one too) releases the requests it holds for that id.
 */
import { expectedDurationMs, type DurationInputs } from '../api/polling.js';
import type { ModelName } from '../api/schemas.js';
import type { PredictionPlan } from './long-poll.js';
import type { ProxyStore } from './store/types.js';
import type { AnswerRead } from './upstream-answer.js';

/** A FASHN answer as the proxy relays it: status, passed headers, JSON text. */
export interface RelayedAnswer {
  ok: true;
  status: number;
  headers: Record<string, string>;
  text: string;
  /** What the proxy read of `text` when it rebuilt it, so nobody parses the text again. */
  read?: AnswerRead;
}

/** How long the proxy remembers a prediction it started: FASHN's base64 outputs live 60 minutes. */
export const PREDICTION_TTL_MS = 60 * 60_000;
/** How long a final answer is served without asking FASHN. */
export const FINAL_TTL_MS = 60_000;
const FINAL_CHANNEL = 'final';

interface StoredPlan extends PredictionPlan {
  model: string;
}

export interface Completions {
  /** Records a prediction this proxy started. */
  started(
    id: string,
    model: ModelName,
    inputs: DurationInputs,
    plan: Omit<PredictionPlan, 'expectedMs'>,
  ): Promise<void>;
  planOf(id: string): Promise<PredictionPlan | undefined>;
  /** The final answer some instance learned in the last minute, if any. */
  finalOf(id: string): Promise<RelayedAnswer | undefined>;
  /** Shares a final answer with every instance (stored, then published). */
  publishFinal(id: string, answer: RelayedAnswer): Promise<void>;
  /** Subscribes `release` to the fan-out; resolves once subscribed. */
  listen(release: (id: string, answer: RelayedAnswer) => void): Promise<void>;
  /** Unsubscribes. */
  stop(): Promise<void>;
}

export function createCompletions(store: ProxyStore): Completions {
  let unsubscribe: (() => Promise<void>) | undefined;

  const parse = <T>(text: string | undefined): T | undefined => {
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as T;
    } catch {
      return undefined;
    }
  };

  return {
    async started(id, model, inputs, plan) {
      const stored: StoredPlan = { ...plan, expectedMs: expectedDurationMs(model, inputs), model };
      await store.set(`pred:${id}`, JSON.stringify(stored), PREDICTION_TTL_MS);
    },
    async planOf(id) {
      const plan = parse<StoredPlan>(await store.get(`pred:${id}`));
      if (!plan || typeof plan.startedAt !== 'number' || typeof plan.expectedMs !== 'number') {
        return undefined;
      }
      return {
        startedAt: plan.startedAt,
        expectedMs: plan.expectedMs,
        webhook: plan.webhook === true,
      };
    },
    async finalOf(id) {
      const answer = parse<RelayedAnswer>(await store.get(`final:${id}`));
      return answer && typeof answer.text === 'string' ? answer : undefined;
    },
    async publishFinal(id, answer) {
      const text = JSON.stringify(answer);
      await store.set(`final:${id}`, text, FINAL_TTL_MS);
      await store.publish(FINAL_CHANNEL, JSON.stringify({ id, answer }));
    },
    async listen(release) {
      unsubscribe = await store.subscribe(FINAL_CHANNEL, (message) => {
        const parsed = parse<{ id?: unknown; answer?: RelayedAnswer }>(message);
        if (typeof parsed?.id === 'string' && typeof parsed.answer?.text === 'string') {
          release(parsed.id, parsed.answer);
        }
      });
    },
    async stop() {
      await unsubscribe?.();
      unsubscribe = undefined;
    },
  };
}
