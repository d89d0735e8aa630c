/**
 * `GET …/credits` → `{ "available": boolean }`, for the element's check
 * before a selfie: never a balance, only whether a run can be expected to
 * start.
 *
 * FASHN has no credits endpoint (its API pages and its SDK name none), so the
 * answer is what the proxy learned from FASHN itself, shared by every
 * instance through the store: after a run answered 429 `OutOfCredits` it is
 * `false` for `OUT_OF_CREDITS_MEMORY_MS` (or until a run succeeds again, which
 * clears it); otherwise `true`. Asking costs FASHN nothing.
 */
import type { ProxyStore } from './store/types.js';

/** `…/credits`, under any prefix. */
export function isCreditsPath(pathname: string): boolean {
  return /\/credits\/?$/.test(pathname);
}

/** The store key of the flag (exported for test servers that reset it). */
export const OUT_OF_CREDITS_KEY = 'credits:out';
/** How long an OutOfCredits answer is believed: long enough to spare shoppers a useless selfie. */
export const OUT_OF_CREDITS_MEMORY_MS = 10 * 60_000;

/** Learns from a run's answer: OutOfCredits sets the flag, a prediction id clears it. */
export async function learnCredits(store: ProxyStore, status: number, text: string): Promise<void> {
  if (status === 429 && /"error"\s*:\s*"OutOfCredits"/.test(text)) {
    await store.set(OUT_OF_CREDITS_KEY, '1', OUT_OF_CREDITS_MEMORY_MS);
  } else if (status === 200) {
    await store.delete(OUT_OF_CREDITS_KEY);
  }
}

/** The `/credits` answer body. */
export async function creditsAnswer(store: ProxyStore): Promise<string> {
  const out = (await store.get(OUT_OF_CREDITS_KEY)) !== undefined;
  return JSON.stringify({ available: !out });
}
