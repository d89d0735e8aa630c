/**
 * The protocol playground: a photo and a garment go through `FashnClient` to
 * the proxy at /api/fashn, `face-to-model` then `tryon-v1.6`, with every
 * status, its elapsed time, the request and the output images on screen.
 */
import { FashnClient, type PredictProgress } from '../src/api/client.js';
import { isFashnError } from '../src/api/errors.js';
import type { ModelInputs, ModelName } from '../src/api/schemas.js';
import { normalizeImage } from '../src/capture/normalize.js';
import { blobToDataUrl, fetchApiMode, showModeBadge } from './api-mode.js';
import { compactJson, formatBytes } from './event-log.js';
import { PRODUCTS, productById, productImages } from './products.js';

type RunState = 'idle' | 'running' | 'done' | 'failed';

function $<T extends HTMLElement = HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`playground: #${id} is missing from the page`);
  return found as T;
}

const client = new FashnClient({ baseUrl: '/api/fashn' });
const root = $('playground');
const runButton = $<HTMLButtonElement>('run-button');
const cancelButton = $<HTMLButtonElement>('cancel-button');
const message = $('run-message');

/** The normalised photo as a data: URL, ready for `face_image`. */
let photo: string | undefined;
let running: AbortController | undefined;

// ---------------------------------------------------------------- photo

async function takePhoto(file: Blob, label: string): Promise<void> {
  const preview = $('photo-preview');
  const info = $('photo-info');
  info.textContent = 'Normalising…';
  try {
    const normalized = await normalizeImage(file);
    photo = await blobToDataUrl(normalized.blob);
    const image = Object.assign(document.createElement('img'), {
      src: photo,
      alt: `Photo: ${label}`,
    });
    preview.replaceChildren(image);
    info.textContent =
      `${label}: ${normalized.sourceWidth}×${normalized.sourceHeight} → ` +
      `${normalized.width}×${normalized.height} JPEG, ${formatBytes(normalized.blob.size)} (quality ${normalized.quality.toFixed(2)})`;
  } catch (error) {
    photo = undefined;
    preview.replaceChildren(
      Object.assign(document.createElement('p'), { textContent: 'No photo yet' }),
    );
    info.textContent = isFashnError(error) ? `${error.code}: ${error.message}` : String(error);
  }
}

function wirePhoto(): void {
  const input = $<HTMLInputElement>('photo-input');
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (file) void takePhoto(file, file.name);
  });
  const useSample = async () => {
    const response = await fetch('/sample-selfie.jpg');
    await takePhoto(await response.blob(), 'sample-selfie.jpg');
  };
  $('use-sample').addEventListener('click', () => void useSample());
}

// ---------------------------------------------------------------- garment

function renderGarments(): void {
  const options = PRODUCTS.map((product, index) => {
    const label = document.createElement('label');
    label.className = 'pg-garment';
    const input = Object.assign(document.createElement('input'), {
      type: 'radio',
      name: 'garment',
      value: product.id,
      checked: index === 0,
    });
    const image = Object.assign(document.createElement('img'), {
      src: productImages(product)[0].thumb,
      alt: '',
      width: 160,
      height: 200,
    });
    const name = Object.assign(document.createElement('span'), { textContent: product.name });
    const meta = Object.assign(document.createElement('small'), {
      textContent: `${product.category} · ${product.photoType}`,
    });
    label.append(input, image, name, meta);
    return label;
  });
  $('garment-options').append(...options);
}

function selectedProduct() {
  return productById(
    document.querySelector<HTMLInputElement>('input[name="garment"]:checked')?.value,
  );
}

/** The garment's bytes as a data: URL: works with the emulator and with FASHN, which can't reach localhost. */
async function garmentDataUrl(): Promise<string> {
  const response = await fetch(productImages(selectedProduct())[0].src);
  return await blobToDataUrl(await response.blob());
}

// ---------------------------------------------------------------- run

function setRunState(state: RunState): void {
  root.dataset.runState = state;
  runButton.disabled = state === 'running';
  cancelButton.disabled = state !== 'running';
}

/** One model's card: statuses with elapsed time, the request, the outputs. */
class StepView {
  private readonly statuses: HTMLElement;
  private readonly request: HTMLElement;
  private readonly outputs: HTMLElement;
  private lastStatus?: string;
  private lastItem?: HTMLElement;

  constructor(model: ModelName) {
    const card = $(`step-${model}`);
    this.statuses = card.querySelector('.pg-statuses')!;
    this.request = card.querySelector('.pg-json')!;
    this.outputs = card.querySelector('.pg-outputs')!;
  }

  reset(): void {
    this.statuses.replaceChildren();
    this.request.textContent = '';
    this.outputs.replaceChildren();
    this.lastStatus = undefined;
    this.lastItem = undefined;
  }

  showRequest(model: ModelName, inputs: object): void {
    this.request.textContent = JSON.stringify(
      JSON.parse(compactJson({ model_name: model, inputs })),
      null,
      2,
    );
  }

  /** Adds a line when the status changes (progress ticks with the same status only update its time). */
  status(status: string, elapsedMs: number, note = ''): void {
    const time = `${(elapsedMs / 1000).toFixed(1)} s`;
    if (status === this.lastStatus && status !== 'retrying' && this.lastItem) {
      this.lastItem.querySelector('.pg-time')!.textContent = time;
      return;
    }
    this.lastStatus = status;
    this.lastItem = this.line(status, time, note);
  }

  /** A line that is not a status (e.g. the id FASHN issued); the current status keeps ticking. */
  event(name: string, elapsedMs: number, note: string): void {
    this.line(name, `${(elapsedMs / 1000).toFixed(1)} s`, note);
  }

  private line(name: string, time: string, note: string): HTMLElement {
    const item = document.createElement('li');
    item.dataset.status = name;
    item.append(
      Object.assign(document.createElement('span'), { className: 'pg-status', textContent: name }),
      Object.assign(document.createElement('span'), { className: 'pg-time', textContent: time }),
    );
    if (note)
      item.append(
        Object.assign(document.createElement('span'), { className: 'pg-note', textContent: note }),
      );
    this.statuses.append(item);
    return item;
  }

  showOutputs(images: string[], alt: string): void {
    this.outputs.replaceChildren(
      ...images.map((src, index) =>
        Object.assign(document.createElement('img'), {
          src,
          alt: `${alt} ${index + 1} of ${images.length}`,
        }),
      ),
    );
  }
}

const steps = {
  'face-to-model': new StepView('face-to-model'),
  'tryon-v1.6': new StepView('tryon-v1.6'),
} as const;

async function runModel<M extends ModelName>(
  model: M,
  inputs: ModelInputs[M],
  signal: AbortSignal,
) {
  const view = steps[model];
  view.showRequest(model, inputs);
  view.status('sending', 0);
  const startedAt = performance.now();
  let result;
  try {
    result = await client.predict(model, inputs, {
      signal,
      onPredictionId: (id) => view.event('id issued', performance.now() - startedAt, id),
      onProgress: (progress: PredictProgress) => {
        const note =
          progress.status === 'retrying'
            ? `retry ${progress.attempt ?? ''} in ${Math.round((progress.retryInMs ?? 0) / 100) / 10} s: ${progress.error?.message ?? ''}`
            : `about ${Math.round(progress.estimatedMs / 1000)} s expected`;
        view.status(progress.status, progress.elapsedMs, note);
      },
    });
  } catch (error) {
    const note = isFashnError(error)
      ? `${error.code}${error.fashnName ? ` (${error.fashnName})` : ''}`
      : String(error);
    view.event(
      isFashnError(error) && error.code === 'canceled' ? 'canceled' : 'failed',
      performance.now() - startedAt,
      note,
    );
    throw error;
  }
  view.event('completed', result.durationMs, result.id);
  return result;
}

async function run(): Promise<void> {
  if (!photo) {
    message.textContent = 'Choose a photo first (or use the sample selfie).';
    return;
  }
  const product = selectedProduct();
  const seed = Number($<HTMLInputElement>('seed-input').value);
  const mode = $<HTMLSelectElement>('mode-select').value as 'performance' | 'balanced' | 'quality';
  running = new AbortController();
  const { signal } = running;
  Object.values(steps).forEach((view) => view.reset());
  setRunState('running');
  message.textContent = 'Running…';
  const started = performance.now();
  try {
    const avatar = await runModel(
      'face-to-model',
      { face_image: photo, aspect_ratio: '2:3', seed, output_format: 'jpeg', return_base64: true },
      signal,
    );
    steps['face-to-model'].showOutputs(avatar.output, 'Avatar');
    const look = await runModel(
      'tryon-v1.6',
      {
        model_image: avatar.output[0],
        garment_image: await garmentDataUrl(),
        category: product.category,
        garment_photo_type: product.photoType,
        mode,
        seed,
        num_samples: 1,
        output_format: 'jpeg',
        return_base64: true,
      },
      signal,
    );
    steps['tryon-v1.6'].showOutputs(look.output, `Try-on of ${product.name}`);
    message.textContent = `Done in ${((performance.now() - started) / 1000).toFixed(1)} s.`;
    setRunState('done');
  } catch (error) {
    message.textContent = isFashnError(error)
      ? [error.code, error.fashnName, error.httpStatus && `HTTP ${error.httpStatus}`, error.message]
          .filter(Boolean)
          .join(' · ')
      : String(error);
    setRunState('failed');
  } finally {
    running = undefined;
  }
}

// ---------------------------------------------------------------- start

renderGarments();
wirePhoto();
runButton.addEventListener('click', () => void run());
// Aborting makes predict() send cancel for the prediction in flight and reject with `canceled`.
cancelButton.addEventListener('click', () => running?.abort());
setRunState('idle');
void fetchApiMode().then((mode) => showModeBadge($('mode-badge'), mode));
