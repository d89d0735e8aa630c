import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { FashnClient, type PredictProgress } from '../api/client.js';
import { FashnError, canceledError, isFashnError, type FashnErrorStep } from '../api/errors.js';
import { hasStrings, loadStrings, stringsFor, type Strings } from '../i18n/index.js';
import { CameraController } from './camera-controller.js';
import { CONFIG_KEYS, readConfig, type ConfigIssue, type TryOnConfig } from './config.js';
import { CartRequest, type CartAnswer } from '../conversion/cart.js';
import { ConsentGate } from '../conversion/consent.js';
import { CreditsCheck, pageCreditsCheck, type CreditsAnswer } from '../conversion/credits.js';
import { downloadWithLink } from '../conversion/download.js';
import { lookFilename, shareLook } from '../conversion/share.js';
import { productFields } from '../conversion/funnel.js';
import {
  emit,
  type FashnEventDetails,
  type FashnEventName,
  type FashnProgressDetail,
  type FashnState,
  type TryOnResult,
} from './events.js';
import { Flow } from './flow.js';
import { sharedTryOnStore } from '../cache/fallback.js';
import { findPending, type PendingPrediction } from '../cache/resume.js';
import type { TryOnStore } from '../cache/store.js';
import { PageMemory } from './memory.js';
import { makeAvatar, makeTryon, type Avatar, type RunStep, type StepContext } from './run-steps.js';
import { localizeError } from './messages.js';
import { styles } from './styles.js';
import { renderStep, type ViewActions, type ViewModel } from './views.js';

interface Run {
  controller: AbortController;
  /** Set when the page vetoed a call with `fashn-before-run`. */
  vetoed?: boolean;
  /** Set by `cancel()`: what the run's promise rejects with. */
  reason?: FashnError;
}

interface Deferred {
  resolve(result: TryOnResult): void;
  reject(error: FashnError): void;
}

const noop = () => {};

/**
 * `<fashn-try-on>`: the shopper takes a selfie (or picks a photo), FASHN's
 * `face-to-model` turns it into an avatar, and `tryon-v1.6` dresses the avatar
 * in `garment-image`. Talks only to `proxy-url`. See SPEC.md "The element".
 *
 * A `fashn-before-run` veto (`preventDefault()`) is not an error: no `fashn-error`
 * is emitted (the page knows what it did); the pending `tryOn()`/`useSelfie()`
 * promise rejects with a FashnError `canceled`, and the flow goes back to
 * `review` (photo held), `result` (earlier results shown) or `idle`.
 *
 * Camera failures (`camera-denied`, `camera-unavailable`) emit `fashn-error` but
 * keep the state `capture`, with the explanation next to the upload path.
 *
 * In the `dialog` layout, closing the dialog while an avatar or a try-on is being
 * made does not cancel it (that is `cancel()`): the result is shown when it opens
 * again. Closing from `consent`, `capture`, `review` or `error` returns to `idle`.
 *
 * @fires fashn-state-change - `{ state, previousState }` on every move of the flow
 * @fires fashn-before-run - cancelable, `{ model, inputs }` before each FASHN call
 * @fires fashn-progress - `{ step, status, predictionId?, elapsedMs, estimatedMs }` while waiting
 * @fires fashn-avatar - `{ image, cached, createdAt }` when an avatar is made or found kept
 * @fires fashn-result - `{ images, garmentImage, predictionId, avatarCached, cached, durationMs }`
 * @fires fashn-error - `{ code, message, step, retriable, fashnName?, predictionId?, httpStatus?, attribute? }`
 * @fires fashn-open - `{ source }` (`trigger` or `method`) when the shopper or the page opens the element
 * @fires fashn-consent - `{ decision, via }`: `granted` or `declined`, by the element's step (`element`) or the page (`external`)
 * @fires fashn-capture - `{ source }`: a photo from the `camera` or an `upload` (picked or dropped)
 * @fires fashn-download - `{ image }` when the shopper presses Download
 * @fires fashn-share - `{ outcome, via }`: `shared` (the image file), `fell-back` (the product's URL, or a download), `canceled`
 * @fires fashn-add-to-cart - cancelable, `{ productId, garmentImage, resultImage, respondWith(promise) }` when the shopper presses Add to cart (`cart`)
 *
 * @slot trigger - replaces the "Try it on" button
 * @slot cart - replaces the "Add to cart" button (`cart`); a click on it asks the page as the button does
 *
 * @csspart trigger - the "Try it on" button
 * @csspart button - every button (with a specific part name each: continue, take-photo, switch-camera, upload, use-photo, retake, cancel, try-again, try-another, change-photo, delete-photo, download, share, add-to-cart, close, before, after, sample)
 * @csspart dialog - the native `<dialog>` (dialog layout)
 * @csspart panel - the panel holding the steps
 * @csspart video - the live camera preview
 * @csspart image - every image (with photo, avatar or result)
 * @csspart progress - the `<progress>` bar while waiting
 * @csspart error - error messages
 * @csspart drop - the upload and drag-and-drop area
 * @csspart privacy - the privacy policy link
 *
 * @cssprop --fashn-try-on-accent - primary buttons and focus rings (default near-black; near-white in dark mode)
 * @cssprop --fashn-try-on-radius - corner radius of buttons and images (default 14px)
 * @cssprop --fashn-try-on-font - font family (default the system UI font)
 * @cssprop --fashn-try-on-surface - panel background
 * @cssprop --fashn-try-on-text - text colour
 */
export class FashnTryOn extends LitElement {
  static override styles = styles;
  // Declared here rather than with decorators: the bundle then needs no decorator helper.
  static override properties = {
    garmentImage: { attribute: 'garment-image' },
    proxyUrl: { attribute: 'proxy-url' },
    category: {},
    mode: {},
    garmentPhotoType: { attribute: 'garment-photo-type' },
    numSamples: { attribute: 'num-samples' },
    seed: {},
    outputFormat: { attribute: 'output-format' },
    moderationLevel: { attribute: 'moderation-level' },
    segmentationFree: { attribute: 'segmentation-free' },
    returnBase64: { attribute: 'return-base64' },
    avatarPrompt: { attribute: 'avatar-prompt' },
    avatarAspectRatio: { attribute: 'avatar-aspect-ratio' },
    layout: {},
    capture: {},
    remember: {},
    cacheDays: { attribute: 'cache-days' },
    privacyUrl: { attribute: 'privacy-url' },
    productId: { attribute: 'product-id' },
    productUrl: { attribute: 'product-url' },
    cart: {},
    consent: {},
    strings: { attribute: false },
    requestInit: { attribute: false },
    fetch: { attribute: false },
    memory: { attribute: false },
  };

  /** http(s) or `data:image/...` URL of the garment (required for a try-on). */
  declare garmentImage?: string;
  /** Base URL of the proxy, default `/api/fashn`. */
  declare proxyUrl?: string;
  /** `auto` `tops` `bottoms` `one-pieces`. */
  declare category?: string;
  /** `performance` `balanced` `quality`. */
  declare mode?: string;
  /** `auto` `flat-lay` `model`. */
  declare garmentPhotoType?: string;
  /** 1 to 4. */
  declare numSamples?: number | string;
  /** 0 to 2^32-1, default 42. */
  declare seed?: number | string;
  /** `png` `jpeg`. */
  declare outputFormat?: string;
  /** `conservative` `permissive` `none`. */
  declare moderationLevel?: string;
  /** `"true"` / `"false"`, default true. */
  declare segmentationFree?: boolean | string;
  /** Ask FASHN for base64 outputs (nothing stored on its CDN), default true. */
  declare returnBase64?: boolean | string;
  /** Body-shape guidance for `face-to-model`. */
  declare avatarPrompt?: string;
  /** `1:1` `4:5` `3:4` `2:3` `9:16`. */
  declare avatarAspectRatio?: string;
  /** `dialog` (default) or `inline`. */
  declare layout?: string;
  /** Capture paths offered: `camera upload` (default), `camera`, `upload`. */
  declare capture?: string;
  /** Keep the avatar in this browser, default true. */
  declare remember?: boolean | string;
  /** Days a kept avatar lives, default 30. */
  declare cacheDays?: number | string;
  /** Link shown on the consent step. */
  declare privacyUrl?: string;
  /** The shop's product id, carried in every event's detail (`productId`). */
  declare productId?: string;
  /** The product page's http(s) URL, carried in every event's detail (`productUrl`, absolute) and shared. */
  declare productUrl?: string;
  /** `"true"`: an "Add to cart" action on the result (`fashn-add-to-cart`), default false. */
  declare cart?: boolean | string;
  /** `element` (default): the element asks for consent; `external`: the page's consent manager does, then calls `grantConsent()`. */
  declare consent?: string;
  /** Partial overrides of any UI text (keys of the English table). */
  declare strings?: Partial<Strings>;
  /** Merged into every proxy request (headers, `credentials`). */
  declare requestInit?: RequestInit;
  /** Replacement fetch for proxy calls. */
  declare fetch?: typeof fetch;
  /**
   * Where the avatar, results and predictions in flight are kept. Default: the
   * page's IndexedDB store, shared by its elements, when `remember` is true;
   * this element's own `PageMemory` otherwise.
   */
  declare memory?: TryOnStore;

  readonly #flow = new Flow((state, previousState) => this.#moved(state, previousState));
  readonly #camera = new CameraController(this, {
    onError: (e) => this.#report(this.#localize(e)),
  });
  #ownMemory: PageMemory | undefined;
  #config = readConfig({}).config;
  readonly #reported = new Map<string, string>();
  #run: Run | undefined;
  #waiting: Deferred | undefined;
  #avatar: Avatar | undefined;
  #avatarCached = false;
  #consented = false;
  readonly #consent = new ConsentGate((detail) => this.#emit('fashn-consent', detail));
  #photo: Blob | undefined;
  #photoUrl: string | undefined;
  #results: string[] = [];
  #shown = 0;
  #before = false;
  #error: FashnError | undefined;
  #failedStep: FashnErrorStep | undefined;
  #progress: FashnProgressDetail | undefined;
  #progressAt = 0;
  #ticker: ReturnType<typeof setInterval> | undefined;
  #announcement = '';
  #dragOver = false;
  #dialogOpen = false;
  #focusStep = false;
  /** A resumed run (nobody asked for it on this page) does not move focus. */
  #quiet = false;
  #ownCloses = 0;
  #cart: Omit<ViewModel['cart'], 'shown'> = { status: 'ready' };
  #cartRequest: CartRequest | undefined;
  #ownCredits: CreditsCheck | undefined;
  /** Set while one open is being reported (the trigger calls `start()`, which calls `open()`). */
  #openReported = false;
  readonly #langObserver = new MutationObserver(() => this.requestUpdate());

  /** The flow's current state. */
  get state(): FashnState {
    return this.#flow.state;
  }

  /** The current avatar image (`data:`/`https:`/`blob:` URL), if any. */
  get avatar(): string | undefined {
    return this.#avatar?.image;
  }

  /** The images of the last result shown. */
  get results(): readonly string[] {
    return this.#results;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#langObserver.observe(document.documentElement, {
      attributes: true,
      attributeFilter: ['lang'],
      subtree: true,
    });
    this.#readConfig();
    void this.#resume();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#langObserver.disconnect();
    this.#stopTicker();
  }

  /** Updates wait for the UI language's table, so nothing is shown (or reported) in the wrong language. */
  protected override scheduleUpdate(): void | Promise<unknown> {
    const lang = this.#lang;
    if (hasStrings(lang)) return super.scheduleUpdate();
    return loadStrings(lang).then(() => super.scheduleUpdate());
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (CONFIG_KEYS.some((key) => changed.has(key))) this.#reportIssues(this.#readConfig());
    if (changed.has('garmentImage') && changed.get('garmentImage') !== undefined) {
      // Another garment: the result on screen is no longer about this one.
      if (this.state === 'result' && !this.#dialogOpen) this.#flow.go('idle');
    }
    if (this.hasUpdated && (changed.has('remember') || changed.has('memory')))
      void this.#loadKept();
  }

  // ---- public methods (SPEC "Methods") ----

  /** Opens the dialog (`dialog` layout) and, from `idle`, begins like "Try it on". */
  open(): void {
    this.#opened('method');
    this.#dialogOpen = true;
    this.requestUpdate();
    if (this.state === 'idle') void this.#begin();
  }

  /** Closes the dialog and stops the camera (SPEC). In the `inline` layout: back to `idle`. */
  close(): void {
    this.#camera.stop();
    this.#declinedByClosing();
    if (this.#config.layout === 'inline') {
      if (this.#run) this.cancel();
      this.#flow.go('idle');
      return;
    }
    this.#hideDialog();
    this.#afterClose();
  }

  /** What "Try it on" does: consent or capture, or straight to try-on with a kept avatar. */
  start(): void {
    this.open();
  }

  /**
   * Tries `garmentImage` (default: the `garment-image` attribute) on the current
   * avatar; without one, starts consent/capture and settles once that photo's run ends.
   */
  async tryOn(garmentImage?: string): Promise<TryOnResult> {
    if (garmentImage !== undefined) {
      this.garmentImage = garmentImage;
      this.#readConfig();
    }
    this.#opened('method');
    this.#dialogOpen = true;
    this.requestUpdate();
    await this.#loadKept();
    if (this.#avatar) {
      if (await this.#unavailable()) throw this.#error!;
      return this.#runFrom('tryon');
    }
    this.#waiting?.reject(this.#canceled());
    return new Promise<TryOnResult>((resolve, reject) => {
      this.#waiting = { resolve, reject };
      if (this.state !== 'consent' && this.state !== 'capture' && this.state !== 'review')
        void this.#begin();
    });
  }

  /**
   * The page supplies the photo (it has asked for consent itself): avatar, try-on,
   * result. Rejects (and emits `fashn-error`) on a bad photo or a failed run.
   */
  useSelfie(blob: Blob): Promise<TryOnResult> {
    this.#consented = true;
    this.#setPhoto(blob);
    this.#dialogOpen = true;
    this.requestUpdate();
    return this.#runFrom('avatar');
  }

  /** Back to capture for a new photo (cancels any run in flight). */
  retake(): void {
    if (this.#run) this.cancel();
    this.#dialogOpen = true;
    this.#flow.go(this.#consented ? 'capture' : 'consent');
  }

  /** From `error`, runs the failed step again with the same photo (when retriable). */
  retry(): void {
    if (this.state !== 'error' || !this.#error?.retriable) return;
    const from: RunStep = this.#failedStep === 'avatar' && this.#photo ? 'avatar' : 'tryon';
    this.#runFrom(from).catch(noop);
  }

  /**
   * Stops waiting: cancel is sent for the prediction in flight, the pending promise
   * rejects and `fashn-error` `canceled` is emitted; the state goes to `review`
   * while the photo is held, otherwise `idle`.
   */
  cancel(): void {
    const run = this.#run;
    if (!run) return;
    const step = this.state === 'avatar' ? 'avatar' : 'tryon';
    run.reason = this.#canceled(step);
    this.#run = undefined;
    run.controller.abort(run.reason);
    this.#flow.go(this.#photo ? 'review' : 'idle');
    this.#report(run.reason);
  }

  /** Deletes everything this element kept (avatar, results, photo); back to `idle`, consent asked again. */
  async forgetAvatar(): Promise<void> {
    if (this.#run) this.cancel();
    this.#avatar = undefined;
    this.#results = [];
    // Consent is asked again: for the funnel, it is withdrawn.
    if (this.#consented) this.#consent.decline(this.#config.consent);
    this.#consented = false;
    this.#setPhoto(undefined);
    if (this.#config.layout === 'dialog') this.close();
    this.#flow.go('idle');
    await (await this.#memory()).forgetAll().catch(this.#storageFailed);
  }

  /**
   * The page's answer to the `fashn-add-to-cart` it took with `preventDefault()`:
   * no argument shows "Added"; `{ error }` shows that message.
   */
  answerCart(answer?: CartAnswer): void {
    this.#cartRequest?.answer(answer);
  }

  /**
   * The page's consent manager has the shopper's consent (`consent="external"`):
   * a waiting consent step moves on to capture. Before that, "Try it on" shows
   * only that consent is needed, and no camera starts.
   */
  grantConsent(): void {
    this.#consented = true;
    this.#consent.grant('external');
    if (this.state === 'consent') this.#flow.go('capture');
  }

  /**
   * The shopper withdrew consent in the page's consent manager: everything kept
   * is forgotten, as "Delete my photo", and consent is needed again.
   */
  async revokeConsent(): Promise<void> {
    if (!this.#consented) this.#consent.decline('external');
    await this.forgetAvatar();
  }

  // ---- rendering ----

  protected override render() {
    const t = this.#t;
    const state = this.state;
    const dialog = this.#config.layout === 'dialog';
    const trigger = html`<slot
      name="trigger"
      @click=${this.#onTrigger}
      @pointerover=${this.#onIntent}
      @focusin=${this.#onIntent}
      @touchstart=${{ handleEvent: this.#onIntent, passive: true }}
      ><button type="button" class="btn primary" part="trigger button">${t.tryOn}</button></slot
    >`;
    const panel = html`<div class="panel ${state === 'idle' ? '' : 'open'}" part="panel">
      ${state === 'idle' ? (dialog ? nothing : trigger) : renderStep(this.#view(t), this.#actions)}
      <div class="sr-only" role="status" aria-live="polite">${this.#announcement}</div>
    </div>`;
    if (!dialog) return panel;
    return html`${trigger}
      <dialog
        part="dialog"
        aria-labelledby="title"
        @close=${this.#onDialogClose}
        @keydown=${this.#trapTab}
        @cancel=${() => this.#camera.stop()}
      >
        ${this.#dialogOpen ? panel : nothing}
      </dialog>`;
  }

  protected override updated(): void {
    const dialog = this.#dialog;
    if (dialog && this.#dialogOpen && !dialog.open && this.state !== 'idle' && this.isConnected)
      dialog.showModal();
    this.#camera.attach(this.renderRoot.querySelector('video') ?? undefined);
    if (this.#focusStep) {
      this.#focusStep = false;
      this.renderRoot.querySelector<HTMLElement>('#title')?.focus();
    }
  }

  get #dialog(): HTMLDialogElement | null {
    return this.renderRoot?.querySelector('dialog') ?? null;
  }

  get #lang(): string {
    return this.closest('[lang]')?.getAttribute('lang') ?? document.documentElement.lang;
  }

  get #t(): Strings {
    return stringsFor(this.#lang, this.strings);
  }

  #view(t: Strings): ViewModel {
    const camera = this.#camera;
    return {
      t,
      state: this.state,
      privacyUrl: this.#config.privacyUrl,
      consentMode: this.#config.consent,
      capture: this.#config.capture,
      camera: {
        ready: camera.ready,
        cameras: camera.cameras,
        error: camera.error ? this.#localize(camera.error).message : undefined,
      },
      photoUrl: this.#photoUrl,
      progress: this.#progress && {
        ...this.#progress,
        elapsedMs: this.#progress.elapsedMs + (Date.now() - this.#progressAt),
      },
      avatar: this.#avatar?.image,
      results: this.#results,
      shown: this.#shown,
      before: this.#before,
      error: this.#error && {
        message: this.#error.message,
        retriable: this.#error.retriable,
        unavailable: this.#error.code === 'out-of-credits' && this.#error.step === 'config',
      },
      dragOver: this.#dragOver,
      outputFormat: this.#config.outputFormat,
      cart: { shown: this.#config.cart, ...this.#cart },
    };
  }

  readonly #actions: ViewActions = {
    continue: () => {
      this.#consented = true;
      this.#consent.grant('element');
      this.#flow.go('capture');
    },
    takePhoto: () => void this.#takePhoto(),
    switchCamera: () => this.#camera.switchCamera(),
    retryCamera: () => this.#camera.start(),
    pickFile: (file) => {
      if (!file) return;
      this.#emit('fashn-capture', { source: 'upload' });
      this.#setPhoto(file);
      this.#flow.go('review');
    },
    usePhoto: () => this.#runFrom('avatar').catch(noop),
    retake: () => this.retake(),
    cancel: () => this.cancel(),
    retry: () => this.retry(),
    tryAnother: () => {
      const seed = crypto.getRandomValues(new Uint32Array(1))[0]!;
      this.#runFrom('tryon', seed).catch(noop);
    },
    changePhoto: () => this.retake(),
    deletePhoto: () => void this.forgetAvatar(),
    download: (image) => this.#emit('fashn-download', { image }),
    share: () => void this.#share(),
    addToCart: () => void this.#addToCart(),
    close: () => this.close(),
    showSample: (index) => {
      this.#shown = index;
      this.#before = false;
      this.requestUpdate();
    },
    showBefore: (before) => {
      this.#before = before;
      this.requestUpdate();
    },
    dragOver: (over) => {
      this.#dragOver = over;
      this.requestUpdate();
    },
  };

  // ---- the flow ----

  #moved(state: FashnState, previousState: FashnState): void {
    const t = this.#t;
    if (state === 'capture' && this.#config.capture.camera) this.#camera.start();
    else this.#camera.stop();
    if (state === 'avatar' || state === 'tryon') this.#startTicker();
    else this.#stopTicker();
    if (state !== 'error') this.#error = undefined;
    if (state === 'idle') {
      this.#waiting?.reject(this.#canceled());
      this.#waiting = undefined;
      if (this.#dialogOpen) this.#hideDialog();
    }
    const titles: Partial<Record<FashnState, string>> = {
      consent: t.consentTitle,
      capture: t.captureTitle,
      review: t.reviewTitle,
      avatar: t.avatarTitle,
      tryon: t.tryonTitle,
      result: t.resultReady,
      error: t.errorTitle,
    };
    this.#announcement = titles[state] ?? '';
    const modal = this.#config.layout === 'dialog' && this.#dialogOpen;
    this.#focusStep = state !== 'idle' && (modal || (!this.#quiet && this.#focusWasInside()));
    if (state !== 'avatar' && state !== 'tryon') this.#quiet = false;
    this.requestUpdate();
    this.#emit('fashn-state-change', { state, previousState });
  }

  /** Whether keyboard focus is on this element or was dropped with a removed control. */
  #focusWasInside(): boolean {
    const active = document.activeElement;
    return active === this || active === document.body || active === null;
  }

  /**
   * Consent or capture at once when no avatar is known; straight to try-on when
   * the current avatar (read again: another element or tab may have made one) is there.
   */
  async #begin(): Promise<void> {
    const credits = this.#credits();
    const known = this.#creditsCheck.peek(this.#proxyUrl);
    if (known === 'unavailable') return void this.#showUnavailable();
    const ask = () => this.#flow.go(this.#consented ? 'capture' : 'consent');
    // The consent step starts no camera, so it may show while the answer is on its way;
    // capture (the camera) waits for it.
    if (!this.#avatar && (!this.#consented || known)) ask();
    const unavailable = (await credits) === 'unavailable';
    // Not if the shopper closed it meanwhile.
    if (unavailable && (this.#dialogOpen || this.state !== 'idle') && this.#showUnavailable())
      return;
    await this.#loadKept();
    if (!['idle', 'consent', 'capture'].includes(this.state)) return;
    if (this.#avatar) this.#runFrom('tryon').catch(noop);
    else ask();
  }

  async #takePhoto(): Promise<void> {
    try {
      const photo = await this.#camera.capture();
      this.#camera.stop();
      this.#emit('fashn-capture', { source: 'camera' });
      this.#setPhoto(photo);
      this.#flow.go('review');
    } catch (cause) {
      this.#camera.stop();
      this.#report(
        this.#localize(
          isFashnError(cause)
            ? cause
            : new FashnError({ code: 'camera-unavailable', step: 'capture', cause }),
        ),
      );
    }
  }

  /**
   * Runs from `step` to the result. A newer run (or `cancel()`) makes this one
   * stale: it then changes nothing and rejects with `canceled`.
   */
  #runFrom(from: RunStep, seed?: number, resume?: PendingPrediction): Promise<TryOnResult> {
    this.#run?.controller.abort(this.#canceled(from));
    const run: Run = { controller: new AbortController() };
    this.#run = run;
    this.#quiet = !!resume;
    const promise = this.#execute(run, from, seed, resume) as Promise<TryOnResult>;
    const waiting = this.#waiting;
    this.#waiting = undefined;
    if (waiting) promise.then(waiting.resolve, waiting.reject);
    return promise;
  }

  /** Runs the steps; a resumed avatar run ends there unless the shopper is watching (no try-on unasked). */
  async #execute(
    run: Run,
    from: RunStep,
    seed: number | undefined,
    resume: PendingPrediction | undefined,
  ): Promise<TryOnResult | void> {
    const { signal } = run.controller;
    const config = this.#config;
    let step: FashnErrorStep = from;
    const hadResults = this.state === 'result';
    // The state moves at once; the memory is awaited after.
    const memory = this.#memory();
    const context = async () => this.#stepContext(run, config, await memory);
    try {
      const garment = config.garmentImage;
      if (!garment && !resume) {
        step = 'config';
        throw new FashnError({
          code: 'invalid-config',
          attribute: 'garment-image',
          retriable: false,
        });
      }
      let avatar = this.#avatar;
      if (from === 'avatar' || !avatar) {
        step = 'avatar';
        if (!this.#photo && !resume)
          throw new FashnError({ code: 'invalid-image', message: 'No photo' });
        this.#flow.go('avatar');
        const [made, cached] = await makeAvatar(await context(), this.#photo, resume);
        if (this.#run !== run) throw run.reason ?? this.#canceled(step);
        this.#avatar = avatar = made;
        this.#avatarCached = cached;
        this.#emit('fashn-avatar', { image: made.image, cached, createdAt: made.createdAt });
        // Resumed on connect: on to try-on only if the shopper opened the dialog meanwhile.
        if (resume && !(this.#dialogOpen && garment)) {
          this.#run = undefined;
          this.#flow.go('idle');
          return;
        }
        resume = undefined;
      }
      step = 'tryon';
      this.#flow.go('tryon');
      const result = await makeTryon(
        await context(),
        avatar,
        garment!,
        this.#avatarCached,
        seed,
        resume,
      );
      if (signal.aborted) throw signal.reason;
      this.#run = undefined;
      this.#results = result.images;
      this.#shown = 0;
      this.#cart = { status: 'ready' };
      this.#cartRequest = undefined;
      this.#before = false;
      this.#flow.go('result');
      this.#emit('fashn-result', result);
      return result;
    } catch (cause) {
      if (this.#run !== run) throw run.reason ?? this.#canceled(step);
      this.#run = undefined;
      if (run.vetoed) {
        this.#flow.go(
          hadResults && this.#results.length ? 'result' : this.#photo ? 'review' : 'idle',
        );
        throw this.#canceled(step);
      }
      const error = this.#localize(toFashnError(cause), step);
      this.#error = error;
      this.#failedStep = step;
      this.#flow.go('error');
      this.#report(error);
      throw error;
    } finally {
      this.#checkStore(await memory);
    }
  }

  /** What the two FASHN steps of `run` need: its signal, the proxy client, events and memory. */
  #stepContext(run: Run, config: TryOnConfig, memory: TryOnStore): StepContext {
    return {
      signal: run.controller.signal,
      config,
      client: new FashnClient({
        baseUrl: config.proxyUrl,
        fetch: this.fetch,
        requestInit: this.requestInit,
        // Held status requests where the proxy supports ?wait= (the reference
        // proxy does); a plain forwarder answers at once and polling takes over.
        longPoll: true,
      }),
      memory,
      beforeRun: (model, inputs, step) => {
        if (this.#emit('fashn-before-run', { model, inputs } as never, { cancelable: true }))
          return;
        run.vetoed = true;
        throw this.#canceled(step);
      },
      progress: (step, progress) => this.#run === run && this.#onProgress(step, progress),
      storageFailed: this.#storageFailed,
    };
  }

  #onProgress(
    step: RunStep,
    p: Omit<PredictProgress, 'status'> & { status: FashnProgressDetail['status'] },
  ) {
    const detail: FashnProgressDetail = {
      step,
      status: p.status,
      elapsedMs: p.elapsedMs,
      estimatedMs: p.estimatedMs,
    };
    if (p.predictionId) detail.predictionId = p.predictionId;
    if (this.#progress?.status !== p.status) this.#announcement = this.#t[p.status];
    this.#progress = detail;
    this.#progressAt = Date.now();
    this.requestUpdate();
    this.#emit('fashn-progress', detail);
  }

  // ---- helpers ----

  /** The `memory` property, the page's shared IndexedDB store (`remember`), or this element's own. */
  async #memory(): Promise<TryOnStore> {
    return (
      this.memory ??
      (this.#config.remember ? sharedTryOnStore() : (this.#ownMemory ??= new PageMemory()))
    );
  }

  /**
   * Reads the current avatar again (another element or tab may have made or
   * forgotten one); a newly found one emits `fashn-avatar` with `cached: true`.
   */
  async #loadKept(): Promise<TryOnStore> {
    const store = await this.#memory();
    const kept = await store.getAvatar();
    this.#checkStore(store);
    if (kept ? kept.key !== this.#avatar?.key : this.#avatar?.blob) {
      this.#avatar = kept;
      this.#avatarCached = true;
      if (kept)
        this.#emit('fashn-avatar', { image: kept.image, cached: true, createdAt: kept.createdAt });
    }
    return store;
  }

  /**
   * On connect: a prediction still in flight (after a reload, or from another
   * page) is polled again rather than paid twice: this garment's try-on on the
   * current avatar, else an avatar. The dialog is not opened for it.
   */
  async #resume(): Promise<void> {
    const store = await this.#loadKept();
    const garment = this.#config.garmentImage;
    const avatarKey = this.#avatar?.key;
    const pending =
      (garment &&
        avatarKey &&
        (await findPending(store, { model: 'tryon-v1.6', garment, avatarKey }))) ||
      (await findPending(store, { model: 'face-to-model' }));
    if (pending && this.state === 'idle')
      this.#runFrom(
        pending.model === 'face-to-model' ? 'avatar' : 'tryon',
        undefined,
        pending,
      ).catch(noop);
  }

  /** Reports the failure that moved the memory to page memory, once per store. */
  #checkStore(store: TryOnStore): void {
    const failure = store.takeStorageError();
    if (failure) this.#storageFailed(failure);
  }

  /** Reads the attributes; returns the values refused. */
  #readConfig(): ConfigIssue[] {
    const { config, issues } = readConfig(this);
    this.#config = config;
    return issues;
  }

  /** Reports each refused value once (from `willUpdate`, so in the UI language). */
  #reportIssues(issues: ConfigIssue[]): void {
    for (const issue of issues) {
      const value = String(issue.value);
      if (this.#reported.get(issue.attribute) === value) continue;
      this.#reported.set(issue.attribute, value);
      this.#report(
        new FashnError({
          code: 'invalid-config',
          step: 'config',
          retriable: false,
          attribute: issue.attribute,
          message: `${this.#t['error.invalid-config']} (${issue.message})`,
        }),
      );
    }
  }

  #setPhoto(photo: Blob | undefined): void {
    if (this.#photoUrl) URL.revokeObjectURL(this.#photoUrl);
    this.#photo = photo;
    this.#photoUrl = photo ? URL.createObjectURL(photo) : undefined;
  }

  /** The dialog closed by the browser (Esc); our own `close()` calls are counted out. */
  readonly #onDialogClose = (): void => {
    if (this.#ownCloses > 0) {
      this.#ownCloses--;
      return;
    }
    if (!this.#dialogOpen) return;
    this.#declinedByClosing();
    this.#hideDialog();
    this.#afterClose();
  };

  #afterClose(): void {
    this.#camera.stop();
    const keep = ['idle', 'avatar', 'tryon', 'result'].includes(this.state);
    if (!keep) this.#flow.go('idle');
    this.requestUpdate();
  }

  /** Keeps Tab inside the modal: the browser would otherwise move on to its own UI. */
  readonly #trapTab = (event: KeyboardEvent): void => {
    if (event.key !== 'Tab') return;
    const focusable = [
      ...this.renderRoot.querySelectorAll<HTMLElement>(
        'dialog button:not(:disabled), dialog a[href], dialog input',
      ),
    ];
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    const active = (this.renderRoot as ShadowRoot).activeElement;
    const edge = event.shiftKey ? first : last;
    if (!first || !last || (active !== edge && focusable.includes(active as HTMLElement))) return;
    event.preventDefault();
    (event.shiftKey ? last : first).focus();
  };

  /** Closes the native dialog and gives focus back to the trigger. */
  #hideDialog(): void {
    this.#dialogOpen = false;
    const dialog = this.#dialog;
    if (dialog?.open) {
      this.#ownCloses++;
      dialog.close();
    }
    const trigger =
      this.querySelector<HTMLElement>('[slot="trigger"]') ??
      this.renderRoot.querySelector<HTMLElement>('[part~="trigger"]');
    trigger?.focus();
  }

  /** A failure of the memory: reported as a non-fatal `storage` error, the flow goes on. */
  readonly #storageFailed = (cause: unknown): void =>
    this.#report(this.#localize(new FashnError({ code: 'storage', step: 'storage', cause })));

  #canceled(step: FashnErrorStep = 'tryon'): FashnError {
    return this.#localize(canceledError(), step);
  }

  #localize(error: FashnError, step: FashnErrorStep = error.step ?? 'config'): FashnError {
    return localizeError(error, this.#t, step, this.#config.capture.upload);
  }

  /** Shares the look shown (file, else the product's URL, else a download) and reports how it ended. */
  async #share(): Promise<void> {
    const image = this.#results[this.#shown] ?? this.#results[0];
    if (!image) return;
    const t = this.#t;
    const { productUrl, outputFormat } = this.#config;
    const detail = await shareLook(
      {
        image,
        title: document.title || t.resultTitle,
        text: t.shareText,
        url: new URL(productUrl ?? location.href, document.baseURI).href,
        filename: lookFilename(outputFormat),
      },
      {
        share: navigator.share?.bind(navigator),
        canShare: navigator.canShare?.bind(navigator),
        download: (url, filename) => downloadWithLink(url, filename, this.renderRoot),
      },
    );
    this.#emit('fashn-share', detail);
  }

  /** Asks the page to add the product (`fashn-add-to-cart`) and shows its answer. */
  async #addToCart(): Promise<void> {
    const resultImage = this.#results[this.#shown] ?? this.#results[0];
    const garmentImage = this.#config.garmentImage;
    if (!resultImage || !garmentImage || this.#cart.status === 'adding') return;
    this.#setCart({ status: 'adding' });
    const request = new CartRequest(
      { productId: this.#config.productId, garmentImage, resultImage },
      (detail) => this.#emit('fashn-add-to-cart', detail, { cancelable: true }),
    );
    this.#cartRequest = request;
    const outcome = await request.outcome;
    if (this.#cartRequest !== request) return;
    this.#cartRequest = undefined;
    this.#setCart(
      outcome.status === 'added'
        ? { status: 'added' }
        : { status: 'failed', ...(outcome.message ? { message: outcome.message } : {}) },
    );
  }

  #setCart(cart: Omit<ViewModel['cart'], 'shown'>): void {
    this.#cart = cart;
    const t = this.#t;
    this.#announcement =
      cart.status === 'added'
        ? t.added
        : cart.status === 'failed'
          ? (cart.message ?? t.cartFailed)
          : cart.status === 'adding'
            ? t.adding
            : this.#announcement;
    this.requestUpdate();
  }

  /** Whether the proxy can run try-ons (`GET {proxy-url}/credits`), asked once per page and briefly kept. */
  #credits(): Promise<CreditsAnswer> {
    return this.#creditsCheck.check(this.#proxyUrl, this.requestInit);
  }

  /** The page's check, or this element's own when it has its own `fetch`. */
  get #creditsCheck(): CreditsCheck {
    return this.fetch
      ? (this.#ownCredits ??= new CreditsCheck({ fetch: this.fetch }))
      : pageCreditsCheck();
  }

  get #proxyUrl(): string {
    return new URL(this.#config.proxyUrl, document.baseURI).href;
  }

  /**
   * Before consent: when the proxy says try-on is unavailable, say so and stop
   * (no camera, no photo asked for). `fashn-error` `out-of-credits`, step `config`.
   * Any other answer, or none, changes nothing.
   */
  async #unavailable(): Promise<boolean> {
    return (await this.#credits()) === 'unavailable' && this.#showUnavailable();
  }

  /** Shows "unavailable" unless a run is under way (whose own answer then counts). */
  #showUnavailable(): boolean {
    if (!['idle', 'consent', 'capture', 'review'].includes(this.state)) return false;
    this.#camera.stop();
    const error = this.#localize(
      new FashnError({ code: 'out-of-credits', step: 'config', retriable: false }),
      'config',
    );
    this.#error = error;
    this.#flow.go('error');
    this.#report(error);
    // A tryOn() waiting for the shopper's photo ends here too.
    this.#waiting?.reject(error);
    this.#waiting = undefined;
    return true;
  }

  /** Intent to try on (pointer over, focus, touch on the trigger): the credits answer is fetched ahead. */
  readonly #onIntent = (): void => void this.#credits();

  /** The trigger (or a slotted one) was pressed. */
  readonly #onTrigger = (): void => {
    this.#opened('trigger');
    this.start();
  };

  /** `fashn-open` when the shopper (or the page) opens a closed element; not again while open. */
  #opened(source: 'trigger' | 'method'): void {
    const closed = this.#config.layout === 'dialog' ? !this.#dialogOpen : this.state === 'idle';
    if (closed && !this.#openReported) this.#emit('fashn-open', { source });
    this.#openReported = true;
    queueMicrotask(() => (this.#openReported = false));
  }

  /** Closing the element's own consent step is a "no" (with the shop's consent manager, the page decides). */
  #declinedByClosing(): void {
    if (this.state === 'consent' && this.#config.consent === 'element')
      this.#consent.decline('element');
  }

  /** Dispatches one of the element's events with the product fields in its detail. */
  #emit<N extends FashnEventName>(
    name: N,
    detail: FashnEventDetails[N],
    options?: { cancelable?: boolean },
  ): boolean {
    const { productId, productUrl } = this.#config;
    const url = productUrl && new URL(productUrl, document.baseURI).href;
    return emit(this, name, { ...detail, ...productFields(productId, url) }, options);
  }

  #report(error: FashnError): void {
    this.#emit('fashn-error', error.toDetail());
  }

  #startTicker(): void {
    this.#progress = undefined;
    this.#ticker ??= setInterval(() => this.requestUpdate(), 1000);
  }

  #stopTicker(): void {
    clearInterval(this.#ticker);
    this.#ticker = undefined;
  }
}

/** Any thrown value as a FashnError (an abort becomes `canceled`). */
function toFashnError(cause: unknown): FashnError {
  if (isFashnError(cause)) return cause;
  const name = (cause as { name?: string } | null)?.name;
  if (name === 'AbortError') return canceledError(undefined, cause);
  return new FashnError({ code: name === 'TypeError' ? 'network' : 'proxy-error', cause });
}
