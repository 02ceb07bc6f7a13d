/**
 * The live audit feed (issue 12 §5), behind `Subscription.auditEntryAdded`.
 *
 * - **One poller per Audit scope.** A scope is an organisation once the upstream confirmed that a key belongs to it,
 *   else the key alone (audit-scopes.ts, the rule of the shared views). Every subscriber of a scope is served by that
 *   scope's one poller, which reads the head of the log every `AUDIT_FEED_INTERVAL_MS`: through the scope's Audit
 *   view (an incremental sync, forced) when views are on and the view fits in memory, else by itself (the newest
 *   entries by `creationtime`, read back to the newest creation time it has seen minus `OVERLAP_MS`).
 * - **What is new** is decided by the upstream's own creation times: an entry newer than the poller's high-water mark
 *   (minus the overlap, for equal times and skew between upstream nodes) that it has not delivered yet.
 * - **Only what comes after the subscription.** A subscriber is added to its poller after a poll that started once it
 *   asked (the first read of a new poller, or an extra poll of a running one): what that poll found is older than the
 *   subscription and goes to the others only.
 * - **Credentials.** Each subscriber's Audit key (and PAM credential, when it has one) is confirmed by the upstream
 *   at least once every `VIEW_MAX_AGE_MS`; a 401 ends that subscriber's stream with UNAUTHENTICATED. Events wait in
 *   its queue while the last confirmation is older than that (an upstream that cannot confirm, say during an outage),
 *   so a revoked credential never receives what arrived meanwhile. A key that moves scope (its first entry showed its
 *   organisation) moves to that scope's poller, and stays on the old one until it has polled once more: nothing is
 *   lost, and the subscriber drops by id what both deliver.
 * - **Caps.** `MAX_SUBSCRIPTIONS_PER_CREDENTIAL` per Audit key (the service key's in fallback mode too) and per PAM
 *   credential the caller sent itself, `MAX_SUBSCRIPTIONS` in all.
 * - **Slow readers.** A subscriber still more than `MAX_QUEUED` events behind when a poll brings more is ended with
 *   FEED_OVERFLOW rather than buffered without bound; one burst larger than that is delivered whole.
 * - **Client gone.** The request's abort signal ends the stream, also while it is still being set up.
 *
 * Credentials are held only to confirm them; maps are keyed by their keyed hash, and nothing here logs them.
 */
import { GatewayError, isGatewayError } from '../errors.js';
import type { Logger } from '../logger.js';
import { AUDIT_MAX_PAGE_SIZE, type AuditEntry } from '../upstream/audit.js';
import { servers } from '../upstream/pam/index.js';
import { RequestBudget, ScopedUpstream } from '../upstream/scope.js';
import type { BoundUpstream } from '../upstream/setup.js';
import { errorForStatus } from '../upstream/status.js';
import type { AuditScopes } from '../views/audit-scopes.js';
import {
  type AuditSource,
  type AuditView,
  newerFirst,
  OVERLAP_MS,
  readBack,
  timeOf,
} from '../views/audit-view.js';
import type { ScopeKeys } from '../views/scope-key.js';

/** Events a subscriber may still have waiting when a poll brings more, before its stream ends with FEED_OVERFLOW. */
export const MAX_QUEUED = 1000;
/** Full pages (of 500) one poll reads back at most; more new entries than that in one interval are skipped. */
const MAX_POLL_PAGES = 10;
/** Most entries one poll takes from a view (as many as a poll of the log itself reads). */
const MAX_POLL_ENTRIES = AUDIT_MAX_PAGE_SIZE * MAX_POLL_PAGES;

export interface AuditFeedSettings {
  /** AUDIT_FEED_INTERVAL_MS. */
  intervalMs: number;
  /** VIEW_MAX_AGE_MS: no subscriber's credentials go longer without the upstream confirming them. */
  confirmMs: number;
  /** MAX_SUBSCRIPTIONS_PER_CREDENTIAL. */
  maxPerCredential: number;
  /** MAX_SUBSCRIPTIONS. */
  maxTotal: number;
  /** Deadline of one poll or confirmation. */
  syncTimeoutMs: number;
}

export interface AuditFeedDeps {
  /** Who shares which scope; with VIEWS=off, an instance of its own that builds no view. */
  scopes: AuditScopes;
  /** The view of a scope when views are on and it fits in memory; absent with VIEWS=off. */
  viewOf?: ((id: string) => AuditView | undefined) | undefined;
  pam: BoundUpstream;
  keys: ScopeKeys;
  logger: Logger;
  /** The clock of `scopes` (confirmation times are compared across both). */
  now?: () => number;
}

/** What a subscriber receives: a new entry, or the error that ends its stream. */
export type FeedEvent = { entry: AuditEntry } | { error: GatewayError };

export interface FeedSubscription {
  auditCredential: string;
  /** The PAM credential the events' PAM fields use (the caller's, or the service's in fallback mode). */
  pamCredential?: string | undefined;
  /** Whether the caller sent its PAM credential itself: only then does it count against the per-credential cap. */
  sentPam: boolean;
  /** The subscriber's filter; entries it refuses are not queued. */
  match: (entry: AuditEntry) => boolean;
  /** Fires when the client goes away. */
  signal: AbortSignal;
  /** Called once when the stream ends, whatever ended it. */
  onEnd?: () => void;
}

/** Oldest first: the views' order reversed. */
const newestLast = (a: AuditEntry, b: AuditEntry) => newerFirst(b, a);

class Subscriber implements AsyncIterableIterator<FeedEvent> {
  readonly #queue: FeedEvent[] = [];
  #waiter: ((result: IteratorResult<FeedEvent>) => void) | undefined;
  /** No further event is accepted (an error is queued last, or the stream was closed). */
  #ending = false;
  #ended = false;
  /** Ids queued or delivered lately (creation time within the overlap of the newest): two pollers may send both. */
  readonly #recent = new Map<string, number>();
  #newest = Number.NEGATIVE_INFINITY;
  /** Until when (feed clock) the upstream's last confirmation of its credentials lets events through. */
  #confirmedUntil = Number.NEGATIVE_INFINITY;
  /** The scope whose poller serves it. */
  scope = '';
  /** Every poller it is in: one, or two while it moves scope. */
  readonly pollers = new Set<Poller>();
  /** While it moves scope: the new scope's poller, whose entries wait until the old poller has polled once more. */
  #holdingFor: Poller | undefined;
  #held: AuditEntry[] = [];
  /** A move is under way: no other starts meanwhile. */
  moving = false;
  /** Its PAM credential's confirmation state, shared by that credential's streams. */
  pam: PamState | undefined;
  recheck: ReturnType<typeof setInterval> | undefined;

  constructor(
    readonly input: FeedSubscription,
    readonly slots: readonly string[],
    private readonly now: () => number,
    private readonly release: (subscriber: Subscriber) => void,
  ) {}

  get ended(): boolean {
    return this.#ended;
  }

  /** One poll's new entries, oldest first, from `from`. */
  offer(entries: readonly AuditEntry[], from: Poller): void {
    if (this.#ending) return;
    if (from === this.#holdingFor) {
      this.#held.push(...entries);
      return;
    }
    if (this.#queue.length > MAX_QUEUED) {
      const held = this.now() >= this.#confirmedUntil;
      this.fail(
        held
          ? new GatewayError(
              'UPSTREAM_UNAVAILABLE',
              `More than ${MAX_QUEUED} events waited while the upstream could not confirm this subscriber’s ` +
                'credentials, so its stream ended. Subscribe again, and read what was missed with ' +
                '`auditEntries(filter: { createdAfter: … })`.',
            )
          : new GatewayError(
              'FEED_OVERFLOW',
              `This subscriber fell more than ${MAX_QUEUED} events behind, so its stream ended. Subscribe again, and ` +
                'read what was missed with `auditEntries(filter: { createdAfter: … })`.',
            ),
      );
      return;
    }
    this.#accept(entries);
  }

  /** Its move to `poller`'s scope starts: what that poller finds waits for `endMove`. */
  startMove(poller: Poller): void {
    this.#holdingFor = poller;
  }

  /** The old poller has polled for the last time: what the new one found follows, in creation order. */
  endMove(): void {
    const held = this.#held.sort(newestLast);
    this.#holdingFor = undefined;
    this.#held = [];
    if (!this.#ending) this.#accept(held);
  }

  #accept(entries: readonly AuditEntry[]): void {
    for (const entry of entries) {
      if (this.#recent.has(entry.id) || !this.input.match(entry)) continue;
      const created = timeOf(entry.createdAt);
      this.#recent.set(entry.id, created);
      this.#newest = Math.max(this.#newest, created);
      this.#queue.push({ entry });
    }
    for (const [id, created] of this.#recent)
      if (created < this.#newest - OVERLAP_MS) this.#recent.delete(id);
    this.#flush();
  }

  /** The upstream confirmed its credentials (the older confirmation of the two was sent at `at`). */
  confirmed(at: number, validMs: number): void {
    this.#confirmedUntil = at + validMs;
    this.#flush();
  }

  /** Ends the stream with `error` (what was still waiting is dropped: it may not be the caller's any more). */
  fail(error: GatewayError): void {
    if (this.#ending) return;
    this.#queue.length = 0;
    this.#queue.push({ error });
    this.#ending = true;
    this.#end();
    this.#flush();
  }

  /** Ends the stream without an error (the client went away, or the gateway shuts down). */
  close(): void {
    this.#queue.length = 0;
    this.#ending = true;
    this.#end();
    this.#flush();
  }

  /** The next event when it may go out: an error at once, an entry only while the credentials are confirmed. */
  #take(): IteratorResult<FeedEvent> | undefined {
    const event = this.#queue[0];
    if (event && ('error' in event || this.now() < this.#confirmedUntil)) {
      this.#queue.shift();
      return { value: event, done: false };
    }
    if (this.#ending && this.#queue.length === 0) return { value: undefined, done: true };
    return undefined;
  }

  #flush(): void {
    if (!this.#waiter) return;
    const result = this.#take();
    if (!result) return;
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter(result);
  }

  #end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.release(this);
    this.input.onEnd?.();
  }

  next(): Promise<IteratorResult<FeedEvent>> {
    const result = this.#take();
    if (result) return Promise.resolve(result);
    return new Promise((resolve) => {
      this.#waiter = resolve;
    });
  }

  /** The client went away (or the server closes the stream). */
  return(): Promise<IteratorResult<FeedEvent>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<FeedEvent> {
    return this;
  }
}

/** One scope's poller: the only reader of that scope's head of the log, for all its subscribers. */
class Poller {
  readonly subscribers = new Set<Subscriber>();
  /** Newest creation time delivered (or seen at the start), in upstream ms. */
  #highWater = Number.NEGATIVE_INFINITY;
  /** Ids delivered (or seen at the start) with a creation time within the overlap of the high-water mark. */
  readonly #delivered = new Map<string, number>();
  #timer: ReturnType<typeof setInterval> | undefined;
  /** The poll in flight, and the one asked for meanwhile (it starts when that one ends). */
  #current: Promise<void> | undefined;
  #queued: Promise<void> | undefined;
  #failing = false;
  /** A first read succeeded: until then, every poll is one (it learns where the log stands, announcing nothing). */
  #started = false;
  /** The first poll: where the log stands when the poller starts (nothing is announced). */
  readonly ready: Promise<void>;

  constructor(
    readonly id: string,
    private readonly feed: AuditFeed,
  ) {
    this.ready = this.#run();
  }

  start(intervalMs: number): void {
    this.#timer ??= setInterval(() => {
      if (!this.#current) this.#run().catch(() => {});
    }, intervalMs);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** A poll that starts now, or right after the one in flight; shared by every caller meanwhile. */
  fresh(): Promise<void> {
    const current = this.#current;
    if (!current) return this.#run();
    this.#queued ??= current
      .catch(() => {})
      .then(() => {
        this.#queued = undefined;
        return this.#current ?? this.#run();
      });
    return this.#queued;
  }

  #run(): Promise<void> {
    const first = !this.#started;
    const run = this.#poll(first).then(
      () => {
        this.#started = true;
        if (this.#failing)
          this.feed.logger.info({ auditFeed: { polling: 'recovered' } }, 'audit feed polls again');
        this.#failing = false;
      },
      (error: unknown) => {
        if (!first) this.#failed(error);
        throw error;
      },
    );
    const current = run.finally(() => {
      if (this.#current === current) this.#current = undefined;
    });
    this.#current = current;
    return current;
  }

  #failed(error: unknown): void {
    if (!this.#failing) {
      this.feed.logger.warn(
        { auditFeed: { polling: 'failing', code: isGatewayError(error) ? error.code : 'INTERNAL' } },
        'audit feed poll failed; retrying every interval',
      );
    }
    this.#failing = true;
    // Every key of the scope may have been revoked: each subscriber confirms its own at once.
    if (isGatewayError(error) && error.code === 'UNAUTHENTICATED')
      for (const subscriber of this.subscribers) void this.feed.recheck(subscriber, 0);
  }

  async #poll(first: boolean): Promise<void> {
    const entries = await this.#head(first);
    const fresh: AuditEntry[] = [];
    const since = this.#highWater - OVERLAP_MS;
    let newest = this.#highWater;
    for (const entry of entries) {
      const created = timeOf(entry.createdAt);
      if (created < since || this.#delivered.has(entry.id)) continue;
      this.#delivered.set(entry.id, created);
      newest = Math.max(newest, created);
      if (!first) fresh.push(entry);
    }
    this.#highWater = newest;
    for (const [id, created] of this.#delivered)
      if (created < newest - OVERLAP_MS) this.#delivered.delete(id);
    if (fresh.length === 0) return;
    fresh.sort(newestLast);
    for (const subscriber of this.subscribers) subscriber.offer(fresh, this);
  }

  /** The entries at the head of the log, newest first as far as the overlap before the high-water mark. */
  async #head(first: boolean): Promise<readonly AuditEntry[]> {
    const { scopes, viewOf } = this.feed.deps;
    const view = viewOf?.(this.id);
    if (view) {
      const data = await scopes.read(view, (v) => v.refresh());
      if (data) {
        const since = (first ? data.newestCreated : this.#highWater) - OVERLAP_MS;
        const end = data.entries.findIndex((e) => timeOf(e.createdAt) < since);
        const head = end < 0 ? data.entries : data.entries.slice(0, end);
        if (head.length <= MAX_POLL_ENTRIES) return head;
        this.#skipped(head.length);
        return head.slice(0, MAX_POLL_ENTRIES);
      }
    }
    const source = scopes.sourceOf(this.id);
    if (!source) throw errorForStatus('audit', 401);
    return this.#readHead(source, first);
  }

  async #readHead(source: AuditSource, first: boolean): Promise<AuditEntry[]> {
    const signal = AbortSignal.timeout(this.feed.settings.syncTimeoutMs);
    const options = { maxPages: MAX_POLL_PAGES };
    if (!first) {
      const read = await readBack(source, 'creationtime', this.#highWater - OVERLAP_MS, signal, options);
      const oldest = read.at(-1);
      if (
        read.length >= MAX_POLL_ENTRIES &&
        oldest &&
        timeOf(oldest.createdAt) >= this.#highWater - OVERLAP_MS
      )
        this.#skipped(read.length);
      return read;
    }
    // Where the log stands: its newest entry, and every entry within the overlap before it.
    const head = await readBack(source, 'creationtime', Number.POSITIVE_INFINITY, signal);
    const newest = head.reduce((m, e) => Math.max(m, timeOf(e.createdAt)), Number.NEGATIVE_INFINITY);
    const last = head.at(-1);
    if (!last || timeOf(last.createdAt) < newest - OVERLAP_MS) return head;
    return readBack(source, 'creationtime', newest - OVERLAP_MS, signal, options);
  }

  #skipped(read: number): void {
    this.feed.logger.warn(
      { auditFeed: { skipped: 'burst', read } },
      'more new audit entries in one interval than a poll takes; the oldest of them were not announced',
    );
  }
}

/** When a PAM credential was last confirmed, the confirmation under way, and how many streams use it. */
interface PamState {
  at: number;
  users: number;
  running?: Promise<number> | undefined;
}

/** Why a stream being set up ends before it started (its client never reads it; no error is logged). */
const setUpEnded = (closed: boolean) =>
  new GatewayError('INTERNAL', closed ? 'The gateway is shutting down.' : 'The client went away.');

export class AuditFeed {
  readonly #pollers = new Map<string, Poller>();
  /** `audit:<hash>` / `pam:<hash>` → live streams of that credential. */
  readonly #perCredential = new Map<string, number>();
  /** PAM credentials (by hash) in use by streams. */
  readonly #pamStates = new Map<string, PamState>();
  #total = 0;
  #confirms = 0;
  #closed = false;
  readonly logger: Logger;
  readonly #now: () => number;

  constructor(
    readonly deps: AuditFeedDeps,
    readonly settings: AuditFeedSettings,
  ) {
    this.logger = deps.logger;
    this.#now = deps.now ?? (() => performance.now());
  }

  /** Live streams. */
  get size(): number {
    return this.#total;
  }

  /** Scopes polled now. */
  get pollers(): number {
    return this.#pollers.size;
  }

  /**
   * A new stream: refused with TOO_MANY_SUBSCRIPTIONS over a cap, with UNAUTHENTICATED when the upstream rejects a
   * credential. Entries the upstream records after it was asked for are delivered; the ones before never are.
   */
  async subscribe(input: FeedSubscription): Promise<AsyncIterableIterator<FeedEvent>> {
    if (this.#closed || input.signal.aborted) throw setUpEnded(this.#closed);
    const { keys } = this.deps;
    // The Audit key scopes the stream: every stream counts against it, the service key's in fallback mode too. A PAM
    // token counts only when the caller sent it (in fallback mode, the service token is nobody's to use up).
    const slots = [`audit:${keys.of('audit', input.auditCredential)}`];
    const pamHash = input.pamCredential === undefined ? undefined : keys.of('pam', input.pamCredential);
    if (input.sentPam && pamHash !== undefined) slots.push(`pam:${pamHash}`);
    this.#reserve(slots);
    const onAbort = () => subscriber.close();
    const subscriber = new Subscriber(input, slots, this.#now, (s) => {
      input.signal.removeEventListener('abort', onAbort);
      this.#release(s, pamHash);
    });
    if (pamHash !== undefined) {
      let state = this.#pamStates.get(pamHash);
      if (!state) {
        state = { at: Number.NEGATIVE_INFINITY, users: 0 };
        this.#pamStates.set(pamHash, state);
      }
      state.users++;
      subscriber.pam = state;
    }
    input.signal.addEventListener('abort', onAbort, { once: true });
    const half = this.settings.confirmMs / 2;
    try {
      this.deps.scopes.dropIdle(this.#now());
      subscriber.scope = await this.#confirm(subscriber, half);
      await this.#join(subscriber, subscriber.scope);
      if (subscriber.ended) throw setUpEnded(this.#closed);
    } catch (error) {
      subscriber.close();
      throw error;
    }
    // Checked four times per max age, each check asking the upstream only when the last answer is older than half
    // of it: no credential goes unconfirmed longer than the max age, and events wait for a check only when
    // confirming takes longer than a quarter of it.
    subscriber.recheck = setInterval(() => void this.recheck(subscriber, half), half / 2);
    return subscriber;
  }

  /** Confirms a subscriber's credentials (when their last confirmation is older than `maxStaleMs`). */
  async recheck(subscriber: Subscriber, maxStaleMs: number): Promise<void> {
    try {
      const scope = await this.#confirm(subscriber, maxStaleMs);
      if (scope !== subscriber.scope && !subscriber.moving && !subscriber.ended)
        await this.#move(subscriber, scope);
    } catch (error) {
      if (isGatewayError(error) && error.code === 'UNAUTHENTICATED') subscriber.fail(error);
      // Anything else (an upstream down) leaves the stream open; its events wait for the next confirmation.
    }
  }

  /** Ends every stream and stops every poller (the gateway shuts down). */
  close(): void {
    this.#closed = true;
    for (const poller of [...this.#pollers.values()])
      for (const subscriber of [...poller.subscribers]) subscriber.close();
    for (const poller of this.#pollers.values()) poller.stop();
    this.#pollers.clear();
  }

  /** Asks the upstreams about the subscriber's credentials (both at once); lets its events through; its scope. */
  async #confirm(subscriber: Subscriber, maxStaleMs: number): Promise<string> {
    const { auditCredential, pamCredential } = subscriber.input;
    const [{ scope, confirmedAt }, pamAt] = await Promise.all([
      this.deps.scopes.scopeOf(auditCredential, maxStaleMs),
      pamCredential === undefined || !subscriber.pam
        ? Number.POSITIVE_INFINITY
        : this.#confirmPam(subscriber.pam, pamCredential, maxStaleMs),
    ]);
    subscriber.confirmed(Math.min(confirmedAt, pamAt), this.settings.confirmMs);
    return scope;
  }

  /**
   * Adds `subscriber` to the poller of `scope` after a poll that started now: the first read of a new poller, or
   * an extra poll of a running one (whose finds are older than the subscriber, and go to the others only).
   */
  async #join(subscriber: Subscriber, scope: string, hold = false): Promise<Poller | undefined> {
    for (;;) {
      if (this.#closed) throw setUpEnded(true);
      if (subscriber.ended) return undefined;
      let poller = this.#pollers.get(scope);
      let started: Promise<void>;
      if (poller) started = poller.fresh();
      else {
        const created = new Poller(scope, this);
        poller = created;
        started = created.ready;
        this.#pollers.set(scope, created);
        created.ready.catch(() => this.#dropIfUnused(created));
      }
      await started;
      // While it polled, its other subscribers may all have left: it stopped, and a new one takes its place.
      if (this.#pollers.get(scope) !== poller) continue;
      if (subscriber.ended) {
        this.#dropIfUnused(poller);
        return undefined;
      }
      if (hold) subscriber.startMove(poller);
      poller.subscribers.add(subscriber);
      subscriber.pollers.add(poller);
      poller.start(this.settings.intervalMs);
      return poller;
    }
  }

  /**
   * The subscriber's key now belongs to scope `to`. Moving from a key's own scope to its organisation's, it stays on
   * the old poller until that has polled once more (what was recorded before the new poller's first read reaches it
   * that way), and what the new poller finds meanwhile follows in creation order. Moving away from an organisation
   * (the key showed it does not keep to one), it leaves that organisation's poller at once.
   */
  async #move(subscriber: Subscriber, to: string): Promise<void> {
    subscriber.moving = true;
    const from = subscriber.scope;
    const old = [...subscriber.pollers].find((p) => p.id === from);
    try {
      if (old && from.startsWith('org:')) this.#leave(subscriber, old);
      const stays = old !== undefined && subscriber.pollers.has(old);
      const joined = await this.#join(subscriber, to, stays);
      if (!joined) return;
      subscriber.scope = to;
      if (old && stays) {
        await old.fresh().catch(() => {});
        this.#leave(subscriber, old);
      }
    } finally {
      subscriber.endMove();
      subscriber.moving = false;
    }
  }

  #leave(subscriber: Subscriber, poller: Poller): void {
    subscriber.pollers.delete(poller);
    poller.subscribers.delete(subscriber);
    this.#dropIfUnused(poller);
  }

  /** A poller nobody subscribes to any more stops and leaves the map. */
  #dropIfUnused(poller: Poller): void {
    if (poller.subscribers.size > 0) return;
    poller.stop();
    if (this.#pollers.get(poller.id) === poller) this.#pollers.delete(poller.id);
  }

  #reserve(slots: readonly string[]): void {
    if (this.#total >= this.settings.maxTotal) {
      throw new GatewayError(
        'TOO_MANY_SUBSCRIPTIONS',
        `The gateway already serves ${this.settings.maxTotal} live subscriptions (MAX_SUBSCRIPTIONS); try again later.`,
      );
    }
    for (const slot of slots) {
      if ((this.#perCredential.get(slot) ?? 0) >= this.settings.maxPerCredential) {
        const which = slot.startsWith('audit:') ? 'Audit API key' : 'PAM token';
        throw new GatewayError(
          'TOO_MANY_SUBSCRIPTIONS',
          `This ${which} already has ${this.settings.maxPerCredential} live subscriptions ` +
            '(MAX_SUBSCRIPTIONS_PER_CREDENTIAL); end one before starting another.',
        );
      }
    }
    this.#total++;
    for (const slot of slots) this.#perCredential.set(slot, (this.#perCredential.get(slot) ?? 0) + 1);
  }

  #release(subscriber: Subscriber, pamHash: string | undefined): void {
    clearInterval(subscriber.recheck);
    subscriber.recheck = undefined;
    for (const poller of [...subscriber.pollers]) this.#leave(subscriber, poller);
    this.#total--;
    for (const slot of subscriber.slots) {
      const left = (this.#perCredential.get(slot) ?? 1) - 1;
      if (left > 0) this.#perCredential.set(slot, left);
      else this.#perCredential.delete(slot);
    }
    const pam = subscriber.pam;
    if (pam && --pam.users <= 0 && pamHash !== undefined && this.#pamStates.get(pamHash) === pam)
      this.#pamStates.delete(pamHash);
  }

  /**
   * Asks the PAM API for one server with `credential` when its last confirmation is older than `maxStaleMs`; when
   * the confirming request was sent. One request at a time per credential, shared by its streams. Only a 401 rejects
   * it: a 403 is a valid credential whose role may not read (its PAM fields will say FORBIDDEN).
   */
  #confirmPam(state: PamState, credential: string, maxStaleMs: number): Promise<number> {
    if (this.#now() - state.at < maxStaleMs) return Promise.resolve(state.at);
    state.running ??= (async () => {
      const sentAt = this.#now();
      const { pam } = this.deps;
      const upstream = new ScopedUpstream(pam.http, {
        credential,
        credentialHeader: pam.header,
        requestId: `audit-feed-confirm-${++this.#confirms}`,
        signal: AbortSignal.timeout(this.settings.syncTimeoutMs),
        budget: new RequestBudget(1),
      });
      // Shared by the credential's streams: no operation's trace (it has none of its own).
      const response = await upstream.send({
        method: 'GET',
        path: servers.path,
        query: { page: 1, page_size: 1 },
      });
      if (response.status !== 200 && response.status !== 403) throw errorForStatus('pam', response.status);
      state.at = sentAt;
      return sentAt;
    })().finally(() => {
      state.running = undefined;
    });
    return state.running;
  }
}
