/**
 * Lists of one parent (an account's granted users, a safe's assignments), shared by the operations of one PAM
 * credential under the same rules as the views: never older than the max age from the start of their fetch, one
 * fetch per list for all who wait, run with the credential but charged to no operation. A failed fetch is not kept.
 */
import { type SyncSpan, type TraceHolder, withSyncSpan } from '../ops/tracing.js';
import type { ScopedUpstream } from '../upstream/scope.js';
import { refreshPoint } from './fresh.js';

/** Runs a fetch with the scope's credential, outside any operation, aborted through `signal` (see ViewRegistry). */
export type ScopeRunner = <T>(
  fetch: (upstream: ScopedUpstream) => Promise<T>,
  signal: AbortSignal,
) => Promise<T>;

export interface ParentListsOptions {
  /** The upstream route of one list (a template), for the call plan and the fetch's span. */
  route: string;
  /** VIEW_MAX_AGE_MS. */
  maxAgeMs: number;
  /** How long one fetch may take. */
  syncTimeoutMs: number;
  /** Told of each read (a hit answers from a fresh list, a miss waits for a fetch) and each fetch (the metrics). */
  observer?:
    | {
        read(hit: boolean): void;
        fetched(ok: boolean, seconds: number): void;
      }
    | undefined;
  now?: () => number;
}

/**
 * A list is read only when its parent is (one account's page), often seconds apart: refreshed from half its age, so
 * that a parent read more often than every half max age never finds its list expired. The views, read by almost
 * every operation, use fresh.ts's default.
 */
const LIST_AHEAD = 0.5;

/** Estimated heap bytes of one list held (a handful of refs and its map entry); lists are short. */
const BYTES_PER_LIST = 400;

interface Entry<T> {
  value: Promise<T>;
  startedAt: number;
  /** While the fetch runs: its span, which links the operations that wait for it. */
  span?: SyncSpan | undefined;
}

export class ParentLists<T> {
  readonly #entries = new Map<number, Entry<T>>();
  readonly #refreshing = new Set<number>();
  /** Bumped by `clear`: a background fetch that started before it must not install its answer. */
  #generation = 0;
  /** How long the last background fetch took, for the refresh point (fresh.ts). */
  #lastFetchMs = 0;
  readonly #now: () => number;

  constructor(
    private readonly run: ScopeRunner,
    private readonly options: ParentListsOptions,
  ) {
    this.#now = options.now ?? (() => performance.now());
  }

  /**
   * The list of `parentId`, no older than the max age. `reader` is the operation reading, if any: its call plan notes
   * the read, and its trace is linked to the fetch it waits for.
   */
  get(parentId: number, fetch: (upstream: ScopedUpstream) => Promise<T>, reader?: TraceHolder): Promise<T> {
    const entry = this.#entries.get(parentId);
    const now = this.#now();
    const { maxAgeMs, observer } = this.options;
    if (entry && now - entry.startedAt < maxAgeMs) {
      // In use near the end of its age: fetched again in the background, so steady load never waits.
      const refreshAt = refreshPoint(maxAgeMs, this.#lastFetchMs, LIST_AHEAD);
      if (now - entry.startedAt >= refreshAt && !this.#refreshing.has(parentId)) {
        this.#refresh(parentId, fetch, now);
      }
      // A fetch still running is waited for: a miss, like the fetch's first reader.
      const hit = entry.span === undefined;
      observer?.read(hit);
      entry.span?.link(reader);
      return this.#noted(entry.value, reader, hit);
    }
    observer?.read(false);
    const fresh: Entry<T> = { ...this.#fetch(fetch), startedAt: now };
    fresh.span?.link(reader);
    this.#entries.set(parentId, fresh);
    fresh.value.then(
      () => {
        fresh.span = undefined;
      },
      () => {
        fresh.span = undefined;
        if (this.#entries.get(parentId) === fresh) this.#entries.delete(parentId);
      },
    );
    return this.#noted(fresh.value, reader, false);
  }

  /** Tells the reader's call plan (if it asked for one) of the read, once it is answered. */
  #noted(value: Promise<T>, reader: TraceHolder | undefined, hit: boolean): Promise<T> {
    const plan = reader?.plan;
    if (!plan) return value;
    const read = { upstream: 'pam' as const, route: this.options.route, startedAt: performance.now(), hit };
    const note = () => plan.viewReads.push({ ...read, endedAt: hit ? read.startedAt : performance.now() });
    return value.finally(note);
  }

  /** One fetch with its own deadline, in a span of its own (shared work, like a view sync). */
  #fetch(fetch: (upstream: ScopedUpstream) => Promise<T>): { value: Promise<T>; span: SyncSpan } {
    const signal = AbortSignal.timeout(this.options.syncTimeoutMs);
    const started = performance.now();
    let span: SyncSpan | undefined;
    const value = withSyncSpan(
      { 'pamgraph.upstream': 'pam', 'url.template': this.options.route },
      signal,
      (s) => {
        span = s;
        return this.run(fetch, signal);
      },
    );
    const seconds = () => (performance.now() - started) / 1000;
    value.then(
      () => this.options.observer?.fetched(true, seconds()),
      () => this.options.observer?.fetched(false, seconds()),
    );
    // withSyncSpan calls its function at once, so the span is known here.
    return { value, span: span as SyncSpan };
  }

  #refresh(parentId: number, fetch: (upstream: ScopedUpstream) => Promise<T>, startedAt: number): void {
    this.#refreshing.add(parentId);
    const generation = this.#generation;
    this.#fetch(fetch)
      .value.then((value) => {
        this.#lastFetchMs = this.#now() - startedAt;
        // A write cleared the lists meanwhile: this answer may predate it.
        if (generation === this.#generation)
          this.#entries.set(parentId, { value: Promise.resolve(value), startedAt });
      })
      .catch(() => {})
      .finally(() => this.#refreshing.delete(parentId));
  }

  /** Estimated memory of the lists held, in bytes. */
  get bytes(): number {
    return this.#entries.size * BYTES_PER_LIST;
  }

  /** Forgets every list: a write may have changed any of them. */
  clear(): void {
    this.#generation++;
    this.#entries.clear();
  }
}
