/**
 * One PAM collection as one scope (one PAM credential) sees it, shared by that scope's requests (issue 11). A
 * view answers from a snapshot of the whole collection; the snapshot is never older than `maxAgeMs`, counted
 * from the start of the sync that produced it. Only one sync runs at a time: every request that needs a fresh
 * snapshot waits for the same one. A sync is the view's work, not a request's: it has its own abort signal and
 * deadline, so a waiting client that goes away does not cancel it for the others.
 */

import { GatewayError } from '../errors.js';

export interface Snapshot<T extends { id: number }> {
  /** Every object, ascending by id (the PAM list order). */
  readonly items: readonly T[];
  readonly byId: ReadonlyMap<number, T>;
  /** When the sync that produced it started (the view's clock, ms). */
  readonly startedAt: number;
  /** Estimated memory it holds, in bytes (see `estimateBytes`). */
  readonly bytes: number;
}

/** Past this share of the max age, a view in use is refreshed in the background, so steady load never waits. */
const REFRESH_AHEAD = 0.75;

/** Objects sampled to estimate a snapshot's size. */
const SAMPLE = 16;
/** Heap bytes per byte of JSON of a decoded object (property slots, strings, maps): measured roughly, kept high. */
const HEAP_PER_JSON_BYTE = 3;

/** Items × the mean JSON size of a sample of them × a heap factor: an estimate, cheap enough for every sync. */
export function estimateBytes(items: readonly object[]): number {
  if (items.length === 0) return 0;
  const step = Math.max(1, Math.floor(items.length / SAMPLE));
  let sampled = 0;
  let json = 0;
  for (let i = 0; i < items.length; i += step) {
    json += JSON.stringify(items[i]).length;
    sampled++;
  }
  return Math.round((json / sampled) * items.length * HEAP_PER_JSON_BYTE);
}

export interface PamViewOptions<T extends { id: number }> {
  /** Lists the whole collection with the scope's credential; aborted through `signal` at the sync deadline. */
  fetchAll(signal: AbortSignal): Promise<T[]>;
  /** VIEW_MAX_AGE_MS: no answer is older than this. */
  maxAgeMs: number;
  /** How long one sync may take before it is abandoned (and its waiters fail). */
  syncTimeoutMs: number;
  now?: () => number;
  /** Called when a sync ends, for the logs (and later the metrics). */
  onSync?: (outcome: { ok: boolean; items: number; ms: number }) => void;
}

function snapshotOf<T extends { id: number }>(items: T[], startedAt: number): Snapshot<T> {
  const sorted = [...items].sort((a, b) => a.id - b.id);
  const byId = new Map(sorted.map((item) => [item.id, item]));
  return { items: sorted, byId, startedAt, bytes: estimateBytes(sorted) };
}

export class PamView<T extends { id: number }> {
  #snapshot: Snapshot<T> | undefined;
  #sync: Promise<Snapshot<T>> | undefined;
  /** Bumped by `invalidate`: a sync that started before it must not install its (older) result. */
  #generation = 0;
  readonly #now: () => number;

  constructor(private readonly options: PamViewOptions<T>) {
    this.#now = options.now ?? (() => performance.now());
  }

  /** A snapshot no older than the max age: the current one, or the next sync's (shared by all who wait). */
  async snapshot(): Promise<Snapshot<T>> {
    const current = this.#snapshot;
    const now = this.#now();
    if (current && now - current.startedAt < this.options.maxAgeMs) {
      if (now - current.startedAt >= this.options.maxAgeMs * REFRESH_AHEAD)
        void this.#startSync().catch(() => {});
      return current;
    }
    const fresh = await this.#startSync();
    if (this.#now() - fresh.startedAt < this.options.maxAgeMs) return fresh;
    // The sync itself took longer than the max age: its answer would already be too old. Once more, then give up.
    const retried = await this.#startSync();
    if (this.#now() - retried.startedAt < this.options.maxAgeMs) return retried;
    throw new GatewayError(
      'UPSTREAM_TIMEOUT',
      'The PAM API took longer than VIEW_MAX_AGE_MS to list a collection twice in a row; its answer would be too old.',
      { upstream: 'pam' },
    );
  }

  /** The writer's own write, applied at once (read your writes); a later sync replaces it with upstream state. */
  put(item: T): void {
    const current = this.#snapshot;
    if (!current) return;
    const items = current.items.filter((existing) => existing.id !== item.id);
    items.push(item);
    this.#snapshot = snapshotOf(items, current.startedAt);
  }

  remove(id: number): void {
    const current = this.#snapshot;
    if (!current) return;
    this.#snapshot = snapshotOf(
      current.items.filter((item) => item.id !== id),
      current.startedAt,
    );
  }

  /** Forgets the snapshot: the next request waits for a fresh sync (another scope's write changed the data). */
  invalidate(): void {
    this.#snapshot = undefined;
    this.#generation++;
    this.#sync = undefined;
  }

  /** Estimated memory of the current snapshot, in bytes. */
  get bytes(): number {
    return this.#snapshot?.bytes ?? 0;
  }

  #startSync(): Promise<Snapshot<T>> {
    if (this.#sync) return this.#sync;
    const generation = this.#generation;
    const startedAt = this.#now();
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new Error('view sync timed out')),
      this.options.syncTimeoutMs,
    );
    const sync = this.options
      .fetchAll(controller.signal)
      .then((items) => {
        const snapshot = snapshotOf(items, startedAt);
        if (generation === this.#generation) this.#snapshot = snapshot;
        this.options.onSync?.({ ok: true, items: items.length, ms: this.#now() - startedAt });
        return snapshot;
      })
      .catch((error: unknown) => {
        this.options.onSync?.({ ok: false, items: 0, ms: this.#now() - startedAt });
        throw error;
      })
      .finally(() => {
        clearTimeout(timer);
        if (this.#sync === sync) this.#sync = undefined;
      });
    this.#sync = sync;
    return sync;
  }
}
