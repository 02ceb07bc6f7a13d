/**
 * Admission of GraphQL operations, first come first served: at most `limit` are executed at once, the others wait
 * their turn. Node runs every request of a process on one event loop; with
 * hundreds in flight, every step of every request (and of the shared view syncs, whose large responses arrive in
 * many chunks) waits behind all the others, so a sync of a few requests takes seconds and the slowest operations
 * pay for it many times. With a bounded number in flight, each step waits behind a few, syncs finish ahead of
 * expiry, and latency is queueing time in arrival order, favouring no query. `MAX_CONCURRENT_REQUESTS` sets it.
 *
 * A request gives its place up as soon as it first waits for an upstream (`releaseOnUpstreamWait`): what the limit
 * bounds is work the gateway does itself, answered from its views, never operations that spend their time waiting
 * for the upstreams (VIEWS=off, `no-cache`, a cold view), which would otherwise hold every place while waiting.
 * Only GraphQL operations queue, after their request has been read: liveness probes and GraphiQL never wait, and a
 * client that sends its request slowly holds no place.
 */
import type { Plugin } from 'graphql-yoga';

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
const RELEASES = new WeakMap<Request, () => void>();

/** Gives the request's place up (see the module comment); nothing when it was not admitted through a limit. */
export function releaseOnUpstreamWait(request: Request): (() => void) | undefined {
  return RELEASES.get(request);
}

/**
 * The Yoga plugin: an operation waits for its place once its request has been read and parsed (a slow or stalled
 * client never holds a place), and keeps it until its result is produced, it first waits for an upstream, or it
 * fails. A streamed result (an async iterable) gives its place up as soon as the stream is returned.
 */
export function useAdmission(admission: Admission): Plugin {
  return {
    onParams({ paramsHandler, setParamsHandler }) {
      setParamsHandler((payload) =>
        admission.run(async (release) => {
          RELEASES.set(payload.request, release);
          return paramsHandler(payload);
        }),
      );
    },
  };
}
