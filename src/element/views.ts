/**
 * What each step shows: pure render functions from a view model and the
 * element's actions to Lit templates. No state lives here.
 */
import { html, nothing, svg, type TemplateResult } from 'lit/html.js';
import { format, type Strings } from '../i18n/index.js';
import type { FashnProgressStatus, FashnState } from './events.js';
import type { PhotoCheckView } from './photo-check.js';

export interface ViewModel {
  t: Strings;
  state: FashnState;
  privacyUrl: string | undefined;
  consentMode: 'element' | 'external';
  capture: { camera: boolean; upload: boolean };
  /** `hint`: over the preview while the camera starts or a photo is being prepared; "Take photo" waits meanwhile. */
  camera: { hint: string | undefined; cameras: number; error: string | undefined };
  photoUrl: string | undefined;
  /** Renders what the photo check found (its own chunk's code); undefined when nothing (or not checked yet). */
  photoCheck: PhotoCheckView | undefined;
  progress: { status: FashnProgressStatus; elapsedMs: number; estimatedMs: number } | undefined;
  avatar: string | undefined;
  results: string[];
  shown: number;
  before: boolean;
  error: { message: string; retriable: boolean; unavailable?: boolean } | undefined;
  dragOver: boolean;
  outputFormat: string;
  /** The "Add to cart" action: shown with `cart`; where the page's answer stands. */
  cart: { shown: boolean; status: 'ready' | 'adding' | 'added' | 'failed'; message?: string };
}

export interface ViewActions {
  continue: () => void;
  takePhoto: () => void;
  switchCamera: () => void;
  retryCamera: () => void;
  pickFile: (file: File | undefined) => void;
  /** `anyway`: the shopper's "Use anyway" after the photo check's findings. */
  usePhoto: (anyway?: boolean) => void;
  retake: () => void;
  cancel: () => void;
  retry: () => void;
  tryAnother: () => void;
  changePhoto: () => void;
  deletePhoto: () => void;
  download: (image: string) => void;
  share: () => void;
  addToCart: () => void;
  close: () => void;
  showSample: (index: number) => void;
  showBefore: (before: boolean) => void;
  dragOver: (over: boolean) => void;
}

const icon = (path: string) =>
  html`<svg viewBox="0 0 24 24" aria-hidden="true">${svg`<path d=${path} />`}</svg>`;
const CLOSE = 'M6 6l12 12M18 6L6 18';
const CAMERA = 'M4 8h3l2-3h6l2 3h3v11H4zM12 16.5a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7z';

const button = (
  label: string,
  onClick: () => void,
  part: string,
  kind = '',
  extra: { disabled?: boolean; content?: TemplateResult } = {},
) =>
  html`<button
    type="button"
    class="btn ${kind}"
    part="button ${part}"
    ?disabled=${extra.disabled ?? false}
    @click=${onClick}
  >
    ${extra.content ?? nothing}${label}
  </button>`;

const heading = (text: string) => html`<h2 id="title" tabindex="-1">${text}</h2>`;

/** The body of the panel for the current state (the idle trigger is rendered by the element). */
export function renderStep(v: ViewModel, a: ViewActions): TemplateResult {
  const { t } = v;
  const close = html`<button
    type="button"
    class="btn close"
    part="button close"
    aria-label=${t.close}
    @click=${a.close}
  >
    ${icon(CLOSE)}
  </button>`;
  return html`${close}${STEPS[v.state](v, a)}`;
}

const STEPS: Record<FashnState, (v: ViewModel, a: ViewActions) => TemplateResult> = {
  idle: () => html``,
  consent: ({ t, privacyUrl, consentMode }, a) =>
    html`${heading(t.consentTitle)}
      <p>${t.consentBody}</p>
      ${consentMode === 'external' ? html`<p class="muted">${t.consentWaiting}</p>` : nothing}
      ${
        privacyUrl
          ? html`<p class="muted">
              <a href=${privacyUrl} target="_blank" rel="noopener" part="privacy">${t.privacy}</a>
            </p>`
          : nothing
      }
      ${
        // With the shop's consent manager the page grants consent (grantConsent()), not a button here.
        consentMode === 'external'
          ? nothing
          : html`<div class="actions">
              ${button(t.continue, a.continue, 'continue', 'primary')}
            </div>`
      }`,
  capture: (v, a) => {
    const { t, camera, capture } = v;
    const live = capture.camera && !camera.error;
    return html`${heading(t.captureTitle)}
      <p class="muted">${t.captureHint}</p>
      ${
        camera.error
          ? html`<p class="error" role="alert" part="error">${camera.error}</p>`
          : nothing
      }
      ${
        live
          ? html`<div class="stage">
              <video part="video" aria-label=${t.video} playsinline muted autoplay></video>
              ${camera.hint ? html`<p class="hint">${camera.hint}</p>` : nothing}
            </div>`
          : nothing
      }
      <div class="actions">
        ${
          live
            ? button(t.takePhoto, a.takePhoto, 'take-photo', 'primary', {
                disabled: !!camera.hint,
                content: icon(CAMERA),
              })
            : nothing
        }
        ${live && camera.cameras > 1 ? button(t.switchCamera, a.switchCamera, 'switch-camera') : nothing}
        ${capture.camera && camera.error ? button(t.tryAgain, a.retryCamera, 'retry-camera') : nothing}
      </div>
      ${capture.upload ? renderUpload(v, a) : nothing}`;
  },
  review: ({ t, photoUrl, photoCheck }, a) =>
    html`${heading(t.reviewTitle)}
      <div class="stage"><img part="image photo" src=${photoUrl ?? ''} alt=${t.yourPhoto} /></div>
      ${
        photoCheck?.(button, t, a) ??
        html`<div class="actions">
          ${button(t.retake, a.retake, 'retake')}
          ${button(t.usePhoto, () => a.usePhoto(), 'use-photo', 'primary')}
        </div>`
      }`,
  avatar: (v, a) => renderWait(v, a, v.t.avatarTitle),
  tryon: (v, a) => renderWait(v, a, v.t.tryonTitle),
  result: (v, a) => {
    const { t, results, shown, before, avatar } = v;
    const image = results[shown] ?? results[0] ?? '';
    const alt = format(t.resultAlt, { n: shown + 1, total: results.length });
    return html`${heading(t.resultTitle)}
      <div class="stage">
        ${
          before
            ? html`<img
                part="image avatar"
                class="contain"
                src=${avatar ?? ''}
                alt=${t.avatarAlt}
              />`
            : html`<img part="image result" class="contain" src=${image} alt=${alt} />`
        }
      </div>
      ${
        avatar
          ? html`<div class="toggle" role="group" aria-label=${t.compare}>
              ${[t.before, t.after].map(
                (label, i) =>
                  html`<button
                    type="button"
                    class="btn"
                    part="button ${i ? 'after' : 'before'}"
                    aria-pressed=${String(before === !i)}
                    @click=${() => a.showBefore(!i)}
                  >
                    ${label}
                  </button>`,
              )}
            </div>`
          : nothing
      }
      ${
        results.length > 1
          ? html`<div class="thumbs">
              ${results.map(
                (src, i) =>
                  html`<button
                    type="button"
                    class="btn"
                    part="button sample"
                    aria-pressed=${String(i === shown && !before)}
                    @click=${() => a.showSample(i)}
                  >
                    <img
                      src=${src}
                      alt=${format(t.resultAlt, { n: i + 1, total: results.length })}
                    />
                  </button>`,
              )}
            </div>`
          : nothing
      }
      ${renderCart(v, a)}
      <div class="actions">
        ${button(t.tryAnother, a.tryAnother, 'try-another', 'primary')}
        <a
          class="btn"
          part="button download"
          href=${image}
          download="try-on.${v.outputFormat === 'png' ? 'png' : 'jpg'}"
          @click=${() => a.download(image)}
          >${t.download}</a
        >
        ${button(t.share, a.share, 'share')}
      </div>
      <div class="actions">
        ${button(t.changePhoto, a.changePhoto, 'change-photo', 'quiet')}
        ${button(t.deletePhoto, a.deletePhoto, 'delete-photo', 'quiet')}
      </div>`;
  },
  error: ({ t, error }, a) =>
    error?.unavailable
      ? // No credits or a refused key: nothing to retry or retake; the page sells as usual.
        html`${heading(t.unavailable)}
          <p class="error" role="alert" part="error">${t.unavailableBody}</p>`
      : html`${heading(t.errorTitle)}
          <p class="error" role="alert" part="error">${error?.message ?? ''}</p>
          <div class="actions">
            ${error?.retriable ? button(t.tryAgain, a.retry, 'try-again', 'primary') : nothing}
            ${button(t.retake, a.retake, 'retake', error?.retriable ? '' : 'primary')}
          </div>`,
};

function renderUpload(v: ViewModel, a: ViewActions): TemplateResult {
  const onDrag = (event: DragEvent, over: boolean) => {
    event.preventDefault();
    a.dragOver(over);
  };
  return html`<div
    class="drop ${v.dragOver ? 'over' : ''}"
    part="drop"
    @dragover=${(e: DragEvent) => onDrag(e, true)}
    @dragleave=${(e: DragEvent) => onDrag(e, false)}
    @drop=${(e: DragEvent) => {
      onDrag(e, false);
      a.pickFile(e.dataTransfer?.files[0]);
    }}
  >
    <label class="btn" part="button upload">
      ${v.t.uploadPhoto}
      <input
        class="sr-only"
        type="file"
        accept="image/*"
        @change=${(e: Event) => {
          const input = e.target as HTMLInputElement;
          a.pickFile(input.files?.[0]);
          input.value = '';
        }}
      />
    </label>
    <span class="muted">${v.t.dropHint}</span>
  </div>`;
}

function renderWait(v: ViewModel, a: ViewActions, title: string): TemplateResult {
  const { t } = v;
  const p = v.progress ?? { status: 'starting' as const, elapsedMs: 0, estimatedMs: 0 };
  const estimate = Math.max(p.estimatedMs, p.elapsedMs, 1000);
  return html`${heading(title)}
    <div class="wait">
      <div class="pulse" aria-hidden="true"></div>
      <p>${t[p.status]}</p>
      <progress
        part="progress"
        aria-labelledby="title"
        max=${estimate}
        value=${Math.min(p.elapsedMs, estimate)}
      ></progress>
      <p class="muted">
        ${format(t.elapsed, {
          elapsed: Math.round(p.elapsedMs / 1000),
          estimate: Math.round(p.estimatedMs / 1000),
        })}
      </p>
    </div>
    <div class="actions">${button(t.cancel, a.cancel, 'cancel')}</div>`;
}

/** "Add to cart" (or the page's own control in the `cart` slot) and the page's answer. */
function renderCart({ t, cart }: ViewModel, a: ViewActions): TemplateResult | typeof nothing {
  if (!cart.shown) return nothing;
  const label =
    cart.status === 'adding' ? t.adding : cart.status === 'added' ? t.added : t.addToCart;
  return html`<div class="actions">
      <slot name="cart" @click=${a.addToCart}
        >${button(label, () => {}, 'add-to-cart', 'primary', {
          disabled: cart.status === 'adding' || cart.status === 'added',
        })}</slot
      >
    </div>
    ${
      cart.status === 'failed'
        ? html`<p class="error" role="alert" part="error">${cart.message ?? t.cartFailed}</p>`
        : nothing
    }`;
}
