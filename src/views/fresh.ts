/**
 * A value kept fresh by shared syncs: the machinery every view uses (issue 11). The value is never older than
 * `maxAgeMs`, counted from the start of the sync that produced it. Only one sync runs at a time: every caller
 * that needs a fresh value waits for the same one. A sync is shared work, not a caller's: it has its own abort
 * signal and deadline, so a waiting client that goes away does not cancel it for the others. Before it expires, a
 * value in use is refreshed in the background (see `refreshPoint`), so steady load never waits.
 */
import { GatewayError } from '../errors.js';
import { type SyncSpan, type TraceHolder, withSyncSpan } from '../ops/tracing.js';

/**
 * When a value in use is refreshed in the background: at three quarters of the max age, or earlier by twice the
 * last sync's duration when syncs are slow (under load, a large response arrives in many chunks, each waiting its
 * turn in a busy event loop), but never before a fifth of the max age.
 */
export function refreshPoint(maxAgeMs: number, lastSyncMs: number, ahead = 0.75): number {
  return Math.max(maxAgeMs * 0.2, Math.min(maxAgeMs * ahead, maxAgeMs - 2 * lastSyncMs));
}

export interface FreshOptions<S> {
  /**
   * Produces the next value from the current one (undefined before the first sync, or after `invalidate`);
   * aborted through `signal` at the sync deadline.
   */
  sync(previous: S | undefined, signal: AbortSignal): Promise<S>;
  /** VIEW_MAX_AGE_MS: no answer is older than this. */
  maxAgeMs: number;
  /** How long one sync may take before it is abandoned (and its waiters fail). */
  syncTimeoutMs: number;
  /** Names the upstream in the error when syncs are too slow to ever be fresh. */
  upstream: 'pam' | 'audit';
  /** Told of each `get`: a hit answers from fresh data, a miss waits for a sync (the metrics). */
  onRead?: ((hit: boolean) => void) | undefined;
  /** The upstream route whose data this holds, for an operation's call plan (src/ops/plan.ts). */
  route?: string | undefined;
  now?: () => number;
}

export class Fresh<S> {
  #value: S | undefined;
  #startedAt = Number.NEGATIVE_INFINITY;
  #sync: Promise<{ value: S; startedAt: number }> | undefined;
  /** Bumped by `invalidate`: a sync that started before it must not install its (older) result. */
  #generation = 0;
  /** How long the last successful sync took, for the refresh point. */
  #lastSyncMs = 0;
  /** The running sync's span, to link the operations that wait for it; cleared when the sync is over. */
  #span: SyncSpan | undefined;
  readonly #now: () => number;

  constructor(private readonly options: FreshOptions<S>) {
    this.#now = options.now ?? (() => performance.now());
  }

  /**
   * A value no older than the max age: the current one, or the next sync's (shared by all who wait). `reader` is the
   * operation reading, if any: its trace is linked to the sync it waits for, and its call plan notes the read.
   */
  async get(reader?: TraceHolder): Promise<S> {
    const current = this.#value;
    const now = this.#now();
    const age = now - this.#startedAt;
    const { route, upstream } = this.options;
    if (current !== undefined && age < this.options.maxAgeMs) {
      if (age >= refreshPoint(this.options.maxAgeMs, this.#lastSyncMs))
        void this.#startSync().catch(() => {});
      this.options.onRead?.(true);
      const plan = reader?.plan;
      if (route && plan) plan.viewReads.push({ upstream, route, startedAt: now, endedAt: now, hit: true });
      return current;
    }
    this.options.onRead?.(false);
    const plan = reader?.plan;
    if (route && plan) {
      const started = performance.now();
      try {
        return await this.#getFresh(reader);
      } finally {
        plan.viewReads.push({ upstream, route, startedAt: started, endedAt: performance.now(), hit: false });
      }
    }
    return this.#getFresh(reader);
  }

  /** Waits for a fresh value (see `get`). */
  async #getFresh(reader: TraceHolder | undefined): Promise<S> {
    const fresh = await this.#waitFresh(reader);
    if (fresh !== undefined) return fresh;
    // The sync itself took longer than the max age: its answer would already be too old. Once more, then give up.
    const retried = await this.#waitFresh(reader);
    if (retried !== undefined) return retried;
    throw new GatewayError(
      'UPSTREAM_TIMEOUT',
      `The ${this.options.upstream === 'pam' ? 'PAM' : 'Audit'} API took longer than VIEW_MAX_AGE_MS to sync a view ` +
        'twice in a row; its answer would be too old.',
      { upstream: this.options.upstream },
    );
  }

  /** Waits for the running sync, or starts one now, whatever the current value's age. */
  async refresh(): Promise<S> {
    return (await this.#startSync()).value;
  }

  /** How old the current value is (from the start of its sync), in ms; undefined without one. */
  get ageMs(): number | undefined {
    return this.#value === undefined ? undefined : this.#now() - this.#startedAt;
  }

  /** The current value whatever its age, or undefined; for writes that patch it in place. */
  get current(): S | undefined {
    return this.#value;
  }

  /** Replaces the current value, keeping its age (the writer's own write: read your writes). */
  update(change: (value: S) => S): void {
    if (this.#value !== undefined) this.#value = change(this.#value);
  }

  /** Forgets the value: the next caller waits for a sync from nothing. */
  invalidate(): void {
    this.#value = undefined;
    this.#startedAt = Number.NEGATIVE_INFINITY;
    this.#generation++;
    this.#sync = undefined;
  }

  /** Keeps the value but makes it too old: the next caller waits for a sync that starts from it. */
  expire(): void {
    this.#startedAt = Number.NEGATIVE_INFINITY;
    this.#generation++;
    this.#sync = undefined;
  }

  /** Waits for a sync (the running one or a new one); the value, or undefined when it is not fresh. */
  async #waitFresh(reader: TraceHolder | undefined): Promise<S | undefined> {
    const sync = this.#startSync();
    this.#span?.link(reader);
    const { value, startedAt } = await sync;
    return this.#now() - startedAt < this.options.maxAgeMs ? value : undefined;
  }

  #startSync(): Promise<{ value: S; startedAt: number }> {
    if (this.#sync) return this.#sync;
    const generation = this.#generation;
    const startedAt = this.#now();
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new Error('view sync timed out')),
      this.options.syncTimeoutMs,
    );
    const previous = this.#value;
    const sync = withSyncSpan({ 'pamgraph.upstream': this.options.upstream }, controller.signal, (span) => {
      this.#span = span;
      return this.options.sync(previous, controller.signal);
    })
      .then((value) => {
        if (generation === this.#generation) {
          this.#value = value;
          this.#startedAt = startedAt;
        }
        this.#lastSyncMs = this.#now() - startedAt;
        return { value, startedAt };
      })
      .finally(() => {
        clearTimeout(timer);
        if (this.#sync === sync) {
          this.#sync = undefined;
          this.#span = undefined;
        }
      });
    this.#sync = sync;
    return sync;
  }
}
