/**
 * The flow of `<fashn-try-on>`, loaded on the shopper's intent: the Lit view of
 * the steps, wired to the flow table, the try-on session and the controllers
 * (run, dialog, camera; the language one is the shell's). It renders into the
 * shell's shadow root and answers the element's methods. New steps and
 * features go here (and in `views.ts`), never in the shell.
 */
import { html, nothing, render } from 'lit/html.js';
import { FashnPredictClient } from '../api/client.js';
import { FashnError, canceledError, isFashnError, type FashnErrorStep } from '../api/errors.js';
import { PageMemory, sharedTryOnStore } from '../cache/fallback.js';
import type { TryOnMemory } from '../cache/memory.js';
import type { Strings } from '../i18n/index.js';
import type { PhotoCheckStrings } from '../i18n/photo-check.js';
import { Flow, type FashnState, type FlowEvent } from '../session/flow.js';
import { TryOnSession, type Outcome, type RunStep } from '../session/session.js';
import { ProgressBoard } from '../session/steps.js';
import { CameraController } from './camera-controller.js';
import { CONFIG_KEYS, type AttributeProperty } from './attributes.js';
import { readConfig, type RawValue, type TryOnConfig } from './config.js';
import { ControllerHost } from './controllers/controller-host.js';
import { DialogController } from './controllers/dialog-controller.js';
import type { LanguageController } from './controllers/language-controller.js';
import { RunController } from './controllers/run-controller.js';
import type { CartAnswer } from '../conversion/cart.js';
import { ConsentGate } from '../conversion/consent.js';
import { CreditsCheck, pageCreditsCheck, type CreditsAnswer } from '../conversion/credits.js';
import { productFields } from '../conversion/funnel.js';
import {
  emit,
  type FashnEventDetails,
  type FashnEventName,
  type FashnProgressDetail,
  type TryOnResult,
} from './events.js';
import { localizeError } from './messages.js';
import type { PhotoReview } from './photo-check.js';
import type { PhotoHeader } from '../photo-check/check-photo.js';
import { styles } from './styles.js';
import { adoptCss } from './shell-styles.js';
import { addToCart, share } from './result-actions.js';
import { renderStep, type ViewActions, type ViewModel } from './views.js';

/**
 * What a picked file (or `useSelfie()`) needs: validation, decoding, EXIF
 * orientation, resizing. Loaded when a file is chosen, never for the camera.
 */
const filePipeline = () => import('../capture/normalize.js');

/**
 * What the flow needs of its element (`FashnTryOn`, which loads this module): the DOM,
 * the attribute properties and the ones only a script sets.
 */
export interface ViewHost extends HTMLElement, Partial<Record<keyof TryOnConfig, RawValue>> {
  strings?: Partial<Strings> & Partial<PhotoCheckStrings>;
  requestInit?: RequestInit;
  fetch?: typeof fetch;
  memory?: TryOnMemory;
}

/** Progress of shared avatar runs, for every element of the page. */
const board = new ProgressBoard();
const noop = () => {};

/** The check of one photo at review: its verdict (`review`) once `done`. */
interface PhotoCheck {
  photo: Blob;
  done: Promise<void>;
  review?: PhotoReview;
}

export class TryOnView extends ControllerHost {
  #config: TryOnConfig = readConfig({}).config;
  #configDirty = true;
  readonly #reported = new Map<string, string>();
  #ownMemory: PageMemory | undefined;
  #waiting:
    { resolve: (result: TryOnResult) => void; reject: (error: FashnError) => void } | undefined;
  readonly #consent = new ConsentGate((detail) => this.#emit('fashn-consent', detail));
  #cart: Omit<ViewModel['cart'], 'shown'> = { status: 'ready' };
  #cartAnswer: ((answer: CartAnswer) => void) | undefined;
  #ownCredits: CreditsCheck | undefined;
  /** Set while one opening is being reported (`start()` calls `open()`, `tryOn()` may too). */
  #openReported = false;
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
  /** From "Take photo" until the review shows: the shopper sees at once that it worked. */
  #preparing = false;
  #focusStep = false;
  /** A resumed run (nobody asked for it on this page) does not move focus. */
  #quiet = false;
  /** The check of the photo at review; its module loads then, never before. */
  #check: PhotoCheck | undefined;

  readonly #runs = new RunController(this);
  readonly #camera = new CameraController(this, { onError: (e) => this.#report(e) });
  readonly #dialog: DialogController;
  readonly #session = new TryOnSession({
    memory: () => this.#memory(),
    // The camera's photo is final as taken; a file goes through the file pipeline.
    prepare: async (photo, signal) =>
      this.#camera.took(photo)
        ? photo
        : (await (await filePipeline()).normalizeImage(photo, { signal })).blob,
    client: (config) =>
      new FashnPredictClient({
        baseUrl: config.proxyUrl,
        fetch: this.host.fetch,
        requestInit: this.host.requestInit,
        // Held status requests where the proxy supports ?wait= (the reference
        // proxy does); a plain forwarder answers at once and polling takes over.
        longPoll: true,
      }),
    board,
    events: {
      beforeRun: (detail) => this.#emit('fashn-before-run', detail),
      step: (step) => this.#flow.send(step),
      progress: (detail) => this.#onProgress(detail),
      avatar: (detail) => this.#emit('fashn-avatar', detail),
      report: (error) => this.#report(error),
    },
  });
  readonly #flow = new Flow({
    enter: {
      capture: () => this.#config.capture.camera && this.#camera.start(),
      review: () => this.#startCheck(),
      avatar: () => this.#tick(true),
      tryon: () => this.#tick(true),
      idle: () => {
        this.#waiting?.reject(this.#canceled());
        this.#waiting = undefined;
        if (this.#dialog.wanted) this.#dialog.hide();
      },
    },
    exit: {
      capture: () => this.#camera.stop(),
      avatar: () => this.#tick(false),
      tryon: () => this.#tick(false),
      error: () => (this.#error = undefined),
    },
    moved: (state, previousState) => this.#moved(state, previousState),
  });

  constructor(
    readonly host: ViewHost,
    private readonly container: HTMLElement,
    private readonly trigger: HTMLSlotElement,
    private readonly language: LanguageController,
  ) {
    super();
    const root = container.getRootNode() as ShadowRoot;
    adoptCss(root, styles);
    this.#dialog = new DialogController(this, {
      root,
      dialog: () => container.querySelector('dialog'),
      trigger: () =>
        host.querySelector<HTMLElement>('[slot="trigger"]') ?? trigger.querySelector('button'),
      onClose: () => this.#afterClose(),
    });
  }

  // ---- what the element asks ----

  get state(): FashnState {
    return this.#flow.state;
  }

  get avatar(): string | undefined {
    return this.#session.avatar?.image;
  }

  get results(): readonly string[] {
    return this.#results;
  }

  connected(): void {
    this.connectControllers();
    this.#readConfig();
    void this.#resume();
    this.requestUpdate();
  }

  disconnected(): void {
    this.disconnectControllers();
    this.#tick(false);
  }

  changed(key: AttributeProperty | 'strings' | 'requestInit' | 'fetch' | 'memory'): void {
    if ((CONFIG_KEYS as string[]).includes(key)) this.#configDirty = true;
    if (key === 'remember' || key === 'memory') void this.#session.loadKept();
    this.requestUpdate();
  }

  open(source: 'trigger' | 'method' = 'method'): void {
    this.#opened(source);
    this.#dialog.show();
    if (this.state === 'idle') void this.#begin();
  }

  close(): void {
    this.#camera.stop();
    if (this.#config.layout === 'inline') {
      this.#declinedByClosing();
      this.cancel();
      this.#flow.send('close');
      return;
    }
    this.#dialog.hide();
    this.#afterClose();
  }

  async tryOn(garmentImage?: string): Promise<TryOnResult> {
    if (garmentImage !== undefined) {
      this.host.garmentImage = garmentImage;
      this.#readConfig();
    }
    this.#opened('method');
    this.#dialog.show();
    void this.#credits();
    await this.#session.loadKept();
    if (this.#session.avatar) {
      // Only an answer already in stops it: a kept avatar does not wait for one (see #begin).
      if (this.#creditsCheck.peek(this.#proxyUrl) === 'unavailable' && this.#showUnavailable())
        throw this.#error as FashnError;
      return this.#runFrom('tryon');
    }
    this.#waiting?.reject(this.#canceled());
    return new Promise<TryOnResult>((resolve, reject) => {
      this.#waiting = { resolve, reject };
      if (!['consent', 'capture', 'review'].includes(this.state)) void this.#begin();
    });
  }

  useSelfie(blob: Blob): Promise<TryOnResult> {
    this.#consent.assume();
    this.#setPhoto(blob);
    this.#dialog.show();
    return this.#runFrom('avatar');
  }

  retake(): void {
    this.cancel();
    this.#dialog.show();
    this.#flow.send(this.#consent.granted ? 'capture' : 'ask');
  }

  retry(): void {
    if (this.state !== 'error' || !this.#error?.retriable) return;
    const from = this.#failedStep === 'avatar' && this.#session.photo ? 'avatar' : 'tryon';
    this.#runFrom(from).catch(noop);
  }

  cancel(): void {
    const reason = this.#canceled(this.state === 'avatar' ? 'avatar' : 'tryon');
    if (!this.#runs.abort(reason)) return;
    this.#flow.send(this.#session.photo ? 'hold' : 'close');
    this.#report(reason, true);
  }

  async forgetAvatar(): Promise<void> {
    this.cancel();
    this.#results = [];
    // Consent is asked again: for the funnel, it is withdrawn.
    if (this.#consent.granted) this.#consent.decline(this.#config.consent);
    this.#setPhoto(undefined);
    if (this.#config.layout === 'dialog') this.close();
    this.#flow.send('close');
    await this.#session
      .forget()
      .catch((cause: unknown) =>
        this.#report(new FashnError({ code: 'storage', step: 'storage', cause })),
      );
  }

  answerCart(answer?: CartAnswer): void {
    this.#cartAnswer?.(answer);
  }

  grantConsent(): void {
    this.#consent.grant('external');
    if (this.state === 'consent') this.#flow.send('capture');
  }

  async revokeConsent(): Promise<void> {
    if (!this.#consent.granted) this.#consent.decline('external');
    await this.forgetAvatar();
  }

  /** The shopper shows intent (pointer over, focus, touch): the credits answer is fetched ahead. */
  intent(): void {
    void this.#credits();
  }

  /** Renders in the UI language: its table first. */
  protected beforeUpdate(): Promise<unknown> | undefined {
    return this.language.ready ? undefined : this.language.load();
  }

  protected update(): void {
    if (this.#configDirty) this.#applyConfig();
    render(this.#render(), this.container);
    this.#dialog.sync(this.state !== 'idle' && this.host.isConnected);
    this.#camera.attach(this.container.querySelector('video') ?? undefined);
    if (this.#focusStep) {
      this.#focusStep = false;
      this.container.querySelector<HTMLElement>('#title')?.focus();
    }
  }

  #render() {
    const state = this.state;
    const dialog = this.#config.layout === 'dialog';
    this.trigger.hidden = !dialog && state !== 'idle';
    const panel = html`<div class="panel ${state === 'idle' ? '' : 'open'}" part="panel">
      ${state === 'idle' ? nothing : renderStep(this.#view(), this.#actions)}
      <div class="sr-only" role="status" aria-live="polite">${this.#announcement}</div>
    </div>`;
    if (!dialog) return panel;
    return html`<dialog
      part="dialog"
      aria-labelledby="title"
      @close=${this.#dialog.onClose}
      @keydown=${this.#dialog.onKeydown}
      @cancel=${() => this.#camera.stop()}
    >
      ${this.#dialog.wanted ? panel : nothing}
    </dialog>`;
  }

  get #t(): Strings {
    return this.language.strings(this.host.strings);
  }

  #view(): ViewModel {
    const { ready, cameras, error } = this.#camera;
    const p = this.#progress;
    return {
      t: this.#t,
      state: this.state,
      privacyUrl: this.#config.privacyUrl,
      consentMode: this.#config.consent,
      capture: this.#config.capture,
      camera: {
        hint: this.#preparing ? this.#t.preparing : ready ? undefined : this.#t.cameraStarting,
        cameras,
        error: error ? this.#localize(error).message : undefined,
      },
      photoUrl: this.#photoUrl,
      photoCheck: this.#check?.review?.view(html, this.language.lang, this.host.strings),
      progress: p && { ...p, elapsedMs: p.elapsedMs + (Date.now() - this.#progressAt) },
      avatar: this.#session.avatar?.image,
      results: this.#results,
      shown: this.#shown,
      before: this.#before,
      error: this.#error && {
        message: this.#error.message,
        retriable: this.#error.retriable,
        // Nothing the shopper can do (no credits, the shop's key refused): no retake offered.
        unavailable: this.#error.code === 'out-of-credits' || this.#error.code === 'unauthorized',
      },
      dragOver: this.#dragOver,
      outputFormat: this.#config.outputFormat,
      cart: { shown: this.#config.cart, ...this.#cart },
    };
  }

  readonly #actions: ViewActions = {
    continue: () => {
      this.#consent.grant('element');
      this.#flow.send('capture');
    },
    takePhoto: () => void this.#takePhoto(),
    switchCamera: () => this.#camera.switchCamera(),
    retryCamera: () => this.#camera.start(),
    pickFile: (file) => {
      if (!file) return;
      this.#emit('fashn-capture', { source: 'upload' });
      void filePipeline();
      this.#setPhoto(file);
      this.#flow.send('photo');
    },
    usePhoto: (anyway = false) => void this.#usePhoto(anyway),
    retake: () => this.retake(),
    cancel: () => this.cancel(),
    retry: () => this.retry(),
    tryAnother: () => {
      const seed = crypto.getRandomValues(new Uint32Array(1))[0];
      this.#runFrom('tryon', seed).catch(noop);
    },
    changePhoto: () => this.retake(),
    deletePhoto: () => void this.forgetAvatar(),
    download: (image) => this.#emit('fashn-download', { image }),
    share: () => void this.#share(),
    addToCart: () => void this.#addToCart(),
    close: () => this.close(),
    showSample: (index) => this.#show({ shown: index, before: false }),
    showBefore: (before) => this.#show({ before }),
    dragOver: (over) => this.#show({ dragOver: over }),
  };

  #show(change: { shown?: number; before?: boolean; dragOver?: boolean }): void {
    this.#shown = change.shown ?? this.#shown;
    this.#before = change.before ?? this.#before;
    this.#dragOver = change.dragOver ?? this.#dragOver;
    this.requestUpdate();
  }

  // ---- the flow ----

  #moved(state: FashnState, previousState: FashnState): void {
    this.#announcement =
      state === 'idle'
        ? ''
        : this.#t[state === 'result' ? 'resultReady' : (`${state}Title` as const)];
    const modal = this.#config.layout === 'dialog' && this.#dialog.wanted;
    const active = document.activeElement;
    const focusInside = active === this.host || active === document.body || active === null;
    this.#focusStep = state !== 'idle' && (modal || (!this.#quiet && focusInside));
    if (state !== 'avatar' && state !== 'tryon') this.#quiet = false;
    this.requestUpdate();
    this.#emit('fashn-state-change', { state, previousState });
  }

  /** Checks the photo at review, once per photo, unless `photo-check="off"`. */
  #startCheck(): void {
    const photo = this.#session.photo;
    const mode = this.#config.photoCheck;
    if (this.#check?.photo === photo) return;
    if (!photo || mode === 'off') {
      this.#check = undefined;
      return;
    }
    const check: PhotoCheck = {
      photo,
      done: Promise.all([import('./photo-check.js'), this.#headerReader(photo)])
        .then(([m, readHeader]) => m.reviewPhoto(photo, mode, readHeader))
        .then((review) => this.#checked(check, review))
        // A check that cannot run (a photo the browser cannot decode, a chunk that
        // failed to load) only means the photo goes on unchecked: never a dead end.
        .catch(noop),
    };
    this.#check = check;
  }

  /** How the check learns the photo's size: known for the camera's own, read from a file's header. */
  async #headerReader(photo: Blob): Promise<(bytes: Uint8Array) => PhotoHeader> {
    const taken = this.#camera.took(photo);
    if (taken) return () => ({ format: 'jpeg', ...taken, orientation: 1 });
    return (await filePipeline()).readImageHeader;
  }

  /** Tells the page what the check found and shows it; Retake (first) takes the focus the step had. */
  async #checked(check: PhotoCheck, review: PhotoReview): Promise<void> {
    check.review = review;
    if (this.#check !== check) return;
    emit(this.host, 'fashn-photo-check', review.detail);
    if (!review.detail.findings.length) return;
    this.requestUpdate();
    await this.updateComplete;
    if (this.state !== 'review' || this.#check !== check) return;
    const root = this.container.getRootNode() as ShadowRoot;
    const active = document.activeElement;
    const onStep = !root.activeElement || root.activeElement.id === 'title';
    if (onStep && (active === this.host || active === document.body || active === null))
      this.container.querySelector<HTMLElement>('[part~="retake"]')?.focus();
  }

  /**
   * Sends the photo once its check is done: at once when it found nothing; with
   * findings only after "Use anyway", never with `require` (the findings stay on
   * screen instead, so nothing is paid before the shopper has read them).
   */
  async #usePhoto(anyway: boolean): Promise<void> {
    const photo = this.#session.photo;
    const check = this.#check;
    await check?.done;
    if (check?.review?.holds(anyway)) {
      this.requestUpdate();
      return;
    }
    if (this.state === 'review' && this.#session.photo === photo)
      await this.#runFrom('avatar').catch(noop);
  }

  /**
   * Consent or capture at once; straight to try-on when an avatar is kept (read again:
   * another tab may have made one). The consent step starts no camera, so it may show
   * while the credits answer is on its way; capture (the camera) waits for it. A kept
   * avatar waits for neither: the try-on's own answer says if credits ran out, and a
   * refused run is not charged.
   */
  async #begin(): Promise<void> {
    const credits = this.#credits();
    const known = this.#creditsCheck.peek(this.#proxyUrl);
    if (known === 'unavailable') return void this.#showUnavailable();
    const ask = () => this.#flow.send(this.#consent.granted ? 'capture' : 'ask');
    const asking = () => ['idle', 'consent', 'capture'].includes(this.state);
    if (!this.#session.avatar && (!this.#consent.granted || known)) ask();
    await this.#session.loadKept();
    if (!asking()) return;
    if (this.#session.avatar) return void this.#runFrom('tryon').catch(noop);
    // Not if the shopper closed it meanwhile.
    if ((await credits) === 'unavailable' && this.#dialog.wanted && this.#showUnavailable()) return;
    if (asking()) ask();
  }

  async #takePhoto(): Promise<void> {
    this.#preparing = true;
    this.#announcement = this.#t.preparing;
    this.requestUpdate();
    try {
      const photo = await this.#camera.capture();
      this.#camera.stop();
      this.#emit('fashn-capture', { source: 'camera' });
      this.#setPhoto(photo);
      this.#flow.send('photo');
    } catch (cause) {
      // Whatever failed (no frame, no JPEG encoder), for the shopper the camera did not
      // give a photo: the step says so and offers "Try again" (and upload where allowed).
      const error =
        isFashnError(cause) && cause.code.startsWith('camera-')
          ? cause
          : new FashnError({ code: 'camera-unavailable', step: 'capture', cause });
      this.#camera.fail(error);
    } finally {
      this.#preparing = false;
    }
  }

  /** Runs from `from` to the result; a newer run or `cancel()` makes it stale (it then rejects `canceled`). */
  #runFrom(from: RunStep, seed?: number, resume?: Parameters<TryOnSession['run']>[0]['resume']) {
    this.#quiet = !!resume;
    const hadResults = this.state === 'result';
    const config = this.#config;
    const run = (signal: AbortSignal) =>
      this.#session.run({ from, config, signal, seed, resume, goOn: () => this.#dialog.wanted });
    const promise = this.#runs
      .run(run, this.#canceled(from))
      .then((outcome) => this.#settle(outcome, hadResults));
    const waiting = this.#waiting;
    this.#waiting = undefined;
    if (waiting) promise.then(waiting.resolve, waiting.reject);
    return promise;
  }

  /** What an outcome does to the flow and the page; resolves with the result only. */
  #settle(outcome: Outcome, hadResults: boolean): TryOnResult {
    switch (outcome.kind) {
      case 'result':
        this.#results = outcome.result.images;
        this.#setCart({ status: 'ready' });
        this.#cartAnswer = undefined;
        this.#show({ shown: 0, before: false });
        this.#flow.send('done');
        this.#emit('fashn-result', outcome.result);
        return outcome.result;
      case 'avatar':
        this.#flow.send('close');
        throw this.#canceled('avatar');
      case 'vetoed': {
        const back: FlowEvent =
          hadResults && this.#results.length ? 'reshow' : this.#session.photo ? 'hold' : 'close';
        this.#flow.send(back);
        throw this.#canceled(outcome.step);
      }
      case 'failed': {
        // The page's elements stop asking for selfies (for a minute, as an asked answer).
        if (outcome.error.code === 'out-of-credits')
          this.#creditsCheck.learn(this.#proxyUrl, 'unavailable');
        const error = this.#localize(outcome.error, outcome.step);
        this.#error = error;
        this.#failedStep = outcome.step;
        this.#flow.send('fail');
        this.#report(error, true);
        throw error;
      }
    }
  }

  #onProgress(detail: FashnProgressDetail): void {
    if (this.#progress?.status !== detail.status) this.#announcement = this.#t[detail.status];
    this.#progress = detail;
    this.#progressAt = Date.now();
    this.requestUpdate();
    this.#emit('fashn-progress', detail);
  }

  /** On connect: a prediction still in flight is polled again rather than paid twice; the dialog is not opened for it. */
  async #resume(): Promise<void> {
    await this.#session.loadKept();
    const pending = await this.#session.pending(this.#config.garmentImage);
    if (pending && this.state === 'idle')
      this.#runFrom(
        pending.model === 'face-to-model' ? 'avatar' : 'tryon',
        undefined,
        pending,
      ).catch(noop);
  }

  #afterClose(): void {
    this.#declinedByClosing();
    this.#camera.stop();
    if (!['idle', 'avatar', 'tryon', 'result'].includes(this.state)) this.#flow.send('close');
    this.requestUpdate();
  }

  // ---- helpers ----

  /** The `memory` property, the page's shared IndexedDB store (`remember`), or this element's own. */
  #memory(): Promise<TryOnMemory> {
    if (this.host.memory) return Promise.resolve(this.host.memory);
    if (this.#config.remember) return sharedTryOnStore();
    return Promise.resolve((this.#ownMemory ??= new PageMemory()));
  }

  #readConfig(): ReturnType<typeof readConfig>['issues'] {
    const { config, issues } = readConfig(this.host, document.baseURI);
    this.#config = config;
    return issues;
  }

  /** Reads the attributes again; reports each refused value once (in the UI language). */
  #applyConfig(): void {
    const garment = this.#config.garmentImage;
    this.#configDirty = false;
    for (const issue of this.#readConfig()) {
      const value = String(issue.value);
      if (this.#reported.get(issue.attribute) === value) continue;
      this.#reported.set(issue.attribute, value);
      // The shopper's message from the UI language's table; the rule for the developer.
      this.#report(
        new FashnError({
          code: 'invalid-config',
          step: 'config',
          retriable: false,
          attribute: issue.attribute,
          developerMessage: issue.message,
        }),
      );
    }
    // Another garment: the result on screen is no longer about this one.
    const changed = garment !== undefined && garment !== this.#config.garmentImage;
    if (changed && this.state === 'result' && !this.#dialog.wanted) this.#flow.send('close');
  }

  #setPhoto(photo: Blob | undefined): void {
    if (this.#photoUrl) URL.revokeObjectURL(this.#photoUrl);
    this.#session.photo = photo;
    this.#photoUrl = photo ? URL.createObjectURL(photo) : undefined;
  }

  #tick(on: boolean): void {
    clearInterval(this.#ticker);
    this.#ticker = undefined;
    if (!on) return;
    this.#progress = undefined;
    this.#ticker = setInterval(() => this.requestUpdate(), 1000);
  }

  #canceled(step: FashnErrorStep = 'tryon'): FashnError {
    return this.#localize(canceledError(), step);
  }

  #localize(error: FashnError, step: FashnErrorStep = error.step ?? 'config'): FashnError {
    return localizeError(error, this.#t, step, this.#config.capture.upload);
  }

  // ---- the shop's funnel ----

  /** Shares the look shown (file, else the product's URL, else a download). */
  async #share(): Promise<void> {
    const image = this.#results[this.#shown] ?? this.#results[0];
    if (!image) return;
    const { productUrl, outputFormat } = this.#config;
    const root = this.container.getRootNode() as ShadowRoot;
    this.#emit(
      'fashn-share',
      await share(image, this.#t.shareText, productUrl, outputFormat, root),
    );
  }

  /** Asks the page to add the product (`fashn-add-to-cart`) and shows its answer. */
  async #addToCart(): Promise<void> {
    const resultImage = this.#results[this.#shown] ?? this.#results[0];
    const { garmentImage, productId } = this.#config;
    if (!resultImage || !garmentImage || this.#cart.status === 'adding') return;
    this.#setCart({ status: 'adding' });
    const request = addToCart({ productId, garmentImage, resultImage }, (detail) =>
      this.#emit('fashn-add-to-cart', detail),
    );
    this.#cartAnswer = request.answer;
    const outcome = await request.outcome;
    if (this.#cartAnswer !== request.answer) return;
    this.#cartAnswer = undefined;
    this.#setCart(
      outcome.status === 'added'
        ? { status: 'added' }
        : { status: 'failed', ...(outcome.message ? { message: outcome.message } : {}) },
    );
  }

  #setCart(cart: Omit<ViewModel['cart'], 'shown'>): void {
    this.#cart = cart;
    const t = this.#t;
    if (cart.status !== 'ready')
      this.#announcement =
        cart.status === 'failed' ? (cart.message ?? t.cartFailed) : t[cart.status];
    this.requestUpdate();
  }

  /** Whether the proxy can run try-ons (`GET {proxy-url}/credits`), asked once per page and briefly kept. */
  #credits(): Promise<CreditsAnswer> {
    return this.#creditsCheck.check(this.#proxyUrl, this.host.requestInit);
  }

  /** The page's check, or this element's own when it has its own `fetch`. */
  get #creditsCheck(): CreditsCheck {
    const own = this.host.fetch;
    return own ? (this.#ownCredits ??= new CreditsCheck({ fetch: own })) : pageCreditsCheck();
  }

  get #proxyUrl(): string {
    return new URL(this.#config.proxyUrl, document.baseURI).href;
  }

  /**
   * Before the selfie, the proxy said try-on is unavailable: say so and stop (no
   * camera, no photo asked for); `fashn-error` `out-of-credits`, step `config`.
   * Not while a run is under way (its own answer then counts).
   */
  #showUnavailable(): boolean {
    if (!['idle', 'consent', 'capture', 'review'].includes(this.state)) return false;
    this.#camera.stop();
    const error = this.#localize(
      new FashnError({ code: 'out-of-credits', step: 'config', retriable: false }),
    );
    this.#error = error;
    this.#flow.send('fail');
    this.#report(error, true);
    // A tryOn() waiting for the shopper's photo ends here too.
    this.#waiting?.reject(error);
    this.#waiting = undefined;
    return true;
  }

  /** `fashn-open` when the shopper (or the page) opens a closed element; not again while open. */
  #opened(source: 'trigger' | 'method'): void {
    const closed = this.#config.layout === 'dialog' ? !this.#dialog.wanted : this.state === 'idle';
    if (closed && !this.#openReported) this.#emit('fashn-open', { source });
    this.#openReported = true;
    queueMicrotask(() => (this.#openReported = false));
  }

  /** Closing the element's own consent step is a "no" (with the shop's consent manager, the page decides). */
  #declinedByClosing(): void {
    if (this.state === 'consent' && this.#config.consent === 'element')
      this.#consent.decline('element');
  }

  /** Every event leaves here, with the product fields (`product-url` already absolute) in its detail. */
  #emit<N extends FashnEventName>(name: N, detail: FashnEventDetails[N]): boolean {
    const { productId, productUrl } = this.#config;
    return emit(this.host, name, Object.assign({}, detail, productFields(productId, productUrl)));
  }

  /** Every `fashn-error` leaves here, in the UI language; what the shop's developer must fix also goes to the console. */
  #report(error: FashnError, localized = false): void {
    if (error.developerMessage) console.warn(`<fashn-try-on> ${error.developerMessage}`);
    this.#emit('fashn-error', (localized ? error : this.#localize(error)).toDetail());
  }
}
