/**
 * The live audit feed (issue 12 §5), behind `Subscription.auditEntryAdded`.
 *
 * - **One poller per Audit scope.** A scope is an organisation once the upstream confirmed that a key belongs to it,
 *   else the key alone (audit-scopes.ts, the rule of the shared views). Every subscriber of a scope is served by that
 *   scope's one poller, which reads the head of the log every `AUDIT_FEED_INTERVAL_MS`: through the scope's Audit
 *   view (an incremental sync, forced) when views are on and the view fits in memory, else by itself (the newest
 *   entries by `creationtime`, read back to the newest creation time it has seen minus `OVERLAP_MS`).
 * - **What is new** is decided by the upstream's own creation times: an entry newer than the poller's high-water mark
 *   (minus the overlap, for equal times and skew between upstream nodes) that it has not delivered yet. What existed
 *   when the poller started is never announced.
 * - **Credentials.** Each subscriber's Audit key (and PAM credential, when it gave one) is confirmed by the upstream
 *   at least once every `VIEW_MAX_AGE_MS`; a 401 ends that subscriber's stream with UNAUTHENTICATED. A key that moves
 *   scope (its first entry showed its organisation) moves to that scope's poller.
 * - **Caps.** `MAX_SUBSCRIPTIONS_PER_CREDENTIAL` per Audit key and per PAM credential, `MAX_SUBSCRIPTIONS` in all.
 * - **Slow readers.** A subscriber more than `MAX_QUEUED` events behind is ended with FEED_OVERFLOW rather than
 *   buffered without bound.
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
import { type AuditSource, type AuditView, OVERLAP_MS, readBack, timeOf } from '../views/audit-view.js';
import type { ScopeKeys } from '../views/scope-key.js';

/** Events a subscriber may fall behind before its stream ends with FEED_OVERFLOW. */
export const MAX_QUEUED = 1000;
/** Full pages (of 500) one poll reads back at most; more new entries than that in one interval are skipped. */
const MAX_POLL_PAGES = 10;

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
  now?: () => number;
}

/** What a subscriber receives: a new entry, or the error that ends its stream. */
export type FeedEvent = { entry: AuditEntry } | { error: GatewayError };

export interface FeedSubscription {
  auditCredential: string;
  pamCredential?: string | undefined;
  /** The subscriber's filter; entries it refuses are not queued. */
  match: (entry: AuditEntry) => boolean;
  /** Called once when the stream ends, whatever ended it. */
  onEnd?: () => void;
}

const newestLast = (a: AuditEntry, b: AuditEntry) =>
  a.createdAt === b.createdAt ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.createdAt < b.createdAt ? -1 : 1;

class Subscriber implements AsyncIterableIterator<FeedEvent> {
  readonly #queue: FeedEvent[] = [];
  #waiter: ((result: IteratorResult<FeedEvent>) => void) | undefined;
  /** No further event is accepted (an error is queued last, or the stream was closed). */
  #ending = false;
  #ended = false;
  scope = '';
  recheck: ReturnType<typeof setInterval> | undefined;

  constructor(
    readonly input: FeedSubscription,
    readonly slots: readonly string[],
    private readonly release: (subscriber: Subscriber) => void,
  ) {}

  offer(entry: AuditEntry): void {
    if (this.#ending || !this.input.match(entry)) return;
    if (this.#queue.length >= MAX_QUEUED) {
      this.#queue.length = 0;
      this.fail(
        new GatewayError(
          'FEED_OVERFLOW',
          `This subscriber fell more than ${MAX_QUEUED} events behind, so its stream ended. Subscribe again, and ` +
            'read what was missed with `auditEntries(filter: { createdAfter: … })`.',
        ),
      );
      return;
    }
    this.#push({ entry });
  }

  /** Ends the stream with `error`, delivered after the events already queued. */
  fail(error: GatewayError): void {
    if (this.#ending) return;
    this.#push({ error });
    this.#ending = true;
    this.#end();
  }

  /** Ends the stream without an error (the gateway shuts down). */
  close(): void {
    this.#ending = true;
    this.#end();
    this.#settle();
  }

  #push(event: FeedEvent): void {
    const waiter = this.#waiter;
    if (waiter) {
      this.#waiter = undefined;
      waiter({ value: event, done: false });
    } else this.#queue.push(event);
  }

  #settle(): void {
    if (this.#queue.length > 0) return;
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.({ value: undefined, done: true });
  }

  #end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.release(this);
    this.input.onEnd?.();
  }

  next(): Promise<IteratorResult<FeedEvent>> {
    const event = this.#queue.shift();
    if (event) return Promise.resolve({ value: event, done: false });
    if (this.#ending) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.#waiter = resolve;
    });
  }

  /** The client went away (or the server closes the stream). */
  return(): Promise<IteratorResult<FeedEvent>> {
    this.#queue.length = 0;
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
  #polling = false;
  #failing = false;
  readonly ready: Promise<void>;

  constructor(
    readonly id: string,
    private readonly feed: AuditFeed,
  ) {
    this.ready = this.#poll(true);
  }

  start(intervalMs: number): void {
    this.#timer ??= setInterval(() => void this.tick(), intervalMs);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async tick(): Promise<void> {
    if (this.#polling) return;
    try {
      await this.#poll(false);
      if (this.#failing)
        this.feed.logger.info({ auditFeed: { polling: 'recovered' } }, 'audit feed polls again');
      this.#failing = false;
    } catch (error) {
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
  }

  /** Reads the head of the log; the first time only to learn where it stands (nothing is announced). */
  async #poll(first: boolean): Promise<void> {
    this.#polling = true;
    try {
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
      fresh.sort(newestLast);
      for (const entry of fresh) for (const subscriber of this.subscribers) subscriber.offer(entry);
    } finally {
      this.#polling = false;
    }
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
        return end < 0 ? data.entries : data.entries.slice(0, end);
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
      const full = read.length >= AUDIT_MAX_PAGE_SIZE * MAX_POLL_PAGES;
      if (full && oldest && timeOf(oldest.createdAt) >= this.#highWater - OVERLAP_MS) {
        this.feed.logger.warn(
          { auditFeed: { skipped: 'burst', read: read.length } },
          'more new audit entries in one interval than a poll reads; the oldest of them were not announced',
        );
      }
      return read;
    }
    // Where the log stands: its newest entry, and every entry within the overlap before it.
    const head = await readBack(source, 'creationtime', Number.POSITIVE_INFINITY, signal);
    const newest = head.reduce((m, e) => Math.max(m, timeOf(e.createdAt)), Number.NEGATIVE_INFINITY);
    const last = head.at(-1);
    if (!last || timeOf(last.createdAt) < newest - OVERLAP_MS) return head;
    return readBack(source, 'creationtime', newest - OVERLAP_MS, signal, options);
  }
}

export class AuditFeed {
  readonly #pollers = new Map<string, Poller>();
  /** `audit:<hash>` / `pam:<hash>` → live streams of that credential. */
  readonly #perCredential = new Map<string, number>();
  /** When each PAM credential (by hash) was last confirmed, and the confirmation under way. */
  readonly #pamConfirmed = new Map<string, { at: number; running?: Promise<void> | undefined }>();
  #total = 0;
  #confirms = 0;
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
   * credential. Entries created after it returns are delivered; the ones before never are.
   */
  async subscribe(input: FeedSubscription): Promise<AsyncIterableIterator<FeedEvent>> {
    const { keys } = this.deps;
    const slots = [`audit:${keys.of('audit', input.auditCredential)}`];
    if (input.pamCredential !== undefined) slots.push(`pam:${keys.of('pam', input.pamCredential)}`);
    this.#reserve(slots);
    const subscriber = new Subscriber(input, slots, (s) => this.#release(s));
    const half = this.settings.confirmMs / 2;
    try {
      this.deps.scopes.dropIdle(this.#now());
      const scope = await this.deps.scopes.scopeOf(input.auditCredential, half);
      if (input.pamCredential !== undefined) await this.#confirmPam(input.pamCredential, half);
      await this.#join(subscriber, scope);
      subscriber.scope = scope;
    } catch (error) {
      this.#unreserve(slots);
      throw error;
    }
    // Checked twice as often as the max age, each check asking the upstream only when the last answer is older
    // than half of it: no credential goes unconfirmed longer than the max age.
    subscriber.recheck = setInterval(() => void this.recheck(subscriber, half), half);
    return subscriber;
  }

  /** Confirms a subscriber's credentials (when their last confirmation is older than `maxStaleMs`). */
  async recheck(subscriber: Subscriber, maxStaleMs: number): Promise<void> {
    const { auditCredential, pamCredential } = subscriber.input;
    try {
      const scope = await this.deps.scopes.scopeOf(auditCredential, maxStaleMs);
      if (pamCredential !== undefined) await this.#confirmPam(pamCredential, maxStaleMs);
      if (scope !== subscriber.scope && subscriber.recheck !== undefined) {
        // Joined first: should the new scope's first read fail, the subscriber stays where it was until the next check.
        await this.#join(subscriber, scope);
        if (subscriber.recheck === undefined) {
          this.#leave(subscriber, scope); // it ended meanwhile
          return;
        }
        this.#leave(subscriber, subscriber.scope);
        subscriber.scope = scope;
      }
    } catch (error) {
      if (isGatewayError(error) && error.code === 'UNAUTHENTICATED') subscriber.fail(error);
      // Anything else (an upstream down) leaves the stream open; the next check asks again.
    }
  }

  /** Ends every stream and stops every poller (the gateway shuts down). */
  close(): void {
    for (const poller of this.#pollers.values())
      for (const subscriber of poller.subscribers) subscriber.close();
    for (const poller of this.#pollers.values()) poller.stop();
    this.#pollers.clear();
  }

  /** Adds `subscriber` to the poller of `scope`, started (and its first read done) if it is new. */
  async #join(subscriber: Subscriber, scope: string): Promise<void> {
    for (;;) {
      let poller = this.#pollers.get(scope);
      if (!poller) {
        const created = new Poller(scope, this);
        poller = created;
        this.#pollers.set(scope, created);
        created.ready.catch(() => {
          if (this.#pollers.get(created.id) === created && created.subscribers.size === 0)
            this.#pollers.delete(created.id);
        });
      }
      await poller.ready;
      // While it started, its other subscribers may all have left: it stopped, and a new one takes its place.
      if (this.#pollers.get(scope) !== poller) continue;
      poller.subscribers.add(subscriber);
      poller.start(this.settings.intervalMs);
      return;
    }
  }

  #leave(subscriber: Subscriber, scope: string): void {
    const poller = this.#pollers.get(scope);
    if (!poller) return;
    poller.subscribers.delete(subscriber);
    if (poller.subscribers.size > 0) return;
    poller.stop();
    this.#pollers.delete(poller.id);
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

  #unreserve(slots: readonly string[]): void {
    this.#total--;
    for (const slot of slots) {
      const left = (this.#perCredential.get(slot) ?? 1) - 1;
      if (left > 0) this.#perCredential.set(slot, left);
      else {
        this.#perCredential.delete(slot);
        if (slot.startsWith('pam:')) this.#pamConfirmed.delete(slot.slice(4));
      }
    }
  }

  #release(subscriber: Subscriber): void {
    clearInterval(subscriber.recheck);
    subscriber.recheck = undefined;
    this.#leave(subscriber, subscriber.scope);
    this.#unreserve(subscriber.slots);
  }

  /**
   * Asks the PAM API for one server with `credential` when its last confirmation is older than `maxStaleMs`. Only
   * a 401 rejects it: a 403 is a valid credential whose role may not read (its PAM fields will say FORBIDDEN).
   */
  #confirmPam(credential: string, maxStaleMs: number): Promise<void> {
    const hash = this.deps.keys.of('pam', credential);
    let state = this.#pamConfirmed.get(hash);
    if (!state) {
      state = { at: Number.NEGATIVE_INFINITY };
      this.#pamConfirmed.set(hash, state);
    }
    const current = state;
    if (this.#now() - current.at < maxStaleMs) return Promise.resolve();
    current.running ??= (async () => {
      const sentAt = this.#now();
      const { pam } = this.deps;
      const upstream = new ScopedUpstream(pam.http, {
        credential,
        credentialHeader: pam.header,
        requestId: `audit-feed-confirm-${++this.#confirms}`,
        signal: AbortSignal.timeout(this.settings.syncTimeoutMs),
        budget: new RequestBudget(1),
      });
      const response = await upstream.send({
        method: 'GET',
        path: servers.path,
        query: { page: 1, page_size: 1 },
      });
      if (response.status !== 200 && response.status !== 403) throw errorForStatus('pam', response.status);
      current.at = sentAt;
    })().finally(() => {
      current.running = undefined;
    });
    return current.running;
  }
}
