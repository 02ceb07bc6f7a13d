/**
 * Admission of HTTP requests, first come first served: at most `limit` are handled at once, the others wait their
 * turn before anything of them is read or parsed. Node runs every request of a process on one event loop; with
 * hundreds in flight, every step of every request (and of the shared view syncs, whose large responses arrive in
 * many chunks) waits behind all the others, so a sync of a few requests takes seconds and the slowest operations
 * pay for it many times. With a bounded number in flight, each step waits behind a few, syncs finish ahead of
 * expiry, and latency is queueing time in arrival order, favouring no query. `MAX_CONCURRENT_REQUESTS` sets it.
 *
 * A request gives its place up as soon as it first waits for an upstream (`releaseOnUpstreamWait`): what the limit
 * bounds is work the gateway does itself, answered from its views, never operations that spend their time waiting
 * for the upstreams (VIEWS=off, `no-cache`, a cold view), which would otherwise hold every place while waiting.
 * Liveness probes (`GET /health`) are never queued: a busy gateway is alive.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

export class Admission {
  #active = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(readonly limit: number) {}

  /** Requests being handled, and waiting. */
  get load(): { active: number; waiting: number } {
    return { active: this.#active, waiting: this.#waiting.length };
  }

  /** Runs `handle` once admitted; `handle` may give its place up early with the `release` it is given. */
  async run<T>(handle: (release: () => void) => Promise<T>): Promise<T> {
    if (this.#active >= this.limit) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#active++;
    let held = true;
    const release = () => {
      if (!held) return;
      held = false;
      // The slot passes straight to the next in line (the count stays), or is freed.
      const next = this.#waiting.shift();
      if (next) next();
      else this.#active--;
    };
    try {
      return await handle(release);
    } finally {
      release();
    }
  }
}

/** The `release` of each admitted request, for its context to call at its first upstream wait. */
const RELEASES = new WeakMap<object, () => void>();

/** Gives the request's place up (see the module comment); nothing when it was not admitted through a limit. */
export function releaseOnUpstreamWait(req: unknown): (() => void) | undefined {
  return typeof req === 'object' && req !== null ? RELEASES.get(req) : undefined;
}

/** A Node request listener that admits requests to `handle` through `admission`. */
export function admitted(
  admission: Admission,
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<unknown> | unknown,
): RequestListener {
  return (req, res) => {
    if (req.method === 'GET' && req.url === '/health') {
      void handle(req, res);
      return;
    }
    void admission.run(async (release) => {
      // A client that left while waiting costs nothing more.
      if (req.destroyed) return;
      RELEASES.set(req, release);
      await handle(req, res);
    });
  };
}
