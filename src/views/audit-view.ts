/**
 * The audit log as one Audit scope sees it (an organisation, or a single key until its organisation is known;
 * see audit-scopes.ts), shared by that scope's requests (issue 11). The first use builds it with one full pass;
 * after that it syncs incrementally (docs in the README, "Shared views"):
 *
 * - **new entries**: pages by `creationtime` descending, read back to the newest creation time the view has seen,
 *   minus `OVERLAP_MS`;
 * - **changed entries**: pages by `last_update_time` descending, read back to the newest update time seen (never
 *   past the newest creation time, so one entry dated in the future cannot blind the pass), minus `OVERLAP_MS`;
 * - **reconcile**: every `reconcileMs`, a full pass in the background finds entries deleted upstream and updates
 *   written with an explicitly older `last_update_time`, the two things the incremental passes cannot see.
 *
 * Reference points are always the upstream's own timestamps, never the gateway's clock; the overlap covers equal
 * timestamps and clock skew between the upstream's nodes, and duplicates are dropped by id.
 *
 * A full pass reads pages in ascending creation order, so entries created meanwhile only append. A deletion
 * meanwhile shifts later entries back by one, so a known entry missing *inside* one page is certainly deleted,
 * while one missing at a page boundary may only have been skipped: those are checked by id before removal.
 *
 * Entries are held compactly: the decoders already dropped `dpassword` and `denable_password`, and repeated text
 * (organisation, job, status, device account, address…) is interned, so thousands of entries share one string.
 */
import { accountMatchesEntry, parseDeviceAccount } from '../match/account.js';
import type { ParsedIp } from '../match/ip.js';
import { entryAddress, rangeContains, serverMatchesEntry, serverRange } from '../match/server.js';
import type { MatchAccount, MatchServer } from '../match/types.js';
import { type TraceHolder, withSyncSpan } from '../ops/tracing.js';
import { AUDIT_MAX_PAGE_SIZE, type AuditEntry } from '../upstream/audit.js';
import { Fresh } from './fresh.js';
import { estimateBytes } from './pam-view.js';

/** The list route the view holds, for an operation's call plan. */
const AUDIT_ROUTE = '/ux/nccm/jobs-account-audit/';
/** The first page of an incremental pass: usually all that changed since the last sync fits in it. */
const FIRST_PAGE = 100;
/** How far an incremental pass reads before the newest upstream timestamp it has seen (equal times, clock skew). */
export const OVERLAP_MS = 2000;
/**
 * Heap bytes per byte of an entry's JSON. Measured by the scale benchmark at about 0.3 to 0.6 (flat objects, the
 * repeated text interned); 1 keeps a margin.
 */
const HEAP_PER_JSON_BYTE = 1;
/** Most entries whose absence a reconcile checks by id; the rest wait for the next reconcile (never removed blind). */
const MAX_VERIFY = 200;

export interface AuditListPage {
  page: number;
  itemsPerPage: number;
  sort: 'creationtime' | 'last_update_time';
  reverse: boolean;
}

/** How the view reaches the Audit API: with the scope's credential, outside any operation. */
export interface AuditSource {
  list(page: AuditListPage, signal: AbortSignal): Promise<AuditEntry[]>;
  get(id: string, signal: AbortSignal): Promise<AuditEntry | null>;
}

/** Thrown by a build that would not fit in the memory bound: callers fall back to bounded scans. */
export class AuditViewTooLarge extends Error {
  override readonly name = 'AuditViewTooLarge';
}

export interface AuditData {
  /** Every entry, newest first: `creationtime` descending, ties by id descending (the upstream's order). */
  readonly entries: readonly AuditEntry[];
  readonly byId: ReadonlyMap<string, AuditEntry>;
  /** Newest `creationtime` and (capped) `last_update_time` the upstream returned, in ms of its clock. */
  readonly newestCreated: number;
  readonly newestUpdated: number;
  /** Organisations of the entries: one, when the upstream keeps contract §2.1. */
  readonly organizations: ReadonlySet<string>;
  /** Estimated memory, in bytes. */
  readonly bytes: number;
  /** When the last full pass started (view clock). */
  readonly passStartedAt: number;
}

export interface AuditViewOptions {
  source: AuditSource;
  maxAgeMs: number;
  syncTimeoutMs: number;
  /** AUDIT_VIEW_RECONCILE_MS. */
  reconcileMs: number;
  /** Pages a full pass requests at once. */
  concurrency: number;
  /** Most bytes this view may take; a build beyond it fails with `AuditViewTooLarge`. */
  maxBytes(): number;
  /** Told of each read: answered from fresh data, or waiting for a sync. */
  onRead?: ((hit: boolean) => void) | undefined;
  now?: () => number;
  /** Called when a sync or reconcile ends, for the logs (and later the metrics). */
  onSync?: (outcome: {
    kind: 'build' | 'incremental' | 'reconcile';
    ok: boolean;
    ms: number;
    requests: number;
    entries: number;
    changed: number;
  }) => void;
}

export const timeOf = (text: string | null | undefined): number => {
  const ms = text ? Date.parse(text) : Number.NaN;
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
};

/** Newest first, as the upstream sorts `creationtime` descending: code units, ties by id. */
export function newerFirst(a: AuditEntry, b: AuditEntry): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  if (a.id === b.id) return 0;
  return a.id < b.id ? 1 : -1;
}

function dataOf(entries: AuditEntry[], passStartedAt: number, newestUpdatedBefore = -Infinity): AuditData {
  const byId = new Map<string, AuditEntry>();
  const organizations = new Set<string>();
  let newestCreated = Number.NEGATIVE_INFINITY;
  let newestUpdated = newestUpdatedBefore;
  for (const entry of entries) {
    byId.set(entry.id, entry);
    organizations.add(entry.organization);
    newestCreated = Math.max(newestCreated, timeOf(entry.createdAt));
  }
  for (const entry of entries) {
    const updated = timeOf(entry.lastUpdateTime);
    // An update time past the newest creation is most likely set by hand; it must not move the reference point.
    if (updated > newestUpdated) newestUpdated = Math.min(updated, newestCreated);
  }
  return {
    entries,
    byId,
    newestCreated,
    newestUpdated,
    organizations,
    bytes: estimateBytes(entries, HEAP_PER_JSON_BYTE),
    passStartedAt,
  };
}

function sameEntry(a: AuditEntry, b: AuditEntry): boolean {
  for (const key of Object.keys(a) as Array<keyof AuditEntry>) if (a[key] !== b[key]) return false;
  return true;
}

/** `data` with `upserts` put and `removals` taken out; the same object when nothing changes. */
function applyChanges(
  data: AuditData,
  upserts: readonly AuditEntry[],
  removals: Iterable<string>,
  passStartedAt = data.passStartedAt,
): AuditData {
  const changed = new Map<string, AuditEntry>();
  for (const entry of upserts) {
    const known = data.byId.get(entry.id);
    if (known === undefined || !sameEntry(known, entry)) changed.set(entry.id, entry);
  }
  const removed = new Set<string>();
  for (const id of removals) if (data.byId.has(id) && !changed.has(id)) removed.add(id);
  if (changed.size === 0 && removed.size === 0) {
    return passStartedAt === data.passStartedAt ? data : { ...data, passStartedAt };
  }
  const kept = data.entries.filter((e) => !changed.has(e.id) && !removed.has(e.id));
  const added = [...changed.values()].sort(newerFirst);
  const merged: AuditEntry[] = [];
  let i = 0;
  let j = 0;
  while (i < kept.length || j < added.length) {
    const a = kept[i];
    const b = added[j];
    if (b === undefined || (a !== undefined && newerFirst(a, b) < 0)) {
      merged.push(a as AuditEntry);
      i++;
    } else {
      merged.push(b);
      j++;
    }
  }
  return dataOf(merged, passStartedAt, data.newestUpdated);
}

interface PassResult {
  /** Entries in ascending creation order, with the page each came from and when that page was requested. */
  entries: AuditEntry[];
  pageOf: Map<string, number>;
  sentAt: number[];
  startedAt: number;
  requests: number;
}

/** What a finished reconcile hands to the next sync. */
interface Reconciled {
  pass: PassResult;
  /** Known entries the pass showed deleted (inside a page, or 404 by id). */
  deleted: Set<string>;
  /** Known entries missing at a page boundary, fetched again by id. */
  verified: AuditEntry[];
}

/**
 * Pages of the log sorted by `sort` descending, until an entry older than `since` (upstream ms) shows: a small first
 * page, then full pages (the first re-reads the small one). `check` sees what was read before each further page
 * and may throw to stop; `maxPages` bounds the full pages (then what was read is returned).
 */
export async function readBack(
  source: AuditSource,
  sort: AuditListPage['sort'],
  since: number,
  signal: AbortSignal,
  options: { onPage?: () => void; check?: (read: readonly AuditEntry[]) => void; maxPages?: number } = {},
): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  let itemsPerPage = FIRST_PAGE;
  let page = 1;
  for (;;) {
    options.onPage?.();
    const items = await source.list({ page, itemsPerPage, sort, reverse: true }, signal);
    out.push(...items);
    const last = items.at(-1);
    if (items.length < itemsPerPage || last === undefined) return out;
    if (timeOf(sort === 'creationtime' ? last.createdAt : last.lastUpdateTime) < since) return out;
    options.check?.(out);
    if (itemsPerPage === FIRST_PAGE) {
      itemsPerPage = AUDIT_MAX_PAGE_SIZE;
      page = 1;
    } else if (page >= (options.maxPages ?? Number.POSITIVE_INFINITY)) return out;
    else page++;
  }
}

export class AuditView {
  readonly #fresh: Fresh<AuditData>;
  readonly #now: () => number;
  readonly #intern = new Map<string, string>();
  #reconcile: Promise<void> | undefined;
  #reconciled: Reconciled | undefined;
  /** While a reconcile runs: entries changed since, and when (its older copies must not overwrite them). */
  #touched: Map<string, number> | undefined;

  constructor(private readonly options: AuditViewOptions) {
    this.#now = options.now ?? (() => performance.now());
    this.#fresh = new Fresh<AuditData>({
      upstream: 'audit',
      onRead: options.onRead,
      route: AUDIT_ROUTE,
      maxAgeMs: options.maxAgeMs,
      syncTimeoutMs: options.syncTimeoutMs,
      now: this.#now,
      sync: (previous, signal) => (previous ? this.#incremental(previous, signal) : this.#build(signal)),
    });
  }

  /** The view's data, no older than the max age. */
  data(reader?: TraceHolder): Promise<AuditData> {
    return this.#fresh.get(reader);
  }

  /** The data of a sync that starts now, or of the one running (the audit feed's poll). */
  refresh(): Promise<AuditData> {
    return this.#fresh.refresh();
  }

  /** Estimated memory of the current data, in bytes. */
  get bytes(): number {
    return this.#fresh.current?.bytes ?? 0;
  }

  /** Entries held, and how old they are (ms; undefined before the first sync). */
  get held(): { items: number; ageMs: number | undefined } {
    return { items: this.#fresh.current?.entries.length ?? 0, ageMs: this.#fresh.ageMs };
  }

  /** The writer's own created or replaced entry, at once (read your writes). */
  put(entry: AuditEntry): void {
    const own = this.#compact(entry);
    this.#touched?.set(own.id, this.#now());
    this.#fresh.update((data) => applyChanges(data, [own], []));
  }

  /** An entry deleted through the gateway: gone at once from every view that holds it (removal reveals nothing). */
  remove(id: string): void {
    this.#touched?.set(id, this.#now());
    this.#fresh.update((data) => applyChanges(data, [], [id]));
  }

  /** Another scope wrote to this organisation's log: the next answer waits for an incremental sync. */
  expire(): void {
    this.#fresh.expire();
  }

  #compact(entry: AuditEntry): AuditEntry {
    const record = entry as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(record)) {
      if (typeof value !== 'string' || key === 'id' || key === 'createdAt' || key === 'lastUpdateTime')
        continue;
      const shared = this.#intern.get(value);
      if (shared !== undefined) record[key] = shared;
      // Bounded: free text unique per entry would otherwise grow the table forever.
      else if (this.#intern.size < 200_000) this.#intern.set(value, value);
    }
    return entry;
  }

  async #build(signal: AbortSignal): Promise<AuditData> {
    const started = this.#now();
    try {
      const pass = await this.#pass(signal, 0);
      const entries = pass.entries.reverse();
      // The upstream's order, checked rather than trusted: a misordered page must not misplace entries.
      for (let i = 1; i < entries.length; i++) {
        if (newerFirst(entries[i - 1] as AuditEntry, entries[i] as AuditEntry) > 0) {
          entries.sort(newerFirst);
          break;
        }
      }
      const data = dataOf(entries, pass.startedAt);
      this.#report('build', true, started, pass.requests, data.entries.length, data.entries.length);
      return data;
    } catch (error) {
      this.#report('build', false, started, 0, 0, 0);
      throw error;
    }
  }

  async #incremental(previous: AuditData, signal: AbortSignal): Promise<AuditData> {
    const started = this.#now();
    let requests = 0;
    const count = () => requests++;
    try {
      let data = this.#applyReconciled(previous);
      const [created, updated] = await Promise.all([
        this.#readBack('creationtime', data.newestCreated - OVERLAP_MS, signal, count),
        this.#readBack('last_update_time', data.newestUpdated - OVERLAP_MS, signal, count),
      ]);
      const upserts = [...created, ...updated].map((e) => this.#compact(e));
      const now = this.#now();
      for (const entry of upserts) this.#touched?.set(entry.id, now);
      const before = data;
      data = applyChanges(data, upserts, []);
      const changed = data === before ? 0 : upserts.length;
      this.#report('incremental', true, started, requests, data.entries.length, changed);
      if (this.#now() - data.passStartedAt >= this.options.reconcileMs) this.#startReconcile(data);
      return data;
    } catch (error) {
      this.#report('incremental', false, started, requests, 0, 0);
      throw error;
    }
  }

  /** `readBack` over the view's source, failing with AuditViewTooLarge when the changes would not fit. */
  #readBack(
    sort: AuditListPage['sort'],
    since: number,
    signal: AbortSignal,
    count: () => void,
  ): Promise<AuditEntry[]> {
    return readBack(this.options.source, sort, since, signal, {
      onPage: count,
      check: (out) => {
        if (!this.#fits(out))
          throw new AuditViewTooLarge('the changes since the last sync do not fit in VIEW_MEMORY_MB');
      },
    });
  }

  /**
   * Every entry, ascending by creation, in waves of pages; waves grow 1, 2, 4… up to `concurrency` when the size
   * is unknown, so a small log costs few requests past its end. Fails when the entries would not fit.
   */
  async #pass(signal: AbortSignal, expectedEntries: number): Promise<PassResult> {
    const startedAt = this.#now();
    const entries: AuditEntry[] = [];
    const pageOf = new Map<string, number>();
    const sentAt: number[] = [];
    let requests = 0;
    let next = 1;
    let wave = 1;
    const expectedPages = Math.ceil(expectedEntries / AUDIT_MAX_PAGE_SIZE);
    for (;;) {
      const size =
        expectedPages >= next ? Math.min(this.options.concurrency, expectedPages - next + 1) : wave;
      const numbers = Array.from({ length: size }, (_, i) => next + i);
      next += size;
      wave = Math.min(this.options.concurrency, wave * 2);
      const pages = await Promise.all(
        numbers.map(async (page) => {
          sentAt[page] = this.#now();
          requests++;
          return {
            page,
            items: await this.options.source.list(
              { page, itemsPerPage: AUDIT_MAX_PAGE_SIZE, sort: 'creationtime', reverse: false },
              signal,
            ),
          };
        }),
      );
      for (const { page, items } of pages) {
        for (const item of items) {
          const entry = this.#compact(item);
          if (!pageOf.has(entry.id)) entries.push(entry);
          pageOf.set(entry.id, page);
        }
        if (items.length < AUDIT_MAX_PAGE_SIZE) return { entries, pageOf, sentAt, startedAt, requests };
      }
      if (!this.#fits(entries)) {
        throw new AuditViewTooLarge(`more than ${entries.length} entries do not fit in VIEW_MEMORY_MB`);
      }
    }
  }

  /** Whether `entries` (and, for an incremental pass, the view's own) stay within the bound; from a sample. */
  #fits(entries: readonly AuditEntry[]): boolean {
    const sample = entries.slice(-16);
    const perEntry = sample.length === 0 ? 0 : estimateBytes(sample, HEAP_PER_JSON_BYTE) / sample.length;
    return this.bytes + entries.length * perEntry <= this.options.maxBytes();
  }

  #startReconcile(data: AuditData): void {
    if (this.#reconcile || this.#reconciled) return;
    const started = this.#now();
    this.#touched = new Map();
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new Error('reconcile timed out')),
      this.options.syncTimeoutMs,
    );
    // Shared work of its own: a span like a sync's, whose calls are its children (src/ops/tracing.ts).
    this.#reconcile = withSyncSpan(
      { 'pamgraph.upstream': 'audit', 'pamgraph.kind': 'reconcile' },
      controller.signal,
      () =>
        this.#pass(controller.signal, data.entries.length).then((pass) =>
          this.#classify(pass, controller.signal),
        ),
    )
      .then((reconciled) => {
        this.#reconciled = reconciled;
        const missing = reconciled.deleted.size;
        this.#report(
          'reconcile',
          true,
          started,
          reconciled.pass.requests,
          reconciled.pass.entries.length,
          missing,
        );
      })
      .catch(() => {
        this.#touched = undefined;
        this.#report('reconcile', false, started, 0, 0, 0);
      })
      .finally(() => {
        clearTimeout(timer);
        this.#reconcile = undefined;
      });
  }

  /**
   * Known entries the pass did not return: certainly deleted when the pass's neighbours on both sides came from
   * the same page (or it would sort before page 1's first entry); otherwise checked by id, at most `MAX_VERIFY`.
   */
  async #classify(pass: PassResult, signal: AbortSignal): Promise<Reconciled> {
    const current = this.#fresh.current;
    const deleted = new Set<string>();
    const verified: AuditEntry[] = [];
    if (!current) return { pass, deleted, verified };
    const ascending = pass.entries;
    const toCheck: string[] = [];
    for (const entry of current.entries) {
      if (pass.pageOf.has(entry.id)) continue;
      // Known only since the pass started (created or changed meanwhile): the pass cannot speak for it.
      if ((this.#touched?.get(entry.id) ?? Number.NEGATIVE_INFINITY) >= pass.startedAt) continue;
      const at = insertionPoint(ascending, entry);
      const before = ascending[at - 1];
      const after = ascending[at];
      const pageAfter = after ? pass.pageOf.get(after.id) : undefined;
      const inside = before ? pageAfter === pass.pageOf.get(before.id) : pageAfter === 1;
      if (after && inside) deleted.add(entry.id);
      else if (ascending.length === 0) deleted.add(entry.id);
      else toCheck.push(entry.id);
    }
    for (let i = 0; i < Math.min(toCheck.length, MAX_VERIFY); i += this.options.concurrency) {
      const ids = toCheck.slice(i, Math.min(i + this.options.concurrency, MAX_VERIFY));
      const found = await Promise.all(ids.map((id) => this.options.source.get(id, signal)));
      ids.forEach((id, k) => {
        const entry = found[k];
        if (entry) verified.push(this.#compact(entry));
        else deleted.add(id);
      });
    }
    return { pass, deleted, verified };
  }

  /** Applies a finished reconcile, keeping what changed after the pass read it. */
  #applyReconciled(data: AuditData): AuditData {
    const reconciled = this.#reconciled;
    if (!reconciled) return data;
    const touched = this.#touched ?? new Map<string, number>();
    this.#reconciled = undefined;
    this.#touched = undefined;
    const { pass } = reconciled;
    const newer = (id: string, since: number) => (touched.get(id) ?? Number.NEGATIVE_INFINITY) >= since;
    const upserts = pass.entries.filter((e) => !newer(e.id, pass.sentAt[pass.pageOf.get(e.id) ?? 0] ?? 0));
    upserts.push(...reconciled.verified.filter((e) => !newer(e.id, pass.startedAt)));
    const removals = [...reconciled.deleted].filter((id) => !newer(id, pass.startedAt));
    return applyChanges(data, upserts, removals, pass.startedAt);
  }

  #report(
    kind: 'build' | 'incremental' | 'reconcile',
    ok: boolean,
    started: number,
    requests: number,
    entries: number,
    changed: number,
  ): void {
    this.options.onSync?.({ kind, ok, ms: this.#now() - started, requests, entries, changed });
  }
}

/** Where `entry` would stand in `ascending` (creation order, ties by id). */
function insertionPoint(ascending: readonly AuditEntry[], entry: AuditEntry): number {
  let lo = 0;
  let hi = ascending.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (newerFirst(ascending[mid] as AuditEntry, entry) > 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// ---------------------------------------------------------------------------------------------------------
// Indexes (docs/upstreams.md §3), built once per data and shared by every request of the scope. Lists hold
// positions in `data.entries`, so merged candidates sort back into newest-first order as plain numbers.

interface AddressGroup {
  ip: ParsedIp;
  positions: number[];
}

export interface AuditIndexes {
  /** Every login a `device_account` reads as (plain, `DOMAIN\login`, `login@domain`) → positions. */
  byLogin: Map<string, number[]>;
  /** Parsed device address (`family:value`) → its positions. */
  byAddress: Map<string, AddressGroup>;
}

const INDEXES = new WeakMap<AuditData, AuditIndexes>();

const addressKey = (ip: ParsedIp) => `${ip.version}:${ip.value}`;

export function indexesOf(data: AuditData): AuditIndexes {
  let indexes = INDEXES.get(data);
  if (indexes) return indexes;
  const byLogin = new Map<string, number[]>();
  const byAddress = new Map<string, AddressGroup>();
  const readings = new Map<string, string[]>();
  data.entries.forEach((entry, position) => {
    const ip = entryAddress(entry);
    if (ip === null) return; // no server, so no account, can match an entry without a device address
    const key = addressKey(ip);
    const group = byAddress.get(key);
    if (group) group.positions.push(position);
    else byAddress.set(key, { ip, positions: [position] });
    const text = entry.deviceAccount;
    if (!text) return;
    let logins = readings.get(text);
    if (!logins) {
      logins = [...new Set(parseDeviceAccount(text).map((r) => r.login))];
      readings.set(text, logins);
    }
    for (const login of logins) {
      const list = byLogin.get(login);
      if (list) list.push(position);
      else byLogin.set(login, [position]);
    }
  });
  indexes = { byLogin, byAddress };
  INDEXES.set(data, indexes);
  return indexes;
}

export interface Trail {
  /** Matching entries, newest first, at most `need`. */
  entries: AuditEntry[];
  truncated: false;
}

function take(data: AuditData, positions: Iterable<number>, match: (e: AuditEntry) => boolean, need: number) {
  const entries: AuditEntry[] = [];
  for (const position of positions) {
    const entry = data.entries[position] as AuditEntry;
    if (match(entry)) entries.push(entry);
    if (entries.length >= need) break;
  }
  return entries;
}

/**
 * An account's entries (§3), newest first: the candidates are the entries of its login, or of its server's address
 * when that list is shorter (a login like `root` recurs on every device), then the full match. Complete.
 */
export function accountTrail(
  data: AuditData,
  account: MatchAccount,
  server: MatchServer,
  need: number,
): Trail {
  const indexes = indexesOf(data);
  let positions = indexes.byLogin.get(account.login) ?? [];
  const range = serverRange(server);
  if (range !== null && range.prefix === (range.version === 4 ? 32 : 128)) {
    const atAddress = indexes.byAddress.get(`${range.version}:${range.network}`)?.positions ?? [];
    if (atAddress.length < positions.length) positions = atAddress;
  }
  return {
    entries: take(data, positions, (e) => accountMatchesEntry(account, server, e), need),
    truncated: false,
  };
}

/** A server's entries (§3), newest first: candidates by address (or every address inside its subnet). Complete. */
export function serverTrail(data: AuditData, server: MatchServer, need: number): Trail {
  const range = serverRange(server);
  if (range === null) return { entries: [], truncated: false };
  const { byAddress } = indexesOf(data);
  let positions: number[] = [];
  if (range.prefix === (range.version === 4 ? 32 : 128)) {
    // One address: one lookup.
    positions = byAddress.get(`${range.version}:${range.network}`)?.positions ?? [];
  } else {
    for (const group of byAddress.values())
      if (rangeContains(range, group.ip)) positions.push(...group.positions);
    positions.sort((a, b) => a - b);
  }
  return { entries: take(data, positions, (e) => serverMatchesEntry(server, e), need), truncated: false };
}
