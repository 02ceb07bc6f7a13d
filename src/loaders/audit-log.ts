/**
 * The audit trails of an account or a server, which the Audit API cannot filter. With a shared Audit view they
 * come from its indexes, complete. Otherwise (VIEWS=off, no-cache, a view too large for VIEW_MEMORY_MB) the log
 * is scanned newest first: pages are fetched once per request and shared by every parent that asks; pages go
 * out `concurrency` at a time, and a scan stops as soon as every caller has what it asked for, at the end
 * of the log, or at the configured limit (then it reports itself truncated).
 */

import { accountMatchesEntry, serverMatchesEntry } from '../match/index.js';
import type { MatchAccount, MatchServer } from '../match/types.js';
import type { AuditEntry } from '../upstream/audit.js';
import { AUDIT_MAX_PAGE_SIZE, listAuditEntries } from '../upstream/audit.js';
import type { ScopedUpstream } from '../upstream/scope.js';
import { type AuditData, accountTrail, serverTrail } from '../views/audit-view.js';
import { shared } from './memo.js';

/** The caller's shared Audit view, fresh; undefined when it does not fit (then the log is scanned). */
export type AuditViewData = () => Promise<AuditData | undefined>;

export interface AuditScanOptions {
  /** Pages requested at once (default 8). */
  concurrency: number;
  /** Most entries a scan reads before it stops and reports itself truncated. */
  maxEntries: number;
}

export interface ScanResult {
  /** Matching entries, newest first, at most `need`. */
  entries: AuditEntry[];
  /** True when the limit stopped the scan before the end of the log and before `need` was reached. */
  truncated: boolean;
  /** True when the entries come from the view, in its order (creation time descending, ties by id descending). */
  fromView?: boolean;
}

const always = () => true;

export class AuditLog {
  readonly #pages = new Map<number, Promise<AuditEntry[]>>();

  constructor(
    private readonly audit: ScopedUpstream,
    private readonly options: AuditScanOptions,
    private readonly view?: AuditViewData,
  ) {}

  /** The account's entries (§3) that also meet `also`, newest first: `account` must be on `server`. */
  forAccount(
    account: MatchAccount,
    server: MatchServer,
    need: number,
    also: (entry: AuditEntry) => boolean = always,
  ): Promise<ScanResult> {
    return this.#trail(
      (data, n) => accountTrail(data, account, server, n),
      (e) => accountMatchesEntry(account, server, e),
      need,
      also,
    );
  }

  /** The server's entries (§3) that also meet `also`, newest first. */
  forServer(
    server: MatchServer,
    need: number,
    also: (entry: AuditEntry) => boolean = always,
  ): Promise<ScanResult> {
    return this.#trail(
      (data, n) => serverTrail(data, server, n),
      (e) => serverMatchesEntry(server, e),
      need,
      also,
    );
  }

  /** A trail from the view's indexes (`fromView`) or, without a view, from a scan with `matches`. */
  async #trail(
    fromView: (data: AuditData, need: number) => { entries: AuditEntry[]; truncated: boolean },
    matches: (entry: AuditEntry) => boolean,
    need: number,
    also: (entry: AuditEntry) => boolean,
  ): Promise<ScanResult> {
    const data = await this.view?.();
    if (!data) return this.collect((e) => matches(e) && also(e), need);
    if (also === always) return { ...fromView(data, need), fromView: true };
    const all = fromView(data, Number.POSITIVE_INFINITY).entries;
    return { entries: all.filter(also).slice(0, need), truncated: false, fromView: true };
  }

  /** The view's snapshot (newest first), or undefined when there is no view. */
  async snapshot(): Promise<readonly AuditEntry[] | undefined> {
    return (await this.view?.())?.entries;
  }

  /** Every entry of the caller's organisation that meets `match`, newest first (bounded when scanned). */
  async all(
    match: (entry: AuditEntry) => boolean = always,
    need = Number.POSITIVE_INFINITY,
  ): Promise<ScanResult> {
    const data = await this.view?.();
    if (data) {
      // The snapshot itself when nothing is filtered out: callers slice or sort copies, never write to it.
      const entries = match === always ? (data.entries as AuditEntry[]) : data.entries.filter(match);
      return { entries, truncated: false, fromView: true };
    }
    return this.collect(match, need);
  }

  get #maxPages(): number {
    return Math.max(1, Math.ceil(this.options.maxEntries / AUDIT_MAX_PAGE_SIZE));
  }

  #page(n: number): Promise<AuditEntry[]> {
    return shared(this.#pages, n, () =>
      listAuditEntries(this.audit, {
        page: n,
        itemsPerPage: AUDIT_MAX_PAGE_SIZE,
        sort: 'creationtime',
        reverse: true,
      }),
    );
  }

  /**
   * Starts the first wave without waiting, to overlap it with a lookup the matcher still needs (an account's
   * server). Call it only when a `collect` will certainly follow, so no page is left in flight unused.
   */
  prefetch(): void {
    // A view answers from memory (or waits for its one shared sync): nothing to overlap.
    if (this.view) return;
    for (let n = 1; n <= Math.min(this.options.concurrency, this.#maxPages); n++) {
      this.#page(n).catch(() => undefined);
    }
  }

  /** The first `need` entries (newest first) for which `match` holds, scanning the log. */
  async collect(match: (entry: AuditEntry) => boolean, need: number): Promise<ScanResult> {
    const entries: AuditEntry[] = [];
    for (let first = 1; first <= this.#maxPages; first += this.options.concurrency) {
      const last = Math.min(first + this.options.concurrency - 1, this.#maxPages);
      const wave = await Promise.all(range(first, last).map((n) => this.#page(n)));
      for (const page of wave) {
        for (const entry of page) {
          if (match(entry)) entries.push(entry);
          if (entries.length >= need) return { entries, truncated: false };
        }
        if (page.length < AUDIT_MAX_PAGE_SIZE) return { entries, truncated: false };
      }
    }
    // Every allowed page was full: the log may end exactly there. One entry past the limit settles it.
    return { entries, truncated: await this.#continuesPast(this.#maxPages * AUDIT_MAX_PAGE_SIZE) };
  }

  /** Whether the log holds more than `count` entries: one request for the entry after them. */
  async #continuesPast(count: number): Promise<boolean> {
    const next = await listAuditEntries(this.audit, {
      page: count + 1,
      itemsPerPage: 1,
      sort: 'creationtime',
      reverse: true,
    });
    return next.length > 0;
  }
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
