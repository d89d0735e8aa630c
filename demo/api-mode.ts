/**
 * Who answers /api/fashn: the dev server's `GET /__fashn-mode` says `emulator`
 * or `fashn` (the real API). The answer never carries the key.
 */

export type ApiMode = 'emulator' | 'fashn';

/** The dev server's answer, or undefined when it can't be asked (e.g. a static build). */
export async function fetchApiMode(
  fetchImpl: typeof fetch = globalThis.fetch,
): Promise<ApiMode | undefined> {
  try {
    const response = await fetchImpl('/__fashn-mode');
    if (!response.ok) return undefined;
    const body = (await response.json()) as { mode?: unknown };
    return body.mode === 'emulator' || body.mode === 'fashn' ? body.mode : undefined;
  } catch {
    return undefined;
  }
}

/** Fills a `.mode-badge` element (styled by its `data-mode`). */
export function showModeBadge(badge: HTMLElement, mode: ApiMode | undefined): void {
  badge.dataset.mode = mode ?? 'unknown';
  badge.textContent =
    mode === 'emulator' ? 'Emulator' : mode === 'fashn' ? 'Real FASHN API' : 'API unknown';
  badge.title =
    mode === 'emulator'
      ? 'The built-in FASHN emulator answers: offline, no credits used'
      : mode === 'fashn'
        ? 'The real FASHN API answers through the proxy: each run uses credits'
        : 'Could not ask the dev server (GET /__fashn-mode)';
}

/** Hosts FASHN's servers can't reach, so garments must be sent as bytes (data: URLs). */
export function isPrivateHost(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    hostname.endsWith('.local') ||
    hostname === '[::1]' ||
    /^(127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(hostname)
  );
}

/** A Blob as a `data:` URL. */
export function blobToDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(reader.error ?? new Error('could not read the image'));
    reader.readAsDataURL(blob);
  });
}
