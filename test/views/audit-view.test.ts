/**
 * The shared audit view (src/views/audit-view.ts) on a fake clock and a fake Audit API that sorts, pages and
 * counts like the real one: the build, incremental syncs (new entries, changes, the overlap, a future-dated
 * entry), reconcile (deletions, older-dated updates, a deletion during the pass), writes, the memory bound and
 * the trails.
 */
import { describe, expect, it } from 'vitest';
import { AUDIT_MAX_PAGE_SIZE, type AuditEntry } from '../../src/upstream/audit.js';
import {
  type AuditData,
  type AuditListPage,
  type AuditSource,
  AuditView,
  AuditViewTooLarge,
  accountTrail,
  serverTrail,
} from '../../src/views/audit-view.js';

const BASE = Date.parse('2025-06-07T14:54:24.264Z');
const iso = (ms: number) => new Date(BASE + ms).toISOString();
const idOf = (n: number) => n.toString(16).padStart(24, '0');

/** One decoded entry created `createdMs` after BASE (upstream clock), last updated at creation. */
function entry(n: number, createdMs: number, over: Partial<AuditEntry> = {}): AuditEntry {
  const createdAt = iso(createdMs);
  return {
    id: idOf(n),
    createdAt,
    lastUpdateTime: createdAt,
    organization: 'acme',
    agentId: null,
    connectionStatus: 'success',
    failureMessage: null,
    jobId: `job-${n % 7}`,
    ciId: null,
    jobIterationId: null,
    ipAddress: '10.0.0.5',
    deviceAccount: 'root',
    connectionProtocol: 'ssh',
    error: null,
    taskOwner: null,
    clientIp: null,
    jobType: 'Config Backup',
    jobName: null,
    processName: null,
    connectionFor: null,
    configType: null,
    uofw: null,
    hasDevicePassword: false,
    hasEnablePassword: false,
    ...over,
  };
}

/** `n` entries, three per upstream second, ids scrambled against time (so ties are broken by id). */
const log = (n: number) =>
  Array.from({ length: n }, (_, i) => entry(1000 + ((i * 7919) % n), Math.floor(i / 3) * 1000));

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const field = (e: AuditEntry, sort: AuditListPage['sort']) =>
  (sort === 'creationtime' ? e.createdAt : e.lastUpdateTime) ?? '';
function ordered(rows: readonly AuditEntry[], sort: AuditListPage['sort'], reverse: boolean) {
  const sign = reverse ? -1 : 1;
  return [...rows].sort((a, b) => sign * (cmp(field(a, sort), field(b, sort)) || cmp(a.id, b.id)));
}
const newest = (rows: readonly AuditEntry[]) => ordered(rows, 'creationtime', true);
const ascendingIds = (rows: readonly AuditEntry[]) => ordered(rows, 'creationtime', false).map((e) => e.id);
const copy = (e: AuditEntry): AuditEntry => ({ ...e });

/** The Audit API's list and get over an array; every call counted, `beforeList` runs before each page is served. */
class FakeAudit implements AuditSource {
  rows: AuditEntry[];
  readonly calls = { list: 0, get: 0 };
  readonly pages: AuditListPage[] = [];
  beforeList: ((page: AuditListPage) => void) | undefined;

  constructor(rows: AuditEntry[]) {
    this.rows = rows.map(copy);
  }
  list(page: AuditListPage): Promise<AuditEntry[]> {
    this.calls.list++;
    this.pages.push(page);
    this.beforeList?.(page);
    const start = (page.page - 1) * page.itemsPerPage;
    const rows = ordered(this.rows, page.sort, page.reverse).slice(start, start + page.itemsPerPage);
    return Promise.resolve(rows.map(copy));
  }
  get(id: string): Promise<AuditEntry | null> {
    this.calls.get++;
    const found = this.rows.find((e) => e.id === id);
    return Promise.resolve(found ? copy(found) : null);
  }
  add(...entries: AuditEntry[]) {
    this.rows.push(...entries.map(copy));
  }
  delete(id: string) {
    this.rows = this.rows.filter((e) => e.id !== id);
  }
  patch(id: string, over: Partial<AuditEntry>) {
    this.rows = this.rows.map((e) => (e.id === id ? { ...e, ...over } : e));
  }
}

function setup(rows: AuditEntry[], maxBytes = () => Number.POSITIVE_INFINITY) {
  let now = 0;
  const source = new FakeAudit(rows);
  const reconciles: boolean[] = [];
  const view = new AuditView({
    source,
    maxAgeMs: 5000,
    syncTimeoutMs: 60_000,
    reconcileMs: 60_000,
    concurrency: 4,
    maxBytes,
    now: () => now,
    onSync: (o) => {
      if (o.kind === 'reconcile') reconciles.push(o.ok);
    },
  });
  return {
    view,
    source,
    at: (ms: number) => {
      now = ms;
    },
    /** Waits until `n` reconciles have ended in the background, all successfully. */
    async reconciled(n: number) {
      for (let i = 0; i < 200 && reconciles.length < n; i++) await new Promise((r) => setTimeout(r, 0));
      expect(reconciles).toEqual(Array(n).fill(true));
    },
  };
}

const idsOf = (data: AuditData) => data.entries.map((e) => e.id);

describe('AuditView', () => {
  it('builds from ascending full pages, each requested once, and holds every entry newest first', async () => {
    const rows = log(1234);
    const { view, source } = setup(rows);
    const data = await view.data();
    expect(data.entries).toEqual(newest(rows));
    expect(data.byId.size).toBe(1234);
    for (const e of rows) expect(data.byId.get(e.id)).toEqual(e);
    for (const page of source.pages) {
      expect(page).toMatchObject({ itemsPerPage: AUDIT_MAX_PAGE_SIZE, sort: 'creationtime', reverse: false });
    }
    expect(source.pages.map((p) => p.page).sort((a, b) => a - b)).toEqual([1, 2, 3]);
    expect(source.calls).toEqual({ list: 3, get: 0 });
  });

  it('answers from the same data within the max age, with no request', async () => {
    const { view, source, at } = setup(log(50));
    const first = await view.data();
    at(1000);
    expect(await view.data()).toBe(first);
    at(3000);
    expect(await view.data()).toBe(first);
    expect(source.calls.list).toBe(1);
  });

  it('sees entries created upstream after the max age, in a few requests', async () => {
    const rows = log(1234);
    const { view, source, at } = setup(rows);
    await view.data();
    const created = [entry(50_001, 500_000), entry(50_002, 500_000), entry(50_003, 501_000)];
    source.add(...created);
    const before = source.calls.list;
    at(5000);
    const data = await view.data();
    expect(data.entries).toEqual(newest([...rows, ...created]));
    expect(source.calls.list - before).toBeLessThanOrEqual(4);
  });

  it('sees an entry changed upstream with a newer last_update_time', async () => {
    const rows = log(1234);
    const { view, source, at } = setup(rows);
    await view.data();
    const target = rows[600] as AuditEntry;
    source.patch(target.id, { connectionStatus: 'failed', lastUpdateTime: iso(500_000) });
    at(5000);
    const data = await view.data();
    expect(data.byId.get(target.id)).toMatchObject({
      connectionStatus: 'failed',
      lastUpdateTime: iso(500_000),
    });
    expect(data.entries).toEqual(newest(source.rows));
  });

  it('the overlap finds an entry at the newest creation time with a smaller id, and one from a skewed clock', async () => {
    const rows = log(300); // newest second: 99,000 ms, three entries
    const { view, source, at } = setup(rows);
    await view.data();
    const tie = entry(1, 99_000);
    const skewed = entry(2, 97_500);
    // Newest first: 93 new, the 4 at 99 s, the 3 at 98 s: the first page of 100 ends 1 s before the newest
    // known creation time, and the skewed entry is on the next one.
    const fresh = Array.from({ length: 93 }, (_, k) => entry(60_000 + k, 100_000 + k * 10));
    source.add(tie, skewed, ...fresh);
    at(5000);
    const data = await view.data();
    expect(data.byId.has(tie.id)).toBe(true);
    expect(data.byId.has(skewed.id)).toBe(true);
    expect(data.entries).toEqual(newest(source.rows));
  });

  it('an entry updated in 2099 does not hide later updates of other entries', async () => {
    const rows = log(1234);
    rows[10] = { ...(rows[10] as AuditEntry), lastUpdateTime: '2099-01-01T00:00:00.000Z' };
    const { view, source, at } = setup(rows);
    await view.data();
    // More updates than the first page holds after the future-dated entry.
    const changed = rows.slice(100, 250);
    changed.forEach((e, k) => {
      source.patch(e.id, { connectionStatus: 'failed', lastUpdateTime: iso(500_000 + k * 1000) });
    });
    at(5000);
    let data = await view.data();
    for (const e of changed) expect(data.byId.get(e.id)?.connectionStatus).toBe('failed');
    source.patch((rows[900] as AuditEntry).id, { jobName: 'later', lastUpdateTime: iso(900_000) });
    at(10_000);
    data = await view.data();
    expect(data.byId.get((rows[900] as AuditEntry).id)?.jobName).toBe('later');
    expect(data.entries).toEqual(newest(source.rows));
  });

  it('reconcile removes deleted entries and applies updates dated in the past', async () => {
    const rows = log(1234);
    const { view, source, at, reconciled } = setup(rows);
    await view.data();
    const [gone, back] = [rows[100] as AuditEntry, rows[800] as AuditEntry];
    source.delete(gone.id);
    source.patch(back.id, { connectionStatus: 'failed', lastUpdateTime: iso(-86_400_000) });
    at(5000);
    let data = await view.data();
    expect(data.byId.has(gone.id)).toBe(true);
    expect(data.byId.get(back.id)?.connectionStatus).toBe('success');
    at(60_000);
    await view.data(); // starts the reconcile
    await reconciled(1);
    data = await view.data();
    expect(data.byId.has(gone.id)).toBe(true); // applied by the next sync only
    at(65_000);
    data = await view.data();
    expect(data.byId.has(gone.id)).toBe(false);
    expect(data.byId.get(back.id)?.connectionStatus).toBe('failed');
    expect(data.entries).toEqual(newest(source.rows));
  });

  it('a deletion during the reconcile pass drops no entry that still exists', async () => {
    const rows = log(1234);
    const { view, source, at, reconciled } = setup(rows);
    await view.data();
    const asc = ascendingIds(rows);
    const [early, onPage2, shifted] = [asc[100], asc[700], asc[500]] as [string, string, string];
    let fired = false;
    source.beforeList = (page) => {
      if (fired || page.reverse || page.page !== 2) return;
      fired = true;
      source.delete(early); // page 1 already read it; shifts asc[500] onto page 1, out of page 2
      source.delete(onPage2); // page 2 not yet read
    };
    at(60_000);
    await view.data();
    await reconciled(1);
    expect(fired).toBe(true);
    expect(source.calls.get).toBeGreaterThanOrEqual(1); // the shifted entry, checked by id
    at(65_000);
    let data = await view.data();
    const upstream = source.rows.map((e) => e.id);
    expect(upstream.filter((id) => !data.byId.has(id))).toEqual([]);
    expect(data.byId.has(shifted)).toBe(true);
    // The pass saw `early` before it was deleted; the next reconcile removes it.
    expect(idsOf(data).filter((id) => !upstream.includes(id))).toEqual([early]);
    at(120_000);
    await view.data();
    await reconciled(2);
    at(125_000);
    data = await view.data();
    expect(idsOf(data)).toEqual(newest(source.rows).map((e) => e.id));
  });

  it('put and remove act at once without a request; expire makes the next answer wait for a sync', async () => {
    const rows = log(50);
    const { view, source } = setup(rows);
    await view.data();
    const own = entry(9999, 900_000, { deviceAccount: 'own' });
    view.put({ ...own });
    const gone = (rows[20] as AuditEntry).id;
    view.remove(gone);
    const data = await view.data();
    expect(data.byId.get(own.id)).toEqual(own);
    expect(data.entries[0]?.id).toBe(own.id);
    expect(data.byId.has(gone)).toBe(false);
    expect(data.entries).toHaveLength(50);
    expect(source.calls.list).toBe(1);
    view.expire();
    await view.data();
    expect(source.calls.list).toBeGreaterThan(1);
  });

  it('a build beyond the memory bound fails with AuditViewTooLarge', async () => {
    const { view } = setup(log(5000), () => 10_000);
    await expect(view.data()).rejects.toBeInstanceOf(AuditViewTooLarge);
  });

  it('server and account trails match addresses, subnets, protocols and domain-qualified logins', async () => {
    const addresses = ['10.0.0.5', '10.0.0.6', '10.1.0.1'];
    const accounts = ['root', 'CORP\\root', 'root@corp', 'admin'];
    const protocols = ['ssh', '', 'rdp', null, 'SSH'];
    const rows = Array.from({ length: 60 }, (_, i) =>
      entry(100 + ((i * 7) % 60), Math.floor(i / 2) * 1000, {
        ipAddress: addresses[i % 3] ?? null,
        deviceAccount: accounts[i % 4] ?? null,
        connectionProtocol: protocols[i % 5] ?? null,
      }),
    );
    const { view } = setup(rows);
    const data = await view.data();
    const sorted = newest(rows);
    const sshOk = (e: AuditEntry) => (e.connectionProtocol ?? '').toLowerCase() !== 'rdp';
    const rootOk = (e: AuditEntry) => ['root', 'CORP\\root', 'root@corp'].includes(e.deviceAccount ?? '');
    const subnet = { id: 1, address: '10.0.0.0', mask: 24, protocol: 'ssh' };
    const exact = { id: 2, address: '10.0.0.5', mask: null, protocol: 'ssh' };
    const inSubnet = sorted.filter((e) => e.ipAddress?.startsWith('10.0.0.') && sshOk(e));
    const atExact = sorted.filter((e) => e.ipAddress === '10.0.0.5' && sshOk(e));
    expect(inSubnet.length).toBeGreaterThan(10);
    expect(serverTrail(data, subnet, 100).entries).toEqual(inSubnet);
    expect(serverTrail(data, exact, 100).entries).toEqual(atExact);
    expect(serverTrail(data, subnet, 5).entries).toEqual(inSubnet.slice(0, 5));
    const root = { id: 1, serverId: 1, login: 'root', domain: 'corp' };
    const rootTrail = inSubnet.filter(rootOk);
    expect(new Set(rootTrail.map((e) => e.deviceAccount)).size).toBe(3);
    expect(accountTrail(data, root, subnet, 100).entries).toEqual(rootTrail);
    expect(accountTrail(data, root, subnet, 4).entries).toEqual(rootTrail.slice(0, 4));
    const onExact = { id: 2, serverId: 2, login: 'root', domain: 'corp' };
    expect(accountTrail(data, onExact, exact, 100).entries).toEqual(atExact.filter(rootOk));
    expect(accountTrail(data, { ...root, domain: null }, subnet, 100).entries).toEqual(
      inSubnet.filter((e) => e.deviceAccount === 'root'),
    );
  });
});
