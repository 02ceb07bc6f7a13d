/**
 * The shared views of every scope (issue 11). A PAM scope is one PAM credential,
 * known here only by its keyed hash (scope-key.ts). Each scope has one `PamView` per collection, built on first
 * use. A scope idle for `idleMs` is dropped; so is a scope whose credential the upstream rejected (401); and the
 * least recently used scopes go while the views' estimated memory is above `memoryBytes`.
 * Writes through the gateway update the writer's own views and invalidate the other scopes' (view `afterWrite`).
 * The Audit views and who shares them live in audit-scopes.ts; the memory bound and idle rule cover both.
 */

import { isGatewayError } from '../errors.js';
import { fetchAllPages } from '../loaders/paging.js';
import type { Logger } from '../logger.js';
import { syncTraceOf } from '../ops/tracing.js';
import type { ReadOf } from '../resources/describe.js';
import {
  accounts,
  listeners,
  PAM_MAX_PAGE_SIZE,
  type PamAssignment,
  type PamCollectionClient,
  type PamRef,
  policies,
  safes,
  servers,
  users,
} from '../upstream/pam/index.js';
import { RequestBudget, ScopedUpstream } from '../upstream/scope.js';
import type { BoundUpstream } from '../upstream/setup.js';
import { AuditScopes, type AuditSharing } from './audit-scopes.js';
import type { AuditView } from './audit-view.js';
import { PamView } from './pam-view.js';
import { ParentLists, type ScopeRunner } from './parent-lists.js';
import { ScopeKeys } from './scope-key.js';

const COLLECTIONS = { accounts, servers, safes, listeners, users, policies } as const;
export type CollectionName = keyof typeof COLLECTIONS;
type ItemOf<C extends CollectionName> = ReadOf<(typeof COLLECTIONS)[C]['resource']> & { id: number };

export type PamScopeViews = { [C in CollectionName]: PamView<ItemOf<C>> };

/** The lists of one parent a scope shares (parent-lists.ts). */
export interface ScopeLists {
  granted: ParentLists<PamRef[] | null>;
  assignments: ParentLists<PamAssignment[] | null>;
}

/**
 * What a write changed: `put` and `remove` an object of the collection; `visibility`, who sees what (every view is
 * invalidated); `invalidate`, a relation of the collection (only the lists of one parent are cleared).
 */
export type ViewChange =
  | { put: { id: number } }
  | { remove: number }
  | { visibility: true }
  | { invalidate: true };

export interface ViewSettings {
  maxAgeMs: number;
  idleMs: number;
  syncTimeoutMs: number;
  /** VIEW_MEMORY_MB in bytes: the least recently used scopes are dropped while the estimate is above it. */
  memoryBytes: number;
  /** AUDIT_VIEW_RECONCILE_MS: how often an Audit view is checked whole against the upstream. */
  auditReconcileMs: number;
  /** AUDIT_VIEW_SHARING. */
  auditSharing: AuditSharing;
  /** Pages a full Audit pass requests at once. */
  auditConcurrency: number;
  /** Told of every sync and read (the metrics). */
  observer?: ViewObserver | undefined;
}

/** What the views tell the metrics. */
export interface ViewObserver {
  sync(collection: string, kind: string, ok: boolean, seconds: number): void;
  read(upstream: 'pam' | 'audit', hit: boolean): void;
}

interface ScopeEntry {
  views: PamScopeViews;
  lists: ScopeLists;
  lastUsed: number;
}

export class ViewRegistry {
  /** Keyed hashes of credentials, shared with the audit feed. */
  readonly keys = new ScopeKeys();
  readonly #scopes = new Map<string, ScopeEntry>();
  #syncs = 0;
  /** The Audit views, by organisation or key (audit-scopes.ts). */
  readonly audit: AuditScopes;

  constructor(
    private readonly pam: BoundUpstream,
    audit: BoundUpstream,
    private readonly settings: ViewSettings,
    private readonly logger: Logger,
  ) {
    this.audit = new AuditScopes(
      audit,
      {
        maxAgeMs: settings.maxAgeMs,
        idleMs: settings.idleMs,
        syncTimeoutMs: settings.syncTimeoutMs,
        reconcileMs: settings.auditReconcileMs,
        sharing: settings.auditSharing,
        concurrency: settings.auditConcurrency,
        memoryBytes: settings.memoryBytes,
        observer: settings.observer,
      },
      this.keys,
      logger,
    );
  }

  /** The Audit view for `credential` (audit-scopes.ts), within the memory bound. */
  async auditView(credential: string): Promise<AuditView | undefined> {
    const now = performance.now();
    this.#dropIdle(now);
    const view = await this.audit.viewFor(credential);
    this.#boundMemory(undefined, view);
    return view;
  }

  /** The Audit view of scope `id` (`org:…` or `key:…`) for the audit feed's poller, within the memory bound. */
  feedView(id: string): AuditView | undefined {
    this.#dropIdle(performance.now());
    const view = this.audit.viewById(id);
    this.#boundMemory(undefined, view);
    return view;
  }

  /** The views of the scope of `credential`, created on first use. */
  pamScope(credential: string): { key: string; views: PamScopeViews; lists: ScopeLists } {
    const key = this.keys.of('pam', credential);
    const now = performance.now();
    this.#dropIdle(now);
    let entry = this.#scopes.get(key);
    if (!entry) {
      const run: ScopeRunner = (fetch, signal) => this.#sync(key, credential, signal, fetch);
      const lists = (collection: string, route: string) => {
        const observer = this.settings.observer;
        return {
          route,
          maxAgeMs: this.settings.maxAgeMs,
          syncTimeoutMs: this.settings.syncTimeoutMs,
          observer: observer && {
            read: (hit: boolean) => observer.read('pam', hit),
            fetched: (ok: boolean, seconds: number) => observer.sync(collection, 'list', ok, seconds),
          },
        };
      };
      entry = {
        views: this.#build(key, credential),
        lists: {
          granted: new ParentLists(run, lists('grantedUsers', '/api/system/accounts/:id/granted_users')),
          assignments: new ParentLists(run, lists('safeAssignments', '/api/system/safes/:id/accounts')),
        },
        lastUsed: now,
      };
      this.#scopes.set(key, entry);
    }
    entry.lastUsed = now;
    this.#boundMemory(key);
    return { key, views: entry.views, lists: entry.lists };
  }

  /** What the views hold, for the metrics. */
  stats(): { scopes: number; entries: number; bytes: number; oldestAgeSeconds: number } {
    let entries = 0;
    let oldest = 0;
    const count = (held: { items: number; ageMs: number | undefined }) => {
      entries += held.items;
      oldest = Math.max(oldest, held.ageMs ?? 0);
    };
    for (const entry of this.#scopes.values())
      for (const view of Object.values(entry.views)) count(view.held);
    let auditViews = 0;
    for (const [, entry] of this.audit.views()) {
      auditViews++;
      count(entry.view.held);
    }
    return {
      scopes: this.#scopes.size + auditViews,
      entries,
      bytes: this.bytes,
      oldestAgeSeconds: oldest / 1000,
    };
  }

  /** Estimated memory of every view of every scope, in bytes. */
  get bytes(): number {
    let total = 0;
    for (const entry of this.#scopes.values()) total += scopeBytes(entry);
    for (const [, entry] of this.audit.views()) total += entry.view.bytes;
    return total;
  }

  /**
   * Drops the least recently used PAM scopes and Audit views (never the caller's own) while the estimate is above
   * the bound.
   */
  #boundMemory(current: string | undefined, currentAudit?: AuditView): void {
    let total = this.bytes;
    if (total <= this.settings.memoryBytes) return;
    const candidates: Array<{ lastUsed: number; bytes: number; drop: () => void }> = [];
    for (const [key, entry] of this.#scopes) {
      if (key === current) continue;
      candidates.push({
        lastUsed: entry.lastUsed,
        bytes: scopeBytes(entry),
        drop: () => this.#scopes.delete(key),
      });
    }
    for (const [id, entry] of this.audit.views()) {
      if (entry.view === currentAudit) continue;
      candidates.push({ lastUsed: entry.lastUsed, bytes: entry.view.bytes, drop: () => this.audit.drop(id) });
    }
    candidates.sort((a, b) => a.lastUsed - b.lastUsed);
    for (const candidate of candidates) {
      if (total <= this.settings.memoryBytes) break;
      total -= candidate.bytes;
      candidate.drop();
      this.logger.debug({ views: { dropped: 'memory', bytes: total } }, 'views dropped');
    }
  }

  /**
   * After a write of `collection` by scope `writer`: the writer's view gets the written object (or loses the
   * deleted one) at once; every other scope's view of that collection is invalidated. A write that changes who
   * sees what (`visibility`: grants, users) invalidates every view of every scope, the writer's too.
   */
  afterWrite(writer: string | undefined, collection: CollectionName, change: ViewChange): void {
    for (const [key, entry] of this.#scopes) {
      // Lists of one parent are cheap to fetch again: any write clears them everywhere, the writer's too.
      entry.lists.granted.clear();
      entry.lists.assignments.clear();
      if ('visibility' in change) {
        for (const view of Object.values(entry.views)) view.invalidate();
        continue;
      }
      // The written object is what the upstream answered for this collection, decoded by its description.
      const view: PamView<{ id: number }> = entry.views[collection];
      // `invalidate`: a write of a relation of the collection (safe assignments); the lists above are cleared.
      if ('invalidate' in change) continue;
      if (key !== writer) view.invalidate();
      else if ('put' in change) view.put(change.put);
      else view.remove(change.remove);
    }
  }

  #dropIdle(now: number): void {
    for (const [key, entry] of this.#scopes) {
      if (now - entry.lastUsed > this.settings.idleMs) this.#scopes.delete(key);
    }
    this.audit.dropIdle(now);
  }

  #build(key: string, credential: string): PamScopeViews {
    const view = <C extends CollectionName>(name: C): PamView<ItemOf<C>> => {
      const client = COLLECTIONS[name] as PamCollectionClient<(typeof COLLECTIONS)[C]['resource']>;
      return new PamView<ItemOf<C>>({
        maxAgeMs: this.settings.maxAgeMs,
        syncTimeoutMs: this.settings.syncTimeoutMs,
        fetchAll: (signal) =>
          this.#sync(key, credential, signal, (upstream) =>
            fetchAllPages(
              PAM_MAX_PAGE_SIZE,
              (page, pageSize) => client.list(upstream, { page, pageSize }) as Promise<ItemOf<C>[]>,
            ),
          ),
        onSync: (outcome) => {
          this.logger.debug({ viewSync: { collection: name, ...outcome } }, 'view sync');
          this.settings.observer?.sync(name, 'full', outcome.ok, outcome.ms / 1000);
        },
        onRead: this.settings.observer && ((hit) => this.settings.observer?.read('pam', hit)),
        route: client.path,
      });
    };
    return {
      accounts: view('accounts'),
      servers: view('servers'),
      safes: view('safes'),
      listeners: view('listeners'),
      users: view('users'),
      policies: view('policies'),
    };
  }

  /** Runs one sync with the scope's credential, charged to no operation; a 401 drops the whole scope. */
  async #sync<T>(
    key: string,
    credential: string,
    signal: AbortSignal,
    run: (upstream: ScopedUpstream) => Promise<T>,
  ): Promise<T> {
    const upstream = new ScopedUpstream(this.pam.http, {
      credential,
      credentialHeader: this.pam.header,
      requestId: `view-sync-${++this.#syncs}`,
      signal,
      budget: new RequestBudget(Number.MAX_SAFE_INTEGER),
      // Shared by the scope's operations: in none of their traces, in the sync's own (src/ops/tracing.ts).
      trace: { parent: syncTraceOf(signal) },
    });
    try {
      return await run(upstream);
    } catch (error) {
      if (isGatewayError(error) && error.code === 'UNAUTHENTICATED') this.#scopes.delete(key);
      throw error;
    }
  }
}

function scopeBytes(entry: ScopeEntry): number {
  let total = entry.lists.granted.bytes + entry.lists.assignments.bytes;
  for (const view of Object.values(entry.views)) total += view.bytes;
  return total;
}
