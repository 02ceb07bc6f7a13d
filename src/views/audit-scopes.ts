/**
 * Who shares which Audit view (issue 11, a security rule). Contract §2.1: a key sees exactly its organisation's
 * entries, so the requests of every key of organisation O may share O's view, but only once the upstream has
 * confirmed, within the last `VIEW_MAX_AGE_MS`, that the key is valid and belongs to O. A key's organisation is
 * learnt only from an entry the upstream returned to that key: the cheap confirmation asks for one entry, and every
 * page a view reads with a key confirms that key again. Until a key's organisation is known (a key that sees no
 * entry), it has a view of its own, keyed by the key's hash; such a view is never merged into another. With
 * `AUDIT_VIEW_SHARING=key`, every key keeps a view of its own.
 *
 * A 401 to any of a key's requests forgets the key at once, drops its own view, and drops its organisation's view
 * when no other confirmed key is left to sync it. A key is held in memory only to sync with; maps are keyed by its
 * keyed hash, and nothing here logs it.
 */
import { isGatewayError } from '../errors.js';
import type { Logger } from '../logger.js';
import { syncTraceOf, type TraceHolder } from '../ops/tracing.js';
import {
  type AuditDefaults,
  type AuditEntry,
  getAuditDefaults,
  getAuditEntry,
  listAuditEntries,
} from '../upstream/audit.js';
import { RequestBudget, ScopedUpstream } from '../upstream/scope.js';
import type { BoundUpstream } from '../upstream/setup.js';
import { errorForStatus } from '../upstream/status.js';
import { type AuditSource, AuditView, AuditViewTooLarge } from './audit-view.js';
import { Fresh, refreshPoint } from './fresh.js';
import type { ScopeKeys } from './scope-key.js';

export type AuditSharing = 'organisation' | 'key';

export interface AuditScopeSettings {
  maxAgeMs: number;
  idleMs: number;
  syncTimeoutMs: number;
  reconcileMs: number;
  sharing: AuditSharing;
  /** Pages a full pass requests at once (AUDIT_SCAN_CONCURRENCY). */
  concurrency: number;
  /** VIEW_MEMORY_MB in bytes: no single Audit view may grow past it. */
  memoryBytes: number;
  /** Told of every sync and read (the metrics). */
  observer?:
    | {
        sync(collection: string, kind: string, ok: boolean, seconds: number): void;
        read(upstream: 'pam' | 'audit', hit: boolean): void;
      }
    | undefined;
}

interface KeyState {
  readonly hash: string;
  /** Held only to sync with; never a map key, never logged. */
  readonly credential: string;
  /** The organisation the upstream confirmed, if any. */
  org: string | undefined;
  /** When the request that last confirmed the key was sent (view clock); -∞ before. */
  confirmedAt: number;
  confirming: Promise<void> | undefined;
  /** The upstream showed this key entries of several organisations: contract §2.1 does not hold for it. */
  neverShare: boolean;
  lastUsed: number;
}

export interface AuditViewEntry {
  view: AuditView;
  /** The organisation it holds, for an organisation's view. */
  org: string | undefined;
  /** The key hash, for a key's own view. */
  key: string | undefined;
  lastUsed: number;
}

export class AuditScopes {
  readonly #keyStates = new Map<string, KeyState>();
  /** `auditEntryDefaults` of each key (by its hash), shared by the key's requests within the max age. */
  readonly #defaults = new Map<string, Fresh<AuditDefaults>>();
  /** `org:<organisation>` or `key:<key hash>` → view. */
  readonly #views = new Map<string, AuditViewEntry>();
  /** View id → until when (view clock) it is known not to fit in memory: its requests use bounded scans. */
  readonly #tooLarge = new Map<string, number>();
  #syncs = 0;
  /** How long the last confirmation took, for the refresh point (fresh.ts). */
  #lastConfirmMs = 0;

  constructor(
    private readonly audit: BoundUpstream,
    private readonly settings: AuditScopeSettings,
    private readonly keys: ScopeKeys,
    private readonly logger: Logger,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * The view that answers the requests of `credential`: its organisation's once confirmed, else its own; undefined
   * when that view does not fit in memory (then the caller scans, bounded, as with VIEWS=off). A rejected key
   * throws the upstream's UNAUTHENTICATED error.
   */
  async viewFor(credential: string): Promise<AuditView | undefined> {
    const state = this.#state(credential);
    if (this.settings.sharing === 'organisation' && !state.neverShare) {
      const age = this.now() - state.confirmedAt;
      if (age >= this.settings.maxAgeMs) await this.#confirm(state);
      else if (age >= refreshPoint(this.settings.maxAgeMs, this.#lastConfirmMs))
        void this.#confirm(state).catch(() => {});
    }
    return this.viewById(this.#viewIdOf(state));
  }

  /**
   * The scope `credential`'s requests share (`org:<organisation>` or `key:<key hash>`), after the upstream
   * confirmed the key within the last `maxStaleMs` (one cheap request when it did not). For the audit feed, which
   * confirms each subscriber's key this way whatever the sharing mode. `confirmedAt` is when the request that last
   * confirmed the key was sent (this object's clock). A rejected key throws UNAUTHENTICATED.
   */
  async scopeOf(credential: string, maxStaleMs: number): Promise<{ scope: string; confirmedAt: number }> {
    const state = this.#state(credential);
    if (this.now() - state.confirmedAt >= maxStaleMs) await this.#confirm(state);
    if (!this.#keyStates.has(state.hash)) throw errorForStatus('audit', 401);
    return { scope: this.#viewIdOf(state), confirmedAt: state.confirmedAt };
  }

  /** The view of scope `id` (created on first use); undefined when it does not fit in memory. */
  viewById(id: string): AuditView | undefined {
    if ((this.#tooLarge.get(id) ?? Number.NEGATIVE_INFINITY) > this.now()) return undefined;
    return this.#view(id)?.view;
  }

  /**
   * How scope `id` reads the log: an organisation's with any of its confirmed keys, a key's own with that key.
   * Undefined when no key of the scope is left (all rejected, or idle).
   */
  sourceOf(id: string): AuditSource | undefined {
    if (id.startsWith('org:')) {
      const org = id.slice(4);
      return {
        list: (page, signal) => this.#withOrgKey(org, (key) => this.#list(key, page, signal)),
        get: (entryId, signal) => this.#withOrgKey(org, (key) => this.#get(key, entryId, signal)),
      };
    }
    const state = this.#keyStates.get(id.slice(4));
    return state ? this.#keySource(state) : undefined;
  }

  /**
   * What a new entry gets by default for `credential` (the Audit API's `options/`), under the view rules: shared by
   * the requests of that key, never older than the max age, and forgotten with the key (idle, or rejected by a 401).
   */
  defaults(credential: string, reader?: TraceHolder): Promise<AuditDefaults> {
    const state = this.#state(credential);
    let fresh = this.#defaults.get(state.hash);
    if (!fresh) {
      fresh = new Fresh<AuditDefaults>({
        sync: (_previous, signal) => this.#call(state, signal, (upstream) => getAuditDefaults(upstream)),
        maxAgeMs: this.settings.maxAgeMs,
        syncTimeoutMs: this.settings.syncTimeoutMs,
        upstream: 'audit',
        route: '/ux/nccm/jobs-account-audit/options/',
        now: this.now,
      });
      this.#defaults.set(state.hash, fresh);
    }
    return fresh.get(reader);
  }

  /** Runs `read` on the view; a view that turns out too large is dropped and `undefined` answered instead. */
  async read<T>(view: AuditView, read: (view: AuditView) => Promise<T>): Promise<T | undefined> {
    try {
      return await read(view);
    } catch (error) {
      if (!(error instanceof AuditViewTooLarge)) throw error;
      for (const [id, entry] of this.#views) {
        if (entry.view !== view) continue;
        this.#views.delete(id);
        this.#tooLarge.set(id, this.now() + this.settings.reconcileMs);
        this.logger.warn(
          { auditView: { fallback: 'scan', reason: error.message } },
          'audit view does not fit in VIEW_MEMORY_MB; scanning instead',
        );
      }
      return undefined;
    }
  }

  /**
   * After a write through the gateway with `credential`: the writer's view gets the entry (or loses it) at once.
   * Every other view that may hold the entry's organisation (that organisation's, and keys' whose is unknown)
   * must sync before it answers again; a deleted entry also leaves them at once (removal reveals nothing).
   */
  afterWrite(credential: string, change: { put: AuditEntry } | { remove: string }): void {
    const writer = this.#keyStates.get(this.keys.of('audit', credential));
    const writerView = writer ? this.#views.get(this.#viewIdOf(writer))?.view : undefined;
    const org = 'put' in change ? change.put.organization : undefined;
    for (const entry of this.#views.values()) {
      if (entry.view === writerView) {
        if ('put' in change) entry.view.put(change.put);
        else entry.view.remove(change.remove);
        continue;
      }
      if ('remove' in change) entry.view.remove(change.remove);
      if (org === undefined || entry.org === undefined || entry.org === org) entry.view.expire();
    }
  }

  /** Every view, for the registry's memory bound. */
  views(): IterableIterator<[string, AuditViewEntry]> {
    return this.#views.entries();
  }

  drop(id: string): void {
    this.#views.delete(id);
  }

  dropIdle(now: number): void {
    for (const [id, entry] of this.#views)
      if (now - entry.lastUsed > this.settings.idleMs) this.#views.delete(id);
    for (const [hash, state] of this.#keyStates) {
      if (now - state.lastUsed > this.settings.idleMs) {
        this.#keyStates.delete(hash);
        this.#defaults.delete(hash);
      }
    }
  }

  #state(credential: string): KeyState {
    const hash = this.keys.of('audit', credential);
    let state = this.#keyStates.get(hash);
    if (!state) {
      state = {
        hash,
        credential,
        org: undefined,
        confirmedAt: Number.NEGATIVE_INFINITY,
        confirming: undefined,
        neverShare: false,
        lastUsed: 0,
      };
      this.#keyStates.set(hash, state);
    }
    state.lastUsed = this.now();
    return state;
  }

  #viewIdOf(state: KeyState): string {
    const shared = this.settings.sharing === 'organisation' && !state.neverShare && state.org !== undefined;
    return shared ? `org:${state.org}` : `key:${state.hash}`;
  }

  #view(id: string): AuditViewEntry | undefined {
    let entry = this.#views.get(id);
    if (!entry) {
      const source = this.sourceOf(id);
      if (!source) return undefined;
      const org = id.startsWith('org:') ? id.slice(4) : undefined;
      entry = {
        view: new AuditView({
          source,
          maxAgeMs: this.settings.maxAgeMs,
          syncTimeoutMs: this.settings.syncTimeoutMs,
          reconcileMs: this.settings.reconcileMs,
          concurrency: this.settings.concurrency,
          maxBytes: () => this.settings.memoryBytes,
          now: this.now,
          onSync: (outcome) => {
            this.logger.debug({ viewSync: { collection: 'auditEntries', ...outcome } }, 'view sync');
            this.settings.observer?.sync('auditEntries', outcome.kind, outcome.ok, outcome.ms / 1000);
          },
          onRead: this.settings.observer && ((hit) => this.settings.observer?.read('audit', hit)),
        }),
        org,
        key: org === undefined ? id.slice(4) : undefined,
        lastUsed: 0,
      };
      this.#views.set(id, entry);
    }
    entry.lastUsed = this.now();
    return entry;
  }

  #keySource(state: KeyState): AuditSource {
    return {
      list: (page, signal) => this.#list(state, page, signal),
      get: (id, signal) => this.#get(state, id, signal),
    };
  }

  /** Runs `call` with a confirmed key of `org`, newest confirmation first; a rejected key gives way to the next. */
  async #withOrgKey<T>(org: string, call: (key: KeyState) => Promise<T>): Promise<T> {
    for (;;) {
      const candidates = [...this.#keyStates.values()]
        .filter((s) => s.org === org && !s.neverShare)
        .sort((a, b) => b.confirmedAt - a.confirmedAt);
      const key = candidates[0];
      if (!key) throw errorForStatus('audit', 401);
      try {
        return await call(key);
      } catch (error) {
        if (!isGatewayError(error) || error.code !== 'UNAUTHENTICATED' || candidates.length === 1)
          throw error;
      }
    }
  }

  async #list(state: KeyState, page: Parameters<AuditSource['list']>[0], signal: AbortSignal) {
    const sentAt = this.now();
    const entries = await this.#call(state, signal, (upstream) => listAuditEntries(upstream, page));
    this.#observe(state, sentAt, entries);
    return entries;
  }

  #get(state: KeyState, id: string, signal: AbortSignal) {
    return this.#call(state, signal, (upstream) => getAuditEntry(upstream, id));
  }

  /** One cheap request: the newest entry the key sees, which names its organisation. */
  #confirm(state: KeyState): Promise<void> {
    state.confirming ??= (async () => {
      const sentAt = this.now();
      const signal = AbortSignal.timeout(this.settings.syncTimeoutMs);
      const page = { page: 1, itemsPerPage: 1, sort: 'creationtime', reverse: true } as const;
      const entries = await this.#call(state, signal, (upstream) => listAuditEntries(upstream, page));
      // A key that sees no entry is valid, but its organisation stays unknown: it keeps a view of its own.
      if (entries.length === 0) state.org = undefined;
      state.confirmedAt = sentAt;
      this.#lastConfirmMs = this.now() - sentAt;
      this.#observe(state, sentAt, entries);
    })().finally(() => {
      state.confirming = undefined;
    });
    return state.confirming;
  }

  /** Entries the upstream returned to `state`'s key confirm its organisation (or show §2.1 does not hold). */
  #observe(state: KeyState, sentAt: number, entries: readonly AuditEntry[]): void {
    if (entries.length === 0 || state.neverShare) return;
    const orgs = new Set(entries.map((e) => e.organization));
    const [org] = orgs;
    if (orgs.size > 1 || (state.org !== undefined && state.org !== org)) {
      state.neverShare = true;
      state.org = undefined;
      this.logger.warn(
        { auditView: { sharing: 'key' } },
        'an Audit key saw entries of more than one organisation; its requests will not share a view',
      );
      return;
    }
    const wasKnown = state.org !== undefined;
    state.org = org;
    state.confirmedAt = Math.max(state.confirmedAt, sentAt);
    if (wasKnown || this.settings.sharing !== 'organisation') return;
    // First confirmation: the key's own view already holds organisation `org` (§2.1). It becomes that
    // organisation's view when there is none yet; otherwise it is dropped, never merged.
    const own = this.#views.get(`key:${state.hash}`);
    if (!own) return;
    this.#views.delete(`key:${state.hash}`);
    const orgId = `org:${org}`;
    if (!this.#views.has(orgId)) {
      this.#views.set(orgId, { ...own, org, key: undefined });
      this.#tooLarge.delete(orgId);
    }
  }

  /** Runs one call with `state`'s key, charged to no operation; a 401 forgets the key and its views. */
  async #call<T>(
    state: KeyState,
    signal: AbortSignal,
    run: (upstream: ScopedUpstream) => Promise<T>,
  ): Promise<T> {
    const upstream = new ScopedUpstream(this.audit.http, {
      credential: state.credential,
      credentialHeader: this.audit.header,
      requestId: `audit-view-sync-${++this.#syncs}`,
      signal,
      budget: new RequestBudget(Number.MAX_SAFE_INTEGER),
      // Shared by the scope's operations: in none of their traces, in the sync's own (src/ops/tracing.ts).
      trace: { parent: syncTraceOf(signal) },
    });
    try {
      return await run(upstream);
    } catch (error) {
      if (isGatewayError(error) && error.code === 'UNAUTHENTICATED') this.#forget(state);
      throw error;
    }
  }

  #forget(state: KeyState): void {
    this.#keyStates.delete(state.hash);
    this.#defaults.delete(state.hash);
    this.#views.delete(`key:${state.hash}`);
    const org = state.org;
    state.org = undefined;
    if (org !== undefined && ![...this.#keyStates.values()].some((s) => s.org === org)) {
      this.#views.delete(`org:${org}`);
    }
    this.logger.debug({ auditView: { dropped: 'rejected' } }, 'audit key rejected; its views dropped');
  }
}
