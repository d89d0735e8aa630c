/**
 * Who asks the shopper for consent. `element` (default): the element's own
 * consent step. `external`: the shop's consent manager asks; the element shows
 * no consent step and starts no camera or upload until the page calls
 * `grantConsent()`. `revokeConsent()` forgets everything kept. DOM-free.
 */

export type ConsentMode = 'element' | 'external';

/** `fashn-consent` detail (besides the product fields every event carries). */
export interface FashnConsentDetail {
  decision: 'granted' | 'declined';
  /** Who asked: the element's own step, or the page (`grantConsent()` / `revokeConsent()`). */
  via: ConsentMode;
}

/** Whether consent is given, and each decision told once. */
export class ConsentGate {
  #granted = false;

  constructor(
    /** Told about every decision, once per change. */
    private readonly onDecision: (detail: FashnConsentDetail) => void = () => {},
  ) {}

  get granted(): boolean {
    return this.#granted;
  }

  /** Consent given (the element's Continue, or the page's `grantConsent()`); told once. */
  grant(via: ConsentMode): void {
    if (this.#granted) return;
    this.#granted = true;
    this.onDecision({ decision: 'granted', via });
  }

  /** The page handed over a selfie itself (`useSelfie()`): consent is implied, not reported. */
  assume(): void {
    this.#granted = true;
  }

  /**
   * Consent refused or withdrawn (the shopper closed the consent step, or the
   * page's `revokeConsent()`). Reported even when nothing was granted: a
   * refusal is a funnel step too. The caller forgets what is kept.
   */
  decline(via: ConsentMode): void {
    this.#granted = false;
    this.onDecision({ decision: 'declined', via });
  }
}
