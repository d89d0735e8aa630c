import type { TryOnMemory } from '../cache/memory.js';
import { holdsWork } from '../cache/peek.js';
import type { Strings } from '../i18n/index.js';
import type { PhotoCheckStrings } from '../i18n/photo-check.js';
import { ATTRIBUTES, CONFIG_KEYS, PROPERTY_OF } from './attributes.js';
import type { TryOnConfig } from './config.js';
import { LanguageController } from './controllers/language-controller.js';
import type { CartAnswer, FashnState, TryOnResult } from './events.js';
import { SHELL_CSS, adoptCss } from './shell-styles.js';
import type { TryOnView } from './view.js';

/** What an attribute's property accepts: its attribute text, or the parsed value's type. */
type PropertyValue<T> = T extends boolean
  ? boolean | string
  : T extends number
    ? number | string
    : string;

/** The properties the attributes set, derived from the attribute table. */
type AttributeProperties = {
  -readonly [K in keyof TryOnConfig]?: PropertyValue<NonNullable<TryOnConfig[K]>> | null;
};

/** Properties that only a script can set; a change reaches the flow. */
const SCRIPT_PROPERTIES = ['strings', 'requestInit', 'fetch', 'memory'] as const;

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- the attribute properties, defined on the prototype from the attribute table
export interface FashnTryOn extends AttributeProperties {}

/**
 * `<fashn-try-on>`: the shopper takes a selfie (or picks a photo), FASHN's
 * `face-to-model` turns it into an avatar, and `tryon-v1.6` dresses the avatar
 * in `garment-image`. Talks only to `proxy-url`.
 *
 * What a page loads at first is this small shell: the trigger, the attributes
 * and a look into memory. The flow loads when the shopper shows intent
 * (pointer over or focus on the trigger, a touch, the element scrolled into
 * view) and at the latest on click; at once when memory holds a kept avatar or
 * a prediction in flight. Methods wait for it.
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
 * @slot trigger - replaces the "Try it on" button
 * @slot cart - replaces the "Add to cart" button (`cart`); a click on it asks the page as the button does
 *
 * @csspart trigger - the "Try it on" button
 * @csspart button - every button (with a specific part name each: continue, take-photo, switch-camera, upload, use-photo, use-anyway, retake, cancel, try-again, try-another, change-photo, delete-photo, download, share, add-to-cart, close, before, after, sample)
 * @csspart dialog - the native `<dialog>` (dialog layout)
 * @csspart panel - the panel holding the steps
 * @csspart video - the live camera preview
 * @csspart image - every image (with photo, avatar or result)
 * @csspart progress - the `<progress>` bar while waiting
 * @csspart error - error messages
 * @csspart photo-check - the photo check's findings at review (`role="alert"`)
 * @csspart drop - the upload and drag-and-drop area
 * @csspart privacy - the privacy policy link
 *
 * @cssprop --fashn-try-on-accent - primary buttons and focus rings (default near-black; near-white in dark mode)
 * @cssprop --fashn-try-on-radius - corner radius of buttons and images (default 14px)
 * @cssprop --fashn-try-on-font - font family (default the system UI font)
 * @cssprop --fashn-try-on-surface - panel background
 * @cssprop --fashn-try-on-text - text colour
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see the interface above
export class FashnTryOn extends HTMLElement {
  static get observedAttributes(): string[] {
    return Object.values(ATTRIBUTES);
  }

  static {
    for (const key of [...CONFIG_KEYS, ...SCRIPT_PROPERTIES])
      Object.defineProperty(this.prototype, key, {
        get(this: FashnTryOn) {
          return this.#values[key];
        },
        set(this: FashnTryOn, value: unknown) {
          this.#values[key] = value;
          this.#view?.changed(key);
        },
      });
  }

  /** Partial overrides of any UI text (keys of the English table, and the photo check's). */
  declare strings?: Partial<Strings> & Partial<PhotoCheckStrings>;
  /** Merged into every proxy request (headers, `credentials`). */
  declare requestInit?: RequestInit;
  /** Replacement fetch for proxy calls. */
  declare fetch?: typeof fetch;
  /**
   * Where the avatar, results and predictions in flight are kept. Default: the
   * page's IndexedDB store, shared by its elements, when `remember` is true;
   * this element's own `PageMemory` otherwise.
   */
  declare memory?: TryOnMemory;

  readonly #values: Record<string, unknown> = {};
  readonly #language = new LanguageController(this, () => void (this.#labelled = this.#label()));
  readonly #trigger = document.createElement('slot');
  readonly #button = document.createElement('button');
  readonly #container = document.createElement('div');
  #view: TryOnView | undefined;
  #loading: Promise<TryOnView> | undefined;
  #labelled: Promise<unknown> = Promise.resolve();
  /** Settles once the shell has decided whether to load the flow at connect (first sight, memory). */
  #looked: Promise<unknown> = Promise.resolve();
  #intersection: IntersectionObserver | undefined;
  #sighted: (() => void) | undefined;

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    adoptCss(root, SHELL_CSS);
    this.#trigger.name = 'trigger';
    Object.assign(this.#button, { type: 'button', className: 'btn primary' });
    this.#button.setAttribute('part', 'trigger button');
    this.#button.hidden = true; // until it has its label
    this.#container.className = 'view';
    this.#trigger.append(this.#button);
    root.append(this.#trigger, this.#container);
    // Intent: the flow loads, and asks the proxy ahead whether try-on is available.
    const load = () => void this.#load().then((view) => view.intent());
    this.#trigger.addEventListener(
      'click',
      () => void this.#load().then((view) => view.open('trigger')),
    );
    for (const intent of ['pointerover', 'focusin'])
      this.#trigger.addEventListener(intent, load, { once: true });
    this.addEventListener('touchstart', load, { once: true, passive: true });
    // A property set before the element was defined shadows the accessor: set it again.
    for (const key of [...CONFIG_KEYS, ...SCRIPT_PROPERTIES]) {
      if (!Object.hasOwn(this, key)) continue;
      const value: unknown = this[key];
      delete this[key];
      (this as Record<string, unknown>)[key] = value;
    }
  }

  /** The flow's current state. */
  get state(): FashnState {
    return this.#view?.state ?? 'idle';
  }

  /** The current avatar image (`data:`/`https:`/`blob:` URL), if any. */
  get avatar(): string | undefined {
    return this.#view?.avatar;
  }

  /** The images of the last result shown. */
  get results(): readonly string[] {
    return this.#view?.results ?? [];
  }

  /** Resolves once what the element shows is up to date (the flow loaded, when it is loading). */
  get updateComplete(): Promise<boolean> {
    // After a microtask: a `lang` changed just now has reached the label first.
    return Promise.resolve()
      .then(() => Promise.all([this.#labelled, this.#looked]))
      .then(() => (this.#loading ? this.#loading.then((view) => view.updateComplete) : true));
  }

  connectedCallback(): void {
    this.#language.hostConnected();
    this.#labelled = this.#label();
    if (this.#view) return this.#view.connected();
    const sighted = new Promise<void>((resolve) => (this.#sighted = resolve));
    this.#intersection = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) void this.#load();
      this.#sighted?.();
    });
    this.#intersection.observe(this);
    this.#looked = Promise.all([sighted, this.#peek()]);
  }

  disconnectedCallback(): void {
    this.#language.hostDisconnected();
    this.#intersection?.disconnect();
    this.#sighted?.();
    this.#view?.disconnected();
  }

  attributeChangedCallback(name: string, _old: string | null, value: string | null): void {
    const key = PROPERTY_OF[name];
    if (key) this[key] = value;
  }

  /** Opens the dialog (`dialog` layout) and, from `idle`, begins like "Try it on". */
  open(): void {
    void this.#load().then((view) => view.open());
  }

  /** Closes the dialog and stops the camera. In the `inline` layout: back to `idle`. */
  close(): void {
    this.#view?.close();
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
    return (await this.#load()).tryOn(garmentImage);
  }

  /**
   * The page supplies the photo (it has asked for consent itself): avatar, try-on,
   * result. Rejects (and emits `fashn-error`) on a bad photo or a failed run.
   */
  async useSelfie(blob: Blob): Promise<TryOnResult> {
    return (await this.#load()).useSelfie(blob);
  }

  /** Back to capture for a new photo (cancels any run in flight). */
  retake(): void {
    void this.#load().then((view) => view.retake());
  }

  /** From `error`, runs the failed step again with the same photo (when retriable). */
  retry(): void {
    this.#view?.retry();
  }

  /**
   * Stops waiting: cancel is sent for the prediction in flight, the pending promise
   * rejects and `fashn-error` `canceled` is emitted; the state goes to `review`
   * while the photo is held, otherwise `idle`.
   */
  cancel(): void {
    this.#view?.cancel();
  }

  /** Deletes everything this element kept (avatar, results, photo); back to `idle`, consent asked again. */
  async forgetAvatar(): Promise<void> {
    return (await this.#load()).forgetAvatar();
  }

  /**
   * The page's answer to a `fashn-add-to-cart` it took with `preventDefault()`:
   * no argument shows "Added"; `{ error }` shows that message.
   */
  answerCart(answer?: CartAnswer): void {
    this.#view?.answerCart(answer);
  }

  /**
   * The page's consent manager has the shopper's consent (`consent="external"`):
   * a waiting consent step moves on to capture. Before that, "Try it on" shows
   * only that consent is needed, and no camera starts.
   */
  async grantConsent(): Promise<void> {
    (await this.#load()).grantConsent();
  }

  /** The shopper withdrew consent in the page's consent manager: everything kept is forgotten, as "Delete my photo". */
  async revokeConsent(): Promise<void> {
    return (await this.#load()).revokeConsent();
  }

  /** Loads the flow (once) and hands it the shadow root. */
  #load(): Promise<TryOnView> {
    this.#intersection?.disconnect();
    this.#sighted?.();
    return (this.#loading ??= import('./view.js').then(({ TryOnView }) => {
      const view = new TryOnView(this, this.#container, this.#trigger, this.#language);
      this.#view = view;
      if (this.isConnected) view.connected();
      return view;
    }));
  }

  /** Loads the flow at once when memory holds work for it, or cannot tell (the flow says why). */
  async #peek(): Promise<void> {
    const remember = this.getAttribute('remember')?.trim();
    const holds = await holdsWork(this.memory, remember !== 'false' && this.remember !== false);
    if (holds) await this.#load();
  }

  /** The trigger's text in the UI language (its table loaded first; the button shows once it has one). */
  async #label(): Promise<void> {
    // Without any table (English failed to load), the trigger stays as it is.
    if (!this.#language.ready && !(await this.#language.load().then(Boolean, () => false))) return;
    this.#button.textContent = this.#language.strings(this.strings).tryOn;
    this.#button.hidden = false;
    this.#view?.changed('strings');
  }
}
