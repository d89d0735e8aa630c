/**
 * The demo product page: wires the shop (gallery, pickers, product switcher,
 * bag) to `<fashn-try-on>`, and the developer panel (API mode badge, layout and
 * language controls, live attributes and event log) to the element's events.
 */
import '../src/index.ts';
import type { FashnTryOn } from '../src/element/fashn-try-on.js';
import { EVENT_NAMES } from '../src/element/events.js';
import {
  blobToDataUrl,
  fetchApiMode,
  isPrivateHost,
  showModeBadge,
  type ApiMode,
} from './api-mode.js';
import { EventLogView, renderAttributes } from './event-log.js';
import { PRODUCTS, formatPrice, productById, productImages, type Product } from './products.js';

function $<T extends HTMLElement = HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`demo: #${id} is missing from the page`);
  return found as T;
}

const tryOn = $<FashnTryOn>('try-on');
const tryOnArea = $('try-on-area');
let apiMode: ApiMode | undefined;
let current: Product = productById(new URLSearchParams(location.search).get('product'));
let selectedSize: string | undefined;
let bagCount = 0;

// ---------------------------------------------------------------- API mode

async function loadApiMode(): Promise<void> {
  apiMode = await fetchApiMode();
  showModeBadge($('mode-badge'), apiMode);
  $('mode-note').textContent =
    apiMode === 'emulator'
      ? 'The built-in FASHN emulator answers /api/fashn: offline, no credits used. Set FASHN_API_KEY to use the real API.'
      : apiMode === 'fashn'
        ? 'The real FASHN API answers /api/fashn through the proxy (the key stays on the server). Each run uses credits.'
        : 'Could not ask the dev server who answers /api/fashn (GET /__fashn-mode). Start the demo with `npm start`.';
  // FASHN's servers can't fetch images from this machine: send the garment's bytes instead.
  if (apiMode === 'fashn' && isPrivateHost(location.hostname))
    void showProduct(current, { push: false });
}

/** The garment as FASHN can reach it: an absolute URL, or a data: URL when this host is private. */
async function garmentImageFor(product: Product): Promise<string> {
  const url = new URL(productImages(product)[0].src, location.href).href;
  if (apiMode !== 'fashn' || !isPrivateHost(location.hostname)) return url;
  return await blobToDataUrl(await (await fetch(url)).blob());
}

// ---------------------------------------------------------------- product page

async function showProduct(product: Product, { push }: { push: boolean }): Promise<void> {
  current = product;
  selectedSize = undefined;
  if (push) {
    const url = new URL(location.href);
    url.searchParams.set('product', product.id);
    history.pushState({ product: product.id }, '', url);
  }
  document.title = `${product.name} · Atelier Nord`;
  const lang = tryOnArea.lang || 'en';
  $('product-eyebrow').textContent = product.eyebrow;
  $('product-name').textContent = product.name;
  $('crumb-name').textContent = product.name;
  $('crumb-category').textContent = categoryLabel(product);
  $('product-price').textContent = formatPrice(product.priceEur, lang);
  $('product-description').textContent = product.description;
  $('product-care').textContent = product.care;
  $('product-details').replaceChildren(
    ...product.details.map((line) =>
      Object.assign(document.createElement('li'), { textContent: line }),
    ),
  );
  $('size-message').textContent = '';
  renderGallery(product);
  renderColours(product);
  renderSizes(product);
  renderSwitcher(product);
  $<HTMLSelectElement>('dev-product').value = product.id;

  tryOn.setAttribute('category', product.category);
  tryOn.setAttribute('garment-photo-type', product.photoType);
  const image = await garmentImageFor(product);
  if (current === product) tryOn.setAttribute('garment-image', image);
}

function categoryLabel(product: Product): string {
  return { tops: 'Tops', bottoms: 'Trousers', 'one-pieces': 'Dresses' }[product.category];
}

function renderGallery(product: Product): void {
  const images = productImages(product);
  const main = $<HTMLImageElement>('gallery-image');
  const tag = $('gallery-tag');
  const show = (index: number) => {
    const image = images[index];
    main.src = image.src;
    main.alt = image.alt;
    tag.textContent =
      index === 0 ? (product.photoType === 'model' ? 'On model' : 'Flat-lay') : 'Detail';
    thumbs.forEach((thumb, i) => thumb.setAttribute('aria-current', String(i === index)));
  };
  const thumbs = images.map((image, index) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'thumb';
    button.setAttribute('role', 'listitem');
    button.setAttribute('aria-label', `Show image ${index + 1} of ${images.length}`);
    const img = Object.assign(document.createElement('img'), {
      src: image.thumb,
      alt: '',
      width: 160,
      height: 200,
    });
    button.append(img);
    button.addEventListener('click', () => show(index));
    return button;
  });
  $('gallery-thumbs').replaceChildren(...thumbs);
  show(0);
}

function renderColours(product: Product): void {
  const name = $('colour-name');
  name.textContent = product.colours[0].name;
  const swatches = product.colours.map((colour, index) => {
    const label = document.createElement('label');
    label.className = 'swatch';
    label.title = colour.name;
    const input = Object.assign(document.createElement('input'), {
      type: 'radio',
      name: 'colour',
      value: colour.name,
      checked: index === 0,
    });
    input.setAttribute('aria-label', colour.name);
    input.addEventListener('change', () => (name.textContent = colour.name));
    const dot = document.createElement('span');
    dot.className = 'swatch-dot';
    // CSSOM, not a style attribute: allowed under the page's strict CSP.
    dot.style.setProperty('--swatch', colour.swatch);
    label.append(input, dot);
    return label;
  });
  $('colour-swatches').replaceChildren(...swatches);
}

function renderSizes(product: Product): void {
  const sizes = product.sizes.map((size) => {
    const soldOut = product.soldOut.includes(size);
    const label = document.createElement('label');
    label.className = soldOut ? 'size sold-out' : 'size';
    const input = Object.assign(document.createElement('input'), {
      type: 'radio',
      name: 'size',
      value: size,
      disabled: soldOut,
    });
    if (soldOut) input.setAttribute('aria-label', `${size}, sold out`);
    input.addEventListener('change', () => {
      selectedSize = size;
      $('size-message').textContent = '';
    });
    const text = Object.assign(document.createElement('span'), { textContent: size });
    label.append(input, text);
    return label;
  });
  $('size-options').replaceChildren(...sizes);
}

function renderSwitcher(product: Product): void {
  const lang = tryOnArea.lang || 'en';
  const cards = PRODUCTS.map((item) => {
    const li = document.createElement('li');
    const link = document.createElement('a');
    link.className = 'product-card';
    link.href = `?product=${item.id}`;
    if (item === product) link.setAttribute('aria-current', 'page');
    const figure = document.createElement('span');
    figure.className = 'product-card-image';
    figure.append(
      Object.assign(document.createElement('img'), {
        src: productImages(item)[0].src,
        alt: '',
        width: 800,
        height: 1000,
        loading: 'lazy',
      }),
    );
    const name = Object.assign(document.createElement('span'), {
      className: 'product-card-name',
      textContent: item.name,
    });
    const price = Object.assign(document.createElement('span'), {
      className: 'product-card-price',
      textContent: formatPrice(item.priceEur, lang),
    });
    link.append(figure, name, price);
    link.addEventListener('click', (event) => {
      event.preventDefault();
      void showProduct(item, { push: true });
      $('product').scrollIntoView({ behavior: 'smooth', block: 'start' });
    });
    li.append(link);
    return li;
  });
  $('product-switcher').replaceChildren(...cards);
}

function addToBag(): void {
  const message = $('size-message');
  if (!selectedSize) {
    message.textContent = 'Please choose a size first.';
    $('size-options').querySelector<HTMLInputElement>('input:not(:disabled)')?.focus();
    return;
  }
  bagCount++;
  $('bag-count').textContent = String(bagCount);
  $('bag-button').setAttribute('aria-label', `Bag, ${bagCount} item${bagCount === 1 ? '' : 's'}`);
  const colour =
    document.querySelector<HTMLInputElement>('input[name="colour"]:checked')?.value ?? '';
  $('bag-toast').textContent = `Added to bag: ${current.name}, ${colour}, size ${selectedSize}.`;
}

// ---------------------------------------------------------------- developer panel

const log = new EventLogView($('event-log'), $('log-count'));

function showState(): void {
  const pill = $('state-pill');
  pill.textContent = tryOn.state ?? 'idle';
  pill.dataset.state = tryOn.state ?? 'idle';
}

function showAttributes(): void {
  renderAttributes(tryOn, $('attribute-list'));
}

function wireDevPanel(): void {
  // Every event the element declares, so a new one shows here without touching the demo.
  for (const name of EVENT_NAMES) {
    tryOn.addEventListener(name, (event) => {
      log.add({ time: new Date(), name, detail: (event as CustomEvent<unknown>).detail });
      if (name === 'fashn-state-change') showState();
    });
  }
  new MutationObserver(showAttributes).observe(tryOn, { attributes: true });
  showAttributes();
  showState();

  $('clear-log').addEventListener('click', () => log.clear());
  for (const input of document.querySelectorAll<HTMLInputElement>('input[name="layout"]')) {
    input.addEventListener('change', () => {
      if (input.checked) tryOn.setAttribute('layout', input.value);
    });
  }

  const productSelect = $<HTMLSelectElement>('dev-product');
  productSelect.replaceChildren(
    ...PRODUCTS.map((item) =>
      Object.assign(document.createElement('option'), { value: item.id, textContent: item.name }),
    ),
  );
  productSelect.addEventListener(
    'change',
    () => void showProduct(productById(productSelect.value), { push: true }),
  );

  $('forget-avatar').addEventListener('click', () => void tryOn.forgetAvatar());
  const useSample = async () => {
    const blob = await (await fetch('/sample-selfie.jpg')).blob();
    // The element reports failures as fashn-error (logged above); nothing more to do here.
    tryOn.useSelfie(blob).catch(() => {});
  };
  $('use-sample').addEventListener('click', () => void useSample());

  // The panel starts folded on small screens, where the shop comes first.
  if (matchMedia('(max-width: 1099px)').matches) $<HTMLDetailsElement>('dev-details').open = false;
}

function wireLanguage(): void {
  const select = $<HTMLSelectElement>('lang-select');
  const saved = localStorage.getItem('atelier-nord-lang');
  if (saved && [...select.options].some((option) => option.value === saved)) select.value = saved;
  const apply = () => {
    tryOnArea.lang = select.value;
    localStorage.setItem('atelier-nord-lang', select.value);
    $('product-price').textContent = formatPrice(current.priceEur, select.value);
    renderSwitcher(current);
  };
  select.addEventListener('change', apply);
  apply();
}

// ---------------------------------------------------------------- start

$('add-to-bag').addEventListener('click', addToBag);
window.addEventListener('popstate', () => {
  void showProduct(productById(new URLSearchParams(location.search).get('product')), {
    push: false,
  });
});
wireDevPanel();
wireLanguage();
void showProduct(current, { push: false });
void loadApiMode();
