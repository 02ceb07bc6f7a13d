/**
 * One PAM collection as one scope (one PAM credential) sees it, shared by that scope's requests (issue 11). A
 * view answers from a snapshot of the whole collection, re-listed by a shared sync (fresh.ts): never older than
 * `maxAgeMs`, counted from the start of the sync that produced it, one sync for all who wait.
 */
import type { TraceHolder } from '../ops/tracing.js';
import { Fresh } from './fresh.js';

export interface Snapshot<T extends { id: number }> {
  /** Every object, ascending by id (the PAM list order). */
  readonly items: readonly T[];
  readonly byId: ReadonlyMap<number, T>;
  /** Estimated memory it holds, in bytes (see `estimateBytes`). */
  readonly bytes: number;
}

/** Objects sampled to estimate a snapshot's size. */
const SAMPLE = 16;
/** Heap bytes per byte of JSON of a decoded object (property slots, strings, maps): measured roughly, kept high. */
const HEAP_PER_JSON_BYTE = 3;

/**
 * Items × the mean JSON size of a sample of them × a heap factor: an estimate, cheap enough for every sync. The
 * default factor suits decoded PAM objects (nested, few repeated strings); interned audit entries pass their own.
 */
export function estimateBytes(items: readonly object[], heapPerJsonByte = HEAP_PER_JSON_BYTE): number {
  if (items.length === 0) return 0;
  const step = Math.max(1, Math.floor(items.length / SAMPLE));
  let sampled = 0;
  let json = 0;
  for (let i = 0; i < items.length; i += step) {
    json += JSON.stringify(items[i]).length;
    sampled++;
  }
  return Math.round((json / sampled) * items.length * heapPerJsonByte);
}

export interface PamViewOptions<T extends { id: number }> {
  /** Lists the whole collection with the scope's credential; aborted through `signal` at the sync deadline. */
  fetchAll(signal: AbortSignal): Promise<T[]>;
  /** VIEW_MAX_AGE_MS: no answer is older than this. */
  maxAgeMs: number;
  /** How long one sync may take before it is abandoned (and its waiters fail). */
  syncTimeoutMs: number;
  now?: () => number;
  /** Called when a sync ends, for the logs and the metrics. */
  onSync?: (outcome: { ok: boolean; items: number; ms: number }) => void;
  /** Told of each read: answered from fresh data, or waiting for a sync. */
  onRead?: ((hit: boolean) => void) | undefined;
  /** The collection's list route, for an operation's call plan. */
  route?: string | undefined;
}

function snapshotOf<T extends { id: number }>(items: T[]): Snapshot<T> {
  const sorted = [...items].sort((a, b) => a.id - b.id);
  const byId = new Map(sorted.map((item) => [item.id, item]));
  return { items: sorted, byId, bytes: estimateBytes(sorted) };
}

export class PamView<T extends { id: number }> {
  readonly #fresh: Fresh<Snapshot<T>>;

  constructor(options: PamViewOptions<T>) {
    const now = options.now ?? (() => performance.now());
    this.#fresh = new Fresh({
      upstream: 'pam',
      onRead: options.onRead,
      route: options.route,
      maxAgeMs: options.maxAgeMs,
      syncTimeoutMs: options.syncTimeoutMs,
      now,
      sync: async (_previous, signal) => {
        const started = now();
        try {
          const items = await options.fetchAll(signal);
          options.onSync?.({ ok: true, items: items.length, ms: now() - started });
          return snapshotOf(items);
        } catch (error) {
          options.onSync?.({ ok: false, items: 0, ms: now() - started });
          throw error;
        }
      },
    });
  }

  /** A snapshot no older than the max age: the current one, or the next sync's (shared by all who wait). */
  snapshot(reader?: TraceHolder): Promise<Snapshot<T>> {
    return this.#fresh.get(reader);
  }

  /** The writer's own write, applied at once (read your writes); a later sync replaces it with upstream state. */
  put(item: T): void {
    this.#fresh.update((current) => snapshotOf([...current.items.filter((e) => e.id !== item.id), item]));
  }

  remove(id: number): void {
    this.#fresh.update((current) => snapshotOf(current.items.filter((item) => item.id !== id)));
  }

  /** Forgets the snapshot: the next request waits for a fresh sync (another scope's write changed the data). */
  invalidate(): void {
    this.#fresh.invalidate();
  }

  /** Estimated memory of the current snapshot, in bytes. */
  get bytes(): number {
    return this.#fresh.current?.bytes ?? 0;
  }

  /** Objects held, and how old they are (ms; undefined before the first sync). */
  get held(): { items: number; ageMs: number | undefined } {
    return { items: this.#fresh.current?.items.length ?? 0, ageMs: this.#fresh.ageMs };
  }
}
