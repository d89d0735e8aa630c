/**
 * A discrete-event clock for the latency benchmark: virtual time moves only
 * when nothing is running (no request being handled, no pending callbacks),
 * then jumps to the next timer. CPU time (the emulator drawing its images,
 * JSON, zod) therefore costs no virtual time, so a 12 s prediction takes as
 * long as its work, and no real latency gets magnified by a scale factor.
 * The network is modelled explicitly instead (see `modelledFetch`).
 */

interface Timer {
  at: number;
  seq: number;
  resolve: () => void;
}

/** Real macrotask turns without activity before the world counts as idle. */
const QUIET_TURNS = 3;

const turn = () => new Promise<void>((resolve) => setImmediate(() => setTimeout(resolve, 0)));

export class VirtualClock {
  #now: number;
  #timers: Timer[] = [];
  #seq = 0;
  #busy = 0;
  /** Bumped on every change, so "idle" means "nothing changed for a few turns". */
  #activity = 0;

  constructor(start = Date.UTC(2025, 0, 1)) {
    this.#now = start;
  }

  /** Virtual ms since the epoch. */
  readonly now = (): number => this.#now;

  /** Resolves when virtual time reaches now + ms; rejects with the signal's reason on abort. */
  readonly sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const timer: Timer = {
        at: this.#now + Math.max(0, ms),
        seq: this.#seq++,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.#timers = this.#timers.filter((t) => t !== timer);
        this.#activity++;
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#timers.push(timer);
      this.#activity++;
    });

  /** Marks `work` as running: the clock stands still until it settles. */
  async busy<T>(work: () => Promise<T>): Promise<T> {
    this.#busy++;
    this.#activity++;
    try {
      return await work();
    } finally {
      this.#busy--;
      this.#activity++;
    }
  }

  /** Waits until nothing runs and nothing changed for a few real turns. */
  async #settle(): Promise<void> {
    let quiet = 0;
    let seen = this.#activity;
    while (quiet < QUIET_TURNS) {
      await turn();
      if (this.#busy === 0 && this.#activity === seen) quiet++;
      else {
        quiet = 0;
        seen = this.#activity;
      }
    }
  }

  /**
   * Drives virtual time until `done()` holds: settle, then fire every timer
   * due at the earliest pending instant. Throws when nothing is left to fire.
   */
  async run(done: () => boolean, maxVirtualMs = 30 * 60_000): Promise<void> {
    const limit = this.#now + maxVirtualMs;
    for (;;) {
      await this.#settle();
      if (done()) return;
      if (this.#timers.length === 0) throw new Error('virtual clock: nothing left to wait for');
      this.#timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const at = this.#timers[0].at;
      if (at > limit) throw new Error(`virtual clock: still not done after ${maxVirtualMs} ms`);
      this.#now = Math.max(this.#now, at);
      const due = this.#timers.filter((t) => t.at <= at);
      this.#timers = this.#timers.filter((t) => t.at > at);
      this.#activity++;
      for (const timer of due) timer.resolve();
    }
  }
}

/**
 * A fetch to an in-process handler over a modelled network: the request
 * reaches the handler `oneWayMs` after it is sent, and its answer (read in
 * full) reaches the caller `oneWayMs` later, in virtual time.
 */
export function modelledFetch(
  clock: VirtualClock,
  handle: (request: Request) => Promise<Response>,
  oneWayMs: number,
): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    await clock.sleep(oneWayMs);
    const { status, headers, body } = await clock.busy(async () => {
      const response = await handle(request);
      return { status: response.status, headers: response.headers, body: await response.text() };
    });
    await clock.sleep(oneWayMs);
    return new Response(body, { status, headers });
  };
}
