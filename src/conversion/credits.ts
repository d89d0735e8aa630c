/**
 * "Is try-on available?" before the shopper takes a selfie: `GET {proxy-url}/credits`
 * answers `{ "available": boolean }` (never a balance). Anything else (no such
 * endpoint, an error, a slow or odd answer) is `unknown`, and the element carries
 * on as before: the check can only stop a shopper when the proxy says so.
 * DOM-free: fetch and the clock are injected.
 */

export type CreditsAnswer = 'available' | 'unavailable' | 'unknown';

export interface CreditsCheckOptions {
  fetch?: typeof fetch;
  now?: () => number;
  /** How long an answer is reused: briefly, so a top-up shows within a minute. */
  ttlMs?: number;
  /** How long the check may hold up the consent step. */
  timeoutMs?: number;
}

/** Reads the endpoint's body: `{ available: boolean }` and nothing else counts. */
export function readCredits(body: unknown): CreditsAnswer {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'unknown';
  const available = (body as { available?: unknown }).available;
  return available === true ? 'available' : available === false ? 'unavailable' : 'unknown';
}

/** `{proxyUrl}/credits` with exactly one slash between. */
export function creditsUrl(proxyUrl: string): string {
  return `${proxyUrl.replace(/\/+$/, '')}/credits`;
}

/**
 * Asks at most once per proxy URL while an answer is fresh, and shares one
 * request between elements asking at the same time.
 */
export class CreditsCheck {
  readonly #fetch: typeof fetch;
  readonly #now: () => number;
  readonly #ttlMs: number;
  readonly #timeoutMs: number;
  readonly #answers = new Map<
    string,
    { at: number; answer: Promise<CreditsAnswer>; settled?: CreditsAnswer }
  >();

  constructor(options: CreditsCheckOptions = {}) {
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#now = options.now ?? Date.now;
    this.#ttlMs = options.ttlMs ?? 60_000;
    this.#timeoutMs = options.timeoutMs ?? 3_000;
  }

  /** The answer for `proxyUrl`; never rejects. `init` is the element's `requestInit` (credentials, headers). */
  check(proxyUrl: string, init: RequestInit = {}): Promise<CreditsAnswer> {
    const url = creditsUrl(proxyUrl);
    const kept = this.#answers.get(url);
    if (kept && this.#now() - kept.at < this.#ttlMs) return kept.answer;
    const entry: { at: number; answer: Promise<CreditsAnswer>; settled?: CreditsAnswer } = {
      at: this.#now(),
      answer: this.#ask(url, init),
    };
    void entry.answer.then((settled) => (entry.settled = settled));
    this.#answers.set(url, entry);
    return entry.answer;
  }

  /**
   * Keeps an answer learned another way (a run refused with `OutOfCredits`) as if the
   * endpoint had given it: the page's other elements, and this one's next opening, say
   * so at once instead of asking for a selfie. Kept as briefly as an asked answer.
   */
  learn(proxyUrl: string, answer: CreditsAnswer): void {
    this.#answers.set(creditsUrl(proxyUrl), {
      at: this.#now(),
      answer: Promise.resolve(answer),
      settled: answer,
    });
  }

  /** The fresh answer for `proxyUrl` if it has already arrived (no request), else undefined. */
  peek(proxyUrl: string): CreditsAnswer | undefined {
    const kept = this.#answers.get(creditsUrl(proxyUrl));
    return kept && this.#now() - kept.at < this.#ttlMs ? kept.settled : undefined;
  }

  async #ask(url: string, init: RequestInit): Promise<CreditsAnswer> {
    try {
      const answer = await this.#fetch(url, {
        ...init,
        method: 'GET',
        body: null,
        headers: { ...headersOf(init.headers), accept: 'application/json' },
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      const json =
        answer.status === 200 &&
        /^application\/([\w.+-]+\+)?json\b/i.test(answer.headers.get('content-type') ?? '');
      // Read to the end either way (the small answer of a proxy without the
      // endpoint too), so the connection is free for the run that follows.
      const body: unknown = json ? await answer.json() : await answer.arrayBuffer();
      return json ? readCredits(body) : 'unknown';
    } catch {
      return 'unknown';
    }
  }
}

function headersOf(headers: HeadersInit | undefined): Record<string, string> {
  return Object.fromEntries(new Headers(headers).entries());
}

let page: CreditsCheck | undefined;

/** The page's check, shared by its elements: "at most once per page". */
export function pageCreditsCheck(): CreditsCheck {
  return (page ??= new CreditsCheck());
}
