/**
 * Lists of one parent (an account's granted users, a safe's assignments), shared by the operations of one PAM
 * credential under the same rules as the views: never older than the max age from the start of their fetch, one
 * fetch per list for all who wait, run with the credential but charged to no operation. A failed fetch is not kept.
 */
import type { ScopedUpstream } from '../upstream/scope.js';
import { refreshPoint } from './fresh.js';

/** Runs a fetch with the scope's credential, outside any operation (see ViewRegistry). */
export type ScopeRunner = <T>(fetch: (upstream: ScopedUpstream) => Promise<T>) => Promise<T>;

/**
 * A list is read only when its parent is (one account's page), often seconds apart: refreshed from half its age, so
 * that a parent read more often than every half max age never finds its list expired. The views, read by almost
 * every operation, use fresh.ts's default.
 */
const LIST_AHEAD = 0.5;

/** Estimated heap bytes of one list held (a handful of refs and its map entry); lists are short. */
const BYTES_PER_LIST = 400;

export class ParentLists<T> {
  readonly #entries = new Map<number, { value: Promise<T>; startedAt: number }>();
  readonly #refreshing = new Set<number>();
  /** Bumped by `clear`: a background fetch that started before it must not install its answer. */
  #generation = 0;
  /** How long the last background fetch took, for the refresh point (fresh.ts). */
  #lastFetchMs = 0;

  constructor(
    private readonly run: ScopeRunner,
    private readonly maxAgeMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get(parentId: number, fetch: (upstream: ScopedUpstream) => Promise<T>): Promise<T> {
    const entry = this.#entries.get(parentId);
    const now = this.now();
    if (entry && now - entry.startedAt < this.maxAgeMs) {
      // In use near the end of its age: fetched again in the background, so steady load never waits.
      const refreshAt = refreshPoint(this.maxAgeMs, this.#lastFetchMs, LIST_AHEAD);
      if (now - entry.startedAt >= refreshAt && !this.#refreshing.has(parentId)) {
        this.#refresh(parentId, fetch, now);
      }
      return entry.value;
    }
    const value = this.run(fetch);
    const fresh = { value, startedAt: now };
    this.#entries.set(parentId, fresh);
    value.catch(() => {
      if (this.#entries.get(parentId) === fresh) this.#entries.delete(parentId);
    });
    return value;
  }

  #refresh(parentId: number, fetch: (upstream: ScopedUpstream) => Promise<T>, startedAt: number): void {
    this.#refreshing.add(parentId);
    const generation = this.#generation;
    this.run(fetch)
      .then((value) => {
        this.#lastFetchMs = this.now() - startedAt;
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
