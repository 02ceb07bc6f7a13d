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
 *
 * Time, too, is admitted in turns (`ADMISSION_TURN_MS`): one turn of the event loop starts operations for a few
 * milliseconds, then the others wait for the next turn, so that new connections are accepted and the open ones read
 * between turns (see `#hasTime`).
 */
import type { Plugin } from 'graphql-yoga';

export class Admission {
  #active = 0;
  readonly #waiting: Array<() => void> = [];
  /** When the current turn's time is up (`performance.now()`), while a turn is open. */
  #turnEnds = 0;
  #turnOpen = false;
  /** The operation last let in from the line, until it settles or first waits for an upstream. */
  #running: (() => void) | undefined;

  /**
   * @param limit operations executed at once.
   * @param turnMs gateway work started per turn of the event loop before it yields to I/O (see `#hasTime`);
   *   `Infinity` for no limit.
   */
  constructor(
    readonly limit: number,
    readonly turnMs: number,
  ) {}

  /** Requests being handled, and waiting. */
  get load(): { active: number; waiting: number } {
    return { active: this.#active, waiting: this.#waiting.length };
  }

  /** Runs `handle` once admitted; `handle` may give its place up early with the `release` it is given. */
  async run<T>(handle: (release: () => void) => Promise<T>): Promise<T> {
    let admitted: (() => void) | undefined;
    if (this.#waiting.length === 0 && this.#active < this.limit && this.#hasTime()) this.#active++;
    // #admitNext counts the place before it lets a waiter in.
    else
      await new Promise<void>((resolve) => {
        admitted = resolve;
        this.#waiting.push(resolve);
      });
    let held = true;
    const release = () => {
      if (!held) return;
      held = false;
      this.#active--;
      if (admitted && this.#running === admitted) this.#running = undefined;
      this.#admitNext();
    };
    try {
      return await handle(release);
    } finally {
      release();
    }
  }

  /**
   * Whether the current turn of the event loop may still start work. Node's listener accepts one new connection
   * per turn (libuv ≥ 1.45), and in one turn the gateway answers every request its open connections delivered: from
   * the views, hundreds of operations run back to back without a pause, a turn takes hundreds of milliseconds, and
   * a client that connects now waits for tens of turns, seconds, before its request is even read (measured: 20 s
   * for a new connection while 200 others kept the gateway busy). A turn starts operations for `turnMs` at most; the
   * others wait in line for the next turn, after the loop has accepted, read and written what was ready.
   */
  #hasTime(): boolean {
    if (!this.#turnOpen) {
      this.#turnOpen = true;
      this.#turnEnds = performance.now() + this.turnMs;
      // Runs once the loop has polled for I/O; the waiters then get a turn of their own.
      setImmediate(() => {
        this.#turnOpen = false;
        this.#running = undefined;
        this.#admitNext();
      });
    }
    return performance.now() < this.#turnEnds;
  }

  /**
   * Lets the next waiter in if a place is free and the turn has time left. Waiters go in one at a time, each once
   * the one before has settled or waits for an upstream, so that the turn's clock has seen the work done before it
   * starts more; one that waits for something else (a shared view's sync) holds the line up to the end of the turn.
   */
  #admitNext(): void {
    while (!this.#running && this.#waiting.length > 0 && this.#active < this.limit && this.#hasTime()) {
      this.#active++;
      const next = this.#waiting.shift() as () => void;
      // With turns, one at a time (see above); without (ADMISSION_TURN_MS=0), every free place at once.
      if (this.turnMs !== Number.POSITIVE_INFINITY) this.#running = next;
      next();
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
