/**
 * "Add to cart" on the result. The element has no cart: it asks the page with a
 * cancelable `fashn-add-to-cart` event and shows what the page answers. DOM-free:
 * the dispatch and the clock are injected.
 *
 * How a page answers:
 * - `event.detail.respondWith(promise)`: fulfilled is "Added"; rejected shows the
 *   rejection's message (or a generic one);
 * - or `event.preventDefault()` now and `element.answerCart()` /
 *   `element.answerCart({ error })` later;
 * - or neither: nobody handled it, and the shopper is told it could not be added.
 */

/** What a page answers: nothing (added) or `{ error }` with the message to show. */
export type CartAnswer = void | undefined | { error?: string };

/** `fashn-add-to-cart` detail (besides the product fields every event carries). */
export interface FashnAddToCartDetail {
  productId: string | undefined;
  garmentImage: string;
  resultImage: string;
  /** Answers with a promise of the adding (see `CartAnswer`). Call it during the event. */
  respondWith(answer: Promise<CartAnswer> | CartAnswer): void;
}

/** Where an add-to-cart ended. `message` is the page's own text, checked, when it gave one. */
export type CartOutcome =
  | { status: 'added' }
  | { status: 'failed'; reason: 'page-error' | 'unhandled' | 'no-answer'; message?: string };

export interface CartRequestOptions {
  /** How long a page that called `preventDefault()` may take to answer. */
  timeoutMs?: number;
  setTimeout?: (run: () => void, ms: number) => unknown;
  clearTimeout?: (handle: unknown) => void;
}

/** The longest page message shown; longer ones are cut at a word. */
const MAX_MESSAGE = 200;

/** A page's error text as plain, short text, or undefined when it is not usable. */
export function pageMessage(value: unknown): string | undefined {
  const raw =
    typeof value === 'string'
      ? value
      : value &&
          typeof value === 'object' &&
          typeof (value as { message?: unknown }).message === 'string'
        ? (value as { message: string }).message
        : value &&
            typeof value === 'object' &&
            typeof (value as { error?: unknown }).error === 'string'
          ? (value as { error: string }).error
          : undefined;
  // Control characters out, whitespace folded: it is rendered as text, never as markup.
  const text = raw
    // eslint-disable-next-line no-control-regex
    ?.replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!text) return undefined;
  return text.length <= MAX_MESSAGE
    ? text
    : `${text.slice(0, MAX_MESSAGE - 1).replace(/\s+\S*$/, '')}…`;
}

function outcomeOf(answer: CartAnswer): CartOutcome {
  if (answer && typeof answer === 'object' && 'error' in answer) {
    const message = pageMessage(answer.error);
    return message
      ? { status: 'failed', reason: 'page-error', message }
      : { status: 'failed', reason: 'page-error' };
  }
  return { status: 'added' };
}

/**
 * One add-to-cart: `dispatch` sends the event with the detail built here and
 * returns what `dispatchEvent` returns (false when the page called `preventDefault()`).
 * `answer()` is the element's `answerCart()` while this request waits.
 */
export class CartRequest {
  readonly outcome: Promise<CartOutcome>;
  #settle!: (outcome: CartOutcome) => void;
  #settled = false;
  #waiting = false;

  constructor(
    item: { productId: string | undefined; garmentImage: string; resultImage: string },
    dispatch: (detail: FashnAddToCartDetail) => boolean,
    options: CartRequestOptions = {},
  ) {
    const {
      timeoutMs = 30_000,
      setTimeout: later = globalThis.setTimeout,
      clearTimeout: stop = globalThis.clearTimeout,
    } = options;
    this.outcome = new Promise((resolve) => (this.#settle = resolve));
    let responded = false;
    const detail: FashnAddToCartDetail = {
      ...item,
      respondWith: (answer) => {
        if (responded) {
          // A second answer is ignored, and so is its rejection (no unhandled rejection).
          Promise.resolve(answer).catch(() => {});
          return;
        }
        responded = true;
        Promise.resolve(answer).then(
          (value) => this.#finish(outcomeOf(value)),
          (reason: unknown) => {
            const message = pageMessage(reason);
            this.#finish(
              message
                ? { status: 'failed', reason: 'page-error', message }
                : { status: 'failed', reason: 'page-error' },
            );
          },
        );
      },
    };
    const notCanceled = dispatch(detail);
    if (responded) return;
    if (notCanceled) {
      this.#finish({ status: 'failed', reason: 'unhandled' });
      return;
    }
    this.#waiting = true;
    const timer = later(() => this.#finish({ status: 'failed', reason: 'no-answer' }), timeoutMs);
    void this.outcome.then(() => stop(timer as never));
  }

  /** Whether the page is expected to call `answerCart()` for this request. */
  get waiting(): boolean {
    return this.#waiting && !this.#settled;
  }

  /** The page's answer through the element's method. Ignored once settled. */
  answer(answer: CartAnswer): void {
    if (this.waiting) this.#finish(outcomeOf(answer));
  }

  #finish(outcome: CartOutcome): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#settle(outcome);
  }
}
