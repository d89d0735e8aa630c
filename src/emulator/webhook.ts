/**
 * FASHN's webhooks, emulated: a run with `?webhook_url=…` gets its final
 * status object POSTed to that URL once the prediction has finished
 * (completed, failed or canceled), as FASHN does; a non-2xx answer or a
 * network failure is retried up to 5 times over about 5 minutes (times
 * `speed`, like everything else in the emulator).
 */

/** Pauses between attempts at full speed: 5 retries over ~5 minutes. */
const RETRY_DELAYS_MS = [10_000, 30_000, 60_000, 90_000, 110_000];
/** Shortest pause, so `speed: 0` does not spin. */
const MIN_DELAY_MS = 5;

export interface WebhookJob {
  url: string;
  /** Ms until the prediction may be final (0 when it is), or `undefined` when it is. */
  msUntilFinal(): number | undefined;
  /** The final status object, once `msUntilFinal` says `undefined`. */
  finalBody(): Record<string, unknown>;
  speed: number;
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<void>;
  /** Told of each attempt's HTTP status (0 for a network failure). */
  onAttempt?: (status: number) => void;
}

/** A `webhook_url` the emulator will call: http(s) only, as FASHN would require. */
export function webhookUrlIn(url: URL): string | undefined | Error {
  const value = url.searchParams.get('webhook_url');
  if (value === null) return undefined;
  try {
    const target = new URL(value);
    if (/^https?:$/.test(target.protocol)) return target.href;
  } catch {
    // answered below
  }
  return new Error('webhook_url: must be an http(s) URL');
}

/** Waits for the prediction to end, then delivers its final status (never rejects). */
export async function deliverWebhook(job: WebhookJob): Promise<void> {
  try {
    for (let wait = job.msUntilFinal(); wait !== undefined; wait = job.msUntilFinal()) {
      await job.sleep(Math.max(MIN_DELAY_MS, wait));
    }
    const body = JSON.stringify(job.finalBody());
    for (let attempt = 0; ; attempt++) {
      let status = 0;
      try {
        const response = await job.fetch(job.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        status = response.status;
        await response.body?.cancel().catch(() => undefined);
      } catch {
        status = 0;
      }
      job.onAttempt?.(status);
      if (status >= 200 && status < 300) return;
      const pause = RETRY_DELAYS_MS[attempt];
      if (pause === undefined) return;
      await job.sleep(Math.max(MIN_DELAY_MS, pause * job.speed));
    }
  } catch {
    // A webhook is best effort, as FASHN's are.
  }
}
