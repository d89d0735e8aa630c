/**
 * The demo's live event log and attribute list: compact, readable renderings of
 * what `<fashn-try-on>` does, with image data URLs shortened so a 400 KB photo
 * doesn't drown the panel.
 */

/** Longest string shown whole; longer `data:` URLs become "data:image/jpeg;base64,… (123 KB)". */
const MAX_VALUE = 96;

/** A `data:` URL as its type and size; other long strings cut in the middle. */
export function shortenValue(value: string): string {
  const dataUrl = /^data:([^;,]*)(;base64)?,/.exec(value);
  if (dataUrl) {
    const payload = value.length - dataUrl[0].length;
    const bytes = dataUrl[2] ? Math.floor((payload * 3) / 4) : payload;
    return `${dataUrl[0]}… (${formatBytes(bytes)})`;
  }
  if (value.length <= MAX_VALUE) return value;
  return `${value.slice(0, 60)}…${value.slice(-24)}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** One-line JSON of an event detail, every long string shortened. */
export function compactJson(detail: unknown): string {
  return JSON.stringify(detail, (_key, value: unknown) =>
    typeof value === 'string' ? shortenValue(value) : value,
  );
}

/** "14:03:07.412": wall-clock time with milliseconds, the precision progress events need. */
export function clockTime(date: Date): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

export interface LogEntry {
  time: Date;
  name: string;
  detail: unknown;
}

/** Renders entries newest first into a list element, keeping at most `limit`. */
export class EventLogView {
  #count = 0;

  constructor(
    private readonly list: HTMLElement,
    private readonly counter?: HTMLElement,
    private readonly limit = 300,
  ) {}

  add(entry: LogEntry): void {
    const item = document.createElement('li');
    item.className = 'log-entry';
    item.dataset.event = entry.name;

    const time = document.createElement('time');
    time.className = 'log-time';
    time.dateTime = entry.time.toISOString();
    time.textContent = clockTime(entry.time);

    const name = document.createElement('span');
    name.className = 'log-name';
    name.textContent = entry.name;

    const detail = document.createElement('code');
    detail.className = 'log-detail';
    detail.textContent = compactJson(entry.detail);

    item.append(time, name, detail);
    this.list.prepend(item);
    while (this.list.childElementCount > this.limit) this.list.lastElementChild?.remove();
    this.#count++;
    this.#showCount();
  }

  clear(): void {
    this.list.replaceChildren();
    this.#count = 0;
    this.#showCount();
  }

  #showCount(): void {
    if (this.counter) this.counter.textContent = String(this.#count);
  }
}

/** Renders an element's current attributes as a definition list. */
export function renderAttributes(target: Element, list: HTMLElement): void {
  const rows = target.getAttributeNames().flatMap((name) => {
    const term = document.createElement('dt');
    term.textContent = name;
    const value = document.createElement('dd');
    value.textContent = shortenValue(target.getAttribute(name) ?? '');
    return [term, value];
  });
  list.replaceChildren(...rows);
}
